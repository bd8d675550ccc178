//! CloudTrail: the trails a region shows (DescribeTrails, shadow trails of
//! other regions and organization trails included) and, for each trail of
//! the account, its status (GetTrailStatus) and event selectors
//! (GetEventSelectors), both asked by ARN, which AWS answers for a shadow
//! trail in any region, and its tags (ListTags, which answers only in the
//! trail's home region, so it is sent there).
//!
//! An organization trail of another account (the management account's, as
//! a member sees it) is recorded with its configuration only: its status
//! and selectors are read by the audit of the account that owns it (rules
//! find them through `input.org`). A trail deleted between the calls is left
//! out. The section keeps one copy of a trail shown by several regions (see
//! `snapshot::cloudtrail`).

use super::policy::{operations_of, Operation};
use super::{client, each_found, every, found, tags_from, Scope};
use crate::aws::{self, CallError};
use crate::snapshot::{Cloudtrail, Tags, Trail};
use aws_sdk_cloudtrail::operation::get_event_selectors::GetEventSelectorsOutput;
use aws_sdk_cloudtrail::types::{AdvancedEventSelector, ReadWriteType, Trail as SdkTrail};
use aws_sdk_cloudtrail::Client;
use std::collections::{BTreeMap, HashMap};

/// Every AWS operation sent, with its IAM action (see `policy`).
pub(crate) const OPERATIONS: &[Operation] = operations_of!(
    "CloudTrail", "cloudtrail":
    DescribeTrails, GetTrailStatus, GetEventSelectors, ListTags,
);

/// The code CloudTrail answers for a trail deleted since it was listed.
const GONE: &[&str] = &["TrailNotFoundException"];

/// The most ARNs one ListTags call takes.
const TAGS_BATCH: usize = 20;

pub(crate) async fn collect(scope: &Scope) -> Result<Cloudtrail, CallError> {
    let here = client!(aws_sdk_cloudtrail, scope);
    read(&here, scope, |home| {
        client!(
            aws_sdk_cloudtrail,
            &aws::in_region(&scope.config, home),
            &scope.recorder
        )
    })
    .await
}

/// Reads the region with `here`; `home(region)` is a client of a trail's home region.
async fn read(
    here: &Client,
    scope: &Scope,
    home: impl Fn(&str) -> Client,
) -> Result<Cloudtrail, CallError> {
    let described = here
        .describe_trails()
        .include_shadow_trails(true)
        .send()
        .await
        .map_err(aws::call)?;
    let listed: Vec<SdkTrail> = described.trail_list().to_vec();
    let mut trails = each_found(listed, |t| trail(here, scope, t)).await?;

    // Tags of the account's own trails, asked in each one's home region.
    let mut by_home: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for t in trails.iter().filter(|t| owner(&t.arn) == scope.account_id) {
        by_home
            .entry(t.home_region.clone())
            .or_default()
            .push(t.arn.clone());
    }
    let mut tags: HashMap<String, Tags> = HashMap::new();
    for (region, arns) in by_home {
        let client = if region == scope.region {
            here.clone()
        } else {
            home(&region)
        };
        for batch in arns.chunks(TAGS_BATCH) {
            let listed = every(
                client
                    .list_tags()
                    .set_resource_id_list(Some(batch.to_vec()))
                    .into_paginator()
                    .items()
                    .send(),
            )
            .await?;
            for resource in listed {
                if let Some(id) = resource.resource_id() {
                    tags.entry(id.to_string())
                        .or_default()
                        .extend(tags_from(resource.tags_list(), |t| {
                            (Some(t.key()), t.value())
                        }));
                }
            }
        }
    }
    for t in &mut trails {
        t.tags = tags.remove(&t.arn).unwrap_or_default();
    }
    Ok(Cloudtrail { trails })
}

/// The account an ARN belongs to.
fn owner(arn: &str) -> &str {
    arn.split(':').nth(4).unwrap_or_default()
}

