//! Coupon redemptions against real PostgreSQL: the limits hold when redemptions race, and a
//! released use can be taken again. The orders redeemed for are empty fixtures.

use std::sync::Arc;
use std::time::Duration;

use adapters_pg::marketing::PgCouponRepository;
use adapters_pg::{PgPool, PoolSettings};
use chrono::{TimeDelta, Utc};
use domain::marketing::coupon::{
    CouponCode, CouponId, CouponTerms, Discount, UseLimit, ValidityWindow,
};
use domain::money::Money;
use ports::marketing::{CouponRepository, Redemption, RedemptionError};
use testkit::TestDatabase;
use tokio::task::JoinSet;

fn pool(db: &TestDatabase) -> PgPool {
    adapters_pg::connect(
        db.url(),
        &PoolSettings {
            max_size: 20,
            timeout: Duration::from_secs(10),
        },
    )
    .unwrap()
}

/// `count` new accounts; their ids.
async fn accounts(db: &TestDatabase, count: usize) -> Vec<i64> {
    db.execute(&format!(
        "INSERT INTO roles (name) VALUES ('buyers');
         INSERT INTO users (username, password_hash, role_id)
         SELECT 'buyer-' || n, 'x', (SELECT id FROM roles WHERE name = 'buyers')
         FROM generate_series(1, {count}) AS n;"
    ))
    .await;
    let ids = db
        .query_text("SELECT string_agg(id::text, ',' ORDER BY id) FROM users")
        .await
        .unwrap();
    // The orders the tests redeem for.
    testkit::builders::orders(db, (1..=10).chain(1000..1020).chain(2000..2010)).await;
    ids.split(',').map(|id| id.parse().unwrap()).collect()
}

fn terms(usage_limit: Option<i64>, per_customer_limit: Option<i64>) -> CouponTerms {
    CouponTerms {
        code: CouponCode::parse("RACE-5").unwrap(),
        description: String::new(),
        discount: Discount::Fixed(Money::from_cents(500).unwrap()),
        window: ValidityWindow::parse(Utc::now() - TimeDelta::days(1), None).unwrap(),
        min_order_amount: Money::ZERO,
        usage_limit: usage_limit.map(|n| UseLimit::parse(n).unwrap()),
        per_customer_limit: per_customer_limit.map(|n| UseLimit::parse(n).unwrap()),
        campaign_id: None,
        store_id: None,
        active: true,
    }
}

fn redemption(coupon_id: CouponId, user_id: i64, order_id: i64) -> Redemption {
    Redemption {
        coupon_id,
        user_id,
        order_id,
        discount: Money::from_cents(500).unwrap(),
    }
}

async fn used_count(db: &TestDatabase, coupon: CouponId) -> i64 {
    db.query_text(&format!(
        "SELECT used_count FROM coupons WHERE id = {coupon}"
    ))
    .await
    .unwrap()
    .parse()
    .unwrap()
}

