//! `distr-kube` against a mock API server (`tower-test`): every test scripts
//! the exact requests the adapter must send (method, path, query, content
//! type, body) and answers with recorded API-server JSON from `fixtures/`.

mod health;
mod logs;
mod metrics;
mod pull_secret;
mod restart;
mod self_update;
mod state;
mod support;
mod transport;
