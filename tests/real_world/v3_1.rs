//! Kind 8: an AsyncAPI 3.1.0 document (server `x-` extensions, a ROS 2 binding, a 3.1
//! `schemaFormat` id) generates and runs like a 3.0 one.

use asyncapi_runtime::Client;
use asyncapi_runtime::memory::MemoryBroker;
use asyncapi_tests::within;
use futures::StreamExt;

mod app {
    asyncapi_runtime::asyncapi!("specs/real-world/v3-1.yaml");
}

mod mirror {
    asyncapi_runtime::asyncapi!("specs/real-world/v3-1.yaml", role = "mirror");
}

#[tokio::test]
async fn a_3_1_document_round_trips() {
    use app::Publisher as _;
    use mirror::Subscriber as _;
    let broker = MemoryBroker::new();
    let arm = Client::new(broker.clone());
    let monitor = Client::new(broker);
    let mut states = monitor.subscribe_publish_joint_state().await.unwrap();
    arm.publish_joint_state(
        &app::JointStatesParameters {
            arm_id: "sn-1".to_owned(),
        },
        &app::JointStatePayload {
            joint: "elbow".to_owned(),
            angle: -12.5,
        },
    )
    .await
    .unwrap();
    let state = within("the joint state", states.next())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(state.parameters.arm_id, "sn-1");
    assert_eq!(
        (state.payload.joint.as_str(), state.payload.angle),
        ("elbow", -12.5)
    );
    assert_eq!(app::servers::ROBOTS.protocol, "mqtt");
    assert_eq!(app::servers::ALL.len(), 2);
}
