//! Reading and changing system settings.

use std::sync::Arc;

use domain::backoffice::settings::{CATALOGUE, Setting, SettingChange, SettingSpec};
use domain::stores::store::TimeZone;
use ports::InfraError;
use ports::backoffice::SettingsRepository;

use crate::cache::ReadCache;

/// The cache scope of values that depend on settings (prices carry the `currency`): every
/// change of a setting invalidates it.
pub const CACHE_SCOPE: &str = "settings";

#[derive(Debug, thiserror::Error)]
pub enum SettingsError {
    #[error("there is no setting called {0:?}")]
    NotFound(String),
    #[error("invalid value for {name}: {reason}")]
    InvalidValue {
        name: &'static str,
        reason: domain::Invalid,
    },
    #[error(transparent)]
    Infra(#[from] InfraError),
}

#[derive(Clone)]
pub struct SettingsService {
    repo: Arc<dyn SettingsRepository>,
    cache: ReadCache,
}

impl SettingsService {
    pub fn new(repo: Arc<dyn SettingsRepository>, cache: ReadCache) -> Self {
        Self { repo, cache }
    }

    /// Every setting of the catalogue with its effective value, sorted by name.
    pub async fn list(&self) -> Result<Vec<Setting>, SettingsError> {
        let stored = self.repo.list().await?;
        Ok(CATALOGUE
            .iter()
            .map(|spec| Setting::effective(spec, stored.iter().find(|s| s.name == spec.name)))
            .collect())
    }

    pub async fn get(&self, name: &str) -> Result<Setting, SettingsError> {
        let spec = Self::spec(name)?;
        let stored = self.repo.find(spec.name).await?;
        Ok(Setting::effective(spec, stored.as_ref()))
    }

    /// The value of a setting the catalogue defines (a name of [`CATALOGUE`]); a failure is
    /// infrastructure's, since such a setting always has a value.
    pub async fn value(&self, name: &str) -> Result<String, InfraError> {
        match self.get(name).await {
            Ok(setting) => Ok(setting.value),
            Err(SettingsError::Infra(infra)) => Err(infra),
            Err(other) => Err(InfraError::Unknown(other.into())),
        }
    }

    /// The business's time zone (`studio.time_zone`), which days are counted in where no store
    /// says otherwise.
    pub async fn time_zone(&self) -> Result<TimeZone, InfraError> {
        let raw = self.value("studio.time_zone").await?;
        TimeZone::parse(&raw)
            .map_err(|e| InfraError::Unknown(anyhow::anyhow!("studio.time_zone: {e}")))
    }

    /// Sets `name` to `value`; a value equal to the default removes the stored one.
    pub async fn update(&self, name: &str, value: &str) -> Result<Setting, SettingsError> {
        let spec = Self::spec(name)?;
        let change = spec
            .change_to(value)
            .map_err(|reason| SettingsError::InvalidValue {
                name: spec.name,
                reason,
            })?;
        match change {
            SettingChange::Reset => self.reset(name).await,
            SettingChange::Store(value) => {
                let stored = self.repo.store(spec.name, &value).await?;
                self.cache.invalidate(CACHE_SCOPE).await;
                tracing::info!(setting = spec.name, %value, "setting changed");
                Ok(Setting::effective(spec, Some(&stored)))
            }
        }
    }

    /// Restores the default value of `name`.
    pub async fn reset(&self, name: &str) -> Result<Setting, SettingsError> {
        let spec = Self::spec(name)?;
        self.repo.remove(spec.name).await?;
        self.cache.invalidate(CACHE_SCOPE).await;
        tracing::info!(setting = spec.name, "setting reset to its default");
        Ok(Setting::effective(spec, None))
    }

    fn spec(name: &str) -> Result<&'static SettingSpec, SettingsError> {
        SettingSpec::find(name).ok_or_else(|| SettingsError::NotFound(name.to_owned()))
    }
}
