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

import data.archaudit.lib
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

# The regions of registries with enhanced scanning, and the filters of the basic
# registries' scan-on-push rules by region: built once per evaluation so that each
# repository looks its region up instead of scanning every registry (linear in the
# resources read). The filters are grouped from sorted (region, filter) pairs, not
# written `filters[region] contains filter`, so that the rule runs on regorus's RVM,
# which cannot evaluate that form.
enhanced_regions := {region |
	some registry in input.ecr.registries
	registry.scan_type == "ENHANCED"
	region := registry.region
}

scan_on_push_filters := lib.grouped({[region, filter] |
	some registry in input.ecr.registries
	registry.scan_type == "BASIC"
	region := registry.region
	some rule in registry.scanning_rules
	rule.scan_frequency == "SCAN_ON_PUSH"
	some filter in rule.filters
})

# Enhanced scanning (Amazon Inspector) replaces the per-repository setting.
scanned_by_registry(repo) if repo.region in enhanced_regions

# Basic scanning with a registry-level scan-on-push rule matching the repository.
scanned_by_registry(repo) if {
	some filter in scan_on_push_filters[repo.region]
	filter_matches(filter, repo.name)
}

# ECR wildcard filters: `*` matches any characters, including `/` and `.`
# (null delimiters; `[]` would make `.` a delimiter).
filter_matches(filter, name) if glob.match(filter, null, name)
