//! Packages (套系): what a package product includes, set by catalogue staff, read by anyone.

use serde_json::{Value, json};
use testkit::{problem, spawn_app};

use super::{PACKAGES, package_terms, product_of_kind};

#[tokio::test]
async fn a_package_is_set_and_read_by_anyone() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    product_of_kind(&app, "PKG-GOLD", "package", "6999.00").await;
    product_of_kind(&app, "PKG-SILVER", "package", "2999.00").await;

    let path = format!("{PACKAGES}/PKG-GOLD");
    let response = app
        .put_json_as(
            &admin,
            &path,
            &json!({"shoot_minutes": 240, "looks": 3, "retouched_photos": 30, "prints": 2,
                    "albums": 1, "extra_photo_price": "50.00", "deposit": "1000.00"}),
        )
        .await;
    assert_eq!(response.status(), 200);
    let gold: Value = response.json().await.unwrap();
    assert_eq!(gold["sku"], "PKG-GOLD");
    assert_eq!(gold["name"], "Package PKG-GOLD");
    assert_eq!(gold["list_price"]["amount"], "6999.00");
    assert_eq!(gold["shoot_minutes"], 240);
    assert_eq!(gold["looks"], 3);
    assert_eq!(gold["retouched_photos"], 30);
    assert_eq!(gold["prints"], 2);
    assert_eq!(gold["albums"], 1);
    assert_eq!(gold["extra_photo_price"]["amount"], "50.00");
    assert_eq!(gold["deposit"]["amount"], "1000.00");
    assert_eq!(
        gold["deposit"]["currency"], gold["list_price"]["currency"],
        "{gold}"
    );

    // Public: no token needed.
    let response = app.get(&path).await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.json::<Value>().await.unwrap(), gold);

    // Set again: replaced, not added.
    let response = app
        .put_json_as(&admin, &path, &package_terms(180, 20, "40.00", "6999.00"))
        .await;
    assert_eq!(response.status(), 200);
    let gold: Value = response.json().await.unwrap();
    assert_eq!(gold["shoot_minutes"], 180);
    assert_eq!(gold["retouched_photos"], 20);
    assert_eq!(
        gold["deposit"]["amount"], "6999.00",
        "a deposit of the whole price"
    );
    let response = app
        .put_json_as(
            &admin,
            &format!("{PACKAGES}/PKG-SILVER"),
            &package_terms(60, 10, "30.00", "500.00"),
        )
        .await;
    assert_eq!(response.status(), 200);
    assert_eq!(app.db.count("packages").await, 2);

    let response = app.get(PACKAGES).await;
    assert_eq!(response.status(), 200);
    let page: Value = response.json().await.unwrap();
    let skus: Vec<&str> = page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["sku"].as_str().unwrap())
        .collect();
    assert_eq!(skus, ["PKG-GOLD", "PKG-SILVER"]);
    assert_eq!(page["items"][0], gold);
}

#[tokio::test]
async fn invalid_packages_are_refused_and_nothing_is_stored() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    product_of_kind(&app, "PKG", "package", "1000.00").await;
    product_of_kind(&app, "MUG", "goods", "20.00").await;
    let path = format!("{PACKAGES}/PKG");

    // A product that is not a package.
    let body = problem::expect(
        app.put_json_as(
            &admin,
            &format!("{PACKAGES}/MUG"),
            &package_terms(60, 10, "10.00", "5.00"),
        )
        .await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(problem::fields(&body), ["sku"]);

    // A deposit above the list price.
    let body = problem::expect(
        app.put_json_as(&admin, &path, &package_terms(60, 10, "10.00", "1000.01"))
            .await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(problem::fields(&body), ["deposit"]);

    // Out of range, every field named.
    let body = problem::expect(
        app.put_json_as(
            &admin,
            &path,
            &json!({"shoot_minutes": 0, "looks": -1, "retouched_photos": -1, "prints": -1,
                    "albums": -1, "extra_photo_price": "-1.00", "deposit": "0.001"}),
        )
        .await,
        422,
        "validation_failed",
    )
    .await;
    let mut fields = problem::fields(&body);
    fields.sort();
    assert_eq!(
        fields,
        [
            "albums",
            "deposit",
            "extra_photo_price",
            "looks",
            "prints",
            "retouched_photos",
            "shoot_minutes"
        ]
    );
    let body = problem::expect(
        app.put_json_as(&admin, &path, &package_terms(961, 10, "10.00", "5.00"))
            .await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(problem::fields(&body), ["shoot_minutes"]);
    assert_eq!(app.db.count("packages").await, 0);
    problem::expect(app.get(&path).await, 404, "not_found").await;

    // A valid package stays as it was when a change is refused.
    let response = app
        .put_json_as(&admin, &path, &package_terms(60, 10, "10.00", "100.00"))
        .await;
    assert_eq!(response.status(), 200);
    let stored: Value = response.json().await.unwrap();
    problem::expect(
        app.put_json_as(&admin, &path, &package_terms(60, 10, "10.00", "5000.00"))
            .await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(app.get(&path).await.json::<Value>().await.unwrap(), stored);
}

#[tokio::test]
async fn unknown_skus_are_not_found_and_only_catalogue_staff_set_packages() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    product_of_kind(&app, "PKG", "package", "1000.00").await;
    let terms = package_terms(60, 10, "10.00", "100.00");

    problem::expect(
        app.put_json_as(&admin, &format!("{PACKAGES}/NOPE"), &terms)
            .await,
        404,
        "not_found",
    )
    .await;
    problem::expect(app.get(&format!("{PACKAGES}/NOPE")).await, 404, "not_found").await;

    let desk = app.new_user_with_role("desk", "front_desk").await;
    problem::expect(
        app.put_json_as(&desk.token, &format!("{PACKAGES}/PKG"), &terms)
            .await,
        403,
        "forbidden",
    )
    .await;
    problem::expect(
        app.put_json(&format!("{PACKAGES}/PKG"), &terms).await,
        401,
        "unauthorized",
    )
    .await;
    assert_eq!(app.db.count("packages").await, 0);
}
