//! Rooms.

use async_trait::async_trait;
use domain::pagination::{Page, PageRequest};
use domain::studio::RoomId;
use domain::studio::rooms::{Room, RoomDetails};

use crate::InfraError;

/// Which rooms a list holds.
#[derive(Debug, Clone, Default)]
pub struct RoomFilter {
    /// The code of their store; an unknown code matches none.
    pub store: Option<String>,
    pub active: Option<bool>,
}

#[derive(Debug, thiserror::Error)]
pub enum RoomStoreError {
    #[error("no such room")]
    NotFound,
    /// The store has a room of this name.
    #[error("the store has a room of this name")]
    NameTaken,
    #[error("no such store")]
    UnknownStore,
    #[error(transparent)]
    Infra(#[from] InfraError),
}

#[async_trait]
pub trait RoomRepository: Send + Sync {
    async fn create(&self, details: &RoomDetails) -> Result<Room, RoomStoreError>;

    async fn find(&self, id: RoomId) -> Result<Option<Room>, InfraError>;

    /// A page of rooms, by id, after `page.after`.
    async fn list(
        &self,
        filter: &RoomFilter,
        page: &PageRequest<RoomId>,
    ) -> Result<Page<Room>, InfraError>;

    /// Replaces the room's details.
    async fn update(&self, id: RoomId, details: &RoomDetails) -> Result<Room, RoomStoreError>;
}
