# METADATA
# title: Load balancer listener allows TLS 1.0 or 1.1
# description: |
#   Flags HTTPS and TLS listeners whose security policy still negotiates TLS 1.0 or
#   TLS 1.1 (for example the console default `ELBSecurityPolicy-2016-08`, or any
#   `ELBSecurityPolicy-TLS13-1-0-*` / `-TLS13-1-1-*` policy). These protocol versions
#   are deprecated (RFC 8996), allow weak CBC and SHA-1 cipher suites, and let a
#   downgrade-capable attacker weaken the connection. The reference ingress ALB uses
#   `ELBSecurityPolicy-TLS13-1-3-2021-06` (earlier `ELBSecurityPolicy-TLS13-1-2-2021-06`).
# custom:
#   id: TLS003
#   name: listener-outdated-tls-policy
#   severity: high
#   roles: [any]
#   services: [elbv2]
#   precision: very-high
#   references:
#     - "Well-Architected SEC09-BP02: Enforce encryption in transit"
#     - "Security Hub ELB.17 / AWS Config ELBV2_PREDEFINED_SECURITY_POLICY_SSL_CHECK"
#     - "Prowler elbv2_insecure_ssl_ciphers; Trivy AWS-0047"
#     - "RFC 8996: Deprecating TLS 1.0 and TLS 1.1"
#   remediation: |
#     Switch the listener to a TLS 1.2+ policy (TLS 1.3 with 1.2 fallback):
#
#     ```hcl
#     resource "aws_lb_listener" "https" {
#       load_balancer_arn = aws_lb.ingress.arn
#       port              = 443
#       protocol          = "HTTPS"
#       ssl_policy        = "ELBSecurityPolicy-TLS13-1-2-2021-06"
#       certificate_arn   = aws_acm_certificate.ingress.arn
#       # default_action { ... }
#     }
#     ```
package archaudit.rules.listener_outdated_tls_policy

import rego.v1

# Predefined ELB policies that still enable TLS 1.0 or TLS 1.1.
outdated_policies := {
	"ELBSecurityPolicy-2016-08",
	"ELBSecurityPolicy-2015-05",
	"ELBSecurityPolicy-TLS-1-0-2015-04",
	"ELBSecurityPolicy-TLS-1-1-2017-01",
	"ELBSecurityPolicy-FS-2018-06",
	"ELBSecurityPolicy-FS-1-1-2019-08",
	"ELBSecurityPolicy-TLS13-1-0-2021-06",
	"ELBSecurityPolicy-TLS13-1-1-2021-06",
}

deny contains finding if {
	some lb in input.elbv2.load_balancers
	some listener in lb.listeners
	listener.protocol in {"HTTPS", "TLS"}
	outdated(listener.ssl_policy)
	finding := {
		"resource": listener.arn,
		"region": lb.region,
		"message": sprintf(
			"%s listener on port %d of %s load balancer %s uses security policy %s, which allows TLS 1.0/1.1",
			[listener.protocol, listener.port, lb.scheme, lb.name, listener.ssl_policy],
		),
	}
}

outdated(policy) if policy in outdated_policies

# Newer TLS 1.3 policy families (FIPS, post-quantum) that keep 1.0 or 1.1 enabled.
outdated(policy) if contains(policy, "TLS13-1-0")

outdated(policy) if contains(policy, "TLS13-1-1")
