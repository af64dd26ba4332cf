//! TEMPORARY: the delivery queue's item and outcome, as `crate::queue` (the lead's worker)
//! defines them. Replaced by `crate::queue::{Delivery, Outcome}` on merge.

/// One claimed row of `deliveries`.
#[derive(Debug, Clone)]
pub struct Delivery {
    pub id: String,
    pub kind: String,
    pub org_id: Option<String>,
    /// Webhook: the endpoint id.
    pub target: String,
    /// Webhook: the event type.
    pub topic: String,
    pub message_id: String,
    pub payload: Option<String>,
    /// Attempts so far, this one included.
    pub attempts: i64,
    pub created_at: i64,
}

/// What became of one attempt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Delivered,
    /// Try again later (the worker's schedule), with the reason.
    Retry(String),
    /// Never try again, with the reason.
    Dead(String),
}
