//! A thin client for Better Auth's routes (`/api/auth/*`), authenticated by its session
//! cookie, for the paired scenario. Every request carries an `Origin` header: Better Auth
//! refuses cookie-authenticated POSTs without a trusted origin.

use anyhow::{bail, Context, Result};
use reqwest::header::{HeaderMap, COOKIE, ORIGIN, SET_COOKIE};
use reqwest::{Client, RequestBuilder, Response};
use serde_json::{json, Value};

/// One signed-in person talking to one Better Auth server.
#[derive(Clone)]
pub struct BaApi {
    client: Client,
    base: String,
    /// The `Cookie` header value: every cookie the sign-up set (`name=value; …`).
    cookie: String,
    /// The signed-in user's id.
    pub user_id: String,
}

/// Fails with the status and body unless the status is 200; answers the body as JSON.
async fn expect_ok(response: Response) -> Result<Value> {
    let got = response.status().as_u16();
    let body = response.text().await.unwrap_or_default();
    if got != 200 {
        bail!("HTTP {got}: {body}");
    }
    serde_json::from_str(&body).context("response is not JSON")
}

/// The `name=value` pairs of every `Set-Cookie` header, joined for a `Cookie` header.
fn cookie_header(headers: &HeaderMap) -> String {
    headers
        .get_all(SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .filter_map(|v| v.split(';').next())
        .map(str::trim)
        .filter(|pair| !pair.is_empty())
        .collect::<Vec<_>>()
        .join("; ")
}

impl BaApi {
    /// Signs up a new user with email and password and keeps their session cookie.
    pub async fn sign_up(client: &Client, base: &str, email: &str) -> Result<BaApi> {
        let response = client
            .post(format!("{base}/api/auth/sign-up/email"))
            .header(ORIGIN, base)
            .json(&json!({"email": email, "password": "correct horse battery", "name": email}))
            .send()
            .await?;
        let cookie = cookie_header(response.headers());
        let body = expect_ok(response).await?;
        anyhow::ensure!(
            cookie.contains("session_token="),
            "sign-up set no session cookie: {cookie:?}"
        );
        let user_id = body["user"]["id"]
            .as_str()
            .with_context(|| format!("no user.id in {body}"))?
            .to_owned();
        Ok(BaApi {
            client: client.clone(),
            base: base.to_owned(),
            cookie,
            user_id,
        })
    }

    fn authed(&self, request: RequestBuilder) -> RequestBuilder {
        request
            .header(COOKIE, &self.cookie)
            .header(ORIGIN, &self.base)
    }

    /// POSTs a JSON body to `/api/auth{path}` and expects 200.
    pub async fn post(&self, path: &str, body: &Value) -> Result<Value> {
        let request = self
            .client
            .post(format!("{}/api/auth{path}", self.base))
            .json(body);
        expect_ok(self.authed(request).send().await?).await
    }

    /// GETs `/api/auth{path_and_query}`, expects 200 and answers the body as text, unparsed.
    pub async fn get_text(&self, path_and_query: &str) -> Result<String> {
        let request = self
            .client
            .get(format!("{}/api/auth{path_and_query}", self.base));
        let response = self.authed(request).send().await?;
        let got = response.status().as_u16();
        let body = response.text().await?;
        if got != 200 {
            bail!("HTTP {got}: {body}");
        }
        Ok(body)
    }

    /// Creates an organization (its slug must be unique) and answers its id.
    pub async fn create_organization(&self, name: &str, slug: &str) -> Result<String> {
        let org = self
            .post("/organization/create", &json!({"name": name, "slug": slug}))
            .await?;
        Ok(org["id"]
            .as_str()
            .with_context(|| format!("no id in {org}"))?
            .to_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cookie_header_keeps_every_cookie_without_attributes() {
        let mut headers = HeaderMap::new();
        headers.append(
            SET_COOKIE,
            "better-auth.session_token=abc.def%3D; Max-Age=604800; Path=/; HttpOnly"
                .parse()
                .expect("a header value"),
        );
        headers.append(
            SET_COOKIE,
            "better-auth.session_data=xyz; Path=/"
                .parse()
                .expect("a header value"),
        );
        assert_eq!(
            cookie_header(&headers),
            "better-auth.session_token=abc.def%3D; better-auth.session_data=xyz"
        );
    }
}
