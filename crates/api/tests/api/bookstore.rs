//! The bookstore contract (`shared/contracts/bookstore-v1.md`) over HTTP, spoken the way its
//! clients speak it: POST, a JSON body, the `token` header, integer cents. Each file covers
//! the rows of one table of the contract and their error codes; `flows` the journeys.

mod accounts;
mod buying;
mod flows;
mod search;
mod selling;

use reqwest::Response;
use serde_json::{Value, json};
use testkit::TestApp;

/// A response: its status and JSON body (every answer of the contract is JSON).
#[derive(Debug)]
pub struct Reply {
    pub status: u16,
    pub body: Value,
}

impl Reply {
    async fn of(response: Response) -> Self {
        let status = response.status().as_u16();
        let text = response.text().await.expect("a body");
        let body = serde_json::from_str(&text)
            .unwrap_or_else(|e| panic!("a JSON answer ({e}), got {status} {text:?}"));
        Self { status, body }
    }

    pub fn message(&self) -> &str {
        self.body["message"]
            .as_str()
            .expect("every answer holds `message`")
    }

    /// Asserts the status and the message text, exactly.
    #[track_caller]
    pub fn assert(&self, status: u16, message: &str) {
        assert_eq!(
            (self.status, self.message()),
            (status, message),
            "{}",
            self.body
        );
    }

    #[track_caller]
    pub fn assert_ok(&self) {
        self.assert(200, "ok");
    }
}

/// An account of the contract: its `user_id`, password and the token of its login.
#[derive(Debug, Clone)]
pub struct Account {
    pub user_id: String,
    pub password: String,
    pub token: String,
}

/// The contract's client over a test app.
pub struct Bookstore<'a> {
    pub app: &'a TestApp,
}

impl<'a> Bookstore<'a> {
    pub fn new(app: &'a TestApp) -> Self {
        Self { app }
    }

    /// `POST /bookstore<path>` with `body`, and the `token` header when given.
    pub async fn call(&self, path: &str, token: Option<&str>, body: &Value) -> Reply {
        let mut request = self
            .app
            .client
            .post(self.app.url(&format!("/bookstore{path}")));
        if let Some(token) = token {
            request = request.header("token", token);
        }
        Reply::of(
            request
                .json(body)
                .send()
                .await
                .expect("sending the request"),
        )
        .await
    }

    pub async fn register(&self, user_id: &str, password: &str) -> Reply {
        self.call(
            "/auth/register",
            None,
            &json!({"user_id": user_id, "password": password}),
        )
        .await
    }

    pub async fn login(&self, user_id: &str, password: &str, terminal: &str) -> Reply {
        self.call(
            "/auth/login",
            None,
            &json!({"user_id": user_id, "password": password, "terminal": terminal}),
        )
        .await
    }

    /// Registers `user_id` (its password is `<user_id>-password`) and logs in.
    pub async fn account(&self, user_id: &str) -> Account {
        let password = format!("{user_id}-password");
        self.register(user_id, &password).await.assert_ok();
        let login = self.login(user_id, &password, "my terminal").await;
        login.assert_ok();
        Account {
            user_id: user_id.to_owned(),
            password,
            token: login.body["token"].as_str().expect("a token").to_owned(),
        }
    }

    pub async fn create_store(&self, seller: &Account, store_id: &str) -> Reply {
        self.call(
            "/seller/create_store",
            Some(&seller.token),
            &json!({"user_id": seller.user_id, "store_id": store_id}),
        )
        .await
    }

    pub async fn add_book(
        &self,
        seller: &Account,
        store_id: &str,
        book: &Value,
        stock_level: i64,
    ) -> Reply {
        self.call(
            "/seller/add_book",
            Some(&seller.token),
            &json!({
                "user_id": seller.user_id,
                "store_id": store_id,
                "book_info": book,
                "stock_level": stock_level,
            }),
        )
        .await
    }

    pub async fn add_stock_level(
        &self,
        seller: &Account,
        store_id: &str,
        book_id: &str,
        add: i64,
    ) -> Reply {
        self.call(
            "/seller/add_stock_level",
            Some(&seller.token),
            &json!({
                "user_id": seller.user_id,
                "store_id": store_id,
                "book_id": book_id,
                "add_stock_level": add,
            }),
        )
        .await
    }

