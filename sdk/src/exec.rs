//! One guest program: what to run ([`ExecSpec`]), the running handle ([`ExecHandle`]) and its
//! output streams ([`OutputStream`]).

use std::pin::Pin;
use std::task::{Context, Poll};

use agentos_proto::request;
use agentos_proto::v1::{
    EnvVar, Exec, Kill, Limits, NetHeader, NetLimits, NetPolicy, NetReply, NetRequest, NetSecret,
    Preopen, StdinClose, StdinWrite,
};
use bytes::Bytes;
use parking_lot::Mutex;
use tokio::sync::mpsc::UnboundedReceiver;

use crate::conn::{Client, ExitReceiver};
use crate::error::{Died, Error};
use crate::status::{ExitStatus, Output};

/// What to run: argv, environment, working directory and stdin.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ExecSpec {
    argv: Vec<String>,
    env: Vec<(String, String)>,
    cwd: String,
    stdin: Bytes,
    stdin_open: bool,
    limits: Limits,
    preopens: Vec<Preopen>,
    command_dirs: Vec<String>,
    module_paths: Vec<String>,
    net: Option<NetPolicy>,
}

impl ExecSpec {
    /// A program to run; `argv[0]` selects the runner (`node` for JavaScript).
    pub fn new<I, S>(argv: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        Self {
            argv: argv.into_iter().map(Into::into).collect(),
            ..Self::default()
        }
    }

    /// Adds one environment variable. The guest sees exactly these, in order; nothing is inherited.
    pub fn env(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.env.push((key.into(), value.into()));
        self
    }

    /// Adds several environment variables, in order.
    pub fn envs<I, K, V>(mut self, vars: I) -> Self
    where
        I: IntoIterator<Item = (K, V)>,
        K: Into<String>,
        V: Into<String>,
    {
        self.env
            .extend(vars.into_iter().map(|(k, v)| (k.into(), v.into())));
        self
    }

    /// The working directory the guest sees (a guest path); unset means the sidecar's default.
    pub fn cwd(mut self, cwd: impl Into<String>) -> Self {
        self.cwd = cwd.into();
        self
    }

    /// Bytes available on the guest's stdin from the start (must fit in one frame).
    pub fn stdin(mut self, data: impl Into<Bytes>) -> Self {
        self.stdin = data.into();
        self
    }

    /// Keeps stdin open after the initial bytes, until [`ExecHandle::close_stdin`] (default false).
    pub fn stdin_open(mut self, open: bool) -> Self {
        self.stdin_open = open;
        self
    }

    /// Mounts host directory `host` at guest path `guest`, read-write. Nothing outside the
    /// mounted directories is reachable by the guest.
    pub fn dir(mut self, host: impl Into<String>, guest: impl Into<String>) -> Self {
        self.preopens.push(Preopen {
            host_path: host.into(),
            guest_path: guest.into(),
            read_only: false,
        });
        self
    }

    /// Mounts host directory `host` at guest path `guest`, read-only.
    pub fn dir_ro(mut self, host: impl Into<String>, guest: impl Into<String>) -> Self {
        self.preopens.push(Preopen {
            host_path: host.into(),
            guest_path: guest.into(),
            read_only: true,
        });
        self
    }

    /// Searches host directory `dir` for `NAME.wasm` commands before the sidecar's own path
    /// (call again for more; earlier ones win).
    pub fn command_dir(mut self, dir: impl Into<String>) -> Self {
        self.command_dirs.push(dir.into());
        self
    }

    /// Searches guest directory `dir` for `require` of bare specifiers after `node_modules`
    /// (call again for more; earlier ones win).
    pub fn module_path(mut self, dir: impl Into<String>) -> Self {
        self.module_paths.push(dir.into());
        self
    }

    crate::limits::limit_setters!();

    /// Cap on stdin written but not yet read by the guest (0: the sidecar's default); past it,
    /// [`ExecHandle::write_stdin`] fails with `STDIN_LIMIT` until the guest reads.
    pub fn max_stdin_bytes(mut self, bytes: u64) -> Self {
        self.limits.max_stdin_bytes = bytes;
        self
    }

    /// Lets the guest reach what `rule` allows (`example.com`, `https://*.github.com:443`,
    /// `localhost:8080`, `10.0.0.0/8`); a rule may also start with `deny:` (wins over every
    /// allow) or `ask:`. Without any rule the guest has no network (deny by default). A rule
    /// that does not parse refuses the exec with `BAD_ARGUMENT`.
    pub fn allow_net(mut self, rule: impl Into<String>) -> Self {
        self.net
            .get_or_insert_with(NetPolicy::default)
            .rules
            .push(rule.into());
        self
    }

