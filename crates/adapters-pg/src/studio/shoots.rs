//! Shoots: booking, reading, moving, rescheduling, and the customer's selection.
//!
//! People and rooms are kept from double booking by the exclusion constraints
//! `shoot_staff_no_overlap` and `shoots_room_no_overlap`; a violation is turned into
//! [`ShootStoreError::Clash`] naming the shoot that holds the time.

use std::collections::HashMap;
use std::ops::Bound;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel::result::Error as DieselError;
use diesel::sql_types::{Array, BigInt, Nullable, Text, Timestamptz};
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use domain::identity::user::UserId;
use domain::money::Money;
use domain::ordering::order::{ItemKind, OrderStatus};
use domain::pagination::{Page, PageRequest};
use domain::studio::packages::PackageTerms;
use domain::studio::shoots::{
    Allowance, Assignment, BookedPerson, EventKind, Named, Selection, Shoot, ShootEvent, Slot,
    Stage,
};
use domain::studio::{EmployeeId, Position, RoomId, ShootId, display_name};
use ports::InfraError;
use ports::studio::shoots::{
    ExtraPhotos, NewShoot, PackageOrder, Resource, ShootChange, ShootFilter, ShootKey,
    ShootRepository, ShootStoreError,
};
use rust_decimal::Decimal;
use serde_json::{Value, json};

use super::stage;
use crate::error::{TxError, from_diesel, stored};
use crate::pool::{self, PgPool};
use crate::schema::{
    employees, order_items, orders, packages, rooms, shoot_events, shoot_staff, shoots, users,
};

pub struct PgShootRepository {
    pool: PgPool,
}

impl PgShootRepository {
    pub fn new(pool: PgPool) -> Self {
        Self { pool }
    }
}

type Tx<T> = Result<T, TxError<ShootStoreError>>;

#[derive(QueryableByName)]
struct HeadingRow {
    #[diesel(sql_type = BigInt)]
    id: i64,
    #[diesel(sql_type = BigInt)]
    customer_id: i64,
    #[diesel(sql_type = Text)]
    customer_first: String,
    #[diesel(sql_type = Text)]
    customer_last: String,
    #[diesel(sql_type = BigInt)]
    store_id: i64,
    #[diesel(sql_type = Text)]
    store_code: String,
    #[diesel(sql_type = Nullable<Text>)]
    order_number: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    package_sku: Option<String>,
    #[diesel(sql_type = Nullable<diesel::sql_types::Integer>)]
    photos_included: Option<i32>,
    #[diesel(sql_type = Nullable<diesel::sql_types::Numeric>)]
    extra_photo_price: Option<Decimal>,
    #[diesel(sql_type = Nullable<BigInt>)]
    room_id: Option<i64>,
    #[diesel(sql_type = Nullable<Text>)]
    room_name: Option<String>,
    #[diesel(sql_type = Nullable<BigInt>)]
    retoucher_id: Option<i64>,
    #[diesel(sql_type = Timestamptz)]
    starts_at: DateTime<Utc>,
    #[diesel(sql_type = Timestamptz)]
    ends_at: DateTime<Utc>,
    #[diesel(sql_type = Text)]
    stage: String,
    #[diesel(sql_type = Nullable<diesel::sql_types::Integer>)]
    photos_selected: Option<i32>,
    #[diesel(sql_type = diesel::sql_types::Integer)]
    extra_photos: i32,
    #[diesel(sql_type = Text)]
    notes: String,
    #[diesel(sql_type = Timestamptz)]
    created_at: DateTime<Utc>,
    #[diesel(sql_type = Timestamptz)]
    updated_at: DateTime<Utc>,
}

/// Every read of shoots: the shoot with its customer, store, order, package and room. `$1` to
/// `$8` filter (see [`ShootFilter`]), `$9` limits, `$10` and `$11` are the key to start after.
const SHOOTS_SQL: &str = "
SELECT s.id, s.customer_id, c.first_name AS customer_first, c.last_name AS customer_last,
       s.store_id, st.code AS store_code, o.number AS order_number, p.sku AS package_sku,
       s.photos_included, s.extra_photo_price, s.room_id, r.name AS room_name, s.retoucher_id,
       s.starts_at, s.ends_at, s.stage, s.photos_selected, s.extra_photos, s.notes,
       s.created_at, s.updated_at
