//! The streetlights service and a streetlight talking to each other, over the in-memory broker
//! or a real MQTT broker.
//!
//! Both sides come from one spec (`specs/streetlights-mqtt.yml`, the official AsyncAPI 3.0
//! example): the service is the application the spec describes (it receives light measurements
//! and sends on/off/dim commands); the streetlight is its mirror.
//!
//! - `cargo run -p asyncapi-examples --bin streetlights`: everything in this process, on the
//!   embedded in-memory broker.
//! - `cargo run -p asyncapi-examples --bin streetlights -- --mqtt localhost:1883`: the same code
//!   through an MQTT 5 broker (Mosquitto, say), one connection per side.

use std::sync::Arc;
use std::time::Duration;

use asyncapi_runtime::memory::MemoryBroker;
use asyncapi_runtime::mqtt::{Mqtt, MqttConfig};
use asyncapi_runtime::{Client, HandlerResult, Received, Transport};
use tokio::sync::Notify;

type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// The streetlights service: the application the spec describes.
#[asyncapi_runtime::spec("specs/streetlights-mqtt.yml")]
pub mod service {}

/// A streetlight: the other side of the same spec.
#[asyncapi_runtime::spec("specs/streetlights-mqtt.yml", role = "mirror")]
pub mod streetlight {}

/// Dims a light that reports too much light, turns on one that reports too little.
struct Controller<T> {
    client: Client<T>,
}

impl<T: Transport> service::Handler for Controller<T> {
    async fn receive_light_measurement(
        &self,
        message: Received<
            service::LightingMeasuredParameters,
            service::LightMeasuredPayload,
            service::CommonHeaders,
        >,
    ) -> HandlerResult {
        use service::Publisher;
        let id = message.parameters.streetlight_id;
        let lumens = message.payload.lumens.unwrap_or_default();
        // The spec's `commonHeaders` trait: an application header from 0 to 100.
        let headers = service::CommonHeaders {
            my_app_header: Some(1),
        };
        println!("service     <- {}: {} lumens", message.address, lumens);
        if lumens < 100 {
            let parameters = service::LightTurnOnParameters { streetlight_id: id };
            let command = service::TurnOnOffPayload {
                command: Some(service::TurnOnOffPayloadCommand::On),
                sent_at: Some(
                    "2026-11-24T18:00:00Z"
                        .parse()
                        .expect("an RFC 3339 date-time"),
                ),
            };
            println!("service     -> {}: turn on", parameters.address()?);
            self.client.turn_on(&parameters, &headers, &command).await?;
        } else {
            let parameters = service::LightsDimParameters { streetlight_id: id };
            let command = service::DimLightPayload {
                percentage: Some(30),
                sent_at: Some(
                    "2026-11-24T18:00:00Z"
                        .parse()
                        .expect("an RFC 3339 date-time"),
                ),
            };
            println!("service     -> {}: dim to 30%", parameters.address()?);
            self.client
                .dim_light(&parameters, &headers, &command)
                .await?;
        }
        Ok(())
    }
}

/// Prints the commands a streetlight receives; signals once it has seen `expected` of them.
struct Lamp {
    seen: std::sync::atomic::AtomicUsize,
    expected: usize,
    done: Arc<Notify>,
}

impl Lamp {
    fn count(&self) {
        let seen = self.seen.fetch_add(1, std::sync::atomic::Ordering::SeqCst) + 1;
        if seen == self.expected {
            self.done.notify_one();
        }
    }
}

impl streetlight::Handler for Lamp {
    async fn turn_on(
        &self,
        message: Received<
            streetlight::LightTurnOnParameters,
            streetlight::TurnOnOffPayload,
            streetlight::CommonHeaders,
        >,
    ) -> HandlerResult {
        println!(
            "streetlight <- {}: {:?}",
            message.address, message.payload.command
        );
        self.count();
        Ok(())
    }

    async fn turn_off(
        &self,
        message: Received<
            streetlight::LightTurnOffParameters,
            streetlight::TurnOnOffPayload,
            streetlight::CommonHeaders,
        >,
    ) -> HandlerResult {
        println!(
            "streetlight <- {}: {:?}",
            message.address, message.payload.command
        );
        self.count();
        Ok(())
    }

