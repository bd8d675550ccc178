//! The collection scheduler: how many AWS calls are in flight, and where.
//!
//! AWS rate-limits each account on its own, per region and per service (API
//! family), so one global cap either leaves most of a large organization's
//! rate unused or lets a burst inside one account trip that account's
//! throttling. Every HTTP attempt of an account goes through its
//! [`AccountGate`] (the account's SDK configuration carries a wrapped HTTP
//! client, [`Scheduler::route`]) and waits, in this order, for:
//!
//! 1. a slot of its key, (region, service) as the request is signed for: an
//!    AIMD [`Window`] that grows by one call per window of successes and halves
//!    when a call of that key is throttled, so the key that throttles slows
//!    down and every other one keeps going;
//! 2. a slot of its account ([`PER_ACCOUNT_CALLS`]);
//! 3. a slot of the run (`--concurrency`): the runner's own sockets and memory.
//!
//! The SDK retries the throttled call after its backoff (each (account,
//! region, service) has its own retry partition, so one account's throttling
//! neither drains another's retry quota nor slows its client-side rate:
//! `Recorder`); a throttle that outlasts the attempts is a `Throttled` gap.

use super::CallLog;
use crate::aws;
use crate::snapshot::ErrorClass;
use aws_config::SdkConfig;
use aws_smithy_runtime_api::client::http::{
    HttpClient, HttpConnector, HttpConnectorFuture, HttpConnectorSettings, SharedHttpClient,
    SharedHttpConnector,
};
use aws_smithy_runtime_api::client::orchestrator::HttpRequest;
use aws_smithy_runtime_api::client::result::ConnectorError;
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;
use aws_smithy_runtime_api::http::Headers;
use aws_smithy_types::body::SdkBody;
use aws_smithy_types::byte_stream::ByteStream;
use std::collections::HashMap;
use std::fmt;
use std::sync::atomic::Ordering;
use std::sync::{Arc, Mutex};
use tokio::sync::{Notify, Semaphore};

/// Calls in flight in one account, over all its keys: AWS's limits are per
/// key, this keeps one account's fan-out (17 services, 8 resources each) from
/// taking the whole run's slots.
pub(crate) const PER_ACCOUNT_CALLS: usize = 16;

/// A key's window when it starts, and its bounds. AWS's token buckets allow
/// bursts of tens of calls; four is a safe start that the additive increase
/// doubles after a few round trips.
const INITIAL_WINDOW: f64 = 4.0;
const MAX_WINDOW: f64 = 16.0;

/// Accounts read at once for `concurrency` run slots. An account has a few
/// calls ready at a time (its services' list-then-describe chains), so a
/// quarter as many accounts as slots keeps the slots busy, while calls wait in
/// the queue far less than their attempt timeout and memory holds only these
/// accounts' running tasks (all of an account's tasks start at once, and an
/// SDK call's state is large: 1,700 running tasks took 450 MB in a debug build).
pub(crate) fn accounts_in_flight(concurrency: usize) -> usize {
    (concurrency / 4).max(1)
}

/// The run's gates: its own slots, and one gate per account.
pub(crate) struct Scheduler {
    /// The SDK's HTTP client, which every gate wraps.
    http: Option<SharedHttpClient>,
    run: Arc<Semaphore>,
    log: Arc<CallLog>,
    accounts: Mutex<HashMap<String, Arc<AccountGate>>>,
}

impl Scheduler {
    /// `concurrency` calls in flight over the run (at least 1), through the
    /// HTTP client of `base`.
    pub fn new(concurrency: usize, log: Arc<CallLog>, base: &SdkConfig) -> Scheduler {
        Scheduler {
            http: base.http_client(),
            run: Arc::new(Semaphore::new(concurrency.max(1))),
            log,
            accounts: Mutex::default(),
        }
    }