FROM shoots s
JOIN customers c ON c.id = s.customer_id
JOIN stores st ON st.id = s.store_id
LEFT JOIN orders o ON o.id = s.order_id
LEFT JOIN products p ON p.id = s.package_id
LEFT JOIN rooms r ON r.id = s.room_id
WHERE ($1::bigint IS NULL OR s.id = $1)
  AND ($2::bigint IS NULL OR s.store_id = $2)
  AND ($3::timestamptz IS NULL OR s.ends_at > $3)
  AND ($4::timestamptz IS NULL OR s.starts_at < $4)
  AND ($5::text IS NULL OR s.stage = $5)
  AND ($6::bigint IS NULL OR s.retoucher_id = $6
       OR EXISTS (SELECT 1 FROM shoot_staff ss WHERE ss.shoot_id = s.id AND ss.employee_id = $6))
  AND ($7::bigint IS NULL OR s.customer_id = $7)
  AND ($8::bigint IS NULL
       OR EXISTS (SELECT 1 FROM shoot_staff ss JOIN employees e ON e.id = ss.employee_id
                  WHERE ss.shoot_id = s.id AND e.user_id = $8)
       OR EXISTS (SELECT 1 FROM employees e WHERE e.id = s.retoucher_id AND e.user_id = $8))
  AND ($10::timestamptz IS NULL OR (s.starts_at, s.id) > ($10, $11))
ORDER BY s.starts_at, s.id
LIMIT $9";

#[derive(Default)]
struct Filter {
    id: Option<ShootId>,
    store_id: Option<i64>,
    from: Option<DateTime<Utc>>,
    to: Option<DateTime<Utc>>,
    stage: Option<&'static str>,
    employee_id: Option<EmployeeId>,
    customer_id: Option<i64>,
    involving: Option<UserId>,
    after: Option<ShootKey>,
}

async fn load_shoots(
    conn: &mut AsyncPgConnection,
    filter: Filter,
    limit: i64,
) -> QueryResult<(Vec<HeadingRow>, Vec<StaffRow>, Vec<PersonRow>)> {
    let headings: Vec<HeadingRow> = diesel::sql_query(SHOOTS_SQL)
        .bind::<Nullable<BigInt>, _>(filter.id)
        .bind::<Nullable<BigInt>, _>(filter.store_id)
        .bind::<Nullable<Timestamptz>, _>(filter.from)
        .bind::<Nullable<Timestamptz>, _>(filter.to)
        .bind::<Nullable<Text>, _>(filter.stage)
        .bind::<Nullable<BigInt>, _>(filter.employee_id)
        .bind::<Nullable<BigInt>, _>(filter.customer_id)
        .bind::<Nullable<BigInt>, _>(filter.involving)
        .bind::<BigInt, _>(limit)
        .bind::<Nullable<Timestamptz>, _>(filter.after.map(|k| k.0))
        .bind::<Nullable<BigInt>, _>(filter.after.map(|k| k.1))
        .load(conn)
        .await?;
    let ids: Vec<i64> = headings.iter().map(|h| h.id).collect();
    let staff: Vec<StaffRow> = shoot_staff::table
        .inner_join(employees::table)
        .filter(shoot_staff::shoot_id.eq_any(&ids))
        .order((shoot_staff::shoot_id, employees::id))
        .select((
            shoot_staff::shoot_id,
            shoot_staff::position,
            (
                employees::id,
                employees::first_name,
                employees::last_name,
                employees::user_id,
            ),
        ))
        .load(conn)
        .await?;
    let retouchers: Vec<i64> = headings.iter().filter_map(|h| h.retoucher_id).collect();
    let retouchers: Vec<PersonRow> = employees::table
        .filter(employees::id.eq_any(&retouchers))
        .select((
            employees::id,
            employees::first_name,
            employees::last_name,
            employees::user_id,
        ))
        .load(conn)
        .await?;
    Ok((headings, staff, retouchers))
}