    async fn dim_light(
        &self,
        message: Received<
            streetlight::LightsDimParameters,
            streetlight::DimLightPayload,
            streetlight::CommonHeaders,
        >,
    ) -> HandlerResult {
        println!(
            "streetlight <- {}: dim to {:?}%",
            message.address, message.payload.percentage
        );
        self.count();
        Ok(())
    }
}

#[tokio::main]
async fn main() -> Result<(), BoxError> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.as_slice() {
        [] => {
            println!("on the in-memory broker");
            let broker = MemoryBroker::new();
            run(broker.clone(), broker.clone(), broker).await
        }
        [flag, address] if flag == "--mqtt" => {
            let (host, port) = address
                .rsplit_once(':')
                .and_then(|(h, p)| Some((h, p.parse::<u16>().ok()?)))
                .ok_or("--mqtt takes host:port")?;
            println!("through the MQTT broker at {address}");
            // One connection per party, as three processes would have. MQTT 5 (the default)
            // carries the spec's headers as user properties.
            let config = || MqttConfig::new(host, port);
            let service = Mqtt::connect(config()).await?;
            let lamp = Mqtt::connect(config()).await?;
            let sensor = Mqtt::connect(config()).await?;
            run(service, lamp, sensor).await
        }
        _ => Err("usage: streetlights [--mqtt host:port]".into()),
    }
}

/// The service, a lamp and a light sensor, each on its own transport.
async fn run<T: Transport + Clone>(service: T, lamp: T, sensor: T) -> Result<(), BoxError> {
    let measurements = [("lamp-1", 40), ("lamp-2", 870), ("lamp-3", 12)];

    let controller = Controller {
        client: Client::new(service.clone()),
    };
    let done = Arc::new(Notify::new());
    let handler = Lamp {
        seen: Default::default(),
        expected: measurements.len(),
        done: done.clone(),
    };
    let stop = Arc::new(Notify::new());
    let connections = [service.clone(), lamp.clone(), sensor.clone()];

    // Subscribe both sides before anything is published, then serve them in the background.
    let service_subscriptions = service::Subscriptions::new(&Client::new(service)).await?;
    let lamp_subscriptions = streetlight::Subscriptions::new(&Client::new(lamp)).await?;
    let service_task = {
        let stop = stop.clone();
        tokio::spawn(async move {
            service_subscriptions
                .serve(&controller, stop.notified())
                .await
        })
    };
    let lamp_task = {
        let stop = stop.clone();
        tokio::spawn(async move { lamp_subscriptions.serve(&handler, stop.notified()).await })
    };

    let sensor = Client::new(sensor);
    for (id, lumens) in measurements {
        use streetlight::Publisher;
        let parameters = streetlight::LightingMeasuredParameters {
            streetlight_id: id.to_owned(),
        };
        let reading = streetlight::LightMeasuredPayload {
            lumens: Some(lumens),
            sent_at: Some(
                "2026-11-24T18:00:00Z"
                    .parse()
                    .expect("an RFC 3339 date-time"),
            ),
        };
        println!(
            "streetlight -> {}: {} lumens",
            parameters.address()?,
            lumens
        );
        let headers = streetlight::CommonHeaders {
            my_app_header: None,
        };
        sensor
            .receive_light_measurement(&parameters, &headers, &reading)
            .await?;
    }

    tokio::time::timeout(Duration::from_secs(10), done.notified())
        .await
        .map_err(|_| "the streetlights did not get every command within 10 s")?;
    stop.notify_waiters();
    // Each `serve` returns `Ok` when it stopped because it was asked to.
    service_task.await??;
    lamp_task.await??;
    // Each connection ends cleanly before the process does (over MQTT the broker has read the
    // DISCONNECT, so no last will goes out).
    for connection in &connections {
        connection.close().await?;
    }
    println!(
        "done: {} measurements, {} commands",
        measurements.len(),
        measurements.len()
    );
    Ok(())
}