    /// The gate of `account`, the same for every caller.
    pub fn account(&self, account: &str) -> Arc<AccountGate> {
        let mut accounts = self.accounts.lock().expect("scheduler lock");
        accounts
            .entry(account.to_string())
            .or_insert_with(|| {
                Arc::new(AccountGate {
                    account: account.to_string(),
                    calls: Semaphore::new(PER_ACCOUNT_CALLS),
                    run: self.run.clone(),
                    log: self.log.clone(),
                    windows: Mutex::default(),
                })
            })
            .clone()
    }

    /// `config` with every call sent through `account`'s gate (instead of any
    /// other gate `config` had). Without an HTTP client (unit tests' mocks
    /// bring their own) `config` is left as is.
    pub fn route(&self, config: &SdkConfig, account: &str) -> SdkConfig {
        let Some(inner) = self.http.clone() else {
            return config.clone();
        };
        let gated = GatedClient {
            inner,
            gate: self.account(account),
        };
        config
            .to_builder()
            .http_client(SharedHttpClient::new(gated))
            .build()
    }
}

/// One account's gate: its own slots and a window per (region, service).
pub(crate) struct AccountGate {
    account: String,
    calls: Semaphore,
    run: Arc<Semaphore>,
    log: Arc<CallLog>,
    windows: Mutex<HashMap<String, Arc<Window>>>,
}

impl fmt::Debug for AccountGate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AccountGate")
            .field("account", &self.account)
            .finish_non_exhaustive()
    }
}

impl AccountGate {
    /// The window of `key` (`region/service`).
    pub fn window(&self, key: &str) -> Arc<Window> {
        let mut windows = self.windows.lock().expect("gate lock");
        if let Some(w) = windows.get(key) {
            return w.clone();
        }
        let w = Arc::new(Window::new());
        windows.insert(key.to_string(), w.clone());
        w
    }

    /// Sends `request` once its key, its account and the run have a slot; a
    /// throttled answer halves its key's window.
    async fn send(
        &self,
        inner: SharedHttpConnector,
        request: HttpRequest,
    ) -> Result<aws_smithy_runtime_api::client::orchestrator::HttpResponse, ConnectorError> {
        let key = key_of(request.headers());
        let window = self.window(&key);
        let slot = window.acquire().await;
        let _account = self.calls.acquire().await.expect("account gate open");
        let _run = self.run.acquire().await.expect("run gate open");
        let mut response = inner.call(request).await?;
        let status = response.status().as_u16();
        // Only error statuses can be throttling; their bodies are small and
        // are read here (and handed on) to find the error code.
        let throttled = if matches!(status, 400 | 429 | 503) {
            let body = ByteStream::new(response.take_body())
                .collect()
                .await
                .map_err(|e| ConnectorError::io(e.into()))?
                .into_bytes();
            let throttled = is_throttling(status, response.headers(), &body);
            *response.body_mut() = SdkBody::from(body);
            throttled
        } else {
            false
        };
        slot.finish(throttled);
        if throttled {
            self.log.throttled.fetch_add(1, Ordering::Relaxed);
            tracing::debug!(account = %self.account, key, window = window.limit(), "throttled");
        }
        Ok(response)
    }
}

/// The rate-limit key of a request: the region and service of its SigV4
/// credential scope (`Credential=AKID/20261130/eu-central-1/ec2/aws4_request`),
/// which names them whatever the endpoint.
fn key_of(headers: &Headers) -> String {
    headers
        .get("authorization")
        .and_then(|auth| auth.split("Credential=").nth(1))
        .and_then(|cred| {
            let mut parts = cred.split('/').skip(2);
            Some(format!("{}/{}", parts.next()?, parts.next()?))
        })
        .unwrap_or_else(|| "unsigned".to_string())
}

/// Whether an error answer is AWS throttling: its error code (the
/// `x-amzn-ErrorType` header of the JSON protocols, the `<Code>` of the XML
/// ones, the JSON `__type`/`code`) classified as the coverage does.
pub(crate) fn is_throttling(status: u16, headers: &Headers, body: &[u8]) -> bool {
    let code = headers
        .get("x-amzn-errortype")
        .map(|t| t.split(':').next().unwrap_or_default().to_string())
        .or_else(|| xml_code(body))
        .or_else(|| json_code(body))
        .unwrap_or_default();
    aws::class_of(&code, Some(status)) == ErrorClass::Throttled
}

