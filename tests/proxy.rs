//! A TCP proxy between a client and a broker that a test can cut (open connections dropped, new
//! ones forwarded), take down (open connections cut, new ones dropped at once) or make hold back
//! everything the broker sends.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::tcp::{OwnedReadHalf, OwnedWriteHalf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;
use tokio::task::JoinHandle;

/// A running proxy; it stops, cutting its connections, when dropped.
pub struct Proxy {
    address: String,
    port: u16,
    down: watch::Sender<bool>,
    hold: watch::Sender<bool>,
    cuts: watch::Sender<u64>,
    connections: Arc<AtomicUsize>,
    task: JoinHandle<()>,
}

impl Proxy {
    /// Forwards connections to `listen` (`host:port`, port 0 for any free one) to `upstream`.
    pub async fn start(listen: &str, upstream: &str) -> Proxy {
        let listener = TcpListener::bind(listen).await.expect("bind the proxy");
        let local = listener.local_addr().unwrap();
        let down = watch::Sender::new(false);
        let hold = watch::Sender::new(false);
        let cuts = watch::Sender::new(0u64);
        let connections = Arc::new(AtomicUsize::new(0));
        let upstream = upstream.to_owned();
        let task = {
            let (down, hold, cuts) = (down.clone(), hold.clone(), cuts.clone());
            let connections = connections.clone();
            tokio::spawn(async move {
                while let Ok((inbound, _)) = listener.accept().await {
                    if *down.borrow() {
                        continue;
                    }
                    connections.fetch_add(1, Ordering::SeqCst);
                    let upstream = upstream.clone();
                    let (hold, mut cut) = (hold.subscribe(), cuts.subscribe());
                    tokio::spawn(async move {
                        let Ok(outbound) = TcpStream::connect(&upstream).await else {
                            return;
                        };
                        let (client_read, client_write) = inbound.into_split();
                        let (broker_read, broker_write) = outbound.into_split();
                        tokio::select! {
                            () = pump(client_read, broker_write, None) => {}
                            () = pump(broker_read, client_write, Some(hold)) => {}
                            _ = cut.changed() => {}
                        }
                    });
                }
            })
        };
        Proxy {
            address: local.to_string(),
            port: local.port(),
            down,
            hold,
            cuts,
            connections,
            task,
        }
    }

    /// `host:port` to connect to.
    pub fn address(&self) -> &str {
        &self.address
    }

    /// The port it listens on.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// Drops every open connection; new ones are forwarded.
    pub fn cut(&self) {
        self.cuts.send_modify(|n| *n += 1);
    }

    /// Down: open connections cut, new ones dropped. Up: forwarding again.
    pub fn set_down(&self, down: bool) {
        self.down.send_replace(down);
        if down {
            self.cut();
        }
    }

    /// Whether to hold back what the broker sends (it is delivered when released).
    pub fn hold_replies(&self, hold: bool) {
        self.hold.send_replace(hold);
    }

    /// How many connections it has forwarded so far.
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

async fn pump(
    mut from: OwnedReadHalf,
    mut to: OwnedWriteHalf,
    mut hold: Option<watch::Receiver<bool>>,
) {
    let mut buffer = vec![0u8; 16 * 1024];
    loop {
        let read = match from.read(&mut buffer).await {
            Ok(0) | Err(_) => return,
            Ok(read) => read,
        };
        if let Some(hold) = &mut hold
            && hold.wait_for(|held| !*held).await.is_err()
        {
            return;
        }
        if to.write_all(&buffer[..read]).await.is_err() {
            return;
        }
    }
}
