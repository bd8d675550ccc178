//! Objects the CLI reads and writes: local files or S3 objects
//! (`s3://bucket/key`), one interface for Terraform states, snapshot inputs,
//! `collect --output` and the report's `--output`. S3 goes through the S3 API
//! with the audit's credentials: GetBucketLocation (to reach the bucket's
//! region), GetObject, ListObjectsV2, and PutObject with server-side
//! encryption requested. Every error names the file or object.
//!
//! This is the one place besides `collect/` that calls AWS: it stands beside
//! `collect/`, above `snapshot/` (whose pure merge it feeds) and `aws.rs`.

use crate::aws::{base_config, bucket_region, classify, error_code, in_region, s3_client};
use crate::aws::{AwsOptions, CallError};
use crate::limits::{read_data_file, too_large, RAISE_HINT};
use crate::snapshot::{load_whole, ErrorClass, Snapshot, SnapshotSource};
use anyhow::{anyhow, bail, Context, Result};
use aws_config::SdkConfig;
use aws_sdk_s3::types::ServerSideEncryption;
use futures::stream::{self, StreamExt, TryStreamExt};
use std::collections::HashMap;
use std::future::Future;
use std::path::Path;
use std::sync::Mutex;

/// Objects read at once when a prefix holds many snapshots.
const READS_IN_FLIGHT: usize = 8;

/// Whether `spec` names an S3 object or prefix rather than a local file.
pub fn is_s3_uri(spec: &str) -> bool {
    spec.starts_with("s3://")
}

/// `s3://bucket/key` -> (bucket, key).
pub fn parse_s3_uri(uri: &str) -> Result<(&str, &str)> {
    match split_s3(uri)? {
        (bucket, key) if !key.is_empty() && !key.ends_with('/') => Ok((bucket, key)),
        _ => bail!("{uri}: expected s3://BUCKET/KEY"),
    }
}

/// `s3://bucket/` or `s3://bucket/prefix/` -> (bucket, prefix).
fn parse_s3_prefix(uri: &str) -> Result<(&str, &str)> {
    match split_s3(uri)? {
        (bucket, prefix) if prefix.is_empty() || prefix.ends_with('/') => Ok((bucket, prefix)),
        _ => bail!("{uri}: expected s3://BUCKET/PREFIX/"),
    }
}

fn split_s3(uri: &str) -> Result<(&str, &str)> {
    let rest = uri
        .strip_prefix("s3://")
        .ok_or_else(|| anyhow!("{uri}: not an s3:// uri"))?;
    match rest.split_once('/') {
        Some((bucket, key)) if !bucket.is_empty() && !key.starts_with('/') => Ok((bucket, key)),
        _ => bail!("{uri}: expected s3://BUCKET/KEY"),
    }
}

/// The server-side encryption a written object requests.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Encryption {
    /// SSE-S3 (`AES256`).
    #[default]
    S3,
    /// SSE-KMS with this key (id, ARN or alias).
    Kms(String),
}

impl Encryption {
    /// `--sse-kms-key-id`, if given, else SSE-S3.
    pub fn from_kms_key(key: Option<&str>) -> Encryption {
        key.map_or(Encryption::S3, |k| Encryption::Kms(k.to_string()))
    }
}

/// S3 objects through one configuration, with one client per bucket region.
pub struct S3Objects {
    config: SdkConfig,
    /// bucket -> a client in its region
    clients: Mutex<HashMap<String, aws_sdk_s3::Client>>,
}

impl S3Objects {
    pub async fn new(aws: &AwsOptions) -> S3Objects {
        S3Objects::from_config(base_config(aws).await)
    }

    pub fn from_config(config: SdkConfig) -> S3Objects {
        S3Objects {
            config,
            clients: Mutex::new(HashMap::new()),
        }
    }

