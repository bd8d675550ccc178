//! Live collection: snapshot every account of an organization through the AWS
//! SDK. One tokio runtime; one task per (account, region, service) under a global
//! semaphore (`--concurrency`); the SDK's adaptive retry for throttling; every
//! failure classified into the snapshot's coverage, never fatal for the rest.
//!
//! One module per AWS service maps SDK output to the snapshot model, using list
//! calls' data where they return it and running per-resource calls concurrently.
//! Only List*, Describe* and Get* operations are called (plus STS AssumeRole and
//! GetCallerIdentity); [`CallLog`] records every operation sent.

mod acm;
mod amp;
mod dynamodb;
mod ec2;
mod ecr;
mod efs;
mod eks;
mod elbv2;
mod grafana;
mod iam;
mod logs;
mod opensearch;
pub mod policy;
mod rds;
mod s3;
mod secretsmanager;
mod ssm;
mod wafv2;

use crate::aws::{self, call, AwsOptions, CallError};
use crate::snapshot::{
    Account, AccountSnapshot, CoverageEntry, CoverageStatus, ErrorClass, Organization, Shard,
    ShardRecord, Snapshot, Tags, GLOBAL_REGION,
};
use anyhow::{Context, Result};
use aws_config::SdkConfig;
use aws_smithy_runtime_api::box_error::BoxError;
use aws_smithy_runtime_api::client::interceptors::context::BeforeTransmitInterceptorContextRef;
use aws_smithy_runtime_api::client::interceptors::Intercept;
use aws_smithy_runtime_api::client::orchestrator::Metadata;
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;
use aws_smithy_types::config_bag::ConfigBag;
use futures::future::BoxFuture;
use futures::stream::{self, StreamExt};
use policy::Operation;
use std::collections::BTreeSet;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use tokio::sync::Semaphore;

/// What this module sends in every account: who the credentials are (STS
/// GetCallerIdentity; AWS grants it to everyone, it is listed so that the policy
/// names every call) and, for `--regions all`, the enabled regions.
pub(crate) const OPERATIONS: &[Operation] = &[
    Operation::new("STS", "GetCallerIdentity", "sts:GetCallerIdentity"),
    Operation::new("EC2", "DescribeRegions", "ec2:DescribeRegions"),
];

/// What the identity running `--org` sends: the organization and its accounts' tags.
pub(crate) const ORGANIZATION_OPERATIONS: &[Operation] = &[
    Operation::new(
        "Organizations",
        "DescribeOrganization",
        "organizations:DescribeOrganization",
    ),
    Operation::new(
        "Organizations",
        "ListAccounts",
        "organizations:ListAccounts",
    ),
    Operation::new(
        "Organizations",
        "ListTagsForResource",
        "organizations:ListTagsForResource",
    ),
];

/// Every operation sent in an audited account, by the file (under `src/`) that sends it.
pub(crate) const MEMBER_OPERATIONS: &[(&str, &[Operation])] = &[
    ("collect/mod.rs", OPERATIONS),
    ("collect/acm.rs", acm::OPERATIONS),
    ("collect/amp.rs", amp::OPERATIONS),
    ("collect/dynamodb.rs", dynamodb::OPERATIONS),
    ("collect/ec2.rs", ec2::OPERATIONS),
    ("collect/ecr.rs", ecr::OPERATIONS),
    ("collect/efs.rs", efs::OPERATIONS),
    ("collect/eks.rs", eks::OPERATIONS),
    ("collect/elbv2.rs", elbv2::OPERATIONS),
    ("collect/grafana.rs", grafana::OPERATIONS),
    ("collect/iam.rs", iam::OPERATIONS),
    ("collect/logs.rs", logs::OPERATIONS),
    ("collect/opensearch.rs", opensearch::OPERATIONS),
    ("collect/rds.rs", rds::OPERATIONS),
    ("collect/s3.rs", s3::OPERATIONS),
    ("collect/secretsmanager.rs", secretsmanager::OPERATIONS),
    ("collect/ssm.rs", ssm::OPERATIONS),
    ("collect/wafv2.rs", wafv2::OPERATIONS),
];

/// Per-resource calls in flight within one service task.
pub(crate) const PER_RESOURCE_CONCURRENCY: usize = 8;

/// Which regions to read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Regions {
    List(Vec<String>),
    /// The account's enabled regions (EC2 DescribeRegions).
    All,
}

