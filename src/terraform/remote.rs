//! Terraform state stored in S3 (`--tfstate s3://bucket/key`), read through the
//! S3 API with the audit's credentials. Only GetBucketLocation and GetObject are
//! called; every error names the state.

use crate::aws::{bucket_region, classify, error_code, in_region, s3_client};
use anyhow::{anyhow, bail, Result};
use aws_config::SdkConfig;

/// The largest state accepted (untrusted input).
const MAX_STATE_BYTES: i64 = 512 << 20;

/// Whether a `--tfstate` value names an S3 object.
pub fn is_s3_uri(spec: &str) -> bool {
    spec.starts_with("s3://")
}

/// `s3://bucket/key` -> (bucket, key).
pub fn parse_s3_uri(uri: &str) -> Result<(&str, &str)> {
    let rest = uri
        .strip_prefix("s3://")
        .ok_or_else(|| anyhow!("{uri}: not an s3:// uri"))?;
    match rest.split_once('/') {
        Some((bucket, key)) if !bucket.is_empty() && !key.is_empty() => Ok((bucket, key)),
        _ => bail!("{uri}: expected s3://BUCKET/KEY"),
    }
}

/// Reads the object's bytes, from the bucket's own region.
pub async fn fetch_s3(uri: &str, config: &SdkConfig) -> Result<Vec<u8>> {
    let (bucket, key) = parse_s3_uri(uri)?;
    let client = aws_sdk_s3::Client::from_conf(s3_client(config).build());
    let region = match client.get_bucket_location().bucket(bucket).send().await {
        Ok(out) => bucket_region(out.location_constraint().map(|c| c.as_str())),
        Err(e) if error_code(&e) == Some("NoSuchBucket") => bail!("{uri}: no such bucket"),
        Err(e) => bail!("{uri}: cannot read Terraform state: {}", classify(&e)),
    };
    let client = aws_sdk_s3::Client::from_conf(s3_client(&in_region(config, &region)).build());
    let object = match client.get_object().bucket(bucket).key(key).send().await {
        Ok(object) => object,
        Err(e) if error_code(&e) == Some("NoSuchKey") => bail!("{uri}: no such object"),
        Err(e) => bail!("{uri}: cannot read Terraform state: {}", classify(&e)),
    };
    if object.content_length().is_some_and(|n| n > MAX_STATE_BYTES) {
        bail!(
            "{uri}: the object is larger than {} MiB, not a Terraform state",
            MAX_STATE_BYTES >> 20
        );
    }
    let bytes = object
        .body
        .collect()
        .await
        .map_err(|e| anyhow!("{uri}: reading the object failed: {e}"))?;
    Ok(bytes.into_bytes().to_vec())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn s3_uris_split_into_bucket_and_key() {
        assert_eq!(
            parse_s3_uri(
                "s3://terraform-states-318465720941/shared/eu-central-1/platform/terraform.tfstate"
            )
            .unwrap(),
            (
                "terraform-states-318465720941",
                "shared/eu-central-1/platform/terraform.tfstate"
            )
        );
        for bad in ["s3://", "s3://bucket", "s3://bucket/", "s3:///key"] {
            let err = parse_s3_uri(bad).unwrap_err().to_string();
            assert!(err.starts_with(bad), "{err}");
        }
        assert!(is_s3_uri("s3://b/k") && !is_s3_uri("states/s3.tfstate"));
    }
}
