# METADATA
# title: Resource attribute differs from its Terraform state (changed)
# description: |
#   Reports managed resources whose compared attributes differ from the values
#   their Terraform state holds: someone changed them by hand (console, CLI, a
#   script), for example an ALB's deletion protection, a listener's TLS policy or
#   certificate, a bucket's versioning, encryption, public access block or policy,
#   DynamoDB point-in-time recovery, ECR scan on push or tag mutability, EKS endpoint
#   access, RDS storage encryption, a log group's retention, a security group's
#   rules, or a tag. The next
#   `terraform apply` silently reverts the change, or the hand-made change is what
#   keeps production working and nobody knows.
#
#   One finding per resource lists every attribute that differs, state value first,
#   and its tags (`tags.KEY`, against the state's `tags_all`, default tags included;
#   AWS's own `aws:` tags and those controllers add are left out). A setting that a
#   sibling resource holds is read from that resource, never from the deprecated
#   attribute of the same name: a bucket's versioning from `aws_s3_bucket_versioning`,
#   its encryption, public access block and policy likewise; the finding is located
#   on the block that holds the (first) changed setting. Attributes the state marks
#   sensitive are compared but their values are never shown ("(sensitive) changed").
#
#   A security group whose rules are inline `ingress`/`egress` blocks is compared rule
#   by rule, one change per rule that differs (`ingress (not set) (state) -> tcp 22
#   from 0.0.0.0/0 "ssh" (live)`: a world-open rule added by hand); protocol numbers
#   and names, `-1` and `all`, and a block naming several sources (one AWS rule each)
#   read alike. A group whose rules are `aws_vpc_security_group_ingress_rule` /
#   `_egress_rule` resources is not compared on its blocks (the provider fills them
#   from AWS on refresh); each rule resource is compared on its own attributes and
#   tags, and a rule added by hand to it is TFD001.
# custom:
#   id: TFD003
#   name: resource-changed-outside-terraform
#   severity: medium
#   roles: [any]
#   services: [terraform]
#   precision: high
#   references:
#     - "Well-Architected REL08-BP05: Deploy changes with automation"
#     - "Terraform: `terraform plan -refresh-only` reviews changes made outside Terraform"
#   remediation: |
#     Decide which value is right. To keep the code's value, apply it again:
#
#     ```sh
#     terraform plan    # shows the attribute going back to the state's value
#     terraform apply
#     ```
#
#     To keep the live value, change the code to match it, then accept it into the
#     state with `terraform apply -refresh-only`.
package archaudit.rules.resource_changed_outside_terraform

import rego.v1

deny contains finding if {
	some r in input.terraform.changed
	# `is_string(d)` below: regorus's RVM keeps an undefined `d` in an array otherwise.
	finding := {
		"resource": r.resource,
		"region": r.region,
		"address": r.address,
		"message": sprintf(
			"%s (%s): %s",
			[r.address, r.name, concat("; ", [d | some c in r.changes; d := describe(r, c); is_string(d)])],
		),
	}
}

# A change held by another block than the first one is prefixed with its address.
attribute(r, c) := c.attribute if c.address == r.address

attribute(r, c) := sprintf("%s %s", [c.address, c.attribute]) if c.address != r.address

describe(r, c) := sprintf("%s (sensitive) changed", [attribute(r, c)]) if c.sensitive

describe(r, c) := sprintf("%s %s (state) -> %s (live)", [attribute(r, c), c.state, c.live]) if {
	not c.sensitive
}
