# METADATA
# title: IAM server certificate stored in the account
# description: |
#   Flags every IAM server certificate. IAM's certificate store predates ACM: its
#   certificates are uploaded with their private key, are never renewed, are not
#   shown in the ACM console or its expiry events, and stay behind after they expire.
#   The reference keeps all TLS certificates in ACM; an IAM server certificate is
#   either in use by a listener (see TLS001) or clutter that hides an expired key.
# custom:
#   id: TLS006
#   name: iam-server-certificate-present
#   severity: low
#   roles: [any]
#   services: [iam]
#   precision: very-high
#   references:
#     - "Well-Architected SEC09-BP01: Implement secure key and certificate management"
#     - "CIS AWS Foundations Benchmark 1.19: Ensure that all expired SSL/TLS certificates stored in AWS IAM are removed (related)"
#     - "Prowler iam_no_expired_server_certificates_stored; Trivy AWS-0168 (related: expired only)"
#   remediation: |
#     Move the listener(s) to an ACM certificate, then delete the IAM certificate
#     (`aws iam delete-server-certificate --server-certificate-name <name>`) and its
#     Terraform resource:
#
#     ```hcl
#     # remove: resource "aws_iam_server_certificate" "legacy" { ... }
#     resource "aws_acm_certificate" "ingress" {
#       domain_name       = var.domain
#       validation_method = "DNS"
#     }
#     ```
package archaudit.rules.iam_server_certificate_present

import rego.v1

deny contains finding if {
	some cert in input.iam.server_certificates
	finding := {
		"resource": cert.arn,
		"region": "global",
		"message": sprintf(
			"IAM server certificate %s (uploaded %s) %s; keep TLS certificates in ACM",
			[cert.name, substring(cert.upload_date, 0, 10), expiry(cert)],
		),
	}
}

expiry(cert) := sprintf("expired on %s", [substring(cert.expiration, 0, 10)]) if {
	time.parse_rfc3339_ns(cert.expiration) < time.parse_rfc3339_ns(input.now)
}

expiry(cert) := sprintf("expires on %s", [substring(cert.expiration, 0, 10)]) if {
	time.parse_rfc3339_ns(cert.expiration) >= time.parse_rfc3339_ns(input.now)
}
