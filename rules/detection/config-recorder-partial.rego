# METADATA
# title: AWS Config recorder does not record every resource type
# description: |
#   Checks that each recorder of the account's own records all resource types the
#   Region supports (`allSupported`, strategy `ALL_SUPPORTED_RESOURCE_TYPES`). A recorder
#   limited to a list, or one that excludes types, leaves the history of the other
#   resources unrecorded, and Security Hub controls on those types stay without data.
#   An exclusion list is a deliberate cost choice some teams make; the finding names
#   what is left out so it can be suppressed with a reason.
# custom:
#   id: CFG002
#   name: config-recorder-partial
#   severity: low
#   roles: [any]
#   services: [config]
#   precision: high
#   references:
#     - "Well-Architected SEC04-BP01: Configure service and application logging"
#     - "CIS AWS Foundations 3.3: Ensure AWS Config is enabled in all regions (all resource types)"
#     - "Security Hub Config.1"
#     - "Prowler config_recorder_all_regions_enabled (recording only); Steampipe config_enabled_all_regions"
#   remediation: |
#     ```hcl
#     resource "aws_config_configuration_recorder" "this" {
#       # ...
#       recording_group {
#         all_supported = true
#       }
#     }
#     ```
package archaudit.rules.config_recorder_partial

import rego.v1

deny contains finding if {
	some recorder in input.config.recorders
	not recorder.service_principal
	not recorder.all_supported
	finding := {
		"resource": recorder.arn,
		"region": recorder.region,
		"message": sprintf("AWS Config recorder %s in %s records %s", [recorder.name, recorder.region, scope(recorder)]),
	}
}

scope(recorder) := sprintf("only %d resource types (%s)", [count(recorder.resource_types), shortlist(recorder.resource_types)]) if {
	recorder.recording_strategy == "INCLUSION_BY_RESOURCE_TYPES"
}

scope(recorder) := sprintf("every type but %d (%s)", [count(recorder.excluded_resource_types), shortlist(recorder.excluded_resource_types)]) if {
	recorder.recording_strategy == "EXCLUSION_BY_RESOURCE_TYPES"
}

scope(recorder) := "a limited set of resource types" if {
	not recorder.recording_strategy in {"INCLUSION_BY_RESOURCE_TYPES", "EXCLUSION_BY_RESOURCE_TYPES"}
}

shortlist(types) := concat(", ", sort(types)) if count(types) <= 5

shortlist(types) := sprintf("%s and %d more", [concat(", ", array.slice(sort(types), 0, 5)), count(types) - 5]) if count(types) > 5
