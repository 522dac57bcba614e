//! A person's own account, as JSON: `GET /api/me/data` downloads
//! everything stored about the signed-in learner, `DELETE /api/me` deletes
//! their account and all of it; and the administrator's: `DELETE
//! /api/admin/users/{id}` deletes any other account, `GET /api/admin/audit`
//! reads the audit log (resets, deletions, purges).

use super::cohorts::audit;
use crate::auth::{CurrentUser, check_csrf, log_out};
use crate::db::personal_data::AuditEntry;
use crate::db::users::{Role, User};
use crate::error::AppError;
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::http::header::CONTENT_DISPOSITION;
use axum::http::{HeaderMap, StatusCode};
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

/// Everything stored about the signed-in learner.
async fn my_data(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
) -> Result<
    (
        [(axum::http::HeaderName, &'static str); 1],
        Json<serde_json::Value>,
    ),
    AppError,
> {
    let mut data = state.db.personal_data(user.id).await?;
    data["account"] = serde_json::to_value(&user).map_err(AppError::internal)?;
    Ok((
        [(
            CONTENT_DISPOSITION,
            "attachment; filename=\"mes-donnees-fabrique.json\"",
        )],
        Json(data),
    ))
}

/// A learner deletes their own account and everything stored about it.
pub async fn delete_own_account(state: &AppState, user: &User) -> Result<(), AppError> {
    if user.role != Role::Learner {
        return Err(AppError::Forbidden(
            "un compte de formateur est supprimé par l'administrateur".into(),
        ));
    }
    state.db.delete_user(user.id).await?;
    state
        .db
        .audit(
            None,
            "compte supprimé par son titulaire",
            &format!("compte n° {}", user.id),
        )
        .await?;
    Ok(())
}

async fn delete_me(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    session: Session,
    headers: HeaderMap,
) -> Result<StatusCode, AppError> {
    check_csrf(&session, &headers, None).await?;
    delete_own_account(&state, &user).await?;
    log_out(&session).await?;
    Ok(StatusCode::NO_CONTENT)
}

fn require_admin(user: &User) -> Result<(), AppError> {
    if user.role == Role::Admin {
        Ok(())
    } else {
        Err(AppError::Forbidden(
            "réservé à l'administrateur ou l'administratrice".into(),
        ))
    }
}

/// The administrator deletes any account but their own.
async fn delete_account(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    session: Session,
    headers: HeaderMap,
    Path(id): Path<i64>,
) -> Result<StatusCode, AppError> {
    check_csrf(&session, &headers, None).await?;
    require_admin(&user)?;
    if id == user.id {
        return Err(AppError::Conflict(
            "l'administrateur ne supprime pas son propre compte".into(),
        ));
    }
    let target = state
        .db
        .user_by_id(id)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("pas de compte n° {id}")))?;
    state.db.delete_user(target.id).await?;
    audit(
        &state,
        &user,
        "compte supprimé",
        &format!("{} (compte n° {})", target.name, target.id),
    )
    .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The latest 500 lines of the audit log.
async fn audit_log(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
) -> Result<Json<Vec<AuditEntry>>, AppError> {
    require_admin(&user)?;
    Ok(Json(state.db.audit_log(500).await?))
}
