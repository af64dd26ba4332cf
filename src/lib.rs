//! The orgkit browser SDK.
