# METADATA
# title: OpenSearch domain does not encrypt traffic between nodes
# description: |
#   Checks that every OpenSearch Service domain has node-to-node encryption on.
#   Without it, the nodes of a domain replicate shards and forward search requests
#   to each other unencrypted, so anyone able to capture traffic in the domain's
#   network reads the indexed logs. Fine-grained access control also requires
#   node-to-node encryption.
#
#   It can be turned on for an existing domain (OpenSearch, or Elasticsearch 6.7
#   and later) but not turned off again.
# custom:
#   id: OBS003
#   name: opensearch-node-to-node-encryption-disabled
#   severity: medium
#   roles: [any]
#   services: [opensearch]
#   precision: very-high
#   references:
#     - "Well-Architected SEC09-BP02: Enforce encryption in transit"
#     - "Security Hub OpenSearch.3 / AWS Config OPENSEARCH_NODE_TO_NODE_ENCRYPTION_CHECK"
#     - "Prowler opensearch_service_domains_node_to_node_encryption_enabled; Steampipe opensearch_domain_node_to_node_encryption_enabled; Trivy AWS-0043"
#   remediation: |
#     Turn on node-to-node encryption:
#
#     ```hcl
#     resource "aws_opensearch_domain" "logs" {
#       domain_name    = "shared-logs"
#       engine_version = "OpenSearch_2.17"
#       # ...
#       node_to_node_encryption {
#         enabled = true
#       }
#     }
#     ```
package archaudit.rules.opensearch_node_to_node_encryption_disabled

import rego.v1

deny contains finding if {
	some domain in input.opensearch.domains
	not domain.node_to_node_encryption
	finding := {
		"resource": domain.arn,
		"region": domain.region,
		"message": sprintf(
			"OpenSearch domain %s (%s) sends data between its nodes unencrypted (node-to-node encryption is off)",
			[domain.name, domain.engine_version],
		),
	}
}
