# METADATA
# title: Regional WAF web ACL without logging
# description: |
#   Flags regional WAFv2 web ACLs whose logging configuration is not enabled. Without
#   WAF logs there is no record of which requests were blocked or counted and why:
#   false positives of the managed rule groups cannot be diagnosed, rules cannot be
#   safely moved from Count to Block, and an attack against the ingress ALB leaves no
#   trace beyond the sampled requests of the last three hours.
# custom:
#   id: WAF003
#   name: web-acl-logging-disabled
#   severity: low
#   roles: [any]
#   services: [wafv2]
#   precision: very-high
#   references:
#     - "Well-Architected SEC04-BP01: Configure service and application logging"
#     - "Security Hub WAF.11 / AWS Config WAFV2_LOGGING_ENABLED"
#     - "Prowler wafv2_webacl_logging_enabled; Steampipe wafv2_web_acl_logging_enabled"
#   remediation: |
#     Send the web ACL's logs to a CloudWatch log group (its name must start with
#     `aws-waf-logs-`), an S3 bucket or Firehose:
#
#     ```hcl
#     resource "aws_cloudwatch_log_group" "waf" {
#       name              = "aws-waf-logs-external-acl"
#       retention_in_days = 90
#     }
#
#     resource "aws_wafv2_web_acl_logging_configuration" "external" {
#       resource_arn            = aws_wafv2_web_acl.external.arn
#       log_destination_configs = [aws_cloudwatch_log_group.waf.arn]
#     }
#     ```
package archaudit.rules.web_acl_logging_disabled

import rego.v1

deny contains finding if {
	some acl in input.wafv2.web_acls
	acl.scope == "REGIONAL"
	acl.logging_enabled == false
	finding := {
		"resource": acl.arn,
		"region": acl.region,
		"message": sprintf(
			"regional web ACL %s (default action %s, %d associated resource(s)) has logging disabled",
			[acl.name, acl.default_action, count(acl.associated_resources)],
		),
	}
}
