//! Topics: created only when asked, through the admin API.

use std::sync::Arc;

use rdkafka::admin::{AdminClient, AdminOptions, NewTopic, TopicReplication};
use rdkafka::error::{KafkaError, RDKafkaErrorCode};
use rdkafka::types::RDKafkaRespErr;

use super::{Context, Kafka, KafkaTopic, config_error, lock};
use crate::TransportError;

/// The partitions of a topic whose binding gives none: one, an ordered channel.
const DEFAULT_PARTITIONS: i32 = 1;

/// What [`KafkaTopic`] says, without its `'static` names.
struct TopicSpec<'a> {
    name: &'a str,
    partitions: Option<i32>,
    replicas: Option<i32>,
    config: &'a [(&'a str, &'a str)],
}

impl Kafka {
    /// Creates the topics (a channel binding's `partitions`, `replicas` and
    /// `topicConfiguration`); one that exists already is left as it is. A binding without
    /// `partitions` gets one partition, so that the channel keeps the order of its messages as
    /// it does on every other transport (a broker's `num.partitions` would spread unkeyed
    /// messages over several); without `replicas`, the broker's `default.replication.factor`
    /// decides. Resolves once the controller has created them all, or fails naming every topic
    /// it could not create.
    pub async fn create_topics(&self, topics: &[KafkaTopic]) -> Result<(), TransportError> {
        let specs: Vec<TopicSpec<'_>> = topics
            .iter()
            .map(|topic| TopicSpec {
                name: topic.name,
                partitions: topic.partitions,
                replicas: topic.replicas,
                config: topic.config,
            })
            .collect();
        self.create(&specs).await
    }

    /// Creates one topic with `partitions` partitions and the broker's default replication;
    /// nothing happens when it exists already (whatever its partitions).
    pub async fn create_topic(&self, name: &str, partitions: i32) -> Result<(), TransportError> {
        self.create(&[TopicSpec {
            name,
            partitions: Some(partitions),
            replicas: None,
            config: &[],
        }])
        .await
    }

    /// How many partitions the topic has, from the cluster's metadata; `None` when there is no
    /// such topic (asking does not create it).
    pub async fn partitions(&self, topic: &str) -> Result<Option<usize>, TransportError> {
        let admin = self.admin()?;
        let timeout = self.inner.config.timeout;
        let name = topic.to_owned();
        let metadata =
            tokio::task::spawn_blocking(move || admin.inner().fetch_metadata(Some(&name), timeout))
                .await
                .map_err(TransportError::backend)?
                .map_err(TransportError::backend)?;
        let Some(found) = metadata.topics().iter().find(|t| t.name() == topic) else {
            return Ok(None);
        };
        match found.error() {
            None => Ok(Some(found.partitions().len())),
            Some(
                RDKafkaRespErr::RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART
                | RDKafkaRespErr::RD_KAFKA_RESP_ERR__UNKNOWN_TOPIC,
            ) => Ok(None),
            Some(error) => Err(TransportError::backend(RDKafkaErrorCode::from(error))),
        }
    }

    /// The names of the cluster's topics (or of `topic` alone, when it exists) that have no
    /// error; asking does not create any.
    pub(super) async fn topic_names(
        &self,
        topic: Option<&str>,
    ) -> Result<Vec<String>, TransportError> {
        let admin = self.admin()?;
        let timeout = self.inner.config.timeout;
        let name = topic.map(str::to_owned);
        let metadata = tokio::task::spawn_blocking(move || {
            admin.inner().fetch_metadata(name.as_deref(), timeout)
        })
        .await
        .map_err(TransportError::backend)?
        .map_err(|e| match e {
            KafkaError::MetadataFetch(RDKafkaErrorCode::OperationTimedOut) => {
                TransportError::Timeout(format!(
                    "no metadata for {} within {timeout:?}",
                    topic.map_or("the cluster's topics".to_owned(), |t| format!("{t:?}"))
                ))
            }
            e => TransportError::backend(e),
        })?;
        Ok(metadata
            .topics()
            .iter()
            .filter(|t| t.error().is_none() && topic.is_none_or(|name| t.name() == name))
            .map(|t| t.name().to_owned())
            .collect())
    }

    async fn create(&self, topics: &[TopicSpec<'_>]) -> Result<(), TransportError> {
        let admin = self.admin()?;
        let new: Vec<NewTopic<'_>> = topics
            .iter()
            .map(|topic| {
                let replication = TopicReplication::Fixed(topic.replicas.unwrap_or(-1));
                let partitions = topic.partitions.unwrap_or(DEFAULT_PARTITIONS);
                let mut new = NewTopic::new(topic.name, partitions, replication);
                for &(key, value) in topic.config {
                    new = new.set(key, value);
                }
                new
            })
            .collect();
        let options = AdminOptions::new().operation_timeout(Some(self.inner.config.timeout));
        let results = admin
            .create_topics(&new, &options)
            .await
            .map_err(TransportError::backend)?;
        let mut failed = Vec::new();
        for result in results {
            match result {
                Ok(name) => tracing::debug!(topic = %name, "kafka topic created"),
                Err((name, RDKafkaErrorCode::TopicAlreadyExists)) => {
                    tracing::debug!(topic = %name, "kafka topic exists already");
                }
                Err((name, code)) => failed.push(format!("{name:?}: {code}")),
            }
        }
        if failed.is_empty() {
            Ok(())
        } else {
            Err(TransportError::Backend(
                format!("could not create the Kafka topics {}", failed.join(", ")).into(),
            ))
        }
    }

    /// The admin client, made on first use.
    fn admin(&self) -> Result<Arc<AdminClient<Context>>, TransportError> {
        let mut slot = lock(&self.inner.admin);
        if let Some(admin) = slot.as_ref() {
            return Ok(admin.clone());
        }
        let admin: AdminClient<Context> = self
            .inner
            .config
            .admin_config()?
            .create_with_context(Context::new())
            .map_err(config_error)?;
        let admin = Arc::new(admin);
        *slot = Some(admin.clone());
        Ok(admin)
    }
}
