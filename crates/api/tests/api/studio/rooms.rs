//! Rooms: a store's sets, looked after by managers and the front desk.

use serde_json::{Value, json};
use testkit::{problem, spawn_app};

use super::{ROOMS, created, fetched, ids, patched, store};

#[tokio::test]
async fn rooms_are_created_listed_renamed_and_retired() {
    let app = spawn_app().await;
    let desk = app.new_user_with_role("desk", "front_desk").await;
    store(&app, "main").await;
    store(&app, "east").await;

    let response = app
        .post_json_as(
            &desk.token,
            ROOMS,
            &json!({"store": "main", "name": " 森系棚 "}),
        )
        .await;
    assert_eq!(response.status(), 201);
    let location = response.headers()["location"].to_str().unwrap().to_owned();
    let forest: Value = response.json().await.unwrap();
    assert_eq!(location, format!("{ROOMS}/{}", forest["id"]));
    assert_eq!(forest["store"], "main");
    assert_eq!(forest["name"], "森系棚");
    assert_eq!(forest["active"], true);
    assert_eq!(fetched(&app, &desk.token, &location).await, forest);

    // The same name in another store is another room.
    let east = created(
        &app,
        &desk.token,
        ROOMS,
        json!({"store": "east", "name": "森系棚", "active": false}),
    )
    .await;
    assert_eq!(east["active"], false);
    let (forest_id, east_id) = (forest["id"].as_i64().unwrap(), east["id"].as_i64().unwrap());
    assert_eq!(
        ids(&fetched(&app, &desk.token, ROOMS).await),
        [forest_id, east_id]
    );
    assert_eq!(
        ids(&fetched(&app, &desk.token, &format!("{ROOMS}?store=east")).await),
        [east_id]
    );
    assert_eq!(
        ids(&fetched(&app, &desk.token, &format!("{ROOMS}?active=true")).await),
        [forest_id]
    );
    let page = fetched(&app, &desk.token, &format!("{ROOMS}?limit=1")).await;
    assert_eq!(ids(&page), [forest_id]);
    assert!(page["next_cursor"].is_string());

    let renamed = patched(&app, &desk.token, &location, json!({"name": "Forest"})).await;
    assert_eq!(renamed["name"], "Forest");
    assert_eq!(renamed["active"], true);
    let retired = patched(&app, &desk.token, &location, json!({"active": false})).await;
    assert_eq!(retired["name"], "Forest");
    assert_eq!(retired["active"], false);
    problem::expect(
        app.get_as(&desk.token, &format!("{ROOMS}/{}", east_id + 1))
            .await,
        404,
        "not_found",
    )
    .await;
}

#[tokio::test]
async fn room_names_are_unique_in_a_store_and_checked() {
    let app = spawn_app().await;
    let manager = app.new_user_with_role("boss", "manager").await;
    store(&app, "main").await;
    created(
        &app,
        &manager.token,
        ROOMS,
        json!({"store": "main", "name": "A"}),
    )
    .await;
    let b = created(
        &app,
        &manager.token,
        ROOMS,
        json!({"store": "main", "name": "B"}),
    )
    .await;

    problem::expect(
        app.post_json_as(
            &manager.token,
            ROOMS,
            &json!({"store": "main", "name": "A"}),
        )
        .await,
        409,
        "room_name_taken",
    )
    .await;
    let path = format!("{ROOMS}/{}", b["id"]);
    problem::expect(
        app.patch_json_as(&manager.token, &path, &json!({"name": "A"}))
            .await,
        409,
        "room_name_taken",
    )
    .await;
    let body = problem::expect(
        app.post_json_as(
            &manager.token,
            ROOMS,
            &json!({"store": "nowhere", "name": " "}),
        )
        .await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(problem::fields(&body), ["name", "store"]);
    let body = problem::expect(
        app.patch_json_as(&manager.token, &path, &json!({"name": "x".repeat(101)}))
            .await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(problem::fields(&body), ["name"]);
    assert_eq!(app.db.count("rooms").await, 2);
    assert_eq!(fetched(&app, &manager.token, &path).await, b);
}

#[tokio::test]
async fn people_who_do_not_schedule_cannot_reach_rooms() {
    let app = spawn_app().await;
    let manager = app.new_user_with_role("boss", "manager").await;
    store(&app, "main").await;
    let room = created(
        &app,
        &manager.token,
        ROOMS,
        json!({"store": "main", "name": "A"}),
    )
    .await;
    let path = format!("{ROOMS}/{}", room["id"]);
    let photographer = app.new_user_with_role("snap", "photographer").await;
    let shopper = app.new_user("shopper").await;
    for token in [&photographer.token, &shopper.token] {
        problem::expect(app.get_as(token, ROOMS).await, 403, "forbidden").await;
        problem::expect(app.get_as(token, &path).await, 403, "forbidden").await;
        problem::expect(
            app.post_json_as(token, ROOMS, &json!({"store": "main", "name": "B"}))
                .await,
            403,
            "forbidden",
        )
        .await;
        problem::expect(
            app.patch_json_as(token, &path, &json!({"active": false}))
                .await,
            403,
            "forbidden",
        )
        .await;
    }
    problem::expect(app.get(ROOMS).await, 401, "unauthorized").await;
    assert_eq!(fetched(&app, &manager.token, &path).await, room);
}
