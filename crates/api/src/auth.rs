//! Who is calling, and may they.
//!
//! [`middleware`] authenticates a bearer token once per request, before any handler runs, and
//! leaves the outcome in the request's extensions. The extractors read it without waiting:
//! [`Caller`] requires a valid session (401 without one, 503 when Redis cannot say), and
//! [`Authorized<P>`] also the permission `P` (403 without it), where `P` is one of the markers
//! in [`require`]. Because they are ready at once, a handler that takes one *first* answers
//! 401/403 before it looks at the body or the path: a caller without the right learns nothing
//! about what a valid request would be.
//!
//! A handler's `#[utoipa::path]` names the same permission in its `security` clause
//! (`("bearer" = ["users:manage"])`, `("bearer" = [])` for any signed-in person, `()` for a
//! public endpoint); the permission matrix test calls every documented operation as every
//! built-in role and as an anonymous caller, and fails where code and document disagree.

use std::future::{Ready, ready};
use std::marker::PhantomData;

use actix_web::body::MessageBody;
use actix_web::dev::{Payload, ServiceRequest, ServiceResponse};
use actix_web::http::header;
use actix_web::middleware::Next;
use actix_web::{FromRequest, HttpMessage, HttpRequest, web};
use app::identity::{Authenticated, IdentityError};
use domain::identity::permission::Permission;

use crate::fallback::RouteTable;
use crate::problem::ApiError;
use crate::state::AppState;

/// What [`middleware`] found out about the request's bearer token.
enum Authentication {
    Verified(Box<Authenticated>),
    Refused(IdentityError),
}

/// Authenticates the request's bearer token, if it has one and the operation asked for needs
/// a session (as the OpenAPI document declares), for the extractors to pick up. Other requests
/// pass untouched: a public read costs no session lookup, and a bad token fails only the
/// handlers that need a caller, so public endpoints keep working for a client holding an
/// expired token.
pub async fn middleware(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody + 'static>, actix_web::Error> {
    let state = req.app_data::<web::Data<AppState>>().cloned();
    let needed = req
        .app_data::<web::Data<RouteTable>>()
        .is_none_or(|routes| routes.needs_session(req.method(), req.path()));
    if let (true, Some(token), Some(state)) = (needed, bearer_token(req.request()), state) {
        let outcome = match state.identity.authenticate(&token).await {
            Ok(caller) => {
                tracing::Span::current().record("user_id", caller.principal.user_id);
                Authentication::Verified(Box::new(caller))
            }
            Err(error) => Authentication::Refused(error),
        };
        req.extensions_mut().insert(outcome);
    }
    next.call(req).await
}

fn bearer_token(req: &HttpRequest) -> Option<String> {
    let value = req.headers().get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then(|| token.trim().to_owned())
}

/// The authenticated caller.
pub struct Caller(pub Authenticated);

impl Caller {
    fn take(req: &HttpRequest) -> Result<Self, ApiError> {
        match req.extensions_mut().remove::<Authentication>() {
            Some(Authentication::Verified(caller)) => Ok(Caller(*caller)),
            Some(Authentication::Refused(error)) => Err(error.into()),
            None => Err(ApiError::unauthorized(
                "Send a session token as `Authorization: Bearer <token>`.",
            )),
        }
    }
}

impl FromRequest for Caller {
    type Error = ApiError;
    type Future = Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(Self::take(req))
    }
}

/// The permissions an endpoint accepts, as a type: the caller needs one of them. The
/// operation's `security` lists each as an alternative.
pub trait Requirement {
    const ANY_OF: &'static [Permission];
}

/// The authenticated caller, holding one of the permissions of `P`.
pub struct Authorized<P: Requirement>(pub Authenticated, PhantomData<P>);

impl<P: Requirement> FromRequest for Authorized<P> {
    type Error = ApiError;
    type Future = Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(Caller::take(req).and_then(|Caller(caller)| {
            caller.require_any(P::ANY_OF)?;
            Ok(Authorized(caller, PhantomData))
        }))
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
                    const ANY_OF: &'static [Permission] = &[Permission::$marker];
                }
            )+
        };
    }

    /// Requires `stores:open` (a seller opening their own store) or `stores:manage` (staff).
    pub struct OpenStores;
    impl Requirement for OpenStores {
        const ANY_OF: &'static [Permission] = &[Permission::StoresOpen, Permission::StoresManage];
    }

    /// Requires `studio:schedule` (front desk, managers) or `studio:shoots` (the people who
    /// shoot): seeing when people and rooms are free.
    pub struct ScheduleOrShoots;
    impl Requirement for ScheduleOrShoots {
        const ANY_OF: &'static [Permission] =
            &[Permission::StudioSchedule, Permission::StudioShoots];
    }

    markers! {
        UsersRead,
        UsersManage,
        SettingsRead,
        SettingsWrite,
        MessagesRead,
        CatalogWrite,
        LedgerRead,
        MarketingManage,
        StudioSchedule,
    }
}

/// The client's address, for rate limits: the connection's peer, or the proxy's report of it
/// when the deployment trusts its proxy.
pub fn client_address(req: &HttpRequest, trust_forwarded_for: bool) -> Option<String> {
    let raw = if trust_forwarded_for {
        req.connection_info()
            .realip_remote_addr()
            .map(str::to_owned)
    } else {
        req.peer_addr().map(|addr| addr.ip().to_string())
    }?;
    // `realip_remote_addr` may carry a port.
    Some(match raw.parse::<std::net::SocketAddr>() {
        Ok(socket) => socket.ip().to_string(),
        Err(_) => raw,
    })
}
