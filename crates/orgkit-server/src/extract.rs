//! Extractors that answer malformed input with the project's error body, the session
//! extractor with its CSRF check, and the client address behind trusted proxies.

use crate::auth::{
    user_for_session, ClientInfo, CurrentUser, MAX_USER_AGENT_CHARS, SESSION_COOKIE,
};
use crate::error::ApiError;
use crate::state::AppState;
use axum::extract::rejection::{JsonRejection, PathRejection, QueryRejection};
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, Method};
use axum_extra::extract::CookieJar;
use serde::de::DeserializeOwned;
use serde_json::value::RawValue;

/// `Json<T>` whose rejection is `400 validation_failed` in the project's shape. The body must
/// be a JSON object: serde would otherwise read a struct from an array (`["Acme"]`).
pub struct AppJson<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for AppJson<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let axum::Json(raw) = axum::Json::<Box<RawValue>>::from_request(req, state)
            .await
            .map_err(json_rejection)?;
        if !raw.get().trim_start().starts_with('{') {
            return Err(ApiError::validation("The body must be a JSON object."));
        }
        match axum::Json::<T>::from_bytes(raw.get().as_bytes()) {
            Ok(axum::Json(value)) => Ok(AppJson(value)),
            Err(rejection) => Err(json_rejection(rejection)),
        }
    }
}

fn json_rejection(rejection: JsonRejection) -> ApiError {
    let message = match rejection {
        JsonRejection::MissingJsonContentType(_) => {
            "Send a JSON body with Content-Type: application/json.".to_owned()
        }
        JsonRejection::JsonSyntaxError(_) => "The body is not valid JSON.".to_owned(),
        JsonRejection::JsonDataError(e) => format!("The body does not fit: {}", e.body_text()),
        other => other.body_text(),
    };
    ApiError::validation(message)
}

/// `Query<T>` with the project's error body.
pub struct AppQuery<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequestParts<S> for AppQuery<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        axum::extract::Query::<T>::from_request_parts(parts, state)
            .await
            .map(|q| AppQuery(q.0))
            .map_err(|e: QueryRejection| ApiError::validation(e.body_text()))
    }
}

/// `Path<T>` with the project's error body.
pub struct AppPath<T>(pub T);

impl<T: DeserializeOwned + Send, S: Send + Sync> FromRequestParts<S> for AppPath<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        axum::extract::Path::<T>::from_request_parts(parts, state)
            .await
            .map(|p| AppPath(p.0))
            .map_err(|e: PathRejection| ApiError::validation(e.body_text()))
    }
}

/// Where a request's session token came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenSource {
    Bearer,
    Cookie,
}

/// The session token of a request: `Authorization: Bearer` first, then the cookie.
#[must_use]
pub fn session_token(headers: &HeaderMap) -> Option<(String, TokenSource)> {
    if let Some(value) = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
    {
        if let Some(token) = value.strip_prefix("Bearer ") {
            return Some((token.trim().to_owned(), TokenSource::Bearer));
        }
    }
    CookieJar::from_headers(headers)
        .get(SESSION_COOKIE)
        .map(|cookie| (cookie.value().to_owned(), TokenSource::Cookie))
}

/// A cookie-authenticated unsafe request must come from an allowed `Origin`: a page on another
/// site cannot make the browser act with the cookie. Bearer tokens are never sent by the
/// browser on its own, so they need no check.
pub fn check_csrf(parts: &Parts, state: &AppState, source: TokenSource) -> Result<(), ApiError> {
    let safe = matches!(parts.method, Method::GET | Method::HEAD | Method::OPTIONS);
    if safe || source == TokenSource::Bearer {
        return Ok(());
    }
    match parts.headers.get(header::ORIGIN) {
        Some(origin) if state.origin_allowed(origin) => Ok(()),
        _ => Err(ApiError::new(
            orgkit_core::ErrorCode::Forbidden,
            "Cross-site request refused: this origin may not act with the session cookie.",
        )),
    }
}

impl FromRequestParts<AppState> for CurrentUser {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let (token, source) =
            session_token(&parts.headers).ok_or_else(ApiError::unauthenticated)?;
        let user_agent = parts
            .headers
            .get(header::USER_AGENT)
            .and_then(|v| v.to_str().ok())
            .map(|ua| ua.chars().take(MAX_USER_AGENT_CHARS).collect());
        let client = ClientInfo {
            ip: client_ip(parts, state),
            user_agent,
        };
        // An API key: a Bearer token with the key prefix (never a cookie, so no CSRF check).
        if source == TokenSource::Bearer && token.starts_with(orgkit_core::api_key::SECRET_PREFIX) {
            let path = parts.uri.path().to_owned();
            return crate::service::api_keys::auth::authenticate(state, &token, &path, client)
                .await;
        }
        let user = user_for_session(&state.db, &token)
            .await?
            .ok_or_else(ApiError::unauthenticated)?;
        check_csrf(parts, state, source)?;
        Ok(CurrentUser {
            user,
            client,
            key: None,
        })
    }
}

/// The client's address as an extractor, for rate limits: the socket peer, or the client
/// named by `X-Forwarded-For` when the peer is a trusted proxy (see [`TrustedProxies`]).
pub struct ClientIp(pub String);

impl FromRequestParts<AppState> for ClientIp {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        Ok(ClientIp(client_ip(parts, state)))
    }
}

