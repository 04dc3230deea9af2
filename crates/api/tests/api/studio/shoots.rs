//! Shoots: booked by the front desk without double booking anyone or any room (also when
//! bookings race), rescheduled, moved through their stages by the right people, the customer's
//! selection charged on the package order, and the store's board in its own time zone.

use chrono::{DateTime, NaiveDate, TimeDelta, Utc};
use futures::future::join_all;
use ports::clock::Clock as _;
use reqwest::Response;
use serde_json::{Value, json};
use testkit::{TestApp, TestUser, problem, spawn_app_with};

use super::{
    CUSTOMERS, EMPLOYEES, PACKAGES, ROOMS, SHOOTS, created, fetched, package_terms, patched,
    product_of_kind, store,
};

const ORDERS: &str = "/api/v1/orders";

/// A studio with the store `main`, its front desk and its manager; shoots are booked on `day`.
pub(super) struct Studio {
    pub(super) app: TestApp,
    pub(super) desk: TestUser,
    pub(super) manager: TestUser,
    /// Midnight (UTC) two days from now.
    pub(super) day: DateTime<Utc>,
}

impl Studio {
    pub(super) async fn new() -> Self {
        // No sweeper: the clock moves in these tests, and orders are kept by their deposits.
        let app = spawn_app_with(|config| config.expiry_sweep_ms = 0).await;
        // In UTC, so that a shoot's minutes after midnight are its local time.
        let admin = app.admin_token().await;
        created(
            &app,
            &admin,
            "/api/v1/stores",
            json!({"code": "main", "name": "Main", "time_zone": "UTC"}),
        )
        .await;
        let desk = app.new_user_with_role("desk", "front_desk").await;
        let manager = app.new_user_with_role("boss", "manager").await;
        let day = (app.clock.now() + TimeDelta::days(2))
            .date_naive()
            .and_hms_opt(0, 0, 0)
            .unwrap()
            .and_utc();
        Self {
            app,
            desk,
            manager,
            day,
        }
    }

    /// `minutes` after midnight of the shoots' day.
    pub(super) fn at(&self, minutes: i64) -> DateTime<Utc> {
        self.day + TimeDelta::minutes(minutes)
    }

    /// Moves the server's clock forward to `when`.
    pub(super) fn advance_to(&self, when: DateTime<Utc>) {
        let now = self.app.clock.now();
        assert!(when > now, "the clock only moves forward");
        self.app.clock.advance(when - now);
    }

    /// An employee of `store`, hired by the manager, maybe linked to the account `account`,
    /// working every day from 00:00 to 23:59.
    pub(super) async fn employee(
        &self,
        store: &str,
        name: &str,
        position: &str,
        account: Option<&str>,
    ) -> i64 {
        let body = created(
            &self.app,
            &self.manager.token,
            EMPLOYEES,
            json!({"store": store, "first_name": name, "position": position,
                   "account": account}),
        )
        .await;
        let id = body["id"].as_i64().unwrap();
        self.set_hours(id, "00:00", "23:59").await;
        id
    }

    /// Sets the employee's working hours: every day from `start` to `end`, no breaks.
    pub(super) async fn set_hours(&self, employee: i64, start: &str, end: &str) {
        let days: Vec<Value> = [
            "monday",
            "tuesday",
            "wednesday",
            "thursday",
            "friday",
            "saturday",
            "sunday",
        ]
        .iter()
        .map(|day| json!({"weekday": day, "starts_at": start, "ends_at": end, "breaks": []}))
        .collect();
        let response = self
            .app
            .put_json_as(
                &self.manager.token,
                &format!("{EMPLOYEES}/{employee}/working-hours"),
                &json!({ "days": days }),
            )
            .await;
        assert_eq!(response.status(), 200, "{}", response.text().await.unwrap());
    }

    /// A customer, maybe linked to the account `account`.
    pub(super) async fn customer_of(&self, name: &str, account: Option<&str>) -> i64 {
        let body = created(
            &self.app,
            &self.desk.token,
            CUSTOMERS,
            json!({"first_name": name, "email": format!("{name}@customers.example"),
                   "account": account}),
        )
        .await;
        body["id"].as_i64().unwrap()
    }

    pub(super) async fn customer(&self, name: &str) -> i64 {
        self.customer_of(name, None).await
    }

    pub(super) async fn room(&self, store: &str, name: &str) -> i64 {
        let body = created(
            &self.app,
            &self.desk.token,
            ROOMS,
            json!({"store": store, "name": name}),
        )
        .await;
        body["id"].as_i64().unwrap()
    }

    /// Books `body` as the front desk.
    pub(super) async fn book(&self, body: &Value) -> Response {
        self.app.post_json_as(&self.desk.token, SHOOTS, body).await
    }

    /// Books `body` as the front desk, expecting 201; the shoot.
    pub(super) async fn booked(&self, body: Value) -> Value {
        created(&self.app, &self.desk.token, SHOOTS, body).await
    }

    /// The shoot `id` with its events, as the front desk sees it.
    pub(super) async fn shoot(&self, id: i64) -> Value {
        fetched(&self.app, &self.desk.token, &shoot_path(id)).await
    }

    pub(super) async fn move_as(&self, token: &str, id: i64, stage: &str) -> Response {
        self.app
            .post_json_as(
                token,
                &format!("{}/stage", shoot_path(id)),
                &json!({"stage": stage}),
            )
            .await
    }

    /// Moves the shoot to `stage` as `token`, expecting 200; the shoot with its events.
    pub(super) async fn moved_as(&self, token: &str, id: i64, stage: &str) -> Value {
        let response = self.move_as(token, id, stage).await;
        let status = response.status();
        let body: Value = response.json().await.unwrap();
        assert_eq!(status, 200, "moving shoot {id} to {stage}: {body}");
        assert_eq!(body["stage"], stage);
        body
    }

    pub(super) async fn moved(&self, id: i64, stage: &str) -> Value {
        self.moved_as(&self.desk.token, id, stage).await
    }

    pub(super) async fn select_as(&self, token: &str, id: i64, photos: i64) -> Response {
        self.app
            .put_json_as(
                token,
                &format!("{}/selection", shoot_path(id)),
                &json!({"photos": photos}),
            )
            .await
    }

    pub(super) async fn selected(&self, id: i64, photos: i64) -> Value {
        let response = self.select_as(&self.desk.token, id, photos).await;
        let status = response.status();
        let body: Value = response.json().await.unwrap();
        assert_eq!(status, 200, "selecting {photos} for shoot {id}: {body}");
        body
    }

    pub(super) async fn shoots(&self) -> i64 {
        self.app.db.count("shoots").await
    }
}

fn shoot_path(id: i64) -> String {
    format!("{SHOOTS}/{id}")
}

/// A booking at `main` of `staff` (each in their own position) and maybe a room.
fn booking(
    customer: i64,
    starts_at: DateTime<Utc>,
    ends_at: DateTime<Utc>,
    staff: &[i64],
    room: Option<i64>,
) -> Value {
    json!({
        "customer_id": customer,
        "store": "main",
        "starts_at": starts_at,
        "ends_at": ends_at,
        "staff": staff.iter().map(|id| json!({"employee_id": id})).collect::<Vec<_>>(),
        "room_id": room,
    })
}

