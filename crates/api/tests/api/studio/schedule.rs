//! Scheduling over HTTP: working hours, time off, and a store's free slots.

use chrono::{DateTime, Datelike, Days, NaiveDate, TimeDelta, Utc, Weekday};
use serde_json::{Value, json};
use testkit::{TestApp, TestUser, problem, spawn_app};

const TIME_OFF: &str = "/api/v1/studio/time-off";

fn hours_of(employee: i64) -> String {
    format!("/api/v1/studio/employees/{employee}/working-hours")
}

fn availability_of(store: &str) -> String {
    format!("/api/v1/studio/stores/{store}/availability")
}

/// Someone with `studio:schedule` (the front desk), signed in.
async fn scheduler(app: &TestApp) -> TestUser {
    app.new_user_with_role("desk", "front_desk").await
}

/// The rows the studio's people and rooms API will make; SQL until it exists, kept here alone.
mod rows {
    use testkit::TestApp;

    async fn last_id(app: &TestApp, table: &str) -> i64 {
        app.db
            .query_text(&format!("SELECT max(id) FROM {table}"))
            .await
            .unwrap()
            .parse()
            .unwrap()
    }

    /// A store `code` in `zone`, opened by a new seller; its id.
    pub async fn store(app: &TestApp, code: &str, zone: &str) -> i64 {
        let seller = app
            .new_user_with_role(&format!("owner-{code}"), "seller")
            .await;
        let response = app
            .post_json_as(
                &seller.token,
                "/api/v1/stores",
                &serde_json::json!({"code": code, "name": code, "time_zone": zone}),
            )
            .await;
        assert_eq!(response.status(), 201, "opening {code}");
        last_id(app, "stores").await
    }

    /// An active employee of the store, optionally linked to the account `username`.
    pub async fn employee(
        app: &TestApp,
        store: i64,
        position: &str,
        username: Option<&str>,
    ) -> i64 {
        let user = username.map_or("NULL".to_owned(), |name| {
            format!("(SELECT id FROM users WHERE username = '{name}')")
        });
        app.db
            .execute(&format!(
                "INSERT INTO employees (store_id, first_name, position, user_id)
                 VALUES ({store}, 'Staff', '{position}', {user})"
            ))
            .await;
        last_id(app, "employees").await
    }

    pub async fn room(app: &TestApp, store: i64, name: &str) -> i64 {
        app.db
            .execute(&format!(
                "INSERT INTO rooms (store_id, name) VALUES ({store}, '{name}')"
            ))
            .await;
        last_id(app, "rooms").await
    }

    /// A booked shoot of a new customer at the store, in `room`, with `staff`.
    pub async fn shoot(
        app: &TestApp,
        store: i64,
        room: Option<i64>,
        staff: &[i64],
        starts_at: &str,
        ends_at: &str,
    ) -> i64 {
        let room = room.map_or("NULL".to_owned(), |id| id.to_string());
        app.db
            .execute(&format!(
                "INSERT INTO customers (first_name, phone)
                 VALUES ('Client', '1' || lpad((SELECT count(*) FROM customers)::text, 9, '0'));
                 INSERT INTO shoots (customer_id, store_id, room_id, starts_at, ends_at)
                 VALUES ((SELECT max(id) FROM customers), {store}, {room}, '{starts_at}', '{ends_at}');"
            ))
            .await;
        let shoot = last_id(app, "shoots").await;
        for employee in staff {
            app.db
                .execute(&format!(
                    "INSERT INTO shoot_staff (shoot_id, employee_id, position, during, active)
                     SELECT id, {employee}, 'photographer', during, active FROM shoots WHERE id = {shoot}"
                ))
                .await;
        }
        shoot
    }
}

/// Sets the week of `employee` as `token`, expecting success.
async fn set_hours(app: &TestApp, token: &str, employee: i64, days: Value) {
    let response = app
        .put_json_as(token, &hours_of(employee), &json!({"days": days}))
        .await;
    let status = response.status();
    let body: Value = response.json().await.unwrap();
    assert_eq!(status, 200, "setting hours: {body}");
}

