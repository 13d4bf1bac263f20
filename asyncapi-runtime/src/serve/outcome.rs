//! What a handler says about a message it could not handle.

use std::fmt;
use std::time::Duration;

use crate::BoxError;

/// What a handler method returns: `Ok` when the message was handled (with the reply, for an
/// operation that has one); `Err` says what to do with it.
///
/// `?` on any error means "try again with the operation's backoff" ([`HandlerError::retry`]).
pub type HandlerResult<T = ()> = Result<T, HandlerError>;

/// Why a handler did not handle a message, and what the service should do about it.
///
/// Made from any error by `?` or `.into()` (a retry with the policy's backoff), or by one of the
/// constructors that says otherwise. It deliberately does not implement
/// [`std::error::Error`]: that is what lets every error convert into it (as `anyhow::Error`
/// does).
pub struct HandlerError {
    pub(crate) action: Action,
    pub(crate) source: BoxError,
}

/// What to do with a message whose handler failed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Action {
    /// Hand it to the handler again: after `after`, else after the policy's backoff; once the
    /// policy's attempts are used up, dead-letter it.
    Retry {
        /// The delay before the next attempt; `None` for the policy's backoff.
        after: Option<Duration>,
    },
    /// Drop it: acknowledge it without handling it (it is reported to `on_error`).
    Reject,
    /// Send it to the dead-letter destination at once, without retrying.
    DeadLetter,
}

impl HandlerError {
    /// Try again with the policy's backoff (what `?` means).
    pub fn retry(error: impl Into<BoxError>) -> Self {
        Self::with(Action::Retry { after: None }, error)
    }

    /// Try again after `delay` (it still counts as an attempt).
    pub fn retry_after(delay: Duration, error: impl Into<BoxError>) -> Self {
        Self::with(Action::Retry { after: Some(delay) }, error)
    }

    /// Never handle this message: acknowledge it without handling it. `on_error` still hears of it.
    pub fn reject(error: impl Into<BoxError>) -> Self {
        Self::with(Action::Reject, error)
    }

    /// Give up on this message now: send it to the dead-letter destination.
    pub fn dead_letter(error: impl Into<BoxError>) -> Self {
        Self::with(Action::DeadLetter, error)
    }

    fn with(action: Action, error: impl Into<BoxError>) -> Self {
        HandlerError {
            action,
            source: error.into(),
        }
    }

    /// What the handler asked for.
    pub fn action(&self) -> Action {
        self.action
    }

    /// The error itself.
    pub fn source(&self) -> &(dyn std::error::Error + Send + Sync + 'static) {
        &*self.source
    }

    /// The error itself, owned.
    pub fn into_source(self) -> BoxError {
        self.source
    }
}

/// `?` on any error: retry with the policy's backoff.
impl<E: Into<BoxError>> From<E> for HandlerError {
    fn from(error: E) -> Self {
        HandlerError::retry(error)
    }
}

impl fmt::Display for HandlerError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.source, f)
    }
}

impl fmt::Debug for HandlerError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HandlerError")
            .field("action", &self.action)
            .field("source", &self.source)
            .finish()
    }
}

/// A handler that panicked: its panic message as an error.
#[derive(Debug)]
pub(crate) struct Panicked(pub String);

impl fmt::Display for Panicked {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "the handler panicked: {}", self.0)
    }
}

impl std::error::Error for Panicked {}

impl Panicked {
    /// The panic's message, when it was a string (as `panic!` makes it).
    pub(crate) fn from_payload(payload: &(dyn std::any::Any + Send)) -> Self {
        let message = payload
            .downcast_ref::<&str>()
            .map(|s| (*s).to_owned())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "a panic without a message".to_owned());
        Panicked(message)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug)]
    struct Broken;

    impl fmt::Display for Broken {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("broken")
        }
    }

    impl std::error::Error for Broken {}

    fn question_mark() -> HandlerResult {
        Err(Broken)?;
        Ok(())
    }

    #[test]
    fn any_error_is_a_retry_with_the_policys_backoff() {
        let error = question_mark().unwrap_err();
        assert_eq!(error.action(), Action::Retry { after: None });
        assert_eq!(error.to_string(), "broken");
        let text: HandlerError = "no stock".into();
        assert_eq!(text.action(), Action::Retry { after: None });
    }

    #[test]
    fn constructors_say_what_to_do() {
        let later = HandlerError::retry_after(Duration::from_secs(2), "busy");
        assert_eq!(
            later.action(),
            Action::Retry {
                after: Some(Duration::from_secs(2))
            }
        );
        assert_eq!(HandlerError::reject("bad").action(), Action::Reject);
        assert_eq!(
            HandlerError::dead_letter("bad").action(),
            Action::DeadLetter
        );
    }

    #[test]
    fn panic_messages_are_kept() {
        let text = std::panic::catch_unwind(|| panic!("at {}", 7)).unwrap_err();
        assert_eq!(
            Panicked::from_payload(&*text).to_string(),
            "the handler panicked: at 7"
        );
        let literal = std::panic::catch_unwind(|| panic!("plain")).unwrap_err();
        assert_eq!(Panicked::from_payload(&*literal).0, "plain");
    }
}
