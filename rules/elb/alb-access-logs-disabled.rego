# METADATA
# title: Application load balancer access logs disabled
# description: |
#   Checks that every application load balancer writes access logs to S3
#   (attribute `access_logs.s3.enabled`). Access logs are the only record of each
#   request the ALB received: client IP, path, TLS protocol and cipher, target,
#   status and the WAF action. Without them, attacks against the ingress, scanning
#   and misrouted traffic cannot be investigated after the fact. The reference
#   ingress ALB turns them on.
#
#   A missing attribute counts as the AWS default (off). Network and gateway load
#   balancers are not checked by this rule.
# custom:
#   id: ELB003
#   name: alb-access-logs-disabled
#   severity: medium
#   roles: [any]
#   services: [elbv2]
#   precision: high
#   references:
#     - "Well-Architected SEC04-BP01: Configure service and application logging"
#     - "Security Hub ELB.5 / AWS Config ELB_LOGGING_ENABLED"
#     - "Prowler elbv2_logging_enabled; Steampipe elb_application_classic_lb_logging_enabled"
#   remediation: |
#     Send access logs to an S3 bucket whose policy lets Elastic Load Balancing write
#     to it (SSE-S3 encryption; SSE-KMS is not supported for access logs):
#
#     ```hcl
#     data "aws_elb_service_account" "this" {}
#
#     resource "aws_lb" "ingress" {
#       name               = "shared-ingress-alb"
#       load_balancer_type = "application"
#       # ...
#       access_logs {
#         bucket  = aws_s3_bucket.alb_logs.id
#         prefix  = "shared-ingress-alb"
#         enabled = true
#       }
#     }
#
#     data "aws_iam_policy_document" "alb_logs" {
#       statement {
#         actions   = ["s3:PutObject"]
#         resources = ["${aws_s3_bucket.alb_logs.arn}/shared-ingress-alb/AWSLogs/${data.aws_caller_identity.current.account_id}/*"]
#         principals {
#           type        = "AWS"
#           identifiers = [data.aws_elb_service_account.this.arn]
#         }
#       }
#     }
#     ```
#
#     For ALBs created by the AWS Load Balancer Controller, set the Ingress annotation
#     `alb.ingress.kubernetes.io/load-balancer-attributes: access_logs.s3.enabled=true,access_logs.s3.bucket=<bucket>,access_logs.s3.prefix=<prefix>`.
package archaudit.rules.alb_access_logs_disabled

import rego.v1

attribute := "access_logs.s3.enabled"

deny contains finding if {
	some lb in input.elbv2.load_balancers
	lb.type == "application"
	not logs_enabled(lb)
	finding := {
		"resource": lb.arn,
		"region": lb.region,
		"message": sprintf(
			"%s ALB %s writes no access logs (%s is %s)",
			[lb.scheme, lb.name, attribute, current_value(lb)],
		),
	}
}

logs_enabled(lb) if lower(lb.attributes[attribute]) == "true"

current_value(lb) := sprintf("\"%s\"", [lb.attributes[attribute]])

current_value(lb) := "not set, so the AWS default false applies" if not lb.attributes[attribute]
