//! The official AsyncAPI examples (2.6.0 and 3.0.0) that use MQTT or Kafka, through the macro: each
//! generated application talks to its generated mirror over the in-memory broker, in every
//! direction the document has, and the test checks the typed values that arrive: payloads,
//! parameters parsed from the address, headers, Kafka keys and correlation ids. Streetlights over
//! MQTT is `tests/streetlights.rs`.

use std::fmt::Display;
use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

use asyncapi_runtime::memory::MemoryBroker;
use asyncapi_runtime::serve::Reply;
use asyncapi_runtime::{Client, Error, HandlerResult, Received};
use asyncapi_tests::within;
use futures::{Stream, StreamExt};
use tokio::sync::{mpsc, oneshot};

/// Generates a document's application as `$app` and its other side as `$mirror`.
macro_rules! sides {
    ($app:ident, $mirror:ident, $path:literal $(, $option:ident = $value:literal)*) => {
        mod $app {
            asyncapi_runtime::asyncapi!($path $(, $option = $value)*);
        }
        mod $mirror {
            asyncapi_runtime::asyncapi!($path, role = "mirror" $(, $option = $value)*);
        }
    };
}

sides!(
    kafka_v3,
    kafka_v3_mirror,
    "../../shared/corpus/public/asyncapi__spec@v3.0.0/streetlights-kafka-asyncapi.yml"
);
sides!(
    kafka_v2,
    kafka_v2_mirror,
    "../../shared/corpus/public/asyncapi__spec@v2.6.0/streetlights-kafka.yml"
);
sides!(
    security_v3,
    security_v3_mirror,
    "../../shared/corpus/public/asyncapi__spec@v3.0.0/streetlights-operation-security-asyncapi.yml"
);
sides!(
    security_v2,
    security_v2_mirror,
    "../../shared/corpus/public/asyncapi__spec@v2.6.0/streetlights-operation-security.yml"
);
sides!(
    headers_v3,
    headers_v3_mirror,
    "../../shared/corpus/public/asyncapi__spec@v3.0.0/application-headers-asyncapi.yml"
);
sides!(
    headers_v2,
    headers_v2_mirror,
    "../../shared/corpus/public/asyncapi__spec@v2.6.0/application-headers.yml"
);
sides!(
    correlation_v3,
    correlation_v3_mirror,
    "../../shared/corpus/public/asyncapi__spec@v3.0.0/correlation-id-asyncapi.yml"
);
sides!(
    correlation_v2,
    correlation_v2_mirror,
    "../../shared/corpus/public/asyncapi__spec@v2.6.0/correlation-id.yml"
);
sides!(
    simple_v3,
    simple_v3_mirror,
    "../../shared/corpus/public/asyncapi__spec@v3.0.0/simple-asyncapi.yml"
);
sides!(
    simple_v2,
    simple_v2_mirror,
    "../../shared/corpus/public/asyncapi__spec@v2.6.0/simple.yml"
);
sides!(
    backend_v3,
    backend_v3_mirror,
    "../../shared/corpus/public/asyncapi__spec@v3.0.0/social-media/backend/asyncapi.yaml"
);
sides!(
    comments_v3,
    comments_v3_mirror,
    "../../shared/corpus/public/asyncapi__spec@v3.0.0/social-media/comments-service/asyncapi.yaml"
);
sides!(
    notifications_v3,
    notifications_v3_mirror,
    "../../shared/corpus/public/asyncapi__spec@v3.0.0/social-media/notification-service/asyncapi.yaml"
);
sides!(
    public_api_v3,
    public_api_v3_mirror,
    "../../shared/corpus/public/asyncapi__spec@v3.0.0/social-media/public-api/asyncapi.yaml"
);
sides!(
    backend_v2,
    backend_v2_mirror,
    "../../shared/corpus/public/asyncapi__spec@v2.6.0/social-media/backend/asyncapi.yaml"
);
sides!(
    comments_v2,
    comments_v2_mirror,
    "../../shared/corpus/public/asyncapi__spec@v2.6.0/social-media/comments-service/asyncapi.yaml"
);
sides!(
    notifications_v2,
    notifications_v2_mirror,
    "../../shared/corpus/public/asyncapi__spec@v2.6.0/social-media/notification-service/asyncapi.yaml"
);
sides!(
    public_api_v2,
    public_api_v2_mirror,
    "../../shared/corpus/public/asyncapi__spec@v2.6.0/social-media/public-api/asyncapi.yaml"
);
sides!(
    adeo,
    adeo_mirror,
    "../../shared/corpus/public/asyncapi__spec@v3.0.0/adeo-kafka-request-reply-asyncapi.yml",
    url_vendor = "../../shared/corpus/public/url-vendor"
);

// ---------------------------------------------------------------------------------------------
// Helpers

/// Two clients of one in-memory broker: the application's and its mirror's.
fn clients() -> (Client<MemoryBroker>, Client<MemoryBroker>) {
    let broker = MemoryBroker::new();
    (Client::new(broker.clone()), Client::new(broker))
}

/// The next item of a typed stream, which must be a message.
async fn next<T, E: Display>(
    what: &str,
    stream: &mut (impl Stream<Item = Result<T, E>> + Unpin),
) -> T {
    match within(what, stream.next()).await {
        Some(Ok(message)) => message,
        Some(Err(error)) => panic!("expected {what}, got the error item {error}"),
        None => panic!("expected {what}, but the stream ended"),
    }
}

/// What a handler hands the test: every message it gets.
type Inbox<T> = mpsc::UnboundedSender<T>;

/// The next message a handler handed over.
async fn received<T>(what: &str, inbox: &mut mpsc::UnboundedReceiver<T>) -> T {
    within(what, inbox.recv())
        .await
        .unwrap_or_else(|| panic!("the handler is gone before {what}"))
}

/// The future that tells `serve` to stop.
type Shutdown = Pin<Box<dyn Future<Output = ()> + Send>>;

/// A `serve` running in the background.
struct Serving {
    stop: oneshot::Sender<()>,
    task: tokio::task::JoinHandle<Result<(), asyncapi_runtime::serve::ServeError>>,
}

impl Serving {
    /// Runs `serve` (given the shutdown signal) on its own task.
    fn spawn<F>(serve: impl FnOnce(Shutdown) -> F) -> Self
    where
        F: Future<Output = Result<(), asyncapi_runtime::serve::ServeError>> + Send + 'static,
    {
        let (stop, stopped) = oneshot::channel::<()>();
        let task = tokio::spawn(serve(Box::pin(async {
            let _ = stopped.await;
        })));
        Serving { stop, task }
    }