/// An employee: id, first and last name, account.
type PersonRow = (i64, String, String, Option<i64>);
/// A person booked for a shoot: the shoot, as what, who.
type StaffRow = (i64, String, PersonRow);

fn person((id, first, last, user_id): PersonRow, position: Position) -> BookedPerson {
    BookedPerson {
        employee_id: id,
        name: display_name(&first, &last),
        position,
        user_id,
    }
}

fn assemble(
    (headings, staff, retouchers): (Vec<HeadingRow>, Vec<StaffRow>, Vec<PersonRow>),
) -> Result<Vec<Shoot>, InfraError> {
    let mut staff_of: HashMap<i64, Vec<BookedPerson>> = HashMap::new();
    for (shoot_id, position, who) in staff {
        let position = super::position(&position)?;
        staff_of
            .entry(shoot_id)
            .or_default()
            .push(person(who, position));
    }
    let retouchers: HashMap<i64, PersonRow> = retouchers.into_iter().map(|r| (r.0, r)).collect();
    headings
        .into_iter()
        .map(|h| {
            let allowance = match (h.photos_included, h.extra_photo_price) {
                (Some(photos_included), Some(price)) => Some(Allowance {
                    photos_included,
                    extra_photo_price: stored("extra_photo_price", Money::parse(price))?,
                }),
                _ => None,
            };
            Ok(Shoot {
                id: h.id,
                customer: Named {
                    id: h.customer_id,
                    name: display_name(&h.customer_first, &h.customer_last),
                },
                store_code: h.store_code,
                store_id: h.store_id,
                order_number: h.order_number,
                package_sku: h.package_sku,
                allowance,
                room: h
                    .room_id
                    .zip(h.room_name)
                    .map(|(id, name)| Named { id, name }),
                staff: staff_of.remove(&h.id).unwrap_or_default(),
                retoucher: h
                    .retoucher_id
                    .and_then(|id| retouchers.get(&id).cloned())
                    .map(|r| person(r, Position::Retoucher)),
                slot: stored("starts_at", Slot::parse(h.starts_at, h.ends_at))?,
                stage: stage(&h.stage)?,
                photos_selected: h.photos_selected,
                extra_photos: h.extra_photos,
                notes: h.notes,
                created_at: h.created_at,
                updated_at: h.updated_at,
            })
        })
        .collect()
}

/// Refuses people who are not active staff of the store, and a room that is not its own.
async fn check_resources(
    conn: &mut AsyncPgConnection,
    store_id: i64,
    staff: &[EmployeeId],
    room_id: Option<RoomId>,
) -> Tx<()> {
    let found: Vec<i64> = employees::table
        .filter(employees::id.eq_any(staff))
        .filter(employees::store_id.eq(store_id))
        .filter(employees::active.eq(true))
        .select(employees::id)
        .load(conn)
        .await?;
    let missing: Vec<EmployeeId> = staff
        .iter()
        .copied()
        .filter(|id| !found.contains(id))
        .collect();
    if !missing.is_empty() {
        return Err(TxError::Rejected(ShootStoreError::UnknownStaff(missing)));
    }
    if let Some(room_id) = room_id {
        let found: i64 = rooms::table
            .filter(rooms::id.eq(room_id))
            .filter(rooms::store_id.eq(store_id))
            .filter(rooms::active.eq(true))
            .count()
            .get_result(conn)
            .await?;
        if found == 0 {
            return Err(TxError::Rejected(ShootStoreError::UnknownRoom));
        }
    }
    Ok(())
}

/// Books `staff` for the shoot's time: rows that carry the shoot's `during` and `active`.
async fn insert_staff(
    conn: &mut AsyncPgConnection,
    shoot_id: ShootId,
    staff: &[Assignment],
) -> QueryResult<()> {
    let ids: Vec<i64> = staff.iter().map(|a| a.employee_id).collect();
    let positions: Vec<Option<&str>> = staff
        .iter()
        .map(|a| a.position.map(Position::as_str))
        .collect();
    diesel::sql_query(
        "INSERT INTO shoot_staff (shoot_id, employee_id, position, during, active)
         SELECT s.id, x.employee_id, coalesce(x.position, e.position), s.during, s.active
         FROM shoots s
         CROSS JOIN unnest($2::bigint[], $3::text[]) AS x (employee_id, position)
         JOIN employees e ON e.id = x.employee_id
         WHERE s.id = $1",
    )
    .bind::<BigInt, _>(shoot_id)
    .bind::<Array<BigInt>, _>(ids)
    .bind::<Array<Nullable<Text>>, _>(positions)
    .execute(conn)
    .await?;
    Ok(())
}