/// Which accounts to read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Accounts {
    /// The organization's active accounts (Organizations ListAccounts).
    Organization,
    /// These account ids (the caller's own is read directly); empty: the caller's.
    List(Vec<String>),
}

#[derive(Debug, Clone)]
pub struct CollectOptions {
    pub aws: AwsOptions,
    pub accounts: Accounts,
    pub regions: Regions,
    /// Service tasks in flight at once, over the whole organization (at least 1:
    /// `config::values::concurrency` checks it).
    pub concurrency: usize,
    /// Show a progress bar on stderr.
    pub progress: bool,
    /// Read only the accounts this shard owns (`collect --shard I/N`).
    pub shard: Option<Shard>,
}

/// Every operation sent, as `service:Operation`, with a count.
#[derive(Debug, Default)]
pub struct CallLog {
    calls: AtomicU64,
    errors: AtomicU64,
    operations: Mutex<BTreeSet<String>>,
}

impl CallLog {
    pub fn calls(&self) -> u64 {
        self.calls.load(Ordering::Relaxed)
    }

    pub fn errors(&self) -> u64 {
        self.errors.load(Ordering::Relaxed)
    }

    /// The distinct operations sent, e.g. `ECR:DescribeRepositories`.
    pub fn operations(&self) -> BTreeSet<String> {
        self.operations.lock().expect("call log lock").clone()
    }
}

/// Counts and names every request before it is sent.
#[derive(Debug, Clone)]
pub(crate) struct Recorder(Arc<CallLog>);

impl Intercept for Recorder {
    fn name(&self) -> &'static str {
        "archaudit-call-log"
    }

    fn read_before_transmit(
        &self,
        _context: &BeforeTransmitInterceptorContextRef<'_>,
        _components: &RuntimeComponents,
        cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        self.0.calls.fetch_add(1, Ordering::Relaxed);
        if let Some(meta) = cfg.load::<Metadata>() {
            let op = format!("{}:{}", meta.service(), meta.name());
            self.0.operations.lock().expect("call log lock").insert(op);
        }
        Ok(())
    }
}

/// What a collector needs to read one (account, region).
#[derive(Clone)]
pub(crate) struct Scope {
    /// Configured for `region` (the home region for global services).
    pub config: SdkConfig,
    pub account_id: String,
    pub region: String,
    pub partition: String,
    pub recorder: Recorder,
}

/// Builds a service client with the call recorder attached:
/// `client!(aws_sdk_ecr, scope)`.
macro_rules! client {
    ($sdk:ident, $scope:expr) => {{
        let conf = $sdk::config::Builder::from(&$scope.config)
            .interceptor($scope.recorder.clone())
            .retry_classifier(crate::aws::NoRetryOnForeignAnswer)
            .build();
        $sdk::Client::from_conf(conf)
    }};
}
pub(crate) use client;

/// Runs `f` over `items` with bounded concurrency, in order, failing on the first error.
pub(crate) async fn for_each_concurrent<T, R, F, Fut>(
    items: Vec<T>,
    f: F,
) -> Result<Vec<R>, CallError>
where
    F: Fn(T) -> Fut,
    Fut: std::future::Future<Output = Result<R, CallError>>,
{
    stream::iter(items.into_iter().map(f))
        .buffered(PER_RESOURCE_CONCURRENCY)
        .collect::<Vec<_>>()
        .await
        .into_iter()
        .collect()
}

/// Converts an SDK `DateTime` to RFC 3339.
pub(crate) fn rfc3339(t: &aws_smithy_types::DateTime) -> Option<String> {
    t.fmt(aws_smithy_types::date_time::Format::DateTime).ok()
}

/// Tags from any SDK tag list with `key()`/`value()` accessors.
pub(crate) fn tags_from<T>(items: &[T], kv: impl Fn(&T) -> (Option<&str>, Option<&str>)) -> Tags {
    items
        .iter()
        .filter_map(|t| {
            let (k, v) = kv(t);
            Some((k?.to_string(), v.unwrap_or_default().to_string()))
        })
        .collect()
}

