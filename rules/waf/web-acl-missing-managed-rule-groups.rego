# METADATA
# title: Web ACL in front of an internet-facing ALB lacks the baseline AWS managed rule groups
# description: |
#   Flags web ACLs associated with an internet-facing application load balancer that
#   do not reference all three AWS managed rule groups of the reference `ExternalACL`:
#   AWSManagedRulesCommonRuleSet (OWASP-style common exploits),
#   AWSManagedRulesLinuxRuleSet (Linux LFI and path traversal) and
#   AWSManagedRulesKnownBadInputsRuleSet (Log4Shell, Java deserialization and other
#   known-bad request patterns). A web ACL without them filters by host or IP at best
#   and lets known exploits through to the ingress controllers.
#
#   Only groups with vendor `AWS` count. Web ACLs that protect only internal ALBs are
#   not checked.
# custom:
#   id: WAF002
#   name: web-acl-missing-managed-rule-groups
#   severity: medium
#   roles: [any]
#   services: [elbv2, wafv2]
#   precision: high
#   references:
#     - "Well-Architected SEC05-BP03: Implement inspection-based protection"
#     - "AWS WAF Developer Guide: AWS Managed Rules baseline and use-case specific rule groups"
#     - "Security Hub WAF.10 / Prowler wafv2_webacl_with_rules (related: they only require some rule)"
#   remediation: |
#     Add the missing managed rule groups to the web ACL, after the Host-header allow rule:
#
#     ```hcl
#     resource "aws_wafv2_web_acl" "external" {
#       name  = "ExternalACL"
#       scope = "REGIONAL"
#       default_action { block {} }
#
#       rule {
#         name     = "AWSManagedRulesCommonRuleSet"
#         priority = 10
#         override_action { none {} }
#         statement {
#           managed_rule_group_statement {
#             vendor_name = "AWS"
#             name        = "AWSManagedRulesCommonRuleSet"
#           }
#         }
#         visibility_config {
#           cloudwatch_metrics_enabled = true
#           metric_name                = "AWSManagedRulesCommonRuleSet"
#           sampled_requests_enabled   = true
#         }
#       }
#       # ... the same for AWSManagedRulesLinuxRuleSet and AWSManagedRulesKnownBadInputsRuleSet
#
#       visibility_config {
#         cloudwatch_metrics_enabled = true
#         metric_name                = "ExternalACL"
#         sampled_requests_enabled   = true
#       }
#     }
#     ```
package archaudit.rules.web_acl_missing_managed_rule_groups

import data.archaudit.lib
import rego.v1

baseline_groups := {
	"AWSManagedRulesCommonRuleSet",
	"AWSManagedRulesLinuxRuleSet",
	"AWSManagedRulesKnownBadInputsRuleSet",
}

deny contains finding if {
	some acl in input.wafv2.web_acls
	albs := internet_facing_albs(acl)
	count(albs) > 0
	missing := baseline_groups - aws_managed_groups(acl)
	count(missing) > 0
	finding := {
		"resource": acl.arn,
		"region": acl.region,
		"message": sprintf(
			"web ACL %s, in front of internet-facing ALB(s) %s, lacks AWS managed rule group(s) %s",
			[acl.name, concat(", ", albs), concat(", ", sort(missing))],
		),
	}
}

aws_managed_groups(acl) := {rule.managed_rule_group.name |
	some rule in acl.rules
	rule.managed_rule_group.vendor == "AWS"
}

internet_facing_albs(acl) := sort({name | some name in albs_by_web_acl[acl.arn]} | {name |
	some arn in acl.associated_resources
	some name in albs_by_arn[arn]
})

# The internet-facing ALBs by the web ACL they name and by their own ARN (for the
# ACL's associated resources), built once per evaluation rather than scanning every
# load balancer for each web ACL (linear in the resources read). Grouped from
# sorted (ARN, name) pairs, not written `albs_by_arn[arn] contains name`, so that
# the rule runs on regorus's RVM, which cannot evaluate that form.
albs_by_web_acl := lib.grouped({[acl_arn, name] |
	some lb in internet_facing
	acl_arn := lb.web_acl_arn
	name := lb.name
})

albs_by_arn := lib.grouped({[arn, name] |
	some lb in internet_facing
	arn := lb.arn
	name := lb.name
})

internet_facing contains lb if {
	some lb in input.elbv2.load_balancers
	lb.type == "application"
	lb.scheme == "internet-facing"
}
