# METADATA
# title: Internet-facing application load balancer without a WAF web ACL
# description: |
#   An internet-facing ALB takes traffic straight from the internet. The reference
#   architecture puts a regional WAFv2 web ACL (`ExternalACL`: default action Block,
#   a Host-header allow rule, the AWS managed Common, Linux and KnownBadInputs rule
#   groups) in front of the external ingress ALB. Without one, common exploits and
#   scanners reach the cluster's ingress controllers unfiltered.
#
#   Internal ALBs are not flagged, and an association made outside Terraform (for
#   example by Firewall Manager) counts as protection.
# custom:
#   id: WAF001
#   name: alb-without-waf
#   severity: high
#   roles: [any]
#   services: [elbv2, wafv2]
#   precision: very-high
#   references:
#     - "Well-Architected SEC05-BP02: Control traffic flow within your network layers"
#     - "Security Hub ELB.16 / AWS Config ALB_WAF_ENABLED"
#     - "Prowler elbv2_waf_acl_attached; Steampipe elb_application_lb_waf_enabled"
#   remediation: |
#     Associate a regional WAFv2 web ACL with the load balancer:
#
#     ```hcl
#     resource "aws_wafv2_web_acl_association" "ingress" {
#       resource_arn = aws_lb.ingress.arn
#       web_acl_arn  = aws_wafv2_web_acl.external.arn
#     }
#     ```
package archaudit.rules.alb_without_waf

import rego.v1

deny contains finding if {
	some lb in input.elbv2.load_balancers
	lb.type == "application"
	lb.scheme == "internet-facing"
	not protected(lb)
	finding := {
		"resource": lb.arn,
		"region": lb.region,
		"message": sprintf("internet-facing ALB %s has no WAFv2 web ACL associated", [lb.name]),
	}
}

protected(lb) if lb.web_acl_arn

protected(lb) if lb.arn in acl_associated

# The resources associated with any web ACL, built once per evaluation rather than
# scanning every web ACL for each load balancer (linear in the resources read).
acl_associated contains arn if {
	some acl in input.wafv2.web_acls
	some arn in acl.associated_resources
}
