//! Single sign-on (OIDC) per organization: the rules of its connections and of signing in
//! through them. Pure, like the rest of the rule book: the server fetches, verifies signatures
//! and stores; these functions decide.

pub mod connection;
pub mod sign_in;
