//! A release or agent manifest: multi-document YAML split into objects.

use distr_ports::agent::KubeError;
use serde_json::Value;

/// One object of a manifest.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ManifestObject {
    /// `apiVersion`, e.g. `apps/v1`.
    pub api_version: String,
    /// `kind`, e.g. `Deployment`.
    pub kind: String,
    /// `metadata.name`.
    pub name: String,
    /// The whole document as JSON.
    pub raw: Value,
}

/// Splits `yaml` into objects, skipping empty documents (Helm emits
/// `---` with only a `# Source:` comment for templates that render nothing).
///
/// # Errors
/// `Manifest` for YAML that does not parse, or a document that is not a
/// mapping with string `apiVersion`, `kind` and `metadata.name`.
pub(crate) fn parse_manifest(yaml: &str) -> Result<Vec<ManifestObject>, KubeError> {
    let documents: Vec<Value> =
        serde_saphyr::from_multiple(yaml).map_err(|err| KubeError::Manifest(err.to_string()))?;
    documents
        .into_iter()
        .enumerate()
        .filter(|(_, doc)| !doc.is_null())
        .map(|(index, doc)| object(index, doc))
        .collect()
}

fn object(index: usize, raw: Value) -> Result<ManifestObject, KubeError> {
    let field = |pointer: &str| {
        raw.pointer(pointer)
            .and_then(Value::as_str)
            .filter(|text| !text.is_empty())
            .map(str::to_owned)
            .ok_or_else(|| KubeError::Manifest(format!("document {} has no {pointer}", index + 1)))
    };
    Ok(ManifestObject {
        api_version: field("/apiVersion")?,
        kind: field("/kind")?,
        name: field("/metadata/name")?,
        raw,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn helm_output_splits_into_objects_and_empty_documents_are_skipped() {
        let yaml = "---\n# Source: app/templates/empty.yaml\n---\n# Source: app/templates/svc.yaml\napiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  ports: [{port: 80}]\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 2\n";
        let objects = parse_manifest(yaml).unwrap();
        let kinds: Vec<(&str, &str, &str)> = objects
            .iter()
            .map(|o| (o.api_version.as_str(), o.kind.as_str(), o.name.as_str()))
            .collect();
        assert_eq!(
            kinds,
            vec![("v1", "Service", "web"), ("apps/v1", "Deployment", "web")]
        );
        assert_eq!(objects[1].raw["spec"]["replicas"], 2);
    }

    #[test]
    fn a_document_without_a_name_or_bad_yaml_is_an_error() {
        let err = parse_manifest("apiVersion: v1\nkind: ConfigMap\nmetadata: {}\n").unwrap_err();
        assert_eq!(
            err.to_string(),
            "invalid manifest: document 1 has no /metadata/name"
        );
        assert!(parse_manifest("a: [unclosed\n").is_err());
        assert!(parse_manifest("").unwrap().is_empty());
    }
}
