//! Customers: the CRM of the front desk.

use serde_json::{Value, json};
use testkit::{problem, spawn_app};

use super::{CUSTOMERS, created, fetched, ids, patched, store};

#[tokio::test]
async fn customers_are_created_found_changed_and_deleted() {
    let app = spawn_app().await;
    let desk = app.new_user_with_role("desk", "front_desk").await;

    let response = app
        .post_json_as(
            &desk.token,
            CUSTOMERS,
            &json!({"first_name": " 三 ", "last_name": "张", "email": "ZhangSan@Example.com",
                    "phone": "+86 138-0013-8000", "birthday": "1995-05-20",
                    "anniversary": "2026-10-01", "lead_source": "referral",
                    "notes": "Prefers outdoor sets."}),
        )
        .await;
    assert_eq!(response.status(), 201);
    let location = response.headers()["location"].to_str().unwrap().to_owned();
    let zhang: Value = response.json().await.unwrap();
    assert_eq!(location, format!("{CUSTOMERS}/{}", zhang["id"]));
    assert_eq!(zhang["first_name"], "三");
    assert_eq!(zhang["last_name"], "张");
    assert_eq!(zhang["email"], "ZhangSan@Example.com");
    assert_eq!(
        zhang["phone"], "+8613800138000",
        "spaces and dashes dropped"
    );
    assert_eq!(zhang["birthday"], "1995-05-20");
    assert_eq!(zhang["anniversary"], "2026-10-01");
    assert_eq!(zhang["lead_source"], "referral");
    assert_eq!(zhang["notes"], "Prefers outdoor sets.");
    assert_eq!(zhang["account"], Value::Null);
    assert_eq!(fetched(&app, &desk.token, &location).await, zhang);

    // A phone alone will do; the rest is optional.
    let li = created(
        &app,
        &desk.token,
        CUSTOMERS,
        json!({"first_name": "四", "phone": "13900139000"}),
    )
    .await;
    assert_eq!(li["last_name"], "");
    assert_eq!(li["email"], Value::Null);
    assert_eq!(li["lead_source"], Value::Null);
    assert_eq!(li["notes"], "");

    // Newest first, a page at a time.
    let first = fetched(&app, &desk.token, &format!("{CUSTOMERS}?limit=1")).await;
    assert_eq!(ids(&first), [li["id"].as_i64().unwrap()]);
    let cursor = first["next_cursor"].as_str().unwrap();
    let second = fetched(
        &app,
        &desk.token,
        &format!("{CUSTOMERS}?limit=1&cursor={cursor}"),
    )
    .await;
    assert_eq!(ids(&second), [zhang["id"].as_i64().unwrap()]);
    assert_eq!(second["next_cursor"], Value::Null);

    // A field left out stays; null clears.
    let changed = patched(
        &app,
        &desk.token,
        &location,
        json!({"notes": "Booked the spring set.", "birthday": null, "lead_source": "event",
               "email": null}),
    )
    .await;
    assert_eq!(changed["notes"], "Booked the spring set.");
    assert_eq!(changed["birthday"], Value::Null);
    assert_eq!(changed["anniversary"], "2026-10-01");
    assert_eq!(changed["lead_source"], "event");
    assert_eq!(changed["email"], Value::Null);
    assert_eq!(changed["phone"], "+8613800138000");
    assert_eq!(changed["first_name"], "三");
    assert_eq!(fetched(&app, &desk.token, &location).await, changed);

    let response = app.delete_as(&desk.token, &location).await;
    assert_eq!(response.status(), 204);
    problem::expect(app.get_as(&desk.token, &location).await, 404, "not_found").await;
    problem::expect(
        app.delete_as(&desk.token, &location).await,
        404,
        "not_found",
    )
    .await;
    problem::expect(
        app.patch_json_as(&desk.token, &location, &json!({"notes": "x"}))
            .await,
        404,
        "not_found",
    )
    .await;
    assert_eq!(app.db.count("customers").await, 1);
}

