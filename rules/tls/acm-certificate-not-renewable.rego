# METADATA
# title: ACM certificate failed or cannot be renewed while in use
# description: |
#   Flags ACM certificates whose status is FAILED (the request never validated:
#   CAA record, unvalidated domain, or an ACM refusal), and certificates that are in
#   use but whose renewal eligibility is INELIGIBLE: imported certificates, and
#   Amazon-issued ones ACM will not renew. Such a certificate will expire on a
#   load balancer unless someone replaces it by hand, which is exactly the outage
#   ACM's managed renewal exists to prevent.
# custom:
#   id: TLS005
#   name: acm-certificate-not-renewable
#   severity: medium
#   roles: [any]
#   services: [acm]
#   precision: high
#   references:
#     - "Well-Architected SEC09-BP01: Implement secure key and certificate management"
#     - "ACM User Guide: Managed certificate renewal (renewal eligibility)"
#     - "Security Hub ACM.1 (related: expiry, not renewability)"
#   remediation: |
#     Replace imported or ineligible certificates with DNS-validated Amazon-issued
#     ones (ACM renews those while the validation record exists), and delete failed
#     requests after fixing their cause:
#
#     ```hcl
#     resource "aws_acm_certificate" "ingress" {
#       domain_name               = var.domain
#       subject_alternative_names = ["*.${var.domain}"]
#       validation_method         = "DNS"
#       lifecycle { create_before_destroy = true }
#     }
#
#     resource "aws_acm_certificate_validation" "ingress" {
#       certificate_arn         = aws_acm_certificate.ingress.arn
#       validation_record_fqdns = [for r in aws_route53_record.validation : r.fqdn]
#     }
#     ```
package archaudit.rules.acm_certificate_not_renewable

import rego.v1

deny contains finding if {
	some cert in input.acm.certificates
	problems := array.concat(failed(cert), ineligible_in_use(cert))
	count(problems) > 0
	finding := {
		"resource": cert.arn,
		"region": cert.region,
		"message": sprintf("ACM certificate %s (%s): %s", [cert.domain_name, cert.type, concat("; ", problems)]),
	}
}

# Each problem as a list of zero or one message: an array comprehension over a
# function that may be undefined is undefined on regorus's RVM when empty.
failed(cert) := ["status is FAILED"] if {
	cert.status == "FAILED"
} else := []

ineligible_in_use(cert) := [msg] if {
	count(cert.in_use_by) > 0
	cert.renewal_eligibility == "INELIGIBLE"
	msg := sprintf("in use by %d resource(s) but not eligible for managed renewal", [count(cert.in_use_by)])
} else := []
