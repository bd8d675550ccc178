//! Security Hub: the region's hub (DescribeHub) and the standards it is
//! subscribed to (GetEnabledStandards).
//!
//! An account that is not subscribed in the region answers DescribeHub with
//! `InvalidAccessException`: no hub, and so no standards (read: there are
//! none). The standards are covered apart (`securityhub-standards`): moto
//! serves DescribeHub but not GetEnabledStandards, and a missing standards
//! API must not hide whether the hub is on.

use super::policy::{operations_of, Operation};
use super::{client, every, found, Read, Scope};
use crate::aws::CallError;
use crate::snapshot::{Hub, HubStandard, SecurityHub};
use aws_sdk_securityhub::Client;

/// Every AWS operation sent, with its IAM action (see `policy`).
pub(crate) const OPERATIONS: &[Operation] =
    operations_of!("SecurityHub", "securityhub": DescribeHub, GetEnabledStandards);

/// The code of an account not subscribed to Security Hub in the region.
const NOT_SUBSCRIBED: &[&str] = &["InvalidAccessException"];

pub(crate) async fn collect(scope: &Scope) -> Read<SecurityHub> {
    read(&client!(aws_sdk_securityhub, scope), scope).await
}

async fn read(hub: &Client, scope: &Scope) -> Read<SecurityHub> {
    let described = match found(hub.describe_hub().send().await, NOT_SUBSCRIBED) {
        Ok(d) => d,
        Err(e) => {
            let standards = Err(CallError {
                class: e.class,
                message: format!("the hub could not be read: {}", e.message),
            });
            return Read {
                section: SecurityHub::default(),
                parts: vec![("securityhub", Err(e)), (SecurityHub::STANDARDS, standards)],
            };
        }
    };
    let Some(d) = described else {
        return Read {
            section: SecurityHub::default(),
            parts: vec![("securityhub", Ok(())), (SecurityHub::STANDARDS, Ok(()))],
        };
    };
    let mut found_hub = Hub {
        arn: d.hub_arn().map(str::to_string).unwrap_or_else(|| {
            format!(
                "arn:{}:securityhub:{}:{}:hub/default",
                scope.partition, scope.region, scope.account_id
            )
        }),
        region: scope.region.clone(),
        auto_enable_controls: d.auto_enable_controls(),
        control_finding_generator: d
            .control_finding_generator()
            .map(|g| g.as_str().to_string()),
        standards: Vec::new(),
    };
    let standards = every(hub.get_enabled_standards().into_paginator().items().send())
        .await
        .map(|subscriptions| {
            let mut standards: Vec<HubStandard> = subscriptions
                .iter()
                .map(|s| HubStandard {
                    arn: s
                        .standards_subscription_arn()
                        .unwrap_or_default()
                        .to_string(),
                    standards_arn: s.standards_arn().unwrap_or_default().to_string(),
                    status: s
                        .standards_status()
                        .map(|st| st.as_str())
                        .unwrap_or_default()
                        .to_string(),
                })
                .collect();
            standards.sort_by(|a, b| a.arn.cmp(&b.arn));
            found_hub.standards = standards;
        });
    Read {
        section: SecurityHub {
            hubs: vec![found_hub],
        },
        parts: vec![("securityhub", Ok(())), (SecurityHub::STANDARDS, standards)],
    }
}
