use async_trait::async_trait;
use chrono::{DateTime, Utc};
use diesel::dsl::exists;
use diesel::dsl::sql;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Bool, Text};
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use domain::identity::credentials::{DisplayName, Email, Username};
use domain::identity::role::{Access, BuiltInRole, RoleName};
use domain::identity::user::{
    AccountStatus, Principal, ProfileChange, User, UserId, anonymised_username,
};
use domain::money::Money;
use domain::pagination::{Page, PageRequest};
use ports::InfraError;
use ports::identity::{
    CreateUserError, Credentials, DeleteAccountError, ManageAccountError, NewUser,
    UpdateProfileError, UserFilter, UserRepository,
};
use rust_decimal::Decimal;

use super::roles::permissions_from_json;
use super::stored;
use crate::error::{TxError, from_diesel, violated_constraint};
use crate::pool::{self, PgPool};
use crate::schema::{addresses, cart_items, password_reset_tokens, roles, users, wallets};

/// Serialises first-admin creation between replicas starting together.
const BOOTSTRAP_LOCK: i64 = 0x6174_656c_6965_7203;

pub struct PgUserRepository {
    pool: PgPool,
}

impl PgUserRepository {
    pub fn new(pool: PgPool) -> Self {
        Self { pool }
    }
}

type UserColumns = (
    users::id,
    users::username,
    users::email,
    users::display_name,
    roles::name,
    users::status,
    users::created_at,
);

const USER_COLUMNS: UserColumns = (
    users::id,
    users::username,
    users::email,
    users::display_name,
    roles::name,
    users::status,
    users::created_at,
);

type UserRow = (
    i64,
    String,
    Option<String>,
    Option<String>,
    String,
    String,
    DateTime<Utc>,
);

fn to_user(
    (id, username, email, display_name, role, status, created_at): UserRow,
) -> Result<User, InfraError> {
    Ok(User {
        id,
        username: stored("username", Username::parse(&username))?,
        email: email
            .map(|e| stored("email", Email::parse(&e)))
            .transpose()?,
        display_name: display_name
            .map(|d| stored("display_name", DisplayName::parse(&d)))
            .transpose()?,
        role: stored("role", RoleName::parse(&role))?,
        status: stored("status", AccountStatus::parse(&status))?,
        created_at,
    })
}

type CredentialsRow = (i64, String, String, String);

const CREDENTIALS_COLUMNS: (
    users::id,
    users::username,
    users::password_hash,
    users::status,
) = (
    users::id,
    users::username,
    users::password_hash,
    users::status,
);

fn to_credentials(
    (user_id, username, password_hash, status): CredentialsRow,
) -> Result<Credentials, InfraError> {
    Ok(Credentials {
        user_id,
        username,
        password_hash,
        status: stored("status", AccountStatus::parse(&status))?,
    })
}

fn creation_error(error: diesel::result::Error) -> CreateUserError {
    match violated_constraint(&error) {
        Some("users_username_key") => CreateUserError::UsernameTaken,
        Some("users_email_key") => CreateUserError::EmailTaken,
        _ => CreateUserError::Infra(from_diesel(error)),
    }
}

async fn role_id(conn: &mut AsyncPgConnection, role: &RoleName) -> QueryResult<Option<i64>> {
    roles::table
        .filter(roles::name.eq(role.as_str()))
        .select(roles::id)
        .first(conn)
        .await
        .optional()
}

async fn insert_user(
    conn: &mut AsyncPgConnection,
    user: &NewUser,
    role_id: i64,
) -> QueryResult<i64> {
    diesel::insert_into(users::table)
        .values((
            users::username.eq(user.username.as_str()),
            users::password_hash.eq(&user.password_hash),
            users::email.eq(user.email.as_ref().map(Email::as_str)),
            users::display_name.eq(user.display_name.as_ref().map(DisplayName::as_str)),
            users::role_id.eq(role_id),
        ))
        .returning(users::id)
        .get_result(conn)
        .await
}

/// Locks the active admins' rows, in id order, and returns their ids. Every change that could
/// take away an admin (demotion, deletion) or add one calls this *before* locking the account
/// it changes: changes that concern admins take turns, and always lock in the same order, so
/// two of them cannot deadlock.
async fn lock_admins(conn: &mut AsyncPgConnection) -> Result<Vec<i64>, diesel::result::Error> {
    let Some(admin_role) = role_id(conn, &BuiltInRole::Admin.role_name()).await? else {
        return Ok(Vec::new());
    };
    users::table
        .filter(users::role_id.eq(admin_role))
        .filter(users::deleted_at.is_null())
        .filter(users::status.eq(AccountStatus::Active.as_str()))
        .select(users::id)
        .order(users::id)
        .for_update()
        .load(conn)
        .await
}