    /// Signals shutdown; `serve` must return, and say it was asked to.
    async fn stop(self) {
        self.stop.send(()).unwrap();
        within("serve to stop", self.task)
            .await
            .unwrap()
            .expect("serve stops because it was asked to");
    }
}

/// A `date-time` as the streetlights messages carry it in `sentAt`.
const SENT_AT: &str = "2026-11-24T12:00:00Z";

// ---------------------------------------------------------------------------------------------
// Streetlights over Kafka, plain and with operation security, 3.0.0 and 2.6.0: one shape, with the
// channel parameter types named after the channel (3.0) or the operation (2.6).

macro_rules! streetlights_kafka {
    (
        $test:ident: $app:ident, $mirror:ident,
        measured = $Measured:ident, on = $On:ident, off = $Off:ident, dim = $Dim:ident
    ) => {
        mod $test {
            use super::*;
            use super::{$app as app, $mirror as lamp};

            #[tokio::test]
            async fn a_measurement_reaches_the_service_with_its_header() {
                use app::Subscriber as _;
                use lamp::Publisher as _;
                let (service, light) = clients();
                let mut measurements = service.subscribe_receive_light_measurement().await.unwrap();
                light
                    .receive_light_measurement(
                        &lamp::$Measured {
                            streetlight_id: "lamp-7".into(),
                        },
                        &lamp::CommonHeaders {
                            my_app_header: Some(42),
                        },
                        &lamp::LightMeasuredPayload {
                            lumens: Some(310),
                            sent_at: Some(SENT_AT.parse().unwrap()),
                        },
                    )
                    .await
                    .unwrap();

                let m = next("the measurement", &mut measurements).await;
                // A Kafka topic: the parameter sits between dots.
                assert_eq!(
                    m.address,
                    "smartylighting.streetlights.1.0.event.lamp-7.lighting.measured"
                );
                assert_eq!(
                    m.parameters,
                    app::$Measured {
                        streetlight_id: "lamp-7".into()
                    }
                );
                assert_eq!(
                    m.payload,
                    app::LightMeasuredPayload {
                        lumens: Some(310),
                        sent_at: Some(SENT_AT.parse().unwrap()),
                    }
                );
                assert_eq!(m.headers.my_app_header, Some(42));
            }

            #[derive(Debug)]
            enum Command {
                On(Received<lamp::$On, lamp::TurnOnOffPayload, lamp::CommonHeaders>),
                Off(Received<lamp::$Off, lamp::TurnOnOffPayload, lamp::CommonHeaders>),
                Dim(Received<lamp::$Dim, lamp::DimLightPayload, lamp::CommonHeaders>),
            }

            struct Lamp(Inbox<Command>);

            impl lamp::Handler for Lamp {
                async fn turn_on(
                    &self,
                    m: Received<lamp::$On, lamp::TurnOnOffPayload, lamp::CommonHeaders>,
                ) -> HandlerResult {
                    Ok(self.0.send(Command::On(m))?)
                }
                async fn turn_off(
                    &self,
                    m: Received<lamp::$Off, lamp::TurnOnOffPayload, lamp::CommonHeaders>,
                ) -> HandlerResult {
                    Ok(self.0.send(Command::Off(m))?)
                }
                async fn dim_light(
                    &self,
                    m: Received<lamp::$Dim, lamp::DimLightPayload, lamp::CommonHeaders>,
                ) -> HandlerResult {
                    Ok(self.0.send(Command::Dim(m))?)
                }
            }

            #[tokio::test]
            async fn commands_reach_the_lamp_through_serve() {
                use app::Publisher as _;
                let (service, light) = clients();
                let (tx, mut inbox) = mpsc::unbounded_channel();
                let subscriptions = lamp::Subscriptions::new(&light).await.unwrap();
                let serving =
                    Serving::spawn(
                        |stop| async move { subscriptions.serve(&Lamp(tx), stop).await },
                    );
                let header = |value| app::CommonHeaders {
                    my_app_header: value,
                };

                let on = app::TurnOnOffPayload {
                    command: Some(app::TurnOnOffPayloadCommand::On),
                    sent_at: Some(SENT_AT.parse().unwrap()),
                };
                service
                    .turn_on(
                        &app::$On {
                            streetlight_id: "a".into(),
                        },
                        &header(None),
                        &on,
                    )
                    .await
                    .unwrap();
                let Command::On(m) = received("turn on", &mut inbox).await else {
                    panic!("expected turn on")
                };
                assert_eq!(
                    m.address,
                    "smartylighting.streetlights.1.0.action.a.turn.on"
                );
                assert_eq!(m.parameters.streetlight_id, "a");
                assert_eq!(m.payload.command, Some(lamp::TurnOnOffPayloadCommand::On));
                assert_eq!(m.payload.sent_at, Some(SENT_AT.parse().unwrap()));
                assert_eq!(m.headers.my_app_header, None);

                let off = app::TurnOnOffPayload {
                    command: Some(app::TurnOnOffPayloadCommand::Off),
                    sent_at: None,
                };
                service
                    .turn_off(
                        &app::$Off {
                            streetlight_id: "b".into(),
                        },
                        &header(Some(3)),
                        &off,
                    )
                    .await
                    .unwrap();
                let Command::Off(m) = received("turn off", &mut inbox).await else {
                    panic!("expected turn off")
                };
                assert_eq!(m.parameters.streetlight_id, "b");
                assert_eq!(m.payload.command, Some(lamp::TurnOnOffPayloadCommand::Off));
                assert_eq!(m.headers.my_app_header, Some(3));

                let dim = app::DimLightPayload {
                    percentage: Some(25),
                    sent_at: None,
                };
                service
                    .dim_light(
                        &app::$Dim {
                            streetlight_id: "c".into(),
                        },
                        &header(Some(7)),
                        &dim,
                    )
                    .await
                    .unwrap();
                let Command::Dim(m) = received("dim", &mut inbox).await else {
                    panic!("expected dim")
                };
                assert_eq!(m.parameters.streetlight_id, "c");
                assert_eq!(m.payload.percentage, Some(25));
                assert_eq!(m.headers.my_app_header, Some(7));
                serving.stop().await;
            }
        }
    };
}