/// One trail; `None` when it no longer exists.
async fn trail(here: &Client, scope: &Scope, t: SdkTrail) -> Result<Option<Trail>, CallError> {
    let Some(arn) = t.trail_arn().map(str::to_string) else {
        return Ok(None); // nothing to name it by
    };
    let own = owner(&arn) == scope.account_id;
    let (mut logging, mut latest_delivery_error, mut management_events) = (None, None, None);
    if own {
        let Some(status) = found(here.get_trail_status().name(&arn).send().await, GONE)? else {
            return Ok(None);
        };
        let Some(selectors) = found(
            here.get_event_selectors().trail_name(&arn).send().await,
            GONE,
        )?
        else {
            return Ok(None);
        };
        logging = Some(status.is_logging().unwrap_or(false));
        latest_delivery_error = status
            .latest_delivery_error()
            .filter(|e| !e.is_empty())
            .map(str::to_string);
        management_events = Some(recorded_management_events(&selectors).to_string());
    }
    Ok(Some(Trail {
        name: t.name().unwrap_or_default().to_string(),
        region: scope.region.clone(),
        home_region: t.home_region().unwrap_or(&scope.region).to_string(),
        account_id: scope.account_id.clone(),
        multi_region: t.is_multi_region_trail().unwrap_or(false),
        organization_trail: t.is_organization_trail().unwrap_or(false),
        include_global_service_events: t.include_global_service_events().unwrap_or(false),
        log_file_validation: t.log_file_validation_enabled().unwrap_or(false),
        kms_key_id: t.kms_key_id().map(str::to_string),
        s3_bucket: t.s3_bucket_name().map(str::to_string),
        s3_key_prefix: t.s3_key_prefix().map(str::to_string),
        cloudwatch_logs_log_group_arn: t.cloud_watch_logs_log_group_arn().map(str::to_string),
        logging,
        latest_delivery_error,
        management_events,
        tags: Tags::new(),
        arn,
    }))
}

/// Which management events the selectors record: `All`, `ReadOnly`,
/// `WriteOnly`, `None`, or `Partial` (advanced selectors that keep only some
/// event sources or names). A trail without selectors of either kind has
/// AWS's default: every management event.
fn recorded_management_events(out: &GetEventSelectorsOutput) -> &'static str {
    let (mut read, mut write, mut partial) = (false, false, false);
    let basic = out.event_selectors();
    let advanced = out.advanced_event_selectors();
    if basic.is_empty() && advanced.is_empty() {
        return "All";
    }
    for s in basic {
        if s.include_management_events().unwrap_or(true) {
            match s.read_write_type().unwrap_or(&ReadWriteType::All) {
                ReadWriteType::ReadOnly => read = true,
                ReadWriteType::WriteOnly => write = true,
                _ => (read, write) = (true, true),
            }
        }
    }
    for s in advanced {
        match advanced_management(s) {
            Some(Kept::All) => (read, write) = (true, true),
            Some(Kept::Read) => read = true,
            Some(Kept::Write) => write = true,
            Some(Kept::Some) => partial = true,
            None => {}
        }
    }
    match (read, write) {
        (true, true) => "All",
        (true, false) => "ReadOnly",
        (false, true) => "WriteOnly",
        (false, false) if partial => "Partial",
        (false, false) => "None",
    }
}

/// What an advanced selector keeps of management events.
enum Kept {
    All,
    Read,
    Write,
    /// Only some sources or event names.
    Some,
}

