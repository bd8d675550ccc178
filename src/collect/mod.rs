//! Live collection: snapshot every account of an organization through the AWS
//! SDK. One tokio runtime; the tasks of an account (one per service and region,
//! derived from the service registry, `crate::services`) all start in
//! `collect_account`, a bounded number of accounts at a time, and each HTTP
//! call waits for its slots in [`schedule`] (per (account, region, service),
//! adapting to throttling; per account; `--concurrency` over the run); the
//! SDK's adaptive retry retries throttled calls; every failure is classified
//! into the snapshot's coverage, never fatal for the rest.
//!
//! One module per AWS service maps SDK output to the snapshot model, using list
//! calls' data where they return it and running per-resource calls concurrently.
//! Each declares `OPERATIONS` (every AWS operation it sends, with its IAM
//! action) and `collect(&Scope)`, which returns its section or a `Read` when
//! it has parts covered apart. Only List*, Describe* and Get* operations are
//! called (plus STS AssumeRole and GetCallerIdentity); [`CallLog`] records
//! every operation sent.

pub mod policy;
mod progress;
mod schedule;

use crate::aws::{self, call, AwsOptions, CallError};
use crate::snapshot::{
    Account, AccountSnapshot, CoverageEntry, CoverageStatus, ErrorClass, Organization, Section,
    Shard, ShardRecord, Snapshot, Tags, GLOBAL_REGION,
};
use anyhow::{Context, Result};
use aws_config::SdkConfig;
use aws_smithy_async::future::pagination_stream::PaginationStream;
use aws_smithy_runtime_api::box_error::BoxError;
use aws_smithy_runtime_api::client::interceptors::context::BeforeTransmitInterceptorContextRef;
use aws_smithy_runtime_api::client::interceptors::Intercept;
use aws_smithy_runtime_api::client::orchestrator::{HttpResponse, Metadata};
use aws_smithy_runtime_api::client::result::SdkError;
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;
use aws_smithy_types::config_bag::ConfigBag;
use aws_smithy_types::error::metadata::ProvideErrorMetadata;
use futures::future::BoxFuture;
use futures::stream::{self, StreamExt};
use policy::{operations_of, Operation};
use schedule::Scheduler;
use std::collections::BTreeSet;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

/// What this module sends in every account: who the credentials are (STS
/// GetCallerIdentity; AWS grants it to everyone, it is listed so that the policy
/// names every call) and, for `--regions all`, the enabled regions.
pub(crate) const OPERATIONS: &[Operation] = &[
    Operation::new("STS", "GetCallerIdentity", "sts:GetCallerIdentity"),
    Operation::new("EC2", "DescribeRegions", "ec2:DescribeRegions"),
];

/// What the identity running `--org` sends: the organization and its accounts' tags.
pub(crate) const ORGANIZATION_OPERATIONS: &[Operation] = operations_of!(
    "Organizations", "organizations":
    DescribeOrganization, ListAccounts, ListTagsForResource,
);

/// Writes, from the service registry, the collector modules, the operations
/// they send, and the task list of an account.
macro_rules! collectors {
    ($($name:ident: $ty:ident $(after $dep:ident)?),+ $(,)?) => {
        $(mod $name;)+

        /// Every operation sent in an audited account, by the file (under `src/`) that sends it.
        pub(crate) const MEMBER_OPERATIONS: &[(&str, &[Operation])] = &[
            ("collect/mod.rs", OPERATIONS),
            $((concat!("collect/", stringify!($name), ".rs"), $name::OPERATIONS),)+
        ];

        /// The tasks of one account: each global service once (`scope(GLOBAL_REGION)`),
        /// each regional one per region; a service that runs `after` another runs
        /// in that one's task, after it.
        fn service_tasks(scope: &dyn Fn(&str) -> Scope, regions: &[String]) -> Vec<Task> {
            const RUN_BY_ANOTHER: &[&str] = &[$($(stringify!($dep),)?)+];
            let mut tasks = Vec::new();
            $(
                if <crate::snapshot::$ty as Section>::GLOBAL
                    && !RUN_BY_ANOTHER.contains(&stringify!($name))
                {
                    tasks.push(task!(scope(GLOBAL_REGION), $name $(, $dep)?));
                }
            )+
            for region in regions {
                $(
                    if !<crate::snapshot::$ty as Section>::GLOBAL
                        && !RUN_BY_ANOTHER.contains(&stringify!($name))
                    {
                        tasks.push(task!(scope(region), $name $(, $dep)?));
                    }
                )+
            }
            tasks
        }
    };
}

