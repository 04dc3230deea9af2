//! The bookstore contract (`shared/contracts/bookstore-v1.md`): the calls of the existing
//! bookstore clients, served under `/bookstore/` as a second driving adapter over the same use
//! cases as the native API. It only translates: a `user_id` is a username, a `store_id` a
//! store's code, a book `id` a product's SKU (one product, stocked by each store that lists
//! it at its own price), an `order_id` an order's number, money integer cents; use-case errors
//! become the contract's status codes and message texts (`reply`).
//!
//! Every call is a POST with a JSON body and answers JSON holding `message`. These routes are
//! not in the OpenAPI document: the contract is its own.

mod auth;
mod buyer;
mod caller;
mod cents;
mod orders;
mod pages;
pub mod reply;
mod search;
mod seller;

use actix_web::dev::HttpServiceFactory;
use actix_web::{HttpRequest, HttpResponse, Route, web};

use reply::{BodyLimit, Refusal, respond};

pub const PREFIX: &str = "/bookstore";

/// The contract's routes, taking bodies of up to `body_limit` bytes.
pub fn scope(body_limit: usize) -> impl HttpServiceFactory {
    let call = |path: &str, handler: Route| {
        web::resource(path)
            .route(handler)
            .default_service(web::to(not_allowed))
    };
    web::scope(PREFIX)
        .app_data(web::Data::new(BodyLimit(body_limit)))
        .service(call("/auth/register", web::post().to(auth::register)))
        .service(call("/auth/unregister", web::post().to(auth::unregister)))
        .service(call("/auth/login", web::post().to(auth::login)))
        .service(call("/auth/logout", web::post().to(auth::logout)))
        .service(call("/auth/password", web::post().to(auth::password)))
        .service(call(
            "/seller/create_store",
            web::post().to(seller::create_store),
        ))
        .service(call("/seller/add_book", web::post().to(seller::add_book)))
        .service(call(
            "/seller/add_stock_level",
            web::post().to(seller::add_stock_level),
        ))
        .service(call("/seller/ship", web::post().to(seller::ship)))
        .service(call("/buyer/new_order", web::post().to(buyer::new_order)))
        .service(call("/buyer/payment", web::post().to(buyer::payment)))
        .service(call("/buyer/add_funds", web::post().to(buyer::add_funds)))
        .service(call("/buyer/receive", web::post().to(buyer::receive)))
        .service(call(
            "/buyer/cancel_order",
            web::post().to(buyer::cancel_order),
        ))
        .service(call("/buyer/orders", web::post().to(buyer::orders)))
        .service(call("/search", web::post().to(search::search)))
        .default_service(web::to(no_call))
}

async fn not_allowed(req: HttpRequest) -> HttpResponse {
    let mut response = respond(
        Err(Refusal::status(
            405,
            format!("{} is not allowed: every call is a POST", req.method()),
        )),
        None,
    );
    response.headers_mut().insert(
        actix_web::http::header::ALLOW,
        actix_web::http::header::HeaderValue::from_static("POST"),
    );
    response
}

async fn no_call(req: HttpRequest) -> HttpResponse {
    respond(
        Err(Refusal::status(
            404,
            format!("the contract has no call {}", req.path()),
        )),
        None,
    )
}
