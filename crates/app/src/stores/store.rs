//! Opening, describing, listing and closing stores.

use domain::Fields;
use domain::identity::permission::Permission;
use domain::identity::user::Principal;
use domain::pagination::{Page, PageRequest};
use domain::stores::store::{
    self, Store, StoreCode, StoreId, StoreStatus, TimeZone, may_open_stores,
};
use ports::stores::{NewStore, StoreChange, StoreFilter};

use super::{Stores, StoresError};

/// A new store as received.
#[derive(Debug, Clone, Default)]
pub struct StoreInput {
    pub code: String,
    pub name: String,
    pub description: Option<String>,
    /// The business's time zone (the `studio.time_zone` setting) unless given.
    pub time_zone: Option<String>,
    /// The owner's username; the caller unless given (only `stores:manage` may name another).
    pub owner: Option<String>,
}

/// A change to a store as received; `None` leaves a field as it is.
#[derive(Debug, Clone, Default)]
pub struct StorePatch {
    pub name: Option<String>,
    pub description: Option<String>,
    pub time_zone: Option<String>,
}

/// Which stores a list holds, by status.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum StoreStatusFilter {
    #[default]
    Open,
    Closed,
    All,
}

impl Stores {
    pub async fn open_store(
        &self,
        caller: &Principal,
        input: StoreInput,
    ) -> Result<Store, StoresError> {
        if !may_open_stores(&caller.access) {
            return Err(StoresError::MayNotOpen(
                "opening a store needs stores:open (the seller role) or stores:manage",
            ));
        }
        let mut fields = Fields::default();
        let code = fields.check("code", StoreCode::parse(&input.code));
        let name = fields.check("name", store::parse_name(&input.name));
        let description = fields.check(
            "description",
            store::parse_description(input.description.as_deref().unwrap_or("")),
        );
        let time_zone = match &input.time_zone {
            Some(raw) => fields.check("time_zone", TimeZone::parse(raw)),
            None => fields.check(
                "time_zone",
                TimeZone::parse(&self.setting("studio.time_zone").await?),
            ),
        };
        fields.finish().map_err(StoresError::Invalid)?;
        let (Some(code), Some(name), Some(description), Some(time_zone)) =
            (code, name, description, time_zone)
        else {
            unreachable!("every field parsed when there are no errors");
        };

        let owner_id = match input.owner.as_deref() {
            None => caller.user_id,
            Some(username)
                if username.to_lowercase() == caller.username.as_str().to_lowercase() =>
            {
                caller.user_id
            }
            Some(username) => {
                if !caller.access.allows(Permission::StoresManage) {
                    return Err(StoresError::MayNotOpen(
                        "only staff with stores:manage open a store for someone else",
                    ));
                }
                self.ports
                    .users
                    .find_by_username(username)
                    .await?
                    .ok_or_else(|| {
                        StoresError::Invalid(vec![(
                            "owner".to_owned(),
                            domain::Invalid::new("names no account"),
                        )])
                    })?
                    .id
            }
        };
        let store = self
            .ports
            .stores
            .create(&NewStore {
                code,
                owner_id,
                name,
                description,
                time_zone,
            })
            .await?;
        tracing::info!(store_id = store.id, owner_id, "store opened");
        Ok(store)
    }

    pub async fn store(&self, code: &str) -> Result<Store, StoresError> {
        self.find(code).await
    }

    /// A page of stores, in the order they were opened; of one owner (a username) if given.
    pub async fn stores(
        &self,
        owner: Option<&str>,
        status: StoreStatusFilter,
        page: &PageRequest<StoreId>,
    ) -> Result<Page<Store>, StoresError> {
        let owner_id = match owner {
            None => None,
            Some(username) => match self.ports.users.find_by_username(username).await? {
                Some(user) => Some(user.id),
                None => {
                    return Ok(Page {
                        items: Vec::new(),
                        has_more: false,
                    });
                }
            },
        };
        let filter = StoreFilter {
            owner_id,
            status: match status {
                StoreStatusFilter::Open => Some(StoreStatus::Open),
                StoreStatusFilter::Closed => Some(StoreStatus::Closed),
                StoreStatusFilter::All => None,
            },
        };
        Ok(self.ports.stores.list(&filter, page).await?)
    }

    pub async fn update_store(
        &self,
        caller: &Principal,
        code: &str,
        patch: StorePatch,
    ) -> Result<Store, StoresError> {
        let store = self.managed(caller, code).await?;
        let mut fields = Fields::default();
        let change = StoreChange {
            name: patch
                .name
                .as_deref()
                .and_then(|raw| fields.check("name", store::parse_name(raw))),
            description: patch
                .description
                .as_deref()
                .and_then(|raw| fields.check("description", store::parse_description(raw))),
            time_zone: patch
                .time_zone
                .as_deref()
                .and_then(|raw| fields.check("time_zone", TimeZone::parse(raw))),
        };
        fields.finish().map_err(StoresError::Invalid)?;
        Ok(self.ports.stores.update(store.id, &change).await?)
    }

    /// Closes the store: it leaves the marketplace and its stock stops changing. Closing a
    /// closed store changes nothing.
    pub async fn close_store(&self, caller: &Principal, code: &str) -> Result<Store, StoresError> {
        self.set_status(caller, code, StoreStatus::Closed).await
    }

    pub async fn reopen_store(&self, caller: &Principal, code: &str) -> Result<Store, StoresError> {
        self.set_status(caller, code, StoreStatus::Open).await
    }

    async fn set_status(
        &self,
        caller: &Principal,
        code: &str,
        status: StoreStatus,
    ) -> Result<Store, StoresError> {
        let store = self.managed(caller, code).await?;
        let changed = self.ports.stores.set_status(store.id, status).await?;
        tracing::info!(
            store_id = store.id,
            status = status.as_str(),
            "store status set"
        );
        Ok(changed)
    }
}
