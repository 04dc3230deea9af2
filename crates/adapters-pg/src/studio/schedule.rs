//! Scheduling: working hours, time off, and a store's calendars for a free-slot search, read
//! in four queries whatever the number of people (people, rooms, hours, and everything that
//! blocks a time in one `UNION ALL`).

use std::collections::HashMap;

use async_trait::async_trait;
use chrono::{DateTime, NaiveTime, Utc, Weekday};
use diesel::prelude::*;
use diesel::sql_types::{Array, BigInt, Text, Timestamptz};
use diesel_async::{AsyncConnection, RunQueryDsl};
use domain::Invalid;
use domain::identity::user::UserId;
use domain::pagination::{Page, PageRequest};
use domain::stores::store::StoreId;
use domain::studio::EmployeeId;
use domain::studio::schedule::{
    EmployeeCalendar, Interval, LocalPeriod, RoomCalendar, TimeOff, TimeOffId, TimeOffSubject,
    TimeOffTerms, WorkingWeek,
};
use ports::InfraError;
use ports::studio::schedule::{
    Candidates, ScheduleRepository, ScheduleStoreError, Staff, StoreCalendars, TimeOffFilter,
};

use crate::error::{TxError, from_diesel, stored, violated_constraint};
use crate::pool::{self, PgPool};
use crate::schema::{employees, rooms, time_off, working_hours};

pub struct PgScheduleRepository {
    pool: PgPool,
}

impl PgScheduleRepository {
    pub fn new(pool: PgPool) -> Self {
        Self { pool }
    }
}

fn weekday(iso: i16) -> Result<Weekday, InfraError> {
    stored(
        "weekday",
        u8::try_from(iso - 1)
            .ok()
            .and_then(|d| Weekday::try_from(d).ok())
            .ok_or_else(|| Invalid::new("must be 1 to 7")),
    )
}

fn iso(weekday: Weekday) -> i16 {
    weekday.number_from_monday() as i16
}

fn week_of(rows: Vec<(i16, NaiveTime, NaiveTime)>) -> Result<WorkingWeek, InfraError> {
    let periods = rows
        .into_iter()
        .map(|(day, start, end)| {
            Ok((
                weekday(day)?,
                stored("period", LocalPeriod::parse(start, end))?,
            ))
        })
        .collect::<Result<Vec<_>, InfraError>>()?;
    stored("working_hours", WorkingWeek::from_periods(periods))
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = time_off, check_for_backend(diesel::pg::Pg))]
struct TimeOffRow {
    id: i64,
    employee_id: Option<i64>,
    room_id: Option<i64>,
    starts_at: DateTime<Utc>,
    ends_at: DateTime<Utc>,
    reason: String,
    created_by: Option<i64>,
    created_at: DateTime<Utc>,
}

impl TryFrom<TimeOffRow> for TimeOff {
    type Error = InfraError;

    fn try_from(row: TimeOffRow) -> Result<Self, InfraError> {
        Ok(TimeOff {
            id: row.id,
            terms: TimeOffTerms {
                subject: stored(
                    "subject",
                    TimeOffSubject::parse(row.employee_id, row.room_id),
                )?,
                during: stored("period", Interval::parse(row.starts_at, row.ends_at))?,
                reason: row.reason,
            },
            created_by: row.created_by,
            created_at: row.created_at,
        })
    }
}

/// What keeps a person or a room from a time: `kind` says which of the four it is.
#[derive(QueryableByName)]
struct BlockRow {
    #[diesel(sql_type = Text)]
    kind: String,
    #[diesel(sql_type = BigInt)]
    owner: i64,
    #[diesel(sql_type = Timestamptz)]
    starts_at: DateTime<Utc>,
    #[diesel(sql_type = Timestamptz)]
    ends_at: DateTime<Utc>,
}

const BLOCKS_SQL: &str = "\
SELECT 'time_off' AS kind, employee_id AS owner, starts_at, ends_at FROM time_off
 WHERE employee_id = ANY($1) AND tstzrange(starts_at, ends_at) && tstzrange($3, $4)
UNION ALL
SELECT 'shoot', employee_id, lower(during), upper(during) FROM shoot_staff
 WHERE employee_id = ANY($1) AND active AND during && tstzrange($3, $4)
UNION ALL
SELECT 'closure', room_id, starts_at, ends_at FROM time_off
 WHERE room_id = ANY($2) AND tstzrange(starts_at, ends_at) && tstzrange($3, $4)
UNION ALL
SELECT 'room_shoot', room_id, starts_at, ends_at FROM shoots
 WHERE room_id = ANY($2) AND active AND during && tstzrange($3, $4)";

