//! The conformance cases, one public async function per case, each taking a
//! fresh [`Backend`](super::support::Backend).

pub mod auth;
pub mod credentials;
pub mod ingest;
pub mod longpoll;
pub mod manifests;
pub mod render_failures;
pub mod resources;