streetlights_kafka!(
    streetlights_kafka_v3: kafka_v3, kafka_v3_mirror,
    measured = LightingMeasuredParameters, on = LightTurnOnParameters,
    off = LightTurnOffParameters, dim = LightsDimParameters
);
streetlights_kafka!(
    streetlights_kafka_v2: kafka_v2, kafka_v2_mirror,
    measured = ReceiveLightMeasurementParameters, on = TurnOnParameters,
    off = TurnOffParameters, dim = DimLightParameters
);
streetlights_kafka!(
    streetlights_operation_security_v3: security_v3, security_v3_mirror,
    measured = LightingMeasuredParameters, on = LightTurnOnParameters,
    off = LightTurnOffParameters, dim = LightsDimParameters
);
streetlights_kafka!(
    streetlights_operation_security_v2: security_v2, security_v2_mirror,
    measured = ReceiveLightMeasurementParameters, on = TurnOnParameters,
    off = TurnOffParameters, dim = DimLightParameters
);

#[test]
fn streetlights_kafka_servers_name_their_security() {
    let names = |servers: &[asyncapi_runtime::Server]| -> Vec<(&str, &str, Vec<&str>)> {
        servers
            .iter()
            .map(|s| {
                (
                    s.name,
                    s.protocol,
                    s.security.iter().map(|s| s.kind).collect(),
                )
            })
            .collect()
    };
    let kafka = [
        ("scram-connections", "kafka-secure", vec!["scramSha256"]),
        ("mtls-connections", "kafka-secure", vec!["X509"]),
    ];
    assert_eq!(names(kafka_v3::servers::ALL), kafka);
    assert_eq!(names(kafka_v2::servers::ALL), kafka);
    let secured = [
        ("test", "kafka-secure", vec!["scramSha256"]),
        ("test_oauth", "kafka-secure", vec!["oauth2"]),
    ];
    assert_eq!(names(security_v3::servers::ALL), secured);
    assert_eq!(names(security_v2_mirror::servers::ALL), secured);
    assert_eq!(
        security_v3::servers::TEST_OAUTH.url,
        "test.mykafkacluster.org:8093"
    );
}

// ---------------------------------------------------------------------------------------------
// Application headers: a light's measurement with an object header (`MQMD`) and a string header.

#[tokio::test]
async fn application_headers_v3_arrive_typed() {
    use headers_v3::Subscriber as _;
    use headers_v3_mirror::Publisher as _;
    let (service, light) = clients();
    let mut measurements = service.subscribe_receive_light_measurement().await.unwrap();
    let headers = headers_v3_mirror::LightMeasuredHeaders {
        mqmd: Some(headers_v3_mirror::LightMeasuredHeadersMqmd {
            correl_id: Some("0123456789abcdef01234567".into()),
        }),
        application_instance_id: Some("instance-9".into()),
    };
    light
        .receive_light_measurement(
            &headers_v3_mirror::LightingMeasuredParameters {
                streetlight_id: "l1".into(),
            },
            &headers,
            &headers_v3_mirror::LightMeasuredPayload {
                lumens: Some(12),
                sent_at: None,
            },
        )
        .await
        .unwrap();

    let m = next("the measurement", &mut measurements).await;
    assert_eq!(m.parameters.streetlight_id, "l1");
    assert_eq!(m.payload.lumens, Some(12));
    assert_eq!(
        m.headers,
        headers_v3::LightMeasuredHeaders {
            mqmd: Some(headers_v3::LightMeasuredHeadersMqmd {
                correl_id: Some("0123456789abcdef01234567".into()),
            }),
            application_instance_id: Some("instance-9".into()),
        }
    );
    assert_eq!(
        m.raw_headers.get("applicationInstanceId"),
        Some("instance-9")
    );
    // `correlationId.location` is `$message.header#/MQMD/CorrelId`: inside the `MQMD` header.
    assert_eq!(
        m.correlation_id.as_deref(),
        Some("0123456789abcdef01234567")
    );
}

#[tokio::test]
async fn application_headers_v2_reach_the_handler() {
    struct Service(
        Inbox<
            Received<
                headers_v2::ReceiveLightMeasurementParameters,
                headers_v2::LightMeasuredPayload,
                headers_v2::LightMeasuredHeaders,
            >,
        >,
    );
    impl headers_v2::Handler for Service {
        async fn receive_light_measurement(
            &self,
            m: Received<
                headers_v2::ReceiveLightMeasurementParameters,
                headers_v2::LightMeasuredPayload,
                headers_v2::LightMeasuredHeaders,
            >,
        ) -> HandlerResult {
            Ok(self.0.send(m)?)
        }
    }
    use headers_v2_mirror::Publisher as _;
    let (service, light) = clients();
    let (tx, mut inbox) = mpsc::unbounded_channel();
    let subscriptions = headers_v2::Subscriptions::new(&service).await.unwrap();
    let serving =
        Serving::spawn(|stop| async move { subscriptions.serve(&Service(tx), stop).await });
    light
        .receive_light_measurement(
            &headers_v2_mirror::ReceiveLightMeasurementParameters {
                streetlight_id: "l2".into(),
            },
            &headers_v2_mirror::LightMeasuredHeaders {
                mqmd: None,
                application_instance_id: Some("instance-2".into()),
            },
            &headers_v2_mirror::LightMeasuredPayload {
                lumens: Some(0),
                sent_at: Some(SENT_AT.parse().unwrap()),
            },
        )
        .await
        .unwrap();

    let m = received("the measurement", &mut inbox).await;
    assert_eq!(m.parameters.streetlight_id, "l2");
    assert_eq!(m.payload.sent_at, Some(SENT_AT.parse().unwrap()));
    assert_eq!(
        m.headers.application_instance_id.as_deref(),
        Some("instance-2")
    );
    assert_eq!(m.headers.mqmd, None);
    serving.stop().await;
}

// ---------------------------------------------------------------------------------------------
// Correlation ids: the measurement's in a header, the dim command's in the payload (`sentAt`).

