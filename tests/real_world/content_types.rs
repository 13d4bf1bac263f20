//! Kind 7: payloads that are not JSON. `text/plain` (here the document's default) and
//! `application/text` are plain text, `application/octet-stream` and a `format: binary` payload
//! are raw bytes; each goes on the wire exactly as given, with its content type.

use asyncapi_runtime::memory::MemoryBroker;
use asyncapi_runtime::{Bytes, Client, Subscription, Transport};
use asyncapi_tests::within;
use futures::StreamExt;

use crate::next_raw;

mod app {
    asyncapi_runtime::asyncapi!("specs/real-world/content-types.yaml");
}

mod mirror {
    asyncapi_runtime::asyncapi!("specs/real-world/content-types.yaml", role = "mirror");
}

fn device(id: &str) -> String {
    id.to_owned()
}

#[tokio::test]
async fn text_payloads_are_the_text_itself() {
    use app::Subscriber as _;
    use mirror::Publisher as _;
    let broker = MemoryBroker::new();
    let service = Client::new(broker.clone());
    let device_side = Client::new(broker.clone());
    let mut wire = broker
        .subscribe(Subscription::new("devices/{id}/console"))
        .await
        .unwrap();
    let mut console = service.subscribe_receive_console().await.unwrap();
    let mut battery = service.subscribe_receive_battery().await.unwrap();

    let at = mirror::ConsoleLinesParameters {
        device_id: device("d1"),
    };
    // The payload type is `String`: the schema's `type: string` with a text content type.
    let line: String = "boot ok {not json}".to_owned();
    device_side.receive_console(&at, &line).await.unwrap();
    let raw = next_raw(&mut wire).await;
    assert_eq!(&raw.payload[..], b"boot ok {not json}");
    assert_eq!(raw.content_type.as_deref(), Some("text/plain"));
    let received = within("the line", console.next()).await.unwrap().unwrap();
    assert_eq!(received.payload, "boot ok {not json}");

    // `application/text` with `type: integer`: the number as text, typed on both sides.
    let level: i64 = 87;
    device_side
        .receive_battery(
            &mirror::BatteryLevelParameters {
                device_id: device("d1"),
            },
            &level,
        )
        .await
        .unwrap();
    let received = within("the level", battery.next()).await.unwrap().unwrap();
    assert_eq!(received.payload, 87);
    assert_eq!(&received.raw[..], b"87");

    // Text that is not a number is an error item naming the operation; the stream goes on.
    broker
        .deliver("devices/d1/battery", Bytes::from_static(b"full"))
        .await;
    broker
        .deliver("devices/d1/battery", Bytes::from_static(b"12"))
        .await;
    let error = within("the error item", battery.next())
        .await
        .unwrap()
        .unwrap_err();
    assert!(error.to_string().contains("receiveBattery"), "{error}");
    let next = within("the next level", battery.next())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(next.payload, 12);
}

#[tokio::test]
async fn binary_payloads_are_the_bytes_untouched() {
    use app::Publisher as _;
    use mirror::{Publisher as _, Subscriber as _};
    let broker = MemoryBroker::new();
    let service = Client::new(broker.clone());
    let device_side = Client::new(broker.clone());
    let mut firmware = device_side.subscribe_send_firmware().await.unwrap();
    let mut wire = broker
        .subscribe(Subscription::new("devices/{id}/firmware"))
        .await
        .unwrap();

    let image = Bytes::from_static(b"\x7fELF\x00\xff\xfe binary");
    service
        .send_firmware(
            &app::FirmwareParameters {
                device_id: device("d2"),
            },
            &image,
        )
        .await
        .unwrap();
    let raw = next_raw(&mut wire).await;
    assert_eq!(raw.payload, image);
    assert_eq!(
        raw.content_type.as_deref(),
        Some("application/octet-stream")
    );
    let received = within("the image", firmware.next()).await.unwrap().unwrap();
    assert_eq!(received.payload, image);

    // `format: binary` under a JSON content type: bytes too, sent with the spec's content type.
    let mut snapshots = broker
        .subscribe(Subscription::new("devices/{id}/snapshot"))
        .await
        .unwrap();
    let jpeg = Bytes::from_static(b"\xff\xd8\xff\xe0 jpeg");
    device_side
        .receive_snapshot(
            &mirror::SnapshotsParameters {
                device_id: device("d2"),
            },
            &jpeg,
        )
        .await
        .unwrap();
    let raw = next_raw(&mut snapshots).await;
    assert_eq!(raw.payload, jpeg);
    assert_eq!(raw.content_type.as_deref(), Some("application/json"));
}

#[tokio::test]
async fn json_next_to_them_stays_json() {
    use app::Subscriber as _;
    use mirror::Publisher as _;
    let broker = MemoryBroker::new();
    let service = Client::new(broker.clone());
    let device_side = Client::new(broker);
    let mut status = service.subscribe_receive_status().await.unwrap();
    device_side
        .receive_status(
            &mirror::StatusParameters {
                device_id: device("d3"),
            },
            &mirror::StatusPayload { online: true },
        )
        .await
        .unwrap();
    let received = within("the status", status.next()).await.unwrap().unwrap();
    assert!(received.payload.online);
    assert_eq!(&received.raw[..], br#"{"online":true}"#);
}
