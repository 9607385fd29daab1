//! The [`Sidecar`] handle: spawning the process, the `Hello` handshake, execs and shutdown.
//!
//! The child process is owned by a supervisor task that publishes its exit status. When the
//! writer task ends (the `Sidecar` was dropped or shut down, or stdin broke), the supervisor
//! gives the sidecar a grace period to exit on its own, then kills it.

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Duration;

use agentos_proto::v1::{Hello, HelloAck, HttpRequest, HttpResponse, Ping, Stats, StatsReply};
use agentos_proto::{PROTOCOL_VERSION, event, request};
use bytes::Bytes;
use tokio::process::{Child, Command};
use tokio::sync::{mpsc, oneshot, watch};

use crate::call::{CallOutcome, CallSpec};
use crate::conn::{self, Client, ExecSink};
use crate::error::Error;
use crate::exec::{ExecHandle, ExecSpec};
use crate::locate::find_sidecar;

/// Default time allowed for the `Hello` handshake.
const HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(10);
/// Default time a sidecar gets to exit after its stdin closes before it is killed.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(5);

/// A running agentos-sidecar process, driven over its stdin/stdout.
///
/// Dropping it closes the sidecar's stdin: the sidecar kills running guests, reports their exits
/// and exits; a background task reaps it (killing it after a grace period). Share it between
/// tasks with an `Arc`.
pub struct Sidecar {
    client: Client,
    /// The only strong queue sender: dropping it closes the sidecar's stdin.
    tx: mpsc::Sender<Bytes>,
    hello: HelloAck,
    pid: Option<u32>,
    status: watch::Receiver<Option<std::process::ExitStatus>>,
}

impl std::fmt::Debug for Sidecar {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Sidecar")
            .field("pid", &self.pid)
            .field("hello", &self.hello)
            .finish_non_exhaustive()
    }
}

/// Configures how the sidecar is started; see [`Sidecar::builder`].
#[derive(Debug, Clone)]
pub struct SidecarBuilder {
    bin: Option<PathBuf>,
    args: Vec<OsString>,
    env: Vec<(OsString, OsString)>,
    client_name: String,
    handshake_timeout: Duration,
    shutdown_grace: Duration,
}

impl Default for SidecarBuilder {
    fn default() -> Self {
        Self {
            bin: None,
            args: Vec::new(),
            env: Vec::new(),
            client_name: format!("agentos-sdk/{}", env!("CARGO_PKG_VERSION")),
            handshake_timeout: HANDSHAKE_TIMEOUT,
            shutdown_grace: SHUTDOWN_GRACE,
        }
    }
}

impl SidecarBuilder {
    /// The sidecar binary; default: `$AGENTOS_SIDECAR_BIN`, then next to the current executable,
    /// then its parent directory, then `$PATH`.
    pub fn bin(mut self, path: impl AsRef<Path>) -> Self {
        self.bin = Some(path.as_ref().to_owned());
        self
    }

    /// Adds a command-line argument for the sidecar process.
    pub fn arg(mut self, arg: impl Into<OsString>) -> Self {
        self.args.push(arg.into());
        self
    }

    /// Adds several command-line arguments for the sidecar process.
    pub fn args<I, S>(mut self, args: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<OsString>,
    {
        self.args.extend(args.into_iter().map(Into::into));
        self
    }

    /// Sets an environment variable of the sidecar process (not of its guests).
    pub fn env(mut self, key: impl Into<OsString>, value: impl Into<OsString>) -> Self {
        self.env.push((key.into(), value.into()));
        self
    }

    /// The client name sent in `Hello`, for the sidecar's logs.
    pub fn client_name(mut self, name: impl Into<String>) -> Self {
        self.client_name = name.into();
        self
    }

    /// How long to wait for the `HelloAck` (default 10 s).
    pub fn handshake_timeout(mut self, timeout: Duration) -> Self {
        self.handshake_timeout = timeout;
        self
    }

    /// How long the sidecar may take to exit after its stdin closes before it is killed
    /// (default 5 s).
    pub fn shutdown_grace(mut self, grace: Duration) -> Self {
        self.shutdown_grace = grace;
        self
    }

    /// Starts the sidecar and performs the handshake.
    ///
    /// # Errors
    /// [`Error::NotFound`], [`Error::Spawn`], or a handshake failure ([`Error::Handshake`],
    /// [`Error::Request`] with `UNSUPPORTED_VERSION`, [`Error::SidecarDied`]).
    pub async fn spawn(self) -> Result<Sidecar, Error> {
        let path = find_sidecar(self.bin.as_deref())?;
        let mut child = Command::new(&path)
            .args(&self.args)
            .envs(self.env.iter().map(|(k, v)| (k, v)))
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .kill_on_drop(true)
            .spawn()
            .map_err(|source| Error::Spawn { path, source })?;
        let pid = child.id();
        let (Some(stdin), Some(stdout)) = (child.stdin.take(), child.stdout.take()) else {
            unreachable!("stdin and stdout are piped");
        };
        let (done_tx, done_rx) = oneshot::channel();
        let (status_tx, status_rx) = watch::channel(None);
        tokio::spawn(supervise(child, done_rx, status_tx, self.shutdown_grace));
        let (tx, client) = conn::start(stdout, stdin, done_tx, status_rx.clone());
        Sidecar::handshake(client, tx, pid, status_rx, &self).await
    }
}

impl Sidecar {
    /// Starts the sidecar found by the default search (see [`SidecarBuilder::bin`]).
    ///
    /// # Errors
    /// As [`SidecarBuilder::spawn`].
    pub async fn spawn() -> Result<Sidecar, Error> {
        Self::builder().spawn().await
    }

