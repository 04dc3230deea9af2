//! Messages to people.

use async_trait::async_trait;

use crate::InfraError;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    pub recipient: String,
    pub subject: String,
    pub body: String,
    /// What the message is about (`password_reset` ...), for filtering.
    pub kind: &'static str,
}

#[async_trait]
pub trait Mailer: Send + Sync {
    async fn send(&self, message: Message) -> Result<(), InfraError>;
}