/// The client's address: the socket peer, or the client a trusted proxy names.
fn client_ip(parts: &Parts, state: &AppState) -> String {
    let peer = parts
        .extensions
        .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
        .map(|c| c.0.ip());
    match peer {
        Some(peer) => state
            .trusted_proxies
            .client(peer, &parts.headers)
            .to_string(),
        None => "unknown".to_owned(),
    }
}

/// The reverse proxies whose `X-Forwarded-For` is believed (`--trusted-proxy`). Empty by
/// default: then the socket peer is the client and the header is ignored.
#[derive(Debug, Clone, Default)]
pub struct TrustedProxies(Vec<ipnet::IpNet>);

impl TrustedProxies {
    /// Reads IP addresses, CIDR ranges and the names `loopback` and `private` (loopback,
    /// RFC 1918, link-local and unique-local ranges).
    pub fn parse(entries: &[String]) -> anyhow::Result<Self> {
        const LOOPBACK: &[&str] = &["127.0.0.0/8", "::1/128"];
        const PRIVATE: &[&str] = &[
            "127.0.0.0/8",
            "::1/128",
            "10.0.0.0/8",
            "172.16.0.0/12",
            "192.168.0.0/16",
            "169.254.0.0/16",
            "fc00::/7",
            "fe80::/10",
        ];
        let mut nets = Vec::new();
        for entry in entries.iter().map(|e| e.trim()).filter(|e| !e.is_empty()) {
            let named = match entry {
                "loopback" => LOOPBACK,
                "private" => PRIVATE,
                _ => &[][..],
            };
            for net in named {
                nets.push(net.parse()?);
            }
            if named.is_empty() {
                let net = match entry.parse::<std::net::IpAddr>() {
                    Ok(ip) => ipnet::IpNet::from(ip),
                    Err(_) => entry.parse().map_err(|_| {
                        anyhow::anyhow!("--trusted-proxy {entry:?}: not an IP address, a CIDR range, loopback or private")
                    })?,
                };
                nets.push(net);
            }
        }
        Ok(TrustedProxies(nets))
    }

    fn trusts(&self, ip: std::net::IpAddr) -> bool {
        let ip = ip.to_canonical();
        self.0.iter().any(|net| net.contains(&ip))
    }

    /// The client of a request that came from `peer`: walking `X-Forwarded-For` from the right
    /// (the hop the nearest proxy appended) past trusted proxies, the first other address.
    /// Entries left of it could be written by the client itself, so they are never read.
    #[must_use]
    pub fn client(&self, peer: std::net::IpAddr, headers: &HeaderMap) -> std::net::IpAddr {
        let mut client = peer;
        if !self.trusts(peer) {
            return client;
        }
        let hops: Vec<&str> = headers
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .collect();
        for hop in hops.into_iter().rev() {
            let hop = hop.trim();
            let parsed = hop
                .parse::<std::net::IpAddr>()
                .or_else(|_| hop.parse::<std::net::SocketAddr>().map(|s| s.ip()));
            let Ok(ip) = parsed else {
                // Garbage: the nearest trusted hop is the best we know.
                return client;
            };
            client = ip.to_canonical();
            if !self.trusts(client) {
                break;
            }
        }
        client
    }
}

#[cfg(test)]
mod tests {
    use super::TrustedProxies;
    use axum::http::HeaderMap;
    use std::net::IpAddr;

    fn client(trusted: &[&str], peer: &str, forwarded: &[&str]) -> String {
        let entries: Vec<String> = trusted.iter().map(|s| (*s).to_owned()).collect();
        let proxies = TrustedProxies::parse(&entries).expect("parse");
        let mut headers = HeaderMap::new();
        for value in forwarded {
            headers.append("x-forwarded-for", value.parse().expect("header"));
        }
        let peer: IpAddr = peer.parse().expect("peer");
        proxies.client(peer, &headers).to_string()
    }

    #[test]
    fn forwarded_for_is_read_only_from_trusted_peers() {
        // Off: the header is ignored.
        assert_eq!(client(&[], "10.0.0.1", &["203.0.113.9"]), "10.0.0.1");
        // The peer is not a trusted proxy.
        assert_eq!(
            client(&["10.0.0.0/8"], "198.51.100.1", &["203.0.113.9"]),
            "198.51.100.1"
        );
        assert_eq!(
            client(&["10.0.0.0/8"], "10.0.0.1", &["203.0.113.9"]),
            "203.0.113.9"
        );
        // A client-written entry on the left is skipped; trusted hops on the right too.
        let chain = ["6.6.6.6, 203.0.113.9", "10.0.0.2"];
        assert_eq!(client(&["10.0.0.0/8"], "10.0.0.1", &chain), "203.0.113.9");
        // Every hop trusted: the leftmost; no header: the peer; garbage: the nearest proxy.
        assert_eq!(
            client(&["private"], "::1", &["10.1.1.1, 10.0.0.2"]),
            "10.1.1.1"
        );
        assert_eq!(client(&["loopback"], "127.0.0.1", &[]), "127.0.0.1");
        assert_eq!(
            client(&["loopback", "10.0.0.2"], "127.0.0.1", &["x, 10.0.0.2"]),
            "10.0.0.2"
        );
        assert_eq!(
            client(&["127.0.0.1"], "127.0.0.1", &["203.0.113.9:4711"]),
            "203.0.113.9"
        );
        assert!(TrustedProxies::parse(&["nonsense".to_owned()]).is_err());
    }
}
