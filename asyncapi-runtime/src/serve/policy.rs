//! What an operation does with messages its handler fails on, and how many it handles at once.

use std::borrow::Cow;
use std::num::NonZeroUsize;
use std::time::Duration;

/// How one receive operation is served: retries, dead letters, concurrency.
///
/// The default never stalls a subscription and never drops a message silently: three attempts
/// with exponential backoff (100 ms, then 200 ms, with jitter), then the dead-letter
/// destination if there is one; without one the message is acknowledged and handed to the
/// handler's `on_error` with its bytes (which logs it at `error` level unless overridden). One
/// message at a time.
///
/// A spec sets an operation's policy with the `x-retry` and `x-dead-letter` extensions (see the
/// README); configuration in code overrides it.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct Policy {
    /// How many times a message is handed to the handler before it is dead-lettered (at least 1).
    pub attempts: u32,
    /// The delay before each retry.
    pub backoff: Backoff,
    /// Where messages go that cannot be handled.
    pub dead_letter: Option<DeadLetter>,
    /// How many messages are handled at once. Messages with the same ordering key are handled
    /// one after the other, in the order they arrived, retries included: a later message of a
    /// key never overtakes an earlier one. The ordering key is the Kafka partition (with it the
    /// record key, which picks the partition; so at most one message per partition is in
    /// flight, and the committed offset never passes one that was not handled), the message
    /// key on the in-memory broker, the topic on MQTT.
    pub concurrency: NonZeroUsize,
}

impl Default for Policy {
    fn default() -> Self {
        Policy {
            attempts: 3,
            backoff: Backoff::default(),
            dead_letter: None,
            concurrency: NonZeroUsize::MIN,
        }
    }
}

impl Policy {
    /// The default policy; see [`Policy`].
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets how many times a message is handed to the handler (at least once).
    pub fn attempts(mut self, attempts: u32) -> Self {
        self.attempts = attempts.max(1);
        self
    }

    /// Sets the backoff between attempts.
    pub fn backoff(mut self, backoff: Backoff) -> Self {
        self.backoff = backoff;
        self
    }

    /// Sets where messages go that cannot be handled.
    pub fn dead_letter(mut self, destination: impl Into<DeadLetter>) -> Self {
        self.dead_letter = Some(destination.into());
        self
    }

    /// Drops the dead-letter destination: messages that cannot be handled are acknowledged and
    /// reported to `on_error`.
    pub fn no_dead_letter(mut self) -> Self {
        self.dead_letter = None;
        self
    }

    /// Sets how many messages are handled at once (0 counts as 1).
    pub fn concurrency(mut self, limit: usize) -> Self {
        self.concurrency = NonZeroUsize::new(limit).unwrap_or(NonZeroUsize::MIN);
        self
    }
}

/// Exponential backoff with jitter: attempt `n` (counting from 1) waits
/// `min(max, initial × multiplier^(n-1))`, less a random part of up to `jitter` of it, so that
/// many consumers failing together do not retry in lockstep.
#[derive(Clone, Copy, Debug, PartialEq)]
#[non_exhaustive]
pub struct Backoff {
    /// The delay before the first retry.
    pub initial: Duration,
    /// The factor each further delay grows by.
    pub multiplier: f64,
    /// The longest delay.
    pub max: Duration,
    /// The share of each delay that is random, from 0 (none) to 1 (anywhere from 0 to the delay).
    pub jitter: f64,
}

impl Default for Backoff {
    fn default() -> Self {
        Backoff {
            initial: Duration::from_millis(100),
            multiplier: 2.0,
            max: Duration::from_secs(30),
            jitter: 0.5,
        }
    }
}

impl Backoff {
    /// Exponential backoff from `initial`, doubling up to `max`, half of each delay random.
    pub fn exponential(initial: Duration, max: Duration) -> Self {
        Backoff {
            initial,
            max,
            ..Backoff::default()
        }
    }

