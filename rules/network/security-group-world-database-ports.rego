# METADATA
# title: Security group admits the internet to a database or data-store port
# description: |
#   Checks every security group for an ingress rule from 0.0.0.0/0 or ::/0 whose TCP
#   port range includes a database or data-store port: MySQL/Aurora 3306, PostgreSQL
#   5432, SQL Server 1433-1434, Oracle 1521/2483/2484, MongoDB 27017-27018, Redis 6379,
#   Memcached 11211, Cassandra 7199/9042/9160, Elasticsearch/OpenSearch 9200/9300,
#   Kibana/Dashboards 5601 and Kafka 9092. Data stores exposed to the internet are
#   found by scanners and emptied or ransomed; the reference keeps RDS, EFS and
#   OpenSearch reachable from the EKS nodes only.
#
#   Rules of every protocol or every port are NET008's finding and are not repeated
#   here.
# custom:
#   id: NET006
#   name: security-group-world-database-ports
#   severity: high
#   roles: [any]
#   services: [ec2]
#   precision: very-high
#   references:
#     - "Well-Architected SEC05-BP01: Create network layers"
#     - "Security Hub EC2.19 (high-risk ports include 1433, 1434, 3306, 5432, 5601, 9200, 9300)"
#     - "Prowler ec2_securitygroup_allow_ingress_from_internet_to_tcp_port_mysql_3306, ..._postgres_5432, ..._sql_server_1433_1434, ..._oracle_1521_2483, ..._mongodb_27017_27018, ..._redis_6379, ..._memcached_11211, ..._cassandra_7199_9160_8888, ..._elasticsearch_kibana_9200_9300_5601, ..._kafka_9092"
#   remediation: |
#     Admit the database port from the application's security group only:
#
#     ```hcl
#     resource "aws_vpc_security_group_ingress_rule" "postgres_from_nodes" {
#       security_group_id            = aws_security_group.rds.id
#       ip_protocol                  = "tcp"
#       from_port                    = 5432
#       to_port                      = 5432
#       referenced_security_group_id = module.eks.node_security_group_id
#     }
#     ```
package archaudit.rules.security_group_world_database_ports

import rego.v1

watched := {1433, 1434, 1521, 2483, 2484, 3306, 5432, 5601, 6379, 7199, 9042, 9092, 9160, 9200, 9300, 11211, 27017, 27018}

deny contains finding if {
	some group in input.ec2.security_groups
	exposed := {sprintf("%s (%s from %s)", [rule.id, ports(rule), source(rule)]) |
		some rule in group.ingress
		rule.protocol in {"tcp", "6"}
		rule.from_port <= highest
		lowest <= rule.to_port
		world(rule)
		exposes(rule)
		not all_ports(rule)
	}
	count(exposed) > 0
	finding := {
		"resource": group.arn,
		"region": group.region,
		"message": sprintf("security group %s (%s) admits the internet to a database port: %s", [group.name, group.id, concat(", ", sort(exposed))]),
	}
}

# A rule whose range includes a watched port (a TCP rule: the protocol is tested
# before): one lookup for a single port, a scan of the watched ports for a range.
exposes(rule) if {
	rule.from_port == rule.to_port
	rule.from_port in watched
}

exposes(rule) if {
	rule.from_port != rule.to_port
	some port in watched
	rule.from_port <= port
	port <= rule.to_port
}

# The watched ports' bounds: a range outside them is left out before anything else.
lowest := min(watched)

highest := max(watched)

# Every address: 0.0.0.0/0 or ::/0.
world(rule) if rule.cidr_ipv4 == "0.0.0.0/0"

world(rule) if rule.cidr_ipv6 == "::/0"

source(rule) := rule.cidr_ipv4 if rule.cidr_ipv4

source(rule) := rule.cidr_ipv6 if rule.cidr_ipv6

# Every protocol, or every TCP port: NET008's finding, not repeated here.
all_ports(rule) if rule.protocol == "-1"

all_ports(rule) if {
	rule.protocol in {"tcp", "6"}
	rule.from_port <= 0
	rule.to_port >= 65535
}

ports(rule) := "all traffic" if rule.protocol == "-1"

ports(rule) := sprintf("%s %d", [rule.protocol, rule.from_port]) if {
	rule.protocol != "-1"
	rule.from_port == rule.to_port
}

ports(rule) := sprintf("%s %d-%d", [rule.protocol, rule.from_port, rule.to_port]) if {
	rule.protocol != "-1"
	rule.from_port != rule.to_port
}