async fn insert_event(
    conn: &mut AsyncPgConnection,
    shoot_id: ShootId,
    kind: EventKind,
    stages: (Option<Stage>, Option<Stage>),
    details: Value,
    actor: UserId,
) -> QueryResult<()> {
    diesel::insert_into(shoot_events::table)
        .values((
            shoot_events::shoot_id.eq(shoot_id),
            shoot_events::kind.eq(kind.as_str()),
            shoot_events::from_stage.eq(stages.0.map(Stage::as_str)),
            shoot_events::to_stage.eq(stages.1.map(Stage::as_str)),
            shoot_events::details.eq(details),
            shoot_events::actor_id.eq(actor),
        ))
        .execute(conn)
        .await?;
    Ok(())
}

/// People booked, as events record them.
fn staff_json(staff: &[Assignment]) -> Value {
    staff
        .iter()
        .map(
            |a| json!({"employee_id": a.employee_id, "position": a.position.map(Position::as_str)}),
        )
        .collect()
}

fn booking_details(slot: Slot, room_id: Option<RoomId>, staff: &[Assignment]) -> Value {
    json!({
        "starts_at": slot.starts_at(),
        "ends_at": slot.ends_at(),
        "room_id": room_id,
        "staff": staff_json(staff),
    })
}

/// The columns a change of a shoot sets: `None` leaves one as it is.
#[derive(AsChangeset)]
#[diesel(table_name = shoots)]
struct ShootColumns<'a> {
    starts_at: Option<DateTime<Utc>>,
    ends_at: Option<DateTime<Utc>>,
    room_id: Option<Option<RoomId>>,
    retoucher_id: Option<Option<EmployeeId>>,
    notes: Option<&'a str>,
}

/// The slot as the `[start, end)` range the exclusion constraints compare.
fn range(slot: Slot) -> (Bound<DateTime<Utc>>, Bound<DateTime<Utc>>) {
    (
        Bound::Included(slot.starts_at()),
        Bound::Excluded(slot.ends_at()),
    )
}

/// What a booking or a move clashed with: the violated exclusion constraint, and the active
/// shoot (other than `own`) that holds the time.
async fn clash(
    conn: &mut AsyncPgConnection,
    error: &DieselError,
    own: Option<ShootId>,
    slot: Slot,
    staff: &[EmployeeId],
    room_id: Option<RoomId>,
) -> Option<Result<ShootStoreError, InfraError>> {
    let DieselError::DatabaseError(_, info) = error else {
        return None;
    };
    let own = own.unwrap_or(0);
    let found = match info.constraint_name()? {
        "shoot_staff_no_overlap" => shoot_staff::table
            .filter(shoot_staff::active.eq(true))
            .filter(shoot_staff::employee_id.eq_any(staff))
            .filter(shoot_staff::shoot_id.ne(own))
            .filter(shoot_staff::during.overlaps_with(range(slot)))
            .order(shoot_staff::shoot_id)
            .select((shoot_staff::employee_id, shoot_staff::shoot_id))
            .first::<(i64, i64)>(conn)
            .await
            .optional()
            .map(|hit| match hit {
                Some((employee, shoot)) => (Resource::Employee(employee), Some(shoot)),
                None => (
                    Resource::Employee(staff.first().copied().unwrap_or(0)),
                    None,
                ),
            }),
        "shoots_room_no_overlap" => {
            let room = room_id.unwrap_or(0);
            shoots::table
                .filter(shoots::active.eq(true))
                .filter(shoots::room_id.eq(room))
                .filter(shoots::id.ne(own))
                .filter(shoots::during.overlaps_with(range(slot)))
                .order(shoots::id)
                .select(shoots::id)
                .first::<i64>(conn)
                .await
                .optional()
                .map(|shoot| (Resource::Room(room), shoot))
        }
        _ => return None,
    };
    Some(
        found
            .map(|(resource, shoot_id)| ShootStoreError::Clash { resource, shoot_id })
            .map_err(from_diesel),
    )
}

