//! AWS SDK configuration: credentials (the standard chain), assume-role per
//! account, endpoint override, adaptive retry, timeouts; and the classification
//! of SDK errors by their AWS error code into the snapshot's coverage classes.

use crate::snapshot::ErrorClass;
use aws_config::identity::IdentityCache;
use aws_config::retry::RetryConfig;
use aws_config::sts::AssumeRoleProvider;
use aws_config::timeout::TimeoutConfig;
use aws_config::{BehaviorVersion, Region, SdkConfig};
use aws_credential_types::provider::SharedCredentialsProvider;
use aws_smithy_runtime_api::client::orchestrator::HttpResponse;
use aws_smithy_runtime_api::client::result::SdkError;
use aws_smithy_types::error::display::DisplayErrorContext;
use aws_smithy_types::error::metadata::ProvideErrorMetadata;
use std::fmt;
use std::time::Duration;

/// How to reach AWS.
#[derive(Debug, Clone)]
pub struct AwsOptions {
    /// Send every client here (an AWS-compatible endpoint); `AWS_ENDPOINT_URL`
    /// is honoured by the SDK itself.
    pub endpoint_url: Option<String>,
    /// The role assumed in every account but the caller's own.
    pub assumed_role: String,
    pub external_id: Option<String>,
    /// Attempts per call, with adaptive (client-side rate limited) retry.
    pub max_attempts: u32,
    /// Timeout of one call, retries included.
    pub call_timeout: Duration,
}

impl Default for AwsOptions {
    fn default() -> Self {
        AwsOptions {
            endpoint_url: None,
            assumed_role: "OrganizationAccountAccessRole".to_string(),
            external_id: None,
            max_attempts: 8,
            call_timeout: Duration::from_secs(60),
        }
    }
}

/// The region used for calls that need one before regions are known
/// (STS, Organizations, EC2 DescribeRegions) when none is configured.
pub const HOME_REGION: &str = "us-east-1";

/// The caller's configuration from the standard chain (env, profile, SSO, IMDS,
/// web identity / IRSA), with our retry, timeouts and endpoint.
pub async fn base_config(opts: &AwsOptions) -> SdkConfig {
    let mut loader = aws_config::defaults(BehaviorVersion::latest())
        .retry_config(RetryConfig::adaptive().with_max_attempts(opts.max_attempts))
        .timeout_config(
            TimeoutConfig::builder()
                .connect_timeout(Duration::from_secs(10))
                .operation_attempt_timeout(Duration::from_secs(30))
                .operation_timeout(opts.call_timeout)
                .build(),
        );
    if let Some(url) = &opts.endpoint_url {
        loader = loader.endpoint_url(url);
    }
    let config = loader.load().await;
    if config.region().is_none() {
        config.to_builder().region(Region::new(HOME_REGION)).build()
    } else {
        config
    }
}

/// The configuration for another account: `base` with credentials from
/// assuming `arn:<partition>:iam::<account>:role/<assumed_role>`.
pub async fn assume_role_config(
    base: &SdkConfig,
    partition: &str,
    account: &str,
    opts: &AwsOptions,
) -> SdkConfig {
    let role_arn = format!("arn:{partition}:iam::{account}:role/{}", opts.assumed_role);
    let mut builder = AssumeRoleProvider::builder(role_arn)
        .session_name("archaudit")
        .configure(base);
    if let Some(id) = &opts.external_id {
        builder = builder.external_id(id);
    }
    let provider = builder.build().await;
    // Each account caches its credentials on its own: the shared cache holds
    // 64 providers and then evicts one at random, so in a large organization
    // accounts still being read would assume their role again and again.
    base.to_builder()
        .credentials_provider(SharedCredentialsProvider::new(provider))
        .identity_cache(IdentityCache::lazy().build())
        .build()
}

/// `config` for `region`.
pub fn in_region(config: &SdkConfig, region: &str) -> SdkConfig {
    config
        .to_builder()
        .region(Region::new(region.to_string()))
        .build()
}

/// GetBucketLocation's answer as a region: empty is us-east-1, `EU` eu-west-1.
pub fn bucket_region(constraint: Option<&str>) -> String {
    match constraint {
        None | Some("") => "us-east-1".to_string(),
        Some("EU") => "eu-west-1".to_string(),
        Some(region) => region.to_string(),
    }
}

/// An S3 client for `config`: path-style addressing (which a custom endpoint
/// needs and AWS accepts) and no retries of foreign answers.
pub fn s3_client(config: &SdkConfig) -> aws_sdk_s3::config::Builder {
    aws_sdk_s3::config::Builder::from(config)
        .force_path_style(true)
        .retry_classifier(NoRetryOnForeignAnswer)
}

/// An SDK error, classified. The message carries the code and the service's
/// message, never credentials.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CallError {
    pub class: ErrorClass,
    pub message: String,
}

impl fmt::Display for CallError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.class, self.message)
    }
}

impl std::error::Error for CallError {}

