# METADATA
# title: ACM certificate expires within 30 days or has expired
# description: |
#   Flags ACM certificates whose validity ends less than 30 days after the snapshot,
#   or has already ended. ACM renews DNS-validated Amazon-issued certificates about
#   60 days before expiry, so one this close to its end means renewal is failing
#   (validation record removed, domain moved) or the certificate is imported and
#   nobody re-imported it. When it lapses, browsers and clients reject the ingress
#   ALB and every service behind it is down for them.
#
#   Certificates without an expiry date (pending validation, failed) are left to
#   TLS005.
# custom:
#   id: TLS004
#   name: acm-certificate-expiring
#   severity: high
#   roles: [any]
#   services: [acm]
#   precision: very-high
#   references:
#     - "Well-Architected SEC09-BP01: Implement secure key and certificate management"
#     - "Security Hub ACM.1 / AWS Config ACM_CERTIFICATE_EXPIRATION_CHECK"
#     - "Prowler acm_certificates_expiration_check; Steampipe acm_certificate_expires_30_days"
#   remediation: |
#     Fix renewal (restore the DNS validation CNAME, or re-import a renewed
#     certificate), or replace the certificate with a DNS-validated one whose
#     validation record Terraform manages:
#
#     ```hcl
#     resource "aws_acm_certificate" "ingress" {
#       domain_name               = var.domain
#       subject_alternative_names = ["*.${var.domain}"]
#       validation_method         = "DNS"
#       lifecycle { create_before_destroy = true }
#     }
#
#     resource "aws_route53_record" "validation" {
#       for_each = { for o in aws_acm_certificate.ingress.domain_validation_options : o.domain_name => o }
#       zone_id  = var.zone_id
#       name     = each.value.resource_record_name
#       type     = each.value.resource_record_type
#       records  = [each.value.resource_record_value]
#       ttl      = 300
#       allow_overwrite = true
#     }
#     ```
package archaudit.rules.acm_certificate_expiring

import rego.v1

warn_days := 30

day_ns := ((24 * 60) * 60) * 1000000000

deny contains finding if {
	some cert in input.acm.certificates
	remaining := remaining_ns(cert)
	remaining < warn_days * day_ns
	finding := {
		"resource": cert.arn,
		"region": cert.region,
		"message": sprintf(
			"ACM certificate %s (%s, %s) %s",
			[cert.domain_name, cert.type, usage(cert), when(cert, remaining)],
		),
	}
}

remaining_ns(cert) := time.parse_rfc3339_ns(cert.not_after) - time.parse_rfc3339_ns(input.now)

when(cert, remaining) := sprintf("expires on %s, in %d day(s)", [substring(cert.not_after, 0, 10), floor(remaining / day_ns)]) if {
	remaining >= 0
}

when(cert, remaining) := sprintf("expired on %s, %d day(s) ago", [substring(cert.not_after, 0, 10), floor((0 - remaining) / day_ns)]) if {
	remaining < 0
}

usage(cert) := sprintf("in use by %d resource(s)", [count(cert.in_use_by)]) if count(cert.in_use_by) > 0

usage(cert) := "not in use" if count(cert.in_use_by) == 0
