# METADATA
# title: AWS Config not recording in a Region
# description: |
#   Checks every Region read for a configuration recorder of the account's own that is
#   recording. AWS Config keeps the history of every resource's configuration (who
#   opened the security group, and when), which incident response and Security Hub's
#   controls both depend on. Recorders that other AWS services made for themselves
#   (service-linked, for example Security Hub's) record only what that service needs
#   and do not count. A recorder that exists but is stopped, or whose last recording
#   attempt failed, is reported too.
# custom:
#   id: CFG001
#   name: config-recorder-missing
#   severity: medium
#   roles: [any]
#   services: [config]
#   precision: very-high
#   references:
#     - "Well-Architected SEC04-BP01: Configure service and application logging"
#     - "CIS AWS Foundations 3.3: Ensure AWS Config is enabled in all regions"
#     - "Security Hub Config.1 / AWS Config rule -"
#     - "Prowler config_recorder_all_regions_enabled; Steampipe config_enabled_all_regions"
#   remediation: |
#     ```hcl
#     resource "aws_config_configuration_recorder" "this" {
#       name     = "default"
#       role_arn = aws_iam_service_linked_role.config.arn
#       recording_group {
#         all_supported                 = true
#         include_global_resource_types = true
#       }
#     }
#
#     resource "aws_config_configuration_recorder_status" "this" {
#       name       = aws_config_configuration_recorder.this.name
#       is_enabled = true
#       depends_on = [aws_config_delivery_channel.this]
#     }
#     ```
package archaudit.rules.config_recorder_missing

import rego.v1

deny contains finding if {
	some region in input.regions
	not region in recorder_regions
	finding := {
		"resource": sprintf("arn:aws:iam::%s:root", [input.account.id]),
		"region": region,
		"message": sprintf("AWS Config has no configuration recorder in %s of account %s (%s)", [region, input.account.name, input.account.id]),
	}
}

deny contains finding if {
	some recorder in input.config.recorders
	not recorder.service_principal
	problem := not_recording(recorder)
	finding := {
		"resource": recorder.arn,
		"region": recorder.region,
		"message": sprintf("AWS Config recorder %s in %s %s", [recorder.name, recorder.region, problem]),
	}
}

# The regions with a recorder of the account's own, built once per evaluation rather
# than scanning every recorder for each region (linear in the resources read).
recorder_regions contains region if {
	some r in input.config.recorders
	not r.service_principal
	region := r.region
}

not_recording(recorder) := "is stopped" if not recorder.recording

not_recording(recorder) := sprintf("is recording but its last attempt failed (%s)", [object.get(recorder, "last_error_code", "no error code")]) if {
	recorder.recording
	recorder.last_status == "Failure"
}
