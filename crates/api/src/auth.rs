//! Who is calling, and may they: the extractors every protected handler takes.
//!
//! [`Caller`] authenticates a bearer session token (401 without a valid one, 503 when Redis
//! cannot say). [`Authorized<P>`] also requires the permission `P` (403 without it), where `P` is
//! one of the markers in [`require`]. A handler's `#[utoipa::path]` names the same permission in
//! its `security` clause (`("bearer" = ["users:manage"])`); the permission matrix test calls
//! every documented operation as every built-in role and fails where code and document disagree.

use std::future::Future;
use std::marker::PhantomData;
use std::pin::Pin;

use actix_web::dev::Payload;
use actix_web::http::header;
use actix_web::{FromRequest, HttpRequest, web};
use app::identity::Authenticated;
use domain::identity::permission::Permission;

use crate::problem::ApiError;
use crate::state::AppState;

/// The authenticated caller.
pub struct Caller(pub Authenticated);

impl FromRequest for Caller {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, ApiError>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let token = bearer_token(req);
        let state = req.app_data::<web::Data<AppState>>().cloned();
        Box::pin(async move {
            let token = token.ok_or_else(|| {
                ApiError::unauthorized("Send a session token as `Authorization: Bearer <token>`.")
            })?;
            let state = state.ok_or_else(|| ApiError::internal(anyhow::anyhow!("no AppState")))?;
            Ok(Caller(state.identity.authenticate(&token).await?))
        })
    }
}

fn bearer_token(req: &HttpRequest) -> Option<String> {
    let value = req.headers().get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then(|| token.trim().to_owned())
}

/// A permission an endpoint requires, as a type.
pub trait Requirement {
    const PERMISSION: Permission;
}

/// The authenticated caller, holding the permission `P`.
pub struct Authorized<P: Requirement>(pub Authenticated, PhantomData<P>);

impl<P: Requirement + 'static> FromRequest for Authorized<P> {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, ApiError>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let caller = Caller::from_request(req, payload);
        Box::pin(async move {
            let Caller(caller) = caller.await?;
            caller.require(P::PERMISSION)?;
            Ok(Authorized(caller, PhantomData))
        })
    }
}

/// The permission markers for [`Authorized`].
pub mod require {
    use super::{Permission, Requirement};

    macro_rules! markers {
        ($($marker:ident,)+) => {
            $(
                #[doc = concat!("Requires `Permission::", stringify!($marker), "`.")]
                pub struct $marker;
                impl Requirement for $marker {
                    const PERMISSION: Permission = Permission::$marker;
                }
            )+
        };
    }

    markers! {
        UsersRead,
        UsersManage,
        SettingsRead,
        SettingsWrite,
        MessagesRead,
    }
}

/// The client's address, for rate limits: the connection's peer, or the proxy's report of it
/// when the deployment trusts its proxy.
pub fn client_address(req: &HttpRequest, trust_forwarded_for: bool) -> Option<String> {
    let raw = if trust_forwarded_for {
        req.connection_info().realip_remote_addr().map(str::to_owned)
    } else {
        req.peer_addr().map(|addr| addr.ip().to_string())
    }?;
    // `realip_remote_addr` may carry a port.
    Some(match raw.parse::<std::net::SocketAddr>() {
        Ok(socket) => socket.ip().to_string(),
        Err(_) => raw,
    })
}
