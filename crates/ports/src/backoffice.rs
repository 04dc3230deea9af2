//! Storage for the back office: system settings, sent messages.

use async_trait::async_trait;
use domain::backoffice::messages::SentMessage;
use domain::backoffice::settings::StoredSetting;
use domain::pagination::{Page, PageRequest};

use crate::InfraError;

/// The values of system settings that differ from their defaults.
#[async_trait]
pub trait SettingsRepository: Send + Sync {
    /// Every stored value, sorted by name.
    async fn list(&self) -> Result<Vec<StoredSetting>, InfraError>;

    async fn find(&self, name: &str) -> Result<Option<StoredSetting>, InfraError>;

    /// Stores `value` for `name`, replacing any earlier value.
    async fn store(&self, name: &str, value: &str) -> Result<StoredSetting, InfraError>;

    /// Removes the stored value, if any, so the default applies again.
    async fn remove(&self, name: &str) -> Result<(), InfraError>;
}

#[derive(Debug, Clone, Default)]
pub struct MessageFilter {
    pub recipient: Option<String>,
    pub kind: Option<String>,
}

/// The messages the mailer sent, newest first.
#[async_trait]
pub trait SentMessages: Send + Sync {
    async fn list(
        &self,
        page: &PageRequest<i64>,
        filter: &MessageFilter,
    ) -> Result<Page<SentMessage>, InfraError>;
}
