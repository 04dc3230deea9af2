//! `/auth/*`: register, unregister, login, logout, password; the transport's own answers.

use chrono::TimeDelta;
use serde_json::{Value, json};
use testkit::spawn_app;

use super::{Bookstore, book};

#[tokio::test]
async fn registering_a_taken_user_id_is_512_and_login_answers_json_either_way() {
    let app = spawn_app().await;
    let bookstore = Bookstore::new(&app);
    bookstore
        .register("reader_1", "reader-password")
        .await
        .assert_ok();
    bookstore
        .register("reader_1", "another-password")
        .await
        .assert(512, "exist user id reader_1");

    let login = bookstore
        .login("reader_1", "reader-password", "terminal_reader_1")
        .await;
    login.assert_ok();
    assert!(login.body["token"].as_str().is_some_and(|t| !t.is_empty()));
    for (user_id, password) in [
        ("reader_1", "wrong-password"),
        ("nobody", "reader-password"),
    ] {
        let refused = bookstore.login(user_id, password, "terminal").await;
        refused.assert(401, "authorization fail.");
        assert_eq!(
            refused.body["token"], "",
            "login answers JSON with an empty token"
        );
    }
}

#[tokio::test]
async fn a_token_is_bound_to_its_user_and_terminal_and_logout_revokes_only_it() {
    let app = spawn_app().await;
    let bookstore = Bookstore::new(&app);
    let reader = bookstore.account("reader_2").await;
    let other = bookstore
        .login(&reader.user_id, &reader.password, "phone")
        .await;
    let phone = other.body["token"].as_str().unwrap().to_owned();

    // The native API sees the two sessions with their terminals.
    let sessions: Value = app
        .get_as(&phone, "/api/v1/identity/sessions")
        .await
        .json()
        .await
        .unwrap();
    let mut terminals: Vec<&str> = sessions
        .as_array()
        .or_else(|| sessions["items"].as_array())
        .unwrap()
        .iter()
        .map(|s| s["terminal"].as_str().unwrap())
        .collect();
    terminals.sort_unstable();
    assert_eq!(terminals, ["my terminal", "phone"]);

    let logout = |user_id: &str, token: Option<&str>| {
        let body = json!({"user_id": user_id});
        let token = token.map(str::to_owned);
        let bookstore = &bookstore;
        async move {
            bookstore
                .call("/auth/logout", token.as_deref(), &body)
                .await
        }
    };
    let stranger = bookstore.account("stranger").await;
    logout(&stranger.user_id, Some(&reader.token))
        .await
        .assert(401, "authorization fail.");
    logout(&reader.user_id, Some("not-a-token"))
        .await
        .assert(401, "authorization fail.");
    logout(&reader.user_id, None)
        .await
        .assert(401, "authorization fail.");

    logout(&reader.user_id, Some(&reader.token))
        .await
        .assert_ok();
    logout(&reader.user_id, Some(&reader.token))
        .await
        .assert(401, "authorization fail.");
    let revoked = super::Account {
        token: reader.token.clone(),
        ..reader.clone()
    };
    bookstore
        .create_store(&revoked, "after_logout")
        .await
        .assert(401, "authorization fail.");
    let still = super::Account {
        token: phone,
        ..reader.clone()
    };
    bookstore
        .create_store(&still, "from_the_phone")
        .await
        .assert_ok();
}

#[tokio::test]
async fn an_expired_token_is_refused() {
    let app = spawn_app().await;
    let bookstore = Bookstore::new(&app);
    let reader = bookstore.account("reader_3").await;
    app.clock.advance(TimeDelta::days(400));
    bookstore
        .create_store(&reader, "too_late")
        .await
        .assert(401, "authorization fail.");
    bookstore
        .call(
            "/auth/logout",
            Some(&reader.token),
            &json!({"user_id": reader.user_id}),
        )
        .await
        .assert(401, "authorization fail.");
}

