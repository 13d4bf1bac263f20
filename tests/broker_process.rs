//! Brokers the fault tests start, stop and restart themselves: Mosquitto and tansu as child
//! processes, each on a free loopback port and with its files (configuration, persistence or
//! storage, log) in a directory of its own.
//!
//! A [`BrokerProcess`] is stopped with SIGTERM (a clean shutdown: Mosquitto writes its
//! persistence file) or SIGKILL (only what the broker had already written survives), then
//! started again on the same port over the same files. Dropping it kills the broker and removes
//! its directory; when the test is failing the directory is kept and the end of the broker's
//! log is printed.
//!
//! The binaries come from `ASYNCAPI_TEST_MOSQUITTO_BIN` and `ASYNCAPI_TEST_TANSU_BIN`, which
//! `scripts/test.sh` exports.

use std::io::{Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// How long a broker may take to listen after it was started, and to exit after SIGTERM.
const PATIENCE: Duration = Duration::from_secs(15);

/// How a broker is stopped.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stop {
    /// SIGTERM: the broker shuts down cleanly (Mosquitto saves its persistence file).
    Term,
    /// SIGKILL: the broker dies on the spot; only what it had written to disk survives.
    Kill,
}

/// A broker running as a child process of the test.
pub struct BrokerProcess {
    name: &'static str,
    program: PathBuf,
    args: Vec<String>,
    dir: PathBuf,
    port: u16,
    child: Option<Child>,
    /// Times it was started again after a stop.
    restarts: u32,
    /// How long it was down in all: from each stop signal to listening again.
    downtime: Duration,
}

/// The binary named by `var`; the test fails, rather than skips, without it.
fn binary(var: &str) -> PathBuf {
    let path = std::env::var(var).unwrap_or_else(|_| {
        panic!("{var} is not set; scripts/test.sh exports it (the path of the broker binary)")
    });
    let path = PathBuf::from(path);
    assert!(path.exists(), "{var} names {path:?}, which does not exist");
    path
}

/// A loopback port nothing listens on right now (bound to port 0 and released).
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .expect("bind a free port")
        .port()
}

/// A new, empty directory for one broker, writable by every user (Mosquitto started as root
/// drops to its own user before it writes its persistence file).
fn broker_dir(name: &str) -> PathBuf {
    use std::os::unix::fs::PermissionsExt;
    let dir = std::env::temp_dir().join(crate::unique(&format!("asyncapi-{name}")));
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("create {dir:?}: {e}"));
    std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o777))
        .unwrap_or_else(|e| panic!("open up {dir:?}: {e}"));
    dir
}

impl BrokerProcess {
    /// Mosquitto from `ASYNCAPI_TEST_MOSQUITTO_BIN` on a free port, with persistence on (saved
    /// at shutdown) and no limit on the messages it queues for a client, so that what it
    /// acknowledged to a publisher is kept for a persistent session however far the
    /// subscriber lags. `extra` lines are appended to the configuration.
    pub async fn mosquitto(extra: &[&str]) -> BrokerProcess {
        let program = binary("ASYNCAPI_TEST_MOSQUITTO_BIN");
        let dir = broker_dir("mosquitto");
        let port = free_port();
        let mut config = format!(
            "listener {port} 127.0.0.1\n\
             allow_anonymous true\n\
             persistence true\n\
             persistence_location {}/\n\
             persistence_file mosquitto.db\n\
             max_queued_messages 1000000\n\
             log_dest stderr\n\
             log_type error\n\
             log_type warning\n\
             log_type notice\n\
             log_type information\n",
            dir.display()
        );
        for line in extra {
            config.push_str(line);
            config.push('\n');
        }
        let conf = dir.join("mosquitto.conf");
        std::fs::write(&conf, config).unwrap_or_else(|e| panic!("write {conf:?}: {e}"));
        let args = vec!["-c".to_owned(), conf.display().to_string()];
        BrokerProcess::start("Mosquitto", program, args, dir, port).await
    }

    /// tansu from `ASYNCAPI_TEST_TANSU_BIN` on a free port, storing in the SQLite file
    /// `tansu.db` of its directory (tansu 0.6.0 reads `sqlite://NAME` relative to its working
    /// directory, which is that directory).
    pub async fn tansu() -> BrokerProcess {
        let program = binary("ASYNCAPI_TEST_TANSU_BIN");
        let dir = broker_dir("tansu");
        let port = free_port();
        let url = format!("tcp://127.0.0.1:{port}");
        let args = vec![
            "broker".to_owned(),
            "--listener-url".to_owned(),
            url.clone(),
            "--advertised-listener-url".to_owned(),
            url,
            "--storage-engine".to_owned(),
            "sqlite://tansu.db".to_owned(),
        ];
        BrokerProcess::start("tansu", program, args, dir, port).await
    }

    async fn start(
        name: &'static str,
        program: PathBuf,
        args: Vec<String>,
        dir: PathBuf,
        port: u16,
    ) -> BrokerProcess {
        let mut broker = BrokerProcess {
            name,
            program,
            args,
            dir,
            port,
            child: None,
            restarts: 0,
            downtime: Duration::ZERO,
        };
        broker.launch().await;
        broker
    }

    /// The port it listens on (the same across restarts).
    pub fn port(&self) -> u16 {
        self.port
    }

    /// `127.0.0.1:port`.
    pub fn address(&self) -> String {
        format!("127.0.0.1:{}", self.port)
    }

