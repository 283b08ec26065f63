//! The HS §2.2 rules of application versions, reported as `errors[]` with
//! the JSON pointer of each offending field.

use distr_domain::application::{ChartType, PlatformType, VersionContent};
use distr_domain::names::Name;

use super::VersionInput;
use crate::problem::ApiError;

fn present(v: Option<&String>) -> bool {
    v.is_some_and(|s| !s.trim().is_empty())
}

/// Validates `input` for an application of type `platform`.
pub(super) fn version(
    platform: PlatformType,
    input: VersionInput,
) -> Result<(Name, VersionContent), ApiError> {
    let mut err = ApiError::validation("invalid application version");
    let name = match Name::parse("name", &input.name) {
        Ok(name) => Some(name),
        Err(e) => {
            err.push_field("/name", e.reason);
            None
        }
    };
    let content = match platform {
        PlatformType::Docker => docker(input, &mut err),
        PlatformType::Kubernetes => kubernetes(input, &mut err),
    };
    match (name, content) {
        (Some(name), Some(content)) if err.errors.is_empty() => Ok((name, content)),
        _ => Err(err),
    }
}

fn refuse(err: &mut ApiError, pointer: &str, other: &str) {
    err.push_field(pointer, format!("not allowed for {other} applications"));
}

fn add(err: &mut ApiError, pointer: &str, detail: impl Into<String>) {
    err.push_field(pointer, detail);
}

fn docker(input: VersionInput, err: &mut ApiError) -> Option<VersionContent> {
    for (pointer, value) in [
        ("/chartType", &input.chart_type),
        ("/chartUrl", &input.chart_url),
        ("/chartName", &input.chart_name),
        ("/chartVersion", &input.chart_version),
        ("/valuesFile", &input.values_file),
    ] {
        if present(value.as_ref()) {
            refuse(err, pointer, "docker");
        }
    }
    let Some(compose) = input.compose_file.filter(|c| !c.trim().is_empty()) else {
        add(err, "/composeFile", "required for docker applications");
        return None;
    };
    if let Err(e) = distr_domain::compose::validate_compose(&compose) {
        add(err, "/composeFile", e.to_string());
        return None;
    }
    Some(VersionContent::Docker {
        compose_file: compose,
        template_file: input.template_file,
    })
}

fn kubernetes(input: VersionInput, err: &mut ApiError) -> Option<VersionContent> {
    if present(input.compose_file.as_ref()) {
        refuse(err, "/composeFile", "kubernetes");
    }
    let chart_type = match input.chart_type.as_deref().map(str::parse::<ChartType>) {
        Some(Ok(t)) => Some(t),
        Some(Err(e)) => {
            add(err, "/chartType", e.reason);
            None
        }
        None => {
            add(err, "/chartType", "required: repository or oci");
            None
        }
    };
    let url = input
        .chart_url
        .as_deref()
        .map(str::trim)
        .unwrap_or_default()
        .to_owned();
    let chart_name = input
        .chart_name
        .map(|n| n.trim().to_owned())
        .filter(|n| !n.is_empty());
    match chart_type {
        Some(ChartType::Repository) => {
            if !(url.starts_with("http://") || url.starts_with("https://")) || url.len() < 9 {
                add(err, "/chartUrl", "a repository chart needs an http(s) URL");
            }
            if chart_name.is_none() {
                add(err, "/chartName", "required for repository charts");
            }
        }
        Some(ChartType::Oci) => {
            if !url.starts_with("oci://") || url.len() <= "oci://".len() {
                add(err, "/chartUrl", "an oci chart needs an oci:// URL");
            }
            if chart_name.is_some() {
                add(err, "/chartName", "must be absent for oci charts");
            }
        }
        None => {}
    }
    let chart_version = input
        .chart_version
        .map(|v| v.trim().to_owned())
        .filter(|v| !v.is_empty());
    if chart_version.is_none() {
        add(err, "/chartVersion", "required for kubernetes applications");
    }
    if let Some(Err(e)) = input
        .values_file
        .as_deref()
        .map(distr_domain::values::parse_values)
    {
        add(err, "/valuesFile", e.to_string());
    }
    Some(VersionContent::Kubernetes {
        chart_type: chart_type?,
        chart_url: url,
        chart_name,
        chart_version: chart_version?,
        values_file: input.values_file,
        template_file: input.template_file,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pointers(err: &ApiError) -> Vec<&str> {
        err.errors.iter().map(|e| e.pointer.as_str()).collect()
    }

    #[test]
    fn compose_file_that_is_not_a_mapping_is_refused_with_its_pointer() {
        let input = VersionInput {
            name: "v1".into(),
            compose_file: Some("- a\n- b\n".into()),
            ..Default::default()
        };
        let err = version(PlatformType::Docker, input).unwrap_err();
        assert_eq!(err.slug, "validation-error");
        assert_eq!(pointers(&err), ["/composeFile"]);
    }

    #[test]
    fn kubernetes_fields_on_a_docker_version_are_refused() {
        let input = VersionInput {
            name: "v1".into(),
            compose_file: Some("services:\n  web:\n    image: nginx\n".into()),
            chart_version: Some("1.0.0".into()),
            ..Default::default()
        };
        let err = version(PlatformType::Docker, input).unwrap_err();
        assert_eq!(pointers(&err), ["/chartVersion"]);
    }

    #[test]
    fn oci_chart_with_a_chart_name_is_refused() {
        let input = VersionInput {
            name: "v1".into(),
            chart_type: Some("oci".into()),
            chart_url: Some("oci://registry/chart".into()),
            chart_name: Some("x".into()),
            chart_version: Some("1.0.0".into()),
            ..Default::default()
        };
        let err = version(PlatformType::Kubernetes, input).unwrap_err();
        assert_eq!(pointers(&err), ["/chartName"]);
    }

    #[test]
    fn valid_repository_chart_is_accepted() {
        let input = VersionInput {
            name: "v1".into(),
            chart_type: Some("repository".into()),
            chart_url: Some("https://charts.example.com".into()),
            chart_name: Some("app".into()),
            chart_version: Some("1.2.3".into()),
            values_file: Some("replicas: 2\n".into()),
            ..Default::default()
        };
        let (name, content) = version(PlatformType::Kubernetes, input).unwrap();
        assert_eq!(name.as_str(), "v1");
        assert_eq!(content.platform(), PlatformType::Kubernetes);
    }
}