#[tokio::test]
async fn customers_are_found_by_part_of_a_name_phone_or_email() {
    let app = spawn_app().await;
    let desk = app.new_user_with_role("desk", "front_desk").await;
    let zhang = created(
        &app,
        &desk.token,
        CUSTOMERS,
        json!({"first_name": "三", "last_name": "张", "phone": "138 0013 8000"}),
    )
    .await["id"]
        .as_i64()
        .unwrap();
    let alice = created(
        &app,
        &desk.token,
        CUSTOMERS,
        json!({"first_name": "Alice", "last_name": "Smith", "email": "alice.smith@Mail.example",
               "phone": "+44 20 7946 0018"}),
    )
    .await["id"]
        .as_i64()
        .unwrap();
    let wang = created(
        &app,
        &desk.token,
        CUSTOMERS,
        json!({"first_name": "小明", "last_name": "王", "email": "xm_wang@example.com"}),
    )
    .await["id"]
        .as_i64()
        .unwrap();

    let search = |q: &str| {
        let path = format!("{CUSTOMERS}?q={}", urlencoding(q));
        let app = &app;
        let token = desk.token.clone();
        async move { ids(&fetched(app, &token, &path).await) }
    };
    // Family name first, given name first, or either alone.
    assert_eq!(search("张三").await, [zhang]);
    assert_eq!(search("三 张").await, [zhang]);
    assert_eq!(search("三").await, [zhang]);
    assert_eq!(search("王小").await, [wang]);
    assert_eq!(search("小明").await, [wang]);
    assert_eq!(search("smith").await, [alice]);
    assert_eq!(search("ALICE SMITH").await, [alice]);
    // A piece of a phone number, typed with or without its spaces and dashes.
    assert_eq!(search("0013").await, [zhang]);
    assert_eq!(search("138 0013-80").await, [zhang]);
    assert_eq!(search("+4420").await, [alice]);
    // A piece of an email, ignoring case; LIKE's wildcards are plain characters.
    assert_eq!(search("MAIL.EXAMPLE").await, [alice]);
    assert_eq!(search("example").await, [wang, alice]);
    assert_eq!(search("xm_w").await, [wang]);
    assert_eq!(search("x%w").await, Vec::<i64>::new());
    assert_eq!(search("nobody").await, Vec::<i64>::new());
    // A blank search lists everyone.
    assert_eq!(search(" ").await, [wang, alice, zhang]);
}

