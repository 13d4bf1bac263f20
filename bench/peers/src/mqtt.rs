//! The MQTT cases through `ruststream-rumqttc` (MQTT 5 over rumqttc) and Mosquitto.

use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;

use ruststream::{Broker, ConnectedBroker};
use ruststream_rumqttc::prelude::*;

use crate::measure::{self, Collector, Mode, Received, Run, Sample};

/// The application state: the collector the handler records into.
#[derive(FromRef)]
struct BenchState {
    sink: Arc<Collector>,
}

/// The subscriber under test: the framework decodes the JSON payload into `Received` and the
/// handler records its latency. The mount site names the topic and sets the subscription's
/// quality of service to the case's; a `QoS` 1 delivery is acknowledged after the handler
/// returns.
#[subscriber(MqttTopic)]
async fn receive(sample: &Received, State(sink): State<Arc<Collector>>) -> HandlerOutcome {
    sink.record(sample.seq, sample.sent_ns);
    HandlerOutcome::ack()
}

/// What each mode means through this crate.
pub fn note(mode: Mode) -> String {
    let common = "ruststream 0.7.7 + ruststream-rumqttc 0.7.1 (MQTT 5 over rumqttc 0.25, the \
                  crate's settings: request channel 64, receive maximum 1000), #[subscriber] \
                  handler in a started app subscribed at the case's QoS (acks after the \
                  handler), publisher on a connection of its own, JSON codec both ways";
    match mode {
        Mode::Awaited => format!(
            "{common}; awaited = each publish().await in turn, which resolves once the PUBLISH \
             is queued into the rumqttc session (request channel of 64), not on the broker's \
             PUBACK: the crate offers no broker-confirmed publish"
        ),
        Mode::Pipelined(k) => format!(
            "{common}; pipelined = up to {k} publish() futures in flight at once, then all \
             awaited (each resolves once queued into the rumqttc session, as in awaited)"
        ),
    }
}

pub async fn run(
    server: &str,
    qos1: bool,
    mode: Mode,
    messages: usize,
    timeout: Duration,
) -> Result<Run, String> {
    let client_id = measure::unique("ruststream-bench");
    let topic = format!("bench/{client_id}");
    let url = format!("mqtt://{server}");
    let qos = if qos1 {
        Qos::AtLeastOnce
    } else {
        Qos::AtMostOnce
    };

    let sink = Arc::new(Collector::new(messages));
    let state = BenchState {
        sink: Arc::clone(&sink),
    };
    let broker = MqttBroker::new(url.as_str(), format!("{client_id}-sub"));
    let app = RustStream::new(AppInfo::new("ruststream-bench", "0.1.0"))
        .on_startup(async move |()| Ok::<_, Infallible>(state))
        .with_broker(broker, |b| {
            b.include(
                receive
                    .name(topic.clone())
                    .map_source(move |topic: MqttTopic| topic.qos(qos)),
            );
        });
    // Resolves once the subscription is open (the broker's SUBACK).
    let running = app
        .start()
        .await
        .map_err(|e| format!("the app did not start: {e}"))?;

    // The publishing side: a connected broker of its own, the form the crate documents for
    // publishing outside a handler (the typed/raw benchmark publishes on its own connection too).
    let producing = MqttBroker::new(url.as_str(), format!("{client_id}-pub"))
        .connect()
        .await
        .map_err(|e| format!("the publishing connection failed: {e}"))?;
    let publisher = producing.publisher();

    let outcome = measure::drive(&sink, mode, timeout, |seq| {
        let (publisher, topic) = (&publisher, &topic);
        async move {
            let sample = Sample::stamped(seq);
            publisher
                .message(&sample)
                .qos(qos)
                .to(topic.as_str())
                .publish()
                .await
        }
    })
    .await;

    producing
        .shutdown()
        .await
        .map_err(|e| format!("the publishing connection did not shut down: {e}"))?;
    running
        .shutdown()
        .await
        .map_err(|e| format!("the app did not shut down: {e}"))?;
    outcome
}