#[tokio::test]
async fn correlation_id_v3_in_a_header_and_in_the_payload() {
    let (service, light) = clients();
    {
        use correlation_v3::Subscriber as _;
        use correlation_v3_mirror::Publisher as _;
        let mut measurements = service.subscribe_receive_light_measurement().await.unwrap();
        light
            .receive_light_measurement(
                &correlation_v3_mirror::LightingMeasuredParameters {
                    streetlight_id: "l3".into(),
                },
                &correlation_v3_mirror::LightMeasuredPayload {
                    lumens: Some(5),
                    sent_at: None,
                },
            )
            .correlation_id("measure-1")
            .await
            .unwrap();
        let m = next("the measurement", &mut measurements).await;
        assert_eq!(m.parameters.streetlight_id, "l3");
        assert_eq!(m.payload.lumens, Some(5));
        assert_eq!(m.correlation_id.as_deref(), Some("measure-1"));
    }
    {
        use correlation_v3::Publisher as _;
        use correlation_v3_mirror::Subscriber as _;
        let mut commands = light.subscribe_dim_light().await.unwrap();
        service
            .dim_light(
                &correlation_v3::LightsDimParameters {
                    streetlight_id: "l3".into(),
                },
                &correlation_v3::DimLightPayload {
                    percentage: Some(60),
                    sent_at: Some(SENT_AT.parse().unwrap()),
                },
            )
            .await
            .unwrap();
        let m = next("the dim command", &mut commands).await;
        assert_eq!(m.parameters.streetlight_id, "l3");
        assert_eq!(m.payload.percentage, Some(60));
        // Nobody set an id: it is read from where the message's `correlationId` points.
        assert_eq!(m.correlation_id.as_deref(), Some(SENT_AT));
    }
}

#[tokio::test]
async fn correlation_id_v2_reaches_the_handlers() {
    /// Each handler hands over the streetlight and the correlation id it got.
    type Seen = (String, Option<String>);
    struct Service(Inbox<Seen>);
    impl correlation_v2::Handler for Service {
        async fn receive_light_measurement(
            &self,
            m: Received<
                correlation_v2::ReceiveLightMeasurementParameters,
                correlation_v2::LightMeasuredPayload,
            >,
        ) -> HandlerResult {
            Ok(self
                .0
                .send((m.parameters.streetlight_id, m.correlation_id))?)
        }
    }
    struct Lamp(Inbox<Seen>);
    impl correlation_v2_mirror::Handler for Lamp {
        async fn dim_light(
            &self,
            m: Received<
                correlation_v2_mirror::DimLightParameters,
                correlation_v2_mirror::DimLightPayload,
            >,
        ) -> HandlerResult {
            Ok(self
                .0
                .send((m.parameters.streetlight_id, m.correlation_id))?)
        }
    }
    use correlation_v2::Publisher as _;
    use correlation_v2_mirror::Publisher as _;
    let (service, light) = clients();
    let (at_service, mut service_saw) = mpsc::unbounded_channel();
    let (at_lamp, mut lamp_saw) = mpsc::unbounded_channel();
    let service_side = correlation_v2::Subscriptions::new(&service).await.unwrap();
    let lamp_side = correlation_v2_mirror::Subscriptions::new(&light)
        .await
        .unwrap();
    let serving_service =
        Serving::spawn(|stop| async move { service_side.serve(&Service(at_service), stop).await });
    let serving_lamp =
        Serving::spawn(|stop| async move { lamp_side.serve(&Lamp(at_lamp), stop).await });

    light
        .receive_light_measurement(
            &correlation_v2_mirror::ReceiveLightMeasurementParameters {
                streetlight_id: "l4".into(),
            },
            &correlation_v2_mirror::LightMeasuredPayload {
                lumens: Some(1),
                sent_at: None,
            },
        )
        .correlation_id("measure-2")
        .await
        .unwrap();
    assert_eq!(
        received("the measurement", &mut service_saw).await,
        ("l4".to_owned(), Some("measure-2".to_owned()))
    );

    service
        .dim_light(
            &correlation_v2::DimLightParameters {
                streetlight_id: "l5".into(),
            },
            &correlation_v2::DimLightPayload {
                percentage: Some(10),
                sent_at: Some(SENT_AT.parse().unwrap()),
            },
        )
        .await
        .unwrap();
    assert_eq!(
        received("the dim command", &mut lamp_saw).await,
        ("l5".to_owned(), Some(SENT_AT.to_owned()))
    );
    serving_service.stop().await;
    serving_lamp.stop().await;
}

// ---------------------------------------------------------------------------------------------
// Simple: the account service announces user sign-ups.

#[tokio::test]
async fn simple_v3_user_sign_up_reaches_the_handler() {
    type SignedUp =
        Received<simple_v3_mirror::UserSignedupParameters, simple_v3_mirror::UserSignedUpPayload>;
    struct Listener(Inbox<SignedUp>);
    impl simple_v3_mirror::Handler for Listener {
        async fn send_user_signedup(&self, m: SignedUp) -> HandlerResult {
            Ok(self.0.send(m)?)
        }
    }
    use simple_v3::Publisher as _;
    let (accounts, listener) = clients();
    let (tx, mut inbox) = mpsc::unbounded_channel();
    let subscriptions = simple_v3_mirror::Subscriptions::new(&listener)
        .await
        .unwrap();
    let serving =
        Serving::spawn(|stop| async move { subscriptions.serve(&Listener(tx), stop).await });
    accounts
        .send_user_signedup(&simple_v3::UserSignedUpPayload {
            display_name: Some("Ada Lovelace".into()),
            email: Some("ada@example.com".parse().unwrap()),
        })
        .await
        .unwrap();

    let m = received("the sign-up", &mut inbox).await;
    assert_eq!(m.address, "user/signedup");
    assert_eq!(m.payload.display_name.as_deref(), Some("Ada Lovelace"));
    let email = m.payload.email.expect("an email");
    assert_eq!(email.value().domain(), "example.com");
    serving.stop().await;
}

#[tokio::test]
async fn simple_v2_user_sign_up_reaches_the_stream() {
    // The 2.6 channel has no operationId: the operation is named after its verb and address.
    use simple_v2::Publisher as _;
    use simple_v2_mirror::Subscriber as _;
    let (accounts, listener) = clients();
    let mut sign_ups = listener.subscribe_subscribe_user_signedup().await.unwrap();
    accounts
        .subscribe_user_signedup(&simple_v2::UserSignedUpPayload {
            display_name: Some("Grace Hopper".into()),
            email: Some("grace@example.org".parse().unwrap()),
        })
        .await
        .unwrap();

    let m = next("the sign-up", &mut sign_ups).await;
    assert_eq!(
        m.payload,
        simple_v2_mirror::UserSignedUpPayload {
            display_name: Some("Grace Hopper".into()),
            email: Some("grace@example.org".parse().unwrap()),
        }
    );
}

// ---------------------------------------------------------------------------------------------
// Social media: four services whose documents share messages, schemas and parameters.

