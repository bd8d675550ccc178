//! S3 Control (global, read once per account): the account-level S3 public
//! access block, which applies to every bucket of the account on top of the
//! bucket's own.

use super::{section, PublicAccessBlock};
use serde::{Deserialize, Serialize};

section!(S3Control {
    /// The account's public access block: one item, or none when the account
    /// never set one.
    public_access_blocks: Vec<AccountPublicAccessBlock>,
} {
    const GLOBAL: bool = true;
});

/// The account-level public access block. It has no ARN of its own: it is
/// named `arn:<partition>:s3::<account>:account-public-access-block`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AccountPublicAccessBlock {
    pub arn: String,
    /// The four settings, each applying to every bucket of the account.
    #[serde(flatten)]
    pub settings: PublicAccessBlock,
}
