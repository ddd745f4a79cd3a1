//! A span for every request, so that whatever is logged while it is answered (an internal
//! error, a stopped export) carries the request's number, method and path; its answer is logged
//! at debug level with the status and the time it took. Nothing is printed unless the binary
//! installs a subscriber (`minxin serve` does, at the level `MINXIN_LOG` names).

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

use axum::extract::Request;
use axum::middleware::Next;
use axum::response::Response;
use tracing::Instrument;

/// The number of the next request since the server started.
static NEXT_REQUEST: AtomicU64 = AtomicU64::new(1);

/// Runs the rest of the stack inside the request's span.
pub async fn request_span(request: Request, next: Next) -> Response {
    let number = NEXT_REQUEST.fetch_add(1, Ordering::Relaxed);
    let span = tracing::info_span!(
        "request",
        number,
        method = %request.method(),
        path = %request.uri().path()
    );
    async move {
        let started = Instant::now();
        let response = next.run(request).await;
        tracing::debug!(
            status = response.status().as_u16(),
            elapsed_us = started.elapsed().as_micros() as u64,
            "answered"
        );
        response
    }
    .instrument(span)
    .await
}