/// `q` as a query-string value.
fn urlencoding(q: &str) -> String {
    q.bytes()
        .map(|b| match b {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'-' | b'.' | b'_' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[tokio::test]
async fn invalid_customers_are_refused_field_by_field_and_nothing_changes() {
    let app = spawn_app().await;
    let desk = app.new_user_with_role("desk", "front_desk").await;

    let body = problem::expect(
        app.post_json_as(
            &desk.token,
            CUSTOMERS,
            &json!({"first_name": "  ", "last_name": "张".repeat(51), "email": "not-an-email",
                    "phone": "12-34", "lead_source": "radio", "notes": "x".repeat(2001)}),
        )
        .await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(
        problem::fields(&body),
        [
            "email",
            "first_name",
            "last_name",
            "lead_source",
            "notes",
            "phone"
        ]
    );

    // Neither an email nor a phone.
    let body = problem::expect(
        app.post_json_as(&desk.token, CUSTOMERS, &json!({"first_name": "三"}))
            .await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(problem::fields(&body), ["email"]);
    problem::expect(
        app.post_json_as(
            &desk.token,
            CUSTOMERS,
            &json!({"first_name": "三", "phone": "123", "extra": 1}),
        )
        .await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(app.db.count("customers").await, 0);

    let customer = created(
        &app,
        &desk.token,
        CUSTOMERS,
        json!({"first_name": "三", "phone": "13800138000"}),
    )
    .await;
    let path = format!("{CUSTOMERS}/{}", customer["id"]);
    let body = problem::expect(
        app.patch_json_as(&desk.token, &path, &json!({"phone": null, "notes": "gone"}))
            .await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(problem::fields(&body), ["email"]);
    let body = problem::expect(
        app.patch_json_as(
            &desk.token,
            &path,
            &json!({"first_name": "", "birthday": "May"}),
        )
        .await,
        422,
        "validation_failed",
    )
    .await;
    assert!(body["errors"].to_string().contains("birthday"), "{body}");
    assert_eq!(fetched(&app, &desk.token, &path).await, customer);
}

#[tokio::test]
async fn an_email_or_phone_belongs_to_one_customer() {
    let app = spawn_app().await;
    let desk = app.new_user_with_role("desk", "front_desk").await;
    created(
        &app,
        &desk.token,
        CUSTOMERS,
        json!({"first_name": "三", "email": "zs@example.com", "phone": "13800138000"}),
    )
    .await;

    problem::expect(
        app.post_json_as(
            &desk.token,
            CUSTOMERS,
            &json!({"first_name": "Other", "email": "ZS@EXAMPLE.COM"}),
        )
        .await,
        409,
        "customer_email_taken",
    )
    .await;
    problem::expect(
        app.post_json_as(
            &desk.token,
            CUSTOMERS,
            &json!({"first_name": "Other", "phone": "138-0013-8000"}),
        )
        .await,
        409,
        "customer_phone_taken",
    )
    .await;
    assert_eq!(app.db.count("customers").await, 1);

    let other = created(
        &app,
        &desk.token,
        CUSTOMERS,
        json!({"first_name": "Other", "phone": "13900139000"}),
    )
    .await;
    let path = format!("{CUSTOMERS}/{}", other["id"]);
    problem::expect(
        app.patch_json_as(&desk.token, &path, &json!({"phone": "138 0013 8000"}))
            .await,
        409,
        "customer_phone_taken",
    )
    .await;
    problem::expect(
        app.patch_json_as(&desk.token, &path, &json!({"email": "zs@example.com"}))
            .await,
        409,
        "customer_email_taken",
    )
    .await;
    assert_eq!(fetched(&app, &desk.token, &path).await, other);
}

#[tokio::test]
async fn a_customer_is_linked_to_an_online_account_and_unlinked() {
    let app = spawn_app().await;
    let desk = app.new_user_with_role("desk", "front_desk").await;
    app.new_user("alice").await;

    let alice = created(
        &app,
        &desk.token,
        CUSTOMERS,
        json!({"first_name": "Alice", "email": "alice@example.com", "account": "alice"}),
    )
    .await;
    assert_eq!(alice["account"], "alice");

    // One customer per account.
    problem::expect(
        app.post_json_as(
            &desk.token,
            CUSTOMERS,
            &json!({"first_name": "Twin", "phone": "12345", "account": "alice"}),
        )
        .await,
        409,
        "account_linked",
    )
    .await;
    let body = problem::expect(
        app.post_json_as(
            &desk.token,
            CUSTOMERS,
            &json!({"first_name": "Ghost", "phone": "12345", "account": "nobody"}),
        )
        .await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(problem::fields(&body), ["account"]);

    let twin = created(
        &app,
        &desk.token,
        CUSTOMERS,
        json!({"first_name": "Twin", "phone": "12345"}),
    )
    .await;
    let twin_path = format!("{CUSTOMERS}/{}", twin["id"]);
    problem::expect(
        app.patch_json_as(&desk.token, &twin_path, &json!({"account": "alice"}))
            .await,
        409,
        "account_linked",
    )
    .await;

    // Another change keeps the link; null unlinks; then the account is free for another.
    let alice_path = format!("{CUSTOMERS}/{}", alice["id"]);
    let renamed = patched(
        &app,
        &desk.token,
        &alice_path,
        json!({"last_name": "Liddell"}),
    )
    .await;
    assert_eq!(renamed["account"], "alice");
    let unlinked = patched(&app, &desk.token, &alice_path, json!({"account": null})).await;
    assert_eq!(unlinked["account"], Value::Null);
    let linked = patched(&app, &desk.token, &twin_path, json!({"account": "ALICE"})).await;
    assert_eq!(linked["account"], "alice");
}

#[tokio::test]
async fn a_customers_history_holds_their_shoots_orders_and_payments() {
    let app = spawn_app().await;
    let desk = app.new_user_with_role("desk", "front_desk").await;
    app.new_user("alice").await;
    store(&app, "main").await;
    let alice = created(
        &app,
        &desk.token,
        CUSTOMERS,
        json!({"first_name": "Alice", "phone": "13800138000", "account": "alice"}),
    )
    .await;
    let id = alice["id"].as_i64().unwrap();
    let history_path = format!("{CUSTOMERS}/{id}/history");

    let empty = fetched(&app, &desk.token, &history_path).await;
    assert_eq!(empty, json!({"shoots": [], "orders": [], "payments": []}));

    // The shoots API is not there yet: a shoot, an order of alice's and its payment, by hand.
    app.db
        .execute(&format!(
            "INSERT INTO shoots (customer_id, store_id, starts_at, ends_at)
                 SELECT {id}, id, '2026-12-01T02:00:00Z', '2026-12-01T04:00:00Z'
                 FROM stores WHERE code = 'main';
             INSERT INTO orders (number, user_id, store_id, status, currency, subtotal, total,
                                 paid_amount, inventory_reserved, reserved_until)
                 SELECT '20261124-000001', u.id, s.id, 'paid', 'CNY', 88.00, 88.00, 88.00,
                        false, now()
                 FROM users u, stores s WHERE u.username = 'alice' AND s.code = 'main';
             INSERT INTO payments (order_id, payer_id, method, status, amount, currency,
                                   completed_at)
                 SELECT o.id, o.user_id, 'wallet', 'succeeded', 88.00, 'CNY', now()
                 FROM orders o WHERE o.number = '20261124-000001';"
        ))
        .await;
    // Someone else's order is not in it.
    app.new_user("bob").await;
    app.db
        .execute(
            "INSERT INTO orders (number, user_id, store_id, currency, subtotal, total,
                                 reserved_until)
                 SELECT '20261124-000002', u.id, s.id, 'CNY', 5, 5, now()
                 FROM users u, stores s WHERE u.username = 'bob' AND s.code = 'main';",
        )
        .await;

    let history = fetched(&app, &desk.token, &history_path).await;
    let shoots = history["shoots"].as_array().unwrap();
    assert_eq!(shoots.len(), 1, "{history}");
    assert_eq!(shoots[0]["store"], "main");
    assert_eq!(shoots[0]["starts_at"], "2026-12-01T02:00:00Z");
    assert_eq!(shoots[0]["ends_at"], "2026-12-01T04:00:00Z");
    assert_eq!(shoots[0]["stage"], "booked");
    let orders = history["orders"].as_array().unwrap();
    assert_eq!(orders.len(), 1, "{history}");
    assert_eq!(orders[0]["number"], "20261124-000001");
    assert_eq!(orders[0]["store"], "main");
    assert_eq!(orders[0]["status"], "paid");
    assert_eq!(
        orders[0]["total"],
        json!({"amount": "88.00", "currency": "CNY"})
    );
    assert_eq!(
        orders[0]["paid_amount"],
        json!({"amount": "88.00", "currency": "CNY"})
    );
    let payments = history["payments"].as_array().unwrap();
    assert_eq!(payments.len(), 1, "{history}");
    assert_eq!(payments[0]["order_id"], orders[0]["id"]);
    assert_eq!(payments[0]["order_number"], "20261124-000001");
    assert_eq!(payments[0]["method"], "wallet");
    assert_eq!(payments[0]["status"], "succeeded");
    assert_eq!(
        payments[0]["amount"],
        json!({"amount": "88.00", "currency": "CNY"})
    );

    // Unlinked, the account's orders are no longer theirs; the shoot stays.
    patched(
        &app,
        &desk.token,
        &format!("{CUSTOMERS}/{id}"),
        json!({"account": null}),
    )
    .await;
    let history = fetched(&app, &desk.token, &history_path).await;
    assert_eq!(history["shoots"].as_array().unwrap().len(), 1);
    assert_eq!(history["orders"], json!([]));
    assert_eq!(history["payments"], json!([]));

    // A customer with shoots stays.
    problem::expect(
        app.delete_as(&desk.token, &format!("{CUSTOMERS}/{id}"))
            .await,
        409,
        "customer_has_shoots",
    )
    .await;
    assert_eq!(app.db.count("customers").await, 1);
    problem::expect(
        app.get_as(&desk.token, &format!("{CUSTOMERS}/{}/history", id + 1))
            .await,
        404,
        "not_found",
    )
    .await;
}

#[tokio::test]
async fn only_those_who_manage_customers_reach_them() {
    let app = spawn_app().await;
    let manager = app.new_user_with_role("boss", "manager").await;
    let customer = created(
        &app,
        &manager.token,
        CUSTOMERS,
        json!({"first_name": "三", "phone": "13800138000"}),
    )
    .await;
    let path = format!("{CUSTOMERS}/{}", customer["id"]);
    let photographer = app.new_user_with_role("snap", "photographer").await;
    let shopper = app.new_user("shopper").await;

    for token in [&photographer.token, &shopper.token] {
        problem::expect(app.get_as(token, CUSTOMERS).await, 403, "forbidden").await;
        problem::expect(app.get_as(token, &path).await, 403, "forbidden").await;
        problem::expect(
            app.get_as(token, &format!("{path}/history")).await,
            403,
            "forbidden",
        )
        .await;
        problem::expect(
            app.post_json_as(
                token,
                CUSTOMERS,
                &json!({"first_name": "x", "phone": "12345"}),
            )
            .await,
            403,
            "forbidden",
        )
        .await;
        problem::expect(
            app.patch_json_as(token, &path, &json!({"notes": "x"}))
                .await,
            403,
            "forbidden",
        )
        .await;
        problem::expect(app.delete_as(token, &path).await, 403, "forbidden").await;
    }
    problem::expect(app.get(CUSTOMERS).await, 401, "unauthorized").await;
    problem::expect(app.get(&path).await, 401, "unauthorized").await;
    assert_eq!(fetched(&app, &manager.token, &path).await, customer);
}
