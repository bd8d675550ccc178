# METADATA
# title: ECR repository without a lifecycle policy
# description: |
#   Checks that every ECR repository has a lifecycle policy. Pipelines push an image
#   per build (the reference's Kaniko tasks push every commit of every codebase), so
#   without expiry rules repositories grow without bound: storage cost rises, old
#   images full of known vulnerabilities stay pullable, and scan findings drown in
#   images nobody runs. The reference sets no lifecycle policies.
# custom:
#   id: ECR003
#   name: ecr-repository-without-lifecycle-policy
#   severity: low
#   roles: [any]
#   services: [ecr]
#   precision: high
#   references:
#     - "Well-Architected COST04-BP05: Enforce data retention policies"
#     - "Well-Architected SUS04-BP03: Use policies to manage the lifecycle of your datasets"
#     - "Security Hub ECR.3 / AWS Config ECR_PRIVATE_LIFECYCLE_POLICY_CONFIGURED"
#     - "Prowler ecr_repositories_lifecycle_policy_enabled; Steampipe ecr_repository_lifecycle_policy_configured"
#   remediation: |
#     Add a lifecycle policy that expires untagged images and keeps a bounded number
#     of tagged ones:
#
#     ```hcl
#     resource "aws_ecr_lifecycle_policy" "app" {
#       repository = aws_ecr_repository.app.name
#       policy = jsonencode({
#         rules = [
#           {
#             rulePriority = 1
#             description  = "Expire untagged images after 14 days"
#             selection = {
#               tagStatus   = "untagged"
#               countType   = "sinceImagePushed"
#               countUnit   = "days"
#               countNumber = 14
#             }
#             action = { type = "expire" }
#           },
#           {
#             rulePriority = 2
#             description  = "Keep the last 100 images"
#             selection = {
#               tagStatus   = "any"
#               countType   = "imageCountMoreThan"
#               countNumber = 100
#             }
#             action = { type = "expire" }
#           }
#         ]
#       })
#     }
#     ```
package archaudit.rules.ecr_repository_without_lifecycle_policy

import rego.v1

deny contains finding if {
	some repo in input.ecr.repositories
	not repo.has_lifecycle_policy
	finding := {
		"resource": repo.arn,
		"region": repo.region,
		"message": sprintf("ECR repository %s has no lifecycle policy, so old images are never expired", [repo.name]),
	}
}
