# METADATA
# title: EKS secrets encryption key disabled or pending deletion
# description: |
#   Checks the KMS key each EKS cluster envelope-encrypts its Kubernetes secrets with,
#   when the key is in the account's snapshot: a key that is disabled or scheduled for
#   deletion cannot decrypt, and the cluster goes into a degraded state where secrets
#   (service account tokens, database passwords, TLS keys of the platform) can no longer
#   be read; once the key is deleted the cluster cannot be recovered. In the reference
#   the key is `alias/eks/<cluster>`. No peer tool checks the pair.
# custom:
#   id: KMS004
#   name: eks-secrets-key-not-usable
#   severity: critical
#   roles: [any]
#   services: [eks, kms]
#   precision: very-high
#   references:
#     - "Well-Architected SEC08-BP01: Implement secure key management"
#     - "Amazon EKS User Guide: Encrypt Kubernetes secrets with KMS on existing clusters (key deletion makes the cluster unrecoverable)"
#     - "Security Hub KMS.3 / Prowler kms_cmk_not_deleted_unintentionally (for the key alone)"
#   remediation: |
#     Cancel the deletion and enable the key again, then protect it with the longest
#     waiting period and a service control policy denying `kms:ScheduleKeyDeletion`:
#
#     ```sh
#     aws kms cancel-key-deletion --key-id <key-id>
#     aws kms enable-key --key-id <key-id>
#     ```
package archaudit.rules.eks_secrets_key_not_usable

import data.archaudit.lib
import rego.v1

deny contains finding if {
	some cluster in input.eks.clusters
	some config in cluster.encryption
	some i in unusable_keys_by_arn[config.key_arn]
	key := input.kms.keys[i]
	finding := {
		"resource": cluster.arn,
		"region": cluster.region,
		"message": sprintf(
			"EKS cluster %s encrypts its secrets with KMS key %s, which is %s",
			[cluster.name, key.id, state_text(key)],
		),
	}
}

# The positions in input.kms.keys of the disabled keys and those pending deletion,
# by ARN: built once per evaluation so that each cluster looks its key up instead of
# scanning them all (linear in the resources read). A set per ARN, as a snapshot may
# hold one ARN twice. Grouped from sorted (ARN, position) pairs, not written
# `unusable_keys_by_arn[arn] contains key`, so that the rule runs on regorus's RVM,
# which cannot evaluate that form.
unusable_keys_by_arn := lib.grouped({[arn, i] |
	some i, key in input.kms.keys
	key.state in {"Disabled", "PendingDeletion"}
	arn := key.arn
})

state_text(key) := "disabled" if key.state == "Disabled"

state_text(key) := sprintf("pending deletion (deleted on %s)", [key.deletion_date]) if {
	key.state == "PendingDeletion"
	key.deletion_date
}

state_text(key) := "pending deletion" if {
	key.state == "PendingDeletion"
	not key.deletion_date
}