pub(super) fn id(body: &Value) -> i64 {
    body["id"].as_i64().unwrap()
}

fn time(value: &Value) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(value.as_str().unwrap())
        .unwrap()
        .to_utc()
}

/// The `employee_id`s of a shoot's people.
fn staff_ids(shoot: &Value) -> Vec<i64> {
    shoot["staff"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["employee_id"].as_i64().unwrap())
        .collect()
}

/// A shoot's events as (kind, from, to, actor).
fn events(shoot: &Value) -> Vec<(String, Value, Value, Value)> {
    shoot["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["kind"].as_str().unwrap().to_owned(),
                e["from_stage"].clone(),
                e["to_stage"].clone(),
                e["actor"].clone(),
            )
        })
        .collect()
}

/// Expects a 409 `booking_conflict` naming `kind` `resource` and the shoot `clashing`.
async fn expect_clash(response: Response, kind: &str, resource: i64, clashing: i64) {
    let body = problem::expect(response, 409, "booking_conflict").await;
    assert_eq!(
        body["resource"],
        json!({"kind": kind, "id": resource}),
        "{body}"
    );
    assert_eq!(body["clashing_shoot"], clashing, "{body}");
}

#[tokio::test]
async fn the_front_desk_books_a_shoot_with_its_people_and_room() {
    let studio = Studio::new().await;
    let photographer = studio.employee("main", "Wei", "photographer", None).await;
    let makeup = studio.employee("main", "Fang", "makeup_artist", None).await;
    let room = studio.room("main", "Forest").await;
    let customer = studio.customer("Lan").await;

    let response = studio
        .book(&json!({
            "customer_id": customer, "store": "main",
            "starts_at": studio.at(600), "ends_at": studio.at(720),
            "staff": [{"employee_id": photographer},
                      {"employee_id": makeup, "position": "makeup_artist"}],
            "room_id": room, "notes": "Outdoor look first",
        }))
        .await;
    assert_eq!(response.status(), 201);
    let location = response.headers()["location"].to_str().unwrap().to_owned();
    let shoot: Value = response.json().await.unwrap();
    assert_eq!(location, shoot_path(id(&shoot)));
    assert_eq!(shoot["stage"], "booked");
    assert_eq!(shoot["store"], "main");
    assert_eq!(shoot["customer"], json!({"id": customer, "name": "Lan"}));
    assert_eq!(shoot["room"], json!({"id": room, "name": "Forest"}));
    assert_eq!(
        shoot["staff"],
        json!([
            {"employee_id": photographer, "name": "Wei", "position": "photographer"},
            {"employee_id": makeup, "name": "Fang", "position": "makeup_artist"},
        ])
    );
    assert_eq!(time(&shoot["starts_at"]), studio.at(600));
    assert_eq!(time(&shoot["ends_at"]), studio.at(720));
    assert_eq!(shoot["notes"], "Outdoor look first");
    assert_eq!(shoot["order"], Value::Null);
    assert_eq!(shoot["package"], Value::Null);
    assert_eq!(shoot["extra_photos"], 0);

    let detail = fetched(&studio.app, &studio.desk.token, &location).await;
    assert_eq!(detail["staff"], shoot["staff"]);
    assert_eq!(
        events(&detail),
        [(
            "booked".to_owned(),
            Value::Null,
            json!("booked"),
            json!("desk")
        )]
    );

    // A length instead of an end.
    let other = studio.customer("Mei").await;
    let shoot = studio
        .booked(json!({
            "customer_id": other, "store": "main", "starts_at": studio.at(900),
            "duration_minutes": 90, "staff": [{"employee_id": photographer}],
        }))
        .await;
    assert_eq!(time(&shoot["ends_at"]), studio.at(990));
    assert_eq!(shoot["room"], Value::Null);
    assert_eq!(studio.shoots().await, 2);
}

#[tokio::test]
async fn invalid_bookings_are_refused_and_book_nothing() {
    let studio = Studio::new().await;
    store(&studio.app, "east").await;
    let photographer = studio.employee("main", "Wei", "photographer", None).await;
    let retired = studio.employee("main", "Old", "photographer", None).await;
    patched(
        &studio.app,
        &studio.manager.token,
        &format!("{EMPLOYEES}/{retired}"),
        json!({"active": false}),
    )
    .await;
    let elsewhere = studio.employee("east", "Far", "photographer", None).await;
    let room = studio.room("main", "Forest").await;
    let east_room = studio.room("east", "Sea").await;
    let customer = studio.customer("Lan").await;
    let (start, end) = (studio.at(600), studio.at(720));
    let good = booking(customer, start, end, &[photographer], Some(room));

    let refused = |change: Value, fields: &'static [&'static str]| {
        let studio = &studio;
        let mut body = good.clone();
        for (key, value) in change.as_object().unwrap() {
            if value.is_null() {
                body.as_object_mut().unwrap().remove(key);
            } else {
                body[key] = value.clone();
            }
        }
        async move {
            let answer = problem::expect(studio.book(&body).await, 422, "validation_failed").await;
            assert_eq!(problem::fields(&answer), fields, "{body}: {answer}");
            assert_eq!(studio.shoots().await, 0, "{body}");
        }
    };
    refused(json!({"customer_id": customer + 1000}), &["customer_id"]).await;
    refused(json!({"store": "nowhere"}), &["store"]).await;
    refused(json!({"staff": [{"employee_id": elsewhere}]}), &["staff"]).await;
    refused(json!({"staff": [{"employee_id": retired}]}), &["staff"]).await;
    refused(
        json!({"staff": [{"employee_id": photographer + 1000}]}),
        &["staff"],
    )
    .await;
    refused(json!({"staff": []}), &["staff"]).await;
    refused(
        json!({"staff": [{"employee_id": photographer}, {"employee_id": photographer}]}),
        &["staff"],
    )
    .await;
    refused(
        json!({"staff": [{"employee_id": photographer, "position": "pilot"}]}),
        &["staff[0].position"],
    )
    .await;
    refused(json!({"room_id": east_room}), &["room_id"]).await;
    let past = studio.app.clock.now() - TimeDelta::hours(1);
    refused(
        json!({"starts_at": past, "ends_at": past + TimeDelta::hours(2)}),
        &["starts_at"],
    )
    .await;
    refused(json!({"ends_at": null}), &["ends_at"]).await;
    refused(
        json!({"ends_at": start - TimeDelta::minutes(1)}),
        &["ends_at"],
    )
    .await;
    refused(json!({"ends_at": start}), &["ends_at"]).await;
    refused(
        json!({"ends_at": start + TimeDelta::hours(16) + TimeDelta::minutes(1)}),
        &["ends_at"],
    )
    .await;
    refused(json!({"order": "NO-SUCH-ORDER"}), &["order"]).await;
    assert_eq!(studio.app.db.count("shoot_staff").await, 0);
    assert_eq!(studio.app.db.count("shoot_events").await, 0);

    // The same booking, valid, is taken.
    studio.booked(good).await;
    assert_eq!(studio.shoots().await, 1);
}