/// Whether taking the admin role from `user_id` (or disabling it) would leave no active admin.
fn is_last_admin(admins: &[i64], user_id: i64) -> bool {
    admins.contains(&user_id) && admins.len() == 1
}

/// Locks the live account matching `condition` and returns its id.
macro_rules! lock_live_user {
    ($conn:expr, $condition:expr) => {
        users::table
            .filter(users::deleted_at.is_null())
            .filter($condition)
            .select(users::id)
            .for_update()
            .first::<i64>($conn)
            .await
            .optional()
    };
}

/// The live accounts with their role's name, as [`UserRow`]s.
macro_rules! live_users {
    () => {
        users::table
            .inner_join(roles::table)
            .filter(users::deleted_at.is_null())
            .select(USER_COLUMNS)
    };
}

/// The live account matching `condition`, if any, as a [`User`].
macro_rules! first_live_user {
    ($self:ident, $condition:expr) => {{
        let mut conn = pool::get(&$self.pool).await?;
        let row: Option<UserRow> = live_users!()
            .filter($condition)
            .first(&mut conn)
            .await
            .optional()
            .map_err(from_diesel)?;
        row.map(to_user).transpose()
    }};
}

/// What logging in needs of the live account matching `condition`, if any.
macro_rules! first_credentials {
    ($self:ident, $condition:expr) => {{
        let mut conn = pool::get(&$self.pool).await?;
        let row: Option<CredentialsRow> = users::table
            .filter(users::deleted_at.is_null())
            .filter($condition)
            .select(CREDENTIALS_COLUMNS)
            .first(&mut conn)
            .await
            .optional()
            .map_err(from_diesel)?;
        row.map(to_credentials).transpose()
    }};
}

impl PgUserRepository {
    async fn by_id(conn: &mut AsyncPgConnection, id: UserId) -> Result<User, InfraError> {
        let row: UserRow = users::table
            .inner_join(roles::table)
            .filter(users::id.eq(id))
            .select(USER_COLUMNS)
            .first(conn)
            .await
            .map_err(from_diesel)?;
        to_user(row)
    }
}

#[async_trait]
impl UserRepository for PgUserRepository {
    async fn create(&self, user: NewUser) -> Result<User, CreateUserError> {
        let mut conn = pool::get(&self.pool).await?;
        let role_id = role_id(&mut conn, &user.role)
            .await
            .map_err(from_diesel)?
            .ok_or_else(|| CreateUserError::UnknownRole(user.role.clone()))?;
        let id = insert_user(&mut conn, &user, role_id)
            .await
            .map_err(creation_error)?;
        Ok(Self::by_id(&mut conn, id).await?)
    }

    async fn any_account(&self) -> Result<bool, InfraError> {
        let mut conn = pool::get(&self.pool).await?;
        diesel::select(exists(users::table.select(users::id)))
            .get_result(&mut conn)
            .await
            .map_err(from_diesel)
    }

    async fn create_first(&self, user: NewUser) -> Result<bool, CreateUserError> {
        let mut conn = pool::get(&self.pool).await?;
        let outcome = conn
            .transaction::<_, TxError<CreateUserError>, _>(async |conn| {
                diesel::sql_query("SELECT pg_advisory_xact_lock($1)")
                    .bind::<BigInt, _>(BOOTSTRAP_LOCK)
                    .execute(conn)
                    .await?;
                let any: bool = diesel::select(exists(users::table.select(users::id)))
                    .get_result(conn)
                    .await?;
                if any {
                    return Ok(false);
                }
                let role_id = role_id(conn, &user.role).await?.ok_or_else(|| {
                    TxError::Rejected(CreateUserError::UnknownRole(user.role.clone()))
                })?;
                insert_user(conn, &user, role_id).await?;
                Ok(true)
            })
            .await;
        outcome.map_err(|e| match e {
            TxError::Db(db) => creation_error(db),
            TxError::Rejected(rejected) => rejected,
        })
    }