    /// The same delay every time (no jitter).
    pub fn fixed(delay: Duration) -> Self {
        Backoff {
            initial: delay,
            multiplier: 1.0,
            max: delay,
            jitter: 0.0,
        }
    }

    /// Sets the factor each delay grows by.
    pub fn multiplier(mut self, multiplier: f64) -> Self {
        self.multiplier = multiplier;
        self
    }

    /// Sets the random share of each delay (clamped to 0..=1).
    pub fn jitter(mut self, jitter: f64) -> Self {
        self.jitter = jitter.clamp(0.0, 1.0);
        self
    }

    /// The delay after failed attempt `attempt` (1 for the first), without jitter.
    pub fn ceiling(&self, attempt: u32) -> Duration {
        let factor = self
            .multiplier
            .max(1.0)
            .powi(attempt.saturating_sub(1).min(64) as i32);
        let delay = self.initial.as_secs_f64() * factor;
        if delay.is_finite() && delay < self.max.as_secs_f64() {
            Duration::from_secs_f64(delay)
        } else {
            self.max
        }
    }

    /// The delay after failed attempt `attempt`, jitter applied.
    pub fn delay(&self, attempt: u32) -> Duration {
        let ceiling = self.ceiling(attempt);
        let jitter = self.jitter.clamp(0.0, 1.0);
        ceiling.mul_f64(1.0 - jitter * fastrand::f64())
    }
}

/// Where a message goes that its handler could not handle: the original bytes, headers and key,
/// with the failure described in headers (named in [`dead_letter`](super::dead_letter)).
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum DeadLetter {
    /// A concrete address (a Kafka topic, an MQTT topic): a channel of the spec or one from
    /// configuration. A Kafka topic must exist (create it like the spec's other topics).
    Address(Cow<'static, str>),
}

impl DeadLetter {
    /// The address messages are sent to.
    pub fn address(&self) -> &str {
        match self {
            DeadLetter::Address(address) => address,
        }
    }
}

impl From<&'static str> for DeadLetter {
    fn from(address: &'static str) -> Self {
        DeadLetter::Address(Cow::Borrowed(address))
    }
}

impl From<String> for DeadLetter {
    fn from(address: String) -> Self {
        DeadLetter::Address(Cow::Owned(address))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_grows_exponentially_up_to_its_ceiling() {
        let backoff = Backoff::exponential(Duration::from_millis(100), Duration::from_secs(1));
        let ceilings: Vec<u128> = (1..=6).map(|n| backoff.ceiling(n).as_millis()).collect();
        assert_eq!(ceilings, [100, 200, 400, 800, 1000, 1000]);
        assert_eq!(backoff.ceiling(u32::MAX), Duration::from_secs(1));
    }

    #[test]
    fn jitter_takes_up_to_its_share_off() {
        let backoff = Backoff::exponential(Duration::from_millis(100), Duration::from_secs(1));
        let delays: Vec<Duration> = (0..200).map(|_| backoff.delay(2)).collect();
        assert!(delays.iter().all(|d| *d >= Duration::from_millis(100)));
        assert!(delays.iter().all(|d| *d <= Duration::from_millis(200)));
        // Random, not one value: 200 draws are not all alike.
        assert!(delays.iter().any(|d| *d != delays[0]));
        let fixed = Backoff::fixed(Duration::from_millis(5));
        assert!((1..10).all(|n| fixed.delay(n) == Duration::from_millis(5)));
    }

    #[test]
    fn policies_build() {
        let policy = Policy::new()
            .attempts(0)
            .concurrency(0)
            .dead_letter("orders.dlq");
        assert_eq!(policy.attempts, 1);
        assert_eq!(policy.concurrency.get(), 1);
        assert_eq!(
            policy.dead_letter.as_ref().map(DeadLetter::address),
            Some("orders.dlq")
        );
        assert_eq!(Policy::default().attempts, 3);
        assert_eq!(Policy::default().concurrency.get(), 1);
    }
}
