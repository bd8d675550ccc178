//! WAFv2, regional scope: web ACLs (ListWebACLs, GetWebACL) with their rules,
//! default action, logging (GetLoggingConfiguration), tags and associated ALBs
//! (ListResourcesForWebACL); and for each of the region's ALBs the web ACL that
//! protects it (GetWebACLForResource), which the caller puts on the load balancer.
//!
//! WAFv2 has no paginators in the SDK: lists page by `NextMarker`, which WAF may
//! return even on the last page, so paging stops at an empty page too.

use super::policy::{operations_of, Operation};
use super::{call, client, each_found, for_each_concurrent, found, tags_from, Read, Scope};
use crate::aws::{classify, error_code, CallError};
use crate::snapshot::{ErrorClass, ManagedRuleGroup, WafRule, Wafv2, WebAcl, WebAclTargets};
use aws_sdk_wafv2::types::{self, ResourceType, Scope as WafScope};
use aws_sdk_wafv2::Client;
use std::collections::BTreeMap;
use std::future::Future;

/// Every AWS operation sent, with its IAM action (see `policy`).
pub(crate) const OPERATIONS: &[Operation] = operations_of!(
    "WAFV2", "wafv2":
    ListWebACLs, GetWebACL, GetLoggingConfiguration, ListTagsForResource,
    ListResourcesForWebACL, GetWebACLForResource,
);

/// The code WAF answers for a resource (or logging configuration) that does not exist.
const NONEXISTENT: &str = "WAFNonexistentItemException";

/// The region's web ACLs, read after the section whose resources they protect
/// (the registry's `after`): each of its resources is looked up, and the web
/// ACL protecting it goes back on it. When that section could not be read,
/// there is nothing to look up.
pub(crate) async fn collect_after<T: WebAclTargets>(
    scope: &Scope,
    targets: &mut Read<T>,
) -> Result<Wafv2, CallError> {
    let albs = targets
        .complete()
        .then(|| targets.section.web_acl_targets());
    let (section, associations) =
        read(&client!(aws_sdk_wafv2, scope), scope, albs.as_deref()).await?;
    if targets.complete() {
        targets.section.set_web_acls(&associations);
    }
    Ok(section)
}

async fn read(
    waf: &Client,
    scope: &Scope,
    albs: Option<&[String]>,
) -> Result<(Wafv2, BTreeMap<String, String>), CallError> {
    let summaries = pages(|marker| {
        let req = waf
            .list_web_acls()
            .scope(WafScope::Regional)
            .set_next_marker(marker);
        async move {
            let out = req.send().await?;
            Ok((
                out.web_acls().to_vec(),
                out.next_marker().map(str::to_string),
            ))
        }
    })
    .await
    .map_err(call)?;
    let described = each_found(summaries, |s| describe(waf, scope, s)).await?;
    let web_acls: Vec<WebAcl> = described;

    let associations: BTreeMap<String, String> =
        for_each_concurrent(albs.unwrap_or_default().to_vec(), |alb| async move {
            // `None` when the load balancer was deleted since it was listed.
            let out = found(
                waf.get_web_acl_for_resource()
                    .resource_arn(&alb)
                    .send()
                    .await,
                &[NONEXISTENT],
            )?;
            Ok(out
                .as_ref()
                .and_then(|o| o.web_acl())
                .map(|acl| (alb, acl.arn().to_string())))
        })
        .await?
        .into_iter()
        .flatten()
        .collect();

    // One probe first: an endpoint that lacks ListResourcesForWebACL lacks it for
    // every web ACL, and each failed call costs the SDK's retries.
    let mut listed = Vec::with_capacity(web_acls.len());
    if let Some((first, rest)) = web_acls.split_first() {
        let probe = resources(waf, &first.arn).await?;
        let unsupported = matches!(probe, Listed::Unsupported);
        listed.push(probe);
        if unsupported {
            listed.extend(rest.iter().map(|_| Listed::Unsupported));
        } else {
            let arns = rest.iter().map(|acl| acl.arn.clone()).collect();
            listed.extend(
                for_each_concurrent(arns, |arn| async move { resources(waf, &arn).await }).await?,
            );
        }
    }

    // Without the load balancer list, associations rebuilt from per-ALB lookups
    // would look complete while they are not.
    if albs.is_none() && listed.iter().any(|l| matches!(l, Listed::Unsupported)) {
        return Err(CallError {
            class: ErrorClass::NotImplemented,
            message: "ListResourcesForWebACL is not implemented by the endpoint and the load \
                      balancers could not be read to look associations up one by one"
                .to_string(),
        });
    }

    let web_acls = web_acls
        .into_iter()
        .zip(listed)
        .filter_map(|(mut acl, listed)| {
            acl.associated_resources = match listed {
                Listed::Arns(mut arns) => {
                    arns.sort();
                    arns
                }
                // ListResourcesForWebACL is not implemented by the endpoint (moto).
                // Every GetWebACLForResource lookup above succeeded (any failure
                // returned an error), and they give the same associations for the
                // region's ALBs, so the list is built from them.
                Listed::Unsupported => associations
                    .iter()
                    .filter(|(_, web_acl)| **web_acl == acl.arn)
                    .map(|(alb, _)| alb.clone())
                    .collect(),
                Listed::Gone => return None,
            };
            Some(acl)
        })
        .collect();
    Ok((Wafv2 { web_acls }, associations))
}

