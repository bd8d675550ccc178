//! OpenSearch Service domains: ListDomainNames (OpenSearch and Elasticsearch
//! engines), DescribeDomains five names a call (its limit), and ListTags per
//! domain. A domain deleted between the calls is left out.

use super::policy::{operations_of, Operation};
use super::{call, client, each_found, for_each_concurrent, found, tags_from, Scope};
use crate::aws::CallError;
use crate::snapshot::{Domain, OpenSearch};
use aws_sdk_opensearch::types::DomainStatus;
use aws_sdk_opensearch::Client;

/// Every AWS operation sent, with its IAM action (see `policy`).
pub(crate) const OPERATIONS: &[Operation] =
    operations_of!("OpenSearch", "es": ListDomainNames, DescribeDomains, ListTags);

/// DescribeDomains takes at most five domain names.
const DESCRIBE_BATCH: usize = 5;

pub(crate) async fn collect(scope: &Scope) -> Result<OpenSearch, CallError> {
    read(&client!(aws_sdk_opensearch, scope), scope).await
}

async fn read(os: &Client, scope: &Scope) -> Result<OpenSearch, CallError> {
    let names: Vec<String> = os
        .list_domain_names()
        .send()
        .await
        .map_err(call)?
        .domain_names()
        .iter()
        .filter_map(|d| d.domain_name().map(str::to_string))
        .collect();

    let batches: Vec<Vec<String>> = names
        .chunks(DESCRIBE_BATCH)
        .map(<[String]>::to_vec)
        .collect();
    let statuses: Vec<DomainStatus> = for_each_concurrent(batches, |batch| async move {
        let out = os
            .describe_domains()
            .set_domain_names(Some(batch))
            .send()
            .await
            .map_err(call)?;
        Ok(out.domain_status_list().to_vec())
    })
    .await?
    .into_iter()
    .flatten()
    .collect();

    let domains = each_found(statuses, |d| async move {
        let Some(listed) = found(
            os.list_tags().arn(d.arn()).send().await,
            &["ResourceNotFoundException"],
        )?
        else {
            return Ok(None);
        };
        let tags = tags_from(listed.tag_list(), |t| (Some(t.key()), Some(t.value())));
        Ok(Some(domain(&d, &scope.region, tags)))
    })
    .await?;
    Ok(OpenSearch { domains })
}

