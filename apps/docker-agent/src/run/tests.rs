use std::time::Duration;

use distr_domain::agent::parse_agent_env;
use distr_domain::deployment::DockerType;
use distr_domain::ids::AgentVersionId;
use distr_testkit::ManualClock;
use distr_testkit::agent_fakes::{
    FakeDockerEngine, FakeDockerRuntime, FakeHub, FakeMetrics, FakeRegistryAuth, FakeSelfUpdater,
    MemoryDockerState, agent_resource, docker_deployment,
};
use distr_testkit::builders::at_seconds;
use tokio::time::{Instant, sleep};

use super::*;

const INTERVAL: Duration = Duration::from_secs(10);

fn env() -> AgentEnv {
    parse_agent_env(&|key| match key {
        "DISTR_INTERVAL" => Some("10s".to_owned()),
        "DISTR_AGENT_VERSION_ID" => Some(String::new()),
        k if k.starts_with("DISTR_") && k.ends_with("_ENDPOINT") => {
            Some("http://hub.invalid/".to_owned())
        }
        "DISTR_TARGET_ID" | "DISTR_TARGET_SECRET" => Some("x".to_owned()),
        _ => None,
    })
    .unwrap()
}

fn start(hub: &FakeHub, runtime: &FakeDockerRuntime) -> tokio::sync::oneshot::Sender<()> {
    let adapters = DockerAdapters {
        hub: Arc::new(hub.clone()),
        runtime: Arc::new(runtime.clone()),
        engine: Arc::new(FakeDockerEngine::new()),
        registry: Arc::new(FakeRegistryAuth::new()),
        updater: Arc::new(FakeSelfUpdater::new()),
        state: Arc::new(MemoryDockerState::new()),
        metrics: Arc::new(FakeMetrics::new()),
        clock: Arc::new(ManualClock::new(at_seconds(0))),
    };
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    tokio::spawn(run(env(), adapters, AgentTimings::new(INTERVAL), async {
        let _ = stopped.await;
    }));
    stop
}

#[tokio::test(start_paused = true)]
async fn against_a_hub_without_etags_only_plain_polls_are_sent() {
    let (hub, runtime) = (FakeHub::new(), FakeDockerRuntime::new());
    hub.set_resource(agent_resource(AgentVersionId::nil(), Vec::new()));
    let _stop = start(&hub, &runtime);
    sleep(Duration::from_secs(95)).await;
    let requests = hub.resources_requests();
    assert_eq!(requests.len(), 10);
    assert!(
        requests
            .iter()
            .all(|r| r.if_none_match.is_none() && r.wait.is_none())
    );
}

#[tokio::test(start_paused = true)]
async fn with_etags_a_new_deployment_is_applied_long_before_the_next_interval() {
    let (hub, runtime) = (FakeHub::new(), FakeDockerRuntime::new());
    hub.enable_etags();
    hub.set_resource(agent_resource(AgentVersionId::nil(), Vec::new()));
    let _stop = start(&hub, &runtime);
    sleep(Duration::from_secs(21)).await;
    assert!(
        hub.resources_requests()
            .iter()
            .any(|r| r.wait == Some(Duration::from_secs(30)))
    );

    let changed_at = Instant::now();
    hub.set_resource(agent_resource(
        AgentVersionId::nil(),
        vec![docker_deployment(DockerType::Compose)],
    ));
    while runtime.apply_count() == 0 {
        sleep(Duration::from_millis(100)).await;
    }
    assert!(changed_at.elapsed() < Duration::from_secs(1));
    // Requests never start closer than one interval.
    let requests = hub.resources_requests();
    for pair in requests.windows(2) {
        assert!(pair[1].at - pair[0].at >= INTERVAL);
    }
}

#[tokio::test(start_paused = true)]
async fn the_loop_stops_on_shutdown() {
    let (hub, runtime) = (FakeHub::new(), FakeDockerRuntime::new());
    hub.set_resource(agent_resource(AgentVersionId::nil(), Vec::new()));
    let stop = start(&hub, &runtime);
    sleep(Duration::from_secs(15)).await;
    stop.send(()).unwrap();
    sleep(Duration::from_secs(1)).await;
    let count = hub.resources_requests().len();
    sleep(Duration::from_secs(60)).await;
    assert_eq!(hub.resources_requests().len(), count);
}
