//! Governance on `/v1`: metadata reads and writes (`metadata.rs`, the writes through
//! `service::instance::metadata`, shared with the Clerk API), the logo (`logo.rs`) and the
//! billing profile (`billing.rs`). The limits are `service::limits`.

pub mod billing;
pub mod logo;
pub mod metadata;