    /// How many times it was started again.
    pub fn restarts(&self) -> u32 {
        self.restarts
    }

    /// How long it was down in all across its restarts: from each stop signal until it
    /// listened again.
    pub fn downtime(&self) -> Duration {
        self.downtime
    }

    /// Its directory (configuration, persistence or storage, log).
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Whether the process is running.
    pub fn is_running(&mut self) -> bool {
        self.child
            .as_mut()
            .is_some_and(|child| matches!(child.try_wait(), Ok(None)))
    }

    /// Starts the process and waits until its port accepts connections. The port was free a
    /// moment ago (or is this broker's own, just released), so a start that fails to bind is
    /// tried again a few times before the test fails.
    async fn launch(&mut self) {
        assert!(self.child.is_none(), "{} is running already", self.name);
        let log_path = self.dir.join("broker.log");
        for attempt in 1..=5 {
            let log = std::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(&log_path)
                .unwrap_or_else(|e| panic!("open {log_path:?}: {e}"));
            let err = log.try_clone().expect("clone the log file");
            let child = Command::new(&self.program)
                .args(&self.args)
                .current_dir(&self.dir)
                .stdin(Stdio::null())
                .stdout(log)
                .stderr(err)
                .spawn()
                .unwrap_or_else(|e| panic!("start {} ({:?}): {e}", self.name, self.program));
            self.child = Some(child);
            match self.wait_listening().await {
                Ok(()) => return,
                Err(why) if attempt < 5 => {
                    eprintln!("{} did not start ({why}); trying again", self.name);
                    self.child = None;
                    tokio::time::sleep(Duration::from_millis(200 * attempt)).await;
                }
                Err(why) => panic!("{} did not start: {why}\n{}", self.name, self.log_tail()),
            }
        }
    }

    /// Waits until the port accepts a connection; an error when the process exits first or
    /// the port stays closed for too long (the process is killed then).
    async fn wait_listening(&mut self) -> Result<(), String> {
        let started = Instant::now();
        let address = self.address();
        loop {
            let child = self.child.as_mut().expect("a child");
            if let Ok(Some(status)) = child.try_wait() {
                return Err(format!("it exited with {status}"));
            }
            if tokio::net::TcpStream::connect(&address).await.is_ok() {
                return Ok(());
            }
            if started.elapsed() > PATIENCE {
                let _ = child.kill();
                let _ = child.wait();
                return Err(format!("{address} did not listen within {PATIENCE:?}"));
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    /// Stops the broker with `how` and waits for the process to end.
    pub async fn stop(&mut self, how: Stop) {
        let Some(mut child) = self.child.take() else {
            panic!("{} is not running", self.name);
        };
        if let Ok(Some(status)) = child.try_wait() {
            panic!(
                "{} had exited by itself ({status})\n{}",
                self.name,
                self.log_tail()
            );
        }
        match how {
            Stop::Term => {
                let sent = Command::new("kill")
                    .args(["-TERM", &child.id().to_string()])
                    .status()
                    .expect("run kill");
                assert!(sent.success(), "kill -TERM {} failed", child.id());
            }
            Stop::Kill => child.kill().expect("SIGKILL the broker"),
        }
        let asked = Instant::now();
        loop {
            match child.try_wait() {
                Ok(Some(_)) => {
                    eprintln!("{} stopped ({how:?}) in {:?}", self.name, asked.elapsed());
                    return;
                }
                Ok(None) if asked.elapsed() > PATIENCE => {
                    let _ = child.kill();
                    let _ = child.wait();
                    panic!(
                        "{} did not exit within {PATIENCE:?} of {how:?}\n{}",
                        self.name,
                        self.log_tail()
                    );
                }
                Ok(None) => tokio::time::sleep(Duration::from_millis(10)).await,
                Err(e) => panic!("wait for {}: {e}", self.name),
            }
        }
    }

    /// Starts it again, on the same port and files, after a [`stop`](Self::stop).
    pub async fn start_again(&mut self) {
        self.launch().await;
        self.restarts += 1;
    }

    /// Stops it with `how`, waits `outage`, starts it again and waits until it listens.
    pub async fn restart(&mut self, how: Stop, outage: Duration) {
        let down = Instant::now();
        self.stop(how).await;
        tokio::time::sleep(outage).await;
        let restarting = Instant::now();
        self.start_again().await;
        eprintln!(
            "{} listening again {:?} after it was started",
            self.name,
            restarting.elapsed()
        );
        self.downtime += down.elapsed();
    }

    /// The last lines of the broker's log, for failure messages.
    pub fn log_tail(&self) -> String {
        let path = self.dir.join("broker.log");
        let Ok(mut file) = std::fs::File::open(&path) else {
            return format!("(no log at {path:?})");
        };
        let length = file.metadata().map(|m| m.len()).unwrap_or(0);
        let _ = file.seek(SeekFrom::Start(length.saturating_sub(4096)));
        let mut tail = Vec::new();
        let _ = file.read_to_end(&mut tail);
        format!(
            "--- the end of {path:?} ---\n{}",
            String::from_utf8_lossy(&tail)
        )
    }
}

impl Drop for BrokerProcess {
    fn drop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
        if std::thread::panicking() {
            eprintln!(
                "{} left in {:?} for a look\n{}",
                self.name,
                self.dir,
                self.log_tail()
            );
        } else {
            let _ = std::fs::remove_dir_all(&self.dir);
        }
    }
}
