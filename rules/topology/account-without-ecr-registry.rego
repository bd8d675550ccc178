# METADATA
# title: Workload account has no ECR repository
# description: |
#   Checks that each Production, Shared and Development account holds at least one
#   private ECR repository in the regions read. In the reference architecture the
#   Development account's pipelines push the images they build to its own ECR, and
#   Production keeps its own registry so that production pulls never depend on a
#   non-production account. An account with no repository at all usually pulls from
#   another account's or a public registry, which breaks that isolation and the
#   promotion path between environments.
# custom:
#   id: TOPO001
#   name: account-without-ecr-registry
#   severity: medium
#   roles: [production, shared, development]
#   services: [ecr]
#   precision: medium
#   references:
#     - "Well-Architected SEC01-BP01: Separate workloads using accounts"
#     - "Well-Architected SEC11-BP05: Centralize services for packages and dependencies"
#     - "KubeRocketCI reference architecture: Development pushes images to its ECR; Production has its own registry"
#   remediation: |
#     Create the account's repositories (pipelines usually create `<space>/<codebase>`
#     repositories on first push when allowed to), with scanning, immutable tags and a
#     lifecycle policy:
#
#     ```hcl
#     resource "aws_ecr_repository" "app" {
#       name                 = "krci/my-service"
#       image_tag_mutability = "IMMUTABLE"
#       image_scanning_configuration {
#         scan_on_push = true
#       }
#       encryption_configuration {
#         encryption_type = "KMS"
#       }
#     }
#     ```
package archaudit.rules.account_without_ecr_registry

import rego.v1

deny contains finding if {
	count(input.ecr.repositories) == 0
	finding := {
		"resource": sprintf("arn:aws:iam::%s:root", [input.account.id]),
		"region": "global",
		"message": sprintf(
			"%s account %s (%s) has no ECR repository in any region read (%s)",
			[input.account.role, input.account.name, input.account.id, concat(", ", input.regions)],
		),
	}
}
