use super::*;

#[tokio::test(start_paused = true)]
async fn install_then_check_then_upgrade_then_uninstall() {
    let h = Harness::new();
    let mut web = helm_deployment("web");
    web.values = Some(json!({"image": {"pullSecrets": []}, "replicas": 2}));
    h.desire(std::slice::from_ref(&web));

    assert_eq!(
        h.tick_statuses().await,
        vec![status(&web, StatusType::Running, "helm install succeeded")]
    );
    assert_eq!(
        h.helm.calls(),
        vec![HelmCall::Install(NS.into(), "web".into())]
    );
    let release = h.helm.release(NS, "web").unwrap();
    assert_eq!(
        release.values,
        json!({"image": {"pullSecrets": [{"name": "sh.distr.agent.v1.web.pull"}]}, "replicas": 2})
    );
    assert_eq!(h.kube.records(NS), vec![record_after_operation(&web, 1)]);
    assert_eq!(
        h.kube.pull_secret(NS, "web").unwrap(),
        br#"{"auths":{}}"#.to_vec()
    );

    assert_eq!(
        h.tick_statuses().await,
        vec![status(
            &web,
            StatusType::Healthy,
            "status check passed. 2 resources healthy"
        )]
    );
    assert_eq!(
        h.helm.calls().len(),
        1,
        "an unchanged revision runs no helm operation"
    );

    let web2 = next_revision(&web);
    h.desire(std::slice::from_ref(&web2));
    assert_eq!(
        h.tick_statuses().await,
        vec![status(&web2, StatusType::Running, "helm upgrade succeeded")]
    );
    assert_eq!(h.kube.records(NS), vec![record_after_operation(&web2, 2)]);

    h.desire(&[]);
    assert!(h.tick_statuses().await.is_empty());
    assert_eq!(
        h.helm.calls().last(),
        Some(&HelmCall::Uninstall(NS.into(), "web".into()))
    );
    assert!(h.helm.release(NS, "web").is_none());
    assert!(h.kube.records(NS).is_empty());
}

#[tokio::test(start_paused = true)]
async fn a_long_operation_reports_progress() {
    let h = Harness::new();
    h.helm.set_delay(INTERVAL * 3 + INTERVAL / 2);
    let web = helm_deployment("web");
    h.desire(std::slice::from_ref(&web));
    let statuses = h.tick_statuses().await;
    let progressing = status(&web, StatusType::Progressing, "helm operation in progress");
    assert_eq!(statuses.iter().filter(|s| **s == progressing).count(), 3);
    assert_eq!(
        statuses.last(),
        Some(&status(&web, StatusType::Running, "helm install succeeded"))
    );
}

#[tokio::test(start_paused = true)]
async fn a_logs_flag_change_updates_the_record_only() {
    let h = Harness::new();
    let web = helm_deployment("web");
    h.installed(&web, 3);
    let logs_on = AgentDeployment {
        logs_enabled: true,
        ..web.clone()
    };
    h.desire(std::slice::from_ref(&logs_on));
    assert!(h.tick_statuses().await.is_empty());
    assert!(h.kube.records(NS)[0].logs_enabled);
    assert!(h.helm.calls().is_empty());
}

#[tokio::test(start_paused = true)]
async fn force_restart_follows_an_upgrade_only() {
    let h = Harness::new();
    let mut web = helm_deployment("web");
    web.force_restart = true;
    h.desire(std::slice::from_ref(&web));
    h.tick().await;
    assert!(h.kube.restarts().is_empty(), "no restart after an install");

    let web2 = next_revision(&web);
    h.desire(std::slice::from_ref(&web2));
    assert_eq!(
        h.tick_statuses().await,
        vec![status(
            &web2,
            StatusType::Running,
            "helm upgrade succeeded; force restart succeeded"
        )]
    );
    let restarts = h.kube.restarts();
    assert_eq!(restarts.len(), 1);
    assert_eq!(restarts[0].1, FakeHelm::manifest_of("web"));
    assert_eq!(restarts[0].2, at_seconds(1_000));

    h.kube.fail_restart(Some("deployments/web: forbidden"));
    let web3 = next_revision(&web2);
    h.desire(std::slice::from_ref(&web3));
    assert_eq!(
        h.tick_statuses().await,
        vec![
            status(
                &web3,
                StatusType::Error,
                "helm upgrade succeeded; force restart error: deployments/web: forbidden"
            ),
            status(&web3, StatusType::Running, "helm upgrade succeeded"),
        ]
    );
}

#[tokio::test(start_paused = true)]
async fn the_distr_registry_token_goes_into_the_pull_secret_and_oci_pulls() {
    let h = Harness::with(None, "hub.example.com");
    let mut web = helm_deployment("web");
    web.chart_url = "oci://hub.example.com/acme/web".into();
    web.chart_name = String::new();
    h.desire(std::slice::from_ref(&web));
    h.tick().await;
    let secret = String::from_utf8(h.kube.pull_secret(NS, "web").unwrap()).unwrap();
    // base64("-:fake-agent-jwt")
    assert_eq!(
        secret,
        r#"{"auths":{"hub.example.com":{"auth":"LTpmYWtlLWFnZW50LWp3dA=="}}}"#
    );
    assert_eq!(
        h.helm.release(NS, "web").unwrap().registry_config,
        Some(secret.into_bytes())
    );
}

#[tokio::test(start_paused = true)]
async fn a_legacy_record_is_adopted_by_release_name() {
    let h = Harness::new();
    let web = helm_deployment("web");
    let mut legacy = h.installed(&web, 2);
    legacy.id = distr_domain::ids::DeploymentId::nil();
    h.kube.insert_record(NS, legacy);
    h.desire(std::slice::from_ref(&web));
    assert_eq!(
        h.tick_statuses().await,
        vec![status(
            &web,
            StatusType::Healthy,
            "status check passed. 2 resources healthy"
        )]
    );
    assert!(
        h.helm.calls().is_empty(),
        "neither uninstalled nor reinstalled"
    );
}

#[tokio::test(start_paused = true)]
async fn self_update_applies_the_manifest_and_ends_the_tick() {
    let own = AgentVersionId::from_uuid(uuid::Uuid::new_v4());
    let h = Harness::with(Some(own), "");
    h.hub.set_manifest(Ok("kind: Deployment\n".to_owned()));
    let mut desired = agent_resource(
        AgentVersionId::from_uuid(uuid::Uuid::new_v4()),
        vec![helm_deployment("web")],
    );
    desired.namespace = Some(NS.to_owned());
    h.hub.set_resource(desired);
    assert_eq!(h.tick().await, Some(TickOutcome::SelfUpdated));
    assert_eq!(
        h.kube.applied(),
        vec![(NS.to_owned(), "kind: Deployment\n".to_owned())]
    );
    assert!(h.helm.calls().is_empty());
    assert!(h.hub.statuses().is_empty());
}
