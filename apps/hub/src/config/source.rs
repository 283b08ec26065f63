//! Where configuration comes from: a small trait, so tests never mutate the
//! process environment.

use std::collections::HashMap;
use std::path::Path;

/// A read-only view of named configuration values.
pub trait ConfigSource {
    /// The value of `name`, or `None` when unset.
    fn get(&self, name: &str) -> Option<String>;
}

/// The process environment.
#[derive(Debug, Clone, Copy, Default)]
pub struct ProcessEnv;

impl ConfigSource for ProcessEnv {
    fn get(&self, name: &str) -> Option<String> {
        std::env::var(name).ok()
    }
}

/// Fixed values (tests, dotenv files).
#[derive(Debug, Clone, Default)]
pub struct MapSource(pub HashMap<String, String>);

impl MapSource {
    /// A source with the given pairs.
    #[must_use]
    pub fn from_pairs<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> Self {
        Self(
            pairs
                .into_iter()
                .map(|(k, v)| (k.to_owned(), v.to_owned()))
                .collect(),
        )
    }
}

impl ConfigSource for MapSource {
    fn get(&self, name: &str) -> Option<String> {
        self.0.get(name).cloned()
    }
}

/// `primary` wins; `fallback` fills the gaps (real env over dotenv).
#[derive(Debug, Clone)]
pub struct Layered<P, F> {
    /// Consulted first.
    pub primary: P,
    /// Consulted when `primary` has no value.
    pub fallback: F,
}

impl<P: ConfigSource, F: ConfigSource> ConfigSource for Layered<P, F> {
    fn get(&self, name: &str) -> Option<String> {
        self.primary.get(name).or_else(|| self.fallback.get(name))
    }
}

/// Reads a dotenv file into a source without touching the process environment.
///
/// # Errors
/// The dotenv error when the file cannot be read or parsed; it never contains values.
pub fn read_dotenv(path: &Path) -> Result<MapSource, String> {
    let iter = dotenvy::from_path_iter(path).map_err(|err| describe(&err))?;
    let mut map = HashMap::new();
    for item in iter {
        let (key, value) = item.map_err(|err| describe(&err))?;
        map.insert(key, value);
    }
    Ok(MapSource(map))
}

fn describe(err: &dotenvy::Error) -> String {
    match err {
        dotenvy::Error::LineParse(_, index) => format!("syntax error at character {index}"),
        dotenvy::Error::Io(io) => io.to_string(),
        _ => "cannot read file".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn primary_source_wins_over_fallback() {
        let layered = Layered {
            primary: MapSource::from_pairs([("A", "1")]),
            fallback: MapSource::from_pairs([("A", "2"), ("B", "3")]),
        };
        assert_eq!(layered.get("A").as_deref(), Some("1"));
        assert_eq!(layered.get("B").as_deref(), Some("3"));
        assert_eq!(layered.get("C"), None);
    }

    #[test]
    fn dotenv_file_is_read_without_touching_the_environment() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("hub.env");
        std::fs::write(&path, "DISTR_TEST_ONLY_VAR=from-file\n# comment\n").unwrap();
        let source = read_dotenv(&path).unwrap();
        assert_eq!(
            source.get("DISTR_TEST_ONLY_VAR").as_deref(),
            Some("from-file")
        );
        assert!(std::env::var("DISTR_TEST_ONLY_VAR").is_err());
    }
}
