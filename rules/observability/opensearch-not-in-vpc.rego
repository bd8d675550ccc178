# METADATA
# title: OpenSearch domain has a public endpoint
# description: |
#   Checks that every OpenSearch Service domain lives in a VPC. A domain outside a
#   VPC has an endpoint reachable from the whole internet, protected only by its
#   resource-based access policy (and fine-grained access control, when on); one
#   over-broad policy statement exposes every indexed log. In a VPC, security
#   groups restrict who can reach it at all, and log shippers in the EKS clusters
#   reach it privately.
#
#   A domain cannot be moved into a VPC: a new domain must be created and the data
#   restored from a snapshot or re-shipped.
# custom:
#   id: OBS005
#   name: opensearch-not-in-vpc
#   severity: medium
#   roles: [any]
#   services: [opensearch]
#   precision: high
#   references:
#     - "Well-Architected SEC05-BP01: Create network layers"
#     - "Security Hub OpenSearch.2 / AWS Config OPENSEARCH_IN_VPC_ONLY"
#     - "Prowler opensearch_service_domains_not_publicly_accessible; Steampipe opensearch_domain_in_vpc"
#   remediation: |
#     Create the domain in the VPC's private subnets with a dedicated security
#     group, then restore a snapshot (or re-ship the logs) and retire the public one:
#
#     ```hcl
#     resource "aws_opensearch_domain" "logs" {
#       domain_name    = "shared-logs"
#       engine_version = "OpenSearch_2.17"
#       # ...
#       vpc_options {
#         subnet_ids         = module.vpc.private_subnets
#         security_group_ids = [aws_security_group.opensearch.id]
#       }
#     }
#     ```
package archaudit.rules.opensearch_not_in_vpc

import rego.v1

deny contains finding if {
	some domain in input.opensearch.domains
	not domain.vpc_id
	finding := {
		"resource": domain.arn,
		"region": domain.region,
		"message": sprintf(
			"OpenSearch domain %s is not in a VPC: its endpoint is reachable from the internet, guarded only by %s",
			[domain.name, guards(domain)],
		),
	}
}

guards(domain) := "its access policy and fine-grained access control" if domain.fine_grained_access_control

guards(domain) := "its access policy (fine-grained access control is off)" if not domain.fine_grained_access_control
