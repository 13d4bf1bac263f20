//! Kind 3: 3.0 address placeholders with no `parameters` field are string parameters.

use asyncapi_runtime::Client;
use asyncapi_runtime::memory::MemoryBroker;
use asyncapi_tests::within;
use futures::StreamExt;

mod app {
    asyncapi_runtime::asyncapi!("specs/real-world/placeholders.yaml");
}

mod mirror {
    asyncapi_runtime::asyncapi!("specs/real-world/placeholders.yaml", role = "mirror");
}

#[tokio::test]
async fn undeclared_placeholders_are_string_parameters_both_ways() {
    use app::{Publisher as _, Subscriber as _};
    use mirror::{Publisher as _, Subscriber as _};
    let broker = MemoryBroker::new();
    let service = Client::new(broker.clone());
    let device = Client::new(broker);

    // Device → service: two placeholders, in address order, typed as strings.
    let mut telemetry = service.subscribe_receive_telemetry().await.unwrap();
    let at = mirror::TelemetryParameters {
        fleet_id: "north".to_owned(),
        device_id: "d-7".to_owned(),
    };
    assert_eq!(at.address().unwrap(), "fleets/north/devices/d-7/telemetry");
    device
        .receive_telemetry(&at, &mirror::ReadingPayload { temperature: 21.5 })
        .await
        .unwrap();
    let reading = within("the reading", telemetry.next())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(reading.parameters.fleet_id, "north");
    assert_eq!(reading.parameters.device_id, "d-7");
    assert_eq!(reading.payload.temperature, 21.5);

    // Service → device.
    let mut commands = device.subscribe_send_command().await.unwrap();
    let target = app::CommandsParameters {
        device_id: "d-7".to_owned(),
    };
    service
        .send_command(
            &target,
            &app::CommandPayload {
                action: app::CommandPayloadAction::Reboot,
            },
        )
        .await
        .unwrap();
    let command = within("the command", commands.next())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(command.address, "devices/d-7/commands");
    assert_eq!(command.parameters.device_id, "d-7");
    assert_eq!(command.payload.action, mirror::CommandPayloadAction::Reboot);

    // The values are still checked before they enter an address.
    let injected = app::CommandsParameters {
        device_id: "d-7/#".to_owned(),
    };
    assert!(injected.address().is_err());
}
