//! ELBv2: load balancers (DescribeLoadBalancers), each one's attributes and
//! listeners (with every certificate of a TLS listener, not only the default
//! one DescribeListeners names), and their tags (DescribeTags, 20 ARNs a call). The WAF association
//! is filled in by the caller from WAFv2 (`web_acl_arn` stays `None` here).
//!
//! A load balancer deleted between the list and its per-resource calls
//! (`LoadBalancerNotFound`) is left out: it no longer exists.

use super::policy::{operations_of, Operation};
use super::{
    call, client, each_found, every, every_found, for_each_concurrent, found, tags_from, Scope,
};
use crate::aws::{error_code, CallError};
use crate::snapshot::{Elbv2, Listener, ListenerAction, LoadBalancer, RedirectConfig, Tags};
use aws_sdk_elasticloadbalancingv2::operation::describe_listener_certificates::DescribeListenerCertificatesError;
use aws_sdk_elasticloadbalancingv2::types::{self, ProtocolEnum};
use aws_sdk_elasticloadbalancingv2::Client;
use aws_smithy_runtime_api::client::orchestrator::HttpResponse;
use aws_smithy_runtime_api::client::result::SdkError;
use std::collections::{BTreeMap, BTreeSet};

/// Every AWS operation sent, with its IAM action (see `policy`).
pub(crate) const OPERATIONS: &[Operation] = operations_of!(
    "Elastic Load Balancing v2", "elasticloadbalancing":
    DescribeLoadBalancers, DescribeLoadBalancerAttributes, DescribeListeners,
    DescribeListenerCertificates, DescribeTags,
);

/// DescribeTags takes at most 20 resource ARNs.
const TAGS_BATCH: usize = 20;

/// The code ELBv2 answers for a load balancer that does not exist (any more).
const NOT_FOUND: &str = "LoadBalancerNotFound";

/// The code for a listener deleted between the list and its certificates.
const LISTENER_NOT_FOUND: &str = "ListenerNotFound";

pub(crate) async fn collect(scope: &Scope) -> Result<Elbv2, CallError> {
    read(&client!(aws_sdk_elasticloadbalancingv2, scope), scope).await
}

async fn read(elb: &Client, scope: &Scope) -> Result<Elbv2, CallError> {
    let lbs: Vec<_> = every(
        elb.describe_load_balancers()
            .into_paginator()
            .items()
            .send(),
    )
    .await?;

    let described = each_found(lbs, |lb| {
        let elb = elb.clone();
        async move {
            let arn = lb.load_balancer_arn().unwrap_or_default().to_string();
            let Some(attributes) = found(
                elb.describe_load_balancer_attributes()
                    .load_balancer_arn(&arn)
                    .send()
                    .await,
                &[NOT_FOUND],
            )?
            else {
                return Ok(None);
            };
            let attributes = attributes
                .attributes()
                .iter()
                .filter_map(|a| {
                    Some((
                        a.key()?.to_string(),
                        a.value().unwrap_or_default().to_string(),
                    ))
                })
                .collect();
            let Some(listeners) = every_found(
                elb.describe_listeners()
                    .load_balancer_arn(&arn)
                    .into_paginator()
                    .items()
                    .send(),
                &[NOT_FOUND],
            )
            .await?
            else {
                return Ok(None);
            };
            let mut mapped = Vec::with_capacity(listeners.len());
            for l in &listeners {
                let mut out = listener(l);
                if matches!(l.protocol(), Some(ProtocolEnum::Https | ProtocolEnum::Tls)) {
                    match extra_certificates(&elb, &out.arn).await {
                        Ok(extra) => {
                            for arn in extra {
                                if !out.certificates.contains(&arn) {
                                    out.certificates.push(arn);
                                }
                            }
                        }
                        Err(e) if error_code(&e) == Some(NOT_FOUND) => return Ok(None),
                        Err(e) if error_code(&e) == Some(LISTENER_NOT_FOUND) => continue,
                        Err(e) => return Err(call(e)),
                    }
                }
                mapped.push(out);
            }
            let listeners = mapped;
            Ok(Some(LoadBalancer {
                name: lb.load_balancer_name().unwrap_or_default().to_string(),
                region: scope.region.clone(),
                lb_type: lb.r#type().map_or("", |t| t.as_str()).to_string(),
                // AWS always answers it; `internet-facing` is its default (moto omits it).
                scheme: lb
                    .scheme()
                    .map_or("internet-facing", |s| s.as_str())
                    .to_string(),
                vpc_id: lb.vpc_id().map(str::to_string),
                security_group_ids: lb.security_groups().to_vec(),
                dns_name: lb.dns_name().map(str::to_string),
                attributes,
                listeners,
                web_acl_arn: None,
                tags: Tags::new(),
                arn,
            }))
        }
    })
    .await?;
    let mut load_balancers: Vec<LoadBalancer> = described;

    let (mut tags, gone) = tags(
        elb,
        load_balancers.iter().map(|lb| lb.arn.clone()).collect(),
    )
    .await?;
    load_balancers.retain(|lb| !gone.contains(&lb.arn));
    for lb in &mut load_balancers {
        lb.tags = tags.remove(&lb.arn).unwrap_or_default();
    }
    Ok(Elbv2 { load_balancers })
}

