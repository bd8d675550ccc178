# METADATA
# title: Production ECR repository allows tags to be overwritten
# description: |
#   Checks that ECR repositories in the Production account have immutable image tags.
#   With mutable tags, pushing `my-service:1.4.2` again silently replaces the image
#   that production manifests and Argo CD refer to: a rollback may redeploy different
#   code, two nodes may run different images under one tag, and a compromised pipeline
#   can swap an already-approved release. Production deploys promoted releases and
#   should never have tags rewritten.
# custom:
#   id: ECR002
#   name: ecr-mutable-tags-in-production
#   severity: medium
#   roles: [production]
#   services: [ecr]
#   precision: high
#   references:
#     - "Well-Architected REL08-BP04: Deploy using immutable infrastructure"
#     - "EKS Best Practices Guide, Security: Image security (use immutable tags with ECR)"
#     - "Security Hub ECR.2 / AWS Config ECR_PRIVATE_TAG_IMMUTABILITY_ENABLED"
#     - "Prowler ecr_repositories_tag_immutability; Steampipe ecr_repository_tag_immutability_enabled; Trivy AWS-0031"
#   remediation: |
#     Make the repository's tags immutable (promote releases with new tags, never by
#     re-pushing an existing one):
#
#     ```hcl
#     resource "aws_ecr_repository" "app" {
#       name                 = "krci/my-service"
#       image_tag_mutability = "IMMUTABLE"
#     }
#     ```
package archaudit.rules.ecr_mutable_tags_in_production

import rego.v1

deny contains finding if {
	some repo in input.ecr.repositories
	repo.image_tag_mutability == "MUTABLE"
	finding := {
		"resource": repo.arn,
		"region": repo.region,
		"message": sprintf(
			"production ECR repository %s has mutable image tags, so a pushed tag can be overwritten",
			[repo.name],
		),
	}
}
