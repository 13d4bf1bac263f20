use asyncapi_runtime::memory::MemoryBroker;
use asyncapi_runtime::{Client, Received, BoxError};
use asyncapi_tests::within;
use futures::StreamExt;

macro_rules! sides {
    ($app:ident, $mirror:ident, $path:literal $(, $key:ident = $value:literal)*) => {
        mod $app {
            asyncapi_runtime::asyncapi!($path $(, $key = $value)*);
        }
        mod $mirror {
            asyncapi_runtime::asyncapi!($path, role = "mirror" $(, $key = $value)*);
        }
    };
}

sides!(headers_v3, headers_v3_mirror, "../../shared/corpus/public/asyncapi__spec@v3.0.0/application-headers-asyncapi.yml");
sides!(adeo, adeo_mirror, "../../shared/corpus/public/asyncapi__spec@v3.0.0/adeo-kafka-request-reply-asyncapi.yml", url_vendor = "../../shared/corpus/public/url-vendor");

#[tokio::test]
async fn probe_headers() {
    use headers_v3::Subscriber as _;
    use headers_v3_mirror::Publisher as _;
    let broker = MemoryBroker::new();
    let app = Client::new(broker.clone());
    let lamp = Client::new(broker);
    let mut stream = app.subscribe_receive_light_measurement().await.unwrap();
    let h = headers_v3_mirror::LightMeasuredHeaders {
        mqmd: Some(headers_v3_mirror::LightMeasuredHeadersMqmd { correl_id: Some("abcdefghijklmnopqrstuvwx".into()) }),
        application_instance_id: Some("inst-1".into()),
    };
    let p = headers_v3_mirror::LightingMeasuredParameters { streetlight_id: "l1".into() };
    let m = headers_v3_mirror::LightMeasuredPayload { lumens: Some(3), sent_at: None };
    lamp.receive_light_measurement(&p, &h, &m).await.unwrap();
    let r = within("m", stream.next()).await.unwrap();
    println!("{r:?}");
    lamp.receive_light_measurement(&p, &h, &m).correlation_id("abcdefghijklmnopqrstuvwx").await.unwrap();
    let r = within("m", stream.next()).await.unwrap();
    println!("{r:?}");
}

struct Costing;
impl adeo::Handler for Costing {
    async fn request_costing(&self, m: Received<adeo::CostingRequestParameters, adeo::CostingRequestPayload, adeo::CostingRequestV1Headers>) -> Result<adeo::CostingResponsePayload, BoxError> {
        println!("responder got {:?} corr {:?}", m.headers, m.correlation_id);
        Ok(adeo::CostingResponsePayload { costing_result: None, costing_errors: None })
    }
}

#[tokio::test]
async fn probe_adeo() {
    use adeo_mirror::Publisher as _;
    let broker = MemoryBroker::new();
    let app = Client::new(broker.clone());
    let subs = adeo::Subscriptions::new(&app).await.unwrap();
    tokio::spawn(async move { subs.serve(&Costing, std::future::pending()).await });
    let client = Client::new(broker);
    let headers = adeo_mirror::CostingRequestV1Headers {
        request_id: "1fa6ef40-8f47-40a8-8cf6-f8607d0066ef".parse().unwrap(),
        reply_topic: "adeo-dev-case-study-COSTING-RESPONSE-V1".into(),
        requester_id: "svc-ecollect-app".into(),
        requester_code: "1".into(),
    };
    let p = adeo_mirror::CostingRequestParameters { env: adeo_mirror::CostingRequestEnv::Dev, version: "V1".into() };
    let payload = adeo_mirror::CostingRequestPayload {
        product_id: "p".into(), short_product_description: None, supplier_code: "s".into(), supplier_price: 1.0,
        unit: adeo_mirror::UnitItem { length: 1.0, width: 1.0, height: 1.0, weight_gross: 1.0, weight_net: 1.0 },
        bus_inputs: vec![],
    };
    let r = client.request_costing(&p, &headers, &payload).timeout(std::time::Duration::from_millis(500)).await;
    println!("{r:?}");
}