    /// A client in `bucket`'s region. Without permission to ask the region
    /// (s3:GetBucketLocation) the configured region is used.
    async fn client(&self, uri: &str, bucket: &str) -> Result<aws_sdk_s3::Client> {
        if let Some(client) = self.clients.lock().expect("client cache").get(bucket) {
            return Ok(client.clone());
        }
        let home = aws_sdk_s3::Client::from_conf(s3_client(&self.config).build());
        let config = match home.get_bucket_location().bucket(bucket).send().await {
            Ok(out) => in_region(
                &self.config,
                &bucket_region(out.location_constraint().map(|c| c.as_str())),
            ),
            Err(e) if error_code(&e) == Some("NoSuchBucket") => bail!("{uri}: no such bucket"),
            Err(e) if classify(&e).class == ErrorClass::AccessDenied => self.config.clone(),
            Err(e) => bail!("{uri}: cannot reach the bucket: {}", classify(&e)),
        };
        let client = aws_sdk_s3::Client::from_conf(s3_client(&config).build());
        self.clients
            .lock()
            .expect("client cache")
            .insert(bucket.to_string(), client.clone());
        Ok(client)
    }

    /// The object's bytes; objects over `max_bytes` are refused unread.
    pub async fn get(&self, uri: &str, max_bytes: u64) -> Result<Vec<u8>> {
        let (bucket, key) = parse_s3_uri(uri)?;
        let client = self.client(uri, bucket).await?;
        let object = match client.get_object().bucket(bucket).key(key).send().await {
            Ok(object) => object,
            Err(e) => return Err(object_error(uri, "read", error_code(&e), classify(&e)).into()),
        };
        if object
            .content_length()
            .is_some_and(|n| u64::try_from(n).unwrap_or(0) > max_bytes)
        {
            return Err(too_large(uri, "object", max_bytes, RAISE_HINT));
        }
        let bytes = object
            .body
            .collect()
            .await
            .map_err(|e| anyhow!("{uri}: reading the object failed: {e}"))?;
        Ok(bytes.into_bytes().to_vec())
    }

    /// Stores `bytes` at `uri`, requesting server-side encryption.
    pub async fn put(&self, uri: &str, bytes: Vec<u8>, encryption: &Encryption) -> Result<()> {
        let (bucket, key) = parse_s3_uri(uri)?;
        let client = self.client(uri, bucket).await?;
        let content_type = if key.ends_with(".zst") {
            "application/zstd"
        } else if key.ends_with(".json") || key.ends_with(".sarif") {
            "application/json"
        } else {
            "text/plain; charset=utf-8"
        };
        let mut put = client
            .put_object()
            .bucket(bucket)
            .key(key)
            .content_type(content_type)
            .body(bytes.into());
        put = match encryption {
            Encryption::S3 => put.server_side_encryption(ServerSideEncryption::Aes256),
            Encryption::Kms(id) => put
                .server_side_encryption(ServerSideEncryption::AwsKms)
                .ssekms_key_id(id),
        };
        match put.send().await {
            Ok(_) => Ok(()),
            Err(e) => Err(object_error(uri, "write", error_code(&e), classify(&e)).into()),
        }
    }

    /// The `s3://` uris of the snapshots (`*.json`, `*.json.zst`) directly
    /// under `prefix_uri` (`s3://bucket/prefix/`; deeper "folders" are not
    /// read), in key order. `page_size` bounds each ListObjectsV2 page.
    pub async fn list_snapshots(
        &self,
        prefix_uri: &str,
        page_size: Option<i32>,
    ) -> Result<Vec<String>> {
        let (bucket, prefix) = parse_s3_prefix(prefix_uri)?;
        let client = self.client(prefix_uri, bucket).await?;
        let pages: Vec<_> = client
            .list_objects_v2()
            .bucket(bucket)
            .prefix(prefix)
            .delimiter("/")
            .set_max_keys(page_size)
            .into_paginator()
            .send()
            .collect::<Vec<_>>()
            .await;
        let mut uris = Vec::new();
        for page in pages {
            let page = match page {
                Ok(page) => page,
                Err(e) => {
                    return Err(
                        object_error(prefix_uri, "list", error_code(&e), classify(&e)).into(),
                    )
                }
            };
            uris.extend(
                page.contents()
                    .iter()
                    .filter_map(|o| o.key())
                    .filter(|k| k.ends_with(".json") || k.ends_with(".json.zst"))
                    .map(|k| format!("s3://{bucket}/{k}")),
            );
        }
        if uris.is_empty() {
            bail!("{prefix_uri}: no snapshot (*.json, *.json.zst) under this prefix");
        }
        uris.sort();
        Ok(uris)
    }
}

