//! Several HTTP workers, each with a state and pools of its own (`api::state`): every worker
//! serves, and together they open no more connections than the configuration allows.

use testkit::spawn_app_with;
use tokio::task::JoinSet;

#[tokio::test]
async fn every_worker_serves_within_its_share_of_the_pools() {
    let app = spawn_app_with(|config| {
        config.workers = Some(2);
        config.db_pool_size = 2;
        config.redis_pool_size = 2;
    })
    .await;
    let user = app.new_user("worker-test").await;
    let mut clients = JoinSet::new();
    // A client of its own for each task: its own TCP connections, which the server hands to
    // its workers in turn.
    for _ in 0..6 {
        let (url, token) = (app.url("/api/v1/identity/me"), user.token.clone());
        clients.spawn(async move {
            let client = reqwest::Client::new();
            for _ in 0..10 {
                let response = client.get(&url).bearer_auth(&token).send().await.unwrap();
                assert_eq!(response.status(), 200);
                let me: serde_json::Value = response.json().await.unwrap();
                assert_eq!(me["username"], "worker-test");
            }
        });
    }
    while let Some(done) = clients.join_next().await {
        done.unwrap();
    }
    // One connection a worker (2 / 2), and the start-up state's two.
    let opened: i64 = app
        .db
        .query_text(&format!(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = '{}' AND pid <> pg_backend_pid()",
            app.db.name()
        ))
        .await
        .unwrap()
        .parse()
        .unwrap();
    assert!(
        (1..=4).contains(&opened),
        "{opened} connections for 2 workers with a pool of 2 between them"
    );
}
