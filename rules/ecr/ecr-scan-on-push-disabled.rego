# METADATA
# title: ECR repository images are not scanned on push
# description: |
#   Checks that every private ECR repository has its images scanned for known
#   vulnerabilities when they are pushed. A repository counts as scanned when its own
#   scan-on-push setting is on, when its region's registry uses Enhanced scanning
#   (Amazon Inspector), or when the registry's Basic scanning configuration has a
#   SCAN_ON_PUSH rule whose filter matches the repository name. The reference
#   pipelines push Kaniko-built images to `<space>/<codebase>` repositories with no
#   scanning at all, so vulnerable base images and libraries reach production
#   unnoticed.
# custom:
#   id: ECR001
#   name: ecr-scan-on-push-disabled
#   severity: medium
#   roles: [any]
#   services: [ecr]
#   precision: high
#   references:
#     - "Well-Architected SEC06-BP01: Perform vulnerability management"
#     - "EKS Best Practices Guide, Security: Image security (scan images for vulnerabilities regularly)"
#     - "Security Hub ECR.1 / AWS Config ECR_PRIVATE_IMAGE_SCANNING_ENABLED"
#     - "Prowler ecr_repositories_scan_images_on_push_enabled, ecr_registry_scan_images_on_push_enabled; Steampipe ecr_repository_image_scan_on_push_enabled; Trivy AWS-0030"
#   remediation: |
#     Turn on scanning for the whole registry (preferred: it also covers the
#     repositories that pipelines create on the fly), or per repository:
#
#     ```hcl
#     resource "aws_ecr_registry_scanning_configuration" "this" {
#       scan_type = "BASIC"
#       rule {
#         scan_frequency = "SCAN_ON_PUSH"
#         repository_filter {
#           filter      = "*"
#           filter_type = "WILDCARD"
#         }
#       }
#     }
#
#     resource "aws_ecr_repository" "app" {
#       name = "krci/my-service"
#       image_scanning_configuration {
#         scan_on_push = true
#       }
#     }
#     ```
package archaudit.rules.ecr_scan_on_push_disabled

import rego.v1

deny contains finding if {
	some repo in input.ecr.repositories
	not repo.scan_on_push
	not scanned_by_registry(repo)
	finding := {
		"resource": repo.arn,
		"region": repo.region,
		"message": sprintf(
			"ECR repository %s has scan on push disabled and no registry scanning rule in %s covers it",
			[repo.name, repo.region],
		),
	}
}

# Registries by region, built once per evaluation so that each repository looks its
# registry up instead of scanning them all (linear in the resources read).
registries_by_region[region] contains registry if {
	some registry in input.ecr.registries
	region := registry.region
}

# Enhanced scanning (Amazon Inspector) replaces the per-repository setting.
scanned_by_registry(repo) if {
	some registry in registries_by_region[repo.region]
	registry.scan_type == "ENHANCED"
}

# Basic scanning with a registry-level scan-on-push rule matching the repository.
scanned_by_registry(repo) if {
	some registry in registries_by_region[repo.region]
	registry.scan_type == "BASIC"
	some rule in registry.scanning_rules
	rule.scan_frequency == "SCAN_ON_PUSH"
	some filter in rule.filters
	filter_matches(filter, repo.name)
}

# ECR wildcard filters: `*` matches any characters, including `/` and `.`
# (null delimiters; `[]` would make `.` a delimiter).
filter_matches(filter, name) if glob.match(filter, null, name)
