//! Publishing: one message, one record, resolved with its delivery report.

use rdkafka::error::{KafkaError, RDKafkaErrorCode};
use std::time::{Duration, Instant};

use rdkafka::producer::{DeliveryFuture, FutureRecord};
use tracing::Instrument;

use super::{Kafka, headers};
use crate::{Delivery, Outgoing, TransportError};

/// How often a publish tries again while librdkafka's queue is full.
const QUEUE_FULL_RETRY: Duration = Duration::from_millis(100);

/// Publishes one record. The future stays small (it is kept inline in a typed client's
/// [`PublishFuture`](crate::PublishFuture), as the other transports' are): the record is queued
/// at once and only the delivery report's channel is awaited; waiting for room in a full queue
/// (rare) is boxed.
pub(super) fn publish(
    kafka: Kafka,
    message: Outgoing,
) -> impl Future<Output = Result<Delivery, TransportError>> + Send {
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
        // The record (and the error) go before any await: the future does not keep them.
        let queued = kafka
            .inner
            .producer
            .send_result(record(&message))
            .map_err(|(error, _)| error);
        let queued = match queued {
            Ok(queued) => queued,
            Err(KafkaError::MessageProduction(RDKafkaErrorCode::QueueFull)) => {
                Box::pin(queue_when_room(&kafka, &message)).await?
            }
            Err(error) => return Err(publish_error(&message, error)),
        };
        match queued.await {
            Ok(Ok(delivery)) => {
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
            Ok(Err((error, _))) => {
                tracing::debug!(%error, "kafka record not delivered");
                Err(publish_error(&message, error))
            }
            // The producer went away with the record (it cannot while this holds the
            // transport, but is not worth a panic).
            Err(_) => Err(TransportError::Closed),
        }
    }
    .instrument(span)
}

/// The record for a message.
fn record(message: &Outgoing) -> FutureRecord<'_, [u8], [u8]> {
    let mut record = FutureRecord::<[u8], [u8]>::to(&message.address).payload(&message.payload[..]);
    if let Some(headers) = headers::to_record(message) {
        record = record.headers(headers);
    }
    if let Some(key) = &message.key {
        record = record.key(&key[..]);
    }
    if let Some(partition) = message.partition {
        record = record.partition(partition);
    }
    record
}

/// Queues the record once librdkafka's queue has room, trying every [`QUEUE_FULL_RETRY`] for
/// as long as a delivery may take (the configured timeout).
async fn queue_when_room(
    kafka: &Kafka,
    message: &Outgoing,
) -> Result<DeliveryFuture, TransportError> {
    let deadline = Instant::now() + kafka.inner.config.timeout;
    loop {
        tokio::time::sleep(QUEUE_FULL_RETRY).await;
        match kafka.inner.producer.send_result(record(message)) {
            Ok(queued) => return Ok(queued),
            Err((KafkaError::MessageProduction(RDKafkaErrorCode::QueueFull), _))
                if Instant::now() < deadline => {}
            Err((error, _)) => return Err(publish_error(message, error)),
        }
    }
}

/// Why a record was not delivered, in the transport's terms.
fn publish_error(message: &Outgoing, error: KafkaError) -> TransportError {
    let topic = &message.address;
    match error.rdkafka_error_code() {
        Some(RDKafkaErrorCode::MessageTimedOut) => TransportError::Timeout(format!(
            "no delivery report for a record to {topic:?}: {error}"
        )),
        Some(RDKafkaErrorCode::QueueFull) => TransportError::Timeout(format!(
            "the producer's queue stayed full for a record to {topic:?}: {error}"
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
