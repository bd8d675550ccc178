# METADATA
# title: Production account allowed to pull images from another account's registry
# description: |
#   The reference gives Production its own ECR registry: the pipeline promotes
#   images into it, so production workloads never depend on the Development or
#   Shared account's registry at run time (a change or an outage there must not
#   reach production, and Development's looser push rights must not decide what
#   production runs). Where a repository policy outside Production grants a
#   Production account pull access, production can (and usually does) pull from it.
#   This is the part of the topology that the snapshot can see: image references
#   inside the cluster are not read.
# custom:
#   id: TOPO007
#   name: production-pulls-from-foreign-registry
#   severity: medium
#   roles: [any]
#   services: [ecr]
#   precision: high
#   references:
#     - "Well-Architected SEC11-BP07: Regularly assess security properties of the pipelines"
#     - "Well-Architected REL10-BP01: Deploy the workload to multiple locations (isolate environments)"
#     - "KubeRocketCI reference architecture: each account has its own ECR registry"
#   remediation: |
#     Replicate or promote images into Production's own registry and remove the
#     cross-account pull grant:
#
#     ```hcl
#     resource "aws_ecr_replication_configuration" "to_production" {
#       replication_configuration {
#         rule {
#           destination {
#             region      = "eu-central-1"
#             registry_id = "571293840655" # Production
#           }
#         }
#       }
#     }
#     ```
#
#     Then drop the production account from `aws_ecr_repository_policy` here.
package archaudit.rules.production_pulls_from_foreign_registry

import data.archaudit.lib
import rego.v1

deny contains finding if {
	input.account.role != "production"
	some repo in input.ecr.repositories
	some statement in as_array(object.get(repo, ["policy", "Statement"], []))
	statement.Effect == "Allow"
	grants_pull(statement)
	some id in named_accounts(statement)
	id != input.account.id
	some account in production_accounts[id]
	finding := {
		"resource": repo.arn,
		"region": repo.region,
		"message": sprintf(
			"repository %s in %s account %s lets production account %s (%s) pull images: production should pull from its own registry",
			[repo.name, input.account.role, input.account.id, account.id, account.name],
		),
	}
}

# Production accounts by id, built once per evaluation so that each statement looks
# up the accounts it names instead of scanning them all (linear in the resources
# read). A set per id, as an organization file may list one id twice. Grouped from
# (id, account) pairs, not as `production_accounts[id] contains a`, so that the rule
# runs on regorus's RVM, which cannot evaluate that form.
production_accounts := lib.grouped({[id, a] |
	some a in input.org.accounts
	a.role == "production"
	id := a.id
})

pull_actions := {"ecr:batchgetimage", "ecr:getdownloadurlforlayer", "ecr:*", "*"}

grants_pull(statement) if {
	some action in as_array(statement.Action)
	lower(action) in pull_actions
}

# The accounts of the statement's AWS principals.
named_accounts(statement) := {id |
	some principal in as_array(object.get(statement, ["Principal", "AWS"], []))
	id := principal_account(principal)
}

# "123456789012", "arn:aws:iam::123456789012:root" or any IAM ARN of the account.
principal_account(p) := p if regex.match(`^[0-9]{12}$`, p)

principal_account(p) := split(p, ":")[4] if startswith(p, "arn:aws:iam::")

as_array(x) := x if is_array(x)

as_array(x) := [x] if not is_array(x)