    /// A builder to choose the binary, its environment and timeouts.
    pub fn builder() -> SidecarBuilder {
        SidecarBuilder::default()
    }

    /// Drives a sidecar over arbitrary streams, with no process to supervise (for tests).
    #[cfg(test)]
    pub(crate) async fn connect<R, W>(read: R, write: W) -> Result<Sidecar, Error>
    where
        R: tokio::io::AsyncRead + Unpin + Send + 'static,
        W: tokio::io::AsyncWrite + Unpin + Send + 'static,
    {
        let (done_tx, _) = oneshot::channel();
        // No process: drop the status sender so nobody waits for an exit status.
        let (_, status_rx) = watch::channel(None);
        let (tx, client) = conn::start(read, write, done_tx, status_rx.clone());
        Self::handshake(client, tx, None, status_rx, &SidecarBuilder::default()).await
    }

    async fn handshake(
        client: Client,
        tx: mpsc::Sender<Bytes>,
        pid: Option<u32>,
        status: watch::Receiver<Option<std::process::ExitStatus>>,
        builder: &SidecarBuilder,
    ) -> Result<Sidecar, Error> {
        let hello = Hello {
            protocol_version: PROTOCOL_VERSION,
            client: builder.client_name.clone(),
        };
        let reply = tokio::time::timeout(
            builder.handshake_timeout,
            client.call(request::Kind::Hello(hello)),
        )
        .await
        .map_err(|_| Error::Handshake(format!("no reply in {:?}", builder.handshake_timeout)))?;
        let ack = match reply? {
            event::Kind::HelloAck(ack) => ack,
            other => {
                return Err(Error::Handshake(format!(
                    "expected HelloAck, got {other:?}"
                )));
            }
        };
        if ack.protocol_version != PROTOCOL_VERSION {
            return Err(Error::Handshake(format!(
                "sidecar speaks protocol {}, this SDK {PROTOCOL_VERSION}",
                ack.protocol_version
            )));
        }
        if let Ok(max @ 1..) = usize::try_from(ack.max_frame_bytes) {
            client.conn.set_max_frame(max);
        }
        Ok(Sidecar {
            client,
            tx,
            hello: ack,
            pid,
            status,
        })
    }

    /// The sidecar's answer to the handshake: version, capabilities, frame limit.
    pub fn hello(&self) -> &HelloAck {
        &self.hello
    }

    /// The sidecar's process id (`None` if it was not spawned as a process).
    pub fn pid(&self) -> Option<u32> {
        self.pid
    }

    /// Starts a guest program; returns once the sidecar has accepted it (`ExecStarted`).
    ///
    /// # Errors
    /// [`Error::Frame`] if the request does not fit in a frame (nothing sent),
    /// [`Error::Request`] if the sidecar refused it, [`Error::SidecarDied`].
    pub async fn exec(&self, spec: ExecSpec) -> Result<ExecHandle, Error> {
        let exec_id = self.client.conn.next_exec_id();
        let request = request::Kind::Exec(spec.to_proto(exec_id));
        let (stdout_tx, stdout_rx) = mpsc::unbounded_channel();
        let (stderr_tx, stderr_rx) = mpsc::unbounded_channel();
        let (exit_tx, exit_rx) = oneshot::channel();
        let (asks_tx, asks_rx) = mpsc::unbounded_channel();
        let sink = ExecSink {
            stdout: stdout_tx,
            stderr: stderr_tx,
            exit: exit_tx,
            denied: Vec::new(),
            asks: asks_tx,
        };
        // Registered first, so output that follows `ExecStarted` always has somewhere to go.
        self.client.conn.register_exec(exec_id, sink)?;
        match self.client.call(request).await {
            Ok(event::Kind::ExecStarted(_)) => {
                let client = self.client.clone();
                let streams = crate::exec::Streams {
                    stdout: stdout_rx,
                    stderr: stderr_rx,
                    asks: asks_rx,
                };
                Ok(ExecHandle::new(exec_id, client, streams, exit_rx))
            }
            Ok(other) => {
                self.client.conn.unregister_exec(exec_id);
                Err(Error::Handshake(format!(
                    "expected ExecStarted, got {other:?}"
                )))
            }
            Err(e) => {
                self.client.conn.unregister_exec(exec_id);
                Err(e)
            }
        }
    }

