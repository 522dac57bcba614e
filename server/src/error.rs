//! The one error type of request handlers. It becomes a JSON body
//! `{"error": {"code", "message"}}` with the right status; its message is
//! a [`Message`] (a key and values, `messages.rs`), in French unless the
//! visitor reads English; internal failures are logged and answered with a
//! generic message, never their details.

use crate::i18n::Lang;
use crate::messages::Message;
use axum::Json;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use fabrique_sandbox::SandboxError;
use serde_json::json;

/// Seconds a client should wait before trying again after a 429 or 503.
pub const RETRY_AFTER_SECONDS: u64 = 2;

#[derive(Debug)]
pub enum AppError {
    BadRequest(Message),
    Unauthorized,
    WrongCredentials,
    WrongPupilCredentials,
    Forbidden(Message),
    NotFound(Message),
    Conflict(Message),
    MethodNotAllowed,
    TooLarge(Message),
    /// A file with bad lines: each line's number and what is wrong with it.
    InvalidFile(Vec<(usize, String)>),
    TooManyRequests(u64),
    Busy,
    /// The account already has as many programs running or waiting as it
    /// may.
    AlreadyRunning,
    /// As many pupils joined with a code in the last hour as allowed.
    JoinLimit,
    /// The request's body did not arrive within this many seconds.
    RequestTimeout(u64),
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

    /// What the person reads (never an internal detail).
    pub fn message(&self) -> Message {
        match self {
            AppError::BadRequest(message)
            | AppError::Forbidden(message)
            | AppError::NotFound(message)
            | AppError::Conflict(message)
            | AppError::TooLarge(message) => message.clone(),
            AppError::Unauthorized => Message::new("login_required"),
            AppError::WrongCredentials => Message::new("wrong_credentials"),
            AppError::WrongPupilCredentials => Message::new("wrong_pupil_credentials"),
            AppError::MethodNotAllowed => Message::new("method_not_allowed"),
            AppError::InvalidFile(lines) => {
                Message::new("file_lines_to_fix").with("count", lines.len())
            }
            AppError::TooManyRequests(seconds) => {
                Message::new("too_many_attempts").with("seconds", seconds)
            }
            AppError::Busy => Message::new("busy"),
            AppError::AlreadyRunning => Message::new("already_running"),
            AppError::JoinLimit => Message::new("join_limit"),
            AppError::RequestTimeout(seconds) => {
                Message::new("request_too_slow").with("seconds", seconds)
            }
            AppError::Internal(_) => Message::new("internal"),
        }
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

/// In French; internal errors with their details, for the log.
impl std::fmt::Display for AppError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            AppError::Internal(details) => write!(f, "internal error: {details}"),
            other => other.message().fmt(f),
        }
    }
}

impl std::error::Error for AppError {}

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
            SandboxError::InvalidRequest(message) => {
                AppError::BadRequest(Message::verbatim(message))
            }
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
/// that a page, or the API in English, can show it in the visitor's
/// language (`pages/page.rs`).
#[derive(Debug, Clone)]
pub struct Failure {
    pub status: StatusCode,
    /// The error's code, as in the JSON body (`not_found`, `internal`…).
    pub code: &'static str,
    /// The message shown to the person (never an internal detail).
    pub message: Message,
    /// A file's bad lines, if any.
    pub lines: Vec<(usize, String)>,
}

impl Failure {
    /// The JSON body of the error, in `lang`.
    pub fn body(&self, lang: Lang) -> serde_json::Value {
        let mut body =
            json!({ "error": { "code": self.code, "message": self.message.text(lang) } });
        if self.code == "invalid_file" {
            body["error"]["lines"] = self
                .lines
                .iter()
                .map(|(line, message)| json!({ "line": line, "message": message }))
                .collect();
        }
        body
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let (status, code) = self.status_and_code();
        if let AppError::Internal(details) = &self {
            tracing::error!("internal error: {details}");
        }
        let failure = Failure {
            status,
            code,
            message: self.message(),
            lines: match &self {
                AppError::InvalidFile(lines) => lines.clone(),
                _ => Vec::new(),
            },
        };
        let mut response = (status, Json(failure.body(Lang::Fr))).into_response();
        response.extensions_mut().insert(failure);
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
