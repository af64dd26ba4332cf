//! The one shared async path: every thin export checks its input synchronously, describes its
//! request (`Request`) and how its answer becomes a JS value (`Then`), and hands both here.
//! One future for all of them, instead of an `async fn` state machine per export (twiggy's
//! largest class before; BENCHMARKS.md, "One send path for every method").

use crate::context::Client;
use crate::js::{array, date, dates, field, set};
use crate::membership::OrganizationMembership;
use crate::organization::{Checked, Organization};
use crate::pending::Pending;
use js_sys::{Array, Promise};
use std::rc::Rc;
use wasm_bindgen::JsValue;
use wasm_bindgen_futures::future_to_promise;

/// A request described by a thin export once its local checks passed (method, path, body), or
/// its local refusal, which rejects with no request.
pub(crate) type Request = Checked;

/// A conversion of the answer, written by the export that needs it.
pub(crate) type Map = Box<dyn FnOnce(JsValue) -> Result<JsValue, JsValue>>;

/// A conversion of the outcome, a refusal included.
pub(crate) type Settle = Box<dyn FnOnce(Result<JsValue, JsValue>) -> Result<JsValue, JsValue>>;

/// How the answer becomes the value the Promise resolves to.
pub(crate) enum Then {
    /// `undefined`.
    Unit,
    /// The answer's plain data, its timestamps (and those of each item of its `data` page) as
    /// `Date`s.
    Data,
    /// A user: `createdAt` as a `Date`.
    User,
    /// A new `Organization`.
    Organization,
    /// A membership of the signed-in user, with its own organization.
    MyMembership,
    /// The `data` list of the signed-in user's memberships, each with its own organization.
    MyMemberships,
    /// Anything else: the export's own conversion.
    Map(Map),
    /// The export's own conversion of the outcome, a refusal included.
    Settle(Settle),
}

/// The timestamps of plain-data answers (audit events, webhook endpoints and attempts, the
/// roster, declined invitations), turned into `Date`s; `null` stays `null`.
const DATES: [&str; 4] = [
    "createdAt",
    "updatedAt",
    "previousSecretExpiresAt",
    "expiresAt",
];

/// Sends `request` (or rejects with its local refusal, with no request) and resolves to its
/// answer turned by `then`.
pub(crate) fn send(client: Rc<Client>, request: Request, then: Then) -> Promise {
    let (method, path, body) = match request {
        Ok(request) => request,
        Err(refusal) => return Promise::reject(&refusal),
    };
    future_to_promise(async move {
        let outcome = client.http.send(method, &path, body.as_ref()).await;
        then.apply(&client, outcome)
    })
}

impl Then {
    fn apply(
        self,
        client: &Rc<Client>,
        outcome: Result<JsValue, JsValue>,
    ) -> Result<JsValue, JsValue> {
        if let Then::Settle(settle) = self {
            return settle(outcome);
        }
        let answer = outcome?;
        Ok(match self {
            Then::Unit => JsValue::UNDEFINED,
            Then::Data => {
                let data = field(&answer, "data");
                let items = if Array::is_array(&data) {
                    Array::from(&data)
                } else {
                    Array::of1(&answer)
                };
                for item in items.iter() {
                    for key in DATES {
                        if let Some(ms) = field(&item, key).as_f64() {
                            set(&item, key, &date(ms));
                        }
                    }
                }
                answer
            }
            Then::User => {
                dates(&answer, &["createdAt"]);
                answer
            }
            Then::Organization => Organization::new(client.clone(), &answer).into(),
            Then::MyMembership => {
                OrganizationMembership::with_own_organization(client, answer).into()
            }
            Then::MyMemberships => array(&answer, "data")
                .iter()
                .map(|m| JsValue::from(OrganizationMembership::with_own_organization(client, m)))
                .collect::<Array>()
                .into(),
            Then::Map(map) => return map(answer),
            Then::Settle(_) => JsValue::UNDEFINED,
        })
    }
}

/// `send`, typed for the export's signature (`Pending<T>` is the same `Promise`).
pub(crate) fn pending<T>(client: Rc<Client>, request: Request, then: Then) -> Pending<T> {
    send(client, request, then).into()
}