    async fn credentials(&self, login: &str) -> Result<Option<Credentials>, InfraError> {
        first_credentials!(self, users::username.eq(login).or(users::email.eq(login)))
    }

    async fn credentials_of(&self, id: UserId) -> Result<Option<Credentials>, InfraError> {
        first_credentials!(self, users::id.eq(id))
    }

    async fn find(&self, id: UserId) -> Result<Option<User>, InfraError> {
        first_live_user!(self, users::id.eq(id))
    }

    async fn find_by_username(&self, username: &str) -> Result<Option<User>, InfraError> {
        first_live_user!(self, users::username.eq(username))
    }

    async fn find_by_email(&self, email: &Email) -> Result<Option<User>, InfraError> {
        first_live_user!(self, users::email.eq(email.as_str()))
    }

    async fn principal(&self, id: UserId) -> Result<Option<Principal>, InfraError> {
        let mut conn = pool::get(&self.pool).await?;
        let row: Option<(String, String, serde_json::Value)> = users::table
            .inner_join(roles::table)
            .filter(users::deleted_at.is_null())
            .filter(users::status.eq(AccountStatus::Active.as_str()))
            .filter(users::id.eq(id))
            .select((users::username, roles::name, roles::permissions))
            .first(&mut conn)
            .await
            .optional()
            .map_err(from_diesel)?;
        row.map(|(username, role, permissions)| {
            Ok(Principal {
                user_id: id,
                username: stored("username", Username::parse(&username))?,
                access: Access {
                    role: stored("role", RoleName::parse(&role))?,
                    permissions: permissions_from_json(&permissions),
                },
            })
        })
        .transpose()
    }

