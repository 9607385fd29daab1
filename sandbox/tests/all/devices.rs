//! `/dev` beneath the synthetic root: placeholders that open as devices, the guest's own stdio
//! for `stdin`/`stdout`/`stderr`/`fd/N`, and nothing else of the host's `/dev`.

use agentos_sandbox::{Errno, Preopen, Sandbox, filetype, lookupflags, oflags, rights};

use crate::common::MemStdio;

/// A sandbox whose only mount is `/work`, so `/` is the read-only synthetic root (fd 4).
struct Dev {
    _tmp: tempfile::TempDir,
    sb: Sandbox,
    io: MemStdio,
}

/// The synthetic root's fd: after `/work` (3) and `/etc` (4).
const ROOT: u32 = 5;

impl Dev {
    fn new() -> Self {
        let tmp = tempfile::tempdir().expect("tempdir");
        let mounts = vec![Preopen {
            host: tmp.path().to_path_buf(),
            guest: "/work".into(),
            read_only: false,
        }];
        let preopens = agentos_sandbox::with_root(mounts, &Default::default());
        assert_eq!(preopens[2].guest, "/", "a synthetic root");
        let sb = Sandbox::new(&preopens).expect("sandbox");
        Self {
            _tmp: tmp,
            sb,
            io: MemStdio::default(),
        }
    }

    fn open(&mut self, path: &str, oflags: u16, base: u64) -> Result<u32, Errno> {
        let follow = lookupflags::SYMLINK_FOLLOW;
        self.sb
            .path_open(ROOT, follow, path.as_bytes(), oflags, base, 0, 0)
    }

    fn read(&mut self, fd: u32, max: usize) -> Vec<u8> {
        self.sb.fd_read(&mut self.io, fd, max).expect("read")
    }

    fn write(&mut self, fd: u32, data: &[u8]) -> usize {
        self.sb.fd_write(&mut self.io, fd, data).expect("write")
    }
}

const READ: u64 = rights::FD_READ | rights::FD_FILESTAT_GET;
const WRITE: u64 = rights::FD_WRITE | rights::FD_FILESTAT_GET;

#[test]
fn dev_null_takes_writes_beneath_the_read_only_root_and_reads_empty() {
    let mut d = Dev::new();
    let fd = d
        .open("dev/null", oflags::CREAT | oflags::TRUNC, WRITE)
        .expect("open");
    assert_eq!(d.write(fd, b"discarded"), 9);
    let fd = d.open("dev/null", 0, READ).expect("open");
    assert!(d.read(fd, 64).is_empty());
}

#[test]
fn dev_zero_and_urandom_read_bytes() {
    let mut d = Dev::new();
    let zero = d.open("dev/zero", 0, READ).expect("open");
    assert_eq!(d.read(zero, 16), vec![0; 16]);
    let random = d.open("dev/urandom", 0, READ).expect("open");
    assert_eq!(d.read(random, 32).len(), 32);
}

#[test]
fn dev_stdin_stdout_stderr_and_fd_n_are_the_guest_s_own_stdio() {
    let mut d = Dev::new();
    d.io.input = b"from stdin".to_vec();
    let stdin = d.open("dev/stdin", 0, READ).expect("open");
    assert_eq!(d.read(stdin, 4), b"from");
    let fd0 = d.open("dev/fd/0", 0, READ).expect("open");
    assert_eq!(d.read(fd0, 64), b" stdin");
    let out = d.open("dev/stdout", oflags::TRUNC, WRITE).expect("open");
    let err = d.open("dev/fd/2", 0, WRITE).expect("open");
    d.write(out, b"o");
    d.write(err, b"e");
    assert_eq!(
        (d.io.out.as_slice(), d.io.err.as_slice()),
        (&b"o"[..], &b"e"[..])
    );
}

#[test]
fn devices_look_like_empty_regular_files() {
    let mut d = Dev::new();
    let by_path = d.sb.path_filestat_get(ROOT, 1, b"dev/null").expect("stat");
    assert_eq!(
        (by_path.filetype, by_path.size),
        (filetype::REGULAR_FILE, 0)
    );
    let fd = d.open("dev/null", 0, READ).expect("open");
    let open = d.sb.fd_filestat_get(fd).expect("fstat");
    assert_eq!((open.filetype, open.size), (filetype::REGULAR_FILE, 0));
}

#[test]
fn only_the_listed_devices_exist() {
    let mut d = Dev::new();
    for name in ["dev/sda", "dev/mem", "dev/tty", "dev/fd/64", "dev/shm"] {
        assert_eq!(d.open(name, 0, READ), Err(Errno::NOENT), "{name}");
    }
    assert_eq!(
        d.open("dev/new", oflags::CREAT, WRITE),
        Err(Errno::READ_ONLY)
    );
}

/// A pipe holding `data` whose writers are gone, inherited as fd 63; the flag says whether
/// its first use ran.
fn inherit_pipe(d: &mut Dev, data: &[u8]) -> std::sync::Arc<std::sync::atomic::AtomicUsize> {
    let (read, write) = rustix::pipe::pipe().expect("pipe");
    assert_eq!(rustix::io::write(&write, data).expect("fill"), data.len());
    drop(write);
    let uses = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let seen = uses.clone();
    let first_use = Box::new(move || {
        seen.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
    });
    let end = agentos_sandbox::PipeEnd::Read;
    d.sb.inherit(63, read, end, Some(first_use))
        .expect("inherit");
    uses
}

#[test]
fn an_inherited_pipe_opens_as_dev_fd_n_and_reads_to_its_end() {
    let mut d = Dev::new();
    inherit_pipe(&mut d, b"piped\n");
    let fd = d.open("dev/fd/63", 0, READ).expect("open");
    assert_ne!(fd, 63);
    assert_eq!(d.read(fd, 100), b"piped\n");
    assert_eq!(d.read(fd, 100), b"");
}

#[test]
fn an_inherited_fd_runs_its_first_use_once_when_first_opened() {
    let mut d = Dev::new();
    let uses = inherit_pipe(&mut d, b"x");
    let count = || uses.load(std::sync::atomic::Ordering::SeqCst);
    d.open("dev/null", 0, READ).expect("open");
    assert_eq!(count(), 0);
    d.open("dev/fd/63", 0, READ).expect("open");
    d.open("dev/fd/63", 0, READ).expect("open again");
    assert_eq!(d.read(63, 1), b"x");
    assert_eq!(count(), 1);
}

#[test]
fn an_inherited_fd_cannot_take_a_number_in_use() {
    let mut d = Dev::new();
    let (read, _write) = rustix::pipe::pipe().expect("pipe");
    let end = agentos_sandbox::PipeEnd::Read;
    assert_eq!(d.sb.inherit(ROOT, read, end, None), Err(Errno::BADF));
}
