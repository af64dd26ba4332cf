//! The demo app at `/` and the SDK package at `/pkg/`. Missing folders just give 404s.

use crate::state::AppState;
use axum::Router;
use tower_http::services::{ServeDir, ServeFile};

pub fn router(state: &AppState) -> Router<AppState> {
    let www = &state.config.www_dir;
    let index = www.join("index.html");
    Router::new()
        // The links in emails land on the demo's single page.
        .route_service("/accept", ServeFile::new(&index))
        .route_service("/verify-email", ServeFile::new(&index))
        .route_service("/reset-password", ServeFile::new(&index))
        .route_service("/join", ServeFile::new(&index))
        // The SSO join link of an organization: the demo page that starts SSO for it.
        .route_service("/sso/{slug}", ServeFile::new(&index))
        .nest_service("/pkg", ServeDir::new(&state.config.pkg_dir))
        .fallback_service(ServeDir::new(www))
}
