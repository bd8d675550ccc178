# METADATA
# title: Application load balancer forwards invalid HTTP header fields
# description: |
#   Checks that every application load balancer drops HTTP header fields whose
#   names are not valid (attribute `routing.http.drop_invalid_header_fields.enabled`).
#   AWS leaves the attribute off by default, so malformed headers reach the targets
#   (the cluster's ingress controllers and the tools behind them), where differences
#   in header parsing between proxy and backend enable HTTP request smuggling and
#   header-injection attacks. The reference ingress ALB turns it on.
#
#   A missing attribute counts as the AWS default (off). Network and gateway load
#   balancers have no such attribute and are not checked.
# custom:
#   id: ELB001
#   name: alb-invalid-header-fields-not-dropped
#   severity: medium
#   roles: [any]
#   services: [elbv2]
#   precision: very-high
#   references:
#     - "Well-Architected SEC05-BP03: Implement inspection-based protection"
#     - "Security Hub ELB.4 / AWS Config ALB_HTTP_DROP_INVALID_HEADER_ENABLED"
#     - "Prowler elbv2_desync_mitigation_mode; Steampipe elb_application_lb_drop_http_headers; Trivy AWS-0052"
#   remediation: |
#     Turn on dropping of invalid header fields on the load balancer:
#
#     ```hcl
#     resource "aws_lb" "ingress" {
#       name                       = "shared-ingress-alb"
#       load_balancer_type         = "application"
#       drop_invalid_header_fields = true
#       # ...
#     }
#     ```
#
#     For ALBs created by the AWS Load Balancer Controller, set the Ingress annotation
#     `alb.ingress.kubernetes.io/load-balancer-attributes: routing.http.drop_invalid_header_fields.enabled=true`.
package archaudit.rules.alb_invalid_header_fields_not_dropped

import rego.v1

attribute := "routing.http.drop_invalid_header_fields.enabled"

deny contains finding if {
	some lb in input.elbv2.load_balancers
	lb.type == "application"
	not drops_invalid_headers(lb)
	finding := {
		"resource": lb.arn,
		"region": lb.region,
		"message": sprintf(
			"%s ALB %s forwards invalid HTTP header fields to its targets (%s is %s)",
			[lb.scheme, lb.name, attribute, current_value(lb)],
		),
	}
}

drops_invalid_headers(lb) if lower(lb.attributes[attribute]) == "true"

current_value(lb) := sprintf("\"%s\"", [lb.attributes[attribute]])

current_value(lb) := "not set, so the AWS default false applies" if not lb.attributes[attribute]