    /// Adds header `name: value` to every HTTP request to hosts matching `pattern` (rule
    /// syntax, e.g. `https://api.example.com`); the guest never sees it.
    pub fn net_secret(
        mut self,
        pattern: impl Into<String>,
        name: impl Into<String>,
        value: impl Into<Bytes>,
    ) -> Self {
        let policy = self.net.get_or_insert_with(NetPolicy::default);
        policy.secrets.push(NetSecret {
            pattern: pattern.into(),
            headers: vec![NetHeader {
                name: name.into(),
                value: value.into(),
            }],
        });
        self
    }

    /// Connection attempts that no rule matches ask the host (`NetRequest`, see
    /// [`ExecHandle::net_requests`]) instead of being denied; never for loopback, private,
    /// link-local or metadata addresses, which only a rule naming them opens.
    pub fn net_ask_unmatched(mut self) -> Self {
        self.net
            .get_or_insert_with(NetPolicy::default)
            .ask_unmatched = true;
        self
    }

    /// The network's limits (zero fields: the sidecar's defaults).
    pub fn net_limits(mut self, limits: NetLimits) -> Self {
        self.net.get_or_insert_with(NetPolicy::default).limits = Some(limits);
        self
    }

    /// The `Exec` request for this spec under `exec_id`.
    pub(crate) fn to_proto(&self, exec_id: u64) -> Exec {
        Exec {
            exec_id,
            argv: self.argv.clone(),
            env: (self.env.iter())
                .map(|(key, value)| EnvVar {
                    key: key.clone(),
                    value: value.clone(),
                })
                .collect(),
            cwd: self.cwd.clone(),
            stdin: self.stdin.clone(),
            stdin_open: self.stdin_open,
            limits: Some(self.limits),
            preopens: self.preopens.clone(),
            command_path: self.command_dirs.clone(),
            module_paths: self.module_paths.clone(),
            net: self.net.clone(),
        }
    }
}

/// One output stream of an exec, chunk by chunk as the guest wrote it; ends when the exec ends.
#[derive(Debug)]
pub struct OutputStream {
    rx: UnboundedReceiver<Bytes>,
}

impl OutputStream {
    /// The next chunk, or `None` once the exec has ended and everything was read.
    pub async fn next_chunk(&mut self) -> Option<Bytes> {
        self.rx.recv().await
    }

    /// Reads the rest of the stream into one buffer.
    pub async fn read_to_end(mut self) -> Vec<u8> {
        let mut all = Vec::new();
        while let Some(chunk) = self.rx.recv().await {
            all.extend_from_slice(&chunk);
        }
        all
    }
}

impl futures_core::Stream for OutputStream {
    type Item = Bytes;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Bytes>> {
        self.rx.poll_recv(cx)
    }
}

enum ExitSlot {
    Waiting(ExitReceiver),
    Done(Result<ExitStatus, Died>),
}

/// A running exec. Output is buffered until read; dropping the handle does not kill the guest.
///
/// Every method takes `&self`, so the handle can be shared (e.g. in an `Arc`) between a task that
/// feeds stdin and one that waits. It does not keep the sidecar alive.
pub struct ExecHandle {
    id: u64,
    client: Client,
    stdout: Mutex<Option<OutputStream>>,
    stderr: Mutex<Option<OutputStream>>,
    asks: Mutex<Option<UnboundedReceiver<NetRequest>>>,
    exit: tokio::sync::Mutex<ExitSlot>,
}

/// Where the reader delivers a new exec's output and asks.
pub(crate) struct Streams {
    pub(crate) stdout: UnboundedReceiver<Bytes>,
    pub(crate) stderr: UnboundedReceiver<Bytes>,
    pub(crate) asks: UnboundedReceiver<NetRequest>,
}

impl std::fmt::Debug for ExecHandle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ExecHandle").field("id", &self.id).finish()
    }
}

impl ExecHandle {
    pub(crate) fn new(id: u64, client: Client, streams: Streams, exit: ExitReceiver) -> Self {
        Self {
            id,
            client,
            stdout: Mutex::new(Some(OutputStream { rx: streams.stdout })),
            stderr: Mutex::new(Some(OutputStream { rx: streams.stderr })),
            asks: Mutex::new(Some(streams.asks)),
            exit: tokio::sync::Mutex::new(ExitSlot::Waiting(exit)),
        }
    }

    /// The exec id on the wire.
    pub fn id(&self) -> u64 {
        self.id
    }

    /// Takes the stdout stream; `None` if it was already taken.
    pub fn take_stdout(&self) -> Option<OutputStream> {
        self.stdout.lock().take()
    }

    /// Takes the stderr stream; `None` if it was already taken.
    pub fn take_stderr(&self) -> Option<OutputStream> {
        self.stderr.lock().take()
    }

    /// Takes the stream of the exec's `NetRequest`s: connection attempts an `ask:` rule (or
    /// `ask_unmatched`) sends to the host. Answer each with [`ExecHandle::net_reply`]; an
    /// attempt nobody answers waits until its own timeout (connect or request) and is denied.
    /// `None` if it was already taken.
    pub fn net_requests(&self) -> Option<UnboundedReceiver<NetRequest>> {
        self.asks.lock().take()
    }

