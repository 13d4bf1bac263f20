//! Helpers shared by the workspace-level tests.

use std::time::Duration;

pub mod broker_process;
pub mod proxy;
pub mod reliability;

/// How long a test waits for a message before it fails.
pub const WAIT: Duration = Duration::from_secs(10);

/// Awaits `future`, failing the test with `what` if it takes longer than [`WAIT`].
pub async fn within<F: std::future::Future>(what: &str, future: F) -> F::Output {
    bounded(what, WAIT, future).await
}

/// Awaits `future`, failing the test with `what` if it takes longer than `limit`.
pub async fn bounded<F: std::future::Future>(what: &str, limit: Duration, future: F) -> F::Output {
    match tokio::time::timeout(limit, future).await {
        Ok(output) => output,
        Err(_) => panic!("timed out after {limit:?} waiting for {what}"),
    }
}

/// The user's own type that `naming.yaml` substitutes for its `Money` schema with `x-rust-type`.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Money {
    /// Amount in minor units.
    pub cents: i64,
}

/// The generator's snapshots (`asyncapi-codegen/tests/snapshots`), compiled with every warning
/// denied (and clippy's, by the workspace's clippy run); `tests/types.rs` exercises them.
#[deny(warnings)]
pub mod snapshots {
    /// `objects.yaml`.
    pub mod objects {
        include!("../asyncapi-codegen/tests/snapshots/objects.rs");
    }
    /// `scalars.yaml`.
    pub mod scalars {
        include!("../asyncapi-codegen/tests/snapshots/scalars.rs");
    }
    /// `unions.yaml`.
    pub mod unions {
        include!("../asyncapi-codegen/tests/snapshots/unions.rs");
    }
    /// `collections.yaml`.
    pub mod collections {
        include!("../asyncapi-codegen/tests/snapshots/collections.rs");
    }
    /// `naming.yaml`.
    pub mod naming {
        include!("../asyncapi-codegen/tests/snapshots/naming.rs");
    }
    /// `messages.yaml`.
    pub mod messages {
        include!("../asyncapi-codegen/tests/snapshots/messages.rs");
    }
    /// `avro.yaml`.
    pub mod avro {
        include!("../asyncapi-codegen/tests/snapshots/avro.rs");
    }
    /// `unnamed.yaml`.
    pub mod unnamed {
        include!("../asyncapi-codegen/tests/snapshots/unnamed.rs");
    }
    /// `polymorphism.yaml`.
    pub mod polymorphism {
        include!("../asyncapi-codegen/tests/snapshots/polymorphism.rs");
    }
}

/// A variable `scripts/test.sh` exports for the broker tests (an address, a directory, a
/// credential); a test that needs it fails, rather than skips, without it.
pub fn from_test_script(var: &str) -> String {
    std::env::var(var).unwrap_or_else(|_| {
        panic!("{var} is not set; run the broker tests through scripts/test.sh, which starts the brokers")
    })
}

/// The broker address the test scripts put in `var` (`host:port`).
pub fn broker_address(var: &str) -> String {
    from_test_script(var)
}

/// [`broker_address`] split into host and port.
pub fn broker_host_port(var: &str) -> (String, u16) {
    let address = broker_address(var);
    let (host, port) = address
        .rsplit_once(':')
        .unwrap_or_else(|| panic!("{var} is host:port, not {address:?}"));
    (host.to_owned(), port.parse().expect("a port number"))
}

/// A name no earlier run used (valid as an MQTT topic level and a Kafka name), so reruns against
/// a long-lived broker do not see old messages.
pub fn unique(prefix: &str) -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos();
    format!("{prefix}-{}-{nanos}", std::process::id())
}
