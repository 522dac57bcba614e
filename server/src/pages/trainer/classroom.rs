//! `/formateur/classe`: the address learners type in the classroom, big
//! and as a QR code, and whether the server listens on the network.

use super::{public_url, qr_svg};
use crate::error::AppError;
use crate::pages::page::Page;
use crate::state::AppState;
use axum::Router;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Response;
use axum::routing::get;
use serde::Serialize;

pub fn router() -> Router<AppState> {
    Router::new().route("/formateur/classe", get(classroom))
}

#[derive(Serialize)]
struct ClassroomPage {
    address: String,
    qr: String,
    lan: bool,
}

async fn classroom(
    State(state): State<AppState>,
    page: Page,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    page.staff()?;
    let address = public_url(&state, &headers);
    let label = format!("{} {address}", page.lang.word("qr_of_address"));
    let qr = qr_svg(&address, &label)?;
    let view = ClassroomPage {
        address,
        qr,
        lan: state.settings.public_url.is_some(),
    };
    page.render("classroom.html", view)
}