/// Every weekday from `start` to `end` with the breaks.
fn every_day(start: &str, end: &str, breaks: Value) -> Value {
    [
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
    ]
    .iter()
    .map(|day| json!({"weekday": day, "starts_at": start, "ends_at": end, "breaks": breaks}))
    .collect()
}

async fn slots(app: &TestApp, token: &str, store: &str, query: &[(&str, String)]) -> Vec<Value> {
    let response = app
        .send(
            app.request_as(token, reqwest::Method::GET, &availability_of(store))
                .query(query),
        )
        .await;
    let status = response.status();
    let body: Value = response.json().await.unwrap();
    assert_eq!(status, 200, "availability: {body}");
    body["slots"].as_array().unwrap().clone()
}

/// The local start times (`HH:MM`) of slots, with the people free for each.
fn starts(slots: &[Value]) -> Vec<(String, Vec<i64>)> {
    slots
        .iter()
        .map(|slot| {
            (
                slot["local_start"].as_str().unwrap()[11..].to_owned(),
                slot["employees"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|id| id.as_i64().unwrap())
                    .collect(),
            )
        })
        .collect()
}

fn day_query(day: NaiveDate, duration: i64, step: i64) -> Vec<(&'static str, String)> {
    vec![
        ("from", day.to_string()),
        ("to", day.to_string()),
        ("duration_minutes", duration.to_string()),
        ("step_minutes", step.to_string()),
    ]
}

#[tokio::test]
async fn a_week_with_breaks_is_set_replaced_and_read() {
    let app = spawn_app().await;
    let desk = scheduler(&app).await;
    let photographer = app.new_user_with_role("lens", "photographer").await;
    let store = rows::store(&app, "hours", "Asia/Shanghai").await;
    let own = rows::employee(&app, store, "photographer", Some("lens")).await;
    let other = rows::employee(&app, store, "photographer", None).await;

    let week = json!([
        {"weekday": "tuesday", "starts_at": "10:00", "ends_at": "19:00", "breaks": []},
        {"weekday": "monday", "starts_at": "09:00", "ends_at": "18:00",
         "breaks": [{"starts_at": "15:00", "ends_at": "15:15"}, {"starts_at": "12:00", "ends_at": "13:00"}]},
    ]);
    let response = app
        .put_json_as(&desk.token, &hours_of(own), &json!({"days": week}))
        .await;
    assert_eq!(response.status(), 200);
    let set: Value = response.json().await.unwrap();
    let expected = json!({"employee_id": own, "days": [
        {"weekday": "monday", "starts_at": "09:00", "ends_at": "18:00",
         "breaks": [{"starts_at": "12:00", "ends_at": "13:00"}, {"starts_at": "15:00", "ends_at": "15:15"}]},
        {"weekday": "tuesday", "starts_at": "10:00", "ends_at": "19:00", "breaks": []},
    ]});
    assert_eq!(set, expected);
    // Stored as the periods between the breaks.
    assert_eq!(
        app.db
            .query_text(&format!(
                "SELECT string_agg(weekday || ' ' || starts_at || '-' || ends_at, ', ' ORDER BY weekday, starts_at)
                 FROM working_hours WHERE employee_id = {own}"
            ))
            .await
            .unwrap(),
        "1 09:00:00-12:00:00, 1 13:00:00-15:00:00, 1 15:15:00-18:00:00, 2 10:00:00-19:00:00"
    );

    // The person reads their own; anyone's needs studio:schedule.
    let mine: Value = app
        .get_as(&photographer.token, &hours_of(own))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(mine, expected);
    problem::expect(
        app.get_as(&photographer.token, &hours_of(other)).await,
        404,
        "not_found",
    )
    .await;
    problem::expect(
        app.put_json_as(&photographer.token, &hours_of(own), &json!({"days": []}))
            .await,
        403,
        "forbidden",
    )
    .await;

    // A new week replaces the old one whole.
    set_hours(
        &app,
        &desk.token,
        own,
        json!([{"weekday": "sunday", "starts_at": "08:00", "ends_at": "12:00"}]),
    )
    .await;
    let got: Value = app
        .get_as(&desk.token, &hours_of(own))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        got["days"],
        json!([{"weekday": "sunday", "starts_at": "08:00", "ends_at": "12:00", "breaks": []}])
    );
    assert_eq!(app.db.count("working_hours").await, 1);
    let empty: Value = app
        .get_as(&desk.token, &hours_of(other))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(empty["days"], json!([]));
    problem::expect(
        app.put_json_as(&desk.token, &hours_of(999_999), &json!({"days": []}))
            .await,
        404,
        "not_found",
    )
    .await;
}