/// One task: a service's collector (or two, with `after`) over one scope.
macro_rules! task {
    ($scope:expr, $name:ident) => {{
        let scope = $scope;
        Task {
            region: scope.region.clone(),
            run: Box::pin(async move {
                let read = $name::collect(&scope).await.into_read(stringify!($name));
                vec![Outcome::new(read, |a, s| a.$name.absorb(s))]
            }),
        }
    }};
    ($scope:expr, $name:ident, $dep:ident) => {{
        let scope = $scope;
        Task {
            region: scope.region.clone(),
            run: Box::pin(async move {
                let mut first = $dep::collect(&scope).await.into_read(stringify!($dep));
                let second = $name::collect_after(&scope, &mut first)
                    .await
                    .into_read(stringify!($name));
                vec![
                    Outcome::new(first, |a, s| a.$dep.absorb(s)),
                    Outcome::new(second, |a, s| a.$name.absorb(s)),
                ]
            }),
        }
    }};
}

crate::services::services!(collectors);

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
    /// AWS calls in flight at once over the whole run: the runner's own
    /// sockets and memory (at least 1: `config::values::concurrency` checks
    /// it). Each account and each of its (region, service) keys has its own
    /// bounds under it (`schedule`).
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
    throttled: AtomicU64,
    operations: Mutex<BTreeSet<String>>,
}

impl CallLog {
    pub fn calls(&self) -> u64 {
        self.calls.load(Ordering::Relaxed)
    }

    pub fn errors(&self) -> u64 {
        self.errors.load(Ordering::Relaxed)
    }

    /// Attempts AWS answered with throttling (retried, or a `Throttled` gap).
    pub fn throttled(&self) -> u64 {
        self.throttled.load(Ordering::Relaxed)
    }

    /// The distinct operations sent, e.g. `ECR:DescribeRepositories`.
    pub fn operations(&self) -> BTreeSet<String> {
        self.operations.lock().expect("call log lock").clone()
    }
}

/// Counts and names every request before it is sent, and gives each
/// (account, region, service) its own retry partition: the SDK's retry quota
/// and adaptive client-side rate are per partition, by default one per
/// service for the whole process, so one account's throttling would drain
/// every account's retries and slow every account's calls.
#[derive(Debug, Clone)]
pub(crate) struct Recorder {
    log: Arc<CallLog>,
    /// The account the calls go to (`caller` before it is known).
    account: Arc<str>,
}

impl Recorder {
    fn new(log: &Arc<CallLog>, account: &str) -> Recorder {
        Recorder {
            log: log.clone(),
            account: account.into(),
        }
    }
}

impl Intercept for Recorder {
    fn name(&self) -> &'static str {
        "archaudit-call-log"
    }

    fn read_before_execution(
        &self,
        _context: &aws_smithy_runtime_api::client::interceptors::context::BeforeSerializationInterceptorContextRef<'_>,
        cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        let service = cfg.load::<Metadata>().map(|m| m.service().to_string());
        let region = cfg
            .load::<aws_types::region::Region>()
            .map(|r| r.to_string());
        let partition = format!(
            "{}/{}/{}",
            service.as_deref().unwrap_or("-"),
            self.account,
            region.as_deref().unwrap_or("-")
        );
        cfg.interceptor_state()
            .store_put(aws_sdk_sts::config::retry::RetryPartition::new(partition));
        Ok(())
    }

    fn read_before_transmit(
        &self,
        _context: &BeforeTransmitInterceptorContextRef<'_>,
        _components: &RuntimeComponents,
        cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        self.log.calls.fetch_add(1, Ordering::Relaxed);
        if let Some(meta) = cfg.load::<Metadata>() {
            let op = format!("{}:{}", meta.service(), meta.name());
            self.log
                .operations
                .lock()
                .expect("call log lock")
                .insert(op);
        }
        Ok(())
    }
}