#[tokio::test]
async fn people_and_rooms_are_never_double_booked() {
    let studio = Studio::new().await;
    let wei = studio.employee("main", "Wei", "photographer", None).await;
    let ming = studio.employee("main", "Ming", "photographer", None).await;
    let forest = studio.room("main", "Forest").await;
    let sea = studio.room("main", "Sea").await;
    let customers = [
        studio.customer("A").await,
        studio.customer("B").await,
        studio.customer("C").await,
        studio.customer("D").await,
    ];

    // 10:00-12:00, Wei in Forest.
    let first = studio
        .booked(booking(
            customers[0],
            studio.at(600),
            studio.at(720),
            &[wei],
            Some(forest),
        ))
        .await;
    let first = id(&first);

    // Wei again, overlapping by an hour, in another room.
    expect_clash(
        studio
            .book(&booking(
                customers[1],
                studio.at(660),
                studio.at(780),
                &[wei],
                Some(sea),
            ))
            .await,
        "employee",
        wei,
        first,
    )
    .await;
    // Inside it, and around it.
    expect_clash(
        studio
            .book(&booking(
                customers[1],
                studio.at(630),
                studio.at(640),
                &[ming, wei],
                None,
            ))
            .await,
        "employee",
        wei,
        first,
    )
    .await;
    expect_clash(
        studio
            .book(&booking(
                customers[1],
                studio.at(540),
                studio.at(780),
                &[wei],
                None,
            ))
            .await,
        "employee",
        wei,
        first,
    )
    .await;
    // Forest again, with someone else.
    expect_clash(
        studio
            .book(&booking(
                customers[1],
                studio.at(700),
                studio.at(800),
                &[ming],
                Some(forest),
            ))
            .await,
        "room",
        forest,
        first,
    )
    .await;
    assert_eq!(studio.shoots().await, 1);

    // Back to back: the end is the next start.
    studio
        .booked(booking(
            customers[1],
            studio.at(720),
            studio.at(780),
            &[wei],
            Some(forest),
        ))
        .await;
    studio
        .booked(booking(
            customers[2],
            studio.at(540),
            studio.at(600),
            &[wei],
            Some(forest),
        ))
        .await;
    // Someone else, elsewhere, at the same time.
    studio
        .booked(booking(
            customers[3],
            studio.at(600),
            studio.at(720),
            &[ming],
            Some(sea),
        ))
        .await;
    assert_eq!(studio.shoots().await, 4);

    // A cancelled shoot frees its people and its room.
    let again = booking(
        customers[1],
        studio.at(600),
        studio.at(660),
        &[wei],
        Some(forest),
    );
    // The room is checked first, as the shoot is written before its people.
    expect_clash(studio.book(&again).await, "room", forest, first).await;
    let cancelled = studio.moved(first, "cancelled").await;
    assert_eq!(cancelled["stage"], "cancelled");
    studio.booked(again).await;
    assert_eq!(studio.shoots().await, 5);
}

#[tokio::test]
async fn a_person_is_booked_once_whatever_they_do_in_the_shoot() {
    let studio = Studio::new().await;
    let fang = studio.employee("main", "Fang", "makeup_artist", None).await;
    let wei = studio.employee("main", "Wei", "photographer", None).await;
    let (a, b) = (studio.customer("A").await, studio.customer("B").await);

    let first = studio
        .booked(json!({
            "customer_id": a, "store": "main", "starts_at": studio.at(600),
            "ends_at": studio.at(720),
            "staff": [{"employee_id": wei}, {"employee_id": fang}],
        }))
        .await;
    assert_eq!(
        first["staff"],
        json!([
            {"employee_id": fang, "name": "Fang", "position": "makeup_artist"},
            {"employee_id": wei, "name": "Wei", "position": "photographer"},
        ])
    );
    // Fang as the photographer of another shoot at the same time.
    expect_clash(
        studio
            .book(&json!({
                "customer_id": b, "store": "main", "starts_at": studio.at(690),
                "ends_at": studio.at(750),
                "staff": [{"employee_id": fang, "position": "photographer"}],
            }))
            .await,
        "employee",
        fang,
        id(&first),
    )
    .await;
    assert_eq!(studio.shoots().await, 1);
}

#[tokio::test]
async fn of_twenty_concurrent_bookings_of_one_photographer_exactly_one_wins() {
    let studio = Studio::new().await;
    let wei = studio.employee("main", "Wei", "photographer", None).await;
    let mut customers = Vec::new();
    for i in 0..20 {
        customers.push(studio.customer(&format!("c{i}")).await);
    }
    let bodies: Vec<Value> = customers
        .iter()
        .map(|&c| booking(c, studio.at(600), studio.at(720), &[wei], None))
        .collect();

    let responses = join_all(bodies.iter().map(|body| studio.book(body))).await;
    let mut won = Vec::new();
    let mut lost = Vec::new();
    for response in responses {
        let status = response.status().as_u16();
        let body: Value = response.json().await.unwrap();
        match status {
            201 => won.push(body),
            409 => lost.push(body),
            other => panic!("booking answered {other}: {body}"),
        }
    }
    assert_eq!(won.len(), 1, "{won:?}");
    assert_eq!(lost.len(), 19);
    let winner = id(&won[0]);
    for body in &lost {
        assert_eq!(body["code"], "booking_conflict", "{body}");
        assert_eq!(body["resource"], json!({"kind": "employee", "id": wei}));
        assert_eq!(body["clashing_shoot"], winner, "{body}");
    }
    assert_eq!(studio.shoots().await, 1);
    let held = studio
        .app
        .db
        .query_text(&format!(
            "SELECT count(*) FROM shoot_staff ss JOIN shoots s ON s.id = ss.shoot_id
             WHERE ss.employee_id = {wei} AND s.active
               AND s.during && tstzrange('{}', '{}')",
            studio.at(600).to_rfc3339(),
            studio.at(720).to_rfc3339()
        ))
        .await;
    assert_eq!(held.as_deref(), Some("1"));
}

