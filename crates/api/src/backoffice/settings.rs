use actix_web::{delete, get, put, web};
use app::backoffice::settings::SettingsError;
use chrono::{DateTime, Utc};
use domain::backoffice::settings::{Setting, SettingKind};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::Validate;

use crate::auth::{Authorized, require};
use crate::extract::Json;
use crate::pagination::Page;
use crate::problem::ApiError;
use crate::state::AppState;

impl From<SettingsError> for ApiError {
    fn from(error: SettingsError) -> Self {
        match error {
            SettingsError::NotFound(name) => {
                ApiError::not_found(format!("There is no setting called {name:?}."))
            }
            SettingsError::InvalidValue { reason, .. } => {
                ApiError::invalid_field("value", reason.to_string())
            }
            SettingsError::Infra(error) => error.into(),
        }
    }
}

#[derive(Debug, Clone, Copy, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
#[schema(as = SettingKind)]
pub enum SettingKindDto {
    /// An ISO 4217 code such as `CNY`.
    CurrencyCode,
    /// An IANA time zone such as `Asia/Shanghai`.
    TimeZone,
    /// `HH:MM`, 24-hour.
    TimeOfDay,
    /// A whole number of seconds.
    Seconds,
    /// Free text.
    Text,
}

impl From<SettingKind> for SettingKindDto {
    fn from(kind: SettingKind) -> Self {
        match kind {
            SettingKind::CurrencyCode => Self::CurrencyCode,
            SettingKind::TimeZone => Self::TimeZone,
            SettingKind::TimeOfDay => Self::TimeOfDay,
            SettingKind::Text { .. } => Self::Text,
            SettingKind::Seconds { .. } => Self::Seconds,
        }
    }
}

/// A system setting and its effective value.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = Setting, example = json!({
    "name": "currency", "value": "CNY", "default_value": "CNY", "kind": "currency_code",
    "description": "ISO 4217 code of the currency every price, payment and balance is in.",
    "is_default": true, "updated_at": null
}))]
pub struct SettingDto {
    pub name: &'static str,
    pub value: String,
    pub default_value: &'static str,
    pub kind: SettingKindDto,
    pub description: &'static str,
    /// True while no value has been set, or the value set equals the default.
    pub is_default: bool,
    /// When the value was last changed; `null` while the default applies.
    pub updated_at: Option<DateTime<Utc>>,
}

impl From<Setting> for SettingDto {
    fn from(setting: Setting) -> Self {
        Self {
            name: setting.spec.name,
            is_default: setting.is_default(),
            value: setting.value,
            default_value: setting.spec.default,
            kind: setting.spec.kind.into(),
            description: setting.spec.description,
            updated_at: setting.updated_at,
        }
    }
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateSettingRequest {
    /// The new value; what is accepted depends on the setting's `kind`.
    #[validate(length(max = 1000))]
    #[schema(example = "EUR")]
    pub value: String,
}

/// List every system setting with its effective value.
#[utoipa::path(
    tag = "backoffice",
    security(("bearer" = ["settings:read"])),
    responses((status = 200, description = "All settings, sorted by name.", body = Page<SettingDto>)),
)]
#[get("/settings")]
pub async fn list_settings(
    _: Authorized<require::SettingsRead>,
    state: web::Data<AppState>,
) -> Result<web::Json<Page<SettingDto>>, ApiError> {
    let settings = state.settings.list().await?;
    Ok(web::Json(Page::complete(
        settings.into_iter().map(Into::into).collect(),
    )))
}

/// Show one system setting.
#[utoipa::path(
    tag = "backoffice",
    params(("name" = String, Path, description = "The setting's name, such as `currency`.")),
    security(("bearer" = ["settings:read"])),
    responses((status = 200, description = "The setting.", body = SettingDto)),
)]
#[get("/settings/{name}")]
pub async fn get_setting(
    _: Authorized<require::SettingsRead>,
    state: web::Data<AppState>,
    name: web::Path<String>,
) -> Result<web::Json<SettingDto>, ApiError> {
    Ok(web::Json(state.settings.get(&name).await?.into()))
}

/// Change a system setting.
///
/// Setting the default value is the same as resetting it.
#[utoipa::path(
    tag = "backoffice",
    params(("name" = String, Path, description = "The setting's name, such as `currency`.")),
    request_body = UpdateSettingRequest,
    security(("bearer" = ["settings:write"])),
    responses((status = 200, description = "The setting, changed.", body = SettingDto)),
)]
#[put("/settings/{name}")]
pub async fn update_setting(
    _: Authorized<require::SettingsWrite>,
    state: web::Data<AppState>,
    name: web::Path<String>,
    Json(body): Json<UpdateSettingRequest>,
) -> Result<web::Json<SettingDto>, ApiError> {
    Ok(web::Json(
        state.settings.update(&name, &body.value).await?.into(),
    ))
}

/// Reset a system setting to its default.
#[utoipa::path(
    tag = "backoffice",
    params(("name" = String, Path, description = "The setting's name, such as `currency`.")),
    security(("bearer" = ["settings:write"])),
    responses((status = 200, description = "The setting, back at its default.", body = SettingDto)),
)]
#[delete("/settings/{name}")]
pub async fn reset_setting(
    _: Authorized<require::SettingsWrite>,
    state: web::Data<AppState>,
    name: web::Path<String>,
) -> Result<web::Json<SettingDto>, ApiError> {
    Ok(web::Json(state.settings.reset(&name).await?.into()))
}
