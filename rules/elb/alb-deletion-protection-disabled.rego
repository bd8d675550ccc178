# METADATA
# title: Application load balancer without deletion protection
# description: |
#   Checks that every application load balancer has deletion protection on
#   (attribute `deletion_protection.enabled`). Without it, one mistaken
#   `terraform destroy`, console click or API call removes the load balancer, its
#   listeners and its DNS name: the platform's ingress goes down and the DNS records
#   and WAF association pointing at it must be rebuilt. The reference ingress ALB
#   turns it on.
#
#   A missing attribute counts as the AWS default (off). Network and gateway load
#   balancers are not checked by this rule.
# custom:
#   id: ELB002
#   name: alb-deletion-protection-disabled
#   severity: low
#   roles: [any]
#   services: [elbv2]
#   precision: medium
#   references:
#     - "Well-Architected REL08-BP05: Deploy changes with automation"
#     - "Security Hub ELB.6 / AWS Config ELB_DELETION_PROTECTION_ENABLED"
#     - "Prowler elbv2_deletion_protection; Steampipe elb_application_lb_deletion_protection_enabled"
#   remediation: |
#     Turn on deletion protection (Terraform must turn it off again before it can
#     replace or destroy the load balancer):
#
#     ```hcl
#     resource "aws_lb" "ingress" {
#       name                       = "shared-ingress-alb"
#       load_balancer_type         = "application"
#       enable_deletion_protection = true
#       # ...
#     }
#     ```
#
#     For ALBs created by the AWS Load Balancer Controller, set the Ingress annotation
#     `alb.ingress.kubernetes.io/load-balancer-attributes: deletion_protection.enabled=true`
#     (the controller then cannot delete the ALB until the attribute is removed).
package archaudit.rules.alb_deletion_protection_disabled

import rego.v1

attribute := "deletion_protection.enabled"

deny contains finding if {
	some lb in input.elbv2.load_balancers
	lb.type == "application"
	not deletion_protected(lb)
	finding := {
		"resource": lb.arn,
		"region": lb.region,
		"message": sprintf(
			"%s ALB %s can be deleted by a single API call: deletion protection is off (%s is %s)",
			[lb.scheme, lb.name, attribute, current_value(lb)],
		),
	}
}

deletion_protected(lb) if lower(lb.attributes[attribute]) == "true"

current_value(lb) := sprintf("\"%s\"", [lb.attributes[attribute]])

current_value(lb) := "not set, so the AWS default false applies" if not lb.attributes[attribute]