#[tokio::test]
async fn a_shoot_is_rescheduled_only_into_free_time_and_only_before_it_is_shot() {
    let studio = Studio::new().await;
    let wei = studio.employee("main", "Wei", "photographer", None).await;
    let ming = studio.employee("main", "Ming", "photographer", None).await;
    let fang = studio.employee("main", "Fang", "makeup_artist", None).await;
    let forest = studio.room("main", "Forest").await;
    let (a, b) = (studio.customer("A").await, studio.customer("B").await);
    let shoot = id(&studio
        .booked(booking(
            a,
            studio.at(600),
            studio.at(720),
            &[wei],
            Some(forest),
        ))
        .await);
    let blocker = id(&studio
        .booked(booking(b, studio.at(1200), studio.at(1320), &[wei], None))
        .await);
    let path = shoot_path(shoot);

    // To 17:00, keeping its two hours.
    let moved = patched(
        &studio.app,
        &studio.desk.token,
        &path,
        json!({"starts_at": studio.at(1020)}),
    )
    .await;
    assert_eq!(time(&moved["starts_at"]), studio.at(1020));
    assert_eq!(time(&moved["ends_at"]), studio.at(1140));
    let detail = studio.shoot(shoot).await;
    let last = detail["events"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(last["kind"], "rescheduled");
    assert_eq!(last["actor"], "desk");
    assert_eq!(time(&last["details"]["starts_at"]), studio.at(1020));
    // Its old time is free again.
    studio
        .booked(booking(
            b,
            studio.at(600),
            studio.at(720),
            &[wei],
            Some(forest),
        ))
        .await;

    // Into the blocker's time: refused, nothing changed.
    expect_clash(
        studio
            .app
            .patch_json_as(
                &studio.desk.token,
                &path,
                &json!({"starts_at": studio.at(1260), "ends_at": studio.at(1300)}),
            )
            .await,
        "employee",
        wei,
        blocker,
    )
    .await;
    let unchanged = studio.shoot(shoot).await;
    assert_eq!(time(&unchanged["starts_at"]), studio.at(1020));
    assert_eq!(time(&unchanged["ends_at"]), studio.at(1140));
    assert_eq!(unchanged["events"], detail["events"]);

    // New people replace the old; a person busy then is refused.
    let restaffed = patched(
        &studio.app,
        &studio.desk.token,
        &path,
        json!({"staff": [{"employee_id": ming}, {"employee_id": fang}]}),
    )
    .await;
    assert_eq!(staff_ids(&restaffed), [ming, fang]);
    let last = studio.shoot(shoot).await["events"]
        .as_array()
        .unwrap()
        .last()
        .unwrap()
        .clone();
    assert_eq!(last["kind"], "staffing");
    // Wei is free at 17:00 again.
    let wei_at_five = id(&studio
        .booked(booking(b, studio.at(1020), studio.at(1080), &[wei], None))
        .await);
    expect_clash(
        studio
            .app
            .patch_json_as(
                &studio.desk.token,
                &path,
                &json!({"staff": [{"employee_id": wei}]}),
            )
            .await,
        "employee",
        wei,
        wei_at_five,
    )
    .await;
    assert_eq!(staff_ids(&studio.shoot(shoot).await), [ming, fang]);

    // Shot: its time is history.
    studio.moved(shoot, "confirmed").await;
    studio.advance_to(studio.at(1030));
    studio.moved(shoot, "shot").await;
    let body = problem::expect(
        studio
            .app
            .patch_json_as(
                &studio.desk.token,
                &path,
                &json!({"starts_at": studio.at(1500)}),
            )
            .await,
        409,
        "illegal_stage_move",
    )
    .await;
    assert_eq!(body["stage"], "shot");
    // Its notes can still change.
    let noted = patched(
        &studio.app,
        &studio.desk.token,
        &path,
        json!({"notes": "Extra prints asked for"}),
    )
    .await;
    assert_eq!(noted["notes"], "Extra prints asked for");
    assert_eq!(time(&noted["starts_at"]), studio.at(1020));
}

#[tokio::test]
async fn a_shoot_moves_through_its_stages_and_each_move_is_recorded() {
    let studio = Studio::new().await;
    let wei = studio.employee("main", "Wei", "photographer", None).await;
    let customer = studio.customer("Lan").await;
    let shoot = id(&studio
        .booked(booking(
            customer,
            studio.at(600),
            studio.at(720),
            &[wei],
            None,
        ))
        .await);

    let illegal = |stage: &'static str, at: &'static str| {
        let studio = &studio;
        async move {
            let body = problem::expect(
                studio.move_as(&studio.desk.token, shoot, stage).await,
                409,
                "illegal_stage_move",
            )
            .await;
            assert_eq!(body["stage"], at, "{body}");
            assert_eq!(studio.shoot(shoot).await["stage"], at);
        }
    };
    illegal("shot", "booked").await;
    illegal("completed", "booked").await;
    illegal("booked", "booked").await;
    let body = problem::expect(
        studio.move_as(&studio.desk.token, shoot, "done").await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(problem::fields(&body), ["stage"]);

    studio.moved(shoot, "confirmed").await;
    let body = problem::expect(
        studio.move_as(&studio.desk.token, shoot, "shot").await,
        409,
        "shoot_not_started",
    )
    .await;
    assert_eq!(body["stage"], "confirmed");
    problem::expect(
        studio.move_as(&studio.desk.token, shoot, "no_show").await,
        409,
        "shoot_not_started",
    )
    .await;

    studio.advance_to(studio.at(601));
    studio.moved(shoot, "shot").await;
    illegal("confirmed", "shot").await;
    illegal("cancelled", "shot").await;
    studio.moved(shoot, "selecting").await;
    let body = problem::expect(
        studio
            .move_as(&studio.desk.token, shoot, "retouching")
            .await,
        409,
        "selection_missing",
    )
    .await;
    assert_eq!(body["stage"], "selecting");
    let selected = studio.selected(shoot, 12).await;
    assert_eq!(selected["photos_selected"], 12);
    assert_eq!(selected["extra_photos"], 0);
    studio.moved(shoot, "retouching").await;
    studio.moved(shoot, "proofing").await;
    // The customer asks for changes.
    studio.moved(shoot, "retouching").await;
    studio.moved(shoot, "proofing").await;
    illegal("completed", "proofing").await;
    studio.moved(shoot, "ready_for_pickup").await;
    let done = studio.moved(shoot, "completed").await;
    illegal("retouching", "completed").await;
    illegal("cancelled", "completed").await;

    let stage = |from: &str, to: &str| ("stage".to_owned(), json!(from), json!(to), json!("desk"));
    assert_eq!(
        events(&done),
        [
            (
                "booked".to_owned(),
                Value::Null,
                json!("booked"),
                json!("desk")
            ),
            stage("booked", "confirmed"),
            stage("confirmed", "shot"),
            stage("shot", "selecting"),
            (
                "selection".to_owned(),
                Value::Null,
                Value::Null,
                json!("desk")
            ),
            stage("selecting", "retouching"),
            stage("retouching", "proofing"),
            stage("proofing", "retouching"),
            stage("retouching", "proofing"),
            stage("proofing", "ready_for_pickup"),
            stage("ready_for_pickup", "completed"),
        ]
    );
    assert_eq!(done["events"][4]["details"]["photos"], 12);
}

#[tokio::test]
async fn a_no_show_and_a_cancellation_end_a_shoot() {
    let studio = Studio::new().await;
    let wei = studio.employee("main", "Wei", "photographer", None).await;
    let (a, b) = (studio.customer("A").await, studio.customer("B").await);
    let late = id(&studio
        .booked(booking(a, studio.at(600), studio.at(660), &[wei], None))
        .await);
    let off = id(&studio
        .booked(booking(b, studio.at(700), studio.at(760), &[wei], None))
        .await);
    studio.moved(off, "cancelled").await;
    problem::expect(
        studio.move_as(&studio.desk.token, off, "confirmed").await,
        409,
        "illegal_stage_move",
    )
    .await;
    studio.advance_to(studio.at(630));
    studio.moved(late, "no_show").await;
    let body = problem::expect(
        studio.move_as(&studio.desk.token, late, "shot").await,
        409,
        "illegal_stage_move",
    )
    .await;
    assert_eq!(body["stage"], "no_show");
    // Neither holds Wei's time any more.
    let active = studio
        .app
        .db
        .query_text(&format!(
            "SELECT count(*) FROM shoot_staff WHERE employee_id = {wei} AND active"
        ))
        .await;
    assert_eq!(active.as_deref(), Some("0"));
}

#[tokio::test]
async fn the_people_on_a_shoot_do_its_work_and_no_one_else_sees_it() {
    let studio = Studio::new().await;
    let app = &studio.app;
    let ph1 = app.new_user_with_role("ph1", "photographer").await;
    let ph2 = app.new_user_with_role("ph2", "photographer").await;
    let rt = app.new_user_with_role("rt", "retoucher").await;
    let buyer = app.new_user("buyer").await;
    let p1 = studio
        .employee("main", "One", "photographer", Some("ph1"))
        .await;
    let p2 = studio.employee("main", "Two", "photographer", None).await;
    // ph2's employee record is linked afterwards.
    patched(
        app,
        &studio.manager.token,
        &format!("{EMPLOYEES}/{p2}"),
        json!({"account": "ph2"}),
    )
    .await;
    let retoucher = studio.employee("main", "Rt", "retoucher", Some("rt")).await;
    let (a, b, c) = (
        studio.customer("A").await,
        studio.customer("B").await,
        studio.customer("C").await,
    );
    let mine = id(&studio
        .booked(booking(a, studio.at(600), studio.at(720), &[p1], None))
        .await);
    let theirs = id(&studio
        .booked(booking(b, studio.at(600), studio.at(720), &[p2], None))
        .await);
    let later = id(&studio
        .booked(booking(c, studio.at(900), studio.at(960), &[p1], None))
        .await);

    // Seen by the people on it; not by anyone else.
    fetched(app, &ph1.token, &shoot_path(mine)).await;
    problem::expect(
        app.get_as(&ph2.token, &shoot_path(mine)).await,
        404,
        "not_found",
    )
    .await;
    problem::expect(
        app.get_as(&rt.token, &shoot_path(mine)).await,
        404,
        "not_found",
    )
    .await;
    problem::expect(
        app.get_as(&buyer.token, &shoot_path(mine)).await,
        403,
        "forbidden",
    )
    .await;
    problem::expect(app.get(&shoot_path(mine)).await, 401, "unauthorized").await;
    let list = |token: String| async move {
        let page = fetched(app, &token, &format!("{SHOOTS}?store=main")).await;
        super::ids(&page)
    };
    assert_eq!(list(ph1.token.clone()).await, [mine, later]);
    assert_eq!(list(ph2.token.clone()).await, [theirs]);
    assert_eq!(list(studio.desk.token.clone()).await, [mine, theirs, later]);
    problem::expect(
        app.get_as(&buyer.token, &format!("{SHOOTS}?store=main"))
            .await,
        403,
        "forbidden",
    )
    .await;

    // The front desk confirms; the photographer may not, nor cancel, nor reschedule.
    for stage in ["confirmed", "cancelled", "no_show"] {
        problem::expect(
            studio.move_as(&ph1.token, mine, stage).await,
            403,
            "forbidden",
        )
        .await;
    }
    problem::expect(
        studio.move_as(&ph1.token, later, "cancelled").await,
        403,
        "forbidden",
    )
    .await;
    problem::expect(
        app.patch_json_as(
            &ph1.token,
            &shoot_path(mine),
            &json!({"starts_at": studio.at(1200)}),
        )
        .await,
        403,
        "forbidden",
    )
    .await;
    problem::expect(
        studio.move_as(&ph2.token, mine, "confirmed").await,
        404,
        "not_found",
    )
    .await;
    problem::expect(
        studio.move_as(&buyer.token, mine, "confirmed").await,
        403,
        "forbidden",
    )
    .await;
    problem::expect(
        app.post_json(
            &format!("{}/stage", shoot_path(mine)),
            &json!({"stage": "confirmed"}),
        )
        .await,
        401,
        "unauthorized",
    )
    .await;
    assert_eq!(studio.shoot(mine).await["stage"], "booked");
    studio.moved(mine, "confirmed").await;
    patched(
        app,
        &studio.desk.token,
        &shoot_path(mine),
        json!({"retoucher_id": retoucher}),
    )
    .await;

    // The work is theirs, from the shot to the pickup.
    studio.advance_to(studio.at(610));
    problem::expect(
        studio.move_as(&ph2.token, mine, "shot").await,
        404,
        "not_found",
    )
    .await;
    studio.moved_as(&ph1.token, mine, "shot").await;
    studio.moved_as(&ph1.token, mine, "selecting").await;
    problem::expect(
        studio.select_as(&ph2.token, mine, 20).await,
        404,
        "not_found",
    )
    .await;
    assert_eq!(studio.select_as(&ph1.token, mine, 20).await.status(), 200);
    studio.moved_as(&ph1.token, mine, "retouching").await;
    // The retoucher sees it and works on it too.
    fetched(app, &rt.token, &shoot_path(mine)).await;
    studio.moved_as(&rt.token, mine, "proofing").await;
    let ready = studio.moved_as(&ph1.token, mine, "ready_for_pickup").await;
    let last = ready["events"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(last["actor"], "ph1");
    assert_eq!(last["from_stage"], "proofing");
    assert_eq!(last["to_stage"], "ready_for_pickup");
    problem::expect(
        studio.move_as(&ph1.token, mine, "completed").await,
        403,
        "forbidden",
    )
    .await;
    studio.moved(mine, "completed").await;
}

/// A package sold at `main` and paid in part: the buyer, their customer, the order's number.
pub(super) struct Sale {
    pub(super) buyer: TestUser,
    pub(super) customer: i64,
    pub(super) number: String,
}

const PACKAGE_PRICE: &str = "5000.00";

impl Studio {
    /// The package `sku` (120 minutes, 30 photos, 50.00 an extra photo, 1000.00 deposit),
    /// stocked at `main` (5) at its list price.
    pub(super) async fn package(&self, sku: &str) -> i64 {
        let admin = self.app.admin_token().await;
        let product = product_of_kind(&self.app, sku, "package", PACKAGE_PRICE).await;
        let response = self
            .app
            .put_json_as(
                &admin,
                &format!("{PACKAGES}/{sku}"),
                &package_terms(120, 30, "50.00", "1000.00"),
            )
            .await;
        assert_eq!(response.status(), 200);
        let line = format!("/api/v1/stores/main/inventory/{product}");
        created(
            &self.app,
            &admin,
            &format!("{line}/receipts"),
            json!({"quantity": 5}),
        )
        .await;
        let response = self
            .app
            .put_json_as(
                &admin,
                &format!("{line}/price"),
                &json!({"price": PACKAGE_PRICE}),
            )
            .await;
        assert_eq!(response.status(), 200);
        product
    }

    /// `buyer` (a new account, linked to a new customer) buys the package `product` and pays
    /// `paid` of it from their wallet.
    pub(super) async fn sell(&self, product: i64, buyer: &str, paid: &str) -> Sale {
        let buyer = self.app.new_user(buyer).await;
        let customer = self
            .customer_of(&buyer.username, Some(&buyer.username))
            .await;
        let body = created(
            &self.app,
            &buyer.token,
            ORDERS,
            json!({"items": [{"store": "main", "product_id": product, "quantity": 1}]}),
        )
        .await;
        let number = body["orders"][0]["number"].as_str().unwrap().to_owned();
        created(
            &self.app,
            &buyer.token,
            "/api/v1/wallet/top-ups",
            json!({"amount": paid}),
        )
        .await;
        self.pay(&buyer, &number, Some(paid)).await;
        Sale {
            buyer,
            customer,
            number,
        }
    }

    /// Pays `amount` of the order from the buyer's wallet, or what is owed.
    pub(super) async fn pay(&self, buyer: &TestUser, number: &str, amount: Option<&str>) -> Value {
        let body = match amount {
            Some(amount) => json!({"method": "wallet", "amount": amount}),
            None => json!({"method": "wallet"}),
        };
        created(
            &self.app,
            &buyer.token,
            &format!("{ORDERS}/{number}/payments"),
            body,
        )
        .await
    }

    pub(super) async fn order(&self, sale: &Sale) -> Value {
        fetched(
            &self.app,
            &sale.buyer.token,
            &format!("{ORDERS}/{}", sale.number),
        )
        .await
    }

    /// The store's (on hand, reserved) of a product.
    pub(super) async fn stock(&self, product: i64) -> (i64, i64) {
        let admin = self.app.admin_token().await;
        let line = fetched(
            &self.app,
            &admin,
            &format!("/api/v1/stores/main/inventory/{product}"),
        )
        .await;
        (
            line["on_hand"].as_i64().unwrap(),
            line["reserved"].as_i64().unwrap(),
        )
    }

    /// A shoot for the sale's package, booked by its length, at 10:00, taken to `selecting`.
    pub(super) async fn selecting(&self, sale: &Sale, photographer: i64) -> i64 {
        let shoot = self
            .booked(json!({
                "customer_id": sale.customer, "store": "main", "starts_at": self.at(600),
                "order": sale.number, "staff": [{"employee_id": photographer}],
            }))
            .await;
        let id = id(&shoot);
        self.moved(id, "confirmed").await;
        self.advance_to(self.at(601));
        self.moved(id, "shot").await;
        self.moved(id, "selecting").await;
        id
    }
}

/// The order's line of extra photos, if any: (quantity, unit price, line total).
fn extras_line(order: &Value) -> Option<(i64, String, String)> {
    order["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|item| item["kind"] == "extra_photos")
        .map(|item| {
            (
                item["quantity"].as_i64().unwrap(),
                item["unit_price"]["amount"].as_str().unwrap().to_owned(),
                item["line_total"]["amount"].as_str().unwrap().to_owned(),
            )
        })
}

#[tokio::test]
async fn photos_beyond_the_package_are_charged_on_its_order_and_paid_before_pickup() {
    let studio = Studio::new().await;
    let wei = studio.employee("main", "Wei", "photographer", None).await;
    let product = studio.package("PKG-GOLD").await;
    let sale = studio.sell(product, "lan", "1000.00").await;
    let order = studio.order(&sale).await;
    assert_eq!(order["status"], "pending_payment");
    assert_eq!(order["total"]["amount"], PACKAGE_PRICE);
    assert_eq!(order["owed"]["amount"], "4000.00");
    assert_eq!(studio.stock(product).await, (5, 1));

    // Booked for the order: two hours, the package's length, and its allowance.
    let booked = studio
        .booked(json!({
            "customer_id": sale.customer, "store": "main", "starts_at": studio.at(600),
            "order": sale.number, "staff": [{"employee_id": wei}],
        }))
        .await;
    assert_eq!(time(&booked["ends_at"]), studio.at(720));
    assert_eq!(booked["order"], sale.number.as_str());
    assert_eq!(booked["package"]["sku"], "PKG-GOLD");
    assert_eq!(booked["package"]["photos_included"], 30);
    assert_eq!(booked["package"]["extra_photo_price"]["amount"], "50.00");
    let shoot = id(&booked);
    studio.moved(shoot, "confirmed").await;
    studio.advance_to(studio.at(601));
    studio.moved(shoot, "shot").await;
    studio.moved(shoot, "selecting").await;

    // 34 photos: 4 beyond the 30 included, at 50.00 each on the order.
    let selected = studio.selected(shoot, 34).await;
    assert_eq!(selected["photos_selected"], 34);
    assert_eq!(selected["extra_photos"], 4);
    let order = studio.order(&sale).await;
    assert_eq!(
        extras_line(&order),
        Some((4, "50.00".to_owned(), "200.00".to_owned()))
    );
    assert_eq!(order["items"].as_array().unwrap().len(), 2);
    assert_eq!(order["total"]["amount"], "5200.00");
    assert_eq!(order["owed"]["amount"], "4200.00");
    assert_eq!(order["status"], "pending_payment");
    assert_eq!(
        studio.stock(product).await,
        (5, 1),
        "extra photos hold no stock"
    );

    // Chosen again: 30, nothing extra, the line gone.
    let selected = studio.selected(shoot, 30).await;
    assert_eq!(selected["extra_photos"], 0);
    let order = studio.order(&sale).await;
    assert_eq!(extras_line(&order), None);
    assert_eq!(order["items"].as_array().unwrap().len(), 1);
    assert_eq!(order["total"]["amount"], PACKAGE_PRICE);
    assert_eq!(order["owed"]["amount"], "4000.00");

    // And 36 in the end: 6 extra.
    studio.selected(shoot, 36).await;
    let order = studio.order(&sale).await;
    assert_eq!(
        extras_line(&order),
        Some((6, "50.00".to_owned(), "300.00".to_owned()))
    );
    assert_eq!(order["total"]["amount"], "5300.00");
    let selections: Vec<Value> = studio.shoot(shoot).await["events"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["kind"] == "selection")
        .map(|e| e["details"].clone())
        .collect();
    assert_eq!(
        selections,
        [
            json!({"photos": 34, "extra": 4}),
            json!({"photos": 30, "extra": 0}),
            json!({"photos": 36, "extra": 6}),
        ]
    );

    // Not handed over while the balance is owed.
    studio.moved(shoot, "retouching").await;
    studio.moved(shoot, "proofing").await;
    studio.moved(shoot, "ready_for_pickup").await;
    let body = problem::expect(
        studio.move_as(&studio.desk.token, shoot, "completed").await,
        409,
        "balance_due",
    )
    .await;
    assert_eq!(body["stage"], "ready_for_pickup");
    assert_eq!(studio.shoot(shoot).await["stage"], "ready_for_pickup");

    // The balance paid: the package's one unit sold, the extra photos took none.
    created(
        &studio.app,
        &sale.buyer.token,
        "/api/v1/wallet/top-ups",
        json!({"amount": "4300.00"}),
    )
    .await;
    let paid = studio.pay(&sale.buyer, &sale.number, None).await;
    assert_eq!(paid["payment"]["amount"]["amount"], "4300.00");
    assert_eq!(paid["order"]["status"], "paid");
    assert_eq!(studio.stock(product).await, (4, 0));
    studio.moved(shoot, "completed").await;
}

#[tokio::test]
async fn a_settled_order_takes_no_extra_photos() {
    let studio = Studio::new().await;
    let wei = studio.employee("main", "Wei", "photographer", None).await;
    let product = studio.package("PKG-GOLD").await;
    let sale = studio.sell(product, "lan", PACKAGE_PRICE).await;
    assert_eq!(studio.order(&sale).await["status"], "paid");
    let shoot = studio.selecting(&sale, wei).await;

    let body = problem::expect(
        studio.select_as(&studio.desk.token, shoot, 34).await,
        409,
        "order_settled",
    )
    .await;
    assert!(body["detail"].as_str().unwrap().contains("paid"), "{body}");
    let unchanged = studio.shoot(shoot).await;
    assert_eq!(unchanged["photos_selected"], Value::Null);
    assert_eq!(unchanged["extra_photos"], 0);
    let order = studio.order(&sale).await;
    assert_eq!(extras_line(&order), None);
    assert_eq!(order["total"]["amount"], PACKAGE_PRICE);

    // Within the allowance there is nothing to charge.
    let selected = studio.selected(shoot, 30).await;
    assert_eq!(selected["extra_photos"], 0);
    studio.moved(shoot, "retouching").await;
}

#[tokio::test]
async fn a_shoot_is_booked_only_for_the_customers_own_package_order() {
    let studio = Studio::new().await;
    let wei = studio.employee("main", "Wei", "photographer", None).await;
    let product = studio.package("PKG-GOLD").await;
    let lan = studio.sell(product, "lan", "1000.00").await;
    let mei = studio.sell(product, "mei", "1000.00").await;
    let stranger = studio.customer("nobody").await;

    for (customer, number) in [(mei.customer, &lan.number), (stranger, &lan.number)] {
        let body = problem::expect(
            studio
                .book(&json!({
                    "customer_id": customer, "store": "main", "starts_at": studio.at(600),
                    "order": number, "staff": [{"employee_id": wei}],
                }))
                .await,
            422,
            "validation_failed",
        )
        .await;
        assert_eq!(problem::fields(&body), ["order"]);
    }
    assert_eq!(studio.shoots().await, 0);
    studio
        .booked(json!({
            "customer_id": mei.customer, "store": "main", "starts_at": studio.at(600),
            "order": mei.number, "staff": [{"employee_id": wei}],
        }))
        .await;
}

#[tokio::test]
async fn the_board_groups_shoots_by_the_stores_local_day() {
    let studio = Studio::new().await;
    let app = &studio.app;
    let admin = app.admin_token().await;
    created(
        app,
        &admin,
        "/api/v1/stores",
        json!({"code": "shanghai", "name": "Shanghai", "time_zone": "Asia/Shanghai"}),
    )
    .await;
    let wei = studio
        .employee("shanghai", "Wei", "photographer", None)
        .await;
    let customer = studio.customer("Lan").await;
    // Shanghai is eight hours ahead of UTC, all year.
    let date: NaiveDate = (app.clock.now() + TimeDelta::days(3)).date_naive();
    let local = |days: i64, hour: u32, minute: u32| {
        (date + TimeDelta::days(days))
            .and_hms_opt(hour, minute, 0)
            .unwrap()
            .and_utc()
            - TimeDelta::hours(8)
    };
    let book = |starts_at: DateTime<Utc>| {
        let mut body = booking(
            customer,
            starts_at,
            starts_at + TimeDelta::minutes(30),
            &[wei],
            None,
        );
        body["store"] = json!("shanghai");
        studio.booked(body)
    };
    // The evening before: not on the board.
    let before = id(&book(local(-1, 22, 0)).await);
    // 00:30 local is the previous day in UTC.
    let early = id(&book(local(0, 0, 30)).await);
    // 23:00 local is the same day in UTC, but 15:00.
    let late = id(&book(local(0, 23, 0)).await);
    // 07:30 local the next day is still `date` in UTC.
    let next = id(&book(local(1, 7, 30)).await);
    let after = id(&book(local(2, 0, 0)).await);
    assert!(before < early && next < after);

    let board = fetched(
        app,
        &studio.desk.token,
        &format!("/api/v1/studio/boards/shanghai?date={date}&days=2"),
    )
    .await;
    assert_eq!(board["store"], "shanghai");
    assert_eq!(board["time_zone"], "Asia/Shanghai");
    assert_eq!(time(&board["from"]), local(0, 0, 0));
    assert_eq!(time(&board["to"]), local(2, 0, 0));
    let columns: Vec<(String, Vec<i64>)> = board["days"]
        .as_array()
        .unwrap()
        .iter()
        .map(|day| {
            (
                day["date"].as_str().unwrap().to_owned(),
                day["shoots"].as_array().unwrap().iter().map(id).collect(),
            )
        })
        .collect();
    assert_eq!(
        columns,
        [
            (date.to_string(), vec![early, late]),
            ((date + TimeDelta::days(1)).to_string(), vec![next]),
        ]
    );
    assert_eq!(board["truncated"], false);

    for days in [0, 8] {
        let body = problem::expect(
            app.get_as(
                &studio.desk.token,
                &format!("/api/v1/studio/boards/shanghai?date={date}&days={days}"),
            )
            .await,
            422,
            "validation_failed",
        )
        .await;
        assert_eq!(problem::fields(&body), ["days"]);
    }
    let body = problem::expect(
        app.get_as(
            &studio.desk.token,
            &format!("/api/v1/studio/boards/nowhere?date={date}"),
        )
        .await,
        404,
        "not_found",
    )
    .await;
    assert_eq!(body["detail"], "No store has this code.");
}

/// An order past its reservation with nothing paid is expired whether or not the sweeper has
/// got to it (`domain::ordering::order::status_at`): booking does not take it.
#[tokio::test]
async fn an_order_past_its_reservation_with_nothing_paid_books_no_shoot() {
    let studio = Studio::new().await;
    let wei = studio.employee("main", "Wei", "photographer", None).await;
    let product = studio.package("PKG-GOLD").await;
    let buyer = studio.app.new_user("lan").await;
    let customer = studio.customer_of("lan", Some("lan")).await;
    let body = created(
        &studio.app,
        &buyer.token,
        ORDERS,
        json!({"items": [{"store": "main", "product_id": product, "quantity": 1}]}),
    )
    .await;
    let number = body["orders"][0]["number"].as_str().unwrap().to_owned();
    // Past the reservation (15 minutes by default), unpaid.
    // Nothing reads the order before the booking (a read would store it as expired).
    studio.app.clock.advance(TimeDelta::hours(1));
    let response = studio
        .book(&json!({
            "customer_id": customer, "store": "main", "starts_at": studio.at(600),
            "order": number, "staff": [{"employee_id": wei}],
        }))
        .await;
    let order = fetched(&studio.app, &buyer.token, &format!("{ORDERS}/{number}")).await;
    assert_eq!(order["status"], "expired");
    let body = problem::expect(response, 422, "validation_failed").await;
    assert_eq!(problem::fields(&body), ["order"]);
    assert_eq!(studio.shoots().await, 0);
}

/// A retoucher of another store is refused, under the field the request sent.
#[tokio::test]
async fn a_retoucher_is_one_of_the_stores_active_staff() {
    let studio = Studio::new().await;
    store(&studio.app, "east").await;
    let wei = studio.employee("main", "Wei", "photographer", None).await;
    let far = studio.employee("east", "Far", "retoucher", None).await;
    let near = studio.employee("main", "Near", "retoucher", None).await;
    let customer = studio.customer("Lan").await;
    let shoot = id(&studio
        .booked(booking(
            customer,
            studio.at(600),
            studio.at(720),
            &[wei],
            None,
        ))
        .await);
    let path = shoot_path(shoot);

    let body = problem::expect(
        studio
            .app
            .patch_json_as(&studio.desk.token, &path, &json!({"retoucher_id": far}))
            .await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(problem::fields(&body), ["retoucher_id"], "{body}");
    assert_eq!(studio.shoot(shoot).await["retoucher"], Value::Null);
    let changed = patched(
        &studio.app,
        &studio.desk.token,
        &path,
        json!({"retoucher_id": near}),
    )
    .await;
    assert_eq!(changed["retoucher"]["employee_id"], near);
    assert_eq!(changed["retoucher"]["position"], "retoucher");
    // A retoucher holds no time: they may retouch a shoot they are booked for elsewhere.
    assert_eq!(staff_ids(&changed), [wei]);
    let cleared = patched(
        &studio.app,
        &studio.desk.token,
        &path,
        json!({"retoucher_id": null}),
    )
    .await;
    assert_eq!(cleared["retoucher"], Value::Null);
}

/// Time off of a person (`employee_id`) or a room (`room_id`), from `from` to `to` minutes
/// after midnight of the shoots' day; its id.
async fn time_off(studio: &Studio, whose: Value, from: i64, to: i64) -> i64 {
    let mut body = json!({"starts_at": studio.at(from), "ends_at": studio.at(to)});
    body.as_object_mut()
        .unwrap()
        .extend(whose.as_object().unwrap().clone());
    id(&created(
        &studio.app,
        &studio.desk.token,
        "/api/v1/studio/time-off",
        body,
    )
    .await)
}

#[tokio::test]
async fn a_shoot_is_booked_only_while_its_people_work_and_its_room_is_open() {
    let studio = Studio::new().await;
    let wei = studio.employee("main", "Wei", "photographer", None).await;
    studio.set_hours(wei, "09:00", "18:00").await;
    let mei = studio.employee("main", "Mei", "makeup_artist", None).await;
    let room = studio.room("main", "Garden").await;
    let customer = studio.customer("Lan").await;

    // Starting before Wei's day, or running past its end.
    for (from, to) in [(480, 600), (1020, 1140)] {
        let body = problem::expect(
            studio
                .book(&booking(
                    customer,
                    studio.at(from),
                    studio.at(to),
                    &[mei, wei],
                    None,
                ))
                .await,
            422,
            "outside_working_hours",
        )
        .await;
        assert_eq!(body["employee_id"], wei);
    }
    // During Mei's time off.
    let leave = time_off(&studio, json!({"employee_id": mei}), 720, 840).await;
    let body = problem::expect(
        studio
            .book(&booking(
                customer,
                studio.at(780),
                studio.at(900),
                &[mei],
                None,
            ))
            .await,
        422,
        "during_time_off",
    )
    .await;
    assert_eq!(
        (body["employee_id"].clone(), body["time_off_id"].clone()),
        (json!(mei), json!(leave))
    );
    // In a room closed for repairs.
    let closure = time_off(&studio, json!({"room_id": room}), 600, 720).await;
    let body = problem::expect(
        studio
            .book(&booking(
                customer,
                studio.at(660),
                studio.at(700),
                &[wei],
                Some(room),
            ))
            .await,
        422,
        "room_closed",
    )
    .await;
    assert_eq!(
        (body["room_id"].clone(), body["time_off_id"].clone()),
        (json!(room), json!(closure))
    );
    assert_eq!(studio.shoots().await, 0);

    // Inside Wei's day, after the closure: booked; moved outside the day: refused, unchanged.
    let shoot = id(&studio
        .booked(booking(
            customer,
            studio.at(720),
            studio.at(840),
            &[wei],
            Some(room),
        ))
        .await);
    let body = problem::expect(
        studio
            .app
            .patch_json_as(
                &studio.desk.token,
                &shoot_path(shoot),
                &json!({"starts_at": studio.at(1000)}),
            )
            .await,
        422,
        "outside_working_hours",
    )
    .await;
    assert_eq!(body["employee_id"], wei);
    assert_eq!(
        time(&studio.shoot(shoot).await["starts_at"]),
        studio.at(720)
    );
    // Adding Mei, who is away then: refused too.
    problem::expect(
        studio
            .app
            .patch_json_as(
                &studio.desk.token,
                &shoot_path(shoot),
                &json!({"staff": [{"employee_id": wei}, {"employee_id": mei}]}),
            )
            .await,
        422,
        "during_time_off",
    )
    .await;
    assert_eq!(staff_ids(&studio.shoot(shoot).await), [wei]);
}

#[tokio::test]
async fn the_board_says_who_works_and_who_is_still_free_each_day() {
    let studio = Studio::new().await;
    let wei = studio.employee("main", "Wei", "photographer", None).await;
    studio.set_hours(wei, "09:00", "18:00").await;
    let mei = studio.employee("main", "Mei", "makeup_artist", None).await;
    studio.set_hours(mei, "13:00", "17:00").await;
    let customer = studio.customer("Lan").await;
    studio
        .booked(booking(
            customer,
            studio.at(600),
            studio.at(720),
            &[wei],
            None,
        ))
        .await;
    time_off(&studio, json!({"employee_id": mei}), 900, 960).await;

    let date = studio.day.date_naive();
    let board = fetched(
        &studio.app,
        &studio.desk.token,
        &format!("/api/v1/studio/boards/main?date={date}"),
    )
    .await;
    let day = &board["days"][0];
    let periods = |person: &Value, which: &str| -> Vec<(DateTime<Utc>, DateTime<Utc>)> {
        person[which]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| (time(&p["starts_at"]), time(&p["ends_at"])))
            .collect()
    };
    let person = |id: i64| {
        day["staff"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["employee_id"] == id)
            .cloned()
            .unwrap()
    };
    assert_eq!(day["staff"].as_array().unwrap().len(), 2, "{day}");
    let (wei, mei) = (person(wei), person(mei));
    assert_eq!(wei["name"], "Wei");
    assert_eq!(
        periods(&wei, "working"),
        [(studio.at(540), studio.at(1080))]
    );
    assert_eq!(
        periods(&wei, "free"),
        [
            (studio.at(540), studio.at(600)),
            (studio.at(720), studio.at(1080))
        ]
    );
    assert_eq!(
        periods(&mei, "free"),
        [
            (studio.at(780), studio.at(900)),
            (studio.at(960), studio.at(1020))
        ]
    );
}
