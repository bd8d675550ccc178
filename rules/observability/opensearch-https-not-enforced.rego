# METADATA
# title: OpenSearch domain accepts plain HTTP or TLS older than 1.2
# description: |
#   Checks that every OpenSearch Service domain enforces HTTPS on its endpoint and
#   uses a TLS security policy whose minimum version is TLS 1.2. Otherwise clients
#   (log shippers such as Fluent Bit, dashboards users, applications) can send
#   credentials and log data in clear text, or negotiate TLS 1.0/1.1 with its
#   known weaknesses. One finding lists both problems when both apply.
#
#   Every `Policy-Min-TLS-1-2-*` policy passes: `Policy-Min-TLS-1-2-2019-07`,
#   `Policy-Min-TLS-1-2-PFS-2023-10` and the FIPS policy
#   `Policy-Min-TLS-1-2-RFC9151-FIPS-2024-08` (which Trivy AWS-0126 wrongly reports,
#   aquasecurity/trivy#11118), and later TLS 1.2/1.3-minimum policies. A missing
#   policy is reported, since older domains default to `Policy-Min-TLS-1-0-2019-07`.
# custom:
#   id: OBS004
#   name: opensearch-https-not-enforced
#   severity: medium
#   roles: [any]
#   services: [opensearch]
#   precision: high
#   references:
#     - "Well-Architected SEC09-BP02: Enforce encryption in transit"
#     - "Security Hub OpenSearch.8 / AWS Config OPENSEARCH_HTTPS_REQUIRED"
#     - "Prowler opensearch_service_domains_https_communications_enforced; Steampipe opensearch_domain_https_required; Trivy AWS-0046, AWS-0126"
#   remediation: |
#     Enforce HTTPS with a TLS 1.2+ policy (perfect forward secrecy, TLS 1.3 capable):
#
#     ```hcl
#     resource "aws_opensearch_domain" "logs" {
#       domain_name    = "shared-logs"
#       engine_version = "OpenSearch_2.17"
#       # ...
#       domain_endpoint_options {
#         enforce_https       = true
#         tls_security_policy = "Policy-Min-TLS-1-2-PFS-2023-10"
#       }
#     }
#     ```
package archaudit.rules.opensearch_https_not_enforced

import rego.v1

deny contains finding if {
	some domain in input.opensearch.domains
	problems := [problem | some problem in [https_problem(domain), tls_problem(domain)]; problem != ""]
	count(problems) > 0
	finding := {
		"resource": domain.arn,
		"region": domain.region,
		"message": sprintf("OpenSearch domain %s %s", [domain.name, concat(" and ", problems)]),
	}
}

https_problem(domain) := "does not enforce HTTPS (plain HTTP requests are accepted)" if not domain.enforce_https

https_problem(domain) := "" if domain.enforce_https

tls_problem(domain) := sprintf("allows TLS older than 1.2 (TLS security policy %s)", [domain.tls_security_policy]) if {
	domain.tls_security_policy
	not tls12_minimum(domain.tls_security_policy)
}

tls_problem(domain) := "reports no TLS security policy (the old default Policy-Min-TLS-1-0-2019-07 allows TLS 1.0)" if {
	not domain.tls_security_policy
}

tls_problem(domain) := "" if tls12_minimum(domain.tls_security_policy)

# The TLS 1.2-minimum families (2019-07, PFS-2023-10, RFC9151-FIPS-2024-08) and any
# later TLS 1.2 or 1.3 minimum policy.
tls12_minimum(policy) if startswith(policy, "Policy-Min-TLS-1-2-")

tls12_minimum(policy) if startswith(policy, "Policy-Min-TLS-1-3-")
