//! Kind 4: a 3.0 channel with `address: null`. Sending takes a checked concrete address;
//! receiving takes an explicit filter (`AddressFilter`), through `subscribe_*` and `serve`.

use std::sync::Mutex;

use asyncapi_runtime::memory::MemoryBroker;
use asyncapi_runtime::{AddressFilter, Client, HandlerResult};
use asyncapi_tests::within;
use futures::StreamExt;

mod app {
    asyncapi_runtime::asyncapi!("specs/real-world/dynamic-address.yaml");
}

mod mirror {
    asyncapi_runtime::asyncapi!("specs/real-world/dynamic-address.yaml", role = "mirror");
}

fn note(text: &str) -> app::NotificationPayload {
    app::NotificationPayload {
        text: text.to_owned(),
        urgent: None,
    }
}

#[tokio::test]
async fn sending_takes_an_address_and_receiving_a_filter() {
    use app::{Publisher as _, Subscriber as _};
    let broker = MemoryBroker::new();
    let client = Client::new(broker);
    let filter = AddressFilter::new("users/{user}/inbox").unwrap();
    let mut inbox = client.subscribe_read_inbox(&filter).await.unwrap();

    let alice = app::UserInboxAddress::new("users/alice/inbox").unwrap();
    assert_eq!(alice.as_str(), "users/alice/inbox");
    client.notify_user(&alice, &note("hello")).await.unwrap();
    // Outside the filter: not received.
    let elsewhere = app::UserInboxAddress::new("groups/admins/inbox").unwrap();
    client
        .notify_user(&elsewhere, &note("not for you"))
        .await
        .unwrap();
    client
        .notify_user(
            &app::UserInboxAddress::new("users/bob/inbox").unwrap(),
            &note("hi bob"),
        )
        .await
        .unwrap();

    let first = within("alice's message", inbox.next())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(first.address, "users/alice/inbox");
    assert_eq!(first.parameters, alice);
    assert_eq!(first.payload.text, "hello");
    let second = within("bob's message", inbox.next())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(second.parameters.as_str(), "users/bob/inbox");
}

#[test]
fn addresses_and_filters_are_checked() {
    for bad in ["", "users/+/inbox", "users/#", "users/{id}/inbox", "a\0b"] {
        let error = app::UserInboxAddress::new(bad).unwrap_err();
        assert!(error.to_string().contains("address"), "{bad:?}: {error}");
    }
    for bad in ["", "users/+/inbox", "users/#", "users/{id/inbox"] {
        assert!(AddressFilter::new(bad).is_err(), "{bad:?}");
    }
}

#[derive(Default)]
struct Inbox {
    seen: Mutex<Vec<(String, String)>>,
}

impl mirror::Handler for Inbox {
    async fn notify_user(
        &self,
        message: asyncapi_runtime::Received<mirror::UserInboxAddress, mirror::NotificationPayload>,
    ) -> HandlerResult {
        self.seen
            .lock()
            .unwrap()
            .push((message.parameters.to_string(), message.payload.text));
        Ok(())
    }

    async fn record_audit(
        &self,
        _message: asyncapi_runtime::Received<mirror::AuditParameters, mirror::EntryPayload>,
    ) -> HandlerResult {
        Ok(())
    }
}

#[tokio::test]
async fn serve_listens_where_the_filters_say() {
    use app::Publisher as _;
    let broker = MemoryBroker::new();
    let sender = Client::new(broker.clone());
    let receiver = Client::new(broker);
    let handler = Inbox::default();
    let filters = mirror::ReceiveFilters {
        notify_user: AddressFilter::new("tenants/acme/{user}").unwrap(),
    };
    let subscriptions = mirror::Subscriptions::new(&receiver, &filters)
        .await
        .unwrap();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let serving = subscriptions.serve(&handler, async {
        stopped.await.ok();
    });
    let sending = async {
        for (address, text) in [
            ("tenants/acme/ann", "one"),
            ("tenants/other/ann", "never"),
            ("tenants/acme/ben", "two"),
        ] {
            sender
                .notify_user(&app::UserInboxAddress::new(address).unwrap(), &note(text))
                .await
                .unwrap();
        }
        within("both messages handled", async {
            while handler.seen.lock().unwrap().len() < 2 {
                tokio::time::sleep(std::time::Duration::from_millis(5)).await;
            }
        })
        .await;
        stop.send(()).unwrap();
    };
    let (served, ()) = futures::join!(serving, sending);
    served.expect("serve stops because it was asked to");
    assert_eq!(
        *handler.seen.lock().unwrap(),
        vec![
            ("tenants/acme/ann".to_owned(), "one".to_owned()),
            ("tenants/acme/ben".to_owned(), "two".to_owned()),
        ]
    );
}