#[tokio::test]
async fn an_invalid_week_is_refused_by_field_and_changes_nothing() {
    let app = spawn_app().await;
    let desk = scheduler(&app).await;
    let store = rows::store(&app, "invalid", "Asia/Shanghai").await;
    let employee = rows::employee(&app, store, "photographer", None).await;
    set_hours(
        &app,
        &desk.token,
        employee,
        json!([{"weekday": "monday", "starts_at": "09:00", "ends_at": "18:00"}]),
    )
    .await;

    let response = app
        .put_json_as(
            &desk.token,
            &hours_of(employee),
            &json!({"days": [
                {"weekday": "tuesday", "starts_at": "9am", "ends_at": "18:00"},
                {"weekday": "wednesday", "starts_at": "09:00", "ends_at": "18:00",
                 "breaks": [{"starts_at": "08:00", "ends_at": "10:00"},
                            {"starts_at": "12:00", "ends_at": "13:00"},
                            {"starts_at": "12:30", "ends_at": "14:00"}]},
                {"weekday": "thursday", "starts_at": "18:00", "ends_at": "09:00"},
                {"weekday": "wednesday", "starts_at": "10:00", "ends_at": "11:00"},
            ]}),
        )
        .await;
    let body = problem::expect(response, 422, "validation_failed").await;
    let fields: Vec<&str> = body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["days[0].starts_at"], "times are checked first");

    let response = app
        .put_json_as(
            &desk.token,
            &hours_of(employee),
            &json!({"days": [
                {"weekday": "wednesday", "starts_at": "09:00", "ends_at": "18:00",
                 "breaks": [{"starts_at": "08:00", "ends_at": "10:00"},
                            {"starts_at": "12:00", "ends_at": "13:00"},
                            {"starts_at": "12:30", "ends_at": "14:00"}]},
                {"weekday": "thursday", "starts_at": "18:00", "ends_at": "09:00"},
                {"weekday": "wednesday", "starts_at": "10:00", "ends_at": "11:00"},
            ]}),
        )
        .await;
    let body = problem::expect(response, 422, "validation_failed").await;
    let fields: Vec<&str> = body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert_eq!(
        fields,
        [
            "days[0].breaks[0]",
            "days[0].breaks[2]",
            "days[1].ends_at",
            "days[2].weekday"
        ]
    );

    let got: Value = app
        .get_as(&desk.token, &hours_of(employee))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        got["days"],
        json!([{"weekday": "monday", "starts_at": "09:00", "ends_at": "18:00", "breaks": []}])
    );
}

