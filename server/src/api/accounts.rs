//! A person's own account, as JSON: `GET /api/me/data` downloads
//! everything stored about the signed-in learner, `DELETE /api/me` deletes
//! their account and all of it; and the administrator's: `DELETE
//! /api/admin/users/{id}` deletes any other account, `GET /api/admin/audit`
//! reads the audit log (resets, deletions, purges).

use crate::auth::{Signed, SignedWrite, log_out};
use crate::db::personal_data::AuditEntry;
use crate::error::AppError;
use crate::extract::Path;
use crate::services::access::require_admin;
use crate::services::accounts;
use crate::state::AppState;
use axum::http::StatusCode;
use axum::http::header::CONTENT_DISPOSITION;
use axum::response::IntoResponse;
use axum::routing::{delete, get};
use axum::{Json, Router};
use tower_sessions::Session;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/me", delete(delete_me))
        .route("/api/me/data", get(my_data))
        .route("/api/admin/users/{id}", delete(delete_account))
        .route("/api/admin/audit", get(audit_log))
}

/// Everything stored about the signed-in learner, as a file.
async fn my_data(Signed { state, user }: Signed) -> Result<impl IntoResponse, AppError> {
    let mut data = state.db.personal_data(user.id).await?;
    data["account"] = serde_json::to_value(&user).map_err(AppError::internal)?;
    let disposition = "attachment; filename=\"mes-donnees-fabrique.json\"";
    Ok(([(CONTENT_DISPOSITION, disposition)], Json(data)))
}

async fn delete_me(
    SignedWrite { state, user }: SignedWrite,
    session: Session,
) -> Result<StatusCode, AppError> {
    accounts::delete_own(&state, &user).await?;
    log_out(&session).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The administrator deletes any account but their own.
async fn delete_account(
    SignedWrite { state, user }: SignedWrite,
    Path(id): Path<i64>,
) -> Result<StatusCode, AppError> {
    accounts::delete_other(&state, &user, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The latest 500 lines of the audit log.
async fn audit_log(Signed { state, user }: Signed) -> Result<Json<Vec<AuditEntry>>, AppError> {
    require_admin(&user)?;
    Ok(Json(state.db.audit_log(500).await?))
}
