//! CloudTrail trails: every trail that logs a region read, once.
//!
//! A region shows its own trails and the multi-region and organization trails
//! of other regions ("shadow trails"), so one trail is read in every region
//! it logs. The section keeps it once (see [`Cloudtrail`]'s `normalize`): the
//! copy read in its home region when that region was read, else the one of the
//! first region (by name) that showed it. A trail whose home region was not
//! read is therefore still known, and a single-region trail of a region not
//! read is not (it logs nothing the audit looks at).

use super::{sort_by_key, ArnNames, Compared, ImportId, Norm, Section, Tags, TerraformType};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use serde_with::skip_serializing_none;

/// CloudTrail in one account.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct Cloudtrail {
    /// Every trail that logs a region read (its own, or an organization
    /// trail of the management account), once each.
    pub trails: Vec<Trail>,
}

impl Section for Cloudtrail {
    const TERRAFORM: &'static [TerraformType] = TERRAFORM;

    fn len(&self) -> usize {
        self.trails.len()
    }

    /// Sorts by ARN and keeps one copy of each trail: the one read in its
    /// home region, else the one of the first region by name. The copies of
    /// one trail differ only in `region`, and the choice does not depend on
    /// the order in which the regions were read.
    fn normalize(&mut self) {
        sort_by_key(&mut self.trails, |t| {
            (t.arn.clone(), t.region != t.home_region, t.region.clone())
        });
        self.trails.dedup_by(|later, first| later.arn == first.arn);
    }

    fn extend(&mut self, other: Self) {
        self.trails.extend(other.trails);
    }
}

/// How the section's resources appear in Terraform.
const TERRAFORM: &[TerraformType] = &[TerraformType::new("aws_cloudtrail", "trails", "{name}")
    .idents(&["name"])
    .arn("cloudtrail", "trail", ArnNames::Rest)
    .made_by_aws(made_elsewhere)
    .import(ImportId::Arn)
    .compared(&[
        Compared::own("enable_logging", "/logging", Norm::Plain),
        Compared::own("is_multi_region_trail", "/multi_region", Norm::Plain),
        Compared::own("is_organization_trail", "/organization_trail", Norm::Plain),
        Compared::own(
            "include_global_service_events",
            "/include_global_service_events",
            Norm::Plain,
        ),
        Compared::own(
            "enable_log_file_validation",
            "/log_file_validation",
            Norm::Plain,
        ),
        Compared::own("kms_key_id", "/kms_key_id", Norm::Plain),
        Compared::own("s3_bucket_name", "/s3_bucket", Norm::Plain),
        Compared::own(
            "cloud_watch_logs_group_arn",
            "/cloudwatch_logs_log_group_arn",
            Norm::Plain,
        ),
    ])];

/// An organization trail of another account (the management account's, seen
/// from a member): that account's Terraform manages it, not this one's.
fn made_elsewhere(trail: &Value, _: &Value) -> Option<&'static str> {
    let owner = trail["arn"].as_str().and_then(|arn| arn.split(':').nth(4));
    (trail["organization_trail"] == true && owner != trail["account_id"].as_str())
        .then_some("an organization trail of another account")
}

#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Trail {
    pub arn: String,
    pub name: String,
    /// The region it was read in (see the module docs).
    pub region: String,
    /// The region it was created in.
    pub home_region: String,
    /// The account whose section holds it (an organization trail's ARN names
    /// the management account that owns it, this the account that sees it).
    pub account_id: String,
    /// Logs every region of the account (of every account, for an
    /// organization trail).
    pub multi_region: bool,
    /// Created in the management account for every account of the organization.
    pub organization_trail: bool,
    /// Logs the events of global services (IAM, STS, CloudFront).
    pub include_global_service_events: bool,
    /// Writes digest files so that log files can be shown unmodified.
    pub log_file_validation: bool,
    /// The KMS key that encrypts its log files (SSE-KMS); absent: SSE-S3 only.
    pub kms_key_id: Option<String>,
    /// The bucket it delivers log files to.
    pub s3_bucket: Option<String>,
    pub s3_key_prefix: Option<String>,
    /// The CloudWatch Logs log group it also delivers to (AWS's form, ending in `:*`).
    pub cloudwatch_logs_log_group_arn: Option<String>,
    /// It is logging now (GetTrailStatus). Absent for a trail of another
    /// account: its owner's audit reads it.
    pub logging: Option<bool>,
    /// Why the last delivery of log files to the bucket failed, when it did.
    pub latest_delivery_error: Option<String>,
    /// Which management events it records (from its event selectors or
    /// advanced event selectors): `All`, `ReadOnly`, `WriteOnly` or `None`;
    /// `Partial` when advanced selectors keep only some event sources or
    /// names. Absent for a trail of another account.
    pub management_events: Option<String>,
    /// Read in the trail's home region; empty for a trail of another account.
    #[serde(default)]
    pub tags: Tags,
}