/// The port's error for a failed transaction: a clash when an exclusion constraint said no.
async fn into_port(
    conn: &mut AsyncPgConnection,
    error: TxError<ShootStoreError>,
    own: Option<ShootId>,
    slot: Slot,
    staff: &[EmployeeId],
    room_id: Option<RoomId>,
) -> ShootStoreError {
    if let TxError::Db(db) = &error
        && let Some(outcome) = clash(conn, db, own, slot, staff, room_id).await
    {
        return outcome.unwrap_or_else(ShootStoreError::Infra);
    }
    error.into_port()
}

/// The stage the shoot is at, locked for the rest of the transaction.
async fn lock_stage(conn: &mut AsyncPgConnection, id: ShootId) -> Tx<(Stage, i64)> {
    let row: Option<(String, i64)> = shoots::table
        .find(id)
        .select((shoots::stage, shoots::store_id))
        .for_update()
        .first(conn)
        .await
        .optional()?;
    let (raw, store_id) = row.ok_or(TxError::Rejected(ShootStoreError::NotFound))?;
    let current = stage(&raw).map_err(|e| TxError::Rejected(e.into()))?;
    Ok((current, store_id))
}

async fn expect_stage(conn: &mut AsyncPgConnection, id: ShootId, expected: Stage) -> Tx<i64> {
    let (current, store_id) = lock_stage(conn, id).await?;
    if current != expected {
        return Err(TxError::Rejected(ShootStoreError::StageChanged(current)));
    }
    Ok(store_id)
}

/// Adds the line of extra photos to its order (or replaces it, or removes it when there are
/// none), and the order's amounts with it.
async fn set_extra_line(
    conn: &mut AsyncPgConnection,
    extras: &ExtraPhotos,
    quantity: i32,
) -> Tx<()> {
    let order: Option<(String, Decimal)> = orders::table
        .find(extras.order_id)
        .select((orders::status, orders::discount))
        .for_update()
        .first(conn)
        .await
        .optional()?;
    let (status, discount) = order.ok_or(TxError::Rejected(ShootStoreError::NotFound))?;
    let status = OrderStatus::parse(&status).ok_or_else(|| {
        TxError::Rejected(InfraError::Unknown(anyhow::anyhow!("order status {status}")).into())
    })?;
    if status != OrderStatus::PendingPayment {
        return Err(TxError::Rejected(ShootStoreError::OrderSettled(status)));
    }
    let kind = ItemKind::ExtraPhotos.as_str();
    diesel::delete(
        order_items::table
            .filter(order_items::order_id.eq(extras.order_id))
            .filter(order_items::kind.eq(kind)),
    )
    .execute(conn)
    .await?;
    if quantity > 0 {
        let price = extras.unit_price.amount();
        diesel::insert_into(order_items::table)
            .values((
                order_items::order_id.eq(extras.order_id),
                order_items::product_id.eq(extras.product_id),
                order_items::kind.eq(kind),
                order_items::sku.eq(&extras.sku),
                order_items::product_name.eq(&extras.name),
                order_items::unit_price.eq(price),
                order_items::quantity.eq(quantity),
                order_items::line_total.eq(price * Decimal::from(quantity)),
            ))
            .execute(conn)
            .await?;
    }
    let subtotal: Option<Decimal> = order_items::table
        .filter(order_items::order_id.eq(extras.order_id))
        .select(diesel::dsl::sum(order_items::line_total))
        .first(conn)
        .await?;
    let subtotal = subtotal.unwrap_or_default();
    diesel::update(orders::table.find(extras.order_id))
        .set((
            orders::subtotal.eq(subtotal),
            orders::total.eq(subtotal - discount),
        ))
        .execute(conn)
        .await?;
    Ok(())
}