#[tokio::test]
async fn time_off_is_recorded_listed_and_deleted() {
    let app = spawn_app().await;
    let desk = scheduler(&app).await;
    let store = rows::store(&app, "leave", "Asia/Shanghai").await;
    let employee = rows::employee(&app, store, "photographer", None).await;
    let room = rows::room(&app, store, "Garden").await;

    let response = app
        .post_json_as(
            &desk.token,
            TIME_OFF,
            &json!({"employee_id": employee, "starts_at": "2030-03-09T00:00:00Z",
                    "ends_at": "2030-03-12T00:00:00Z", "reason": " Annual leave "}),
        )
        .await;
    assert_eq!(response.status(), 201);
    let location = response.headers()["location"].to_str().unwrap().to_owned();
    let leave: Value = response.json().await.unwrap();
    assert_eq!(location, format!("{TIME_OFF}/{}", leave["id"]));
    assert_eq!(leave["employee_id"], employee);
    assert_eq!(leave["room_id"], Value::Null);
    assert_eq!(leave["starts_at"], "2030-03-09T00:00:00Z");
    assert_eq!(leave["reason"], "Annual leave");

    let response = app
        .post_json_as(
            &desk.token,
            TIME_OFF,
            &json!({"room_id": room, "starts_at": "2030-04-01T00:00:00Z",
                    "ends_at": "2030-04-02T00:00:00Z"}),
        )
        .await;
    assert_eq!(response.status(), 201);
    let closure: Value = response.json().await.unwrap();
    assert_eq!(closure["room_id"], room);

    for (body, field) in [
        (
            json!({"employee_id": employee, "room_id": room,
                   "starts_at": "2030-03-09T00:00:00Z", "ends_at": "2030-03-10T00:00:00Z"}),
            "employee_id",
        ),
        (
            json!({"starts_at": "2030-03-09T00:00:00Z", "ends_at": "2030-03-10T00:00:00Z"}),
            "employee_id",
        ),
        (
            json!({"employee_id": employee,
                   "starts_at": "2030-03-09T00:00:00Z", "ends_at": "2030-03-09T00:00:00Z"}),
            "ends_at",
        ),
        (
            json!({"employee_id": 999_999,
                   "starts_at": "2030-03-09T00:00:00Z", "ends_at": "2030-03-10T00:00:00Z"}),
            "employee_id",
        ),
        (
            json!({"room_id": 999_999,
                   "starts_at": "2030-03-09T00:00:00Z", "ends_at": "2030-03-10T00:00:00Z"}),
            "room_id",
        ),
    ] {
        let body = problem::expect(
            app.post_json_as(&desk.token, TIME_OFF, &body).await,
            422,
            "validation_failed",
        )
        .await;
        assert_eq!(body["errors"][0]["field"], field, "{body}");
    }
    assert_eq!(app.db.count("time_off").await, 2);

    let list = |query: &'static str| {
        let app = &app;
        let token = desk.token.clone();
        async move {
            let body: Value = app
                .get_as(&token, &format!("{TIME_OFF}{query}"))
                .await
                .json()
                .await
                .unwrap();
            body["items"]
                .as_array()
                .unwrap()
                .iter()
                .map(|item| item["id"].as_i64().unwrap())
                .collect::<Vec<_>>()
        }
    };
    let (leave_id, closure_id) = (
        leave["id"].as_i64().unwrap(),
        closure["id"].as_i64().unwrap(),
    );
    assert_eq!(list("").await, [closure_id, leave_id]);
    assert_eq!(
        app.get_as(&desk.token, &format!("{TIME_OFF}?employee_id={employee}"))
            .await
            .json::<Value>()
            .await
            .unwrap()["items"][0]["id"],
        leave_id
    );
    assert_eq!(
        list("?from=2030-03-31T00:00:00Z&to=2030-05-01T00:00:00Z").await,
        [closure_id]
    );
    assert_eq!(
        list("?from=2030-03-11T23:00:00Z&to=2030-03-12T00:00:00Z").await,
        [leave_id]
    );

    let got: Value = app
        .get_as(&desk.token, &location)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(got, leave);
    assert_eq!(app.delete_as(&desk.token, &location).await.status(), 204);
    problem::expect(app.get_as(&desk.token, &location).await, 404, "not_found").await;
    problem::expect(
        app.delete_as(&desk.token, &location).await,
        404,
        "not_found",
    )
    .await;
    assert_eq!(list("").await, [closure_id]);
}

