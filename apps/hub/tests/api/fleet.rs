//! A fleet of targets for statement counts and the `list_targets` benchmark:
//! one customer (with a secret) per five targets, every fifth target
//! vendor-owned, a heartbeat per target, two deployments per target (two
//! fixed applications) with a status each whose message holds the owner's
//! secret (so listing redacts).

use axum::http::StatusCode;
use distr_domain::deployment::StatusType;
use distr_domain::ids::{CustomerOrganizationId, StatusId};
use distr_domain::names::Name;
use distr_domain::organization::CustomerOrganization;
use distr_testkit::builders::{
    AgentVersionBuilder, ApplicationBuilder, DeploymentBuilder, TargetBuilder, VersionBuilder,
};
use serde_json::json;

use super::support::{Org, TestApp};

/// Targets per customer; every fifth target is vendor-owned.
const TARGETS_PER_CUSTOMER: usize = 5;

/// Seeds `targets` targets with two deployments each into `org`.
pub async fn seed_fleet(app: &TestApp, org: &Org, targets: usize) {
    let store = &app.state.store;
    let agent = store
        .upsert_agent_version(
            &AgentVersionBuilder::new(&app.state.config.hub_agent_version).build(),
        )
        .await
        .unwrap();
    let mut versions = Vec::new();
    for name in ["web", "worker"] {
        let application = ApplicationBuilder::docker(org.id).name(name).build();
        store.create_application(&application).await.unwrap();
        let old = VersionBuilder::for_app(&application).name("1.0").build();
        store.create_version(&old).await.unwrap();
        let new = VersionBuilder::for_app(&application).name("2.0").build();
        store.create_version(&new).await.unwrap();
        versions.push((application.id, old.id));
    }
    let mut customers: Vec<CustomerOrganizationId> = Vec::new();
    for i in 0..targets {
        let mut builder = TargetBuilder::docker(org.id)
            .name(&format!("target-{i:04}"))
            .agent_version(agent.id);
        if i % TARGETS_PER_CUSTOMER != 0 {
            let index = i / TARGETS_PER_CUSTOMER;
            if customers.len() <= index {
                let customer = CustomerOrganization {
                    id: CustomerOrganizationId::from_uuid(uuid::Uuid::now_v7()),
                    organization_id: org.id,
                    created_at: app.state.clock.now(),
                    name: Name::parse("name", &format!("Fleet customer {index:04}")).unwrap(),
                };
                store.create_customer(&customer).await.unwrap();
                let secret = app
                    .post(
                        "/api/v1/secrets",
                        &org.admin.token,
                        json!({"key": "PASSWORD", "value": format!("hunter{index:04}"),
                               "customerOrganizationId": customer.id}),
                    )
                    .await;
                assert_eq!(secret.status, StatusCode::CREATED, "{}", secret.body);
                customers.push(customer.id);
            }
            builder = builder.owned_by(customers[index]);
        }
        let target = builder.build();
        store.create_target(&target).await.unwrap();
        let now = app.state.clock.now();
        store
            .record_heartbeat(target.id, now, "agent running")
            .await
            .unwrap();
        for (application, version) in &versions {
            let (deployment, revision) =
                DeploymentBuilder::new(target.id, *application).build_with_revision(*version);
            store
                .create_deployment(&deployment, &revision)
                .await
                .unwrap();
            let customer = i / TARGETS_PER_CUSTOMER;
            store
                .record_status(
                    StatusId::from_uuid(uuid::Uuid::now_v7()),
                    revision.id,
                    StatusType::Healthy,
                    &format!("up; login with hunter{customer:04}"),
                    now,
                )
                .await
                .unwrap();
        }
    }
}