#[async_trait]
impl ScheduleRepository for PgScheduleRepository {
    async fn staff(&self, id: EmployeeId) -> Result<Option<Staff>, InfraError> {
        let mut conn = pool::get(&self.pool).await?;
        let row: Option<(i64, i64, String, bool, Option<i64>)> = employees::table
            .find(id)
            .select((
                employees::id,
                employees::store_id,
                employees::position,
                employees::active,
                employees::user_id,
            ))
            .first(&mut conn)
            .await
            .optional()
            .map_err(from_diesel)?;
        row.map(|(id, store_id, raw, active, user_id)| {
            Ok(Staff {
                id,
                store_id,
                position: super::position(&raw)?,
                active,
                user_id,
            })
        })
        .transpose()
    }

    async fn working_week(&self, employee: EmployeeId) -> Result<WorkingWeek, InfraError> {
        let mut conn = pool::get(&self.pool).await?;
        let rows: Vec<(i16, NaiveTime, NaiveTime)> = working_hours::table
            .filter(working_hours::employee_id.eq(employee))
            .select((
                working_hours::weekday,
                working_hours::starts_at,
                working_hours::ends_at,
            ))
            .load(&mut conn)
            .await
            .map_err(from_diesel)?;
        week_of(rows)
    }

    async fn replace_working_week(
        &self,
        employee: EmployeeId,
        week: &WorkingWeek,
    ) -> Result<(), ScheduleStoreError> {
        let mut conn = pool::get(&self.pool).await?;
        let rows: Vec<_> = week
            .all_periods()
            .map(|(day, period)| {
                (
                    working_hours::employee_id.eq(employee),
                    working_hours::weekday.eq(iso(day)),
                    working_hours::starts_at.eq(period.start()),
                    working_hours::ends_at.eq(period.end()),
                )
            })
            .collect();
        conn.transaction::<_, TxError<ScheduleStoreError>, _>(async |conn| {
            // Locking the employee's row orders concurrent replacements of one week.
            let found: Option<i64> = employees::table
                .find(employee)
                .select(employees::id)
                .for_update()
                .first(conn)
                .await
                .optional()?;
            if found.is_none() {
                return Err(TxError::Rejected(ScheduleStoreError::UnknownEmployee));
            }
            diesel::delete(working_hours::table.filter(working_hours::employee_id.eq(employee)))
                .execute(conn)
                .await?;
            if !rows.is_empty() {
                diesel::insert_into(working_hours::table)
                    .values(&rows)
                    .execute(conn)
                    .await?;
            }
            Ok(())
        })
        .await
        .map_err(TxError::into_port)
    }

    async fn create_time_off(
        &self,
        terms: &TimeOffTerms,
        created_by: UserId,
    ) -> Result<TimeOff, ScheduleStoreError> {
        let mut conn = pool::get(&self.pool).await?;
        let row: TimeOffRow = diesel::insert_into(time_off::table)
            .values((
                time_off::employee_id.eq(terms.subject.employee()),
                time_off::room_id.eq(terms.subject.room()),
                time_off::starts_at.eq(terms.during.start()),
                time_off::ends_at.eq(terms.during.end()),
                time_off::reason.eq(&terms.reason),
                time_off::created_by.eq(created_by),
            ))
            .returning(TimeOffRow::as_returning())
            .get_result(&mut conn)
            .await
            .map_err(|error| match violated_constraint(&error) {
                Some("time_off_employee_id_fkey") => ScheduleStoreError::UnknownEmployee,
                Some("time_off_room_id_fkey") => ScheduleStoreError::UnknownRoom,
                _ => from_diesel(error).into(),
            })?;
        Ok(row.try_into()?)
    }

    async fn find_time_off(&self, id: TimeOffId) -> Result<Option<TimeOff>, InfraError> {
        let mut conn = pool::get(&self.pool).await?;
        let row: Option<TimeOffRow> = time_off::table
            .find(id)
            .select(TimeOffRow::as_select())
            .first(&mut conn)
            .await
            .optional()
            .map_err(from_diesel)?;
        row.map(TimeOff::try_from).transpose()
    }

