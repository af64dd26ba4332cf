//! The rules of the Clerk-compatible Backend API (`/clerk/v1`): its error codes, paging
//! bounds, `order_by`, role keys and the size of a bulk invitation. Pure functions; the
//! server's `clerk` module translates requests with them and calls the same services as `/v1`.

use crate::error::ErrorCode;

#[cfg(test)]
mod tests;

/// `limit` when the request has none.
pub const DEFAULT_LIMIT: u32 = 10;
/// The largest `limit` accepted.
pub const MAX_LIMIT: u32 = 500;
/// The most invitations one bulk request creates.
pub const MAX_BULK_INVITATIONS: usize = 10;

/// The codes Clerk's clients see, each with Clerk's HTTP status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClerkCode {
    /// The secret key is missing, unknown or revoked.
    KeyInvalid,
    ResourceNotFound,
    AlreadyAMember,
    FormParamMissing,
    FormIdentifierExists,
    FormParamFormatInvalid,
    /// The last admin of an organization cannot be demoted, removed or deleted.
    LastAdmin,
    /// A refusal of orgkit's rule book with no Clerk counterpart; the detail keeps its code.
    Refused,
    TooManyRequests,
    Unavailable,
    Internal,
}

impl ClerkCode {
    /// The code on the wire (`errors[0].code`).
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            ClerkCode::KeyInvalid => "clerk_key_invalid",
            ClerkCode::ResourceNotFound => "resource_not_found",
            ClerkCode::AlreadyAMember => "already_a_member_in_organization",
            ClerkCode::FormParamMissing => "form_param_missing",
            ClerkCode::FormIdentifierExists => "form_identifier_exists",
            ClerkCode::FormParamFormatInvalid => "form_param_format_invalid",
            ClerkCode::LastAdmin => "organization_minimum_admins_required",
            ClerkCode::Refused => "request_refused",
            ClerkCode::TooManyRequests => "too_many_requests",
            ClerkCode::Unavailable => "service_unavailable",
            ClerkCode::Internal => "internal_clerk_error",
        }
    }

    /// The HTTP status Clerk answers with.
    #[must_use]
    pub const fn http_status(self) -> u16 {
        match self {
            ClerkCode::KeyInvalid => 401,
            ClerkCode::ResourceNotFound => 404,
            ClerkCode::AlreadyAMember | ClerkCode::FormParamMissing => 400,
            ClerkCode::FormIdentifierExists | ClerkCode::FormParamFormatInvalid => 422,
            ClerkCode::LastAdmin | ClerkCode::Refused => 409,
            ClerkCode::TooManyRequests => 429,
            ClerkCode::Unavailable => 503,
            ClerkCode::Internal => 500,
        }
    }

    /// The Clerk code for a refusal of orgkit's rule book.
    #[must_use]
    pub const fn of(code: ErrorCode) -> ClerkCode {
        match code {
            ErrorCode::Unauthenticated => ClerkCode::KeyInvalid,
            ErrorCode::NotFound => ClerkCode::ResourceNotFound,
            ErrorCode::AlreadyMember => ClerkCode::AlreadyAMember,
            ErrorCode::ValidationFailed | ErrorCode::UnknownRole => {
                ClerkCode::FormParamFormatInvalid
            }
            ErrorCode::SlugTaken | ErrorCode::EmailTaken | ErrorCode::AlreadyInvited => {
                ClerkCode::FormIdentifierExists
            }
            ErrorCode::LastAdmin => ClerkCode::LastAdmin,
            ErrorCode::RateLimited => ClerkCode::TooManyRequests,
            ErrorCode::Unavailable => ClerkCode::Unavailable,
            ErrorCode::Internal => ClerkCode::Internal,
            _ => ClerkCode::Refused,
        }
    }
}

/// A refusal in Clerk's terms: the code, a message, and the parameter it is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClerkError {
    pub code: ClerkCode,
    pub message: String,
    /// `meta.param_name`, when one parameter is at fault.
    pub param: Option<String>,
}

impl ClerkError {
    #[must_use]
    pub fn new(code: ClerkCode, message: impl Into<String>) -> Self {
        ClerkError {
            code,
            message: message.into(),
            param: None,
        }
    }

