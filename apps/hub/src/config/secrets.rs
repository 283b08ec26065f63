//! `JWT_SECRET` and `SECRETS_ENCRYPTION_KEY` (HS §5.1): required on Postgres,
//! generated once on SQLite, and the encryption key checked against a stored
//! check value so a start with another key fails clearly.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use distr_crypto::Aes256GcmCipher;
use distr_ports::{SecretCipher, Store, StoreError};

use super::parse::{aes_key, base64_bytes};
use super::{ConfigError, ConfigSource, HubConfig};

/// Settings key of the generated JWT secret.
pub const JWT_SECRET_SETTING: &str = "jwt_secret";
/// Settings key of the encryption key's check value.
pub const KEY_CHECK_SETTING: &str = "secrets_key_check";
/// File name of the generated key, beside the SQLite database.
pub const KEY_FILE_NAME: &str = "distr-secrets.key";

/// The secret inputs as configured. `Debug` redacts them.
#[derive(Clone, Default)]
pub struct SecretSettings {
    /// Decoded `JWT_SECRET`, when set.
    pub jwt_secret: Option<Vec<u8>>,
    /// `SECRETS_ENCRYPTION_KEY` or the contents of `SECRETS_ENCRYPTION_KEY_FILE`.
    pub encryption_key: Option<[u8; 32]>,
    /// `SECRETS_ENCRYPTION_KEYS_PREVIOUS`.
    pub previous_keys: Vec<[u8; 32]>,
}

impl std::fmt::Debug for SecretSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SecretSettings")
            .field("jwt_secret", &self.jwt_secret.as_ref().map(|_| "***"))
            .field(
                "encryption_key",
                &self.encryption_key.as_ref().map(|_| "***"),
            )
            .field("previous_keys", &self.previous_keys.len())
            .finish()
    }
}

/// Reads the secret variables; Postgres requires both.
///
/// # Errors
/// `ConfigError` naming the variable.
pub fn parse(src: &dyn ConfigSource, postgres: bool) -> Result<SecretSettings, ConfigError> {
    let jwt_secret = super::opt(src, "JWT_SECRET", |raw| base64_bytes(raw, 32))?;
    let mut encryption_key = super::opt(src, "SECRETS_ENCRYPTION_KEY", aes_key)?;
    if encryption_key.is_none() {
        encryption_key = super::opt(src, "SECRETS_ENCRYPTION_KEY_FILE", |path| {
            let text = std::fs::read_to_string(path.trim())
                .map_err(|err| format!("cannot read file: {}", err.kind()))?;
            aes_key(&text)
        })?;
    }
    let previous_keys = super::opt(src, "SECRETS_ENCRYPTION_KEYS_PREVIOUS", |raw| {
        raw.split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(aes_key)
            .collect()
    })?
    .unwrap_or_default();
    if postgres && jwt_secret.is_none() {
        return Err(ConfigError::new("JWT_SECRET", "required with Postgres"));
    }
    if postgres && encryption_key.is_none() {
        return Err(ConfigError::new(
            "SECRETS_ENCRYPTION_KEY",
            "required with Postgres (or SECRETS_ENCRYPTION_KEY_FILE)",
        ));
    }
    Ok(SecretSettings {
        jwt_secret,
        encryption_key,
        previous_keys,
    })
}

/// Why the secrets could not be resolved at start.
#[derive(Debug, thiserror::Error)]
pub enum SecretsError {
    /// The database was encrypted with another key.
    #[error(
        "SECRETS_ENCRYPTION_KEY does not match the key this database was set up with; \
         start with the original key (or its key file)"
    )]
    KeyMismatch,
    /// The generated key file could not be read or written.
    #[error("secrets key file {path}: {reason}")]
    KeyFile {
        /// The file.
        path: PathBuf,
        /// What failed (never the key).
        reason: String,
    },
    /// The settings store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// The secrets the running Hub uses.
#[derive(Clone)]
pub struct ResolvedSecrets {
    /// The JWT HMAC key.
    pub jwt_secret: Vec<u8>,
    /// The cipher of secret values and last-good payloads.
    pub cipher: Arc<Aes256GcmCipher>,
}

impl std::fmt::Debug for ResolvedSecrets {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ResolvedSecrets { .. }")
    }
}

/// The configured `JWT_SECRET`, or the one generated once and stored in the
/// database (SQLite without `JWT_SECRET`).
///
/// # Errors
/// Store failures.
pub async fn resolve_jwt_secret(
    settings: &SecretSettings,
    store: &dyn Store,
) -> Result<Vec<u8>, StoreError> {
    if let Some(secret) = &settings.jwt_secret {
        return Ok(secret.clone());
    }
    if store.get_setting(JWT_SECRET_SETTING).await?.is_none() {
        tracing::warn!("JWT_SECRET is not set: generated one and stored it in the database");
    }
    store
        .put_setting_if_absent(JWT_SECRET_SETTING, &distr_crypto::random_bytes::<32>())
        .await
}

