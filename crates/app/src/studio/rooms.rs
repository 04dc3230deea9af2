//! Rooms: creating, listing, renaming, deactivating.

use domain::Fields;
use domain::pagination::{Page, PageRequest};
use domain::studio::RoomId;
use domain::studio::rooms::{self, Room, RoomDetails};
use ports::studio::rooms::RoomFilter;

use super::{Studio, StudioError};

/// A new room as received.
#[derive(Debug, Clone, Default)]
pub struct RoomInput {
    /// The code of its store.
    pub store: String,
    pub name: String,
    /// `true` unless given.
    pub active: Option<bool>,
}

/// A change to a room; `None` leaves a field as it is. A room stays in its store.
#[derive(Debug, Clone, Default)]
pub struct RoomPatch {
    pub name: Option<String>,
    pub active: Option<bool>,
}

impl Studio {
    pub async fn create_room(&self, input: RoomInput) -> Result<Room, StudioError> {
        let store_id = self.store_id(&input.store).await?;
        let mut fields = Fields::default();
        let store_id = fields.check("store", store_id);
        let name = fields.check("name", rooms::parse_name(&input.name));
        fields.finish().map_err(StudioError::Invalid)?;
        let (Some(store_id), Some(name)) = (store_id, name) else {
            unreachable!("every field parsed when there are no errors");
        };
        let room = self
            .ports
            .rooms
            .create(&RoomDetails {
                store_id,
                name,
                active: input.active.unwrap_or(true),
            })
            .await?;
        tracing::info!(room_id = room.id, "room created");
        Ok(room)
    }

    pub async fn room(&self, id: RoomId) -> Result<Room, StudioError> {
        self.ports
            .rooms
            .find(id)
            .await?
            .ok_or(StudioError::RoomNotFound)
    }

    /// A page of rooms, by id.
    pub async fn rooms(
        &self,
        store: Option<String>,
        active: Option<bool>,
        page: &PageRequest<RoomId>,
    ) -> Result<Page<Room>, StudioError> {
        Ok(self
            .ports
            .rooms
            .list(&RoomFilter { store, active }, page)
            .await?)
    }

    pub async fn update_room(&self, id: RoomId, patch: RoomPatch) -> Result<Room, StudioError> {
        let current = self.room(id).await?;
        let name = match patch.name {
            Some(raw) => rooms::parse_name(&raw).map_err(|e| StudioError::invalid("name", e))?,
            None => current.details.name,
        };
        Ok(self
            .ports
            .rooms
            .update(
                id,
                &RoomDetails {
                    store_id: current.details.store_id,
                    name,
                    active: patch.active.unwrap_or(current.details.active),
                },
            )
            .await?)
    }
}
