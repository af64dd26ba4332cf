//! An organization's join requests (needs `org:requests:manage`).

use super::Organization;
use crate::join_request::{list_request, send, Answer};
use js_sys::Promise;
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
impl Organization {
    /// One page of the organization's requests to join, pending first, newest first within
    /// each group: `{ data, nextCursor }` (needs `org:requests:manage`).
    ///
    /// @example
    /// ```js
    /// const { data, nextCursor } = await org.getJoinRequests({ status: "pending" });
    /// ```
    #[wasm_bindgen(js_name = getJoinRequests, unchecked_return_type = "Promise<JoinRequestsPage>")]
    pub fn get_join_requests(
        &self,
        #[wasm_bindgen(unchecked_param_type = "JoinRequestsParams | undefined")] p: JsValue,
    ) -> Promise {
        let checked = list_request(self, &p);
        send(
            self.state.client.clone(),
            Some(self.clone()),
            checked,
            Answer::Many,
        )
    }
}
