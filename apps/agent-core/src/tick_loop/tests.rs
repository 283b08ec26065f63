use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use tokio::time::sleep;

use super::*;

fn counting_loop(
    period: Duration,
    tick_len: impl Fn(usize) -> Duration + Send + Sync + 'static,
) -> (Arc<AtomicUsize>, Arc<AtomicUsize>, TickTrigger, AbortOnDrop) {
    let ticks = Arc::new(AtomicUsize::new(0));
    let overlap = Arc::new(AtomicUsize::new(0));
    let tick_loop = TickLoop::new(period);
    let trigger = tick_loop.trigger();
    let (t, running, max) = (
        Arc::clone(&ticks),
        Arc::new(AtomicUsize::new(0)),
        Arc::clone(&overlap),
    );
    let task = AbortOnDrop::spawn(async move {
        tick_loop
            .run(|| {
                let n = t.fetch_add(1, Ordering::SeqCst);
                let (running, max) = (Arc::clone(&running), Arc::clone(&max));
                let len = tick_len(n);
                async move {
                    let now = running.fetch_add(1, Ordering::SeqCst) + 1;
                    max.fetch_max(now, Ordering::SeqCst);
                    sleep(len).await;
                    running.fetch_sub(1, Ordering::SeqCst);
                }
            })
            .await;
    });
    (ticks, overlap, trigger, task)
}

#[tokio::test(start_paused = true)]
async fn ticks_come_at_start_and_then_every_period() {
    let (ticks, _, _, _task) = counting_loop(Duration::from_millis(100), |_| Duration::ZERO);
    sleep(Duration::from_millis(50)).await;
    assert_eq!(ticks.load(Ordering::SeqCst), 1);
    sleep(Duration::from_millis(300)).await;
    assert_eq!(ticks.load(Ordering::SeqCst), 4);
}

#[tokio::test(start_paused = true)]
async fn a_slow_tick_leaves_exactly_one_tick_queued_and_never_overlaps() {
    let (ticks, overlap, _, _task) = counting_loop(Duration::from_millis(100), |n| {
        if n == 0 {
            Duration::from_millis(550)
        } else {
            Duration::ZERO
        }
    });
    sleep(Duration::from_millis(590)).await;
    // The first tick missed five periods; only one of them runs afterwards.
    assert_eq!(ticks.load(Ordering::SeqCst), 2);
    sleep(Duration::from_millis(100)).await;
    assert_eq!(ticks.load(Ordering::SeqCst), 3);
    assert_eq!(overlap.load(Ordering::SeqCst), 1);
}

#[tokio::test(start_paused = true)]
async fn tick_now_runs_a_tick_without_waiting_for_the_period() {
    let (ticks, _, trigger, _task) = counting_loop(Duration::from_secs(3600), |_| Duration::ZERO);
    sleep(Duration::from_millis(10)).await;
    assert_eq!(ticks.load(Ordering::SeqCst), 1);
    trigger.tick_now();
    sleep(Duration::from_millis(10)).await;
    assert_eq!(ticks.load(Ordering::SeqCst), 2);
}

#[tokio::test(start_paused = true)]
async fn triggers_during_a_tick_collapse_into_one() {
    let (ticks, overlap, trigger, _task) =
        counting_loop(Duration::from_secs(3600), |_| Duration::from_millis(100));
    sleep(Duration::from_millis(10)).await;
    for _ in 0..5 {
        trigger.tick_now();
    }
    sleep(Duration::from_millis(500)).await;
    assert_eq!(ticks.load(Ordering::SeqCst), 2);
    assert_eq!(overlap.load(Ordering::SeqCst), 1);
}
