//! Single sign-on through an organization's OIDC connection.
//!
//! - [`sign_in`]: start (pick the connection, store the state's hash, answer the provider's
//!   URL) and the password sign-in's "require SSO" check.
//! - [`sign_in_callback`]: the provider's answer: state, code exchange, ID token.
//! - `sign_in_records`: the one transaction that follows (user, identity, membership,
//!   session, audit, webhook).
//! - `oidc`: the provider client (discovery, redirects refused, bounded timeouts) and what is
//!   derived from the state (nonce, PKCE verifier).

mod oidc;
pub mod sign_in;
pub mod sign_in_callback;
mod sign_in_records;