/// Tags by load balancer ARN, and the ARNs found deleted meanwhile.
async fn tags(
    elb: &Client,
    arns: Vec<String>,
) -> Result<(BTreeMap<String, Tags>, BTreeSet<String>), CallError> {
    let batches: Vec<Vec<String>> = arns.chunks(TAGS_BATCH).map(<[String]>::to_vec).collect();
    let results = for_each_concurrent(batches, |batch| {
        let elb = elb.clone();
        async move {
            match elb
                .describe_tags()
                .set_resource_arns(Some(batch.clone()))
                .send()
                .await
            {
                Ok(out) => Ok((tag_map(out.tag_descriptions()), BTreeSet::new())),
                // One deleted load balancer fails its whole batch: ask for each alone.
                Err(e) if error_code(&e) == Some(NOT_FOUND) => {
                    let mut found = BTreeMap::new();
                    let mut gone = BTreeSet::new();
                    for arn in batch {
                        match elb.describe_tags().resource_arns(&arn).send().await {
                            Ok(out) => found.extend(tag_map(out.tag_descriptions())),
                            Err(e) if error_code(&e) == Some(NOT_FOUND) => {
                                gone.insert(arn);
                            }
                            Err(e) => return Err(call(e)),
                        }
                    }
                    Ok((found, gone))
                }
                Err(e) => Err(call(e)),
            }
        }
    })
    .await?;
    Ok(results.into_iter().fold(
        (BTreeMap::new(), BTreeSet::new()),
        |(mut tags, mut gone), (t, g)| {
            tags.extend(t);
            gone.extend(g);
            (tags, gone)
        },
    ))
}

/// Every certificate of a TLS listener: DescribeListeners answers only the
/// default one, the SNI certificates added to it come from
/// DescribeListenerCertificates (which lists the default one too).
async fn extra_certificates(
    elb: &Client,
    listener_arn: &str,
) -> Result<Vec<String>, SdkError<DescribeListenerCertificatesError, HttpResponse>> {
    let certificates: Vec<types::Certificate> = elb
        .describe_listener_certificates()
        .listener_arn(listener_arn)
        .into_paginator()
        .items()
        .send()
        .try_collect()
        .await?;
    Ok(certificates
        .iter()
        .filter_map(|c| c.certificate_arn())
        .map(str::to_string)
        .collect())
}

fn tag_map(descriptions: &[types::TagDescription]) -> BTreeMap<String, Tags> {
    descriptions
        .iter()
        .filter_map(|d| {
            let arn = d.resource_arn()?.to_string();
            Some((arn, tags_from(d.tags(), |t| (t.key(), t.value()))))
        })
        .collect()
}

fn listener(l: &types::Listener) -> Listener {
    let mut actions: Vec<&types::Action> = l.default_actions().iter().collect();
    // Actions run in `Order`; AWS lists them so already, but say it.
    actions.sort_by_key(|a| a.order().unwrap_or(i32::MAX));
    Listener {
        arn: l.listener_arn().unwrap_or_default().to_string(),
        port: l.port().map_or(0, i64::from),
        protocol: l.protocol().map_or("", |p| p.as_str()).to_string(),
        // Only TLS listeners have a policy (moto also puts one on HTTP listeners).
        ssl_policy: l
            .ssl_policy()
            .filter(|_| matches!(l.protocol(), Some(ProtocolEnum::Https | ProtocolEnum::Tls)))
            .map(str::to_string),
        certificates: l
            .certificates()
            .iter()
            .filter_map(|c| c.certificate_arn())
            .map(str::to_string)
            .collect(),
        default_actions: actions.into_iter().map(action).collect(),
    }
}