    /// `form_param_missing` for `param`.
    #[must_use]
    pub fn missing(param: &str) -> Self {
        ClerkError {
            code: ClerkCode::FormParamMissing,
            message: format!("{param} must be included."),
            param: Some(param.to_owned()),
        }
    }

    /// `form_param_format_invalid` for `param`.
    #[must_use]
    pub fn invalid(param: &str, message: impl Into<String>) -> Self {
        ClerkError {
            code: ClerkCode::FormParamFormatInvalid,
            message: message.into(),
            param: Some(param.to_owned()),
        }
    }
}

/// One page of a list: how many to skip and how many to answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Paging {
    pub limit: u32,
    pub offset: u64,
}

/// Reads `limit` (default 10, 1 to 500) and `offset` (default 0) as the query gave them.
pub fn paging(limit: Option<&str>, offset: Option<&str>) -> Result<Paging, ClerkError> {
    let limit = match limit {
        None => DEFAULT_LIMIT,
        Some(raw) => match raw.parse::<u32>() {
            Ok(n) if (1..=MAX_LIMIT).contains(&n) => n,
            _ => return Err(ClerkError::invalid("limit", "limit must be 1 to 500.")),
        },
    };
    let offset = match offset {
        None => 0,
        Some(raw) => raw
            .parse::<u64>()
            .map_err(|_| ClerkError::invalid("offset", "offset must be a non-negative integer."))?,
    };
    Ok(Paging { limit, offset })
}

/// A sort order: a field among those a list allows, and its direction.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OrderBy<'a> {
    pub field: &'a str,
    pub descending: bool,
}

/// Reads `order_by` (`[+|-]field`, `+` or nothing ascending, `-` descending) against the
/// fields a list allows. Without one, lists are newest first (`-created_at`).
pub fn order_by<'a>(raw: Option<&str>, allowed: &[&'a str]) -> Result<OrderBy<'a>, ClerkError> {
    let Some(raw) = raw else {
        return Ok(OrderBy {
            field: "created_at",
            descending: true,
        });
    };
    let (descending, name) = match raw.as_bytes().first() {
        Some(b'-') => (true, &raw[1..]),
        Some(b'+') => (false, &raw[1..]),
        _ => (false, raw),
    };
    match allowed.iter().find(|f| **f == name) {
        Some(field) => Ok(OrderBy { field, descending }),
        None => Err(ClerkError::invalid(
            "order_by",
            format!(
                "order_by must be [+|-] followed by one of: {}.",
                allowed.join(", ")
            ),
        )),
    }
}

/// orgkit's role for a Clerk role key: `org:admin` is `admin`, `org:member` is
/// `basic_member`, any other `org:<key>` is the role `<key>` (the rule book decides whether it
/// exists). A key without the `org:` prefix is refused.
pub fn role_from_key(key: &str) -> Result<String, ClerkError> {
    match key {
        "org:admin" => Ok("admin".to_owned()),
        "org:member" => Ok("basic_member".to_owned()),
        other => match other.strip_prefix("org:") {
            Some(custom) if !custom.is_empty() => Ok(custom.to_owned()),
            _ => Err(ClerkError::invalid(
                "role",
                "role must be a role key such as org:admin or org:member.",
            )),
        },
    }
}

/// The Clerk role key of an orgkit role (the inverse of [`role_from_key`]).
#[must_use]
pub fn role_key(role: &str) -> String {
    match role {
        "admin" => "org:admin".to_owned(),
        "basic_member" => "org:member".to_owned(),
        other => format!("org:{other}"),
    }
}

/// The display name Clerk gives a role.
#[must_use]
pub fn role_name(role: &str) -> String {
    match role {
        "admin" => "Admin".to_owned(),
        "basic_member" => "Member".to_owned(),
        other => other.to_owned(),
    }
}

/// A bulk invitation creates 1 to 10 invitations.
pub fn bulk_invitations(count: usize) -> Result<(), ClerkError> {
    if (1..=MAX_BULK_INVITATIONS).contains(&count) {
        Ok(())
    } else {
        Err(ClerkError::invalid(
            "invitations",
            "A bulk request creates 1 to 10 invitations.",
        ))
    }
}
