//! What the handler of a request returns, and how the runner turns it into the reply message.

use serde::Serialize;

use crate::codec::{Codec, Json};
use crate::{Error, Outgoing};

/// A reply with the headers and key its message declares, returned by the handler of a request
/// whose reply message has headers or a Kafka key (a reply that has neither is returned as its
/// payload alone).
///
/// ```ignore
/// Ok(Reply { payload: Pong { seq }, headers: PongHeaders { region: "eu".into() }, key: () })
/// ```
///
/// The runner copies the request's correlation id into it (natively and where the reply
/// message's `correlationId` says) and sets its content type.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Reply<P, H = (), K = ()> {
    /// The payload.
    pub payload: P,
    /// The headers (`()` when the reply message declares none).
    pub headers: H,
    /// The Kafka key (`()` when the reply message's binding declares none).
    pub key: K,
}

/// What a request handler may return: a reply payload, or a [`Reply`] with headers and key.
///
/// Implemented for every `Serialize` payload and for [`Reply`]; generated handlers name which
/// one their operation takes.
pub trait IntoReply {
    /// The reply message for `address`, its payload encoded as JSON.
    #[doc(hidden)]
    fn into_message(
        self,
        address: String,
        content_type: Option<&'static str>,
    ) -> Result<Outgoing, Error>;
}

impl<P: Serialize> IntoReply for P {
    fn into_message(
        self,
        address: String,
        content_type: Option<&'static str>,
    ) -> Result<Outgoing, Error> {
        let payload = Json::encode(&self).map_err(Error::Encode)?;
        Ok(Outgoing::new(address, payload)
            .with_content_type(content_type.unwrap_or(Json::CONTENT_TYPE)))
    }
}

impl<P: Serialize, H: Serialize, K: Serialize> IntoReply for Reply<P, H, K> {
    fn into_message(
        self,
        address: String,
        content_type: Option<&'static str>,
    ) -> Result<Outgoing, Error> {
        let mut message = self.payload.into_message(address, content_type)?;
        message.headers =
            crate::headers::encode(&self.headers).map_err(|source| Error::Metadata {
                part: "headers",
                source,
            })?;
        message.key = crate::headers::encode_key(&self.key).map_err(|source| Error::Metadata {
            part: "key",
            source,
        })?;
        Ok(message)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Serialize)]
    struct Headers {
        region: String,
    }

    #[test]
    fn a_reply_carries_its_headers_and_key() {
        let reply = Reply {
            payload: 7,
            headers: Headers {
                region: "eu".into(),
            },
            key: "k-1",
        };
        let message = reply.into_message("replies".into(), None).unwrap();
        assert_eq!(&message.payload[..], b"7");
        assert_eq!(message.headers.get("region"), Some("eu"));
        assert_eq!(message.key.as_deref(), Some(&b"k-1"[..]));
        assert_eq!(message.content_type, Some("application/json"));
    }

    #[test]
    fn a_payload_alone_is_a_reply_without_headers() {
        let message = "pong"
            .into_message("replies".into(), Some("application/vnd.pong+json"))
            .unwrap();
        assert_eq!(&message.payload[..], b"\"pong\"");
        assert!(message.headers.is_empty());
        assert_eq!(message.key, None);
        assert_eq!(message.content_type, Some("application/vnd.pong+json"));
    }
}
