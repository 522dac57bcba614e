//! Request body extraction with errors in the API's format: malformed JSON
//! is a 400, a body over the limit a 413, both as `{"error": …}`.

use crate::error::AppError;
use axum::extract::rejection::JsonRejection;
use axum::extract::{FromRequest, Request};
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
                StatusCode::PAYLOAD_TOO_LARGE => AppError::TooLarge(format!(
                    "la requête est trop grande ({} Kio au plus)",
                    MAX_BODY_BYTES >> 10
                )),
                _ => AppError::BadRequest(json_message(&rejection)),
            }),
        }
    }
}

fn json_message(rejection: &JsonRejection) -> String {
    match rejection {
        JsonRejection::MissingJsonContentType(_) => {
            "le corps de la requête doit être du JSON (Content-Type: application/json)".into()
        }
        JsonRejection::JsonSyntaxError(_) => "le JSON de la requête est mal formé".into(),
        JsonRejection::JsonDataError(err) => format!(
            "le JSON de la requête ne convient pas : {}",
            err.body_text()
        ),
        other => other.body_text(),
    }
}