#[async_trait]
impl ShootRepository for PgShootRepository {
    async fn package_order(&self, number: &str) -> Result<Option<PackageOrder>, InfraError> {
        let mut conn = pool::get(&self.pool).await?;
        type Heading = (i64, i64, i64, String, Decimal, DateTime<Utc>);
        let order: Option<Heading> = orders::table
            .filter(orders::number.eq(number))
            .select((
                orders::id,
                orders::user_id,
                orders::store_id,
                orders::status,
                orders::paid_amount,
                orders::reserved_until,
            ))
            .first(&mut conn)
            .await
            .optional()
            .map_err(from_diesel)?;
        let Some((order_id, user_id, store_id, status, paid, reserved_until)) = order else {
            return Ok(None);
        };
        let package: Option<(i64, String, (i32, i32, i32, i32, i32, Decimal, Decimal))> =
            order_items::table
                .inner_join(packages::table.on(packages::product_id.eq(order_items::product_id)))
                .filter(order_items::order_id.eq(order_id))
                .filter(order_items::kind.eq(ItemKind::Product.as_str()))
                .order(order_items::id)
                .select((
                    order_items::product_id,
                    order_items::sku,
                    (
                        packages::shoot_minutes,
                        packages::looks,
                        packages::retouched_photos,
                        packages::prints,
                        packages::albums,
                        packages::extra_photo_price,
                        packages::deposit,
                    ),
                ))
                .first(&mut conn)
                .await
                .optional()
                .map_err(from_diesel)?;
        let package = package
            .map(|(product_id, sku, t)| -> Result<_, InfraError> {
                Ok((
                    product_id,
                    sku,
                    PackageTerms {
                        shoot_minutes: t.0,
                        looks: t.1,
                        retouched_photos: t.2,
                        prints: t.3,
                        albums: t.4,
                        extra_photo_price: stored("extra_photo_price", Money::parse(t.5))?,
                        deposit: stored("deposit", Money::parse(t.6))?,
                    },
                ))
            })
            .transpose()?;
        Ok(Some(PackageOrder {
            order_id,
            user_id,
            store_id,
            status: stored(
                "status",
                OrderStatus::parse(&status).ok_or_else(|| domain::Invalid::new("is not a status")),
            )?,
            paid: stored("paid_amount", Money::parse(paid))?,
            reserved_until,
            package,
        }))
    }

    async fn book(&self, shoot: &NewShoot) -> Result<ShootId, ShootStoreError> {
        let mut conn = pool::get(&self.pool).await?;
        let staff: Vec<EmployeeId> = shoot.staff.iter().map(|a| a.employee_id).collect();
        let outcome = conn
            .transaction::<_, TxError<ShootStoreError>, _>(async |conn| {
                check_resources(conn, shoot.store_id, &staff, shoot.room_id).await?;
                let id: ShootId = diesel::insert_into(shoots::table)
                    .values((
                        shoots::customer_id.eq(shoot.customer_id),
                        shoots::store_id.eq(shoot.store_id),
                        shoots::order_id.eq(shoot.order_id),
                        shoots::package_id.eq(shoot.package.map(|p| p.product_id)),
                        shoots::photos_included
                            .eq(shoot.package.map(|p| p.allowance.photos_included)),
                        shoots::extra_photo_price.eq(shoot
                            .package
                            .map(|p| p.allowance.extra_photo_price.amount())),
                        shoots::room_id.eq(shoot.room_id),
                        shoots::starts_at.eq(shoot.slot.starts_at()),
                        shoots::ends_at.eq(shoot.slot.ends_at()),
                        shoots::notes.eq(&shoot.notes),
                        shoots::created_by.eq(shoot.actor),
                    ))
                    .returning(shoots::id)
                    .get_result(conn)
                    .await
                    .map_err(|error| match crate::error::violated_constraint(&error) {
                        Some("shoots_customer_id_fkey") => {
                            TxError::Rejected(ShootStoreError::UnknownCustomer)
                        }
                        _ => TxError::Db(error),
                    })?;
                insert_staff(conn, id, &shoot.staff).await?;
                insert_event(
                    conn,
                    id,
                    EventKind::Booked,
                    (None, Some(Stage::Booked)),
                    booking_details(shoot.slot, shoot.room_id, &shoot.staff),
                    shoot.actor,
                )
                .await?;
                Ok(id)
            })
            .await;
        match outcome {
            Ok(id) => Ok(id),
            Err(error) => {
                Err(into_port(&mut conn, error, None, shoot.slot, &staff, shoot.room_id).await)
            }
        }
    }

