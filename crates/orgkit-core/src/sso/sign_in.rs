//! Signing in through an SSO connection: which connection starts, what the provider's answer
//! must hold, and what happens to the user and the membership (just in time, never lowering a
//! role).