fn action(a: &types::Action) -> ListenerAction {
    // A forward to one target group may come only as a ForwardConfig.
    let target_group_arn =
        a.target_group_arn()
            .or_else(|| match a.forward_config()?.target_groups() {
                [only] => only.target_group_arn(),
                _ => None,
            });
    ListenerAction {
        action_type: a.r#type().map_or("", |t| t.as_str()).to_string(),
        target_group_arn: target_group_arn.map(str::to_string),
        redirect: a.redirect_config().map(|r| RedirectConfig {
            protocol: r.protocol().map(str::to_string),
            port: r.port().map(str::to_string),
            status_code: r.status_code().map_or("", |c| c.as_str()).to_string(),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::snapshot::ErrorClass;
    use aws_sdk_elasticloadbalancingv2::error::ErrorMetadata;
    use aws_sdk_elasticloadbalancingv2::operation::describe_listener_certificates::DescribeListenerCertificatesOutput;
    use aws_sdk_elasticloadbalancingv2::operation::describe_listeners::DescribeListenersOutput;
    use aws_sdk_elasticloadbalancingv2::operation::describe_load_balancer_attributes::{
        DescribeLoadBalancerAttributesError, DescribeLoadBalancerAttributesOutput,
    };
    use aws_sdk_elasticloadbalancingv2::operation::describe_load_balancers::DescribeLoadBalancersOutput;
    use aws_sdk_elasticloadbalancingv2::operation::describe_tags::{
        DescribeTagsError, DescribeTagsOutput,
    };
    use aws_sdk_elasticloadbalancingv2::types::error::LoadBalancerNotFoundException;
    use aws_sdk_elasticloadbalancingv2::types::{
        Action, ActionTypeEnum, Certificate, LoadBalancerAttribute, LoadBalancerSchemeEnum,
        LoadBalancerTypeEnum, RedirectActionConfig, RedirectActionStatusCodeEnum, Tag,
        TagDescription,
    };
    use aws_smithy_mocks::{mock, Rule};

    const ALB: &str = "arn:aws:elasticloadbalancing:eu-central-1:111122223333:loadbalancer/app/krci-shared/50dc6c495c0c9188";
    const NLB: &str = "arn:aws:elasticloadbalancing:eu-central-1:111122223333:loadbalancer/net/krci-nlb/73e2d6bc24d8a067";
    const HTTP_LISTENER: &str =
        "arn:aws:elasticloadbalancing:eu-central-1:111122223333:listener/app/krci-shared/50dc6c495c0c9188/f2f7dc8efc522ab2";
    const HTTPS_LISTENER: &str =
        "arn:aws:elasticloadbalancing:eu-central-1:111122223333:listener/app/krci-shared/50dc6c495c0c9188/0467ef3c8400ae65";
    const CERT: &str =
        "arn:aws:acm:eu-central-1:111122223333:certificate/3f1b7e6a-0c2d-4b8e-9a51-2d4c6e8f0a1b";
    const IAM_CERT: &str = "arn:aws:iam::111122223333:server-certificate/nexus-docker-2025";
    const TG: &str = "arn:aws:elasticloadbalancing:eu-central-1:111122223333:targetgroup/krci-ingress/6d0ecf831eec9f09";

    fn scope() -> Scope {
        Scope::for_test("111122223333", "eu-central-1")
    }

    /// A client answering from `rules` (first match wins, reusable), without retries.
    fn mocked(rules: &[&Rule]) -> Client {
        crate::collect::mocked_client!(aws_sdk_elasticloadbalancingv2, rules)
    }

    fn lb(arn: &str, name: &str, kind: LoadBalancerTypeEnum) -> types::LoadBalancer {
        types::LoadBalancer::builder()
            .load_balancer_arn(arn)
            .load_balancer_name(name)
            .r#type(kind)
            .scheme(LoadBalancerSchemeEnum::InternetFacing)
            .vpc_id("vpc-0a1b2c3d4e5f60718")
            .dns_name(format!("{name}-1234567890.eu-central-1.elb.amazonaws.com"))
            .build()
    }

    fn not_found() -> ErrorMetadata {
        ErrorMetadata::builder()
            .code(NOT_FOUND)
            .message("One or more load balancers not found")
            .build()
    }

    #[tokio::test]
    async fn maps_redirect_listeners_attributes_and_tags() {
        let lbs = mock!(Client::describe_load_balancers).then_output(|| {
            DescribeLoadBalancersOutput::builder()
                .load_balancers(lb(ALB, "krci-shared", LoadBalancerTypeEnum::Application))
                .load_balancers({
                    // No scheme, as moto answers for a network load balancer.
                    let mut nlb = lb(NLB, "krci-nlb", LoadBalancerTypeEnum::Network);
                    nlb.scheme = None;
                    nlb
                })
                .build()
        });
        let attributes =
            mock!(Client::describe_load_balancer_attributes).then_compute_output(|req| {
                let out = DescribeLoadBalancerAttributesOutput::builder().attributes(
                    LoadBalancerAttribute::builder()
                        .key("deletion_protection.enabled")
                        .value("true")
                        .build(),
                );
                if req.load_balancer_arn() == Some(ALB) {
                    out.attributes(
                        LoadBalancerAttribute::builder()
                            .key("routing.http.drop_invalid_header_fields.enabled")
                            .value("false")
                            .build(),
                    )
                    .attributes(
                        LoadBalancerAttribute::builder()
                            .key("access_logs.s3.bucket")
                            .build(),
                    )
                    .build()
                } else {
                    out.build()
                }
            });
        let listeners = mock!(Client::describe_listeners).then_compute_output(|req| {
            if req.load_balancer_arn() != Some(ALB) {
                return DescribeListenersOutput::builder().build();
            }
            DescribeListenersOutput::builder()
                .listeners(
                    types::Listener::builder()
                        .listener_arn(HTTP_LISTENER)
                        // moto puts a policy on plain HTTP listeners too.
                        .ssl_policy("ELBSecurityPolicy-2016-08")
                        .load_balancer_arn(ALB)
                        .port(80)
                        .protocol(ProtocolEnum::Http)
                        .default_actions(
                            Action::builder()
                                .r#type(ActionTypeEnum::Redirect)
                                .order(1)
                                .redirect_config(
                                    RedirectActionConfig::builder()
                                        .protocol("HTTPS")
                                        .port("443")
                                        .host("#{host}")
                                        .path("/#{path}")
                                        .query("#{query}")
                                        .status_code(RedirectActionStatusCodeEnum::Http301)
                                        .build(),
                                )
                                .build(),
                        )
                        .build(),
                )
                .listeners(
                    types::Listener::builder()
                        .listener_arn(HTTPS_LISTENER)
                        .load_balancer_arn(ALB)
                        .port(443)
                        .protocol(ProtocolEnum::Https)
                        .ssl_policy("ELBSecurityPolicy-TLS13-1-2-2021-06")
                        .certificates(Certificate::builder().certificate_arn(CERT).build())
                        .default_actions(
                            Action::builder()
                                .r#type(ActionTypeEnum::Forward)
                                .order(1)
                                .forward_config(
                                    types::ForwardActionConfig::builder()
                                        .target_groups(
                                            types::TargetGroupTuple::builder()
                                                .target_group_arn(TG)
                                                .weight(1)
                                                .build(),
                                        )
                                        .build(),
                                )
                                .build(),
                        )
                        .build(),
                )
                .build()
        });
        let tags = mock!(Client::describe_tags).then_compute_output(|req| {
            let mut out = DescribeTagsOutput::builder();
            for arn in req.resource_arns() {
                out = out.tag_descriptions(
                    TagDescription::builder()
                        .resource_arn(arn)
                        .tags(Tag::builder().key("Project").value("krci").build())
                        .build(),
                );
            }
            out.build()
        });
        // DescribeListeners names only the default certificate; the SNI ones come
        // from DescribeListenerCertificates (asked only for TLS listeners).
        let certificates = mock!(Client::describe_listener_certificates)
            .match_requests(|req| req.listener_arn() == Some(HTTPS_LISTENER))
            .then_output(|| {
                DescribeListenerCertificatesOutput::builder()
                    .certificates(
                        Certificate::builder()
                            .certificate_arn(CERT)
                            .is_default(true)
                            .build(),
                    )
                    .certificates(Certificate::builder().certificate_arn(IAM_CERT).build())
                    .build()
            });
        let elb = mocked(&[&lbs, &attributes, &listeners, &certificates, &tags]);

        let got = read(&elb, &scope()).await.expect("collected");

        assert_eq!(got.load_balancers.len(), 2);
        let alb = got
            .load_balancers
            .iter()
            .find(|l| l.arn == ALB)
            .expect("alb");
        assert_eq!(alb.name, "krci-shared");
        assert_eq!(alb.lb_type, "application");
        assert_eq!(alb.scheme, "internet-facing");
        assert_eq!(alb.region, "eu-central-1");
        assert_eq!(alb.vpc_id.as_deref(), Some("vpc-0a1b2c3d4e5f60718"));
        assert_eq!(alb.web_acl_arn, None);
        assert_eq!(
            alb.attributes,
            BTreeMap::from([
                ("access_logs.s3.bucket".to_string(), String::new()),
                (
                    "deletion_protection.enabled".to_string(),
                    "true".to_string()
                ),
                (
                    "routing.http.drop_invalid_header_fields.enabled".to_string(),
                    "false".to_string()
                ),
            ])
        );
        assert_eq!(
            alb.tags,
            Tags::from([("Project".to_string(), "krci".to_string())])
        );

        let http = &alb.listeners[0];
        assert_eq!(
            (http.arn.as_str(), http.port, http.protocol.as_str()),
            (HTTP_LISTENER, 80, "HTTP")
        );
        assert_eq!(http.ssl_policy, None);
        assert_eq!(
            http.default_actions,
            vec![ListenerAction {
                action_type: "redirect".to_string(),
                target_group_arn: None,
                redirect: Some(RedirectConfig {
                    protocol: Some("HTTPS".to_string()),
                    port: Some("443".to_string()),
                    status_code: "HTTP_301".to_string(),
                }),
            }]
        );
        let https = &alb.listeners[1];
        assert_eq!((https.port, https.protocol.as_str()), (443, "HTTPS"));
        assert_eq!(
            https.ssl_policy.as_deref(),
            Some("ELBSecurityPolicy-TLS13-1-2-2021-06")
        );
        assert_eq!(
            https.certificates,
            vec![CERT.to_string(), IAM_CERT.to_string()]
        );
        assert_eq!(https.default_actions[0].action_type, "forward");
        assert_eq!(
            https.default_actions[0].target_group_arn.as_deref(),
            Some(TG)
        );

        let nlb = got
            .load_balancers
            .iter()
            .find(|l| l.arn == NLB)
            .expect("nlb");
        assert_eq!(nlb.lb_type, "network");
        assert_eq!(nlb.scheme, "internet-facing");
        assert!(nlb.listeners.is_empty());
        assert_eq!(nlb.attributes.len(), 1);
    }

    #[tokio::test]
    async fn tags_are_read_20_arns_a_call() {
        let lbs = mock!(Client::describe_load_balancers).then_output(|| {
            let mut out = DescribeLoadBalancersOutput::builder();
            for i in 0..45 {
                let arn = format!(
                    "arn:aws:elasticloadbalancing:eu-central-1:111122223333:loadbalancer/app/lb-{i}/{i:016x}"
                );
                out = out.load_balancers(lb(&arn, &format!("lb-{i}"), LoadBalancerTypeEnum::Application));
            }
            out.build()
        });
        let attributes = mock!(Client::describe_load_balancer_attributes)
            .then_output(|| DescribeLoadBalancerAttributesOutput::builder().build());
        let listeners = mock!(Client::describe_listeners)
            .then_output(|| DescribeListenersOutput::builder().build());
        let tags = mock!(Client::describe_tags)
            .match_requests(|req| req.resource_arns().len() <= TAGS_BATCH)
            .then_compute_output(|req| {
                let mut out = DescribeTagsOutput::builder();
                for arn in req.resource_arns() {
                    out = out.tag_descriptions(
                        TagDescription::builder()
                            .resource_arn(arn)
                            .tags(
                                Tag::builder()
                                    .key("Name")
                                    .value(arn.rsplit('/').nth(1).unwrap())
                                    .build(),
                            )
                            .build(),
                    );
                }
                out.build()
            });
        let elb = mocked(&[&lbs, &attributes, &listeners, &tags]);

        let got = read(&elb, &scope()).await.expect("collected");

        assert_eq!(tags.num_calls(), 3);
        assert_eq!(got.load_balancers.len(), 45);
        assert!(got
            .load_balancers
            .iter()
            .all(|lb| lb.tags.get("Name") == Some(&lb.name)));
    }

    #[tokio::test]
    async fn a_load_balancer_deleted_meanwhile_is_left_out() {
        let lbs = mock!(Client::describe_load_balancers).then_output(|| {
            DescribeLoadBalancersOutput::builder()
                .load_balancers(lb(ALB, "krci-shared", LoadBalancerTypeEnum::Application))
                .load_balancers(lb(NLB, "krci-nlb", LoadBalancerTypeEnum::Network))
                .build()
        });
        let gone = mock!(Client::describe_load_balancer_attributes)
            .match_requests(|req| req.load_balancer_arn() == Some(NLB))
            .then_error(|| {
                DescribeLoadBalancerAttributesError::LoadBalancerNotFoundException(
                    LoadBalancerNotFoundException::builder()
                        .meta(not_found())
                        .build(),
                )
            });
        let attributes = mock!(Client::describe_load_balancer_attributes)
            .then_output(|| DescribeLoadBalancerAttributesOutput::builder().build());
        let listeners = mock!(Client::describe_listeners)
            .then_output(|| DescribeListenersOutput::builder().build());
        let tags =
            mock!(Client::describe_tags).then_output(|| DescribeTagsOutput::builder().build());
        let elb = mocked(&[&lbs, &gone, &attributes, &listeners, &tags]);

        let got = read(&elb, &scope()).await.expect("collected");

        assert_eq!(
            got.load_balancers
                .iter()
                .map(|l| l.arn.as_str())
                .collect::<Vec<_>>(),
            vec![ALB]
        );
    }

    #[tokio::test]
    async fn a_batch_failing_on_a_deleted_load_balancer_is_retried_one_by_one() {
        let lbs = mock!(Client::describe_load_balancers).then_output(|| {
            DescribeLoadBalancersOutput::builder()
                .load_balancers(lb(ALB, "krci-shared", LoadBalancerTypeEnum::Application))
                .load_balancers(lb(NLB, "krci-nlb", LoadBalancerTypeEnum::Network))
                .build()
        });
        let attributes = mock!(Client::describe_load_balancer_attributes)
            .then_output(|| DescribeLoadBalancerAttributesOutput::builder().build());
        let listeners = mock!(Client::describe_listeners)
            .then_output(|| DescribeListenersOutput::builder().build());
        let tags = mock!(Client::describe_tags).then_compute_response(|req| {
            use aws_smithy_mocks::MockResponse;
            if req.resource_arns().iter().any(|a| a == NLB) {
                MockResponse::Error(DescribeTagsError::LoadBalancerNotFoundException(
                    LoadBalancerNotFoundException::builder()
                        .meta(not_found())
                        .build(),
                ))
            } else {
                MockResponse::Output(
                    DescribeTagsOutput::builder()
                        .tag_descriptions(
                            TagDescription::builder()
                                .resource_arn(ALB)
                                .tags(Tag::builder().key("Project").value("krci").build())
                                .build(),
                        )
                        .build(),
                )
            }
        });
        let elb = mocked(&[&lbs, &attributes, &listeners, &tags]);

        let got = read(&elb, &scope()).await.expect("collected");

        assert_eq!(got.load_balancers.len(), 1);
        assert_eq!(got.load_balancers[0].arn, ALB);
        assert_eq!(
            got.load_balancers[0]
                .tags
                .get("Project")
                .map(String::as_str),
            Some("krci")
        );
    }

    #[tokio::test]
    async fn access_denied_fails_the_whole_service() {
        let lbs = mock!(Client::describe_load_balancers).then_output(|| {
            DescribeLoadBalancersOutput::builder()
                .load_balancers(lb(ALB, "krci-shared", LoadBalancerTypeEnum::Application))
                .build()
        });
        let denied = mock!(Client::describe_load_balancer_attributes).then_error(|| {
            DescribeLoadBalancerAttributesError::generic(
                ErrorMetadata::builder()
                    .code("AccessDenied")
                    .message("User is not authorized to perform: elasticloadbalancing:DescribeLoadBalancerAttributes")
                    .build(),
            )
        });
        let elb = mocked(&[&lbs, &denied]);

        let err = read(&elb, &scope()).await.expect_err("not read");

        assert_eq!(err.class, ErrorClass::AccessDenied);
    }
}
