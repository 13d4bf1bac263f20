//! The conformance suite through Mosquitto (MQTT 5), which `scripts/test.sh` starts; its address
//! comes from `ASYNCAPI_TEST_MQTT` (`host:port`).

mod conformance;

use asyncapi_runtime::mqtt::{Mqtt, MqttConfig};
use asyncapi_tests::proxy::Proxy;

struct Mosquitto;

fn broker() -> (String, u16) {
    asyncapi_tests::broker_host_port("ASYNCAPI_TEST_MQTT")
}

impl conformance::Harness for Mosquitto {
    type Transport = Mqtt;
    const NAME: &'static str = "mqtt";

    async fn connect(&self) -> Mqtt {
        let (host, port) = broker();
        Mqtt::connect(MqttConfig::new(host, port))
            .await
            .expect("connect to Mosquitto")
    }

    async fn connect_through_proxy(&self) -> Option<(Mqtt, Proxy)> {
        let (host, port) = broker();
        let proxy = Proxy::start("127.0.0.1:0", &format!("{host}:{port}")).await;
        let (proxy_host, proxy_port) = proxy.address().rsplit_once(':').unwrap();
        let config = MqttConfig::new(proxy_host, proxy_port.parse().unwrap());
        let mqtt = Mqtt::connect(config)
            .await
            .expect("connect through the proxy");
        Some((mqtt, proxy))
    }
}

conformance_suite!(Mosquitto);
