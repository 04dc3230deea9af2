//! The shop the checkout benchmark buys from, made through the HTTP API on a fresh database:
//! sellers with a store each, products stocked in every store far beyond what a run sells, and
//! buyers with money in their wallets. The ids come back as ranges so that pgbench can draw
//! from them.

use std::ops::RangeInclusive;

use anyhow::{Context, bail};
use reqwest::Method;
use serde_json::{Value, json};

use super::super::harness::{ADMIN_PASSWORD, Psql};

/// Items of each product each store receives (the most one receipt takes).
pub const STOCK_PER_LINE: u32 = 1_000_000;
/// What each buyer's wallet is topped up with.
pub const WALLET_TOP_UP: &str = "100000.00";

/// How big a shop to make.
pub struct Size {
    pub stores: u32,
    pub products: u32,
    pub buyers: u32,
}

/// The shop as the load needs it.
pub struct Shop {
    pub store_codes: Vec<String>,
    /// The currency prices are in (the `currency` setting).
    pub currency: String,
    pub store_ids: RangeInclusive<i64>,
    pub product_ids: RangeInclusive<i64>,
    pub buyer_ids: RangeInclusive<i64>,
    /// A session token per buyer, in the order of their ids.
    pub buyer_tokens: Vec<String>,
}

/// The HTTP API as the set-up uses it: JSON in, JSON out, a status expected.
pub struct Api {
    pub client: reqwest::Client,
    pub base: String,
}

impl Api {
    pub async fn call(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        body: &Value,
        expected: u16,
    ) -> anyhow::Result<Value> {
        let mut request = self
            .client
            .request(method.clone(), format!("{}{path}", self.base))
            .json(body);
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        let response = request
            .send()
            .await
            .with_context(|| format!("{method} {path}"))?;
        let status = response.status();
        let text = response.text().await?;
        if status.as_u16() != expected {
            bail!("{method} {path}: {status} (expected {expected}): {text}");
        }
        Ok(serde_json::from_str(&text).unwrap_or(Value::Null))
    }

    /// Registers `username` (password `<username>-password`) and logs in: the session token.
    async fn account(&self, username: &str) -> anyhow::Result<String> {
        let password = format!("{username}-password");
        self.call(
            Method::POST,
            "/api/v1/identity/users",
            None,
            &json!({"username": username, "password": password,
                    "email": format!("{username}@example.com")}),
            201,
        )
        .await?;
        self.login(username, &password).await
    }

    pub async fn login(&self, login: &str, password: &str) -> anyhow::Result<String> {
        let session = self
            .call(
                Method::POST,
                "/api/v1/identity/sessions",
                None,
                &json!({"login": login, "password": password, "terminal": "bench"}),
                201,
            )
            .await?;
        session["token"]
            .as_str()
            .map(str::to_owned)
            .context("a session without a token")
    }
}

/// Makes the shop; the database is new, so the names cannot clash.
pub async fn make(api: &Api, psql: &Psql, size: &Size) -> anyhow::Result<Shop> {
    let admin = api.login("admin", ADMIN_PASSWORD).await?;
    let mut store_codes = Vec::new();
    let mut seller_tokens = Vec::new();
    for i in 0..size.stores {
        let username = format!("bench-seller-{i}");
        let token = api.account(&username).await?;
        api.call(
            Method::PUT,
            &format!("/api/v1/identity/users/{username}/role"),
            Some(&admin),
            &json!({"role": "seller"}),
            200,
        )
        .await?;
        let code = format!("bench-{i}");
        api.call(
            Method::POST,
            "/api/v1/stores",
            Some(&token),
            &json!({"code": code, "name": format!("Bench shop {i}")}),
            201,
        )
        .await?;
        store_codes.push(code);
        seller_tokens.push(token);
    }
    let mut product_ids = Vec::new();
    let mut currency = String::new();
    for j in 0..size.products {
        let product = api
            .call(
                Method::POST,
                "/api/v1/catalog/products",
                Some(&admin),
                &json!({"sku": format!("BENCH-{j}"), "name": format!("Bench product {j}"),
                        "list_price": format!("{}.50", 10 + j)}),
                201,
            )
            .await?;
        product_ids.push(product["id"].as_i64().context("a product without an id")?);
        product["list_price"]["currency"]
            .as_str()
            .context("a price without a currency")?
            .clone_into(&mut currency);
    }
    for (code, token) in store_codes.iter().zip(&seller_tokens) {
        for id in &product_ids {
            api.call(
                Method::POST,
                &format!("/api/v1/stores/{code}/inventory/{id}/receipts"),
                Some(token),
                &json!({"quantity": STOCK_PER_LINE, "note": "bench"}),
                201,
            )
            .await?;
        }
    }
    let mut buyer_tokens = Vec::new();
    for k in 0..size.buyers {
        let token = api.account(&format!("bench-buyer-{k}")).await?;
        api.call(
            Method::POST,
            "/api/v1/wallet/top-ups",
            Some(&token),
            &json!({"amount": WALLET_TOP_UP}),
            201,
        )
        .await?;
        buyer_tokens.push(token);
    }
    Ok(Shop {
        store_ids: id_range(
            psql,
            "SELECT id FROM stores WHERE code LIKE 'bench-%' ORDER BY id",
            size.stores,
        )?,
        product_ids: id_range(
            psql,
            "SELECT id FROM products WHERE sku LIKE 'BENCH-%' ORDER BY id",
            size.products,
        )?,
        buyer_ids: id_range(
            psql,
            "SELECT id FROM users WHERE username LIKE 'bench-buyer-%' ORDER BY id",
            size.buyers,
        )?,
        store_codes,
        currency,
        buyer_tokens,
    })
}

/// The ids `sql` lists, which must be `count` consecutive numbers (pgbench draws from a range).
fn id_range(psql: &Psql, sql: &str, count: u32) -> anyhow::Result<RangeInclusive<i64>> {
    let ids: Vec<i64> = psql
        .run(sql)?
        .lines()
        .map(|line| line.trim().parse())
        .collect::<Result<_, _>>()?;
    let (Some(&first), Some(&last)) = (ids.first(), ids.last()) else {
        bail!("no rows for `{sql}`");
    };
    if ids.len() != count as usize || last - first + 1 != i64::from(count) {
        bail!(
            "`{sql}` gave {} ids from {first} to {last}, not {count} in a row",
            ids.len()
        );
    }
    Ok(first..=last)
}
