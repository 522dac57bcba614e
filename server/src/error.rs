//! The one error type of request handlers. It becomes a JSON body
//! `{"error": {"code", "message"}}` with the right status; internal
//! failures are logged and answered with a generic message, never their
//! details.

use axum::Json;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use fabrique_sandbox::SandboxError;
use serde_json::json;

/// Seconds a client should wait before trying again after a 429 or 503.
pub const RETRY_AFTER_SECONDS: u64 = 2;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("{0}")]
    BadRequest(String),
    #[error("connexion requise")]
    Unauthorized,
    #[error("adresse e-mail ou mot de passe incorrect")]
    WrongCredentials,
    #[error("code du groupe, prénom ou mot de passe incorrect")]
    WrongPupilCredentials,
    #[error("{0}")]
    Forbidden(String),
    #[error("{0}")]
    NotFound(String),
    #[error("{0}")]
    Conflict(String),
    #[error("cette adresse n'accepte pas cette méthode")]
    MethodNotAllowed,
    #[error("{0}")]
    TooLarge(String),
    /// A file with bad lines: each line's number and what is wrong with it.
    #[error("le fichier a {} ligne(s) à corriger : rien n'a été importé", .0.len())]
    InvalidFile(Vec<(usize, String)>),
    #[error("trop de tentatives : réessaie dans {0} secondes")]
    TooManyRequests(u64),
    #[error("le serveur est très occupé : réessaie dans quelques secondes")]
    Busy,
    /// The account already has as many programs running or waiting as it
    /// may.
    #[error("ton programme précédent n'est pas encore terminé : attends sa fin, puis relance")]
    AlreadyRunning,
    /// As many pupils joined with a code in the last hour as allowed.
    #[error(
        "beaucoup d'élèves ont rejoint ce groupe depuis une heure : demande à ton formateur ou ta formatrice de créer ton compte, ou réessaie plus tard"
    )]
    JoinLimit,
    /// The request's body did not arrive within this many seconds.
    #[error(
        "la requête est arrivée trop lentement (plus de {0} s) : vérifie la connexion et réessaie"
    )]
    RequestTimeout(u64),
    #[error("internal error: {0}")]
    Internal(String),
}

impl AppError {
    pub fn internal(error: impl std::fmt::Display) -> Self {
        AppError::Internal(error.to_string())
    }

    /// The HTTP status of this error.
    pub fn status(&self) -> StatusCode {
        self.status_and_code().0
    }

    fn status_and_code(&self) -> (StatusCode, &'static str) {
        match self {
            AppError::BadRequest(_) => (StatusCode::BAD_REQUEST, "bad_request"),
            AppError::Unauthorized => (StatusCode::UNAUTHORIZED, "unauthorized"),
            AppError::WrongCredentials | AppError::WrongPupilCredentials => {
                (StatusCode::UNAUTHORIZED, "wrong_credentials")
            }
            AppError::Forbidden(_) => (StatusCode::FORBIDDEN, "forbidden"),
            AppError::NotFound(_) => (StatusCode::NOT_FOUND, "not_found"),
            AppError::Conflict(_) => (StatusCode::CONFLICT, "conflict"),
            AppError::MethodNotAllowed => (StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed"),
            AppError::TooLarge(_) => (StatusCode::PAYLOAD_TOO_LARGE, "too_large"),
            AppError::InvalidFile(_) => (StatusCode::UNPROCESSABLE_ENTITY, "invalid_file"),
            AppError::TooManyRequests(_) => (StatusCode::TOO_MANY_REQUESTS, "too_many_requests"),
            AppError::Busy => (StatusCode::SERVICE_UNAVAILABLE, "busy"),
            AppError::AlreadyRunning => (StatusCode::TOO_MANY_REQUESTS, "already_running"),
            AppError::JoinLimit => (StatusCode::TOO_MANY_REQUESTS, "join_limit"),
            AppError::RequestTimeout(_) => (StatusCode::REQUEST_TIMEOUT, "request_timeout"),
            AppError::Internal(_) => (StatusCode::INTERNAL_SERVER_ERROR, "internal"),
        }
    }
}

impl From<sqlx::Error> for AppError {
    /// A database too busy to take the work (no free connection, a full
    /// queue of writes) is a 503: the client tries again later.
    fn from(error: sqlx::Error) -> Self {
        match error {
            sqlx::Error::PoolTimedOut => AppError::Busy,
            other => AppError::internal(other),
        }
    }
}

impl From<SandboxError> for AppError {
    fn from(error: SandboxError) -> Self {
        match error {
            SandboxError::Busy => AppError::Busy,
            SandboxError::InvalidRequest(message) => AppError::BadRequest(message),
            SandboxError::Internal(message) => AppError::Internal(message),
        }
    }
}

impl From<fabrique_exercises::GradeError> for AppError {
    fn from(error: fabrique_exercises::GradeError) -> Self {
        let fabrique_exercises::GradeError::Sandbox(error) = error;
        error.into()
    }
}

/// What a response says of the error it answers (in its extensions), so
/// that a page can show it its own way (`pages/page.rs`).
#[derive(Debug, Clone)]
pub struct Failure {
    pub status: StatusCode,
    /// The error's code, as in the JSON body (`not_found`, `internal`…).
    pub code: &'static str,
    /// The message shown to the person (never an internal detail).
    pub message: String,
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let (status, code) = self.status_and_code();
        let message = match &self {
            AppError::Internal(details) => {
                tracing::error!("internal error: {details}");
                "une erreur interne est survenue".to_owned()
            }
            other => other.to_string(),
        };
        let mut body = json!({ "error": { "code": code, "message": &message } });
        if let AppError::InvalidFile(lines) = &self {
            body["error"]["lines"] = lines
                .iter()
                .map(|(line, message)| json!({ "line": line, "message": message }))
                .collect();
        }
        let mut response = (status, Json(body)).into_response();
        response.extensions_mut().insert(Failure {
            status,
            code,
            message,
        });
        let retry_after = match self {
            AppError::TooManyRequests(seconds) => Some(seconds),
            AppError::Busy => Some(RETRY_AFTER_SECONDS),
            AppError::AlreadyRunning => Some(1),
            AppError::JoinLimit => Some(600),
            _ => None,
        };
        if let Some(seconds) = retry_after {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(seconds));
        }
        response
    }
}