fn xml_code(body: &[u8]) -> Option<String> {
    let text = std::str::from_utf8(body).ok()?;
    let start = text.find("<Code>")? + "<Code>".len();
    let end = start + text[start..].find("</Code>")?;
    Some(text[start..end].trim().to_string())
}

fn json_code(body: &[u8]) -> Option<String> {
    let value: serde_json::Value = serde_json::from_slice(body).ok()?;
    let code = value
        .get("__type")
        .or_else(|| value.get("code"))
        .and_then(|c| c.as_str())?;
    // `com.amazonaws.ecr#ThrottlingException` names the shape after `#`.
    Some(code.rsplit('#').next().unwrap_or(code).to_string())
}

/// An AIMD concurrency window: at most `limit` calls in flight; each success
/// adds `1/limit` (one call per window of successes), a throttle halves it
/// (at least 1). The calls sent before a decrease that come back throttled
/// too are one congestion event, not several: only a call that started
/// after the last decrease can halve the window again.
pub(crate) struct Window {
    state: Mutex<WindowState>,
    freed: Notify,
}

struct WindowState {
    limit: f64,
    in_flight: usize,
    /// Decreases so far: the epoch a slot was taken in.
    decreases: u64,
}

impl Window {
    pub fn new() -> Window {
        Window {
            state: Mutex::new(WindowState {
                limit: INITIAL_WINDOW,
                in_flight: 0,
                decreases: 0,
            }),
            freed: Notify::new(),
        }
    }

    /// Calls allowed in flight now.
    pub fn limit(&self) -> usize {
        self.state.lock().expect("window lock").limit as usize
    }

    /// Waits for a slot.
    pub async fn acquire(self: &Arc<Self>) -> Slot {
        loop {
            let freed = self.freed.notified();
            tokio::pin!(freed);
            // Registered before the check, so a release between the check and
            // the wait is not missed.
            freed.as_mut().enable();
            if let Some(slot) = self.try_acquire() {
                return slot;
            }
            freed.await;
        }
    }

    /// A slot if one is free now.
    pub fn try_acquire(self: &Arc<Self>) -> Option<Slot> {
        let mut s = self.state.lock().expect("window lock");
        if s.in_flight < s.limit as usize {
            s.in_flight += 1;
            Some(Slot {
                window: self.clone(),
                epoch: s.decreases,
            })
        } else {
            None
        }
    }
}

/// A call's place in its key's window, released when dropped.
pub(crate) struct Slot {
    window: Arc<Window>,
    epoch: u64,
}

impl Slot {
    /// Records how the call went: a throttle halves the window (once per
    /// epoch), a success grows it.
    pub fn finish(self, throttled: bool) {
        let mut s = self.window.state.lock().expect("window lock");
        if throttled {
            if self.epoch == s.decreases {
                s.limit = (s.limit / 2.0).max(1.0);
                s.decreases += 1;
            }
        } else {
            s.limit = (s.limit + 1.0 / s.limit).min(MAX_WINDOW);
        }
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        self.window.state.lock().expect("window lock").in_flight -= 1;
        self.window.freed.notify_waiters();
    }
}

/// The account's HTTP client: the SDK's, behind the gate.
#[derive(Debug)]
struct GatedClient {
    inner: SharedHttpClient,
    gate: Arc<AccountGate>,
}

impl HttpClient for GatedClient {
    fn http_connector(
        &self,
        settings: &HttpConnectorSettings,
        components: &RuntimeComponents,
    ) -> SharedHttpConnector {
        SharedHttpConnector::new(GatedConnector {
            inner: self.inner.http_connector(settings, components),
            gate: self.gate.clone(),
        })
    }

    fn validate_base_client_config(
        &self,
        components: &aws_smithy_runtime_api::client::runtime_components::RuntimeComponentsBuilder,
        cfg: &aws_smithy_types::config_bag::ConfigBag,
    ) -> Result<(), aws_smithy_runtime_api::box_error::BoxError> {
        self.inner.validate_base_client_config(components, cfg)
    }

