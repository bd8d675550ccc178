# METADATA
# title: Resource in a Terraform state no longer exists (missing)
# description: |
#   Reports resources a given Terraform state manages (of the types archaudit
#   models) that are not live: someone deleted them outside Terraform. The next
#   `terraform apply` recreates them, possibly empty (a bucket, a table) or with a
#   new identity (a load balancer's DNS name, an OIDC provider's thumbprint), and
#   whatever depended on them is broken until then. A security group rule held as a
#   resource of its own (`aws_vpc_security_group_ingress_rule`) and revoked by hand
#   is missing too.
#
#   Evaluated only where the snapshot read the resource's service in its account
#   and region: a part of the organization that was not read is reported as a
#   coverage gap, never as missing resources.
# custom:
#   id: TFD002
#   name: managed-resource-missing
#   severity: medium
#   roles: [any]
#   services: [terraform]
#   precision: high
#   references:
#     - "Well-Architected REL08-BP05: Deploy changes with automation"
#     - "Terraform: `terraform plan -refresh-only` shows resources deleted outside Terraform"
#   remediation: |
#     Find out who deleted it (CloudTrail `Delete*` events), then either recreate it
#     from code:
#
#     ```sh
#     terraform plan   # shows the resource to be created again
#     terraform apply
#     ```
#
#     or, if it is gone for good, remove its block and `terraform state rm` the address.
package archaudit.rules.managed_resource_missing

import rego.v1

deny contains finding if {
	some r in input.terraform.missing
	finding := {
		"resource": r.resource,
		"region": r.region,
		"message": sprintf(
			"%s (%s in state %s) does not exist: deleted outside Terraform",
			[r.address, r.type, r.state],
		),
	}
}