#[tokio::test]
async fn social_media_v3_backend_and_its_mirror() {
    use backend_v3 as backend;
    use backend_v3_mirror as others;
    let (server, world) = clients();
    {
        use backend::Publisher as _;
        use others::Subscriber as _;
        let mut liked = world.subscribe_send_comment_liked().await.unwrap();
        let mut counts = world.subscribe_send_comment_like_update().await.unwrap();
        server
            .send_comment_liked(&backend::CommentLikedPayload {
                comment_id: Some("c1".into()),
            })
            .await
            .unwrap();
        server
            .send_comment_like_update(&backend::UpdateCommentLikesPayload {
                comment_id: Some("c1".into()),
                like_count: Some(4),
            })
            .await
            .unwrap();
        let m = next("comment liked", &mut liked).await;
        assert_eq!(m.address, "comment/liked");
        assert_eq!(m.payload.comment_id.as_deref(), Some("c1"));
        let m = next("the new count", &mut counts).await;
        assert_eq!(m.address, "update/comment/likes");
        assert_eq!(m.payload.like_count, Some(4));
    }
    {
        use backend::Subscriber as _;
        use others::Publisher as _;
        let mut likes = server.subscribe_receive_comment_like().await.unwrap();
        let mut changes = server.subscribe_receive_comment_change().await.unwrap();
        world
            .receive_comment_like(&others::LikeCommentPayload {
                comment_id: Some("c2".into()),
                liked_by: Some("u9".into()),
            })
            .await
            .unwrap();
        world
            .receive_comment_change(
                &others::CommentsCountChangeParameters {
                    comment_id: "c2".into(),
                },
                &others::CommentChangedPayload {
                    comment_id: Some("c2".into()),
                    like_count: Some(5),
                },
            )
            .await
            .unwrap();
        let m = next("a like", &mut likes).await;
        assert_eq!(m.payload.liked_by.as_deref(), Some("u9"));
        let m = next("a count change", &mut changes).await;
        assert_eq!(m.address, "comment/c2/changed");
        assert_eq!(m.parameters.comment_id, "c2");
        assert_eq!(m.payload.like_count, Some(5));
    }
}

#[tokio::test]
async fn social_media_v2_backend_and_its_mirror() {
    use backend_v2 as backend;
    use backend_v2_mirror as others;
    let (server, world) = clients();
    {
        use backend::Publisher as _;
        use others::Subscriber as _;
        let mut liked = world.subscribe_subscribe_comment_liked().await.unwrap();
        let mut counts = world
            .subscribe_subscribe_update_comment_likes()
            .await
            .unwrap();
        server
            .subscribe_comment_liked(&backend::CommentLikedPayload {
                comment_id: Some("c1".into()),
            })
            .await
            .unwrap();
        server
            .subscribe_update_comment_likes(&backend::UpdateCommentLikesPayload {
                comment_id: Some("c1".into()),
                like_count: Some(4),
            })
            .await
            .unwrap();
        let m = next("comment liked", &mut liked).await;
        assert_eq!(m.payload.comment_id.as_deref(), Some("c1"));
        let m = next("the new count", &mut counts).await;
        assert_eq!(m.payload.like_count, Some(4));
    }
    {
        use backend::Subscriber as _;
        use others::Publisher as _;
        let mut likes = server.subscribe_publish_like_comment().await.unwrap();
        let mut changes = server
            .subscribe_publish_comment_comment_id_changed()
            .await
            .unwrap();
        world
            .publish_like_comment(&others::LikeCommentPayload {
                comment_id: Some("c2".into()),
                liked_by: Some("u9".into()),
            })
            .await
            .unwrap();
        world
            .publish_comment_comment_id_changed(
                &others::CommentCommentIdChangedParameters {
                    comment_id: "c2".into(),
                },
                &others::CommentChangedPayload {
                    comment_id: Some("c2".into()),
                    like_count: Some(5),
                },
            )
            .await
            .unwrap();
        let m = next("a like", &mut likes).await;
        assert_eq!(m.payload.liked_by.as_deref(), Some("u9"));
        let m = next("a count change", &mut changes).await;
        assert_eq!(m.parameters.comment_id, "c2");
        assert_eq!(m.payload.like_count, Some(5));
    }
}

#[tokio::test]
async fn social_media_v3_comments_service_and_its_mirror() {
    struct Comments(Inbox<Option<String>>);
    impl comments_v3::Handler for Comments {
        async fn receive_comment_liked(
            &self,
            m: Received<comments_v3::CommentLikedParameters, comments_v3::CommentLikedPayload>,
        ) -> HandlerResult {
            Ok(self.0.send(m.payload.comment_id)?)
        }
    }
    use comments_v3::Publisher as _;
    use comments_v3_mirror::{Publisher as _, Subscriber as _};
    let (service, world) = clients();
    let (tx, mut liked) = mpsc::unbounded_channel();
    let subscriptions = comments_v3::Subscriptions::new(&service).await.unwrap();
    let serving =
        Serving::spawn(|stop| async move { subscriptions.serve(&Comments(tx), stop).await });
    let mut changes = world.subscribe_send_comment_change().await.unwrap();

    world
        .receive_comment_liked(&comments_v3_mirror::CommentLikedPayload {
            comment_id: Some("c7".into()),
        })
        .await
        .unwrap();
    assert_eq!(
        received("comment liked", &mut liked).await.as_deref(),
        Some("c7")
    );

    service
        .send_comment_change(
            &comments_v3::CommentCountChangeParameters {
                comment_id: "c7".into(),
            },
            &comments_v3::CommentChangedPayload {
                comment_id: Some("c7".into()),
                like_count: Some(1),
            },
        )
        .await
        .unwrap();
    let m = next("the count change", &mut changes).await;
    assert_eq!(m.parameters.comment_id, "c7");
    assert_eq!(m.payload.like_count, Some(1));
    serving.stop().await;
}

