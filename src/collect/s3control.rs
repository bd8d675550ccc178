//! S3 Control (global, read once per account): the account-level public access
//! block (GetPublicAccessBlock; `NoSuchPublicAccessBlockConfiguration` means the
//! account never set one).
//!
//! S3 Control's endpoint rules put the account id in front of the host
//! (`<account>.s3-control.<region>.amazonaws.com`). That is right for AWS, but
//! an endpoint given with `--endpoint-url` (moto, a proxy, a VPC endpoint) is
//! one host: there the URL is used as given, with the signing the rules would
//! choose for it.

use super::policy::{operations_of, Operation};
use super::{found, Scope};
use crate::aws::CallError;
use crate::snapshot::{AccountPublicAccessBlock, PublicAccessBlock, S3Control};
use aws_sdk_s3control::config::endpoint::{
    DefaultResolver, EndpointFuture, Params, ResolveEndpoint,
};
use aws_sdk_s3control::Client;
use futures::FutureExt;

/// Every AWS operation sent, with its IAM action (see `policy`).
pub(crate) const OPERATIONS: &[Operation] = operations_of!(
    "S3 Control", "s3":
    GetPublicAccessBlock = "GetAccountPublicAccessBlock",
);

pub(crate) async fn collect(scope: &Scope) -> Result<S3Control, CallError> {
    let conf = aws_sdk_s3control::config::Builder::from(&scope.config)
        .endpoint_resolver(OneHostEndpoint::default())
        .interceptor(scope.recorder.clone())
        .retry_classifier(crate::aws::NoRetryOnForeignAnswer)
        .build();
    read(&Client::from_conf(conf), scope).await
}

async fn read(s3control: &Client, scope: &Scope) -> Result<S3Control, CallError> {
    let out = found(
        s3control
            .get_public_access_block()
            .account_id(&scope.account_id)
            .send()
            .await,
        &["NoSuchPublicAccessBlockConfiguration"],
    )?;
    let block = out
        .as_ref()
        .and_then(|o| o.public_access_block_configuration())
        .map(|c| AccountPublicAccessBlock {
            arn: format!(
                "arn:{}:s3::{}:account-public-access-block",
                scope.partition, scope.account_id
            ),
            settings: PublicAccessBlock {
                block_public_acls: c.block_public_acls().unwrap_or(false),
                ignore_public_acls: c.ignore_public_acls().unwrap_or(false),
                block_public_policy: c.block_public_policy().unwrap_or(false),
                restrict_public_buckets: c.restrict_public_buckets().unwrap_or(false),
            },
        });
    Ok(S3Control {
        public_access_blocks: block.into_iter().collect(),
    })
}

/// The SDK's endpoint rules, except that a configured endpoint URL is used as
/// given: the rules are asked without the account id, so they add no host
/// prefix and still choose the signing (SigV4, `s3`, the region).
#[derive(Debug, Default)]
struct OneHostEndpoint(DefaultResolver);

impl ResolveEndpoint for OneHostEndpoint {
    fn resolve_endpoint<'a>(&'a self, params: &'a Params) -> EndpointFuture<'a> {
        if params.endpoint().is_none() {
            return self.0.resolve_endpoint(params);
        }
        let without_account = Params::builder()
            .set_region(params.region().map(str::to_string))
            .set_use_fips(params.use_fips())
            .set_use_dual_stack(params.use_dual_stack())
            .set_endpoint(params.endpoint().map(str::to_string))
            .build();
        // The rules answer at once (they only compute): the future is ready.
        let resolved = match without_account {
            Ok(p) => self
                .0
                .resolve_endpoint(&p)
                .now_or_never()
                .unwrap_or_else(|| Err("the endpoint rules did not answer at once".into())),
            Err(e) => Err(e.into()),
        };
        EndpointFuture::ready(resolved)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::snapshot::ErrorClass;
    use aws_sdk_s3control::error::ErrorMetadata;
    use aws_sdk_s3control::operation::get_public_access_block::{
        GetPublicAccessBlockError, GetPublicAccessBlockOutput,
    };
    use aws_sdk_s3control::types::PublicAccessBlockConfiguration;
    use aws_smithy_mocks::{mock, Rule};

    const ACCOUNT: &str = "111122223333";

    fn scope() -> Scope {
        Scope::for_test(ACCOUNT, "global")
    }

    fn mocked(rules: &[&Rule]) -> Client {
        crate::collect::mocked_client!(aws_sdk_s3control, rules)
    }

    #[tokio::test]
    async fn maps_the_account_block_and_asks_for_the_account_read() {
        let block = mock!(Client::get_public_access_block)
            .match_requests(|r| r.account_id() == Some(ACCOUNT))
            .then_output(|| {
                GetPublicAccessBlockOutput::builder()
                    .public_access_block_configuration(
                        PublicAccessBlockConfiguration::builder()
                            .block_public_acls(true)
                            .ignore_public_acls(true)
                            .block_public_policy(true)
                            .restrict_public_buckets(false)
                            .build(),
                    )
                    .build()
            });
        let got = read(&mocked(&[&block]), &scope()).await.unwrap();
        assert_eq!(
            got.public_access_blocks,
            vec![AccountPublicAccessBlock {
                arn: "arn:aws:s3::111122223333:account-public-access-block".to_string(),
                settings: PublicAccessBlock {
                    block_public_acls: true,
                    ignore_public_acls: true,
                    block_public_policy: true,
                    restrict_public_buckets: false,
                },
            }]
        );
    }

    #[tokio::test]
    async fn no_configuration_is_no_block_and_denied_is_an_error() {
        let none = mock!(Client::get_public_access_block).then_error(|| {
            GetPublicAccessBlockError::generic(
                ErrorMetadata::builder()
                    .code("NoSuchPublicAccessBlockConfiguration")
                    .message("The public access block configuration was not found")
                    .build(),
            )
        });
        let got = read(&mocked(&[&none]), &scope()).await.unwrap();
        assert!(got.public_access_blocks.is_empty());

        let denied = mock!(Client::get_public_access_block).then_error(|| {
            GetPublicAccessBlockError::generic(
                ErrorMetadata::builder()
                    .code("AccessDenied")
                    .message("Access Denied")
                    .build(),
            )
        });
        let err = read(&mocked(&[&denied]), &scope()).await.unwrap_err();
        assert_eq!(err.class, ErrorClass::AccessDenied);
    }

    async fn url(params: Params) -> String {
        OneHostEndpoint::default()
            .resolve_endpoint(&params)
            .await
            .unwrap()
            .url()
            .to_string()
    }

    #[tokio::test]
    async fn a_configured_endpoint_gets_no_account_prefix_and_aws_keeps_it() {
        let custom = Params::builder()
            .region("eu-central-1")
            .endpoint("http://127.0.0.1:4566")
            .account_id(ACCOUNT)
            .requires_account_id(true)
            .build()
            .unwrap();
        assert_eq!(url(custom).await, "http://127.0.0.1:4566");
        let aws = Params::builder()
            .region("eu-central-1")
            .account_id(ACCOUNT)
            .requires_account_id(true)
            .build()
            .unwrap();
        assert_eq!(
            url(aws).await,
            "https://111122223333.s3-control.eu-central-1.amazonaws.com"
        );
    }
}
