//! The in-crate process double for interpreter tests: a handful of commands written in Rust
//! (`fecho`, `fcat`, `fexit N`, `flood N`, `fcount`, `fsleep MS`), each on its own thread,
//! reading and writing the stdio ends the shell gives them. Files go through a real
//! `SandboxFs` over a temp directory mounted at `/work`.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use agentos_sandbox::Preopen;
use agentos_shell::{
    DirEntry, ExitStatus, FileSystem, FsError, InternalJob, Io, IoError, Metadata, OpenMode, Pid,
    ProcError, Processes, SandboxFs, SpawnError, SpawnRequest, Stop, write_all,
};

use super::procs::Procs;

pub const FAKES: &[&str] = &["fecho", "fcat", "fexit", "flood", "fcount", "fsleep"];

pub struct FakeOs {
    pub fs: SandboxFs,
    pub procs: Procs,
    pub stop: Stop,
}

impl FakeOs {
    pub fn new(dir: &std::path::Path, stop: Stop) -> Self {
        let fs = SandboxFs::new(&[Preopen {
            host: dir.to_path_buf(),
            guest: "/work".into(),
            read_only: false,
        }])
        .unwrap();
        Self {
            fs,
            procs: Procs::new(),
            stop,
        }
    }
}

impl FileSystem for FakeOs {
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

/// Runs one fake command; its exit code.
fn run_fake(req: &SpawnRequest, killed: &AtomicBool) -> Result<i32, IoError> {
    let args = &req.argv[1..];
    match req.argv[0].as_str() {
        "fecho" => write_all(&*req.stdout, format!("{}\n", args.join(" ")).as_bytes()).map(|()| 0),
        "fcat" => {
            let mut buf = [0u8; 4096];
            loop {
                let n = req.stdin.read(&mut buf)?;
                if n == 0 {
                    return Ok(0);
                }
                write_all(&*req.stdout, &buf[..n])?;
            }
        }
        "fexit" => Ok(args.first().and_then(|a| a.parse().ok()).unwrap_or(0)),
        "flood" => {
            let n: usize = args
                .first()
                .and_then(|a| a.parse().ok())
                .unwrap_or(usize::MAX);
            let line = [b'y'; 1024];
            for _ in 0..n {
                if killed.load(Ordering::SeqCst) {
                    return Ok(137);
                }
                write_all(&*req.stdout, &line)?;
            }
            Ok(0)
        }
        "fcount" => {
            let mut total = 0usize;
            let mut buf = [0u8; 4096];
            loop {
                let n = req.stdin.read(&mut buf)?;
                if n == 0 {
                    break;
                }
                total += n;
            }
            write_all(&*req.stdout, format!("{total}\n").as_bytes()).map(|()| 0)
        }
        "fsleep" => {
            let ms: u64 = args.first().and_then(|a| a.parse().ok()).unwrap_or(0);
            let end = std::time::Instant::now() + Duration::from_millis(ms);
            while std::time::Instant::now() < end {
                if killed.load(Ordering::SeqCst) {
                    return Ok(137);
                }
                std::thread::sleep(Duration::from_millis(2));
            }
            Ok(0)
        }
        _ => Ok(127),
    }
}

impl Processes for FakeOs {
    fn lookup(&self, name: &str, _path: Option<&str>, _cwd: &str) -> Option<String> {
        FAKES.contains(&name).then(|| format!("/bin/{name}"))
    }

    fn pipe(&self) -> Result<(Io, Io), ProcError> {
        Ok(agentos_shell::pipe::pipe(4096, self.stop.clone()))
    }

    fn spawn(&self, req: SpawnRequest) -> Result<Pid, SpawnError> {
        if !FAKES.contains(&req.argv[0].as_str()) {
            return Err(if req.argv[0].contains('/') {
                SpawnError::NoSuchFile
            } else {
                SpawnError::NotFound
            });
        }
        let killed = Arc::new(AtomicBool::new(false));
        let k = killed.clone();
        let pid = self
            .procs
            .add(Box::new(move |_| k.store(true, Ordering::SeqCst)));
        let procs = self.procs.clone();
        std::thread::spawn(move || {
            let status = match run_fake(&req, &killed) {
                Ok(code) => ExitStatus::Code(code),
                Err(IoError::BrokenPipe) => ExitStatus::Signal(13),
                Err(_) => ExitStatus::Code(1),
            };
            drop(req);
            procs.done(pid, status);
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