    async fn find(&self, id: ShootId) -> Result<Option<Shoot>, InfraError> {
        let mut conn = pool::get(&self.pool).await?;
        let filter = Filter {
            id: Some(id),
            ..Filter::default()
        };
        let rows = load_shoots(&mut conn, filter, 1)
            .await
            .map_err(from_diesel)?;
        Ok(assemble(rows)?.pop())
    }

    async fn list(
        &self,
        filter: &ShootFilter,
        page: &PageRequest<ShootKey>,
    ) -> Result<Page<Shoot>, InfraError> {
        let mut conn = pool::get(&self.pool).await?;
        let filter = Filter {
            id: None,
            store_id: filter.store_id,
            from: Some(filter.from),
            to: Some(filter.to),
            stage: filter.stage.map(Stage::as_str),
            employee_id: filter.employee_id,
            customer_id: filter.customer_id,
            involving: filter.involving,
            after: page.after,
        };
        let rows = load_shoots(&mut conn, filter, page.fetch())
            .await
            .map_err(from_diesel)?;
        Ok(Page::from_rows(assemble(rows)?, page))
    }

    async fn events(&self, id: ShootId) -> Result<Vec<ShootEvent>, InfraError> {
        let mut conn = pool::get(&self.pool).await?;
        type EventRow = (
            i64,
            String,
            Option<String>,
            Option<String>,
            Value,
            Option<String>,
            DateTime<Utc>,
        );
        let rows: Vec<EventRow> = shoot_events::table
            .left_join(users::table.on(users::id.nullable().eq(shoot_events::actor_id)))
            .filter(shoot_events::shoot_id.eq(id))
            .order(shoot_events::id)
            .select((
                shoot_events::id,
                shoot_events::kind,
                shoot_events::from_stage,
                shoot_events::to_stage,
                shoot_events::details,
                users::username.nullable(),
                shoot_events::created_at,
            ))
            .load(&mut conn)
            .await
            .map_err(from_diesel)?;
        rows.into_iter()
            .map(|(id, kind, from, to, details, actor, created_at)| {
                Ok(ShootEvent {
                    id,
                    kind: stored(
                        "kind",
                        EventKind::parse(&kind)
                            .ok_or_else(|| domain::Invalid::new("is not a kind")),
                    )?,
                    from_stage: from.as_deref().map(stage).transpose()?,
                    to_stage: to.as_deref().map(stage).transpose()?,
                    details,
                    actor,
                    created_at,
                })
            })
            .collect()
    }

    async fn move_stage(
        &self,
        id: ShootId,
        from: Stage,
        to: Stage,
        note: &str,
        actor: UserId,
    ) -> Result<(), ShootStoreError> {
        let mut conn = pool::get(&self.pool).await?;
        conn.transaction::<_, TxError<ShootStoreError>, _>(async |conn| {
            expect_stage(conn, id, from).await?;
            diesel::update(shoots::table.find(id))
                .set(shoots::stage.eq(to.as_str()))
                .execute(conn)
                .await?;
            insert_event(
                conn,
                id,
                EventKind::Stage,
                (Some(from), Some(to)),
                json!({ "note": note }),
                actor,
            )
            .await
            .map_err(TxError::Db)
        })
        .await
        .map_err(TxError::into_port)
    }

