//! How the server holds its connections, so that no client, slow or
//! hostile, keeps what others need:
//!
//! - a cap on open connections: past it, new ones wait in the system's
//!   backlog until one closes;
//! - a deadline to send a request's headers, which also closes a
//!   keep-alive connection left idle that long (hyper's header timer starts
//!   as soon as the connection waits for a request);
//! - a deadline to send the whole body ([`read_body_within`]): a body that
//!   has not arrived in time is answered 408 and its connection closed,
//!   before any handler ran, so a stalled upload never holds a sandbox
//!   place or a database connection.
//!
//! The loop is hyper-util's, as `axum::serve` builds it, with hyper's own
//! timer and graceful shutdown.

use crate::error::AppError;
use crate::extract::MAX_BODY_BYTES;
use crate::messages::Message;
use axum::Router;
use axum::body::Body;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{HeaderValue, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;
use tokio::net::TcpListener;
use tokio::sync::Semaphore;
use tower::ServiceExt;

/// What a connection may take.
#[derive(Debug, Clone, Copy)]
pub struct ConnectionLimits {
    /// Time to send a request's headers, and longest idle keep-alive.
    pub header_read: Duration,
    /// Time to send a request's body, counted once its headers arrived.
    pub body_read: Duration,
}

/// Serves `app` on `listener`, a connection for each permit of `open`,
/// until `shutdown` completes, then lets the requests in flight finish.
pub async fn serve(
    listener: TcpListener,
    app: Router,
    limits: ConnectionLimits,
    open: Arc<Semaphore>,
    shutdown: impl Future<Output = ()>,
) {
    let graceful = GracefulShutdown::new();
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        let permit = tokio::select! {
            permit = open.clone().acquire_owned() => permit.expect("the semaphore is never closed"),
            () = &mut shutdown => break,
        };
        let (stream, address) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(err) => {
                    // Out of file descriptors, or a connection reset before
                    // it was accepted: wait a little, as axum does.
                    tracing::warn!("accepting a connection: {err}");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let _ = stream.set_nodelay(true);
        let service = app
            .clone()
            .map_request(move |mut request: Request<Incoming>| {
                request.extensions_mut().insert(ConnectInfo(address));
                request
            });
        let connection = hyper::server::conn::http1::Builder::new()
            .timer(TokioTimer::new())
            .header_read_timeout(limits.header_read)
            .serve_connection(TokioIo::new(stream), TowerToHyperService::new(service));
        let connection = graceful.watch(connection);
        tokio::spawn(async move {
            // A client that went away, or whose headers came too late:
            // nothing to answer.
            let _ = connection.await;
            drop(permit);
        });
    }
    drop(listener);
    graceful.shutdown().await;
}

/// Reads the whole body within `deadline` before the request goes on, or
/// answers 408 (too slow), 413 (too large) or 400 (cut off).
pub async fn read_body_within(
    State(deadline): State<Duration>,
    request: Request,
    next: Next,
) -> Response {
    let (parts, body) = request.into_parts();
    let error =
        match tokio::time::timeout(deadline, axum::body::to_bytes(body, MAX_BODY_BYTES)).await {
            Ok(Ok(bytes)) => {
                return next
                    .run(Request::from_parts(parts, Body::from(bytes)))
                    .await;
            }
            Err(_) => AppError::RequestTimeout(deadline.as_secs().max(1)),
            Ok(Err(err)) if is_length_limit(&err) => AppError::TooLarge(
                Message::new("request_too_large").with("kib", MAX_BODY_BYTES >> 10),
            ),
            Ok(Err(_)) => AppError::BadRequest(Message::new("request_cut_off")),
        };
    // The rest of the body may still be on its way: the connection ends
    // with this answer.
    let mut response = error.into_response();
    response
        .headers_mut()
        .insert(header::CONNECTION, HeaderValue::from_static("close"));
    response
}

fn is_length_limit(error: &axum::Error) -> bool {
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(error);
    while let Some(err) = source {
        if err.is::<http_body_util::LengthLimitError>() {
            return true;
        }
        source = err.source();
    }
    false
}