#[tokio::test]
async fn a_password_change_needs_the_old_password_and_revokes_every_token() {
    let app = spawn_app().await;
    let bookstore = Bookstore::new(&app);
    let reader = bookstore.account("reader_4").await;
    let change = |user_id: &str, old: &str, new: &str| {
        let body = json!({"user_id": user_id, "oldPassword": old, "newPassword": new});
        let bookstore = &bookstore;
        async move { bookstore.call("/auth/password", None, &body).await }
    };
    change(&reader.user_id, "wrong-password", "new-password-4")
        .await
        .assert(401, "authorization fail.");
    change("nobody", &reader.password, "new-password-4")
        .await
        .assert(401, "authorization fail.");
    // Nothing changed: the old password and token still work.
    bookstore
        .login(&reader.user_id, &reader.password, "t")
        .await
        .assert_ok();
    bookstore
        .create_store(&reader, "before_change")
        .await
        .assert_ok();

    change(&reader.user_id, &reader.password, "new-password-4")
        .await
        .assert_ok();
    bookstore
        .create_store(&reader, "after_change")
        .await
        .assert(401, "authorization fail.");
    bookstore
        .login(&reader.user_id, &reader.password, "t")
        .await
        .assert(401, "authorization fail.");
    bookstore
        .login(&reader.user_id, "new-password-4", "t")
        .await
        .assert_ok();
}

#[tokio::test]
async fn unregistering_needs_the_password_and_ends_the_account() {
    let app = spawn_app().await;
    let bookstore = Bookstore::new(&app);
    let reader = bookstore.account("reader_5").await;
    let unregister = |user_id: &str, password: &str| {
        let body = json!({"user_id": user_id, "password": password});
        let bookstore = &bookstore;
        async move { bookstore.call("/auth/unregister", None, &body).await }
    };
    unregister(&reader.user_id, "wrong-password")
        .await
        .assert(401, "authorization fail.");
    unregister("nobody", "whatever-password")
        .await
        .assert(401, "authorization fail.");
    bookstore
        .login(&reader.user_id, &reader.password, "t")
        .await
        .assert_ok();

    unregister(&reader.user_id, &reader.password)
        .await
        .assert_ok();
    bookstore
        .login(&reader.user_id, &reader.password, "t")
        .await
        .assert(401, "authorization fail.");
    bookstore
        .create_store(&reader, "ghost_store")
        .await
        .assert(511, "non exist user id reader_5");
    // The user id is free again.
    bookstore
        .register(&reader.user_id, &reader.password)
        .await
        .assert_ok();
}

#[tokio::test]
async fn the_transport_answers_json_with_a_message_even_for_what_it_does_not_know() {
    let app = spawn_app().await;
    let bookstore = Bookstore::new(&app);

    let get = app.get("/bookstore/auth/login").await;
    assert_eq!(get.status(), 405);
    assert_eq!(get.headers()["allow"], "POST");
    let body: Value = get.json().await.unwrap();
    assert!(body["message"].as_str().unwrap().contains("POST"), "{body}");

    bookstore
        .call("/auth/nothing", None, &json!({}))
        .await
        .assert(404, "the contract has no call /bookstore/auth/nothing");

    let malformed = app
        .client
        .post(app.url("/bookstore/auth/login"))
        .body("{not json")
        .send()
        .await
        .unwrap();
    let reply = super::Reply::of(malformed).await;
    assert_eq!(reply.status, 400);
    assert!(
        reply
            .message()
            .starts_with("the body is not a valid request"),
        "{}",
        reply.body
    );
    assert_eq!(reply.body["token"], "");

    // Rules the contract does not name are the native API's: a short password is 422.
    let short = bookstore.register("short_pw", "short").await;
    assert_eq!(short.status, 422, "{}", short.body);
    assert!(short.message().contains("password"), "{}", short.body);
}

#[tokio::test]
async fn a_body_over_the_limit_is_413_and_changes_nothing() {
    let app = testkit::spawn_app_with(|config| config.bookstore_body_limit_bytes = 64 * 1024).await;
    let bookstore = Bookstore::new(&app);
    let seller = bookstore.account("seller_6").await;
    bookstore.create_store(&seller, "store_6").await.assert_ok();
    let mut large = book("1000001", "Too large", 100);
    large["content"] = Value::from("x".repeat(100 * 1024));
    let reply = bookstore.add_book(&seller, "store_6", &large, 1).await;
    reply.assert(413, &format!("the body is larger than {} bytes", 64 * 1024));
    assert_eq!(
        bookstore
            .figure("SELECT count(*)::text FROM products WHERE sku = '1000001'")
            .await,
        "0"
    );
}