/// Runs the redemptions all at once; their outcomes, in order.
async fn race(
    repo: &Arc<PgCouponRepository>,
    redemptions: Vec<Redemption>,
) -> Vec<Result<(), RedemptionError>> {
    let mut tasks = JoinSet::new();
    for (i, r) in redemptions.into_iter().enumerate() {
        let repo = repo.clone();
        tasks.spawn(async move { (i, repo.redeem(&r).await) });
    }
    let mut outcomes: Vec<_> = tasks.join_all().await;
    outcomes.sort_by_key(|(i, _)| *i);
    outcomes.into_iter().map(|(_, outcome)| outcome).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn twenty_concurrent_redemptions_of_a_coupon_limited_to_five_take_five() {
    let db = TestDatabase::new().await;
    let people = accounts(&db, 20).await;
    let repo = Arc::new(PgCouponRepository::new(pool(&db)));
    let coupon = repo.create(&terms(Some(5), None)).await.unwrap();

    let outcomes = race(
        &repo,
        people
            .iter()
            .enumerate()
            .map(|(i, &user)| redemption(coupon.id, user, 1000 + i as i64))
            .collect(),
    )
    .await;

    let taken = outcomes.iter().filter(|o| o.is_ok()).count();
    let exhausted = outcomes
        .iter()
        .filter(|o| matches!(o, Err(RedemptionError::Exhausted)))
        .count();
    assert_eq!((taken, exhausted), (5, 15), "{outcomes:?}");
    assert_eq!(db.count("coupon_redemptions").await, 5);
    assert_eq!(used_count(&db, coupon.id).await, 5);
    let found = repo.find(coupon.id).await.unwrap().unwrap();
    assert_eq!(found.remaining_uses(), Some(0));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn one_person_racing_ten_redemptions_against_a_limit_of_one_gets_one() {
    let db = TestDatabase::new().await;
    let person = accounts(&db, 1).await[0];
    let repo = Arc::new(PgCouponRepository::new(pool(&db)));
    let coupon = repo.create(&terms(None, Some(1))).await.unwrap();

    let outcomes = race(
        &repo,
        (0..10)
            .map(|i| redemption(coupon.id, person, 2000 + i))
            .collect(),
    )
    .await;

    let taken = outcomes.iter().filter(|o| o.is_ok()).count();
    let refused = outcomes
        .iter()
        .filter(|o| matches!(o, Err(RedemptionError::CustomerLimitReached)))
        .count();
    assert_eq!((taken, refused), (1, 9), "{outcomes:?}");
    assert_eq!(db.count("coupon_redemptions").await, 1);
    // The refused ones took no use: their increments rolled back.
    assert_eq!(used_count(&db, coupon.id).await, 1);
    assert_eq!(repo.customer_uses(coupon.id, person).await.unwrap(), 1);
}

#[tokio::test]
async fn a_released_use_can_be_taken_again() {
    let db = TestDatabase::new().await;
    let people = accounts(&db, 3).await;
    let repo = Arc::new(PgCouponRepository::new(pool(&db)));
    let coupon = repo.create(&terms(Some(2), Some(1))).await.unwrap();

    repo.redeem(&redemption(coupon.id, people[0], 1))
        .await
        .unwrap();
    repo.redeem(&redemption(coupon.id, people[1], 2))
        .await
        .unwrap();
    assert!(matches!(
        repo.redeem(&redemption(coupon.id, people[2], 3)).await,
        Err(RedemptionError::Exhausted)
    ));

    assert!(repo.release(1).await.unwrap(), "order 1 had the coupon");
    assert_eq!(used_count(&db, coupon.id).await, 1);
    assert_eq!(repo.customer_uses(coupon.id, people[0]).await.unwrap(), 0);
    assert!(!repo.release(1).await.unwrap(), "released once only");
    assert!(
        !repo.release(99).await.unwrap(),
        "an order without a coupon"
    );

    repo.redeem(&redemption(coupon.id, people[2], 3))
        .await
        .unwrap();
    // The first customer's use came back too.
    assert!(matches!(
        repo.redeem(&redemption(coupon.id, people[0], 4)).await,
        Err(RedemptionError::Exhausted)
    ));
    assert_eq!(used_count(&db, coupon.id).await, 2);
    assert_eq!(db.count("coupon_redemptions").await, 2);
}

#[tokio::test]
async fn a_switched_off_coupon_or_an_order_with_a_coupon_takes_no_use() {
    let db = TestDatabase::new().await;
    let people = accounts(&db, 1).await;
    let repo = Arc::new(PgCouponRepository::new(pool(&db)));
    let coupon = repo.create(&terms(None, None)).await.unwrap();

    repo.redeem(&redemption(coupon.id, people[0], 7))
        .await
        .unwrap();
    assert!(matches!(
        repo.redeem(&redemption(coupon.id, people[0], 7)).await,
        Err(RedemptionError::OrderHasCoupon)
    ));
    assert_eq!(used_count(&db, coupon.id).await, 1);

    let mut off = coupon.terms.clone();
    off.active = false;
    repo.update(coupon.id, &off).await.unwrap();
    assert!(matches!(
        repo.redeem(&redemption(coupon.id, people[0], 8)).await,
        Err(RedemptionError::Inactive)
    ));
    assert!(matches!(
        repo.redeem(&redemption(coupon.id + 1, people[0], 9)).await,
        Err(RedemptionError::Inactive)
    ));
    assert_eq!(used_count(&db, coupon.id).await, 1);
    // The database refuses what the domain never asks for.
    let refused = db
        .refused(&format!(
            "UPDATE coupons SET usage_limit = 1, used_count = 2 WHERE id = {}",
            coupon.id
        ))
        .await;
    assert!(refused.contains("coupons_used_count_check"), "{refused}");
}
