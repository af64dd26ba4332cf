//! A thin client for the orgkit HTTP API, authenticated by Bearer token.

use anyhow::{bail, Context, Result};
use reqwest::{Client, Method, Response};
use serde_json::{json, Value};

/// One signed-in person talking to one server.
#[derive(Clone)]
pub struct Api {
    client: Client,
    base: String,
    token: String,
}

/// A client tuned for the load driver: keep-alive, no proxy.
pub fn http_client() -> Result<Client> {
    Ok(Client::builder()
        .no_proxy()
        .pool_max_idle_per_host(256)
        .build()?)
}

/// Fails with the status and body unless the status is the expected one.
async fn expect(response: Response, status: u16) -> Result<Value> {
    let got = response.status().as_u16();
    let body = response.text().await.unwrap_or_default();
    if got != status {
        bail!("HTTP {got}: {body}");
    }
    if body.is_empty() {
        Ok(Value::Null)
    } else {
        serde_json::from_str(&body).context("response is not JSON")
    }
}

impl Api {
    /// Signs up a new user and keeps their session token.
    pub async fn sign_up(client: &Client, base: &str, email: &str) -> Result<Api> {
        let response = client
            .post(format!("{base}/v1/auth/sign-up"))
            .json(
                &json!({"emailAddress": email, "password": "correct horse battery", "name": email}),
            )
            .send()
            .await?;
        let body = expect(response, 201).await?;
        Ok(Api::with_token(client, base, str_field(&body, "token")?))
    }

    /// An API handle for an existing session token.
    pub fn with_token(client: &Client, base: &str, token: &str) -> Api {
        Api {
            client: client.clone(),
            base: base.to_owned(),
            token: token.to_owned(),
        }
    }

    /// Sends one request and checks its status.
    pub async fn call(
        &self,
        method: Method,
        path: &str,
        body: Option<Value>,
        status: u16,
    ) -> Result<Value> {
        let mut request = self
            .client
            .request(method, format!("{}{path}", self.base))
            .bearer_auth(&self.token);
        if let Some(body) = body {
            request = request.json(&body);
        }
        expect(request.send().await?, status).await
    }

    /// Sends one request, checks its status and answers the body as text, unparsed (so the
    /// driver's cost does not grow with the body's size).
    pub async fn call_text(&self, method: Method, path: &str, status: u16) -> Result<String> {
        let response = self
            .client
            .request(method, format!("{}{path}", self.base))
            .bearer_auth(&self.token)
            .send()
            .await?;
        let got = response.status().as_u16();
        let body = response.text().await?;
        if got != status {
            bail!("HTTP {got}: {body}");
        }
        Ok(body)
    }

    /// The signed-in user's id.
    pub async fn user_id(&self) -> Result<String> {
        let me = self.call(Method::GET, "/v1/me", None, 200).await?;
        Ok(str_field(&me, "id")?.to_owned())
    }

    pub async fn create_organization(&self, name: &str) -> Result<String> {
        let org = self
            .call(
                Method::POST,
                "/v1/organizations",
                Some(json!({"name": name})),
                201,
            )
            .await?;
        Ok(str_field(&org, "id")?.to_owned())
    }
}

/// A string field of a JSON object.
pub fn str_field<'a>(value: &'a Value, field: &str) -> Result<&'a str> {
    value[field]
        .as_str()
        .with_context(|| format!("no string field {field} in {value}"))
}
