# METADATA
# title: Launch template or instance allows IMDSv1, or lets pods reach IMDS
# description: |
#   Checks the default version of every EC2 launch template (the reference builds its EKS
#   nodes from launch templates) for metadata options that require IMDSv2 tokens with a
#   PUT response hop limit of 1, and every running instance for IMDSv2 being required.
#   With IMDSv1 an SSRF bug in any pod or process can read the node role's credentials;
#   with a hop limit above 1, every pod on the node can reach IMDS and act as the node
#   role instead of its own IRSA / Pod Identity role. The reference sets IMDSv2 required,
#   hop limit 1.
#
#   A template without metadata options is flagged (instance defaults then depend on the
#   AMI and account settings). Templates and instances with the metadata endpoint disabled
#   are not flagged; an unknown hop limit is not flagged.
# custom:
#   id: EKS005
#   name: node-imdsv1-allowed
#   severity: high
#   roles: [any]
#   services: [ec2]
#   precision: high
#   references:
#     - "Well-Architected SEC06-BP02: Provision compute from hardened images"
#     - "EKS Best Practices Guide, Identity and Access Management: Restrict access to the instance profile assigned to the worker node"
#     - "Security Hub EC2.8 (instances) and EC2.170 (launch templates) / AWS Config EC2_IMDSV2_CHECK"
#     - "Prowler ec2_instance_imdsv2_enabled; Trivy AWS-0028"
#   remediation: |
#     Require IMDSv2 with a hop limit of 1 in the node launch template, then roll the
#     nodes (pods use IRSA or EKS Pod Identity instead of the node role):
#
#     ```hcl
#     resource "aws_launch_template" "nodes" {
#       # ...
#       metadata_options {
#         http_endpoint               = "enabled"
#         http_tokens                 = "required"
#         http_put_response_hop_limit = 1
#       }
#     }
#     ```
package archaudit.rules.node_imdsv1_allowed

import rego.v1

deny contains finding if {
	some template in input.ec2.launch_templates
	problems := template_problems(template)
	count(problems) > 0
	finding := {
		"resource": template.arn,
		"region": template.region,
		"message": sprintf("launch template %s (default version %d) %s", [template.name, template.default_version, concat(" and ", sort(problems))]),
	}
}

deny contains finding if {
	some instance in input.ec2.instances
	instance.state == "running"
	metadata_endpoint_enabled(instance.metadata_options)
	instance.metadata_options.http_tokens != "required"
	finding := {
		"resource": instance.arn,
		"region": instance.region,
		"message": sprintf("running instance %s%s allows IMDSv1 (http_tokens %s)", [instance.id, name_suffix(instance), instance.metadata_options.http_tokens]),
	}
}

template_problems(template) := {"sets no metadata options, so IMDSv1 may be allowed"} if {
	not template.metadata_options
}

template_problems(template) := problems if {
	options := template.metadata_options
	metadata_endpoint_enabled(options)
	problems := option_problems(options)
}

template_problems(template) := set() if {
	options := template.metadata_options
	is_object(options) # (regorus's RVM does not check an assigned value is defined)
	not metadata_endpoint_enabled(options)
}

option_problems(options) := tokens_problems(options) | hop_limit_problems(options)

tokens_problems(options) := {"does not set http_tokens to required (IMDSv1 allowed)"} if not options.http_tokens

tokens_problems(options) := {sprintf("sets http_tokens %s (IMDSv1 allowed)", [options.http_tokens])} if {
	options.http_tokens != "required"
}

tokens_problems(options) := set() if options.http_tokens == "required"

hop_limit_problems(options) := {p |
	options.http_put_response_hop_limit > 1
	p := sprintf("sets a metadata hop limit of %d (pods can reach IMDS)", [options.http_put_response_hop_limit])
}

metadata_endpoint_enabled(options) if not options.http_endpoint == "disabled"

name_suffix(instance) := sprintf(" (%s)", [instance.tags.Name]) if instance.tags.Name

name_suffix(instance) := "" if not instance.tags.Name