    async fn list_time_off(
        &self,
        filter: &TimeOffFilter,
        page: &PageRequest<TimeOffId>,
    ) -> Result<Page<TimeOff>, InfraError> {
        let mut conn = pool::get(&self.pool).await?;
        let mut query = time_off::table
            .select(TimeOffRow::as_select())
            .order(time_off::id.desc())
            .limit(page.fetch())
            .into_boxed();
        if let Some(employee) = filter.employee_id {
            query = query.filter(time_off::employee_id.eq(employee));
        }
        if let Some(room) = filter.room_id {
            query = query.filter(time_off::room_id.eq(room));
        }
        if let Some(from) = filter.from {
            query = query.filter(time_off::ends_at.gt(from));
        }
        if let Some(to) = filter.to {
            query = query.filter(time_off::starts_at.lt(to));
        }
        if let Some(after) = page.after {
            query = query.filter(time_off::id.lt(after));
        }
        let rows: Vec<TimeOffRow> = query.load(&mut conn).await.map_err(from_diesel)?;
        let items = rows
            .into_iter()
            .map(TimeOff::try_from)
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Page::from_rows(items, page))
    }

    async fn delete_time_off(&self, id: TimeOffId) -> Result<(), ScheduleStoreError> {
        let mut conn = pool::get(&self.pool).await?;
        let deleted = diesel::delete(time_off::table.find(id))
            .execute(&mut conn)
            .await
            .map_err(from_diesel)?;
        if deleted == 0 {
            return Err(ScheduleStoreError::TimeOffNotFound);
        }
        Ok(())
    }

    async fn employee_time_off(
        &self,
        employee: EmployeeId,
        during: Interval,
    ) -> Result<Vec<TimeOff>, InfraError> {
        let mut conn = pool::get(&self.pool).await?;
        let rows: Vec<TimeOffRow> = time_off::table
            .filter(time_off::employee_id.eq(employee))
            .filter(time_off::starts_at.lt(during.end()))
            .filter(time_off::ends_at.gt(during.start()))
            .select(TimeOffRow::as_select())
            .order(time_off::starts_at)
            .load(&mut conn)
            .await
            .map_err(from_diesel)?;
        rows.into_iter().map(TimeOff::try_from).collect()
    }

    async fn calendars(
        &self,
        store: StoreId,
        candidates: Candidates,
        during: Interval,
    ) -> Result<StoreCalendars, InfraError> {
        let mut conn = pool::get(&self.pool).await?;
        let mut people = employees::table
            .filter(employees::store_id.eq(store))
            .filter(employees::active.eq(true))
            .select((
                employees::id,
                employees::position,
                employees::first_name,
                employees::last_name,
            ))
            .order(employees::id)
            .into_boxed();
        if let Some(wanted) = candidates.position {
            people = people.filter(employees::position.eq(wanted.as_str()));
        }
        if let Some(id) = candidates.employee_id {
            people = people.filter(employees::id.eq(id));
        }
        let people: Vec<(i64, String, String, String)> =
            people.load(&mut conn).await.map_err(from_diesel)?;
        let room_ids: Vec<i64> = rooms::table
            .filter(rooms::store_id.eq(store))
            .filter(rooms::active.eq(true))
            .select(rooms::id)
            .order(rooms::id)
            .load(&mut conn)
            .await
            .map_err(from_diesel)?;
        let people_ids: Vec<i64> = people.iter().map(|(id, ..)| *id).collect();

        let hours: Vec<(i64, i16, NaiveTime, NaiveTime)> = working_hours::table
            .filter(working_hours::employee_id.eq_any(&people_ids))
            .select((
                working_hours::employee_id,
                working_hours::weekday,
                working_hours::starts_at,
                working_hours::ends_at,
            ))
            .load(&mut conn)
            .await
            .map_err(from_diesel)?;
        let blocks: Vec<BlockRow> = diesel::sql_query(BLOCKS_SQL)
            .bind::<Array<BigInt>, _>(&people_ids)
            .bind::<Array<BigInt>, _>(&room_ids)
            .bind::<Timestamptz, _>(during.start())
            .bind::<Timestamptz, _>(during.end())
            .load(&mut conn)
            .await
            .map_err(from_diesel)?;

        let mut hours_of: HashMap<i64, Vec<(i16, NaiveTime, NaiveTime)>> = HashMap::new();
        for (employee, day, start, end) in hours {
            hours_of
                .entry(employee)
                .or_default()
                .push((day, start, end));
        }
        let mut employees: Vec<EmployeeCalendar> = Vec::with_capacity(people.len());
        let mut employee_at: HashMap<i64, usize> = HashMap::new();
        for (id, raw, first_name, last_name) in people {
            employee_at.insert(id, employees.len());
            employees.push(EmployeeCalendar {
                id,
                name: domain::studio::display_name(&first_name, &last_name),
                position: super::position(&raw)?,
                week: week_of(hours_of.remove(&id).unwrap_or_default())?,
                time_off: Vec::new(),
                busy: Vec::new(),
            });
        }
        let mut rooms: Vec<RoomCalendar> = room_ids
            .iter()
            .map(|&id| RoomCalendar {
                id,
                closures: Vec::new(),
                busy: Vec::new(),
            })
            .collect();
        let room_at: HashMap<i64, usize> = room_ids
            .iter()
            .enumerate()
            .map(|(i, &id)| (id, i))
            .collect();
        for block in blocks {
            let interval = stored("period", Interval::parse(block.starts_at, block.ends_at))?;
            let list = match block.kind.as_str() {
                "time_off" => employee_at
                    .get(&block.owner)
                    .map(|&i| &mut employees[i].time_off),
                "shoot" => employee_at
                    .get(&block.owner)
                    .map(|&i| &mut employees[i].busy),
                "closure" => room_at.get(&block.owner).map(|&i| &mut rooms[i].closures),
                _ => room_at.get(&block.owner).map(|&i| &mut rooms[i].busy),
            };
            if let Some(list) = list {
                list.push(interval);
            }
        }
        Ok(StoreCalendars { employees, rooms })
    }
}
