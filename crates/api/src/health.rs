//! `/healthz`: the process is up. `/readyz`: it can serve, because PostgreSQL and Redis answer.
//! A load balancer routes to ready replicas and restarts ones that are not alive.

use actix_web::{HttpResponse, get, web};
use serde::Serialize;
use utoipa::ToSchema;

use crate::problem::{ApiError, ProblemCode};
use crate::state::AppState;

#[derive(Debug, Serialize, ToSchema)]
pub struct Liveness {
    /// Always `ok`.
    pub status: &'static str,
}

#[derive(Debug, Clone, Copy, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum DependencyState {
    Up,
    Down,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DependencyReport {
    /// `postgres` or `redis`.
    pub name: &'static str,
    pub status: DependencyState,
    pub latency_ms: u64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Readiness {
    /// Always `ready`: when not ready the answer is a 503 problem.
    pub status: &'static str,
    pub dependencies: Vec<DependencyReport>,
}

/// Report whether the process is up.
#[utoipa::path(
    tag = "operations",
    responses((status = 200, description = "The process is up.", body = Liveness)),
)]
#[get("/healthz")]
pub async fn get_liveness() -> web::Json<Liveness> {
    web::Json(Liveness { status: "ok" })
}

/// Report whether PostgreSQL and Redis answer.
///
/// The 503 problem lists every dependency under `dependencies`, as the 200 does. Why a
/// dependency is down is logged, not shown.
#[utoipa::path(
    tag = "operations",
    responses(
        (status = 200, description = "Every dependency answers.", body = Readiness),
        (status = 503, description = "A dependency does not answer.", body = crate::problem::Problem,
         content_type = "application/problem+json"),
    ),
)]
#[get("/readyz")]
pub async fn get_readiness(state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    let report = state.readiness.check().await;
    let dependencies: Vec<DependencyReport> = report
        .dependencies
        .iter()
        .map(|d| DependencyReport {
            name: d.name,
            status: if d.healthy {
                DependencyState::Up
            } else {
                DependencyState::Down
            },
            latency_ms: u64::try_from(d.latency.as_millis()).unwrap_or(u64::MAX),
        })
        .collect();
    if report.is_ready() {
        return Ok(HttpResponse::Ok().json(Readiness {
            status: "ready",
            dependencies,
        }));
    }
    let down: Vec<&str> = report
        .dependencies
        .iter()
        .filter(|d| !d.healthy)
        .map(|d| d.name)
        .collect();
    Err(ApiError::new(
        ProblemCode::ServiceUnavailable,
        format!("Not ready: {} down.", down.join(", ")),
    )
    .with_extension(
        "dependencies",
        serde_json::to_value(&dependencies).unwrap_or_default(),
    ))
}
