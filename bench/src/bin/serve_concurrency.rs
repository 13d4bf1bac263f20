//! `serve` with a 10 ms handler in memory, at concurrency limits 1, 4, 16 and 64: throughput
//! against the limit of 1 measured in the same run (each key's messages are still handled in
//! order; 64 keys).
//!
//! `cargo run --release -p asyncapi-bench --bin serve_concurrency`

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use asyncapi_runtime::memory::MemoryBroker;
use asyncapi_runtime::serve::Policy;
use asyncapi_runtime::{Client, HandlerResult, Received};
use serde::Serialize;

mod serve {
    asyncapi_runtime::asyncapi!("specs/serve.yaml");
}

use serve::Publisher as _;

const MESSAGES: usize = 640;
const KEYS: usize = 64;
const HANDLER: Duration = Duration::from_millis(10);

struct Work(AtomicUsize, tokio::sync::Notify);

impl serve::Handler for Work {
    async fn receive_work(
        &self,
        _: Received<serve::WorkParameters, serve::JobPayload, (), Option<String>>,
    ) -> HandlerResult {
        tokio::time::sleep(HANDLER).await;
        if self.0.fetch_add(1, Ordering::SeqCst) + 1 == MESSAGES {
            self.1.notify_one();
        }
        Ok(())
    }
}

#[derive(Serialize)]
struct Record {
    bench: &'static str,
    limit: usize,
    messages: usize,
    keys: usize,
    handler_ms: u128,
    msg_per_s: f64,
    vs_limit_1: f64,
}

async fn run(limit: usize) -> f64 {
    let client = Client::new(MemoryBroker::new());
    let mut subscriptions = serve::Subscriptions::new(&client).await.unwrap();
    subscriptions.config_mut().receive_work = Policy::new().concurrency(limit);
    let work = Arc::new(Work(AtomicUsize::new(0), tokio::sync::Notify::new()));
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let serving = {
        let work = work.clone();
        tokio::spawn(async move {
            subscriptions
                .serve(&*work, async {
                    let _ = stopped.await;
                })
                .await
        })
    };
    let started = Instant::now();
    let all_done = work.1.notified();
    for n in 0..MESSAGES {
        client
            .send_work(
                &format!("key-{}", n % KEYS),
                &serve::JobPayload { n: n as i64 },
            )
            .await
            .unwrap();
    }
    all_done.await;
    let elapsed = started.elapsed();
    let _ = stop.send(());
    serving.await.unwrap().unwrap();
    MESSAGES as f64 / elapsed.as_secs_f64()
}

#[tokio::main]
async fn main() {
    let mut baseline = None;
    for limit in [1, 4, 16, 64] {
        let rate = run(limit).await;
        let base = *baseline.get_or_insert(rate);
        asyncapi_bench::record::write(&Record {
            bench: "serve_concurrency",
            limit,
            messages: MESSAGES,
            keys: KEYS,
            handler_ms: HANDLER.as_millis(),
            msg_per_s: rate,
            vs_limit_1: rate / base,
        });
    }
}