/// One web ACL's configuration, logging and tags; `None` if it was deleted meanwhile.
async fn describe(
    waf: &Client,
    scope: &Scope,
    summary: types::WebAclSummary,
) -> Result<Option<WebAcl>, CallError> {
    let got = waf
        .get_web_acl()
        .name(summary.name().unwrap_or_default())
        .id(summary.id().unwrap_or_default())
        .scope(WafScope::Regional)
        .send()
        .await;
    let out = found(got, &[NONEXISTENT])?;
    let Some(acl) = out.as_ref().and_then(|o| o.web_acl()) else {
        return Ok(None);
    };
    let arn = acl.arn();

    let logging_enabled = found(
        waf.get_logging_configuration()
            .resource_arn(arn)
            .send()
            .await,
        &[NONEXISTENT],
    )?
    .is_some_and(|out| out.logging_configuration().is_some());

    let tags = pages(|marker| {
        let req = waf
            .list_tags_for_resource()
            .resource_arn(arn)
            .set_next_marker(marker);
        async move {
            let out = req.send().await?;
            let tags = out
                .tag_info_for_resource()
                .map(|t| t.tag_list().to_vec())
                .unwrap_or_default();
            Ok((tags, out.next_marker().map(str::to_string)))
        }
    })
    .await;
    let Some(tags) = found(tags, &[NONEXISTENT])? else {
        return Ok(None);
    };
    let tags = tags_from(&tags, |t| (Some(t.key()), Some(t.value())));

    let mut rules: Vec<WafRule> = acl.rules().iter().map(rule).collect();
    rules.sort_by_key(|r| r.priority);
    Ok(Some(WebAcl {
        arn: arn.to_string(),
        id: acl.id().to_string(),
        name: acl.name().to_string(),
        region: scope.region.clone(),
        scope: "REGIONAL".to_string(),
        // AWS requires one of the two; Block only when it says so.
        default_action: if acl.default_action().is_some_and(|a| a.block().is_some()) {
            "Block"
        } else {
            "Allow"
        }
        .to_string(),
        rules,
        logging_enabled,
        associated_resources: Vec::new(),
        tags,
    }))
}

fn rule(r: &types::Rule) -> WafRule {
    let statement = r.statement();
    WafRule {
        name: r.name().to_string(),
        priority: r.priority().into(),
        action: r.action().and_then(action).map(str::to_string),
        managed_rule_group: statement
            .and_then(|s| s.managed_rule_group_statement())
            .map(|m| ManagedRuleGroup {
                vendor: m.vendor_name().to_string(),
                name: m.name().to_string(),
            }),
        rule_group_arn: statement
            .and_then(|s| s.rule_group_reference_statement())
            .map(|g| g.arn().to_string()),
    }
}

fn action(a: &types::RuleAction) -> Option<&'static str> {
    [
        (a.allow().is_some(), "Allow"),
        (a.block().is_some(), "Block"),
        (a.count().is_some(), "Count"),
        (a.captcha().is_some(), "Captcha"),
        (a.challenge().is_some(), "Challenge"),
        (a.monetize().is_some(), "Monetize"),
    ]
    .into_iter()
    .find_map(|(set, name)| set.then_some(name))
}

/// What ListResourcesForWebACL said about one web ACL.
enum Listed {
    Arns(Vec<String>),
    /// The endpoint does not implement the operation.
    Unsupported,
    /// The web ACL was deleted meanwhile.
    Gone,
}

