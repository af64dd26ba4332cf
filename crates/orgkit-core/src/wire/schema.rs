//! Schemas for the checked strings of request bodies, with the bounds of [`crate::validate`]:
//! the OpenAPI document states them and the server enforces them.

use crate::validate::{MAX_NAME_CHARS, PASSWORD_CHARS, SLUG_CHARS};
use utoipa::openapi::schema::{KnownFormat, ObjectBuilder, Schema, SchemaFormat, Type};
use utoipa::openapi::RefOr;

/// What `str::trim` removes, and the control characters a name may not hold.
const SPACE: &str =
    r"\t\n\u000B\u000C\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000";
const CONTROL: &str = r"\u0000-\u001F\u007F-\u009F";
const CONTROL_BUT_LF: &str = r"\u0000-\u0009\u000B-\u001F\u007F-\u009F";
const ATOM: &str = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]";

macro_rules! string_schemas {
    ($($name:ident: $doc:literal => $schema:expr;)*) => {$(
        #[doc = $doc]
        pub struct $name;
        impl utoipa::ToSchema for $name {}
        impl utoipa::PartialSchema for $name {
            fn schema() -> RefOr<Schema> {
                let schema: ObjectBuilder = $schema;
                schema.schema_type(Type::String).description(Some($doc)).into()
            }
        }
    )*};
}

string_schemas! {
    EmailAddress: "An email address (`validate::email`); trimmed and lowercased." =>
        ObjectBuilder::new().format(Some(SchemaFormat::Custom("email".to_owned())))
            .max_length(Some(254))
            .pattern(Some(format!(r"^{ATOM}{{1,64}}(\.{ATOM}{{1,63}})*@([A-Za-z0-9]([A-Za-z0-9-]{{0,61}}[A-Za-z0-9])?\.)+[A-Za-z]{{2,63}}$")));
    Name: "A name: trimmed, then 1 to 256 characters without control characters." =>
        ObjectBuilder::new().min_length(Some(1)).pattern(Some(format!(
            "^[{SPACE}]*[^{SPACE}{CONTROL}]([^{CONTROL}]{{0,{}}}[^{SPACE}{CONTROL}])?[{SPACE}]*$",
            MAX_NAME_CHARS - 2
        )));
    Slug: "Lowercase letters and digits in hyphen-separated groups, 3 to 64 characters." =>
        ObjectBuilder::new().pattern(Some("^[a-z0-9]+(-[a-z0-9]+)*$"))
            .min_length(Some(*SLUG_CHARS.start())).max_length(Some(*SLUG_CHARS.end()));
    Password: "A new password: 8 to 256 characters." =>
        ObjectBuilder::new().format(Some(SchemaFormat::KnownFormat(KnownFormat::Password)))
            .min_length(Some(*PASSWORD_CHARS.start())).max_length(Some(*PASSWORD_CHARS.end()));
    SsoConnectionName: "An SSO connection's name: trimmed, then 1 to 100 characters without control characters." =>
        ObjectBuilder::new().min_length(Some(1)).pattern(Some(format!(
            "^[{SPACE}]*[^{SPACE}{CONTROL}]([^{CONTROL}]{{0,98}}[^{SPACE}{CONTROL}])?[{SPACE}]*$"
        )));
    ShortName: "A workspace's or group's name: trimmed, then 1 to 100 characters without control characters." =>
        ObjectBuilder::new().min_length(Some(1)).pattern(Some(format!(
            "^[{SPACE}]*[^{SPACE}{CONTROL}]([^{CONTROL}]{{0,98}}[^{SPACE}{CONTROL}])?[{SPACE}]*$"
        )));
    Description: "A description: trimmed, then at most 500 characters without control characters but line breaks." =>
        ObjectBuilder::new().pattern(Some(format!(
            "^[{SPACE}]*([^{SPACE}{CONTROL}]([^{CONTROL_BUT_LF}]{{0,498}}[^{SPACE}{CONTROL}])?)?[{SPACE}]*$"
        )));
    SsoIssuer: "An OIDC issuer or discovery URL: https (plain http only to localhost on a --dev server), no credentials, query or fragment." =>
        ObjectBuilder::new().format(Some(SchemaFormat::Custom("uri".to_owned())))
            .min_length(Some(1)).max_length(Some(2048))
            .pattern(Some(r#"^[Hh][Tt][Tt][Pp][Ss]?://([A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(:([1-9][0-9]{0,3}|[1-5][0-9]{4}|6[0-4][0-9]{3}|65[0-4][0-9]{2}|655[0-2][0-9]|6553[0-5]))?(/[!"$->@-\[\]-~]*)?$"#));
    SsoClientId: "An OIDC client id: 1 to 255 printable ASCII characters, no spaces." =>
        ObjectBuilder::new().min_length(Some(1)).max_length(Some(255)).pattern(Some("^[!-~]+$"));
    SsoClientSecret: "An OIDC client secret: 1 to 1024 printable ASCII characters, no spaces." =>
        ObjectBuilder::new().format(Some(SchemaFormat::KnownFormat(KnownFormat::Password)))
            .min_length(Some(1)).max_length(Some(1024)).pattern(Some("^[!-~]+$"));
    SsoScopes: "Space-separated OAuth scopes (RFC 6749 tokens), `openid` among them; at most 512 characters." =>
        ObjectBuilder::new().max_length(Some(512))
            .pattern(Some(r#"^ *([!#-\[\]-~]+ +)*openid( +[!#-\[\]-~]+)* *$"#));
    RevokeReason: "Why an API key was revoked: trimmed, then at most 200 characters without control characters." =>
        ObjectBuilder::new().pattern(Some(format!(
            "^[{SPACE}]*([^{SPACE}{CONTROL}]([^{CONTROL}]{{0,198}}[^{SPACE}{CONTROL}])?)?[{SPACE}]*$"
        )));
    SsoClaimName: "An ID token claim name: 1 to 128 letters, digits or _ - . : /." =>
        ObjectBuilder::new().min_length(Some(1)).max_length(Some(128)).pattern(Some("^[A-Za-z0-9_.:/-]+$"));
}
