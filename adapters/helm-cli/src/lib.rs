//! Helm agent adapter (AP §8.4): the `helm` 3 CLI run as a subprocess
//! ([`CliHelm`], the `HelmRuntime` port), with the `secret` storage driver,
//! charts from an HTTP repository or an `oci://` reference, values passed as
//! a file and OCI credentials from the per-deployment registry config.
//!
//! Every command goes through an injectable `distr_subprocess::CommandRunner`,
//! so the exact argv is snapshot-tested with `ScriptedRunner`; the `-o json`
//! outputs are parsed by [`output`].

mod args;
pub mod output;
mod runtime;

pub use args::{HELM_TIMEOUT, HelmCliConfig};
pub use runtime::CliHelm;
