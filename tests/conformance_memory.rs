//! The conformance suite on the in-memory broker.

mod conformance;

struct Memory;

impl conformance::Harness for Memory {
    type Transport = asyncapi_runtime::memory::MemoryBroker;
    const NAME: &'static str = "memory";
    const REDELIVERS: bool = false;

    async fn connect(&self) -> Self::Transport {
        asyncapi_runtime::memory::MemoryBroker::new()
    }

    async fn connect_beside(&self, other: &Self::Transport) -> Self::Transport {
        other.clone()
    }
}

conformance_suite!(Memory);
