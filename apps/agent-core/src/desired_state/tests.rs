use std::sync::Arc;
use std::time::Duration;

use distr_domain::ids::AgentVersionId;
use distr_ports::agent::{HubError, Resources};
use distr_testkit::agent_fakes::{FakeHub, agent_resource};
use tokio::time::sleep;

use super::*;
use crate::{AbortOnDrop, TickLoop};

const INTERVAL: Duration = Duration::from_millis(100);

fn timings() -> AgentTimings {
    AgentTimings {
        long_poll_wait: Duration::from_secs(1),
        long_poll_grace: Duration::from_millis(200),
        ..AgentTimings::new(INTERVAL)
    }
}

fn resource() -> distr_domain::protocol::AgentResource {
    agent_resource(AgentVersionId::from_uuid(uuid::Uuid::new_v4()), Vec::new())
}

fn source(hub: &FakeHub) -> Arc<DesiredStateSource> {
    Arc::new(DesiredStateSource::new(Arc::new(hub.clone()), timings()))
}

#[tokio::test(start_paused = true)]
async fn a_hub_without_etags_is_polled_plainly() {
    let hub = FakeHub::new();
    hub.set_resource(resource());
    let source = source(&hub);
    for _ in 0..3 {
        assert!(source.fetch().await.is_ok());
    }
    let requests = hub.resources_requests();
    assert_eq!(requests.len(), 3);
    assert!(
        requests
            .iter()
            .all(|r| r.if_none_match.is_none() && r.wait.is_none())
    );
}

#[tokio::test(start_paused = true)]
async fn requests_start_at_least_one_interval_apart() {
    let hub = FakeHub::new();
    hub.set_resource(resource());
    let source = source(&hub);
    for _ in 0..3 {
        source.fetch().await.unwrap();
    }
    let requests = hub.resources_requests();
    for pair in requests.windows(2) {
        assert!(pair[1].at - pair[0].at >= INTERVAL);
    }
}

#[tokio::test(start_paused = true)]
async fn with_an_etag_a_304_reuses_the_cached_body() {
    let hub = FakeHub::new();
    hub.enable_etags();
    let desired = resource();
    hub.set_resource(desired.clone());
    let source = source(&hub);
    assert_eq!(source.fetch().await.unwrap(), desired);
    assert_eq!(source.fetch().await.unwrap(), desired);
    let requests = hub.resources_requests();
    assert_eq!(requests[0].if_none_match, None);
    assert_eq!(requests[1].if_none_match.as_deref(), Some("\"gen-1\""));
    assert_eq!(requests[1].wait, None);
}

#[tokio::test(start_paused = true)]
async fn a_304_without_a_cached_body_is_a_failure() {
    let hub = FakeHub::new();
    hub.push_resources_answer(Ok(Resources::NotModified));
    let source = source(&hub);
    assert_eq!(
        source.fetch().await,
        Err(FetchError::NotModifiedWithoutCache)
    );
}

#[tokio::test(start_paused = true)]
async fn hub_failures_are_passed_on() {
    let hub = FakeHub::new();
    hub.set_resource(resource());
    let failures = [
        HubError::Transport("timeout".to_owned()),
        HubError::Malformed("bad json".to_owned()),
        HubError::Status {
            code: 500,
            text: "Internal Server Error".to_owned(),
            body: String::new(),
        },
    ];
    for failure in &failures {
        hub.push_resources_answer(Err(failure.clone()));
    }
    let source = source(&hub);
    for failure in failures {
        assert_eq!(source.fetch().await, Err(FetchError::Hub(failure)));
    }
    assert!(source.fetch().await.is_ok());
}

#[tokio::test(start_paused = true)]
async fn the_long_poll_idles_against_a_hub_without_etags() {
    let hub = FakeHub::new();
    hub.set_resource(resource());
    let source = source(&hub);
    source.fetch().await.unwrap();
    let tick_loop = TickLoop::new(Duration::from_secs(3600));
    let _poll = AbortOnDrop::spawn(Arc::clone(&source).run_long_poll(tick_loop.trigger()));
    sleep(Duration::from_secs(5)).await;
    assert_eq!(hub.resources_requests().len(), 1);
}

#[tokio::test(start_paused = true)]
async fn a_long_poll_200_refreshes_the_cache_and_triggers_a_tick() {
    let hub = FakeHub::new();
    hub.enable_etags();
    hub.set_resource(resource());
    let source = source(&hub);
    source.fetch().await.unwrap();

    let ticks = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let tick_loop = TickLoop::new(Duration::from_secs(3600));
    let _poll = AbortOnDrop::spawn(Arc::clone(&source).run_long_poll(tick_loop.trigger()));
    let counter = Arc::clone(&ticks);
    let _loop = AbortOnDrop::spawn(tick_loop.run(move || {
        counter.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        async {}
    }));
    sleep(Duration::from_millis(150)).await;
    let before = ticks.load(std::sync::atomic::Ordering::SeqCst);
    let requests = hub.resources_requests();
    assert_eq!(requests.len(), 2);
    assert_eq!(requests[1].wait, Some(Duration::from_secs(1)));
    assert_eq!(requests[1].if_none_match.as_deref(), Some("\"gen-1\""));

    let changed = resource();
    hub.set_resource(changed.clone());
    sleep(Duration::from_millis(10)).await;
    assert_eq!(ticks.load(std::sync::atomic::Ordering::SeqCst), before + 1);
    // Healthy loop: the tick takes the cached body without a request.
    let count = hub.resources_requests().len();
    assert_eq!(source.fetch().await.unwrap(), changed);
    assert_eq!(hub.resources_requests().len(), count);
}

#[tokio::test(start_paused = true)]
async fn a_failing_long_poll_makes_ticks_request_again() {
    let hub = FakeHub::new();
    hub.enable_etags();
    hub.set_resource(resource());
    let source = source(&hub);
    source.fetch().await.unwrap();
    hub.push_resources_answer(Err(HubError::Transport("reset".to_owned())));
    let tick_loop = TickLoop::new(Duration::from_secs(3600));
    let _poll = AbortOnDrop::spawn(Arc::clone(&source).run_long_poll(tick_loop.trigger()));
    sleep(Duration::from_millis(150)).await;
    // Make the next long-poll fail too and wait until it has.
    hub.push_resources_answer(Err(HubError::Transport("reset".to_owned())));
    sleep(Duration::from_millis(60)).await;
    let count = hub.resources_requests().len();
    let _ = source.fetch().await;
    assert!(hub.resources_requests().len() > count);
}
