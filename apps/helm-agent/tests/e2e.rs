//! End-to-end test of the helm agent against a real Hub process
//! (`distr-hub serve` on a temporary SQLite database), driven through the
//! Hub's user API exactly as a vendor would: a kubernetes application and
//! target, deployments, an update and an undeploy.
//!
//! The agent is the real loop (`distr_helm_agent::run` with the real Hub
//! client over HTTP and `distr-agent-core`), in this process; its Helm and
//! Kubernetes ports are the testkit fakes (`FakeHelm`, `FakeKube`), since
//! no cluster can be had here. The Hub helpers are the docker agent's
//! e2e modules, shared by path.

#[macro_use]
#[path = "../../docker-agent/tests/e2e/wait.rs"]
pub mod wait;
#[path = "../../docker-agent/tests/e2e/api.rs"]
pub mod api;
#[path = "../../docker-agent/tests/e2e/hub.rs"]
pub mod hub;
#[path = "../../docker-agent/tests/e2e/process.rs"]
mod process;

#[path = "e2e/agent.rs"]
mod agent;
#[path = "e2e/lifecycle.rs"]
mod lifecycle;