async fn resources(waf: &Client, web_acl_arn: &str) -> Result<Listed, CallError> {
    let listed = waf
        .list_resources_for_web_acl()
        .web_acl_arn(web_acl_arn)
        .resource_type(ResourceType::ApplicationLoadBalancer)
        .send()
        .await;
    match listed {
        Ok(out) => Ok(Listed::Arns(out.resource_arns().to_vec())),
        Err(e) if error_code(&e) == Some(NONEXISTENT) => Ok(Listed::Gone),
        Err(e) if classify(&e).class == ErrorClass::NotImplemented => Ok(Listed::Unsupported),
        Err(e) => Err(call(e)),
    }
}

/// Every item of a `NextMarker`-paged list.
async fn pages<T, E, F, Fut>(mut page: F) -> Result<Vec<T>, E>
where
    F: FnMut(Option<String>) -> Fut,
    Fut: Future<Output = Result<(Vec<T>, Option<String>), E>>,
{
    let mut items = Vec::new();
    let mut marker: Option<String> = None;
    loop {
        let (batch, next) = page(marker.clone()).await?;
        let empty = batch.is_empty();
        items.extend(batch);
        match next {
            Some(next) if !empty && !next.is_empty() && marker.as_ref() != Some(&next) => {
                marker = Some(next)
            }
            _ => return Ok(items),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use aws_sdk_wafv2::error::ErrorMetadata;
    use aws_sdk_wafv2::operation::get_logging_configuration::{
        GetLoggingConfigurationError, GetLoggingConfigurationOutput,
    };
    use aws_sdk_wafv2::operation::get_web_acl::GetWebAclOutput;
    use aws_sdk_wafv2::operation::get_web_acl_for_resource::{
        GetWebACLForResourceError, GetWebAclForResourceOutput,
    };
    use aws_sdk_wafv2::operation::list_resources_for_web_acl::ListResourcesForWebAclOutput;
    use aws_sdk_wafv2::operation::list_tags_for_resource::ListTagsForResourceOutput;
    use aws_sdk_wafv2::operation::list_web_acls::ListWebAcLsOutput;
    use aws_sdk_wafv2::types::error::WafNonexistentItemException;
    use aws_sdk_wafv2::types::{
        AllowAction, BlockAction, CountAction, DefaultAction, LoggingConfiguration,
        ManagedRuleGroupStatement, NoneAction, OverrideAction, RateBasedStatement,
        RateBasedStatementAggregateKeyType, RuleAction, RuleGroupReferenceStatement, Statement,
        Tag, TagInfoForResource, VisibilityConfig, WebAclSummary,
    };
    use aws_smithy_mocks::{mock, Rule};
    use aws_smithy_runtime_api::client::orchestrator::HttpResponse;
    use aws_smithy_runtime_api::http::StatusCode;
    use aws_smithy_types::body::SdkBody;

    const ACCOUNT: &str = "111122223333";
    const ACL_ID: &str = "a1b2c3d4-5678-90ab-cdef-EXAMPLE11111";
    const ACL_ARN: &str =
        "arn:aws:wafv2:eu-central-1:111122223333:regional/webacl/krci-shared/a1b2c3d4-5678-90ab-cdef-EXAMPLE11111";
    const ACL2_ID: &str = "b2c3d4e5-6789-01bc-def0-EXAMPLE22222";
    const ACL2_ARN: &str =
        "arn:aws:wafv2:eu-central-1:111122223333:regional/webacl/krci-dev/b2c3d4e5-6789-01bc-def0-EXAMPLE22222";
    const GROUP_ARN: &str =
        "arn:aws:wafv2:eu-central-1:111122223333:regional/rulegroup/krci-custom/c3d4e5f6-7890-12cd-ef01-EXAMPLE33333";
    const LOG_GROUP: &str =
        "arn:aws:logs:eu-central-1:111122223333:log-group:aws-waf-logs-krci-shared";
    const ALB1: &str = "arn:aws:elasticloadbalancing:eu-central-1:111122223333:loadbalancer/app/krci-shared/50dc6c495c0c9188";
    const ALB2: &str = "arn:aws:elasticloadbalancing:eu-central-1:111122223333:loadbalancer/app/krci-argocd/7f3e2a1b0c9d8e76";
    const ALB3: &str = "arn:aws:elasticloadbalancing:eu-central-1:111122223333:loadbalancer/app/krci-public/0e1f2a3b4c5d6e7f";

    fn scope() -> Scope {
        Scope::for_test(ACCOUNT, "eu-central-1")
    }

    /// A client answering from `rules` (first match wins, reusable), without retries.
    fn mocked(rules: &[&Rule]) -> Client {
        crate::collect::mocked_client!(aws_sdk_wafv2, rules)
    }

    fn nonexistent() -> WafNonexistentItemException {
        WafNonexistentItemException::builder()
            .message("AWS WAF couldn't perform the operation because your resource doesn't exist.")
            .meta(ErrorMetadata::builder().code(NONEXISTENT).build())
            .build()
    }

    fn summary(name: &str, id: &str, arn: &str) -> WebAclSummary {
        WebAclSummary::builder()
            .name(name)
            .id(id)
            .arn(arn)
            .lock_token("5e4d3c2b")
            .build()
    }

    fn visibility(metric: &str) -> VisibilityConfig {
        VisibilityConfig::builder()
            .sampled_requests_enabled(true)
            .cloud_watch_metrics_enabled(true)
            .metric_name(metric)
            .build()
            .unwrap()
    }

    fn shared_acl() -> types::WebAcl {
        types::WebAcl::builder()
            .name("krci-shared")
            .id(ACL_ID)
            .arn(ACL_ARN)
            .default_action(
                DefaultAction::builder()
                    .allow(AllowAction::builder().build())
                    .build(),
            )
            .visibility_config(visibility("krci-shared"))
            // Listed out of priority order on purpose.
            .rules(
                types::Rule::builder()
                    .name("rate-limit")
                    .priority(2)
                    .action(
                        RuleAction::builder()
                            .block(BlockAction::builder().build())
                            .build(),
                    )
                    .statement(
                        Statement::builder()
                            .rate_based_statement(
                                RateBasedStatement::builder()
                                    .limit(2000)
                                    .aggregate_key_type(RateBasedStatementAggregateKeyType::Ip)
                                    .build()
                                    .unwrap(),
                            )
                            .build(),
                    )
                    .visibility_config(visibility("rate-limit"))
                    .build()
                    .unwrap(),
            )
            .rules(
                types::Rule::builder()
                    .name("AWS-AWSManagedRulesCommonRuleSet")
                    .priority(0)
                    .override_action(
                        OverrideAction::builder()
                            .none(NoneAction::builder().build())
                            .build(),
                    )
                    .statement(
                        Statement::builder()
                            .managed_rule_group_statement(
                                ManagedRuleGroupStatement::builder()
                                    .vendor_name("AWS")
                                    .name("AWSManagedRulesCommonRuleSet")
                                    .build()
                                    .unwrap(),
                            )
                            .build(),
                    )
                    .visibility_config(visibility("common"))
                    .build()
                    .unwrap(),
            )
            .rules(
                types::Rule::builder()
                    .name("krci-custom")
                    .priority(1)
                    .override_action(
                        OverrideAction::builder()
                            .count(CountAction::builder().build())
                            .build(),
                    )
                    .statement(
                        Statement::builder()
                            .rule_group_reference_statement(
                                RuleGroupReferenceStatement::builder()
                                    .arn(GROUP_ARN)
                                    .build()
                                    .unwrap(),
                            )
                            .build(),
                    )
                    .visibility_config(visibility("custom"))
                    .build()
                    .unwrap(),
            )
            .build()
            .unwrap()
    }

    fn dev_acl() -> types::WebAcl {
        types::WebAcl::builder()
            .name("krci-dev")
            .id(ACL2_ID)
            .arn(ACL2_ARN)
            .default_action(
                DefaultAction::builder()
                    .block(BlockAction::builder().build())
                    .build(),
            )
            .visibility_config(visibility("krci-dev"))
            .build()
            .unwrap()
    }

    /// Rules for two web ACLs: krci-shared (logging on, tagged) and krci-dev;
    /// ALB1 and ALB2 behind krci-shared, ALB3 unprotected.
    fn region_rules() -> Vec<Rule> {
        vec![
            mock!(Client::list_web_acls)
                .match_requests(|req| req.scope() == Some(&WafScope::Regional))
                .then_output(|| {
                    ListWebAcLsOutput::builder()
                        .web_acls(summary("krci-shared", ACL_ID, ACL_ARN))
                        .web_acls(summary("krci-dev", ACL2_ID, ACL2_ARN))
                        .build()
                }),
            mock!(Client::get_web_acl).then_compute_output(|req| {
                let acl = if req.id() == Some(ACL_ID) {
                    shared_acl()
                } else {
                    dev_acl()
                };
                GetWebAclOutput::builder()
                    .web_acl(acl)
                    .lock_token("5e4d3c2b")
                    .build()
            }),
            mock!(Client::get_logging_configuration)
                .match_requests(|req| req.resource_arn() == Some(ACL_ARN))
                .then_output(|| {
                    GetLoggingConfigurationOutput::builder()
                        .logging_configuration(
                            LoggingConfiguration::builder()
                                .resource_arn(ACL_ARN)
                                .log_destination_configs(LOG_GROUP)
                                .build()
                                .unwrap(),
                        )
                        .build()
                }),
            mock!(Client::get_logging_configuration).then_error(|| {
                GetLoggingConfigurationError::WafNonexistentItemException(nonexistent())
            }),
            mock!(Client::list_tags_for_resource).then_compute_output(|req| {
                let info = TagInfoForResource::builder().resource_arn(req.resource_arn().unwrap());
                let info = if req.resource_arn() == Some(ACL_ARN) {
                    info.tag_list(Tag::builder().key("Project").value("krci").build().unwrap())
                } else {
                    info
                };
                ListTagsForResourceOutput::builder()
                    .tag_info_for_resource(info.build())
                    .build()
            }),
            mock!(Client::get_web_acl_for_resource).then_compute_output(|req| {
                let out = GetWebAclForResourceOutput::builder();
                if req.resource_arn() == Some(ALB3) {
                    out.build()
                } else {
                    out.web_acl(shared_acl()).build()
                }
            }),
        ]
    }

    #[tokio::test]
    async fn maps_rules_logging_tags_and_associations() {
        let mut rules = region_rules();
        rules.push(
            mock!(Client::list_resources_for_web_acl).then_compute_output(|req| {
                assert_eq!(
                    req.resource_type(),
                    Some(&ResourceType::ApplicationLoadBalancer)
                );
                let out = ListResourcesForWebAclOutput::builder();
                if req.web_acl_arn() == Some(ACL_ARN) {
                    out.resource_arns(ALB2).resource_arns(ALB1).build()
                } else {
                    out.build()
                }
            }),
        );
        let waf = mocked(&rules.iter().collect::<Vec<_>>());
        let albs = [ALB1.to_string(), ALB2.to_string(), ALB3.to_string()];

        let (got, associations) = read(&waf, &scope(), Some(&albs)).await.expect("collected");

        assert_eq!(
            associations,
            BTreeMap::from([
                (ALB1.to_string(), ACL_ARN.to_string()),
                (ALB2.to_string(), ACL_ARN.to_string())
            ])
        );
        assert_eq!(got.web_acls.len(), 2);
        let shared = &got.web_acls[0];
        assert_eq!(shared.arn, ACL_ARN);
        assert_eq!(shared.id, ACL_ID);
        assert_eq!(shared.name, "krci-shared");
        assert_eq!(shared.region, "eu-central-1");
        assert_eq!(shared.scope, "REGIONAL");
        assert_eq!(shared.default_action, "Allow");
        assert!(shared.logging_enabled);
        // Sorted by ARN.
        assert_eq!(
            shared.associated_resources,
            vec![ALB2.to_string(), ALB1.to_string()]
        );
        assert_eq!(shared.tags.get("Project").map(String::as_str), Some("krci"));
        assert_eq!(
            shared.rules,
            vec![
                WafRule {
                    name: "AWS-AWSManagedRulesCommonRuleSet".to_string(),
                    priority: 0,
                    action: None,
                    managed_rule_group: Some(ManagedRuleGroup {
                        vendor: "AWS".to_string(),
                        name: "AWSManagedRulesCommonRuleSet".to_string(),
                    }),
                    rule_group_arn: None,
                },
                WafRule {
                    name: "krci-custom".to_string(),
                    priority: 1,
                    action: None,
                    managed_rule_group: None,
                    rule_group_arn: Some(GROUP_ARN.to_string()),
                },
                WafRule {
                    name: "rate-limit".to_string(),
                    priority: 2,
                    action: Some("Block".to_string()),
                    managed_rule_group: None,
                    rule_group_arn: None,
                },
            ]
        );
        let dev = &got.web_acls[1];
        assert_eq!(dev.arn, ACL2_ARN);
        assert_eq!(dev.default_action, "Block");
        assert!(!dev.logging_enabled);
        assert!(dev.rules.is_empty());
        assert!(dev.associated_resources.is_empty());
        assert!(dev.tags.is_empty());
    }

    /// moto answers an HTML 500; a proper NotImplemented endpoint a 404 or 501.
    async fn falls_back_when_list_resources_is_unimplemented(status: u16) {
        let mut rules = region_rules();
        let unimplemented = mock!(Client::list_resources_for_web_acl).then_http_response(move || {
            HttpResponse::new(
                StatusCode::try_from(status).unwrap(),
                SdkBody::from("<!doctype html>\n<html lang=en>\n<title>500 Internal Server Error</title>\n"),
            )
        });
        rules.push(unimplemented.clone());
        let waf = mocked(&rules.iter().collect::<Vec<_>>());
        let albs = [ALB1.to_string(), ALB2.to_string(), ALB3.to_string()];

        let (got, associations) = read(&waf, &scope(), Some(&albs)).await.expect("collected");

        // Probed once, not once per web ACL.
        assert_eq!(unimplemented.num_calls(), 1);
        assert_eq!(associations.len(), 2);
        assert_eq!(associations.get(ALB1).map(String::as_str), Some(ACL_ARN));
        assert_eq!(associations.get(ALB3), None);
        assert_eq!(
            got.web_acls[0].associated_resources,
            vec![ALB2.to_string(), ALB1.to_string()]
        );
        assert!(got.web_acls[1].associated_resources.is_empty());
    }

    #[tokio::test]
    async fn falls_back_on_moto_html_500() {
        falls_back_when_list_resources_is_unimplemented(500).await;
    }

    #[tokio::test]
    async fn falls_back_on_404() {
        falls_back_when_list_resources_is_unimplemented(404).await;
    }

    #[tokio::test]
    async fn no_fallback_when_a_lookup_fails() {
        let mut rules = vec![mock!(Client::get_web_acl_for_resource).then_error(|| {
            GetWebACLForResourceError::generic(
                ErrorMetadata::builder()
                    .code("AccessDeniedException")
                    .message("not authorized to perform: wafv2:GetWebACLForResource")
                    .build(),
            )
        })];
        rules.extend(region_rules());
        rules.push(
            mock!(Client::list_resources_for_web_acl).then_http_response(|| {
                HttpResponse::new(
                    StatusCode::try_from(500).unwrap(),
                    SdkBody::from("<html></html>"),
                )
            }),
        );
        let waf = mocked(&rules.iter().collect::<Vec<_>>());

        let err = read(&waf, &scope(), Some(&[ALB1.to_string()]))
            .await
            .expect_err("not read");

        assert_eq!(err.class, ErrorClass::AccessDenied);
    }

    #[tokio::test]
    async fn a_real_server_error_is_not_taken_for_unimplemented() {
        let mut rules = region_rules();
        rules.push(mock!(Client::list_resources_for_web_acl).then_error(|| {
            aws_sdk_wafv2::operation::list_resources_for_web_acl::ListResourcesForWebACLError::generic(
                ErrorMetadata::builder()
                    .code("WAFInternalErrorException")
                    .message("Your request is valid, but WAF couldn't perform the operation because of a system problem.")
                    .build(),
            )
        }));
        let waf = mocked(&rules.iter().collect::<Vec<_>>());

        let err = read(&waf, &scope(), Some(&[])).await.expect_err("not read");

        assert_eq!(err.class, ErrorClass::Other);
    }

    #[tokio::test]
    async fn list_web_acls_stops_on_an_empty_page_despite_a_marker() {
        let list =
            mock!(Client::list_web_acls).then_compute_output(|req| match req.next_marker() {
                None => ListWebAcLsOutput::builder()
                    .web_acls(summary("krci-shared", ACL_ID, ACL_ARN))
                    .next_marker("krci-shared")
                    .build(),
                Some("krci-shared") => ListWebAcLsOutput::builder()
                    .web_acls(summary("krci-dev", ACL2_ID, ACL2_ARN))
                    .next_marker("krci-dev")
                    .build(),
                // WAF hands out a marker on the last page as well.
                Some(_) => ListWebAcLsOutput::builder().next_marker("krci-dev").build(),
            });
        let mut rules = vec![list.clone()];
        rules.extend(region_rules().into_iter().skip(1));
        rules.push(
            mock!(Client::list_resources_for_web_acl)
                .then_output(|| ListResourcesForWebAclOutput::builder().build()),
        );
        let waf = mocked(&rules.iter().collect::<Vec<_>>());

        let (got, _) = read(&waf, &scope(), Some(&[])).await.expect("collected");

        assert_eq!(list.num_calls(), 3);
        assert_eq!(
            got.web_acls
                .iter()
                .map(|a| a.name.as_str())
                .collect::<Vec<_>>(),
            vec!["krci-shared", "krci-dev"]
        );
    }
}
