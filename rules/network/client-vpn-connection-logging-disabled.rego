# METADATA
# title: Client VPN endpoint does not log connections
# description: |
#   Checks that every Client VPN endpoint logs client connections to CloudWatch
#   Logs. In the reference, developers reach the Development account (and
#   KubeRocketCI itself) through a Client VPN endpoint; its connection log is the
#   only record of who connected, when, from which address and with which
#   certificate or user, and of failed attempts. Without it, a stolen client
#   certificate or credential cannot be traced.
#
#   Endpoints in state `deleting` or `deleted` are not checked.
# custom:
#   id: NET002
#   name: client-vpn-connection-logging-disabled
#   severity: medium
#   roles: [any]
#   services: [ec2-client-vpn]
#   precision: very-high
#   references:
#     - "Well-Architected SEC04-BP01: Configure service and application logging"
#     - "Security Hub EC2.51 / AWS Config EC2_CLIENT_VPN_CONNECTION_LOG_ENABLED"
#     - "Prowler ec2_client_vpn_endpoint_connection_logging_enabled; Steampipe ec2_client_vpn_endpoint_client_connection_logging_enabled"
#   remediation: |
#     Turn on connection logging to a CloudWatch log group with a retention period:
#
#     ```hcl
#     resource "aws_cloudwatch_log_group" "client_vpn" {
#       name              = "/aws/clientvpn/krci-developers-vpn"
#       retention_in_days = 365
#     }
#
#     resource "aws_ec2_client_vpn_endpoint" "developers" {
#       # ...
#       connection_log_options {
#         enabled              = true
#         cloudwatch_log_group = aws_cloudwatch_log_group.client_vpn.name
#       }
#     }
#     ```
package archaudit.rules.client_vpn_connection_logging_disabled

import rego.v1

deny contains finding if {
	some endpoint in input.ec2.client_vpn_endpoints
	not gone(endpoint)
	not endpoint.connection_log_enabled
	finding := {
		"resource": endpoint.arn,
		"region": endpoint.region,
		"message": sprintf(
			"Client VPN endpoint %s does not log client connections, so who connected and when cannot be traced",
			[display_name(endpoint)],
		),
	}
}

gone(endpoint) if endpoint.status in {"deleting", "deleted"}

display_name(endpoint) := sprintf("%s (%s)", [endpoint.description, endpoint.id]) if endpoint.description

display_name(endpoint) := endpoint.id if not endpoint.description