/// A day some days ahead in Shanghai (no daylight saving), and 09:00 of it as an instant.
fn shanghai_day(ahead: u64) -> (NaiveDate, DateTime<Utc>) {
    let today = (Utc::now() + TimeDelta::hours(8)).date_naive();
    let day = today.checked_add_days(Days::new(ahead)).unwrap();
    (day, day.and_hms_opt(1, 0, 0).unwrap().and_utc())
}

#[tokio::test]
async fn slots_leave_out_breaks_time_off_shoots_with_their_buffers_and_closed_rooms() {
    let app = spawn_app().await;
    let desk = scheduler(&app).await;
    let store = rows::store(&app, "slots", "Asia/Shanghai").await;
    let (ann, bo, cy) = (
        rows::employee(&app, store, "photographer", None).await,
        rows::employee(&app, store, "photographer", None).await,
        rows::employee(&app, store, "makeup_artist", None).await,
    );
    let gone = rows::employee(&app, store, "photographer", None).await;
    let room = rows::room(&app, store, "Garden").await;
    let day_hours = every_day(
        "09:00",
        "18:00",
        json!([{"starts_at": "12:00", "ends_at": "13:00"}]),
    );
    for employee in [ann, bo, cy, gone] {
        set_hours(&app, &desk.token, employee, day_hours.clone()).await;
    }
    app.db
        .execute(&format!(
            "UPDATE employees SET active = false WHERE id = {gone}"
        ))
        .await;
    let (day, nine) = shanghai_day(10);
    let at = |hours: i64| (nine + TimeDelta::hours(hours)).to_rfc3339();
    // Ann is off 10:00–11:00; Bo shoots 14:00–15:00 (in no room); the room is closed 16:00–17:00.
    let response = app
        .post_json_as(
            &desk.token,
            TIME_OFF,
            &json!({"employee_id": ann, "starts_at": at(1), "ends_at": at(2)}),
        )
        .await;
    assert_eq!(response.status(), 201);
    rows::shoot(&app, store, None, &[bo], &at(5), &at(6)).await;
    let response = app
        .post_json_as(
            &desk.token,
            TIME_OFF,
            &json!({"room_id": room, "starts_at": at(7), "ends_at": at(8)}),
        )
        .await;
    assert_eq!(response.status(), 201);

    let mut query = day_query(day, 60, 60);
    query.push(("buffer_after_minutes", "30".to_owned()));
    query.push(("buffer_before_minutes", "30".to_owned()));
    let found = slots(&app, &desk.token, "slots", &query).await;
    let s = |t: &str, ids: &[i64]| (t.to_owned(), ids.to_vec());
    assert_eq!(
        starts(&found),
        [
            s("09:00", &[ann, bo, cy]),
            s("10:00", &[bo, cy]),
            s("11:00", &[ann, bo, cy]),
            // 12:00 is lunch; Bo's shoot at 14:00 keeps him from 13:00 (30 minutes after the
            // slot) and 15:00 (30 minutes before); 16:00 the only room is closed.
            s("13:00", &[ann, cy]),
            s("14:00", &[ann, cy]),
            s("15:00", &[ann, cy]),
            s("17:00", &[ann, bo, cy]),
        ]
    );
    assert_eq!(found[0]["starts_at"], json!(at(0).replace("+00:00", "Z")));
    assert_eq!(found[0]["ends_at"], json!(at(1).replace("+00:00", "Z")));
    assert_eq!(found[0]["local_start"], format!("{day}T09:00"));
    assert_eq!(found[0]["rooms"], json!([room]));

    // A shoot in the room takes it too (and with no buffers asked, 15:00 is free for Bo).
    rows::shoot(&app, store, Some(room), &[], &at(8), &at(9)).await;
    let found = slots(&app, &desk.token, "slots", &day_query(day, 60, 60)).await;
    assert_eq!(
        starts(&found).last().unwrap(),
        &s("15:00", &[ann, bo, cy]),
        "17:00 is taken by the room's shoot"
    );

    // By position, and by person.
    let mut query = day_query(day, 60, 60);
    query.push(("position", "makeup_artist".to_owned()));
    let found = slots(&app, &desk.token, "slots", &query).await;
    assert!(starts(&found).iter().all(|(_, ids)| ids == &[cy]));
    assert_eq!(found.len(), 6);
    let mut query = day_query(day, 60, 60);
    query.push(("employee_id", ann.to_string()));
    let found = slots(&app, &desk.token, "slots", &query).await;
    let times: Vec<String> = starts(&found).into_iter().map(|(t, _)| t).collect();
    assert_eq!(times, ["09:00", "11:00", "13:00", "14:00", "15:00"]);

    // Whoever shoots may look too.
    let lens = app.new_user_with_role("lens", "photographer").await;
    assert_eq!(
        slots(&app, &lens.token, "slots", &day_query(day, 60, 60))
            .await
            .len(),
        6
    );
    let customer = app.new_user("client").await;
    problem::expect(
        app.get_as(&customer.token, &availability_of("slots")).await,
        403,
        "forbidden",
    )
    .await;
}

