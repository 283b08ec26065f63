//! End-to-end tests of the docker agent against the real Docker Engine and a
//! real Hub process (`distr-hub serve` on a temporary SQLite database).
//!
//! The agent runs exactly as a customer installs it: the Hub's `/connect`
//! output is piped into `docker compose -f - up -d`, which starts the agent
//! image built by `scripts/build-agent-image.sh` as container
//! `distr-agent-1`. Cases share the engine, so they run one at a time behind
//! one global lock, and every case removes what it created, also on failure.
//!
//! Without a working `docker info` every case skips loudly; with
//! `DISTR_REQUIRE_DOCKER=1` it fails instead.

#[macro_use]
#[path = "e2e/wait.rs"]
mod wait;
#[path = "e2e/api.rs"]
mod api;
#[path = "e2e/docker.rs"]
mod docker;
#[path = "e2e/hub.rs"]
mod hub;
#[path = "e2e/images.rs"]
mod images;
#[path = "e2e/process.rs"]
mod process;
#[path = "e2e/proxy.rs"]
mod proxy;
#[path = "e2e/setup.rs"]
mod setup;

#[path = "e2e/compose_lifecycle.rs"]
mod compose_lifecycle;
#[path = "e2e/failures.rs"]
mod failures;
#[path = "e2e/faults.rs"]
mod faults;
#[path = "e2e/image.rs"]
mod image;
#[path = "e2e/registry.rs"]
mod registry;
#[path = "e2e/self_update.rs"]
mod self_update;
#[path = "e2e/swarm.rs"]
mod swarm;
#[path = "e2e/telemetry.rs"]
mod telemetry;

#[path = "e2e/bench.rs"]
mod bench;