/// Classifies an AWS error code (and HTTP status, when the code is unknown).
pub fn class_of(code: &str, status: Option<u16>) -> ErrorClass {
    match code {
        "AccessDenied"
        | "AccessDeniedException"
        | "UnauthorizedOperation"
        | "UnauthorizedException"
        | "AuthorizationError"
        | "AuthorizationErrorException"
        | "Forbidden"
        | "AccessDeniedForDependencyException"
        | "AWSOrganizationsNotInUseException" => ErrorClass::AccessDenied,
        "Throttling"
        | "ThrottlingException"
        | "RequestLimitExceeded"
        | "TooManyRequestsException"
        | "SlowDown"
        | "RequestThrottled"
        | "RequestThrottledException"
        | "ProvisionedThroughputExceededException" => ErrorClass::Throttled,
        "OptInRequired" | "SubscriptionRequiredException" | "InvalidSubscriptionException" => {
            ErrorClass::NotSubscribed
        }
        "AuthFailure" | "UnrecognizedClientException" | "InvalidClientTokenId" => {
            ErrorClass::RegionDisabled
        }
        "NotImplemented" | "InvalidAction" | "UnknownOperationException" | "UnknownOperation" => {
            ErrorClass::NotImplemented
        }
        _ => match status {
            Some(403) => ErrorClass::AccessDenied,
            Some(404) | Some(405) | Some(501) => ErrorClass::NotImplemented,
            // A 500 without an AWS error code is not AWS speaking: an endpoint
            // (such as moto) that does not implement the operation.
            Some(500) if code.is_empty() => ErrorClass::NotImplemented,
            Some(429) => ErrorClass::Throttled,
            _ => ErrorClass::Other,
        },
    }
}

/// Classifies any SDK call error.
pub fn classify<E>(err: &SdkError<E, HttpResponse>) -> CallError
where
    E: ProvideErrorMetadata + std::error::Error + 'static,
{
    match err {
        SdkError::ServiceError(ctx) => {
            let e = ctx.err();
            let code = e.code().unwrap_or("");
            let status = ctx.raw().status().as_u16();
            CallError {
                class: class_of(code, Some(status)),
                message: format!(
                    "{} (HTTP {status}): {}",
                    if code.is_empty() { "error" } else { code },
                    e.message().unwrap_or("no message")
                ),
            }
        }
        SdkError::TimeoutError(_) => CallError {
            class: ErrorClass::Unreachable,
            message: "the call timed out".to_string(),
        },
        // Credential failures (an assumed role that was refused) arrive here too:
        // the whole source chain names the cause.
        SdkError::DispatchFailure(_) => CallError {
            class: ErrorClass::Unreachable,
            message: format!("{}", DisplayErrorContext(err)),
        },
        SdkError::ResponseError(r) => {
            let status = r.raw().status().as_u16();
            CallError {
                // An endpoint answering an unknown operation with HTML (moto) lands here.
                class: class_of("", Some(status)),
                message: format!("unreadable response (HTTP {status})"),
            }
        }
        other => CallError {
            class: ErrorClass::Other,
            message: format!("{}", DisplayErrorContext(other)),
        },
    }
}

/// `map_err` helper: `client.op().send().await.map_err(call)?`.
pub fn call<E>(err: SdkError<E, HttpResponse>) -> CallError
where
    E: ProvideErrorMetadata + std::error::Error + 'static,
{
    classify(&err)
}

/// The error code of a service error, for callers that treat some codes as
/// "absent" (e.g. `NoSuchBucketPolicy`).
pub fn error_code<E>(err: &SdkError<E, HttpResponse>) -> Option<&str>
where
    E: ProvideErrorMetadata,
{
    match err {
        SdkError::ServiceError(ctx) => ctx.err().code(),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_map_to_classes() {
        assert_eq!(
            class_of("AccessDeniedException", Some(400)),
            ErrorClass::AccessDenied
        );
        assert_eq!(
            class_of("UnauthorizedOperation", Some(403)),
            ErrorClass::AccessDenied
        );
        assert_eq!(
            class_of("ThrottlingException", Some(400)),
            ErrorClass::Throttled
        );
        assert_eq!(
            class_of("RequestLimitExceeded", Some(503)),
            ErrorClass::Throttled
        );
        assert_eq!(
            class_of("OptInRequired", Some(401)),
            ErrorClass::NotSubscribed
        );
        assert_eq!(class_of("", Some(404)), ErrorClass::NotImplemented);
        assert_eq!(class_of("SomethingElse", Some(500)), ErrorClass::Other);
    }
}

/// Forbids retrying an HTML answer with status 404, 405, 500 or 501: AWS never
/// answers an API call with HTML; an AWS-compatible endpoint that lacks the
/// operation (moto) does, and retrying only burns the backoff budget.
#[derive(Debug, Clone, Copy)]
pub struct NoRetryOnForeignAnswer;

impl aws_smithy_runtime_api::client::retries::classifiers::ClassifyRetry
    for NoRetryOnForeignAnswer
{
    fn classify_retry(
        &self,
        ctx: &aws_smithy_runtime_api::client::interceptors::context::InterceptorContext,
    ) -> aws_smithy_runtime_api::client::retries::classifiers::RetryAction {
        use aws_smithy_runtime_api::client::retries::classifiers::RetryAction;
        let Some(response) = ctx.response() else {
            return RetryAction::NoActionIndicated;
        };
        let html = response
            .headers()
            .get("content-type")
            .is_some_and(|c| c.trim_start().to_ascii_lowercase().starts_with("text/html"));
        if html && matches!(response.status().as_u16(), 404 | 405 | 500 | 501) {
            RetryAction::RetryForbidden
        } else {
            RetryAction::NoActionIndicated
        }
    }

    fn name(&self) -> &'static str {
        "no-retry-on-foreign-answer"
    }
}