/// Resolves configured or generated secrets and verifies the key check value.
///
/// # Errors
/// `SecretsError::KeyMismatch` when the key differs from the one the database
/// was set up with; key-file and store failures otherwise.
pub async fn resolve(
    settings: &SecretSettings,
    config: &HubConfig,
    store: &dyn Store,
) -> Result<ResolvedSecrets, SecretsError> {
    let jwt_secret = resolve_jwt_secret(settings, store).await?;
    let cipher = Aes256GcmCipher::new(encryption_key(settings, config)?);
    let check = cipher.key_check_value();
    let stored = store
        .put_setting_if_absent(KEY_CHECK_SETTING, &check)
        .await?;
    if !distr_crypto::constant_time_eq(&stored, &check) {
        return Err(SecretsError::KeyMismatch);
    }
    Ok(ResolvedSecrets {
        jwt_secret,
        cipher: Arc::new(cipher),
    })
}

/// The current encryption key: configured, or (SQLite) the generated key file
/// beside the database, created on first use.
///
/// # Errors
/// `SecretsError::KeyFile` when the key file cannot be read or written.
pub fn encryption_key(
    settings: &SecretSettings,
    config: &HubConfig,
) -> Result<[u8; 32], SecretsError> {
    match settings.encryption_key {
        Some(key) => Ok(key),
        None => {
            let dir = config
                .sqlite_path()
                .and_then(|p| p.parent().map(Path::to_path_buf))
                .filter(|p| !p.as_os_str().is_empty())
                .unwrap_or_else(|| PathBuf::from("."));
            key_file(&dir.join(KEY_FILE_NAME))
        }
    }
}

/// Reads the generated key, creating it (mode 0600) on first start.
fn key_file(path: &Path) -> Result<[u8; 32], SecretsError> {
    let fail = |reason: String| SecretsError::KeyFile {
        path: path.to_path_buf(),
        reason,
    };
    match std::fs::read_to_string(path) {
        Ok(text) => return aes_key(&text).map_err(fail),
        Err(err) if err.kind() != std::io::ErrorKind::NotFound => {
            return Err(fail(err.kind().to_string()));
        }
        Err(_) => {}
    }
    let key = distr_crypto::random_bytes::<32>();
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    match options.open(path) {
        Ok(mut file) => {
            file.write_all(format!("{}\n", STANDARD.encode(key)).as_bytes())
                .and_then(|()| file.sync_all())
                .map_err(|err| fail(err.kind().to_string()))?;
            tracing::warn!(path = %path.display(), "SECRETS_ENCRYPTION_KEY is not set: generated a key file; back it up");
            Ok(key)
        }
        // Another process created it meanwhile: use theirs.
        Err(err) if err.kind() == std::io::ErrorKind::AlreadyExists => {
            let text = std::fs::read_to_string(path).map_err(|e| fail(e.kind().to_string()))?;
            aes_key(&text).map_err(fail)
        }
        Err(err) => Err(fail(err.kind().to_string())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_file_is_created_private_and_read_back() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(KEY_FILE_NAME);
        let first = key_file(&path).unwrap();
        let second = key_file(&path).unwrap();
        assert_eq!(first, second);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt as _;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
    }

    #[tokio::test]
    async fn generated_jwt_secret_is_stored_once_and_another_key_is_refused() {
        let store = distr_testkit::MemoryStore::new();
        let dir = tempfile::tempdir().unwrap();
        let mut config = HubConfig::with_defaults(Vec::new());
        config.database_url = format!("sqlite://{}", dir.path().join("distr.db").display());
        let generated = SecretSettings::default();
        let first = resolve(&generated, &config, &store).await.unwrap();
        let second = resolve(&generated, &config, &store).await.unwrap();
        assert_eq!(first.jwt_secret.len(), 32);
        assert_eq!(first.jwt_secret, second.jwt_secret);
        assert!(dir.path().join(KEY_FILE_NAME).exists());
        let other = SecretSettings {
            encryption_key: Some([9; 32]),
            ..SecretSettings::default()
        };
        let err = resolve(&other, &config, &store).await.unwrap_err();
        assert!(matches!(err, SecretsError::KeyMismatch));
        assert!(err.to_string().contains("SECRETS_ENCRYPTION_KEY"));
    }

    #[test]
    fn corrupt_key_file_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(KEY_FILE_NAME);
        std::fs::write(&path, "not-a-key").unwrap();
        assert!(matches!(key_file(&path), Err(SecretsError::KeyFile { .. })));
    }
}