/// An object that could not be read or written: one line naming it, and the
/// class of the error (a state S3 refused is `AccessDenied`, not `Other`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ObjectError {
    pub class: ErrorClass,
    pub message: String,
}

impl std::fmt::Display for ObjectError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ObjectError {}

fn object_error(uri: &str, action: &str, code: Option<&str>, error: CallError) -> ObjectError {
    let message = match code {
        Some("NoSuchKey") => format!("{uri}: no such object"),
        Some("NoSuchBucket") => format!("{uri}: no such bucket"),
        _ if error.class == ErrorClass::AccessDenied => {
            format!("{uri}: access denied ({action}): {}", error.message)
        }
        _ => format!("{uri}: cannot {action} the object: {error}"),
    };
    ObjectError {
        class: error.class,
        message,
    }
}

/// Why a read or write failed, as a coverage class: what S3 answered, or
/// `AccessDenied` for a local file the process may not read.
pub fn error_class(error: &anyhow::Error) -> ErrorClass {
    error
        .chain()
        .find_map(|e| {
            if let Some(e) = e.downcast_ref::<ObjectError>() {
                return Some(e.class);
            }
            e.downcast_ref::<std::io::Error>()
                .filter(|e| e.kind() == std::io::ErrorKind::PermissionDenied)
                .map(|_| ErrorClass::AccessDenied)
        })
        .unwrap_or(ErrorClass::Other)
}

/// Runs `future` on a small runtime of its own (the CLI is synchronous).
fn block_on<T>(future: impl Future<Output = Result<T>>) -> Result<T> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?
        .block_on(future)
}

/// Reads a local file or an `s3://` object of JSON or zstd-compressed JSON,
/// at most `max_bytes` long; `what` names the content in errors about local
/// files (e.g. "Terraform state").
pub fn read(spec: &str, aws: &AwsOptions, what: &str, max_bytes: u64) -> Result<Vec<u8>> {
    if is_s3_uri(spec) {
        block_on(async { S3Objects::new(aws).await.get(spec, max_bytes).await })
    } else {
        read_data_file(Path::new(spec), what, max_bytes, RAISE_HINT)
    }
}

/// Writes a local file or an `s3://` object (encrypted as `encryption` says);
/// `what` names the content in errors about local files.
pub fn write(
    spec: &str,
    bytes: Vec<u8>,
    aws: &AwsOptions,
    encryption: &Encryption,
    what: &str,
) -> Result<()> {
    if is_s3_uri(spec) {
        block_on(async { S3Objects::new(aws).await.put(spec, bytes, encryption).await })
    } else {
        std::fs::write(spec, bytes).with_context(|| format!("{spec}: cannot write {what}"))
    }
}

/// Loads snapshot inputs and merges them into one snapshot: local files,
/// `s3://bucket/key` objects and `s3://bucket/prefix/` prefixes (every
/// `*.json` / `*.json.zst` object directly under it). Shards are merged and
/// their set checked (see [`crate::snapshot::merge_snapshots`]): an account in two inputs, a
/// shard given twice or shards of different counts are errors; a missing
/// shard's accounts become coverage gaps.
///
/// Each input is at most `max_bytes` long, compressed and decompressed.
pub fn load_snapshot_inputs(
    specs: &[String],
    aws: &AwsOptions,
    max_bytes: u64,
) -> Result<Snapshot> {
    load_whole(&snapshot_sources(specs, aws, max_bytes)?, max_bytes)
}