    async fn list(
        &self,
        page: &PageRequest<UserId>,
        filter: &UserFilter,
    ) -> Result<Page<User>, InfraError> {
        let mut conn = pool::get(&self.pool).await?;
        let mut query = live_users!()
            .order(users::id)
            .limit(page.fetch())
            .into_boxed();
        if let Some(after) = page.after {
            query = query.filter(users::id.gt(after));
        }
        if let Some(role) = &filter.role {
            query = query.filter(roles::name.eq(role.as_str().to_owned()));
        }
        if let Some(status) = filter.status {
            query = query.filter(users::status.eq(status.as_str()));
        }
        if let Some(search) = &filter.search {
            let pattern = crate::like::containing(search);
            // citext has no ILIKE in diesel's DSL.
            query = query.filter(
                sql::<Bool>("(users.username ILIKE ")
                    .bind::<Text, _>(pattern.clone())
                    .sql(" OR users.email ILIKE ")
                    .bind::<Text, _>(pattern)
                    .sql(")"),
            );
        }
        let rows: Vec<UserRow> = query.load(&mut conn).await.map_err(from_diesel)?;
        let users = rows
            .into_iter()
            .map(to_user)
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Page::from_rows(users, page))
    }

    async fn update_profile(
        &self,
        id: UserId,
        change: &ProfileChange,
    ) -> Result<User, UpdateProfileError> {
        #[derive(AsChangeset)]
        #[diesel(table_name = users)]
        struct Changes<'a> {
            email: Option<Option<&'a str>>,
            display_name: Option<Option<&'a str>>,
        }
        let changes = Changes {
            email: change.email.as_ref().map(|e| e.as_ref().map(Email::as_str)),
            display_name: change
                .display_name
                .as_ref()
                .map(|d| d.as_ref().map(DisplayName::as_str)),
        };
        let mut conn = pool::get(&self.pool).await?;
        let updated = diesel::update(
            users::table
                .filter(users::id.eq(id))
                .filter(users::deleted_at.is_null()),
        )
        .set(&changes)
        .execute(&mut conn)
        .await
        .map_err(|error| match violated_constraint(&error) {
            Some("users_email_key") => UpdateProfileError::EmailTaken,
            _ => UpdateProfileError::Infra(from_diesel(error)),
        })?;
        if updated == 0 {
            return Err(UpdateProfileError::NotFound);
        }
        Ok(Self::by_id(&mut conn, id).await?)
    }

    async fn set_password(&self, id: UserId, password_hash: &str) -> Result<(), InfraError> {
        let mut conn = pool::get(&self.pool).await?;
        diesel::update(
            users::table
                .filter(users::id.eq(id))
                .filter(users::deleted_at.is_null()),
        )
        .set(users::password_hash.eq(password_hash))
        .execute(&mut conn)
        .await
        .map_err(from_diesel)?;
        Ok(())
    }

    async fn assign_role(
        &self,
        username: &str,
        role: &RoleName,
    ) -> Result<User, ManageAccountError> {
        let mut conn = pool::get(&self.pool).await?;
        let outcome = conn
            .transaction::<_, TxError<ManageAccountError>, _>(async |conn| {
                let new_role = role_id(conn, role).await?.ok_or_else(|| {
                    TxError::Rejected(ManageAccountError::RoleNotFound(role.clone()))
                })?;
                let admins = lock_admins(conn).await?;
                let user_id =
                    lock_live_user!(conn, users::username.eq(username))?.ok_or_else(|| {
                        TxError::Rejected(ManageAccountError::UserNotFound(username.to_owned()))
                    })?;
                if !role.is_admin() && is_last_admin(&admins, user_id) {
                    return Err(TxError::Rejected(ManageAccountError::LastAdmin));
                }
                diesel::update(users::table.filter(users::id.eq(user_id)))
                    .set(users::role_id.eq(new_role))
                    .execute(conn)
                    .await?;
                Ok(user_id)
            })
            .await;
        let user_id = outcome.map_err(TxError::into_port)?;
        Ok(Self::by_id(&mut conn, user_id).await?)
    }

    async fn set_status(
        &self,
        username: &str,
        status: AccountStatus,
    ) -> Result<User, ManageAccountError> {
        let mut conn = pool::get(&self.pool).await?;
        let outcome = conn
            .transaction::<_, TxError<ManageAccountError>, _>(async |conn| {
                let admins = lock_admins(conn).await?;
                let user_id =
                    lock_live_user!(conn, users::username.eq(username))?.ok_or_else(|| {
                        TxError::Rejected(ManageAccountError::UserNotFound(username.to_owned()))
                    })?;
                if status == AccountStatus::Disabled && is_last_admin(&admins, user_id) {
                    return Err(TxError::Rejected(ManageAccountError::LastAdmin));
                }
                diesel::update(users::table.filter(users::id.eq(user_id)))
                    .set(users::status.eq(status.as_str()))
                    .execute(conn)
                    .await?;
                Ok(user_id)
            })
            .await;
        let user_id = outcome.map_err(TxError::into_port)?;
        Ok(Self::by_id(&mut conn, user_id).await?)
    }

    async fn delete_account(&self, id: UserId) -> Result<(), DeleteAccountError> {
        let mut conn = pool::get(&self.pool).await?;
        conn.transaction::<_, TxError<DeleteAccountError>, _>(async |conn| {
            let admins = lock_admins(conn).await?;
            lock_live_user!(conn, users::id.eq(id))?
                .ok_or(TxError::Rejected(DeleteAccountError::NotFound))?;
            if is_last_admin(&admins, id) {
                return Err(TxError::Rejected(DeleteAccountError::LastAdmin));
            }
            // Locked, so that no debit empties it or credit fills it before this commits.
            let balance: Option<Decimal> = wallets::table
                .filter(wallets::user_id.eq(id))
                .select(wallets::balance)
                .for_update()
                .first(conn)
                .await
                .optional()?;
            if let Some(balance) = balance.filter(|b| !b.is_zero()) {
                let balance = stored("balance", Money::parse(balance))
                    .map_err(|e| TxError::Rejected(e.into()))?;
                return Err(TxError::Rejected(DeleteAccountError::WalletNotEmpty {
                    balance,
                }));
            }
            diesel::delete(addresses::table.filter(addresses::user_id.eq(id)))
                .execute(conn)
                .await?;
            diesel::delete(cart_items::table.filter(cart_items::user_id.eq(id)))
                .execute(conn)
                .await?;
            diesel::delete(
                password_reset_tokens::table.filter(password_reset_tokens::user_id.eq(id)),
            )
            .execute(conn)
            .await?;
            diesel::update(users::table.filter(users::id.eq(id)))
                .set((
                    users::username.eq(anonymised_username(id)),
                    users::email.eq(None::<String>),
                    users::display_name.eq(None::<String>),
                    // Not a bcrypt hash: no password verifies against it.
                    users::password_hash.eq("!"),
                    users::deleted_at.eq(diesel::dsl::now),
                ))
                .execute(conn)
                .await?;
            Ok(())
        })
        .await
        .map_err(TxError::into_port)
    }
}
