# METADATA
# title: OpenSearch domain not encrypted at rest
# description: |
#   Checks that every OpenSearch Service domain encrypts data at rest (indices,
#   logs, swap files and automated snapshots). The architecture uses OpenSearch
#   for platform and application logs, which routinely contain tokens, user data
#   and internal addresses; without encryption at rest they sit in clear text on
#   the domain's storage and snapshots. Fine-grained access control also requires
#   encryption at rest.
#
#   Encryption at rest can be turned on for an existing domain (OpenSearch, or
#   Elasticsearch 6.7 and later) but not turned off again.
# custom:
#   id: OBS002
#   name: opensearch-not-encrypted-at-rest
#   severity: high
#   roles: [any]
#   services: [opensearch]
#   precision: very-high
#   references:
#     - "Well-Architected SEC08-BP02: Enforce encryption at rest"
#     - "Security Hub OpenSearch.1 / AWS Config OPENSEARCH_ENCRYPTED_AT_REST"
#     - "Prowler opensearch_service_domains_encryption_at_rest_enabled; Steampipe opensearch_domain_encryption_at_rest_enabled; Trivy AWS-0048"
#   remediation: |
#     Turn on encryption at rest, preferably with a customer managed KMS key (the
#     key cannot be changed later):
#
#     ```hcl
#     resource "aws_opensearch_domain" "logs" {
#       domain_name    = "shared-logs"
#       engine_version = "OpenSearch_2.17"
#       # ...
#       encrypt_at_rest {
#         enabled    = true
#         kms_key_id = aws_kms_key.opensearch.arn
#       }
#     }
#     ```
package archaudit.rules.opensearch_not_encrypted_at_rest

import rego.v1

deny contains finding if {
	some domain in input.opensearch.domains
	not domain.encryption_at_rest
	finding := {
		"resource": domain.arn,
		"region": domain.region,
		"message": sprintf(
			"OpenSearch domain %s (%s) does not encrypt data at rest: its indices and snapshots are stored in clear text",
			[domain.name, domain.engine_version],
		),
	}
}
