//! Serving the application on a socket with limits against clients that hold connections
//! without using them: a deadline for a request's headers (which also ends a kept-alive
//! connection left idle that long), a deadline for a whole request (its body included), and a
//! most number of open connections (further clients wait in the listening queue).

use std::sync::Arc;
use std::time::Duration;

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{Request, StatusCode};
use axum::response::IntoResponse;
use axum::Router;
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::net::TcpListener;
use tokio::sync::{watch, Semaphore};
use tower::ServiceExt;

use crate::app::error::ApiError;
use crate::ui::i18n::Text;

/// The limits on connections and requests.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ServerLimits {
    /// How long a client may take to send a request's headers, and how long a kept-alive
    /// connection may stay idle.
    pub header_read_timeout: Duration,
    /// How long a whole request may take, from its headers to its response (uploads included).
    pub request_timeout: Duration,
    /// The most connections open at once.
    pub max_connections: usize,
}

/// Seconds a client has to send a request's headers (and a connection may stay idle).
pub const DEFAULT_HEADER_READ_TIMEOUT_SECS: u64 = 15;
/// Seconds a whole request may take (an import of 256 MiB over a slow line needs minutes).
pub const DEFAULT_REQUEST_TIMEOUT_SECS: u64 = 300;
/// Connections open at once.
pub const DEFAULT_MAX_CONNECTIONS: usize = 1024;

impl Default for ServerLimits {
    fn default() -> Self {
        ServerLimits {
            header_read_timeout: Duration::from_secs(DEFAULT_HEADER_READ_TIMEOUT_SECS),
            request_timeout: Duration::from_secs(DEFAULT_REQUEST_TIMEOUT_SECS),
            max_connections: DEFAULT_MAX_CONNECTIONS,
        }
    }
}

/// How long connections still open at shutdown may take to finish their requests.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(10);

/// Serves `app` on `listener` within `limits` until `shutdown` completes, then lets the open
/// connections finish their requests (for a few seconds at most). Each request carries the
/// client's address as `ConnectInfo<SocketAddr>`.
pub async fn serve(
    listener: TcpListener,
    app: Router,
    limits: ServerLimits,
    shutdown: impl std::future::Future<Output = ()>,
) -> std::io::Result<()> {
    let slots = Arc::new(Semaphore::new(limits.max_connections.max(1)));
    let (stop, stopping) = watch::channel(false);
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        // A slot first: beyond the limit, clients wait in the kernel's listening queue.
        let slot = tokio::select! {
            slot = slots.clone().acquire_owned() => slot.expect("the semaphore is never closed"),
            () = &mut shutdown => break,
        };
        let (stream, address) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                // A failed accept (a client gone, descriptors exhausted) ends no server.
                Err(_) => {
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let app = app.clone();
        let mut stopping = stopping.clone();
        tokio::spawn(async move {
            let _slot = slot;
            let service = hyper::service::service_fn(move |request: Request<Incoming>| {
                let app = app.clone();
                let mut request = request.map(Body::new);
                request.extensions_mut().insert(ConnectInfo(address));
                async move {
                    let response =
                        match tokio::time::timeout(limits.request_timeout, app.oneshot(request))
                            .await
                        {
                            Ok(Ok(response)) => response,
                            Ok(Err(never)) => match never {},
                            Err(_) => timed_out(limits.request_timeout),
                        };
                    Ok::<_, std::convert::Infallible>(response)
                }
            });
            let mut builder = hyper::server::conn::http1::Builder::new();
            builder
                .timer(TokioTimer::new())
                .header_read_timeout(limits.header_read_timeout)
                .keep_alive(true);
            let connection = builder.serve_connection(TokioIo::new(stream), service);
            let mut connection = std::pin::pin!(connection);
            tokio::select! {
                _ = connection.as_mut() => {}
                _ = stopping.changed() => {
                    connection.as_mut().graceful_shutdown();
                    let _ = tokio::time::timeout(SHUTDOWN_GRACE, connection).await;
                }
            }
        });
    }
    let _ = stop.send(true);
    // Every slot back means every connection has finished.
    let all = u32::try_from(limits.max_connections.max(1)).unwrap_or(u32::MAX);
    let _ = tokio::time::timeout(SHUTDOWN_GRACE, slots.acquire_many(all)).await;
    Ok(())
}

/// The answer to a request that took longer than `limit`.
fn timed_out(limit: Duration) -> axum::response::Response {
    let mut response = ApiError::Timeout(Text::new(
        format!("请求超过 {} 秒仍未完成，已停止，请重试。", limit.as_secs()),
        format!(
            "the request took longer than {} s and was stopped",
            limit.as_secs()
        ),
    ))
    .into_response();
    *response.status_mut() = StatusCode::REQUEST_TIMEOUT;
    response
}
