//! The address a request came from: the connection's peer, or, behind a reverse proxy the
//! operator trusts (`LimitSettings::trust_forwarded_for`), the address that proxy appended
//! last to `X-Forwarded-For`. The limits of [`crate::app::limits`] are kept per address.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;
use minxin_domain::platform::Store;

use crate::app::state::AppState;

/// The address a request came from (see the module documentation); unspecified when the
/// server was not told (as in tests that call the router directly).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClientAddress(pub IpAddr);

impl<S: Store> FromRequestParts<AppState<S>> for ClientAddress {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState<S>,
    ) -> Result<Self, Self::Rejection> {
        if state.limits().settings().trust_forwarded_for {
            let mut addresses = parts
                .headers
                .get_all("x-forwarded-for")
                .iter()
                .filter_map(|value| value.to_str().ok())
                .flat_map(|value| value.split(','))
                .filter_map(|entry| entry.trim().parse::<IpAddr>().ok());
            if let Some(address) = addresses.next_back() {
                return Ok(ClientAddress(address));
            }
        }
        let peer = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|ConnectInfo(address)| address.ip());
        Ok(ClientAddress(
            peer.unwrap_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED)),
        ))
    }
}
