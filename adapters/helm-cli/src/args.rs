//! The argv of every helm command the agent runs (AP §8.4).

use std::path::{Path, PathBuf};

use distr_domain::agent::HelmChart;

/// Install, upgrade and uninstall timeout (AP §10), in Helm's spelling.
pub const HELM_TIMEOUT: &str = "5m0s";

/// How the agent runs helm.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HelmCliConfig {
    /// The executable (`helm`, looked up on `PATH`).
    pub program: String,
    /// `DISTR_REGISTRY_PLAIN_HTTP`: every OCI pull over plain HTTP.
    pub plain_http: bool,
    /// Writable directory for Helm's cache, config and data (`HELM_*_HOME`);
    /// `None` keeps Helm's defaults under `$HOME`.
    pub home: Option<PathBuf>,
    /// `KUBECONFIG` for helm; `None` uses the in-cluster credentials (or
    /// the inherited environment).
    pub kubeconfig: Option<PathBuf>,
}

impl Default for HelmCliConfig {
    fn default() -> Self {
        Self {
            program: "helm".to_owned(),
            plain_http: false,
            home: None,
            kubeconfig: None,
        }
    }
}

/// Which release-changing command.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Operation {
    Install,
    Upgrade,
    /// `helm template`: renders the same chart and values without a cluster.
    Template,
}

/// Everything an install, upgrade or template command needs.
#[derive(Debug, Clone, Copy)]
pub(crate) struct ChartCommand<'a> {
    pub operation: Operation,
    pub namespace: &'a str,
    pub release_name: &'a str,
    pub chart: &'a HelmChart,
    pub values_file: &'a Path,
    pub registry_config_file: Option<&'a Path>,
}

impl HelmCliConfig {
    /// `helm install|upgrade|template <release> <chart> …`.
    pub(crate) fn chart_args(&self, cmd: &ChartCommand<'_>) -> Vec<String> {
        let verb = match cmd.operation {
            Operation::Install => "install",
            Operation::Upgrade => "upgrade",
            Operation::Template => "template",
        };
        let mut args = vec![verb.to_owned(), cmd.release_name.to_owned()];
        match cmd.chart {
            HelmChart::Oci { reference, .. } => args.push(reference.clone()),
            HelmChart::Repository { url, name, .. } => {
                args.extend([name.clone(), "--repo".to_owned(), url.clone()]);
            }
        }
        args.extend(["--namespace".to_owned(), cmd.namespace.to_owned()]);
        if !cmd.chart.version().is_empty() {
            args.extend(["--version".to_owned(), cmd.chart.version().to_owned()]);
        }
        args.extend(["--values".to_owned(), cmd.values_file.display().to_string()]);
        if cmd.chart.is_oci() {
            if let Some(file) = cmd.registry_config_file {
                args.extend(["--registry-config".to_owned(), file.display().to_string()]);
            }
            if self.plain_http {
                args.push("--plain-http".to_owned());
            }
        }
        match cmd.operation {
            Operation::Install => args.extend(strings(&["--wait", "--atomic"])),
            Operation::Upgrade => args.extend(strings(&[
                "--reset-values",
                "--wait",
                "--atomic",
                "--cleanup-on-fail",
            ])),
            Operation::Template => return args,
        }
        args.extend(strings(&["--timeout", HELM_TIMEOUT, "--output", "json"]));
        args
    }

    /// `helm uninstall`: absent releases are not an error.
    pub(crate) fn uninstall_args(namespace: &str, release_name: &str) -> Vec<String> {
        let mut args = strings(&["uninstall", release_name, "--namespace", namespace]);
        args.extend(strings(&[
            "--wait",
            "--timeout",
            HELM_TIMEOUT,
            "--ignore-not-found",
        ]));
        args
    }

    /// `helm history --max 1`: the latest revision, whatever its status.
    pub(crate) fn history_args(namespace: &str, release_name: &str) -> Vec<String> {
        strings(&[
            "history",
            release_name,
            "--namespace",
            namespace,
            "--max",
            "1",
            "--output",
            "json",
        ])
    }

    /// `helm get manifest`.
    pub(crate) fn manifest_args(namespace: &str, release_name: &str) -> Vec<String> {
        strings(&["get", "manifest", release_name, "--namespace", namespace])
    }

    /// The environment of every helm command: the `secret` storage driver
    /// and, when configured, Helm's home directories.
    pub(crate) fn env(&self) -> Vec<(String, String)> {
        let mut env = vec![("HELM_DRIVER".to_owned(), "secret".to_owned())];
        if let Some(home) = &self.home {
            for (name, dir) in [
                ("HELM_CACHE_HOME", "cache"),
                ("HELM_CONFIG_HOME", "config"),
                ("HELM_DATA_HOME", "data"),
            ] {
                env.push((name.to_owned(), home.join(dir).display().to_string()));
            }
        }
        if let Some(kubeconfig) = &self.kubeconfig {
            env.push(("KUBECONFIG".to_owned(), kubeconfig.display().to_string()));
        }
        env
    }
}

fn strings(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| (*s).to_owned()).collect()
}