    /// A seller with a store offering each of `books` with `stock` on hand.
    pub async fn store_with(
        &self,
        seller: &str,
        store_id: &str,
        books: &[Value],
        stock: i64,
    ) -> Account {
        let seller = self.account(seller).await;
        self.create_store(&seller, store_id).await.assert_ok();
        for book in books {
            self.add_book(&seller, store_id, book, stock)
                .await
                .assert_ok();
        }
        seller
    }

    pub async fn new_order(&self, buyer: &Account, store_id: &str, books: &[(&str, i64)]) -> Reply {
        let books: Vec<Value> = books
            .iter()
            .map(|(id, count)| json!({"id": id, "count": count}))
            .collect();
        self.call(
            "/buyer/new_order",
            Some(&buyer.token),
            &json!({"user_id": buyer.user_id, "store_id": store_id, "books": books}),
        )
        .await
    }

    /// Places an order, expecting success; its `order_id`.
    pub async fn order_id(&self, buyer: &Account, store_id: &str, books: &[(&str, i64)]) -> String {
        let reply = self.new_order(buyer, store_id, books).await;
        reply.assert_ok();
        reply.body["order_id"]
            .as_str()
            .expect("an order id")
            .to_owned()
    }

    pub async fn payment(&self, buyer: &Account, order_id: &str) -> Reply {
        self.call(
            "/buyer/payment",
            Some(&buyer.token),
            &json!({"user_id": buyer.user_id, "password": buyer.password, "order_id": order_id}),
        )
        .await
    }

    pub async fn add_funds(&self, buyer: &Account, cents: i64) -> Reply {
        self.call(
            "/buyer/add_funds",
            Some(&buyer.token),
            &json!({"user_id": buyer.user_id, "password": buyer.password, "add_value": cents}),
        )
        .await
    }

    pub async fn ship(&self, seller: &Account, store_id: &str, order_id: &str) -> Reply {
        self.call(
            "/seller/ship",
            Some(&seller.token),
            &json!({"user_id": seller.user_id, "store_id": store_id, "order_id": order_id}),
        )
        .await
    }

    /// `/buyer/receive`, `/buyer/cancel_order`: the buyer names the order.
    pub async fn buyer_moves(&self, call: &str, buyer: &Account, order_id: &str) -> Reply {
        self.call(
            &format!("/buyer/{call}"),
            Some(&buyer.token),
            &json!({"user_id": buyer.user_id, "order_id": order_id}),
        )
        .await
    }

    pub async fn orders(&self, buyer: &Account, page: i64, page_size: i64) -> Reply {
        self.call(
            "/buyer/orders",
            Some(&buyer.token),
            &json!({"user_id": buyer.user_id, "page": page, "page_size": page_size}),
        )
        .await
    }

    pub async fn search(&self, body: &Value) -> Reply {
        self.call("/search", None, body).await
    }

    /// A figure straight from the database: `sql` returns one text value.
    pub async fn figure(&self, sql: &str) -> String {
        self.app.db.query_text(sql).await.unwrap_or_default()
    }

    /// The store's stock of the book: `on_hand/reserved price`.
    pub async fn stock(&self, store_id: &str, book_id: &str) -> String {
        self.figure(&format!(
            "SELECT i.on_hand || '/' || i.reserved || ' ' || i.price FROM store_inventory i \
             JOIN stores s ON s.id = i.store_id JOIN products p ON p.id = i.product_id \
             WHERE s.code = '{store_id}' AND p.sku = '{book_id}'"
        ))
        .await
    }

    /// The wallet balance of `user_id` in cents.
    pub async fn balance(&self, user_id: &str) -> i64 {
        let balance = testkit::ledger::wallet_balance(&self.app.db, user_id).await;
        let cents = balance.replace('.', "");
        cents.parse().expect("a balance in cents")
    }
}

/// One book as the clients send it: Douban's fields, a price in cents, tags, no pictures.
pub fn book(id: &str, title: &str, price: i64) -> Value {
    json!({
        "id": id,
        "title": title,
        "author": "刘慈欣",
        "publisher": "重庆出版社",
        "original_title": null,
        "translator": null,
        "pub_year": "2008-1",
        "pages": 302,
        "price": price,
        "currency_unit": "元",
        "binding": "平装",
        "isbn": "9787536692930",
        "author_intro": "刘慈欣，中国科幻小说作家。",
        "book_intro": "文化大革命如火如荼进行的同时，军方探寻外星文明的绝秘计划取得了突破性进展。",
        "content": "第一部 寂静的春天",
        "tags": ["科幻", "刘慈欣", "三体", "中国"],
        "pictures": [],
    })
}