/// The next day, from the day after tomorrow on, when New York's clocks spring forward: the
/// second Sunday of March (US rule since 2007).
fn next_spring_forward() -> NaiveDate {
    let earliest = Utc::now().date_naive() + TimeDelta::days(2);
    (earliest.year()..)
        .map(|year| NaiveDate::from_weekday_of_month_opt(year, 3, Weekday::Sun, 2).unwrap())
        .find(|day| *day >= earliest)
        .unwrap()
}

#[tokio::test]
async fn on_the_day_the_clocks_spring_forward_slots_are_the_right_instants() {
    let app = spawn_app().await;
    let desk = scheduler(&app).await;
    let store = rows::store(&app, "nyc", "America/New_York").await;
    let night_owl = rows::employee(&app, store, "photographer", None).await;
    let sunday = next_spring_forward();
    assert_eq!(sunday.weekday(), Weekday::Sun);
    set_hours(
        &app,
        &desk.token,
        night_owl,
        json!([
            {"weekday": "saturday", "starts_at": "09:00", "ends_at": "10:00"},
            {"weekday": "sunday", "starts_at": "00:00", "ends_at": "10:00",
             "breaks": [{"starts_at": "04:00", "ends_at": "09:00"}]},
        ]),
    )
    .await;

    let saturday = sunday - TimeDelta::days(1);
    let found = slots(
        &app,
        &desk.token,
        "nyc",
        &[
            ("from", saturday.to_string()),
            ("to", sunday.to_string()),
            ("duration_minutes", "30".to_owned()),
        ],
    )
    .await;
    let pairs: Vec<(String, String)> = found
        .iter()
        .map(|slot| {
            (
                slot["local_start"].as_str().unwrap().to_owned(),
                slot["starts_at"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    let (sat, sun) = (saturday.to_string(), sunday.to_string());
    let pair = |local: String, utc: String| (local, utc);
    assert_eq!(
        pairs,
        [
            // Saturday: EST, five hours behind.
            pair(format!("{sat}T09:00"), format!("{sat}T14:00:00Z")),
            pair(format!("{sat}T09:30"), format!("{sat}T14:30:00Z")),
            // Sunday: 02:00 and 02:30 do not exist; from 03:00 it is EDT, four hours behind.
            pair(format!("{sun}T00:00"), format!("{sun}T05:00:00Z")),
            pair(format!("{sun}T00:30"), format!("{sun}T05:30:00Z")),
            pair(format!("{sun}T01:00"), format!("{sun}T06:00:00Z")),
            pair(format!("{sun}T01:30"), format!("{sun}T06:30:00Z")),
            pair(format!("{sun}T03:00"), format!("{sun}T07:00:00Z")),
            pair(format!("{sun}T03:30"), format!("{sun}T07:30:00Z")),
            pair(format!("{sun}T09:00"), format!("{sun}T13:00:00Z")),
            pair(format!("{sun}T09:30"), format!("{sun}T13:30:00Z")),
        ]
    );
    let body: Value = app
        .get_as(
            &desk.token,
            &format!(
                "{}?from={sun}&to={sun}&duration_minutes=30",
                availability_of("nyc")
            ),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(body["store"], "nyc");
    assert_eq!(body["time_zone"], "America/New_York");
}

#[tokio::test]
async fn no_slot_starts_in_the_past() {
    let app = spawn_app().await;
    let desk = scheduler(&app).await;
    let store = rows::store(&app, "now", "Asia/Shanghai").await;
    let employee = rows::employee(&app, store, "photographer", None).await;
    set_hours(
        &app,
        &desk.token,
        employee,
        every_day("00:00", "23:59", json!([])),
    )
    .await;
    let (today, _) = shanghai_day(0);
    let tomorrow = today + TimeDelta::days(1);
    let query = [
        ("from", today.to_string()),
        ("to", tomorrow.to_string()),
        ("duration_minutes", "5".to_owned()),
        ("step_minutes", "60".to_owned()),
    ];

    let before = Utc::now();
    let found = slots(&app, &desk.token, "now", &query).await;
    assert!(found.iter().all(|slot| {
        slot["starts_at"]
            .as_str()
            .unwrap()
            .parse::<DateTime<Utc>>()
            .unwrap()
            >= before - TimeDelta::seconds(1)
    }));
    assert!(found.iter().any(|slot| {
        slot["local_start"]
            .as_str()
            .unwrap()
            .starts_with(&tomorrow.to_string())
    }));

    app.clock.advance(TimeDelta::days(1));
    let later = Utc::now() + TimeDelta::days(1);
    let found = slots(&app, &desk.token, "now", &query).await;
    assert!(!found.is_empty());
    assert!(found.iter().all(|slot| {
        slot["local_start"]
            .as_str()
            .unwrap()
            .starts_with(&tomorrow.to_string())
            && slot["starts_at"]
                .as_str()
                .unwrap()
                .parse::<DateTime<Utc>>()
                .unwrap()
                >= later - TimeDelta::seconds(1)
    }));
}

#[tokio::test]
async fn a_bad_search_is_refused_by_field_and_an_unknown_store_is_not_found() {
    let app = spawn_app().await;
    let desk = scheduler(&app).await;
    rows::store(&app, "asked", "Asia/Shanghai").await;
    let path = availability_of("asked");
    let body = problem::expect(
        app.get_as(
            &desk.token,
            &format!(
                "{path}?from=2030-01-10&to=2030-01-09&duration_minutes=0&step_minutes=4&position=janitor"
            ),
        )
        .await,
        422,
        "validation_failed",
    )
    .await;
    let fields: Vec<&str> = body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert_eq!(
        fields,
        ["duration_minutes", "position", "step_minutes", "to"]
    );
    problem::expect(
        app.get_as(
            &desk.token,
            &format!("{path}?from=2030-01-01&to=2030-03-04&duration_minutes=60"),
        )
        .await,
        422,
        "validation_failed",
    )
    .await;
    let response = app
        .get_as(
            &desk.token,
            &format!("{path}?from=2030-01-01&to=2030-01-02"),
        )
        .await;
    assert_eq!(response.status(), 400, "duration_minutes is required");
    problem::expect(
        app.get_as(
            &desk.token,
            &format!(
                "{}?from=2030-01-01&to=2030-01-02&duration_minutes=60",
                availability_of("nowhere")
            ),
        )
        .await,
        404,
        "not_found",
    )
    .await;
}
