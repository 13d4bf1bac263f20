//! Publishing: one message, one record, resolved with its delivery report.

use rdkafka::error::{KafkaError, RDKafkaErrorCode};
use rdkafka::producer::FutureRecord;
use rdkafka::util::Timeout;
use tracing::Instrument;

use super::{Kafka, headers};
use crate::{Delivery, Outgoing, TransportError};

pub(super) async fn publish(kafka: Kafka, message: Outgoing) -> Result<Delivery, TransportError> {
    let span = tracing::debug_span!(
        "kafka.publish",
        topic = %message.address,
        size = message.payload.len(),
        partition = tracing::field::Empty,
        offset = tracing::field::Empty,
    );
    async move {
        if kafka.inner.link.is_closing() {
            return Err(TransportError::Closed);
        }
        let mut record = FutureRecord::<[u8], [u8]>::to(&message.address)
            .payload(&message.payload[..])
            .headers(headers::to_record(&message));
        if let Some(key) = &message.key {
            record = record.key(&key[..]);
        }
        if let Some(partition) = message.partition {
            record = record.partition(partition);
        }
        // A full local queue is waited out for as long as a delivery may take.
        let queue_timeout = Timeout::After(kafka.inner.config.timeout);
        match kafka.inner.producer.send(record, queue_timeout).await {
            Ok(delivery) => {
                kafka.inner.link.up();
                let span = tracing::Span::current();
                span.record("partition", delivery.partition);
                span.record("offset", delivery.offset);
                tracing::debug!(
                    partition = delivery.partition,
                    offset = delivery.offset,
                    "kafka record delivered"
                );
                Ok(Delivery::at(delivery.partition, delivery.offset))
            }
            Err((error, _)) => {
                tracing::debug!(%error, "kafka record not delivered");
                Err(publish_error(&message, error))
            }
        }
    }
    .instrument(span)
    .await
}

/// Why a record was not delivered, in the transport's terms.
fn publish_error(message: &Outgoing, error: KafkaError) -> TransportError {
    let topic = &message.address;
    match error.rdkafka_error_code() {
        Some(RDKafkaErrorCode::MessageTimedOut) => TransportError::Timeout(format!(
            "no delivery report for a record to {topic:?}: {error}"
        )),
        Some(
            RDKafkaErrorCode::MessageSizeTooLarge
            | RDKafkaErrorCode::InvalidMessageSize
            | RDKafkaErrorCode::MessageBatchTooLarge,
        ) => TransportError::Unsupported(format!(
            "a record of {} payload bytes to {topic:?} is larger than the producer or the broker \
             accepts (`message.max.bytes`): {error}",
            message.payload.len()
        )),
        Some(RDKafkaErrorCode::UnknownTopic | RDKafkaErrorCode::UnknownTopicOrPartition) => {
            TransportError::Backend(
                format!(
                    "topic {topic:?} does not exist (topics are not created by publishing; see \
                     Kafka::create_topics): {error}"
                )
                .into(),
            )
        }
        Some(RDKafkaErrorCode::UnknownPartition) => TransportError::Backend(
            format!(
                "topic {topic:?} has no partition {:?}: {error}",
                message.partition
            )
            .into(),
        ),
        _ => TransportError::backend(error),
    }
}