    fn connector_metadata(
        &self,
    ) -> Option<aws_smithy_runtime_api::client::connector_metadata::ConnectorMetadata> {
        self.inner.connector_metadata()
    }
}

#[derive(Debug)]
struct GatedConnector {
    inner: SharedHttpConnector,
    gate: Arc<AccountGate>,
}

impl HttpConnector for GatedConnector {
    fn call(&self, request: HttpRequest) -> HttpConnectorFuture {
        let (inner, gate) = (self.inner.clone(), self.gate.clone());
        HttpConnectorFuture::new(async move { gate.send(inner, request).await })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_smithy_runtime_api::client::orchestrator::HttpResponse;
    use aws_smithy_runtime_api::http::StatusCode;
    use std::sync::atomic::AtomicUsize;
    use std::time::Duration;

    fn headers(pairs: &[(&'static str, &'static str)]) -> Headers {
        let mut h = Headers::new();
        for (k, v) in pairs {
            h.insert(*k, *v);
        }
        h
    }

    #[test]
    fn window_bounds_its_calls_in_flight() {
        let w = Arc::new(Window::new());
        let held: Vec<Slot> = (0..4).map_while(|_| w.try_acquire()).collect();
        assert_eq!(held.len(), 4);
        assert!(w.try_acquire().is_none(), "a fifth call must wait");
        drop(held);
        assert!(w.try_acquire().is_some());
    }

    #[test]
    fn throttle_halves_the_window_once_per_epoch() {
        let w = Arc::new(Window::new());
        let mut held: Vec<Slot> = (0..4).map_while(|_| w.try_acquire()).collect();
        held.pop().unwrap().finish(true);
        assert_eq!(w.limit(), 2);
        // Sent before the decrease: the same congestion event.
        held.pop().unwrap().finish(true);
        assert_eq!(w.limit(), 2);
        drop(held);
        // Sent after it: halves again, down to one call and no lower.
        w.try_acquire().unwrap().finish(true);
        assert_eq!(w.limit(), 1);
        w.try_acquire().unwrap().finish(true);
        assert_eq!(w.limit(), 1);
        assert!(w.try_acquire().is_some());
    }

    #[test]
    fn successes_grow_the_window_by_one_per_window_up_to_the_cap() {
        let w = Arc::new(Window::new());
        let mut successes = 0;
        while w.limit() == 4 {
            w.try_acquire().unwrap().finish(false);
            successes += 1;
        }
        assert_eq!(w.limit(), 5);
        assert!((4..=5).contains(&successes), "{successes} successes");
        for _ in 0..1000 {
            w.try_acquire().unwrap().finish(false);
        }
        assert_eq!(w.limit(), MAX_WINDOW as usize);
    }

    #[test]
    fn a_throttled_key_leaves_the_others_going() {
        let scheduler = Scheduler::new(8, Arc::default(), &SdkConfig::builder().build());
        let a = scheduler.account("571293840655");
        let ec2 = a.window("eu-central-1/ec2");
        let w = ec2.try_acquire().unwrap();
        w.finish(true);
        assert_eq!(ec2.limit(), 2);
        assert!(Arc::ptr_eq(&ec2, &a.window("eu-central-1/ec2")));
        assert!(Arc::ptr_eq(
            &ec2,
            &scheduler.account("571293840655").window("eu-central-1/ec2")
        ));
        assert_eq!(a.window("eu-central-1/iam").limit(), 4);
        assert_eq!(a.window("us-east-1/ec2").limit(), 4);
        let b = scheduler.account("318465720941");
        assert_eq!(b.window("eu-central-1/ec2").limit(), 4);
    }

    #[test]
    fn keys_come_from_the_credential_scope() {
        let signed = headers(&[(
            "authorization",
            "AWS4-HMAC-SHA256 Credential=ASIAEXAMPLE/20261130/eu-central-1/ec2/aws4_request, \
             SignedHeaders=host;x-amz-date, Signature=0123abcd",
        )]);
        assert_eq!(key_of(&signed), "eu-central-1/ec2");
        assert_eq!(key_of(&Headers::new()), "unsigned");
    }

    #[test]
    fn throttling_is_recognised_in_each_protocol() {
        let xml = |code: &str| -> Vec<u8> {
            format!(
                "<ErrorResponse xmlns=\"https://iam.amazonaws.com/doc/2010-05-08/\"><Error>\
                 <Type>Sender</Type><Code>{code}</Code><Message>Rate exceeded</Message></Error>\
                 <RequestId>3b1a4c3e-6f0e-4f7a-9d0c-2f5c7d9e1a11</RequestId></ErrorResponse>"
            )
            .into_bytes()
        };
        // Query (IAM, STS, RDS, ELB): 400 and the code in the XML body.
        assert!(is_throttling(400, &Headers::new(), &xml("Throttling")));
        assert!(!is_throttling(400, &Headers::new(), &xml("AccessDenied")));
        assert!(!is_throttling(
            400,
            &Headers::new(),
            &xml("ValidationError")
        ));
        // EC2: 503 RequestLimitExceeded.
        let ec2 = b"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Response><Errors><Error>\
            <Code>RequestLimitExceeded</Code><Message>Request limit exceeded.</Message></Error>\
            </Errors><RequestID>6c6bd7a3-1b34-4b8e-9d4b-5a0f1e8c2d10</RequestID></Response>";
        assert!(is_throttling(503, &Headers::new(), ec2));
        // S3: 503 SlowDown.
        let s3 = b"<Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message>\
            <RequestId>4442587FB7D0A2F9</RequestId></Error>";
        assert!(is_throttling(503, &Headers::new(), s3));
        // JSON protocols: the header, or `__type` with the shape's namespace.
        let header = headers(&[(
            "x-amzn-errortype",
            "ThrottlingException:http://internal.amazon.com/coral/com.amazon.coral.availability/",
        )]);
        assert!(is_throttling(
            400,
            &header,
            br#"{"message":"Rate exceeded"}"#
        ));
        let dynamodb = br#"{"__type":"com.amazonaws.dynamodb.v20120810#ThrottlingException","message":"Rate of requests exceeds the allowed throughput."}"#;
        assert!(is_throttling(400, &Headers::new(), dynamodb));
        let invalid =
            br#"{"__type":"com.amazonaws.ecr#InvalidParameterException","message":"bad"}"#;
        assert!(!is_throttling(400, &Headers::new(), invalid));
        // REST-JSON: 429 TooManyRequestsException, or a bare 429.
        let rest = headers(&[("x-amzn-errortype", "TooManyRequestsException")]);
        assert!(is_throttling(
            429,
            &rest,
            br#"{"message":"Too Many Requests"}"#
        ));
        assert!(is_throttling(429, &Headers::new(), b""));
        // A 503 that is not throttling.
        assert!(!is_throttling(
            503,
            &Headers::new(),
            b"<Error><Code>ServiceUnavailable</Code></Error>"
        ));
    }

    /// The network under the gate: answers each request after a pause, with
    /// EC2's throttling for the requests signed for `throttle`, and counts the
    /// calls in flight.
    #[derive(Debug, Default)]
    struct Network {
        throttle: Option<&'static str>,
        in_flight: AtomicUsize,
        most: AtomicUsize,
        per_key: Mutex<HashMap<String, (usize, usize)>>,
    }

    #[derive(Debug, Clone)]
    struct Wire(Arc<Network>);

    impl HttpConnector for Wire {
        fn call(&self, request: HttpRequest) -> HttpConnectorFuture {
            let net = self.0.clone();
            HttpConnectorFuture::new(async move {
                // The access key names the account here.
                let auth = request.headers().get("authorization").unwrap_or_default();
                let account = auth.split("Credential=").nth(1).unwrap_or_default();
                let key = format!("{}/{}", &account[..12], key_of(request.headers()));
                let now = net.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
                net.most.fetch_max(now, Ordering::SeqCst);
                {
                    let mut per_key = net.per_key.lock().unwrap();
                    let (cur, most) = per_key.entry(key.clone()).or_default();
                    *cur += 1;
                    *most = (*most).max(*cur);
                }
                tokio::time::sleep(Duration::from_millis(5)).await;
                net.per_key.lock().unwrap().get_mut(&key).unwrap().0 -= 1;
                net.in_flight.fetch_sub(1, Ordering::SeqCst);
                let response = if key.ends_with(net.throttle.unwrap_or("-")) {
                    HttpResponse::new(
                        StatusCode::try_from(503).unwrap(),
                        SdkBody::from(
                            "<Response><Errors><Error><Code>RequestLimitExceeded</Code>\
                             <Message>Request limit exceeded.</Message></Error></Errors>\
                             <RequestID>6c6bd7a3-1b34-4b8e-9d4b-5a0f1e8c2d10</RequestID></Response>",
                        ),
                    )
                } else {
                    HttpResponse::new(StatusCode::try_from(200).unwrap(), SdkBody::from("<ok/>"))
                };
                Ok(response)
            })
        }
    }

    fn request(account: &str, region: &str, service: &str) -> HttpRequest {
        let mut request = HttpRequest::new(SdkBody::from("Action=DescribeVpcs&Version=2016-11-15"));
        request.headers_mut().insert(
            "authorization",
            format!(
                "AWS4-HMAC-SHA256 Credential={account}/20261130/{region}/{service}/aws4_request, \
                 SignedHeaders=host, Signature=0123abcd"
            ),
        );
        request
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn calls_wait_for_their_key_account_and_run_slots() {
        let net = Arc::new(Network {
            throttle: Some("eu-central-1/ec2"),
            ..Network::default()
        });
        let log = Arc::new(CallLog::default());
        // 20 run slots for two accounts of 16 slots each: the run's bound binds.
        let scheduler = Scheduler::new(20, log.clone(), &SdkConfig::builder().build());
        let wire = SharedHttpConnector::new(Wire(net.clone()));
        let services = ["ec2", "iam", "ecr", "eks", "logs", "rds"];
        let mut calls = Vec::new();
        for account in ["571293840655", "318465720941"] {
            let gate = scheduler.account(account);
            for i in 0..120 {
                let (gate, wire) = (gate.clone(), wire.clone());
                let req = request(account, "eu-central-1", services[i % services.len()]);
                calls.push(tokio::spawn(async move { gate.send(wire, req).await }));
            }
        }
        let mut statuses = Vec::new();
        for call in calls {
            statuses.push(call.await.unwrap().unwrap().status().as_u16());
        }
        assert_eq!(statuses.iter().filter(|s| **s == 503).count(), 40);
        assert_eq!(log.throttled(), 40);
        assert!(net.most.load(Ordering::SeqCst) <= 20, "run bound");
        assert!(
            net.most.load(Ordering::SeqCst) > PER_ACCOUNT_CALLS,
            "two accounts at once"
        );
        let per_key = net.per_key.lock().unwrap().clone();
        assert_eq!(per_key.len(), 12);
        for account in ["571293840655", "318465720941"] {
            let gate = scheduler.account(account);
            let ec2 = gate.window("eu-central-1/ec2");
            assert_eq!(ec2.limit(), 1, "the throttled key backs off");
            let (_, most) = per_key[&format!("{account}/eu-central-1/ec2")];
            assert!(most <= INITIAL_WINDOW as usize, "ec2: {most} in flight");
            for other in &services[1..] {
                let window = gate.window(&format!("eu-central-1/{other}"));
                // Windows of keys that were not throttled only grew: their
                // last size bounds what was ever in flight.
                let (_, most) = per_key[&format!("{account}/eu-central-1/{other}")];
                assert!(
                    most <= window.limit(),
                    "{other}: {most} > {}",
                    window.limit()
                );
                assert!(
                    window.limit() > INITIAL_WINDOW as usize,
                    "{other} keeps growing"
                );
            }
        }
    }
}
