//! INTERIM HARNESS ONLY -- never used by the sidecar. Runs each external command of a script
//! as a HOST process (the host's coreutils), in a fixture directory that is mounted at the
//! same guest path as its host path, so the shell's view (through `SandboxFs`) and the host
//! commands' view agree. The lead swaps this for the sidecar's guests once the engine
//! implements `Processes`.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use agentos_sandbox::Preopen;
use agentos_shell::{
    DirEntry, ExitStatus, FileSystem, FsError, InternalJob, Io, IoError, Metadata, OpenMode, Pid,
    ProcError, Processes, SandboxFs, SpawnError, SpawnRequest, Stop, write_all,
};

use super::procs::Procs;

pub struct HostOs {
    fs: SandboxFs,
    procs: Procs,
    stop: Stop,
}

impl HostOs {
    /// `root` is mounted at its own path.
    pub fn new(root: &Path, stop: Stop) -> Self {
        let guest = root.to_string_lossy().into_owned();
        let fs = SandboxFs::new(&[Preopen {
            host: root.to_path_buf(),
            guest,
            read_only: false,
        }])
        .expect("fixture mount");
        Self {
            fs,
            procs: Procs::new(),
            stop,
        }
    }

    /// Ends every process still running (the end of an exec).
    pub fn kill_all(&self) {
        self.procs.kill_all();
    }
}

impl FileSystem for HostOs {
    fn open(&self, path: &str, mode: OpenMode) -> Result<Io, FsError> {
        self.fs.open(path, mode)
    }
    fn stat(&self, path: &str, follow: bool) -> Result<Metadata, FsError> {
        self.fs.stat(path, follow)
    }
    fn read_dir(&self, path: &str, max: usize) -> Result<Vec<DirEntry>, FsError> {
        self.fs.read_dir(path, max)
    }
}

fn find_in_path(name: &str, path: Option<&str>, cwd: &str) -> Option<PathBuf> {
    if name.contains('/') {
        let p = if name.starts_with('/') {
            PathBuf::from(name)
        } else {
            Path::new(cwd).join(name)
        };
        return p.is_file().then_some(p);
    }
    path.unwrap_or("/usr/bin:/bin")
        .split(':')
        .map(|d| Path::new(d).join(name))
        .find(|p| p.is_file())
}

/// Copies a host reader into one of the shell's streams until either side ends.
fn pump_out(mut from: impl Read + Send + 'static, to: Io) -> std::thread::JoinHandle<()> {
    std::thread::spawn(move || {
        let mut buf = [0u8; 8192];
        while let Ok(n) = from.read(&mut buf) {
            if n == 0 || write_all(&*to, &buf[..n]).is_err() {
                break;
            }
        }
    })
}

/// Copies one of the shell's streams into the child's stdin.
fn pump_in(from: Io, mut to: std::process::ChildStdin) {
    std::thread::spawn(move || {
        let mut buf = [0u8; 8192];
        loop {
            match from.read(&mut buf) {
                Ok(0) | Err(_) => break,
                Ok(n) => {
                    if to.write_all(&buf[..n]).is_err() {
                        break;
                    }
                }
            }
        }
    });
}

impl Processes for HostOs {
    fn lookup(&self, name: &str, path: Option<&str>, cwd: &str) -> Option<String> {
        find_in_path(name, path, cwd).map(|p| p.to_string_lossy().into_owned())
    }

    fn pipe(&self) -> Result<(Io, Io), ProcError> {
        Ok(agentos_shell::pipe::pipe(64 << 10, self.stop.clone()))
    }

    fn spawn(&self, req: SpawnRequest) -> Result<Pid, SpawnError> {
        let path = req
            .env
            .iter()
            .find(|(k, _)| k == "PATH")
            .map(|(_, v)| v.as_str());
        if req.argv[0].contains('/') {
            let p = Path::new(&req.cwd).join(&req.argv[0]);
            if p.is_dir() {
                return Err(SpawnError::NotExecutable("Is a directory".into()));
            }
            if p.is_file()
                && std::fs::metadata(&p).is_ok_and(|m| {
                    use std::os::unix::fs::PermissionsExt;
                    m.permissions().mode() & 0o111 == 0
                })
            {
                return Err(SpawnError::NotExecutable("Permission denied".into()));
            }
        }
        let Some(exe) = find_in_path(&req.argv[0], path, &req.cwd) else {
            return Err(if req.argv[0].contains('/') {
                SpawnError::NoSuchFile
            } else {
                SpawnError::NotFound
            });
        };
        let mut child = Command::new(exe)
            .arg0(&req.argv[0])
            .args(&req.argv[1..])
            .env_clear()
            .envs(req.env.iter().cloned())
            .current_dir(&req.cwd)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|e| SpawnError::NotExecutable(e.to_string()))?;
        let os_pid = child.id();
        let pid = self.procs.add(Box::new(move |sig| {
            let _ = Command::new("kill")
                .arg(format!("-{sig}"))
                .arg(os_pid.to_string())
                .status();
        }));
        if let Some(stdin) = child.stdin.take() {
            pump_in(req.stdin.clone(), stdin);
        }
        let out = child.stdout.take().map(|o| pump_out(o, req.stdout.clone()));
        let err = child.stderr.take().map(|e| pump_out(e, req.stderr.clone()));
        let procs = self.procs.clone();
        std::thread::spawn(move || {
            let status = child.wait();
            for t in [out, err].into_iter().flatten() {
                let _ = t.join();
            }
            drop(req);
            use std::os::unix::process::ExitStatusExt;
            let st = match status {
                Ok(s) => match (s.code(), s.signal()) {
                    (Some(c), _) => ExitStatus::Code(c),
                    (None, Some(sig)) => ExitStatus::Signal(sig),
                    _ => ExitStatus::Code(1),
                },
                Err(_) => ExitStatus::Code(1),
            };
            procs.done(pid, st);
        });
        Ok(pid)
    }

    fn spawn_internal(&self, job: InternalJob) -> Result<Pid, SpawnError> {
        self.procs.spawn_internal(job)
    }

    fn wait(&self, pid: Pid, stop: &Stop) -> Result<ExitStatus, ProcError> {
        self.procs.wait(pid, stop)
    }

    fn kill(&self, pid: Pid, signal: i32) -> Result<(), ProcError> {
        self.procs.kill(pid, signal)
    }
}

/// Errors of the pump threads are the child's business (it sees EPIPE or EOF).
#[allow(dead_code)]
fn _unused(_: IoError) {}

use std::os::unix::process::CommandExt;