/// `None`: the selector is not about management events.
fn advanced_management(s: &AdvancedEventSelector) -> Option<Kept> {
    let fields = s.field_selectors();
    let management = fields
        .iter()
        .any(|f| f.field() == "eventCategory" && f.equals().iter().any(|v| v == "Management"));
    if !management {
        return None;
    }
    let mut kept = Kept::All;
    for f in fields {
        match f.field() {
            "eventCategory" => {}
            // Leaving sources out (KMS, RDS Data API) still records the rest.
            "eventSource" if f.equals().is_empty() && f.starts_with().is_empty() => {}
            "readOnly" => {
                let one = |values: &[String], v: &str| matches!(values, [x] if x == v);
                let only = |v: &str, other: &str| one(f.equals(), v) || one(f.not_equals(), other);
                kept = if only("true", "false") {
                    Kept::Read
                } else if only("false", "true") {
                    Kept::Write
                } else {
                    Kept::All
                };
            }
            _ => return Some(Kept::Some),
        }
    }
    Some(kept)
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::snapshot::Section;
    use aws_sdk_cloudtrail::operation::describe_trails::DescribeTrailsOutput;
    use aws_sdk_cloudtrail::operation::get_trail_status::{
        GetTrailStatusError, GetTrailStatusOutput,
    };
    use aws_sdk_cloudtrail::operation::list_tags::ListTagsOutput;
    use aws_sdk_cloudtrail::types::{
        error::TrailNotFoundException, AdvancedFieldSelector, EventSelector, ResourceTag, Tag,
    };
    use aws_smithy_mocks::{mock, Rule};

    const ACCOUNT: &str = "729384615022";
    const MANAGEMENT: &str = "406520781234";
    const REGION: &str = "eu-central-1";

    fn scope() -> Scope {
        Scope::for_test(ACCOUNT, REGION)
    }

    fn mocked(rules: &[&Rule]) -> Client {
        crate::collect::mocked_client!(aws_sdk_cloudtrail, rules)
    }

    fn arn(account: &str, home: &str, name: &str) -> String {
        format!("arn:aws:cloudtrail:{home}:{account}:trail/{name}")
    }

    fn sdk_trail(
        account: &str,
        home: &str,
        name: &str,
    ) -> aws_sdk_cloudtrail::types::builders::TrailBuilder {
        SdkTrail::builder()
            .name(name)
            .trail_arn(arn(account, home, name))
            .home_region(home)
            .s3_bucket_name(format!("cloudtrail-{account}"))
            .include_global_service_events(true)
    }

    #[tokio::test]
    async fn own_shadow_and_organization_trails() {
        let describe = mock!(Client::describe_trails)
            .match_requests(|r| r.include_shadow_trails() == Some(true))
            .then_output(|| {
                DescribeTrailsOutput::builder()
                    // The account's own multi-region trail, homed in another region.
                    .trail_list(
                        sdk_trail(ACCOUNT, "us-east-1", "krci-dev-audit")
                            .is_multi_region_trail(true)
                            .log_file_validation_enabled(true)
                            .kms_key_id(format!("arn:aws:kms:us-east-1:{ACCOUNT}:key/6f1b3a52-8c0e-4d2b-9a7f-1e5c3b9d7a20"))
                            .cloud_watch_logs_log_group_arn(format!("arn:aws:logs:us-east-1:{ACCOUNT}:log-group:cloudtrail:*"))
                            .build(),
                    )
                    // A single-region trail of this region.
                    .trail_list(sdk_trail(ACCOUNT, REGION, "krci-dev-data-events").build())
                    // The management account's organization trail, as a member sees it.
                    .trail_list(
                        sdk_trail(MANAGEMENT, "eu-central-1", "krci-organization")
                            .is_multi_region_trail(true)
                            .is_organization_trail(true)
                            .log_file_validation_enabled(true)
                            .build(),
                    )
                    // Deleted between the calls.
                    .trail_list(sdk_trail(ACCOUNT, REGION, "removed-meanwhile").build())
                    .build()
            });
        let audit_arn = arn(ACCOUNT, "us-east-1", "krci-dev-audit");
        let status_audit = mock!(Client::get_trail_status)
            .match_requests(move |r| {
                r.name() == Some(&*arn(ACCOUNT, "us-east-1", "krci-dev-audit"))
            })
            .then_output(|| GetTrailStatusOutput::builder().is_logging(true).build());
        let status_data = mock!(Client::get_trail_status)
            .match_requests(|r| r.name() == Some(&*arn(ACCOUNT, REGION, "krci-dev-data-events")))
            .then_output(|| {
                GetTrailStatusOutput::builder()
                    .is_logging(false)
                    .latest_delivery_error("NoSuchBucket")
                    .build()
            });
        let status_gone = mock!(Client::get_trail_status)
            .match_requests(|r| r.name() == Some(&*arn(ACCOUNT, REGION, "removed-meanwhile")))
            .then_error(|| {
                GetTrailStatusError::TrailNotFoundException(
                    TrailNotFoundException::builder()
                        .meta(
                            aws_smithy_types::error::ErrorMetadata::builder()
                                .code("TrailNotFoundException")
                                .build(),
                        )
                        .build(),
                )
            });
        let selectors_audit = mock!(Client::get_event_selectors)
            .match_requests(|r| {
                r.trail_name() == Some(&*arn(ACCOUNT, "us-east-1", "krci-dev-audit"))
            })
            .then_output(|| GetEventSelectorsOutput::builder().build());
        let selectors_data = mock!(Client::get_event_selectors)
            .match_requests(|r| {
                r.trail_name() == Some(&*arn(ACCOUNT, REGION, "krci-dev-data-events"))
            })
            .then_output(|| {
                GetEventSelectorsOutput::builder()
                    .event_selectors(
                        EventSelector::builder()
                            .read_write_type(ReadWriteType::All)
                            .include_management_events(false)
                            .build(),
                    )
                    .build()
            });
        let tags_here = mock!(Client::list_tags)
            .match_requests(|r| {
                r.resource_id_list() == [arn(ACCOUNT, REGION, "krci-dev-data-events")]
            })
            .then_output(|| {
                ListTagsOutput::builder()
                    .resource_tag_list(
                        ResourceTag::builder()
                            .resource_id(arn(ACCOUNT, REGION, "krci-dev-data-events"))
                            .tags_list(
                                Tag::builder()
                                    .key("team")
                                    .value("platform")
                                    .build()
                                    .unwrap(),
                            )
                            .build(),
                    )
                    .build()
            });
        let here = mocked(&[
            &describe,
            &status_audit,
            &status_data,
            &status_gone,
            &selectors_audit,
            &selectors_data,
            &tags_here,
        ]);
        // Tags of the trail homed in us-east-1 are only answered there.
        let tags_home = mock!(Client::list_tags)
            .match_requests(move |r| r.resource_id_list() == [audit_arn.clone()])
            .then_output(|| {
                ListTagsOutput::builder()
                    .resource_tag_list(
                        ResourceTag::builder()
                            .resource_id(arn(ACCOUNT, "us-east-1", "krci-dev-audit"))
                            .tags_list(
                                Tag::builder()
                                    .key("SysName")
                                    .value("KubeRocketCI")
                                    .build()
                                    .unwrap(),
                            )
                            .build(),
                    )
                    .build()
            });
        let asked = std::sync::Mutex::new(Vec::new());
        let got = read(&here, &scope(), |region| {
            asked.lock().unwrap().push(region.to_string());
            mocked(&[&tags_home])
        })
        .await
        .expect("CloudTrail read");
        assert_eq!(*asked.lock().unwrap(), ["us-east-1"]);

        let names: Vec<&str> = got.trails.iter().map(|t| t.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "krci-dev-audit",
                "krci-dev-data-events",
                "krci-organization"
            ]
        );
        let [audit, data, org] = got.trails.as_slice() else {
            unreachable!()
        };
        assert_eq!(
            *audit,
            Trail {
                arn: arn(ACCOUNT, "us-east-1", "krci-dev-audit"),
                name: "krci-dev-audit".into(),
                region: REGION.into(),
                home_region: "us-east-1".into(),
                account_id: ACCOUNT.into(),
                multi_region: true,
                organization_trail: false,
                include_global_service_events: true,
                log_file_validation: true,
                kms_key_id: Some(format!(
                    "arn:aws:kms:us-east-1:{ACCOUNT}:key/6f1b3a52-8c0e-4d2b-9a7f-1e5c3b9d7a20"
                )),
                s3_bucket: Some(format!("cloudtrail-{ACCOUNT}")),
                s3_key_prefix: None,
                cloudwatch_logs_log_group_arn: Some(format!(
                    "arn:aws:logs:us-east-1:{ACCOUNT}:log-group:cloudtrail:*"
                )),
                logging: Some(true),
                latest_delivery_error: None,
                // No selectors: AWS's default, every management event.
                management_events: Some("All".into()),
                tags: [("SysName".to_string(), "KubeRocketCI".to_string())].into(),
            }
        );
        assert_eq!(data.logging, Some(false));
        assert_eq!(data.latest_delivery_error.as_deref(), Some("NoSuchBucket"));
        assert_eq!(data.management_events.as_deref(), Some("None"));
        assert_eq!(data.tags.get("team").map(String::as_str), Some("platform"));
        // The management account's trail: configuration only, never asked about.
        assert!(org.organization_trail && org.multi_region);
        assert_eq!(org.account_id, ACCOUNT);
        assert_eq!(
            (org.logging, org.management_events.as_deref()),
            (None, None)
        );
        assert!(org.tags.is_empty());
        assert_eq!(
            status_audit.num_calls() + status_data.num_calls() + status_gone.num_calls(),
            3
        );
    }

    fn selectors(
        basic: Vec<EventSelector>,
        advanced: Vec<AdvancedEventSelector>,
    ) -> GetEventSelectorsOutput {
        GetEventSelectorsOutput::builder()
            .set_event_selectors(Some(basic))
            .set_advanced_event_selectors(Some(advanced))
            .build()
    }

    fn basic(rw: ReadWriteType, management: bool) -> EventSelector {
        EventSelector::builder()
            .read_write_type(rw)
            .include_management_events(management)
            .build()
    }

    fn field(name: &str, equals: &[&str], not_equals: &[&str]) -> AdvancedFieldSelector {
        AdvancedFieldSelector::builder()
            .field(name)
            .set_equals(Some(equals.iter().map(|s| s.to_string()).collect()))
            .set_not_equals(Some(not_equals.iter().map(|s| s.to_string()).collect()))
            .build()
            .unwrap()
    }

    fn advanced(fields: Vec<AdvancedFieldSelector>) -> AdvancedEventSelector {
        AdvancedEventSelector::builder()
            .name("management events")
            .set_field_selectors(Some(fields))
            .build()
            .unwrap()
    }

    #[test]
    fn management_events_from_either_kind_of_selector() {
        let management = || field("eventCategory", &["Management"], &[]);
        let cases = [
            (selectors(vec![], vec![]), "All"),
            (
                selectors(vec![basic(ReadWriteType::All, true)], vec![]),
                "All",
            ),
            (
                selectors(vec![basic(ReadWriteType::WriteOnly, true)], vec![]),
                "WriteOnly",
            ),
            (
                selectors(
                    vec![
                        basic(ReadWriteType::ReadOnly, true),
                        basic(ReadWriteType::WriteOnly, true),
                    ],
                    vec![],
                ),
                "All",
            ),
            (
                selectors(vec![basic(ReadWriteType::All, false)], vec![]),
                "None",
            ),
            (selectors(vec![], vec![advanced(vec![management()])]), "All"),
            (
                selectors(
                    vec![],
                    vec![advanced(vec![
                        management(),
                        field("readOnly", &["true"], &[]),
                    ])],
                ),
                "ReadOnly",
            ),
            (
                selectors(
                    vec![],
                    vec![advanced(vec![
                        management(),
                        field("readOnly", &[], &["true"]),
                    ])],
                ),
                "WriteOnly",
            ),
            // Leaving KMS and RDS Data API events out still records the rest.
            (
                selectors(
                    vec![],
                    vec![advanced(vec![
                        management(),
                        field(
                            "eventSource",
                            &[],
                            &["kms.amazonaws.com", "rdsdata.amazonaws.com"],
                        ),
                    ])],
                ),
                "All",
            ),
            // Only IAM's events: not all management events.
            (
                selectors(
                    vec![],
                    vec![advanced(vec![
                        management(),
                        field("eventSource", &["iam.amazonaws.com"], &[]),
                    ])],
                ),
                "Partial",
            ),
            // Data events only.
            (
                selectors(
                    vec![],
                    vec![advanced(vec![
                        field("eventCategory", &["Data"], &[]),
                        field("resources.type", &["AWS::S3::Object"], &[]),
                    ])],
                ),
                "None",
            ),
        ];
        for (i, (out, want)) in cases.iter().enumerate() {
            assert_eq!(recorded_management_events(out), *want, "case {i}");
        }
    }

    fn copy(region: &str) -> Trail {
        Trail {
            arn: arn(ACCOUNT, "us-east-1", "krci-dev-audit"),
            name: "krci-dev-audit".into(),
            region: region.into(),
            home_region: "us-east-1".into(),
            account_id: ACCOUNT.into(),
            multi_region: true,
            organization_trail: false,
            include_global_service_events: true,
            log_file_validation: true,
            kms_key_id: None,
            s3_bucket: None,
            s3_key_prefix: None,
            cloudwatch_logs_log_group_arn: None,
            logging: Some(true),
            latest_delivery_error: None,
            management_events: Some("All".into()),
            tags: Tags::new(),
        }
    }

    #[test]
    fn one_copy_of_a_trail_whatever_order_the_regions_came_in() {
        for order in [
            ["eu-west-1", "us-east-1", "eu-central-1"],
            ["eu-central-1", "eu-west-1", "us-east-1"],
        ] {
            let mut section = Cloudtrail::default();
            for region in order {
                section.absorb(Cloudtrail {
                    trails: vec![copy(region)],
                });
            }
            section.normalize();
            assert_eq!(section.trails, [copy("us-east-1")], "home region first");
        }
        // The home region not read: the first region by name.
        let mut section = Cloudtrail {
            trails: vec![copy("eu-west-1"), copy("eu-central-1")],
        };
        section.normalize();
        assert_eq!(section.trails, [copy("eu-central-1")]);
    }
}
