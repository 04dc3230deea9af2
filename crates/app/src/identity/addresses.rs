//! A person's address book.

use domain::identity::address::{Address, AddressFields, RawAddress};

use super::{Authenticated, Identity, IdentityError};

fn parse(raw: &RawAddress) -> Result<AddressFields, IdentityError> {
    AddressFields::parse(raw).map_err(IdentityError::Invalid)
}

impl Identity {
    pub async fn addresses(&self, caller: &Authenticated) -> Result<Vec<Address>, IdentityError> {
        Ok(self.ports.addresses.list(caller.principal.user_id).await?)
    }

    pub async fn address(&self, caller: &Authenticated, id: i64) -> Result<Address, IdentityError> {
        self.ports
            .addresses
            .find(caller.principal.user_id, id)
            .await?
            .ok_or(IdentityError::AddressNotFound)
    }

    /// Adds an address; the first one becomes the default.
    pub async fn add_address(
        &self,
        caller: &Authenticated,
        raw: &RawAddress,
    ) -> Result<Address, IdentityError> {
        let fields = parse(raw)?;
        Ok(self
            .ports
            .addresses
            .create(
                caller.principal.user_id,
                &fields,
                self.policy.address_book_capacity,
            )
            .await?)
    }

    pub async fn update_address(
        &self,
        caller: &Authenticated,
        id: i64,
        raw: &RawAddress,
    ) -> Result<Address, IdentityError> {
        let fields = parse(raw)?;
        Ok(self
            .ports
            .addresses
            .update(caller.principal.user_id, id, &fields)
            .await?)
    }

    pub async fn delete_address(
        &self,
        caller: &Authenticated,
        id: i64,
    ) -> Result<(), IdentityError> {
        Ok(self
            .ports
            .addresses
            .delete(caller.principal.user_id, id)
            .await?)
    }

    pub async fn set_default_address(
        &self,
        caller: &Authenticated,
        id: i64,
    ) -> Result<Address, IdentityError> {
        Ok(self
            .ports
            .addresses
            .set_default(caller.principal.user_id, id)
            .await?)
    }
}