#[tokio::test]
async fn social_media_v2_comments_service_and_its_mirror() {
    struct Comments(Inbox<Option<String>>);
    impl comments_v2::Handler for Comments {
        async fn publish_comment_liked(
            &self,
            m: Received<comments_v2::CommentLikedParameters, comments_v2::CommentLikedPayload>,
        ) -> HandlerResult {
            Ok(self.0.send(m.payload.comment_id)?)
        }
    }
    use comments_v2::Publisher as _;
    use comments_v2_mirror::{Publisher as _, Subscriber as _};
    let (service, world) = clients();
    let (tx, mut liked) = mpsc::unbounded_channel();
    let subscriptions = comments_v2::Subscriptions::new(&service).await.unwrap();
    let serving =
        Serving::spawn(|stop| async move { subscriptions.serve(&Comments(tx), stop).await });
    let mut changes = world
        .subscribe_subscribe_comment_comment_id_changed()
        .await
        .unwrap();

    world
        .publish_comment_liked(&comments_v2_mirror::CommentLikedPayload {
            comment_id: Some("c8".into()),
        })
        .await
        .unwrap();
    assert_eq!(
        received("comment liked", &mut liked).await.as_deref(),
        Some("c8")
    );

    service
        .subscribe_comment_comment_id_changed(
            &comments_v2::CommentCommentIdChangedParameters {
                comment_id: "c8".into(),
            },
            &comments_v2::CommentChangedPayload {
                comment_id: Some("c8".into()),
                like_count: Some(2),
            },
        )
        .await
        .unwrap();
    let m = next("the count change", &mut changes).await;
    assert_eq!(m.address, "comment/c8/changed");
    assert_eq!(m.parameters.comment_id, "c8");
    assert_eq!(m.payload.like_count, Some(2));
    serving.stop().await;
}

#[tokio::test]
async fn social_media_notification_service_and_public_api_hear_their_mirrors() {
    let (services, world) = clients();
    {
        use notifications_v3::Subscriber as _;
        use notifications_v3_mirror::Publisher as _;
        let mut liked = services.subscribe_receive_comment_liked().await.unwrap();
        world
            .receive_comment_liked(&notifications_v3_mirror::CommentLikedPayload {
                comment_id: Some("n3".into()),
            })
            .await
            .unwrap();
        let m = next("comment liked", &mut liked).await;
        assert_eq!(m.payload.comment_id.as_deref(), Some("n3"));
    }
    {
        use public_api_v3::Subscriber as _;
        use public_api_v3_mirror::Publisher as _;
        let mut liked = services.subscribe_receive_comment_liked().await.unwrap();
        world
            .receive_comment_liked(&public_api_v3_mirror::CommentLikedPayload {
                comment_id: Some("p3".into()),
            })
            .await
            .unwrap();
        let m = next("comment liked", &mut liked).await;
        assert_eq!(m.payload.comment_id.as_deref(), Some("p3"));
    }
    {
        use notifications_v2::Subscriber as _;
        use notifications_v2_mirror::Publisher as _;
        let mut liked = services.subscribe_publish_comment_liked().await.unwrap();
        world
            .publish_comment_liked(&notifications_v2_mirror::CommentLikedPayload {
                comment_id: Some("n2".into()),
            })
            .await
            .unwrap();
        let m = next("comment liked", &mut liked).await;
        assert_eq!(m.payload.comment_id.as_deref(), Some("n2"));
    }
    {
        use public_api_v2::Subscriber as _;
        use public_api_v2_mirror::Publisher as _;
        let mut liked = services.subscribe_publish_comment_liked().await.unwrap();
        world
            .publish_comment_liked(&public_api_v2_mirror::CommentLikedPayload {
                comment_id: Some("p2".into()),
            })
            .await
            .unwrap();
        let m = next("comment liked", &mut liked).await;
        assert_eq!(m.payload.comment_id.as_deref(), Some("p2"));
    }
}

#[tokio::test]
async fn social_media_v3_services_talk_to_each_other() {
    use backend_v3::{Publisher as _, Subscriber as _};
    use comments_v3::{Publisher as _, Subscriber as _};
    let broker = MemoryBroker::new();
    let [backend, comments, notifications, public_api] =
        [(); 4].map(|()| Client::new(broker.clone()));
    let mut at_comments = comments.subscribe_receive_comment_liked().await.unwrap();
    let mut at_notifications =
        notifications_v3::Subscriber::subscribe_receive_comment_liked(&notifications)
            .await
            .unwrap();
    let mut at_public_api = public_api_v3::Subscriber::subscribe_receive_comment_liked(&public_api)
        .await
        .unwrap();
    let mut changes = backend.subscribe_receive_comment_change().await.unwrap();

    backend
        .send_comment_liked(&backend_v3::CommentLikedPayload {
            comment_id: Some("c42".into()),
        })
        .await
        .unwrap();
    let m = next("the like at the comments service", &mut at_comments).await;
    assert_eq!(m.payload.comment_id.as_deref(), Some("c42"));
    let m = next(
        "the like at the notification service",
        &mut at_notifications,
    )
    .await;
    assert_eq!(m.payload.comment_id.as_deref(), Some("c42"));
    let m = next("the like at the public API", &mut at_public_api).await;
    assert_eq!(m.payload.comment_id.as_deref(), Some("c42"));

    comments
        .send_comment_change(
            &comments_v3::CommentCountChangeParameters {
                comment_id: "c42".into(),
            },
            &comments_v3::CommentChangedPayload {
                comment_id: Some("c42".into()),
                like_count: Some(43),
            },
        )
        .await
        .unwrap();
    let m = next("the change at the backend", &mut changes).await;
    assert_eq!(m.parameters.comment_id, "c42");
    assert_eq!(m.payload.like_count, Some(43));
}

// ---------------------------------------------------------------------------------------------
// Adeo: costing requests over Kafka, replied to on the topic the request names.

const REQUEST_TOPIC: &str = "adeo-dev-case-study-COSTING-REQUEST-V1";
const REPLY_TOPIC: &str = "adeo-dev-case-study-COSTING-RESPONSE-V1";
const REQUEST_ID: &str = "1fa6ef40-8f47-40a8-8cf6-f8607d0066ef";
const CALCULATION_ID: &str = "5d1f2a9e-2b1c-4c7e-9a51-0b2b3c4d5e6f";

fn costing_request() -> (
    adeo_mirror::CostingRequestParameters,
    adeo_mirror::CostingRequestV1Headers,
    adeo_mirror::CostingRequestPayload,
) {
    use adeo_mirror as m;
    let parameters = m::CostingRequestParameters {
        env: m::CostingRequestEnv::Dev,
        version: "V1".into(),
    };
    let headers = m::CostingRequestV1Headers {
        request_id: REQUEST_ID.parse().unwrap(),
        reply_topic: REPLY_TOPIC.into(),
        requester_id: "svc-ecollect-app".into(),
        requester_code: "1".into(),
    };
    let payload = m::CostingRequestPayload {
        product_id: "12345678".into(),
        short_product_description: Some("Drill".into()),
        supplier_code: "SUP-1".into(),
        supplier_price: 12.5,
        unit: m::UnitItem {
            length: 1.0,
            width: 2.0,
            height: 3.0,
            weight_gross: 4.0,
            weight_net: 3.5,
        },
        bus_inputs: vec![m::CostingRequestBuItem {
            client_code: "1".into(),
            container_type: Some(m::ContainerTypeItems::Ft40hc),
        }],
    };
    (parameters, headers, payload)
}

