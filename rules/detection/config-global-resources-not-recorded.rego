# METADATA
# title: No AWS Config recorder records global (IAM) resources
# description: |
#   Checks that at least one recorder of the account's own, in the Regions read, records
#   global resource types (IAM users, roles, policies and groups): with
#   `include_global_resource_types`, or by listing `AWS::IAM::*` types. Recording them in
#   every Region multiplies cost, so CIS asks for one Region; recording them in none
#   leaves IAM changes (a new admin policy, a changed trust) without configuration
#   history. A recorder in a Region that was not read may hold them (precision medium):
#   read the home Region of your IAM recording.
# custom:
#   id: CFG003
#   name: config-global-resources-not-recorded
#   severity: low
#   roles: [any]
#   services: [config]
#   precision: medium
#   references:
#     - "Well-Architected SEC04-BP01: Configure service and application logging"
#     - "CIS AWS Foundations 3.3: Ensure AWS Config is enabled in all regions (include global resources in one Region)"
#     - "Security Hub Config.1"
#   remediation: |
#     In one Region (the organization's home Region):
#
#     ```hcl
#     resource "aws_config_configuration_recorder" "this" {
#       # ...
#       recording_group {
#         all_supported                 = true
#         include_global_resource_types = true
#       }
#     }
#     ```
package archaudit.rules.config_global_resources_not_recorded

import rego.v1

deny contains finding if {
	own := [r | some r in input.config.recorders; not r.service_principal]
	count(own) > 0
	not some_records_global
	finding := {
		"resource": sprintf("arn:aws:iam::%s:root", [input.account.id]),
		"region": "global",
		"message": sprintf(
			"No AWS Config recorder of account %s (%s) records IAM resources in the Regions read (%s)",
			[input.account.name, input.account.id, concat(", ", input.regions)],
		),
	}
}

some_records_global if {
	some r in input.config.recorders
	not r.service_principal
	r.all_supported
	r.include_global_resource_types
}

some_records_global if {
	some r in input.config.recorders
	not r.service_principal
	some t in r.resource_types
	startswith(t, "AWS::IAM::")
}
