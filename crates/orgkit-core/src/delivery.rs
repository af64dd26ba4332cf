//! Outbound delivery (mail and webhooks): when a failed attempt is tried again, and when it is
//! given up.
//!
//! The server's queue worker asks [`RetrySchedule::next_delay_ms`] after every failed attempt;
//! the randomness of the jitter comes in as a parameter, so the rule stays a pure function.

/// Seconds, minutes and hours in milliseconds, for reading the schedules.
const S: i64 = 1_000;
const M: i64 = 60 * S;
const H: i64 = 60 * M;

/// The waits between attempts: after attempt `n` fails, wait `delays_ms[n - 1]` (with jitter);
/// after the last one the item is dead. `delays_ms.len() + 1` attempts in all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetrySchedule {
    pub delays_ms: Vec<i64>,
}

/// How far a wait may stray from the schedule, as a fraction: ±20%, so that items which failed
/// together do not all come back at the same instant.
pub const JITTER: f64 = 0.2;

impl RetrySchedule {
    /// Webhooks, as the Standard Webhooks guidance and Svix do: 5 s, 5 min, 30 min, 2 h, 5 h,
    /// 10 h, 10 h; eight attempts over about 28 hours.
    #[must_use]
    pub fn webhooks() -> Self {
        RetrySchedule {
            delays_ms: vec![5 * S, 5 * M, 30 * M, 2 * H, 5 * H, 10 * H, 10 * H],
        }
    }

    /// Mail: exponential from 30 s, doubling, eight attempts over about an hour. A message
    /// later than that is of little use: its link is one the person will ask for again.
    #[must_use]
    pub fn mail() -> Self {
        RetrySchedule {
            delays_ms: (0..7).map(|n| 30 * S * (1 << n)).collect(),
        }
    }

    /// The most attempts an item gets.
    #[must_use]
    pub fn max_attempts(&self) -> i64 {
        self.delays_ms.len() as i64 + 1
    }

    /// The wait before the next attempt, after `attempts` attempts have failed, or `None` when
    /// the item is dead. `random_unit` is a uniform draw from `[0, 1)`; it moves the wait
    /// within ±[`JITTER`].
    #[must_use]
    pub fn next_delay_ms(&self, attempts: i64, random_unit: f64) -> Option<i64> {
        let index = usize::try_from(attempts.checked_sub(1)?).ok()?;
        let base = *self.delays_ms.get(index)?;
        let unit = random_unit.clamp(0.0, 1.0);
        let factor = 1.0 - JITTER + 2.0 * JITTER * unit;
        Some(((base as f64) * factor).round().max(0.0) as i64)
    }
}

/// How an invitation reaches the invitee, the app's choice per request: `email` (the default),
/// `none` (the answer's `acceptUrl` and `token`, shown once, for the app to share) or `webhook`
/// (an `organizationInvitation.delivery` event to the organization's endpoints).
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum InvitationDelivery {
    /// orgkit emails the link (the default).
    #[default]
    Email,
    /// Nobody is told: the answer carries the accept URL and token, once, for the app to share
    /// its own way.
    None,
    /// The organization's webhook endpoints receive `organizationInvitation.delivery` with the
    /// accept URL, for the app to send by SMS or chat.
    Webhook,
}

impl InvitationDelivery {
    /// Every choice, in declaration order.
    pub const ALL: [InvitationDelivery; 3] = [
        InvitationDelivery::Email,
        InvitationDelivery::None,
        InvitationDelivery::Webhook,
    ];

    /// The wire form.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            InvitationDelivery::Email => "email",
            InvitationDelivery::None => "none",
            InvitationDelivery::Webhook => "webhook",
        }
    }

    /// Parses the wire form.
    #[must_use]
    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|d| d.as_str() == raw)
    }

    /// Whether the invitation's answer carries the accept URL and token.
    #[must_use]
    pub const fn reveals_token(self) -> bool {
        matches!(self, InvitationDelivery::None)
    }

    /// Whether an email is sent.
    #[must_use]
    pub const fn sends_email(self) -> bool {
        matches!(self, InvitationDelivery::Email)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn waits_follow_the_schedule_within_the_jitter() {
        let schedule = RetrySchedule::webhooks();
        // (attempts failed, random draw, expected wait)
        let cases: [(i64, f64, Option<i64>); 9] = [
            (0, 0.5, None),
            (1, 0.5, Some(5 * S)),
            (1, 0.0, Some(4 * S)),
            (1, 1.0, Some(6 * S)),
            (2, 0.5, Some(5 * M)),
            (4, 0.5, Some(2 * H)),
            (7, 0.5, Some(10 * H)),
            (8, 0.5, None),
            (-1, 0.5, None),
        ];
        for (attempts, draw, expected) in cases {
            assert_eq!(
                schedule.next_delay_ms(attempts, draw),
                expected,
                "after {attempts} attempts, draw {draw}"
            );
        }
        assert_eq!(schedule.max_attempts(), 8);
    }

    #[test]
    fn mail_backs_off_exponentially() {
        let schedule = RetrySchedule::mail();
        let waits: Vec<_> = (1..=8).map(|n| schedule.next_delay_ms(n, 0.5)).collect();
        assert_eq!(
            waits,
            [
                Some(30 * S),
                Some(M),
                Some(2 * M),
                Some(4 * M),
                Some(8 * M),
                Some(16 * M),
                Some(32 * M),
                None
            ]
        );
    }

    #[test]
    fn a_draw_out_of_range_stays_within_the_jitter() {
        let schedule = RetrySchedule {
            delays_ms: vec![1000],
        };
        assert_eq!(schedule.next_delay_ms(1, -3.0), Some(800));
        assert_eq!(schedule.next_delay_ms(1, 7.0), Some(1200));
    }

    #[test]
    fn invitation_delivery_choices() {
        let cases = [
            (InvitationDelivery::Email, "email", false, true),
            (InvitationDelivery::None, "none", true, false),
            (InvitationDelivery::Webhook, "webhook", false, false),
        ];
        for (choice, wire, reveals, emails) in cases {
            assert_eq!(choice.as_str(), wire);
            assert_eq!(InvitationDelivery::parse(wire), Some(choice));
            assert_eq!(choice.reveals_token(), reveals, "{wire}");
            assert_eq!(choice.sends_email(), emails, "{wire}");
        }
        assert_eq!(InvitationDelivery::default(), InvitationDelivery::Email);
        assert_eq!(InvitationDelivery::parse("pigeon"), None);
        assert_eq!(InvitationDelivery::parse("Email"), None);
    }
}
