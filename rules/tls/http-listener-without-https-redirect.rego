# METADATA
# title: Plain-HTTP ALB listener does not redirect to HTTPS
# description: |
#   Flags HTTP listeners of application load balancers whose default actions contain
#   no redirect to protocol HTTPS. Such a listener serves (or forwards) requests in
#   clear text, so credentials, session cookies and tokens can be read or altered on
#   the way. The reference ingress ALB answers port 80 only with a permanent (301)
#   redirect to HTTPS on 443.
#
#   Network load balancers and HTTPS listeners are not checked; a redirect that keeps
#   the original protocol (`#{protocol}`) does not count.
# custom:
#   id: TLS002
#   name: http-listener-without-https-redirect
#   severity: medium
#   roles: [any]
#   services: [elbv2]
#   precision: high
#   references:
#     - "Well-Architected SEC09-BP02: Enforce encryption in transit"
#     - "Security Hub ELB.1 / AWS Config ALB_HTTP_TO_HTTPS_REDIRECTION_CHECK"
#     - "Prowler elbv2_ssl_listeners; Steampipe elb_application_lb_redirect_http_request_to_https; Trivy AWS-0054"
#   remediation: |
#     Make the port 80 listener's default action a permanent redirect to HTTPS:
#
#     ```hcl
#     resource "aws_lb_listener" "http" {
#       load_balancer_arn = aws_lb.ingress.arn
#       port              = 80
#       protocol          = "HTTP"
#
#       default_action {
#         type = "redirect"
#         redirect {
#           port        = "443"
#           protocol    = "HTTPS"
#           status_code = "HTTP_301"
#         }
#       }
#     }
#     ```
package archaudit.rules.http_listener_without_https_redirect

import rego.v1

deny contains finding if {
	some lb in input.elbv2.load_balancers
	lb.type == "application"
	some listener in lb.listeners
	listener.protocol == "HTTP"
	not redirects_to_https(listener)
	finding := {
		"resource": listener.arn,
		"region": lb.region,
		"message": sprintf(
			"HTTP listener on port %d of %s ALB %s does not redirect to HTTPS (default action: %s)",
			[listener.port, lb.scheme, lb.name, default_action_types(listener)],
		),
	}
}

redirects_to_https(listener) if {
	some action in listener.default_actions
	action.type == "redirect"
	upper(action.redirect.protocol) == "HTTPS"
}

default_action_types(listener) := "none" if count(listener.default_actions) == 0

# `is_string(d)`: regorus's RVM keeps an undefined `d` in an array otherwise.
default_action_types(listener) := concat(", ", [d | some action in listener.default_actions; d := describe(action); is_string(d)]) if {
	count(listener.default_actions) > 0
}

describe(action) := sprintf("redirect to %s", [action.redirect.protocol]) if {
	action.type == "redirect"
	action.redirect.protocol
}

describe(action) := action.type if {
	not action.redirect.protocol
}
