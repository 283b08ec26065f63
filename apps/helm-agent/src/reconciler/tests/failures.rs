use super::*;

#[tokio::test(start_paused = true)]
async fn nothing_is_uninstalled_after_a_failed_or_malformed_answer() {
    let h = Harness::new();
    let web = helm_deployment("web");
    h.installed(&web, 1);
    h.desire(std::slice::from_ref(&web));
    h.tick().await;
    h.hub.clear_statuses();
    for answer in [
        HubError::Transport("connection refused".into()),
        HubError::Status {
            code: 500,
            text: "Internal Server Error".into(),
            body: String::new(),
        },
        HubError::Malformed("deployments[0].id is not a uuid".into()),
    ] {
        h.hub.push_resources_answer(Err(answer));
        assert_eq!(h.tick().await, None);
    }
    assert!(h.helm.calls().is_empty());
    assert_eq!(h.kube.records(NS).len(), 1);
    assert!(h.hub.statuses().is_empty());
}

#[tokio::test(start_paused = true)]
async fn an_unlistable_state_changes_nothing() {
    let h = Harness::new();
    let web = helm_deployment("web");
    h.installed(&web, 1);
    h.desire(&[]);
    h.kube.fail_list(Some("secrets is forbidden"));
    assert_eq!(h.tick().await, Some(TickOutcome::StateUnavailable));
    assert!(h.helm.calls().is_empty());
    assert!(h.hub.statuses().is_empty());
}

#[tokio::test(start_paused = true)]
async fn a_failed_uninstall_keeps_the_record_for_the_next_tick() {
    let h = Harness::new();
    let web = helm_deployment("web");
    h.installed(&web, 1);
    h.desire(&[]);
    h.helm
        .fail_uninstall(Some("timed out waiting for the condition"));
    h.tick().await;
    assert_eq!(h.kube.records(NS).len(), 1);
    h.helm.fail_uninstall(None);
    h.tick().await;
    assert!(h.kube.records(NS).is_empty());
}

#[tokio::test(start_paused = true)]
async fn a_foreign_release_is_refused() {
    let h = Harness::new();
    let web = helm_deployment("web");
    h.helm.put_release(NS, "web", 4);
    h.desire(std::slice::from_ref(&web));
    assert_eq!(
        h.tick_statuses().await,
        vec![status(
            &web,
            StatusType::Error,
            "helm release web already exists but was not created by the agent"
        )]
    );
    assert!(h.helm.calls().is_empty());
    assert!(
        h.kube.pull_secret(NS, "web").is_none(),
        "a skipped deployment gets no pull secret"
    );
}

#[tokio::test(start_paused = true)]
async fn revision_skew_is_refused_unless_ignored() {
    let h = Harness::new();
    let web = helm_deployment("web");
    h.installed(&web, 2);
    h.helm.put_release(NS, "web", 5);
    let web2 = next_revision(&web);
    h.desire(std::slice::from_ref(&web2));
    assert_eq!(
        h.tick_statuses().await,
        vec![status(
            &web2,
            StatusType::Error,
            "actual helm revision for web (5) is different from latest deployed by agent (2)"
        )]
    );
    assert_eq!(upgrades(&h.helm), 0);

    let ignoring = AgentDeployment {
        ignore_revision_skew: true,
        ..next_revision(&web2)
    };
    h.desire(std::slice::from_ref(&ignoring));
    assert_eq!(
        h.tick_statuses().await,
        vec![status(
            &ignoring,
            StatusType::Running,
            "helm upgrade succeeded"
        )]
    );
    assert_eq!(h.kube.records(NS)[0].helm_revision, 6);
}

