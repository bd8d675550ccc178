# METADATA
# title: Client VPN endpoint authenticates devices by certificate only
# description: |
#   Checks that every Client VPN endpoint identifies the user, through Active
#   Directory (`directory-service-authentication`) or a SAML identity provider
#   (`federated-authentication`), not only a client certificate. With mutual
#   certificate authentication alone, anyone holding a copy of a certificate and
#   key connects; there is no MFA, no per-user authorization rule, and the
#   connection log names a certificate, not a person. Leavers keep access until
#   their certificate is revoked in the endpoint's revocation list.
#
#   Endpoints that combine certificates with AD or SAML pass. Endpoints in state
#   `deleting` or `deleted` are not checked.
# custom:
#   id: NET003
#   name: client-vpn-certificate-only-auth
#   severity: low
#   roles: [any]
#   services: [ec2-client-vpn]
#   precision: high
#   references:
#     - "Well-Architected SEC02-BP04: Rely on a centralized identity provider"
#     - "Well-Architected SEC02-BP01: Use strong sign-in mechanisms"
#     - "AWS Client VPN Administrator Guide: Client authentication (Active Directory, mutual, single sign-on (SAML-based federated))"
#   remediation: |
#     Add SAML federation (for example with IAM Identity Center or Keycloak) next
#     to, or instead of, mutual certificate authentication, and use authorization
#     rules per group:
#
#     ```hcl
#     resource "aws_ec2_client_vpn_endpoint" "developers" {
#       # ...
#       authentication_options {
#         type                       = "certificate-authentication"
#         root_certificate_chain_arn = aws_acm_certificate.vpn_client_ca.arn
#       }
#       authentication_options {
#         type              = "federated-authentication"
#         saml_provider_arn = aws_iam_saml_provider.vpn.arn
#       }
#     }
#
#     resource "aws_ec2_client_vpn_authorization_rule" "developers" {
#       client_vpn_endpoint_id = aws_ec2_client_vpn_endpoint.developers.id
#       target_network_cidr    = module.vpc.vpc_cidr_block
#       access_group_id        = "krci-developers"
#     }
#     ```
package archaudit.rules.client_vpn_certificate_only_auth

import rego.v1

user_identity_types := {"directory-service-authentication", "federated-authentication"}

deny contains finding if {
	some endpoint in input.ec2.client_vpn_endpoints
	not gone(endpoint)
	not identifies_users(endpoint)
	finding := {
		"resource": endpoint.arn,
		"region": endpoint.region,
		"message": sprintf(
			"Client VPN endpoint %s does not identify users (authentication: %s): anyone holding a client certificate can connect",
			[display_name(endpoint), authentication(endpoint)],
		),
	}
}

identifies_users(endpoint) if {
	some auth_type in endpoint.authentication_types
	auth_type in user_identity_types
}

gone(endpoint) if endpoint.status in {"deleting", "deleted"}

authentication(endpoint) := concat(", ", endpoint.authentication_types) if count(endpoint.authentication_types) > 0

authentication(endpoint) := "none reported" if count(endpoint.authentication_types) == 0

display_name(endpoint) := sprintf("%s (%s)", [endpoint.description, endpoint.id]) if endpoint.description

display_name(endpoint) := endpoint.id if not endpoint.description