/// One service's data for one region, ready to merge into the account.
enum Data {
    Acm(crate::snapshot::Acm),
    Amp(crate::snapshot::Amp),
    Dynamodb(crate::snapshot::Dynamodb),
    Ec2(crate::snapshot::Ec2),
    Ecr(crate::snapshot::Ecr),
    Efs(crate::snapshot::Efs),
    Eks(crate::snapshot::Eks),
    Elbv2(crate::snapshot::Elbv2),
    Grafana(crate::snapshot::Grafana),
    Iam(crate::snapshot::Iam),
    Logs(crate::snapshot::Logs),
    OpenSearch(crate::snapshot::OpenSearch),
    Rds(crate::snapshot::Rds),
    S3(crate::snapshot::S3),
    SecretsManager(crate::snapshot::SecretsManager),
    Ssm(crate::snapshot::Ssm),
    Wafv2(crate::snapshot::Wafv2),
    ClientVpn(Vec<crate::snapshot::ClientVpnEndpoint>),
    /// Coverage without data of its own.
    Nothing,
}

impl Data {
    fn merge_into(self, a: &mut AccountSnapshot) {
        match self {
            Data::Acm(d) => a.acm.extend(d),
            Data::Amp(d) => a.amp.extend(d),
            Data::Dynamodb(d) => a.dynamodb.extend(d),
            Data::Ec2(d) => a.ec2.extend(d),
            Data::Ecr(d) => a.ecr.extend(d),
            Data::Efs(d) => a.efs.extend(d),
            Data::Eks(d) => a.eks.extend(d),
            Data::Elbv2(d) => a.elbv2.extend(d),
            Data::Grafana(d) => a.grafana.extend(d),
            Data::Iam(d) => a.iam = d,
            Data::Logs(d) => a.logs.extend(d),
            Data::OpenSearch(d) => a.opensearch.extend(d),
            Data::Rds(d) => a.rds.extend(d),
            Data::S3(d) => a.s3 = d,
            Data::SecretsManager(d) => a.secretsmanager.extend(d),
            Data::Ssm(d) => a.ssm.extend(d),
            Data::Wafv2(d) => a.wafv2.extend(d),
            Data::ClientVpn(d) => a.ec2.client_vpn_endpoints.extend(d),
            Data::Nothing => {}
        }
    }
}

/// The outcome of one task: per service, its data or why it could not be read.
type TaskResult = Vec<(&'static str, Result<Data, CallError>)>;

fn coverage(region: &str, service: &str, result: &Result<Data, CallError>) -> CoverageEntry {
    match result {
        Ok(_) => CoverageEntry::ok(region, service),
        Err(e) => CoverageEntry {
            region: region.to_string(),
            service: service.to_string(),
            status: CoverageStatus::Error,
            error: Some(e.class),
            message: Some(e.message.clone()),
        },
    }
}

/// The tasks of one region: every regional service.
fn region_tasks(scope: Scope) -> Vec<BoxFuture<'static, TaskResult>> {
    macro_rules! task {
        ($name:literal, $module:ident, $variant:ident) => {{
            let scope = scope.clone();
            Box::pin(
                async move { vec![($name, $module::collect(&scope).await.map(Data::$variant))] },
            ) as BoxFuture<'static, TaskResult>
        }};
    }
    vec![
        task!("acm", acm, Acm),
        task!("amp", amp, Amp),
        task!("dynamodb", dynamodb, Dynamodb),
        {
            let scope = scope.clone();
            Box::pin(async move {
                let (main, vpn) =
                    futures::join!(ec2::collect(&scope), ec2::collect_client_vpn(&scope));
                vec![
                    ("ec2", main.map(Data::Ec2)),
                    ("ec2-client-vpn", vpn.map(Data::ClientVpn)),
                ]
            }) as BoxFuture<'static, TaskResult>
        },
        task!("ecr", ecr, Ecr),
        task!("efs", efs, Efs),
        {
            let scope = scope.clone();
            Box::pin(async move {
                let clusters = eks::collect(&scope).await;
                // Without the cluster list the add-ons were not read either.
                let addons = match &clusters {
                    Ok(d) => {
                        let names: Vec<String> =
                            d.clusters.iter().map(|c| c.name.clone()).collect();
                        eks::collect_addons(&scope, &names).await
                    }
                    Err(e) => Err(CallError {
                        class: e.class,
                        message: format!("clusters could not be listed: {}", e.message),
                    }),
                };
                let clusters = match (clusters, &addons) {
                    (Ok(mut d), Ok(by_cluster)) => {
                        for c in &mut d.clusters {
                            c.addons = by_cluster.get(&c.name).cloned().unwrap_or_default();
                        }
                        Ok(d)
                    }
                    (clusters, _) => clusters,
                };
                vec![
                    ("eks", clusters.map(Data::Eks)),
                    // Coverage only: the add-ons went into the clusters above.
                    ("eks-addons", addons.map(|_| Data::Nothing)),
                ]
            }) as BoxFuture<'static, TaskResult>
        },
        task!("grafana", grafana, Grafana),
        task!("logs", logs, Logs),
        task!("opensearch", opensearch, OpenSearch),
        task!("rds", rds, Rds),
        task!("secretsmanager", secretsmanager, SecretsManager),
        task!("ssm", ssm, Ssm),
        // WAF associations are looked up for the region's ALBs, so the two go together.
        Box::pin(async move {
            let lbs = elbv2::collect(&scope).await;
            let albs: Vec<String> = match &lbs {
                Ok(d) => d
                    .load_balancers
                    .iter()
                    .filter(|lb| lb.lb_type == "application")
                    .map(|lb| lb.arn.clone())
                    .collect(),
                Err(_) => Vec::new(),
            };
            let waf = wafv2::collect(&scope, lbs.as_ref().ok().map(|_| albs.as_slice())).await;
            let lbs = match (lbs, &waf) {
                (Ok(mut d), Ok((_, associations))) => {
                    for lb in &mut d.load_balancers {
                        lb.web_acl_arn = associations.get(&lb.arn).cloned();
                    }
                    Ok(d)
                }
                (lbs, _) => lbs,
            };
            vec![
                ("elbv2", lbs.map(Data::Elbv2)),
                ("wafv2", waf.map(|(d, _)| Data::Wafv2(d))),
            ]
        }),
    ]
}