/// The costing service: prices every product at its supplier price plus one, in euros.
struct Costing(
    Inbox<
        Received<
            adeo::CostingRequestParameters,
            adeo::CostingRequestPayload,
            adeo::CostingRequestV1Headers,
        >,
    >,
);

impl adeo::Handler for Costing {
    async fn request_costing(
        &self,
        m: Received<
            adeo::CostingRequestParameters,
            adeo::CostingRequestPayload,
            adeo::CostingRequestV1Headers,
        >,
    ) -> HandlerResult<
        Reply<adeo::CostingResponsePayload, adeo::CostingResponseHeaders, adeo::CostingResponseKey>,
    > {
        let price = m.payload.supplier_price + 1.0;
        let key = adeo::CostingResponseKey {
            requester_code: m.headers.requester_id.clone(),
            client_code: m.payload.bus_inputs[0].client_code.clone(),
            product_id: "12345678".into(),
        };
        let headers = adeo::CostingResponseHeaders {
            calculation_id: Some(CALCULATION_ID.parse().unwrap()),
            correlation_id: Some(REQUEST_ID.parse().unwrap()),
            request_timestamp: Some(SENT_AT.parse().unwrap()),
            calculation_timestamp: None,
        };
        self.0.send(m)?;
        Ok(Reply {
            payload: adeo::CostingResponsePayload {
                costing_result: Some(adeo::CostingResultItem {
                    calculation_price: price,
                    calculation_currency: adeo::CalculationCurrencyItems::Eur,
                    calculation_details: vec![adeo::CostingResultDetailsItem {
                        code: "MARGIN".into(),
                        formula: "price + 1".into(),
                        value: 1.0,
                    }],
                }),
                costing_errors: None,
            },
            headers,
            key,
        })
    }
}

#[tokio::test]
async fn adeo_request_gets_the_reply_served_by_the_costing_service() {
    let (service, requester) = clients();
    adeo_request_reply(service, requester).await;
}

/// The adeo example through Mosquitto: requester and costing service on connections of their
/// own.
#[cfg(feature = "brokers")]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn adeo_request_reply_through_mosquitto() {
    use asyncapi_runtime::mqtt::{Mqtt, MqttConfig};
    let connect = || async {
        let (host, port) = asyncapi_tests::broker_host_port("ASYNCAPI_TEST_MQTT");
        Client::new(Mqtt::connect(MqttConfig::new(host, port)).await.unwrap())
    };
    adeo_request_reply(connect().await, connect().await).await;
}

/// The adeo example through tansu (Kafka), its two topics created first.
#[cfg(feature = "brokers")]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn adeo_request_reply_through_tansu() {
    use asyncapi_runtime::kafka::{Kafka, KafkaConfig};
    let connect = || async {
        let bootstrap = asyncapi_tests::broker_address("ASYNCAPI_TEST_KAFKA");
        Kafka::connect(KafkaConfig::new(bootstrap)).await.unwrap()
    };
    let service = connect().await;
    for topic in [REQUEST_TOPIC, REPLY_TOPIC] {
        service.create_topic(topic, 1).await.unwrap();
    }
    adeo_request_reply(Client::new(service), Client::new(connect().await)).await;
}

/// The requester asks the costing service through `service`'s and `requester`'s broker; the
/// service's handler gets the request typed, the requester the typed reply with its headers
/// and key.
async fn adeo_request_reply<T: asyncapi_runtime::Transport + Clone>(
    service: Client<T>,
    requester: Client<T>,
) {
    use adeo_mirror::Publisher as _;
    let (tx, mut requests) = mpsc::unbounded_channel();
    let subscriptions = adeo::Subscriptions::new(&service).await.unwrap();
    let serving =
        Serving::spawn(|stop| async move { subscriptions.serve(&Costing(tx), stop).await });

    let (parameters, headers, payload) = costing_request();
    let reply = requester
        .request_costing(&parameters, &headers, &payload)
        .correlation_id(REQUEST_ID)
        .timeout(asyncapi_tests::WAIT)
        .await
        .unwrap();

    // What the service got.
    let request = received("the request", &mut requests).await;
    assert_eq!(request.address, REQUEST_TOPIC);
    assert_eq!(request.parameters.env, adeo::CostingRequestEnv::Dev);
    assert_eq!(request.parameters.version, "V1");
    assert_eq!(request.headers.request_id.as_str(), REQUEST_ID);
    assert_eq!(request.headers.reply_topic, REPLY_TOPIC);
    assert_eq!(request.headers.requester_id, "svc-ecollect-app");
    assert_eq!(request.correlation_id.as_deref(), Some(REQUEST_ID));
    assert_eq!(request.payload.supplier_price, 12.5);
    assert_eq!(
        request.payload.bus_inputs[0].container_type,
        Some(adeo::ContainerTypeItems::Ft40hc)
    );

    // What came back: the handler's reply, on the topic the request named, with its id, the
    // headers and key its message declares.
    assert_eq!(reply.address, REPLY_TOPIC);
    assert_eq!(reply.correlation_id.as_deref(), Some(REQUEST_ID));
    assert_eq!(reply.raw_headers.get("REQUEST_ID"), Some(REQUEST_ID));
    assert_eq!(
        reply
            .headers
            .calculation_id
            .as_ref()
            .map(ToString::to_string)
            .as_deref(),
        Some(CALCULATION_ID)
    );
    let key = reply.key.as_ref().expect("the reply's key");
    assert_eq!(
        (key.requester_code.as_str(), key.client_code.as_str()),
        ("svc-ecollect-app", "1")
    );
    let result = reply.payload.costing_result.expect("a costing result");
    assert_eq!(result.calculation_price, 13.5);
    assert_eq!(
        result.calculation_currency,
        adeo_mirror::CalculationCurrencyItems::Eur
    );
    assert_eq!(result.calculation_details[0].code, "MARGIN");
    assert_eq!(reply.payload.costing_errors, None);
    serving.stop().await;
}

#[tokio::test]
async fn adeo_request_without_a_responder_times_out() {
    use adeo_mirror::Publisher as _;
    let (_, requester) = clients();
    let (parameters, headers, payload) = costing_request();
    let error = requester
        .request_costing(&parameters, &headers, &payload)
        .timeout(Duration::from_millis(50))
        .await
        .unwrap_err();
    match error {
        Error::Timeout {
            operation,
            address,
            timeout,
        } => {
            assert_eq!(operation, "requestCosting");
            assert_eq!(address, REPLY_TOPIC);
            assert_eq!(timeout, Duration::from_millis(50));
        }
        other => panic!("expected a timeout, got {other}"),
    }
}

