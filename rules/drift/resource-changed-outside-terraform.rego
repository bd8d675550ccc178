# METADATA
# title: Resource attribute differs from its Terraform state (changed)
# description: |
#   Reports managed resources whose compared attributes differ from the values
#   their Terraform state holds: someone changed them by hand (console, CLI, a
#   script), for example an ALB's deletion protection, a listener's TLS policy or
#   certificate, a bucket's versioning, DynamoDB point-in-time recovery, ECR scan on
#   push or tag mutability, EKS endpoint access, RDS storage encryption, a log
#   group's retention. The next `terraform apply` silently reverts the change, or
#   the hand-made change is what keeps production working and nobody knows.
#
#   One finding per resource lists every attribute that differs, state value first.
#   Attributes the state marks sensitive are compared but their values are never
#   shown ("(sensitive) changed").
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
	finding := {
		"resource": r.resource,
		"region": r.region,
		"message": sprintf(
			"%s (%s): %s",
			[r.address, r.name, concat("; ", [describe(c) | some c in r.changes])],
		),
	}
}

describe(c) := sprintf("%s (sensitive) changed", [c.attribute]) if c.sensitive

describe(c) := sprintf("%s %s (state) -> %s (live)", [c.attribute, c.state, c.live]) if {
	not c.sensitive
}
