//! Reading the messages sent to people.

use std::sync::Arc;

use domain::backoffice::messages::SentMessage;
use domain::pagination::{Page, PageRequest};
use ports::InfraError;
use ports::backoffice::{MessageFilter, SentMessages};

#[derive(Clone)]
pub struct MessagesService {
    messages: Arc<dyn SentMessages>,
}

impl MessagesService {
    pub fn new(messages: Arc<dyn SentMessages>) -> Self {
        Self { messages }
    }

    pub async fn list(
        &self,
        page: &PageRequest<i64>,
        filter: &MessageFilter,
    ) -> Result<Page<SentMessage>, InfraError> {
        self.messages.list(page, filter).await
    }
}
