# METADATA
# title: Load balancer listener serves an IAM server certificate
# description: |
#   Flags HTTPS and TLS listeners whose certificate list contains an IAM server
#   certificate (`arn:aws:iam::<account>:server-certificate/...`) instead of an ACM
#   certificate. IAM server certificates are uploaded by hand: nothing renews them,
#   nothing warns before they expire, and the private key has passed through
#   someone's workstation. The reference ingress ALB uses a DNS-validated ACM
#   certificate for `<domain>` and `*.<domain>`, which ACM renews automatically.
# custom:
#   id: TLS001
#   name: listener-uses-iam-server-certificate
#   severity: medium
#   roles: [any]
#   services: [elbv2]
#   precision: very-high
#   references:
#     - "Well-Architected SEC09-BP01: Implement secure key and certificate management"
#     - "AWS Config ELBV2_ACM_CERTIFICATE_REQUIRED"
#     - "Steampipe elb_application_network_lb_use_ssl_certificate (related)"
#   remediation: |
#     Request (or import) the certificate in ACM, attach it to the listener, then
#     delete the IAM server certificate:
#
#     ```hcl
#     resource "aws_acm_certificate" "ingress" {
#       domain_name               = var.domain
#       subject_alternative_names = ["*.${var.domain}"]
#       validation_method         = "DNS"
#     }
#
#     resource "aws_lb_listener" "https" {
#       load_balancer_arn = aws_lb.ingress.arn
#       port              = 443
#       protocol          = "HTTPS"
#       ssl_policy        = "ELBSecurityPolicy-TLS13-1-2-2021-06"
#       certificate_arn   = aws_acm_certificate.ingress.arn
#       # default_action { ... }
#     }
#     ```
package archaudit.rules.listener_uses_iam_server_certificate

import rego.v1

deny contains finding if {
	some lb in input.elbv2.load_balancers
	some listener in lb.listeners
	tls_listener(listener)
	certs := iam_certificate_names(listener)
	count(certs) > 0
	finding := {
		"resource": listener.arn,
		"region": lb.region,
		"message": sprintf(
			"%s listener on port %d of load balancer %s serves IAM server certificate(s) %s instead of an ACM certificate",
			[listener.protocol, listener.port, lb.name, concat(", ", certs)],
		),
	}
}

tls_listener(listener) if listener.protocol in {"HTTPS", "TLS"}

iam_certificate_names(listener) := sort([name |
	some arn in listener.certificates
	contains(arn, ":server-certificate/")
	name := certificate_name(arn)
])

# The certificate's name is the last path segment of its ARN.
certificate_name(arn) := name if {
	parts := split(arn, "/")
	name := parts[count(parts) - 1]
}