    /// Answers `NetRequest` `net_request_id`: connect (`allow`), or refuse with `message` (the
    /// guest's error shows it). A reply to a request that no longer waits is ignored.
    ///
    /// # Errors
    /// [`Error::Request`] if the sidecar refused it (`UNKNOWN_EXEC` once the guest has exited).
    pub async fn net_reply(
        &self,
        net_request_id: u64,
        allow: bool,
        message: impl Into<String>,
    ) -> Result<(), Error> {
        let reply = NetReply {
            exec_id: self.id,
            net_request_id,
            allow,
            message: message.into(),
        };
        self.client
            .call_with_barrier(request::Kind::NetReply(reply))
            .await
    }

    /// Appends `data` to the guest's stdin (it must fit in one frame).
    ///
    /// # Errors
    /// [`Error::Frame`] if `data` is too large (nothing sent); [`Error::Request`] if the sidecar
    /// refused it (e.g. `UNKNOWN_EXEC` once the guest has exited).
    pub async fn write_stdin(&self, data: impl Into<Bytes>) -> Result<(), Error> {
        let write = StdinWrite {
            exec_id: self.id,
            data: data.into(),
        };
        self.client
            .call_with_barrier(request::Kind::StdinWrite(write))
            .await
    }

    /// Ends the guest's stdin.
    ///
    /// # Errors
    /// [`Error::Request`] if the sidecar refused it.
    pub async fn close_stdin(&self) -> Result<(), Error> {
        let close = StdinClose { exec_id: self.id };
        self.client
            .call_with_barrier(request::Kind::StdinClose(close))
            .await
    }

    /// Delivers signal `signal` (e.g. 9, 15); every signal ends the guest with 128 + signal.
    ///
    /// # Errors
    /// [`Error::Request`] if the sidecar refused it.
    pub async fn kill(&self, signal: u32) -> Result<(), Error> {
        let kill = Kill {
            exec_id: self.id,
            signal,
            signal_name: String::new(),
        };
        self.client
            .call_with_barrier(request::Kind::Kill(kill))
            .await
    }

    /// Waits for the exec to end; may be called again and returns the same status.
    ///
    /// # Errors
    /// [`Error::SidecarDied`] if the sidecar went away before reporting the exit.
    pub async fn wait(&self) -> Result<ExitStatus, Error> {
        let mut slot = self.exit.lock().await;
        if let ExitSlot::Waiting(rx) = &mut *slot {
            let result = rx.await.unwrap_or_else(|_| {
                Err(Died {
                    reason: "the exec's exit was never delivered".to_owned(),
                    status: None,
                })
            });
            *slot = ExitSlot::Done(result);
        }
        match &*slot {
            ExitSlot::Done(result) => result.clone().map_err(Error::from),
            ExitSlot::Waiting(_) => unreachable!("the slot is Done after the receiver resolved"),
        }
    }

    /// Collects all output that was not taken as a stream, then waits for the exit.
    ///
    /// # Errors
    /// As [`Self::wait`].
    pub async fn output(self) -> Result<Output, Error> {
        let stdout = self.take_stdout();
        let stderr = self.take_stderr();
        let (stdout, stderr) = tokio::join!(read_all(stdout), read_all(stderr));
        let status = self.wait().await?;
        Ok(Output {
            status,
            stdout,
            stderr,
        })
    }
}

async fn read_all(stream: Option<OutputStream>) -> Vec<u8> {
    match stream {
        Some(stream) => stream.read_to_end().await,
        None => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spec_builds_the_exec_request() {
        let spec = ExecSpec::new(["node", "-e", "1"])
            .env("A", "1")
            .envs([("B", "2"), ("A", "3")])
            .cwd("/work")
            .stdin(&b"hi"[..])
            .stdin_open(true);
        let exec = spec.to_proto(42);
        assert_eq!(exec.exec_id, 42);
        assert_eq!(exec.argv, ["node", "-e", "1"]);
        let env: Vec<(&str, &str)> = (exec.env.iter())
            .map(|v| (v.key.as_str(), v.value.as_str()))
            .collect();
        assert_eq!(env, [("A", "1"), ("B", "2"), ("A", "3")]);
        assert_eq!(exec.cwd, "/work");
        assert_eq!(&exec.stdin[..], b"hi");
        assert!(exec.stdin_open);
    }

    #[test]
    fn spec_defaults_are_empty_and_closed() {
        let exec = ExecSpec::new(["node"]).to_proto(1);
        assert!(exec.env.is_empty());
        assert!(exec.cwd.is_empty());
        assert!(exec.stdin.is_empty());
        assert!(!exec.stdin_open);
    }
}