/// What a collector needs to read one (account, region): the collection scope.
#[derive(Clone)]
pub(crate) struct Scope {
    /// Configured for `region` (the home region for global services).
    pub config: SdkConfig,
    pub account_id: String,
    /// A region, or `global` for a global service.
    pub region: String,
    pub partition: String,
    pub recorder: Recorder,
}

/// Builds a service client with the call recorder attached:
/// `client!(aws_sdk_ecr, scope)`, or `client!(aws_sdk_sts, &config, &recorder)`
/// for the calls made before an account is known.
macro_rules! client {
    ($sdk:ident, $scope:expr) => {{
        let scope = &$scope;
        crate::collect::client!($sdk, &scope.config, &scope.recorder)
    }};
    ($sdk:ident, $config:expr, $recorder:expr) => {{
        let conf = $sdk::config::Builder::from($config)
            .interceptor(($recorder).clone())
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

/// [`for_each_concurrent`] over resources that may be deleted between their
/// list call and their own: `f` answers `None` for those, which are left out
/// (as if listed a moment later).
pub(crate) async fn each_found<T, R, F, Fut>(items: Vec<T>, f: F) -> Result<Vec<R>, CallError>
where
    F: Fn(T) -> Fut,
    Fut: std::future::Future<Output = Result<Option<R>, CallError>>,
{
    Ok(for_each_concurrent(items, f)
        .await?
        .into_iter()
        .flatten()
        .collect())
}

/// Every item of a paginated call (`req.into_paginator().items().send()`), or
/// the first error, classified.
pub(crate) async fn every<T, E>(
    items: PaginationStream<Result<T, SdkError<E, HttpResponse>>>,
) -> Result<Vec<T>, CallError>
where
    E: ProvideErrorMetadata + std::error::Error + 'static,
{
    items.try_collect().await.map_err(call)
}

/// [`every`] for a list that belongs to one resource: `None` when AWS
/// answers one of `absent` (the resource was deleted since it was listed).
pub(crate) async fn every_found<T, E>(
    items: PaginationStream<Result<T, SdkError<E, HttpResponse>>>,
    absent: &[&str],
) -> Result<Option<Vec<T>>, CallError>
where
    E: ProvideErrorMetadata + std::error::Error + 'static,
{
    found(items.try_collect().await, absent)
}

/// A call's output, or `None` when AWS answered with one of the error codes
/// `absent` (what was asked about does not exist: never created, or deleted
/// since it was listed); any other error, classified.
pub(crate) fn found<T, E>(
    result: Result<T, SdkError<E, HttpResponse>>,
    absent: &[&str],
) -> Result<Option<T>, CallError>
where
    E: ProvideErrorMetadata + std::error::Error + 'static,
{
    match result {
        Ok(out) => Ok(Some(out)),
        Err(e) if aws::error_code(&e).is_some_and(|code| absent.contains(&code)) => Ok(None),
        Err(e) => Err(call(e)),
    }
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

/// What one collector read in one (account, region): its section, and each of
/// its coverage keys with why it could not be read. A part that could not be
/// read is left empty in the section.
pub(crate) struct Read<S> {
    pub section: S,
    pub parts: Vec<(&'static str, Result<(), CallError>)>,
}

impl<S> Read<S> {
    /// Whether every part was read.
    pub fn complete(&self) -> bool {
        self.parts.iter().all(|(_, r)| r.is_ok())
    }
}

/// A collector's answer as a [`Read`]: a collector with one coverage key (the
/// service's name) returns a plain `Result`.
pub(crate) trait IntoRead<S> {
    fn into_read(self, service: &'static str) -> Read<S>;
}

impl<S: Default> IntoRead<S> for Result<S, CallError> {
    fn into_read(self, service: &'static str) -> Read<S> {
        match self {
            Ok(section) => Read {
                section,
                parts: vec![(service, Ok(()))],
            },
            Err(e) => Read {
                section: S::default(),
                parts: vec![(service, Err(e))],
            },
        }
    }
}

impl<S> IntoRead<S> for Read<S> {
    fn into_read(self, _: &'static str) -> Read<S> {
        self
    }
}

/// A collection task of one account: the region its coverage is recorded
/// under, and the work.
struct Task {
    region: String,
    run: BoxFuture<'static, Vec<Outcome>>,
}

/// One service's outcome in a task: its coverage, and how its data goes into
/// the account.
struct Outcome {
    parts: Vec<(&'static str, Result<(), CallError>)>,
    merge: Box<dyn FnOnce(&mut AccountSnapshot) + Send>,
}

impl Outcome {
    fn new<S: Send + 'static>(
        read: Read<S>,
        put: impl FnOnce(&mut AccountSnapshot, S) + Send + 'static,
    ) -> Outcome {
        let section = read.section;
        Outcome {
            parts: read.parts,
            merge: Box::new(move |account| put(account, section)),
        }
    }
}

fn coverage(region: &str, service: &str, result: &Result<(), CallError>) -> CoverageEntry {
    match result {
        Ok(()) => CoverageEntry::ok(region, service),
        Err(e) => CoverageEntry {
            region: region.to_string(),
            service: service.to_string(),
            status: CoverageStatus::Error,
            error: Some(e.class),
            message: Some(e.message.clone()),
        },
    }
}

/// Reads one account; every failure lands in its coverage.
async fn collect_account(
    base: &SdkConfig,
    caller: &str,
    partition: &str,
    account: Account,
    opts: &CollectOptions,
    scheduler: &Scheduler,
    log: &Arc<CallLog>,
) -> AccountSnapshot {
    let recorder = Recorder::new(log, &account.id);
    // `base` goes through the caller's gate (AssumeRole is the caller's STS
    // call); what is read in the account goes through the account's.
    let config = if account.id == caller {
        base.clone()
    } else {
        let assumed = aws::assume_role_config(base, partition, &account.id, &opts.aws).await;
        scheduler.route(&assumed, &account.id)
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
    let sts = client!(aws_sdk_sts, &config, &recorder);
    let identity = sts.get_caller_identity().send().await;
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

    // Global services are read through the first region read.
    let home = regions
        .first()
        .cloned()
        .unwrap_or_else(|| aws::HOME_REGION.to_string());
    let scope = |region: &str| Scope {
        config: aws::in_region(
            &config,
            if region == GLOBAL_REGION {
                &home
            } else {
                region
            },
        ),
        account_id: snapshot.account.id.clone(),
        region: region.to_string(),
        partition: partition.to_string(),
        recorder: recorder.clone(),
    };
    let tasks = service_tasks(&scope, &regions);

    // Every task starts: their calls wait for slots in the scheduler.
    let results = stream::iter(
        tasks
            .into_iter()
            .map(|task| async move { (task.region, task.run.await) }),
    )
    .buffer_unordered(usize::MAX)
    .collect::<Vec<_>>()
    .await;

    for (region, outcomes) in results {
        for outcome in outcomes {
            for (service, result) in &outcome.parts {
                if result.is_err() {
                    log.errors.fetch_add(1, Ordering::Relaxed);
                }
                snapshot.coverage.push(coverage(&region, service, result));
            }
            (outcome.merge)(&mut snapshot);
        }
    }
    snapshot.normalize();
    snapshot
}

async fn enabled_regions(
    config: &SdkConfig,
    recorder: &Recorder,
) -> Result<Vec<String>, CallError> {
    let ec2 = client!(aws_sdk_ec2, config, recorder);
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
    let org = client!(aws_sdk_organizations, base, recorder);
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
    let pages = every(org.list_accounts().into_paginator().send())
        .await
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
            let tags = every(
                org.list_tags_for_resource()
                    .resource_id(&id)
                    .into_paginator()
                    .items()
                    .send(),
            )
            .await?;
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
    let sts = client!(aws_sdk_sts, &base, &Recorder::new(&log, "caller"));
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
    let scheduler = Scheduler::new(opts.concurrency, log.clone(), &base);
    let base = scheduler.route(&base, &caller);
    let recorder = Recorder::new(&log, &caller);

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

    let progress =
        crate::collect::progress::Progress::new(accounts.len(), opts.progress, log.clone());
    let snapshots = stream::iter(accounts.into_iter().map(|account| {
        let (base, caller, partition, scheduler, log, progress) =
            (&base, &caller, &partition, &scheduler, &log, &progress);
        async move {
            let snapshot =
                collect_account(base, caller, partition, account, opts, scheduler, log).await;
            progress.account_done();
            snapshot
        }
    }))
    .buffer_unordered(schedule::accounts_in_flight(opts.concurrency))
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
            recorder: Recorder::new(&Arc::default(), account_id),
        }
    }
}