#[tokio::test(start_paused = true)]
async fn a_rolled_back_upgrade_is_reported_once_and_not_retried() {
    let h = Harness::new();
    let web = helm_deployment("web");
    h.installed(&web, 2);
    h.helm
        .fail_upgrade("web", Some("context deadline exceeded"));
    let web2 = next_revision(&web);
    h.desire(std::slice::from_ref(&web2));
    let statuses = h.tick_statuses().await;
    assert_eq!(statuses.len(), 1);
    assert_eq!(statuses[0].status, StatusType::Error);
    assert!(
        statuses[0]
            .message
            .starts_with("upgrade error: Error: UPGRADE FAILED")
            && statuses[0].message.contains("context deadline exceeded"),
        "{statuses:?}"
    );
    // The record names the previous revision and the rollback's release revision.
    let record = &h.kube.records(NS)[0];
    assert_eq!(record.revision_id, web.revision_id);
    assert_eq!(record.helm_revision, 4);

    for _ in 0..3 {
        assert!(h.tick_statuses().await.is_empty(), "no loop, no skew error");
    }
    assert_eq!(upgrades(&h.helm), 1);

    h.helm.fail_upgrade("web", None);
    let web3 = next_revision(&web2);
    h.desire(std::slice::from_ref(&web3));
    assert_eq!(
        h.tick_statuses().await,
        vec![status(&web3, StatusType::Running, "helm upgrade succeeded")]
    );
    assert_eq!(upgrades(&h.helm), 2);
}

#[tokio::test(start_paused = true)]
async fn a_failed_install_reports_helms_message() {
    let h = Harness::new();
    let web = helm_deployment("web");
    h.helm
        .fail_install("web", Some("chart \"web\" version \"0.1.0\" not found"));
    h.desire(std::slice::from_ref(&web));
    assert_eq!(
        h.tick_statuses().await,
        vec![status(
            &web,
            StatusType::Error,
            "install error: Error: INSTALLATION FAILED: chart \"web\" version \"0.1.0\" not found"
        )]
    );
    assert!(h.kube.records(NS).is_empty());
}

#[tokio::test(start_paused = true)]
async fn lookup_manifest_and_health_failures_are_reported() {
    let h = Harness::new();
    let web = helm_deployment("web");
    h.installed(&web, 1);
    h.desire(std::slice::from_ref(&web));

    h.helm.fail_lookup(Some("Kubernetes cluster unreachable"));
    assert_eq!(
        h.tick_statuses().await,
        vec![status(
            &web,
            StatusType::Error,
            "could not get latest helm revision: Kubernetes cluster unreachable"
        )]
    );
    h.helm.fail_lookup(None);

    h.helm.fail_manifest(Some("release: not found"));
    assert_eq!(
        h.tick_statuses().await,
        vec![status(
            &web,
            StatusType::Error,
            "could not get helm manifest: release: not found"
        )]
    );
    h.helm.fail_manifest(None);

    let unhealthy =
        "Deployment web status check failed: ReadyReplicas (0) is less than desired (1)";
    h.kube.set_unhealthy(Some(unhealthy));
    assert_eq!(
        h.tick_statuses().await,
        vec![status(
            &web,
            StatusType::Error,
            &format!("resource status error: {unhealthy}")
        )]
    );
}

#[tokio::test(start_paused = true)]
async fn a_pull_secret_failure_is_reported_and_processing_continues() {
    let h = Harness::new();
    let web = helm_deployment("web");
    h.kube.fail_pull_secret(Some("secrets is forbidden"));
    h.desire(std::slice::from_ref(&web));
    assert_eq!(
        h.tick_statuses().await,
        vec![
            status(
                &web,
                StatusType::Error,
                "failed to ensure image pull secret: secrets is forbidden"
            ),
            status(&web, StatusType::Running, "helm install succeeded"),
        ]
    );
}

#[tokio::test(start_paused = true)]
async fn one_failing_deployment_does_not_stop_the_others() {
    let h = Harness::new();
    let (bad, good) = (helm_deployment("bad"), helm_deployment("good"));
    h.helm.fail_install("bad", Some("boom"));
    h.desire(&[bad.clone(), good.clone()]);
    let statuses = h.tick_statuses().await;
    assert_eq!(statuses.len(), 2);
    assert_eq!(statuses[0].revision, bad.revision_id);
    assert_eq!(
        statuses[1],
        status(&good, StatusType::Running, "helm install succeeded")
    );
}
