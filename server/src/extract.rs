//! Extractors whose rejections are [`AppError`]s, so that a request the
//! server cannot read gets the API's `{"error": …}` (or, outside `/api/`,
//! the error page) like any other error: malformed JSON is a 400, a body
//! over the limit a 413, a path or a query that does not read as its type
//! a 400 (a path naming something that cannot exist, such as cohort
//! « abc », a 404).

use crate::error::AppError;
use crate::messages::Message;
use axum::extract::rejection::{JsonRejection, PathRejection, QueryRejection};
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::StatusCode;
use serde::de::DeserializeOwned;

/// The largest request body accepted, in bytes.
pub const MAX_BODY_BYTES: usize = 256 << 10;

/// `axum::Json`, with rejections turned into [`AppError`]s.
#[derive(Debug, Clone, Copy, Default)]
pub struct ApiJson<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for ApiJson<T> {
    type Rejection = AppError;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        match axum::Json::<T>::from_request(request, state).await {
            Ok(axum::Json(value)) => Ok(ApiJson(value)),
            Err(rejection) => Err(match rejection.status() {
                StatusCode::PAYLOAD_TOO_LARGE => AppError::TooLarge(
                    Message::new("request_too_large").with("kib", MAX_BODY_BYTES >> 10),
                ),
                _ => AppError::BadRequest(json_message(&rejection)),
            }),
        }
    }
}

fn json_message(rejection: &JsonRejection) -> Message {
    match rejection {
        JsonRejection::MissingJsonContentType(_) => Message::new("json_content_type"),
        JsonRejection::JsonSyntaxError(_) => Message::new("json_malformed"),
        JsonRejection::JsonDataError(err) => {
            Message::new("json_unsuitable").with("detail", err.body_text())
        }
        other => Message::verbatim(other.body_text()),
    }
}

/// `axum::extract::Path`, with rejections turned into [`AppError`]s.
#[derive(Debug, FromRequestParts)]
#[from_request(via(axum::extract::Path), rejection(AppError))]
pub struct Path<T>(pub T);

/// `axum::extract::Query`, with rejections turned into [`AppError`]s.
#[derive(Debug, FromRequestParts)]
#[from_request(via(axum::extract::Query), rejection(AppError))]
pub struct Query<T>(pub T);

/// `axum::extract::Multipart` (a file sent by a form), with rejections
/// turned into [`AppError`]s.
#[derive(Debug)]
pub struct Multipart(pub axum::extract::Multipart);

impl<S: Send + Sync> FromRequest<S> for Multipart {
    type Rejection = AppError;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        axum::extract::Multipart::from_request(request, state)
            .await
            .map(Multipart)
            .map_err(|_| AppError::BadRequest(Message::new("form_needs_file")))
    }
}

impl From<PathRejection> for AppError {
    fn from(rejection: PathRejection) -> Self {
        match rejection {
            // `/api/cohorts/abc`: there is no such cohort.
            PathRejection::FailedToDeserializePathParams(_) => {
                AppError::NotFound(Message::new("no_such_address"))
            }
            other => AppError::internal(other.body_text()),
        }
    }
}

impl From<QueryRejection> for AppError {
    fn from(rejection: QueryRejection) -> Self {
        AppError::BadRequest(Message::new("query_unsuitable").with("detail", rejection.body_text()))
    }
}
