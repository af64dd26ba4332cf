//! SSO connections: what an admin may create and change (issuer, client, scopes, claim
//! mapping, domains, state, just-in-time membership).
