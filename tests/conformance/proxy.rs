//! A TCP proxy between a client and a broker that a test can cut: every open connection is
//! dropped at once, as when a network path fails; new connections are forwarded again.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use tokio::io::copy_bidirectional;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;

/// A running proxy; it stops when dropped.
pub struct Proxy {
    address: String,
    generation: watch::Sender<u64>,
    connections: Arc<AtomicUsize>,
    task: tokio::task::JoinHandle<()>,
}

impl Proxy {
    /// Forwards connections to `listen` (`host:port`, port 0 for any) to `upstream`.
    pub async fn start(listen: &str, upstream: &str) -> Proxy {
        let listener = TcpListener::bind(listen).await.expect("bind the proxy");
        let address = listener.local_addr().unwrap().to_string();
        let (generation, _) = watch::channel(0u64);
        let connections = Arc::new(AtomicUsize::new(0));
        let upstream = upstream.to_owned();
        let task = {
            let generation = generation.clone();
            let connections = connections.clone();
            tokio::spawn(async move {
                while let Ok((mut inbound, _)) = listener.accept().await {
                    connections.fetch_add(1, Ordering::SeqCst);
                    let upstream = upstream.clone();
                    let mut cut = generation.subscribe();
                    tokio::spawn(async move {
                        let Ok(mut outbound) = TcpStream::connect(&upstream).await else {
                            return;
                        };
                        tokio::select! {
                            _ = copy_bidirectional(&mut inbound, &mut outbound) => {}
                            _ = cut.changed() => {}
                        }
                    });
                }
            })
        };
        Proxy {
            address,
            generation,
            connections,
            task,
        }
    }

    /// `host:port` to connect to.
    pub fn address(&self) -> &str {
        &self.address
    }

    /// Drops every open connection.
    pub fn cut(&self) {
        self.generation.send_modify(|g| *g += 1);
    }

    /// How many connections it has accepted so far.
    pub fn connections(&self) -> usize {
        self.connections.load(Ordering::SeqCst)
    }
}

impl Drop for Proxy {
    fn drop(&mut self) {
        self.task.abort();
        self.cut();
    }
}