fn domain(d: &DomainStatus, region: &str, tags: crate::snapshot::Tags) -> Domain {
    let at_rest = d.encryption_at_rest_options();
    let endpoint = d.domain_endpoint_options();
    Domain {
        arn: d.arn().to_string(),
        name: d.domain_name().to_string(),
        region: region.to_string(),
        engine_version: d.engine_version().unwrap_or_default().to_string(),
        encryption_at_rest: at_rest.and_then(|o| o.enabled()).unwrap_or(false),
        kms_key_id: at_rest.and_then(|o| o.kms_key_id()).map(str::to_string),
        node_to_node_encryption: d
            .node_to_node_encryption_options()
            .and_then(|o| o.enabled())
            .unwrap_or(false),
        enforce_https: endpoint.and_then(|o| o.enforce_https()).unwrap_or(false),
        tls_security_policy: endpoint
            .and_then(|o| o.tls_security_policy())
            .map(|p| p.as_str().to_string()),
        vpc_id: d
            .vpc_options()
            .and_then(|v| v.vpc_id())
            .filter(|id| !id.is_empty())
            .map(str::to_string),
        subnet_ids: d
            .vpc_options()
            .map(|v| v.subnet_ids().to_vec())
            .unwrap_or_default(),
        security_group_ids: d
            .vpc_options()
            .map(|v| v.security_group_ids().to_vec())
            .unwrap_or_default(),
        fine_grained_access_control: d
            .advanced_security_options()
            .and_then(|o| o.enabled())
            .unwrap_or(false),
        tags,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::snapshot::Tags;

    use aws_sdk_opensearch::error::ErrorMetadata;
    use aws_sdk_opensearch::operation::describe_domains::DescribeDomainsOutput;
    use aws_sdk_opensearch::operation::list_domain_names::ListDomainNamesOutput;
    use aws_sdk_opensearch::operation::list_tags::{ListTagsError, ListTagsOutput};
    use aws_sdk_opensearch::types::error::ResourceNotFoundException;
    use aws_sdk_opensearch::types::{
        AdvancedSecurityOptions, DomainEndpointOptions, DomainInfo, EncryptionAtRestOptions,
        NodeToNodeEncryptionOptions, Tag, TlsSecurityPolicy, VpcDerivedInfo,
    };
    use aws_smithy_mocks::{mock, Rule};

    const KEY: &str =
        "arn:aws:kms:eu-central-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";

    fn scope() -> Scope {
        Scope::for_test("111122223333", "eu-central-1")
    }

    /// A client answering from `rules` (first match wins, reusable), without retries.
    fn mocked(rules: &[&Rule]) -> Client {
        crate::collect::mocked_client!(aws_sdk_opensearch, rules)
    }

    fn arn(name: &str) -> String {
        format!("arn:aws:es:eu-central-1:111122223333:domain/{name}")
    }

    #[tokio::test]
    async fn describes_five_names_a_call_and_maps_security_settings() {
        let names: Vec<String> = (0..7).map(|i| format!("krci-logs-{i}")).collect();
        let list = {
            let names = names.clone();
            mock!(Client::list_domain_names).then_output(move || {
                names
                    .iter()
                    .fold(ListDomainNamesOutput::builder(), |out, n| {
                        out.domain_names(DomainInfo::builder().domain_name(n).build())
                    })
                    .build()
            })
        };
        let describe = mock!(Client::describe_domains)
            .match_requests(|req| req.domain_names().len() <= DESCRIBE_BATCH)
            .then_compute_output(|req| {
                let statuses = req.domain_names().iter().map(|name| {
                    let status = DomainStatus::builder()
                        .domain_id(format!("111122223333/{name}"))
                        .domain_name(name)
                        .arn(arn(name))
                        .engine_version("OpenSearch_2.13");
                    if name != "krci-logs-0" {
                        return status.build().unwrap();
                    }
                    status
                        .encryption_at_rest_options(
                            EncryptionAtRestOptions::builder()
                                .enabled(true)
                                .kms_key_id(KEY)
                                .build(),
                        )
                        .node_to_node_encryption_options(
                            NodeToNodeEncryptionOptions::builder().enabled(true).build(),
                        )
                        .domain_endpoint_options(
                            DomainEndpointOptions::builder()
                                .enforce_https(true)
                                .tls_security_policy(TlsSecurityPolicy::PolicyMinTls12201907)
                                .build(),
                        )
                        .vpc_options(
                            VpcDerivedInfo::builder()
                                .vpc_id("vpc-0a1b2c3d4e5f60718")
                                .subnet_ids("subnet-0a1b2c3d4e5f60718")
                                .security_group_ids("sg-0a1b2c3d4e5f60718")
                                .build(),
                        )
                        .advanced_security_options(
                            AdvancedSecurityOptions::builder().enabled(true).build(),
                        )
                        .build()
                        .unwrap()
                });
                DescribeDomainsOutput::builder()
                    .set_domain_status_list(Some(statuses.collect()))
                    .build()
                    .unwrap()
            });
        // krci-logs-6 is deleted after it was described.
        let gone = mock!(Client::list_tags)
            .match_requests(|req| req.arn() == Some(arn("krci-logs-6").as_str()))
            .then_error(|| {
                ListTagsError::ResourceNotFoundException(
                    ResourceNotFoundException::builder()
                        .message("Domain not found: krci-logs-6")
                        .meta(
                            ErrorMetadata::builder()
                                .code("ResourceNotFoundException")
                                .build(),
                        )
                        .build(),
                )
            });
        let tags = mock!(Client::list_tags).then_output(|| {
            ListTagsOutput::builder()
                .tag_list(Tag::builder().key("Project").value("krci").build().unwrap())
                .build()
        });
        let os = mocked(&[&list, &describe, &gone, &tags]);

        let got = read(&os, &scope()).await.expect("collected");

        assert_eq!(describe.num_calls(), 2);
        assert_eq!(got.domains.len(), 6);
        assert_eq!(
            got.domains[0],
            Domain {
                arn: arn("krci-logs-0"),
                name: "krci-logs-0".to_string(),
                region: "eu-central-1".to_string(),
                engine_version: "OpenSearch_2.13".to_string(),
                encryption_at_rest: true,
                kms_key_id: Some(KEY.to_string()),
                node_to_node_encryption: true,
                enforce_https: true,
                tls_security_policy: Some("Policy-Min-TLS-1-2-2019-07".to_string()),
                vpc_id: Some("vpc-0a1b2c3d4e5f60718".to_string()),
                subnet_ids: vec!["subnet-0a1b2c3d4e5f60718".to_string()],
                security_group_ids: vec!["sg-0a1b2c3d4e5f60718".to_string()],
                fine_grained_access_control: true,
                tags: Tags::from([("Project".to_string(), "krci".to_string())]),
            }
        );
        let bare = &got.domains[1];
        assert!(!bare.encryption_at_rest && !bare.node_to_node_encryption && !bare.enforce_https);
        assert_eq!(
            (bare.kms_key_id.as_deref(), bare.vpc_id.as_deref()),
            (None, None)
        );
        assert!(bare.subnet_ids.is_empty() && bare.security_group_ids.is_empty());
        assert!(!got.domains.iter().any(|d| d.name == "krci-logs-6"));
    }
}