    async fn change(
        &self,
        id: ShootId,
        stage: Stage,
        change: &ShootChange,
        actor: UserId,
    ) -> Result<(), ShootStoreError> {
        let mut conn = pool::get(&self.pool).await?;
        let outcome = conn
            .transaction::<_, TxError<ShootStoreError>, _>(async |conn| {
                let store_id = expect_stage(conn, id, stage).await?;
                let staff: Vec<EmployeeId> = change
                    .staff
                    .iter()
                    .flatten()
                    .map(|a| a.employee_id)
                    .collect();
                check_resources(conn, store_id, &staff, change.room_id.flatten()).await?;
                if let Some(retoucher) = change.retoucher_id.flatten() {
                    check_resources(conn, store_id, &[retoucher], None)
                        .await
                        .map_err(|e| match e {
                            TxError::Rejected(ShootStoreError::UnknownStaff(_)) => {
                                TxError::Rejected(ShootStoreError::UnknownRetoucher)
                            }
                            other => other,
                        })?;
                }
                let moved = change.slot.is_some() || change.room_id.is_some();
                if moved || change.retoucher_id.is_some() || change.notes.is_some() {
                    let columns = ShootColumns {
                        starts_at: change.slot.map(Slot::starts_at),
                        ends_at: change.slot.map(Slot::ends_at),
                        room_id: change.room_id,
                        retoucher_id: change.retoucher_id,
                        notes: change.notes.as_deref(),
                    };
                    let (starts_at, ends_at, room_id): (DateTime<Utc>, DateTime<Utc>, Option<i64>) =
                        diesel::update(shoots::table.find(id))
                            .set(&columns)
                            .returning((shoots::starts_at, shoots::ends_at, shoots::room_id))
                            .get_result(conn)
                            .await?;
                    if moved {
                        let details = json!({
                            "starts_at": starts_at, "ends_at": ends_at, "room_id": room_id,
                        });
                        insert_event(
                            conn,
                            id,
                            EventKind::Rescheduled,
                            (None, None),
                            details,
                            actor,
                        )
                        .await?;
                    }
                }
                // After the shoot's new time, which the new rows take.
                if let Some(staff) = &change.staff {
                    diesel::delete(shoot_staff::table.filter(shoot_staff::shoot_id.eq(id)))
                        .execute(conn)
                        .await?;
                    insert_staff(conn, id, staff).await?;
                }
                if change.staff.is_some() || change.retoucher_id.is_some() {
                    let details = json!({
                        "staff": change.staff.as_deref().map(staff_json),
                        "retoucher_id": change.retoucher_id,
                    });
                    insert_event(conn, id, EventKind::Staffing, (None, None), details, actor)
                        .await?;
                }
                Ok(())
            })
            .await;
        match outcome {
            Ok(()) => Ok(()),
            Err(error) => {
                // What the shoot would have held: what the change gives it, else what it has.
                let Some(current) = self.find(id).await? else {
                    return Err(error.into_port());
                };
                let slot = change.slot.unwrap_or(current.slot);
                let staff: Vec<EmployeeId> = match &change.staff {
                    Some(staff) => staff.iter().map(|a| a.employee_id).collect(),
                    None => current.staff.iter().map(|p| p.employee_id).collect(),
                };
                let room = change.room_id.unwrap_or_else(|| current.room.map(|r| r.id));
                Err(into_port(&mut conn, error, Some(id), slot, &staff, room).await)
            }
        }
    }

    async fn record_selection(
        &self,
        id: ShootId,
        stage: Stage,
        selection: Selection,
        extras: Option<&ExtraPhotos>,
        actor: UserId,
    ) -> Result<(), ShootStoreError> {
        let mut conn = pool::get(&self.pool).await?;
        conn.transaction::<_, TxError<ShootStoreError>, _>(async |conn| {
            expect_stage(conn, id, stage).await?;
            diesel::update(shoots::table.find(id))
                .set((
                    shoots::photos_selected.eq(selection.photos),
                    shoots::extra_photos.eq(selection.extra),
                ))
                .execute(conn)
                .await?;
            if let Some(extras) = extras {
                set_extra_line(conn, extras, selection.extra).await?;
            }
            let details = json!({ "photos": selection.photos, "extra": selection.extra });
            insert_event(conn, id, EventKind::Selection, (None, None), details, actor).await?;
            Ok(())
        })
        .await
        .map_err(TxError::into_port)
    }
}