    /// Runs a guest function to completion, answering its host calls with `spec`'s callbacks
    /// (concurrently, each in its own task).
    ///
    /// A guest error or a limit is not an `Err`: it is [`CallOutcome::result`]. Dropping the
    /// future kills the call (e.g. under `tokio::time::timeout`).
    ///
    /// # Errors
    /// [`Error::Frame`] if the request does not fit in a frame (nothing sent),
    /// [`Error::Request`] if the sidecar refused it, [`Error::SidecarDied`], [`Error::Protocol`].
    pub async fn call(&self, spec: CallSpec) -> Result<CallOutcome, Error> {
        crate::call_run::run(&self.client, spec).await
    }

    /// Sends any request, then a `Ping` barrier; `Err` if the sidecar refused the request.
    ///
    /// Low-level: for requests without a positive ack (`StdinWrite`, `StdinClose`, `Kill`),
    /// including ones naming execs this SDK did not start.
    ///
    /// # Errors
    /// [`Error::Request`] with the sidecar's code, [`Error::Frame`], [`Error::SidecarDied`].
    pub async fn request(&self, kind: request::Kind) -> Result<(), Error> {
        self.client.call_with_barrier(kind).await
    }

    /// Round-trips a `Ping`.
    ///
    /// # Errors
    /// [`Error::SidecarDied`] if the sidecar is gone.
    pub async fn ping(&self) -> Result<(), Error> {
        self.client
            .call(request::Kind::Ping(Ping::default()))
            .await
            .map(drop)
    }

    /// The sidecar's counters: warm-pool hits and misses, snapshot mode and state, RSS.
    ///
    /// # Errors
    /// [`Error::SidecarDied`] if the sidecar is gone; [`Error::Protocol`] on a wrong reply.
    pub async fn stats(&self) -> Result<StatsReply, Error> {
        match self.client.call(request::Kind::Stats(Stats {})).await? {
            event::Kind::StatsReply(stats) => Ok(stats),
            other => Err(Error::Protocol(format!(
                "expected StatsReply, got {other:?}"
            ))),
        }
    }

    /// One HTTP/1.1 exchange with a server a guest of exec `request.exec_id` listens on (a
    /// virtual port: `http.createServer().listen(port)` in the guest), the response whole.
    ///
    /// # Errors
    /// [`Error::Request`] with the sidecar's code: `UNKNOWN_EXEC`, `CONNECTION_REFUSED` (nothing
    /// listens there), `BAD_GATEWAY`, `TIMEOUT`, `OUTPUT_LIMIT`, `BAD_ARGUMENT`;
    /// [`Error::SidecarDied`] if the sidecar is gone.
    pub async fn http_request(&self, request: HttpRequest) -> Result<HttpResponse, Error> {
        match self
            .client
            .call(request::Kind::HttpRequest(request))
            .await?
        {
            event::Kind::HttpResponse(response) => Ok(response),
            other => Err(Error::Protocol(format!(
                "expected HttpResponse, got {other:?}"
            ))),
        }
    }

    /// Closes the sidecar's stdin and waits for it to exit (killing it after the grace period).
    ///
    /// # Errors
    /// [`Error::SidecarDied`] if no exit status could be obtained (e.g. no process).
    pub async fn shutdown(self) -> Result<std::process::ExitStatus, Error> {
        let Sidecar { tx, mut status, .. } = self;
        drop(tx);
        match status.wait_for(Option::is_some).await.map(|s| *s) {
            Ok(Some(status)) => Ok(status),
            _ => Err(Error::SidecarDied {
                reason: "no exit status available".to_owned(),
                status: None,
            }),
        }
    }
}

/// Owns the child: publishes its exit status; once the writer is done, allows `grace` for a
/// clean exit, then kills it.
async fn supervise(
    mut child: Child,
    writer_done: oneshot::Receiver<()>,
    status: watch::Sender<Option<std::process::ExitStatus>>,
    grace: Duration,
) {
    let exited = tokio::select! {
        exited = child.wait() => exited,
        _ = writer_done => match tokio::time::timeout(grace, child.wait()).await {
            Ok(exited) => exited,
            Err(_) => {
                tracing::warn!("sidecar did not exit {grace:?} after its stdin closed; killing it");
                if let Err(e) = child.start_kill() {
                    tracing::warn!("killing the sidecar: {e}");
                }
                child.wait().await
            }
        },
    };
    match exited {
        Ok(exited) => {
            status.send_replace(Some(exited));
        }
        Err(e) => tracing::warn!("waiting for the sidecar: {e}"),
    }
}