#[tokio::test]
async fn adeo_costing_response_carries_its_key_and_headers() {
    use adeo::Publisher as _;
    use adeo_mirror::Subscriber as _;
    let (service, requester) = clients();
    let mut responses = requester.subscribe_get_costing_response().await.unwrap();
    service
        .get_costing_response(
            &adeo::CostingResponseParameters {
                env: adeo::CostingResponseEnv::Preprod,
                version: "V2".into(),
            },
            &adeo::CostingResponseKey {
                requester_code: "1".into(),
                client_code: "7".into(),
                product_id: "12345678".into(),
            },
            &adeo::CostingResponseHeaders {
                calculation_id: Some(CALCULATION_ID.parse().unwrap()),
                correlation_id: Some(REQUEST_ID.parse().unwrap()),
                request_timestamp: Some(SENT_AT.parse().unwrap()),
                calculation_timestamp: None,
            },
            &adeo::CostingResponsePayload {
                costing_result: None,
                costing_errors: Some(vec![adeo::CostingErrorItem {
                    r#type: adeo::CostingErrorTypeItems::Functional,
                    code: "CURRENCY_NOT_FOUND".into(),
                    step: "EXPOSE_RESULT".into(),
                    description: "no currency".into(),
                }]),
            },
        )
        .correlation_id(REQUEST_ID)
        .await
        .unwrap();

    let m = next("the costing response", &mut responses).await;
    assert_eq!(m.address, "adeo-preprod-case-study-COSTING-RESPONSE-V2");
    assert_eq!(m.parameters.env, adeo_mirror::CostingResponseEnv::Preprod);
    assert_eq!(m.parameters.version, "V2");
    assert_eq!(
        m.key,
        Some(adeo_mirror::CostingResponseKey {
            requester_code: "1".into(),
            client_code: "7".into(),
            product_id: "12345678".into(),
        })
    );
    assert_eq!(
        m.headers.calculation_id.as_ref().map(|id| id.as_str()),
        Some("5d1f2a9e-2b1c-4c7e-9a51-0b2b3c4d5e6f")
    );
    assert_eq!(
        m.headers.correlation_id.as_ref().map(|id| id.as_str()),
        Some(REQUEST_ID)
    );
    assert_eq!(m.headers.request_timestamp, Some(SENT_AT.parse().unwrap()));
    assert_eq!(m.headers.calculation_timestamp, None);
    assert_eq!(m.correlation_id.as_deref(), Some(REQUEST_ID));
    let errors = m.payload.costing_errors.expect("the errors");
    assert_eq!(
        errors[0].r#type,
        adeo_mirror::CostingErrorTypeItems::Functional
    );
    assert_eq!(errors[0].code, "CURRENCY_NOT_FOUND");
    assert_eq!(m.payload.costing_result, None);
}

// ---------------------------------------------------------------------------------------------
// 2.x request/response pairs: rpc-client asks, rpc-server answers (two documents, AMQP in the
// spec, carried here by every transport the suite has)

mod rpc_client {
    asyncapi_runtime::asyncapi!("../../shared/corpus/public/asyncapi__spec@v2.6.0/rpc-client.yml");
}
mod rpc_server {
    asyncapi_runtime::asyncapi!("../../shared/corpus/public/asyncapi__spec@v2.6.0/rpc-server.yml");
}

/// The RPC server: sums the numbers it is sent.
struct Summer;

impl rpc_server::Handler for Summer {
    async fn sum(
        &self,
        m: Received<rpc_server::SumParameters, rpc_server::SumMessagePayload>,
    ) -> HandlerResult<rpc_server::SendSumResultMessagePayload> {
        Ok(rpc_server::SendSumResultMessagePayload {
            result: Some(m.payload.numbers.unwrap_or_default().iter().sum()),
        })
    }
}

/// rpc-client's `requestSum` and `receiveSumResult` (same correlation id location, the request
/// says where to reply) are one request whose reply comes to the client's inbox; rpc-server's
/// `sum` and `sendSumResult` are one handler returning the reply.
async fn rpc_sum<T: asyncapi_runtime::Transport + Clone>(server: Client<T>, client: Client<T>) {
    use rpc_client::Publisher as _;
    let subscriptions = rpc_server::Subscriptions::new(&server).await.unwrap();
    let serving = Serving::spawn(|stop| async move { subscriptions.serve(&Summer, stop).await });
    let reply = client
        .request_sum(&rpc_client::RequestSumMessagePayload {
            numbers: Some(vec![4.0, 3.0]),
        })
        .timeout(asyncapi_tests::WAIT)
        .await
        .unwrap();
    assert_eq!(reply.payload.result, Some(7.0));
    assert_eq!(reply.address, client.reply_inbox());
    let id = reply
        .correlation_id
        .clone()
        .expect("the request's correlation id");
    assert_eq!(reply.raw_headers.get("correlation_id"), Some(id.as_str()));
    serving.stop().await;
}

#[tokio::test]
async fn rpc_v2_client_and_server_pair_requests_with_responses() {
    let (server, client) = clients();
    rpc_sum(server, client).await;
}

#[cfg(feature = "brokers")]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rpc_v2_client_and_server_through_mosquitto() {
    use asyncapi_runtime::mqtt::{Mqtt, MqttConfig};
    let connect = || async {
        let (host, port) = asyncapi_tests::broker_host_port("ASYNCAPI_TEST_MQTT");
        Client::new(Mqtt::connect(MqttConfig::new(host, port)).await.unwrap())
    };
    rpc_sum(connect().await, connect().await).await;
}

#[cfg(feature = "brokers")]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rpc_v2_client_and_server_through_tansu() {
    use asyncapi_runtime::kafka::{Kafka, KafkaConfig};
    let connect = || async {
        let bootstrap = asyncapi_tests::broker_address("ASYNCAPI_TEST_KAFKA");
        Kafka::connect(KafkaConfig::new(bootstrap)).await.unwrap()
    };
    let server = connect().await;
    let inbox = asyncapi_tests::unique("rpc-client-inbox");
    for topic in ["rpc_queue", inbox.as_str()] {
        server.create_topic(topic, 1).await.unwrap();
    }
    let client = Client::new(connect().await).with_reply_inbox(inbox);
    rpc_sum(Client::new(server), client).await;
}