/// The snapshot inputs (files, `s3://` objects and prefixes), each named by
/// its origin, in the order given with prefixes expanded: S3 objects fetched,
/// local files left to be read (see [`SnapshotSource`]).
pub fn snapshot_sources(
    specs: &[String],
    aws: &AwsOptions,
    max_bytes: u64,
) -> Result<Vec<(String, SnapshotSource)>> {
    if specs.is_empty() {
        bail!("no snapshot given");
    }
    // Every input in the order given (prefixes expanded), and the S3 objects' bytes.
    let (origins, mut fetched) = if specs.iter().any(|s| is_s3_uri(s)) {
        block_on(async {
            let s3 = S3Objects::new(aws).await;
            let mut origins = Vec::new();
            for spec in specs {
                if is_s3_uri(spec) && spec.ends_with('/') {
                    origins.extend(s3.list_snapshots(spec, None).await?);
                } else {
                    origins.push(spec.clone());
                }
            }
            let remote: Vec<String> = origins.iter().filter(|o| is_s3_uri(o)).cloned().collect();
            let fetched: HashMap<String, Vec<u8>> = stream::iter(remote.into_iter().map(|uri| {
                let s3 = &s3;
                async move {
                    let bytes = s3.get(&uri, max_bytes).await?;
                    anyhow::Ok((uri, bytes))
                }
            }))
            .buffered(READS_IN_FLIGHT)
            .try_collect()
            .await?;
            anyhow::Ok((origins, fetched))
        })?
    } else {
        (specs.to_vec(), HashMap::new())
    };
    origins
        .into_iter()
        .map(|origin| {
            let source = if is_s3_uri(&origin) {
                SnapshotSource::Fetched(
                    fetched
                        .remove(&origin)
                        .ok_or_else(|| anyhow!("{origin}: given twice"))?,
                )
            } else if std::fs::metadata(&origin).is_ok_and(|m| m.is_file()) {
                SnapshotSource::File(origin.clone().into())
            } else {
                // A pipe or device cannot be read twice (and what is not
                // there at all gets its error here).
                SnapshotSource::Fetched(read_data_file(
                    Path::new(&origin),
                    "snapshot",
                    max_bytes,
                    RAISE_HINT,
                )?)
            };
            Ok((origin, source))
        })
        .collect()
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
        for bad in [
            "s3://",
            "s3://bucket",
            "s3://bucket/",
            "s3:///key",
            "s3://bucket//key",
            "s3://bucket/2026-11-24/",
        ] {
            let err = parse_s3_uri(bad).unwrap_err().to_string();
            assert!(err.starts_with(bad), "{err}");
        }
        assert!(is_s3_uri("s3://b/k") && !is_s3_uri("states/s3.tfstate"));
    }

    #[test]
    fn s3_prefixes_end_with_a_slash() {
        assert_eq!(
            parse_s3_prefix("s3://krci-audit-318465720941/2026-11-24/").unwrap(),
            ("krci-audit-318465720941", "2026-11-24/")
        );
        assert_eq!(
            parse_s3_prefix("s3://krci-audit-318465720941/").unwrap(),
            ("krci-audit-318465720941", "")
        );
        for bad in [
            "s3://krci-audit/2026-11-24",
            "s3://krci-audit",
            "s3:///2026/",
        ] {
            let err = parse_s3_prefix(bad).unwrap_err().to_string();
            assert!(err.starts_with(bad), "{err}");
        }
    }

    #[test]
    fn object_errors_are_one_line_naming_the_object() {
        let uri = "s3://krci-audit-318465720941/2026-11-24/shard-3.json.zst";
        let denied = CallError {
            class: ErrorClass::AccessDenied,
            message: "AccessDenied (HTTP 403): Access Denied".to_string(),
        };
        let other = CallError {
            class: ErrorClass::Other,
            message: "InternalError (HTTP 500): We encountered an internal error".to_string(),
        };
        assert_eq!(
            object_error(uri, "read", Some("NoSuchKey"), other.clone()).message,
            format!("{uri}: no such object")
        );
        assert_eq!(
            object_error(uri, "read", Some("NoSuchBucket"), other.clone()).message,
            format!("{uri}: no such bucket")
        );
        let denied = object_error(uri, "write", Some("AccessDenied"), denied);
        assert_eq!(
            denied.message,
            format!("{uri}: access denied (write): AccessDenied (HTTP 403): Access Denied")
        );
        // The class survives context added on the way up, unlike the text.
        let wrapped = anyhow::Error::from(denied).context("reading Terraform state");
        assert_eq!(error_class(&wrapped), ErrorClass::AccessDenied);
        let msg = object_error(uri, "read", Some("InternalError"), other).to_string();
        assert!(
            msg.starts_with(&format!("{uri}: cannot read the object: Other:")),
            "{msg}"
        );
        assert!(!msg.contains('\n'));
        assert_eq!(error_class(&anyhow!("{uri}: not JSON")), ErrorClass::Other);
        let io = std::io::Error::from(std::io::ErrorKind::PermissionDenied);
        assert_eq!(
            error_class(&anyhow::Error::from(io).context("x.tfstate: cannot read")),
            ErrorClass::AccessDenied
        );
    }
}