/// Reads one account; every failure lands in its coverage.
async fn collect_account(
    base: &SdkConfig,
    caller: &str,
    partition: &str,
    account: Account,
    opts: &CollectOptions,
    semaphore: &Semaphore,
    log: &Arc<CallLog>,
) -> AccountSnapshot {
    let recorder = Recorder(log.clone());
    let config = if account.id == caller {
        base.clone()
    } else {
        aws::assume_role_config(base, partition, &account.id, &opts.aws).await
    };
    let mut snapshot = AccountSnapshot {
        account,
        ..AccountSnapshot::default()
    };
    let account_error = |class: ErrorClass, message: String| CoverageEntry {
        region: GLOBAL_REGION.to_string(),
        service: "account".to_string(),
        status: CoverageStatus::Error,
        error: Some(class),
        message: Some(message),
    };

    // Assume the role once up front, so an unreachable account is one clear entry.
    let sts = client!(
        aws_sdk_sts,
        Scope {
            config: config.clone(),
            account_id: snapshot.account.id.clone(),
            region: aws::HOME_REGION.to_string(),
            partition: partition.to_string(),
            recorder: recorder.clone(),
        }
    );
    let identity = {
        let _permit = semaphore.acquire().await.expect("semaphore open");
        sts.get_caller_identity().send().await
    };
    if let Err(e) = identity {
        log.errors.fetch_add(1, Ordering::Relaxed);
        let e = aws::classify(&e);
        let class = if snapshot.account.id == caller {
            e.class
        } else {
            ErrorClass::AssumeRoleFailed
        };
        snapshot.coverage.push(account_error(class, e.to_string()));
        return snapshot;
    }

    let regions = match &opts.regions {
        Regions::List(list) => list.clone(),
        Regions::All => match enabled_regions(&config, &recorder).await {
            Ok(r) => r,
            Err(e) => {
                log.errors.fetch_add(1, Ordering::Relaxed);
                snapshot
                    .coverage
                    .push(account_error(e.class, format!("listing regions: {e}")));
                return snapshot;
            }
        },
    };
    snapshot.regions = regions.clone();

    let scope = |region: &str, config_region: &str| Scope {
        config: aws::in_region(&config, config_region),
        account_id: snapshot.account.id.clone(),
        region: region.to_string(),
        partition: partition.to_string(),
        recorder: recorder.clone(),
    };
    let home = regions
        .first()
        .cloned()
        .unwrap_or_else(|| aws::HOME_REGION.to_string());
    let mut tasks: Vec<(String, BoxFuture<'static, TaskResult>)> = Vec::new();
    {
        let s = scope(GLOBAL_REGION, &home);
        tasks.push((
            GLOBAL_REGION.into(),
            Box::pin(async move { vec![("iam", iam::collect(&s).await.map(Data::Iam))] }),
        ));
        let s = scope(GLOBAL_REGION, &home);
        tasks.push((
            GLOBAL_REGION.into(),
            Box::pin(async move { vec![("s3", s3::collect(&s).await.map(Data::S3))] }),
        ));
    }
    for region in &regions {
        for task in region_tasks(scope(region, region)) {
            tasks.push((region.clone(), task));
        }
    }

    let results = stream::iter(tasks.into_iter().map(|(region, task)| async move {
        let _permit = semaphore.acquire().await.expect("semaphore open");
        (region, task.await)
    }))
    .buffer_unordered(usize::MAX)
    .collect::<Vec<_>>()
    .await;

    for (region, outcomes) in results {
        for (service, result) in outcomes {
            if result.is_err() {
                log.errors.fetch_add(1, Ordering::Relaxed);
            }
            snapshot.coverage.push(coverage(&region, service, &result));
            if let Ok(data) = result {
                data.merge_into(&mut snapshot);
            }
        }
    }
    snapshot.normalize();
    snapshot
}

async fn enabled_regions(
    config: &SdkConfig,
    recorder: &Recorder,
) -> Result<Vec<String>, CallError> {
    let scope = Scope {
        config: config.clone(),
        account_id: String::new(),
        region: String::new(),
        partition: String::new(),
        recorder: recorder.clone(),
    };
    let ec2 = client!(aws_sdk_ec2, scope);
    let out = ec2.describe_regions().send().await.map_err(call)?;
    let mut regions: Vec<String> = out
        .regions()
        .iter()
        .filter_map(|r| r.region_name().map(str::to_string))
        .collect();
    regions.sort();
    Ok(regions)
}

/// The organization and its active accounts, with their tags.
async fn organization_accounts(
    base: &SdkConfig,
    recorder: &Recorder,
) -> Result<(Organization, Vec<Account>)> {
    let scope = Scope {
        config: base.clone(),
        account_id: String::new(),
        region: String::new(),
        partition: String::new(),
        recorder: recorder.clone(),
    };
    let org = client!(aws_sdk_organizations, scope);
    let described = org
        .describe_organization()
        .send()
        .await
        .map_err(call)
        .context("Organizations DescribeOrganization (run --org from the management or a delegated administrator account)")?;
    let o = described
        .organization()
        .context("DescribeOrganization returned no organization")?;
    let organization = Organization {
        id: o.id().unwrap_or_default().to_string(),
        arn: o.arn().map(str::to_string),
        management_account_id: o.master_account_id().unwrap_or_default().to_string(),
    };
    let pages: Vec<_> = org
        .list_accounts()
        .into_paginator()
        .send()
        .collect::<Vec<_>>()
        .await
        .into_iter()
        .collect::<Result<_, _>>()
        .map_err(call)
        .context("Organizations ListAccounts")?;
    let listed: Vec<_> = pages.iter().flat_map(|p| p.accounts().to_vec()).collect();
    let active: Vec<_> = listed
        .into_iter()
        .filter(|a| {
            a.state()
                .map(|s| s.as_str() == "ACTIVE")
                .unwrap_or_else(|| {
                    #[allow(deprecated)]
                    a.status().map(|s| s.as_str() == "ACTIVE").unwrap_or(true)
                })
        })
        .collect();
    let accounts = for_each_concurrent(active, |a| {
        let org = org.clone();
        async move {
            let id = a.id().unwrap_or_default().to_string();
            let pages = org
                .list_tags_for_resource()
                .resource_id(&id)
                .into_paginator()
                .send()
                .collect::<Vec<_>>()
                .await
                .into_iter()
                .collect::<Result<Vec<_>, _>>()
                .map_err(call)?;
            let tags: Vec<_> = pages.iter().flat_map(|p| p.tags().to_vec()).collect();
            Ok(Account {
                name: a.name().unwrap_or(&id).to_string(),
                arn: a.arn().map(str::to_string),
                email: a.email().map(str::to_string),
                status: Some("ACTIVE".to_string()),
                tags: tags
                    .iter()
                    .map(|t| (t.key().to_string(), t.value().to_string()))
                    .collect(),
                id,
            })
        }
    })
    .await
    .context("Organizations ListTagsForResource")?;
    Ok((organization, accounts))
}

/// Collects a snapshot of the selected accounts and regions.
pub async fn collect(opts: &CollectOptions, log: Arc<CallLog>) -> Result<Snapshot> {
    let generated_at = jiff::Timestamp::now()
        .strftime("%Y-%m-%dT%H:%M:%SZ")
        .to_string();
    let base = aws::base_config(&opts.aws).await;
    let recorder = Recorder(log.clone());
    let sts = client!(
        aws_sdk_sts,
        Scope {
            config: base.clone(),
            account_id: String::new(),
            region: String::new(),
            partition: String::new(),
            recorder: recorder.clone(),
        }
    );
    let me = sts
        .get_caller_identity()
        .send()
        .await
        .map_err(call)
        .context(
        "cannot identify the caller with STS GetCallerIdentity (are AWS credentials configured?)",
    )?;
    let caller = me
        .account()
        .context("GetCallerIdentity returned no account")?
        .to_string();
    let partition = me
        .arn()
        .and_then(|arn| arn.split(':').nth(1))
        .unwrap_or("aws")
        .to_string();

    let (organization, mut accounts) = match &opts.accounts {
        Accounts::Organization => {
            let (o, a) = organization_accounts(&base, &recorder).await?;
            (Some(o), a)
        }
        Accounts::List(ids) => {
            // No account named: the caller's own.
            let mut ids = if ids.is_empty() {
                vec![caller.clone()]
            } else {
                ids.clone()
            };
            ids.sort();
            ids.dedup();
            let accounts = ids
                .into_iter()
                .map(|id| Account {
                    name: id.clone(),
                    id,
                    ..Account::default()
                })
                .collect();
            (None, accounts)
        }
    };

    // Sharding applies to the resolved list; every shard records the whole list,
    // so that a merge can tell which accounts a missing shard held.
    let shard = opts.shard.map(|shard| {
        let mut all_accounts = accounts.clone();
        all_accounts.sort_by(|a, b| a.id.cmp(&b.id));
        accounts.retain(|a| shard.owns(&a.id));
        ShardRecord {
            index: shard.index,
            count: shard.count,
            all_accounts,
        }
    });

    let semaphore = Semaphore::new(opts.concurrency);
    let progress =
        crate::collect::progress::Progress::new(accounts.len(), opts.progress, log.clone());
    let snapshots = stream::iter(accounts.into_iter().map(|account| {
        let (base, caller, partition, semaphore, log, progress) =
            (&base, &caller, &partition, &semaphore, &log, &progress);
        async move {
            let snapshot =
                collect_account(base, caller, partition, account, opts, semaphore, log).await;
            progress.account_done();
            snapshot
        }
    }))
    .buffer_unordered(usize::MAX)
    .collect::<Vec<_>>()
    .await;
    progress.finish();

    let mut snapshot = Snapshot::new(generated_at);
    snapshot.organization = organization;
    snapshot.shard = shard;
    snapshot.accounts = snapshots;
    snapshot.normalize();
    Ok(snapshot)
}

mod progress;

/// A client of SDK crate `$sdk` answered by aws-smithy-mocks `$rules` (a slice
/// of rules or of references to them), with retries off. The service crates'
/// `test-util` feature, which `mock_client!` needs, would compile each SDK crate
/// a second time.
#[cfg(test)]
macro_rules! mocked_client {
    ($sdk:ident, $rules:expr) => {{
        let interceptor = $rules.iter().fold(
            aws_smithy_mocks::MockResponseInterceptor::new()
                .rule_mode(aws_smithy_mocks::RuleMode::MatchAny),
            |i, r| i.with_rule(r),
        );
        $sdk::Client::from_conf(
            $sdk::Config::builder()
                .behavior_version($sdk::config::BehaviorVersion::latest())
                .region($sdk::config::Region::new("eu-central-1"))
                .credentials_provider($sdk::config::Credentials::new(
                    "AKIDTEST", "secret", None, None, "test",
                ))
                .retry_config($sdk::config::retry::RetryConfig::disabled())
                .http_client(aws_smithy_mocks::create_mock_http_client())
                .interceptor(interceptor)
                .interceptor(crate::collect::policy::ListedOnly)
                .build(),
        )
    }};
}
#[cfg(test)]
pub(crate) use mocked_client;

#[cfg(test)]
impl Scope {
    /// A scope for unit tests with mocked clients: no endpoint, a fresh call log.
    pub(crate) fn for_test(account_id: &str, region: &str) -> Scope {
        Scope {
            config: SdkConfig::builder().build(),
            account_id: account_id.to_string(),
            region: region.to_string(),
            partition: "aws".to_string(),
            recorder: Recorder(Arc::default()),
        }
    }
}
