# METADATA
# title: Development account has no Client VPN endpoint
# description: |
#   Checks that the Development account has an AWS Client VPN endpoint in the regions
#   read. In the reference architecture developers reach KubeRocketCI, the cluster API
#   and internal tools in Development through a Client VPN into the VPC. Without it,
#   those services tend to be exposed on the internet (public EKS endpoint open to
#   0.0.0.0/0, internet-facing load balancers for internal tools) or reached through
#   ad-hoc bastion hosts.
# custom:
#   id: TOPO005
#   name: client-vpn-missing
#   severity: medium
#   roles: [development]
#   services: [ec2-client-vpn]
#   precision: medium
#   references:
#     - "Well-Architected SEC05-BP01: Create network layers"
#     - "Well-Architected SEC05-BP02: Control traffic flow within your network layers"
#     - "EKS Best Practices Guide, Security: Infrastructure security (private cluster endpoint, access through a VPN or bastion)"
#     - "KubeRocketCI reference architecture: Development account with a Client VPN endpoint for developer access"
#   remediation: |
#     Create a Client VPN endpoint in the Development VPC with user-based
#     authentication and connection logging:
#
#     ```hcl
#     resource "aws_ec2_client_vpn_endpoint" "developers" {
#       description            = "krci-development developer access"
#       server_certificate_arn = aws_acm_certificate.vpn.arn
#       client_cidr_block      = "10.100.0.0/22"
#       vpc_id                 = module.vpc.vpc_id
#       split_tunnel           = true
#
#       authentication_options {
#         type              = "federated-authentication"
#         saml_provider_arn = aws_iam_saml_provider.sso.arn
#       }
#
#       connection_log_options {
#         enabled              = true
#         cloudwatch_log_group = aws_cloudwatch_log_group.vpn.name
#       }
#     }
#     ```
package archaudit.rules.client_vpn_missing

import rego.v1

deny contains finding if {
	count(input.ec2.client_vpn_endpoints) == 0
	finding := {
		"resource": sprintf("arn:aws:iam::%s:root", [input.account.id]),
		"region": "global",
		"message": sprintf(
			"%s account %s (%s) has no Client VPN endpoint in any region read (%s) for developer access",
			[input.account.role, input.account.name, input.account.id, concat(", ", input.regions)],
		),
	}
}
