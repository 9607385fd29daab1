//! The commands the sidecar rows and their native peers run: argv, working directory and the
//! output each must produce (the scenario table in `scenario.rs` refers to them by name).

/// What the guest's working directory is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cwd {
    /// The sidecar's default.
    Default,
    /// A fresh empty directory.
    EmptyDir,
    /// The directory of 100 small CommonJS modules and their `index.js`.
    RequireDir,
    /// The command rows' fixtures (`tools.rs`): `dir200/`, `tree5m/`, `sort1m.txt`,
    /// `json1m.json`, `blob10m.bin`.
    Tools,
    /// The command rows' fixtures mounted at `/work` instead of `/` (the working directory), so
    /// the exec gets a `/tmp` of its own.
    Work,
    /// An empty directory at `/`, and CPython's standard library (`ci/fetch-python`'s
    /// `python/lib`, next to the command set) read-only at `/usr/local/lib`.
    Python,
}

/// What a warm exec must print on stdout to count as a success.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Expect {
    /// Exactly these bytes.
    Exactly(&'static [u8]),
    /// Exactly this many bytes.
    Len(usize),
    /// Anything (exit status 0 still required).
    Anything,
}

/// One guest program run again and again in one warm sidecar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ExecCase {
    /// The guest's argv.
    pub argv: &'static [&'static str],
    /// Its working directory.
    pub cwd: Cwd,
    /// Its expected stdout.
    pub expect: Expect,
}

const fn tools(argv: &'static [&'static str], expect: Expect) -> ExecCase {
    ExecCase {
        argv,
        cwd: Cwd::Tools,
        expect,
    }
}

pub(crate) const LS_LA: ExecCase = tools(&["ls", "-la", "dir200"], Expect::Anything);
pub(crate) const GREP_RN: ExecCase = tools(&["grep", "-rn", "needle", "tree5m"], Expect::Anything);
pub(crate) const SORT: ExecCase = tools(
    &["sort", "sort1m.txt"],
    Expect::Len(crate::tools::SORT_BYTES),
);
pub(crate) const JQ: ExecCase = tools(
    &[
        "jq",
        "-c",
        "map(select(.n % 7 == 0) | .id) | length",
        "json1m.json",
    ],
    Expect::Anything,
);
pub(crate) const SHA256SUM: ExecCase = tools(&["sha256sum", "blob10m.bin"], Expect::Anything);
// zstd at level 3 over the 1 MiB text: the zlib builtin's libzstd in a `node` guest against the
// host's `zstd` tool (each side starts once per run: the guest's isolate, the tool's process).
pub(crate) const ZSTD_1M: ExecCase = tools(
    &[
        "node",
        "-e",
        "const z = require('zlib'); const t = require('fs').readFileSync('sort1m.txt');\
         process.stdout.write(String(z.zstdCompressSync(t).length < t.length))",
    ],
    Expect::Exactly(b"true"),
);
pub(crate) const NATIVE_ZSTD_1M: ExecCase =
    tools(&["zstd", "-3", "-q", "-c", "sort1m.txt"], Expect::Anything);
// worker_threads and Unix sockets: one round trip each; the peers are the host's Node running
// the same script.
pub(crate) const WORKER_ECHO: ExecCase = tools(
    &[
        "node",
        "-e",
        "const { Worker } = require('worker_threads');\
         const w = new Worker('const p = require(\"worker_threads\").parentPort;\
           p.once(\"message\", (m) => p.postMessage(m + 1))', { eval: true });\
         w.once('message', (n) => { process.stdout.write(String(n)); w.terminate(); });\
         w.postMessage(1)",
    ],
    Expect::Exactly(b"2"),
);
pub(crate) const UNIX_SOCKET_ECHO: ExecCase = tools(
    &[
        "node",
        "-e",
        "const net = require('net');\
         const s = net.createServer((c) => c.pipe(c)).listen('\\0agentos-bench-' + process.pid, () => {\
           const c = net.connect(s.address(), () => c.end('echo'));\
           c.on('data', (d) => { process.stdout.write(d); s.close(); });\
         });",
    ],
    Expect::Exactly(b"echo"),
);
// The shell: every external command of a script is a guest; the native rows run the same
// argv in the host's shell with the host's tools (fork + exec per command).
pub(crate) const SH_TRUE: ExecCase = tools(&["sh", "-c", "true"], Expect::Exactly(b""));
pub(crate) const SH_ECHO_CAT: ExecCase =
    tools(&["sh", "-c", "echo hi | cat"], Expect::Exactly(b"hi\n"));
pub(crate) const SH_PIPELINE: ExecCase = tools(
    &[
        "bash",
        "-c",
        "cat sort1m.txt | tr a-z A-Z | grep -v QQQ | sort | wc -l",
    ],
    Expect::Anything,
);
pub(crate) const SH_LOOP: ExecCase = tools(
    &[
        "bash",
        "-c",
        "for i in $(seq 1 50); do basename /a/b$i; done | wc -l",
    ],
    Expect::Exactly(b"50\n"),
);
// `which` run as a program (`/usr/bin/which`): the shell's crate, inside the sidecar, against
// the host's (Debian's is a shell script).
pub(crate) const WHICH_LS: ExecCase = tools(&["which", "ls"], Expect::Exactly(b"/usr/bin/ls\n"));
// A program `node` reads from stdin, piped in by the shell.
pub(crate) const NODE_STDIN: ExecCase = tools(
    &["bash", "-c", "echo 'console.log(6 * 7)' | node"],
    Expect::Exactly(b"42\n"),
);
// 10 MiB written to `/tmp` and read back: the exec's own bounded `/tmp` (each write charged)
// against the host's.
pub(crate) const SH_TMP_10M: ExecCase = ExecCase {
    argv: &[
        "sh",
        "-c",
        "f=$(mktemp) && head -c 10485760 /dev/zero > $f && wc -c < $f && rm $f",
    ],
    cwd: Cwd::Work,
    expect: Expect::Exactly(b"10485760\n"),
};
// Pattern replacement over a 20 000-character value, all inside the shell (no guest).
pub(crate) const SH_PARAM_REPLACE: ExecCase = tools(
    &[
        "bash",
        "-c",
        "y=$(printf 'a%.0s' {1..20000}); z=${y//a*b/-}; echo ${#z}",
    ],
    Expect::Exactly(b"20000\n"),
);
pub(crate) const DU_SH: ExecCase = tools(&["du", "-sh", "tree5m"], Expect::Anything);
/// 100 hunks of a unified diff applied to 1 MiB, written to a new file.
pub(crate) const PATCH: ExecCase = tools(
    &[
        "patch",
        "-s",
        "-o",
        "patched.txt",
        "sort1m.txt",
        "edits.diff",
    ],
    Expect::Exactly(b""),
);
/// The 5 MiB tree out of a deflated archive (replacing what the last run extracted).
pub(crate) const UNZIP: ExecCase = tools(
    &["unzip", "-q", "-o", "tree5m.zip", "-d", "unzip5m"],
    Expect::Exactly(b""),
);
/// The 5 MiB tree into a deflated archive, written to stdout.
pub(crate) const ZIP: ExecCase = tools(&["zip", "-q", "-r", "-", "tree5m"], Expect::Anything);
/// HTTP clients fetching 1 KiB (`URL`: a loopback server's document).
pub(crate) const CURL_1K: &[&str] = &["curl", "-s", "-o", "/dev/null", "URL"];
pub(crate) const WGET_1K: &[&str] = &["wget", "-q", "-O", "-", "URL"];
pub(crate) const PY_URLOPEN_1K: &[&str] = &[
    "python3",
    "-c",
    "import urllib.request; urllib.request.urlopen('URL').read()",
];
/// The same document through `http.client` over Python's own sockets.
pub(crate) const PY_HTTP_CLIENT_1K: &[&str] = &[
    "python3",
    "-c",
    "import http.client as h, urllib.parse as p; u = p.urlsplit('URL'); \
     c = h.HTTPConnection(u.hostname, u.port); c.request('GET', u.path); c.getresponse().read()",
];
/// pip installing a one-module wheel (no dependencies) from the loopback server's package index
/// into `site` of an empty directory, replacing the last run's: pip's start-up, the index page,
/// the download and the install. Both sides run the same argv (the guest's pip is 26.3, the
/// host's its own).
pub(crate) const PIP_INSTALL: ExecCase = ExecCase {
    argv: &[
        "python3",
        "-m",
        "pip",
        "install",
        "--quiet",
        "--no-deps",
        "--no-cache-dir",
        "--disable-pip-version-check",
        "--upgrade",
        "--target",
        "site",
        "--index-url",
        "URLsimple",
        crate::loopback::PACKAGE,
    ],
    cwd: Cwd::EmptyDir,
    expect: Expect::Anything,
};
/// `column -t` of 1 MiB of 5-12 word lines (a table of 12 columns, about 2 MiB of output).
pub(crate) const COLUMN: ExecCase = tools(&["column", "-t", "sort1m.txt"], Expect::Anything);
/// `node --test` over three test files (10 tests; each file in its own child `node`).
pub(crate) const NODE_TEST: ExecCase = tools(&["node", "--test", "nodetest"], Expect::Anything);
/// npm running a package script (`echo hi`) in a shell of its own.
pub(crate) const NPM_RUN: ExecCase =
    tools(&["npm", "run", "--silent", "hi"], Expect::Exactly(b"hi\n"));
/// `envsubst` over 1 MiB of word lines (two words in twenty are references), its stdin
/// redirected by a shell.
/// fd over the fixture directory: its ~280 `.txt` files (dir200/'s, tree5m/'s, a few more).
pub(crate) const FD_E_TXT: ExecCase = tools(&["fd", "-e", "txt"], Expect::Anything);
pub(crate) const ENVSUBST: ExecCase =
    tools(&["sh", "-c", "envsubst < env1m.txt"], Expect::Anything);
/// A hex dump of 1 MiB (about 4.2 MiB of output).
pub(crate) const XXD: ExecCase = tools(&["xxd", "sort1m.txt"], Expect::Anything);
pub(crate) const HEXDUMP_1M: ExecCase = tools(&["hexdump", "-C", "sort1m.txt"], Expect::Anything);
pub(crate) const STRINGS_10M: ExecCase = tools(&["strings", "blob10m.bin"], Expect::Anything);
pub(crate) const REV_1M: ExecCase = tools(&["rev", "sort1m.txt"], Expect::Anything);
pub(crate) const ICONV_1M: ExecCase = tools(
    &["iconv", "-f", "utf-8", "-t", "utf-16", "sort1m.txt"],
    Expect::Anything,
);
/// 1 MiB compressed to stdout: xz at its fastest preset, bzip2 at its default block size.
pub(crate) const XZ_1M: ExecCase = tools(&["xz", "-1", "-c", "sort1m.txt"], Expect::Anything);
pub(crate) const BZIP2_1M: ExecCase = tools(&["bzip2", "-c", "sort1m.txt"], Expect::Anything);
/// libmagic's rules over 1 MiB of JSON (its JSON check reads it all).
pub(crate) const FILE_JSON: ExecCase = tools(
    &["file", "-b", "json1m.json"],
    Expect::Exactly(b"JSON text data\n"),
);
/// Every file of the tree gets a stat and a chmod (the bits stay what they were).
pub(crate) const CHMOD_R: ExecCase = tools(&["chmod", "-R", "a+r", "tree5m"], Expect::Exactly(b""));
pub(crate) const SQLITE_SUM: ExecCase = tools(
    &[
        "sqlite3",
        ":memory:",
        "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 100000) \
         SELECT sum(x) FROM c",
    ],
    Expect::Exactly(b"5000050000\n"),
);
pub(crate) const FIRST_LS: ExecCase = ExecCase {
    argv: &["ls"],
    cwd: Cwd::EmptyDir,
    expect: Expect::Exactly(b""),
};

/// Hashes 1 MiB of `a` bytes with SHA-256 and prints the hex digest (the bytes come from a native
/// `fill`, so the row is the exec plus the hash, not a JS loop).
pub const SHA256_1M: &str = "console.log(require('crypto').createHash('sha256')\
     .update(new Uint8Array(1 << 20).fill(97)).digest('hex'))";
/// Imports a P-256 key from its JWK, signs 1 KiB with ECDSA-SHA256 and verifies the signature
/// with the public half; prints `true` (asymmetric crypto through `agentos-keys`, exec included).
pub const P256_SIGN: &str = "const c = require('crypto');\
     const k = c.createPrivateKey({ key: {kty:\"EC\",crv:\"P-256\",x:\"OzJX3hjsEBMUY7wdZekzCmgbeWT-KUEBVVoEl4-aKpw\",y:\"f6ztA1-ykO2ma5TuQlyWAH7ANrvFXl-u_jJ_kkACRww\",d:\"HkY9Lye1FDivWR-4r8JdW_2fnethDsiePWyT0hCsy80\"}, format: 'jwk' });\
     const d = new Uint8Array(1024).fill(97); const s = c.sign('sha256', d, k);\
     console.log(c.verify('sha256', d, c.createPublicKey(k), s))";
/// What `SHA256_1M` prints.
pub(crate) const SHA256_1M_HEX: &[u8] =
    b"9bc1b2a288b26af7257a36277ae3816a7d4f16e89c1e7e77d0a5c48bad62b360\n";
const fn python(argv: &'static [&'static str], expect: Expect) -> ExecCase {
    ExecCase {
        argv,
        cwd: Cwd::Python,
        expect,
    }
}

pub(crate) const PY_PASS: ExecCase = python(&["python3", "-c", "pass"], Expect::Exactly(b""));
pub(crate) const PY_JSON: ExecCase = python(
    &["python3", "-c", "import json; print(json.dumps([1]))"],
    Expect::Exactly(b"[1]\n"),
);
/// Python starting one child and reading its output (`subprocess`, python/lib).
pub(crate) const PY_SUBPROCESS: ExecCase = python(
    &[
        "python3",
        "-c",
        "import subprocess; print(subprocess.run(['echo', 'x'], capture_output=True).stdout)",
    ],
    Expect::Exactly(b"b'x\\n'\n"),
);
pub(crate) const PY_NUMPY: ExecCase = python(
    &[
        "python3",
        "-c",
        "import numpy; print(numpy.arange(10).sum())",
    ],
    Expect::Exactly(b"45\n"),
);
pub(crate) const PY_PANDAS: ExecCase =
    python(&["python3", "-c", "import pandas"], Expect::Exactly(b""));
/// A Python exec that stays alive until its stdin closes (for `ExecRss`).
pub(crate) const PY_WAITING: ExecCase = python(
    &[
        "python3",
        "-c",
        "import sys; print('up', flush=True); sys.stdin.read()",
    ],
    Expect::Exactly(b"up\n"),
);

/// A script timed per iteration inside one process, the same in a guest (`node -e`) and under
/// the host's Node: its last two arguments are the warm-up and run counts, and it prints a JSON
/// array of milliseconds, one per measured iteration.
#[derive(Debug, PartialEq, Eq)]
pub struct LoopCase {
    /// The script.
    pub script: &'static str,
    /// What one iteration does (the report's note).
    pub what: &'static str,
}

/// Web Crypto Ed25519: sign 1 KiB and verify it, with keys imported once (RFC 8032's first
/// test key).
pub const WEBCRYPTO_ED25519: LoopCase = LoopCase {
    script: r#"'use strict';
const [warmup, runs] = process.argv.slice(-2).map(Number);
const { subtle } = globalThis.crypto;
const x = '11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo';
const d = 'nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A';
(async () => {
  const priv = await subtle.importKey('jwk', { kty: 'OKP', crv: 'Ed25519', x, d }, 'Ed25519', false, ['sign']);
  const pub = await subtle.importKey('jwk', { kty: 'OKP', crv: 'Ed25519', x }, 'Ed25519', false, ['verify']);
  const data = new Uint8Array(1024).fill(97);
  const times = [];
  for (let i = 0; i < warmup + runs; i++) {
    const start = performance.now();
    const sig = await subtle.sign('Ed25519', priv, data);
    if (!(await subtle.verify('Ed25519', pub, sig, data))) throw new Error('did not verify');
    if (i >= warmup) times.push(performance.now() - start);
  }
  process.stdout.write(JSON.stringify(times));
})();
"#,
    what: "per iteration: crypto.subtle Ed25519 sign + verify of 1 KiB",
};

/// Web Crypto AES-256-GCM: encrypt 64 KiB and decrypt it, with the key imported once.
pub const WEBCRYPTO_AES_GCM: LoopCase = LoopCase {
    script: r#"'use strict';
const [warmup, runs] = process.argv.slice(-2).map(Number);
const { subtle } = globalThis.crypto;
(async () => {
  const key = await subtle.importKey('raw', new Uint8Array(32).fill(7), 'AES-GCM', false, ['encrypt', 'decrypt']);
  const data = new Uint8Array(64 << 10).fill(97);
  const iv = new Uint8Array(12).fill(1);
  const times = [];
  for (let i = 0; i < warmup + runs; i++) {
    const start = performance.now();
    const sealed = await subtle.encrypt({ name: 'AES-GCM', iv }, key, data);
    const opened = await subtle.decrypt({ name: 'AES-GCM', iv }, key, sealed);
    if (opened.byteLength !== data.byteLength) throw new Error('did not round-trip');
    if (i >= warmup) times.push(performance.now() - start);
  }
  process.stdout.write(JSON.stringify(times));
})();
"#,
    what: "per iteration: crypto.subtle AES-256-GCM encrypt + decrypt of 64 KiB",
};

/// Classic Diffie-Hellman on RFC 3526's 2048-bit group: a fresh key pair and the secret with a
/// peer whose key was made once (two modular exponentiations).
pub const DH_MODP14: LoopCase = LoopCase {
    script: r#"'use strict';
const [warmup, runs] = process.argv.slice(-2).map(Number);
const crypto = require('crypto');
const peer = crypto.getDiffieHellman('modp14');
const peerKey = peer.generateKeys();
const times = [];
for (let i = 0; i < warmup + runs; i++) {
  const start = performance.now();
  const dh = crypto.getDiffieHellman('modp14');
  dh.generateKeys();
  if (dh.computeSecret(peerKey).length !== 256) throw new Error('short secret');
  if (i >= warmup) times.push(performance.now() - start);
}
process.stdout.write(JSON.stringify(times));
"#,
    what: "per iteration: getDiffieHellman('modp14') key pair + computeSecret",
};

/// A signal a forked child handles: `child.kill('SIGUSR1')`, the child's listener answering over
/// its IPC channel, per iteration (one child for the whole loop, which says when it listens).
pub const SIGNAL_CHILD: LoopCase = LoopCase {
    script: r#"'use strict';
const [warmup, runs] = process.argv.slice(-2).map(Number);
const { fork } = require('child_process');
const fs = require('fs');
const path = require('path');
const dir = fs.mkdtempSync(path.join(require('os').tmpdir(), 'sig-'));
const file = path.join(dir, 'child.js');
fs.writeFileSync(
  file,
  // Its 'message' listener keeps the channel, and so the child, alive until the parent
  // disconnects.
  "let n = 0;\nprocess.on('SIGUSR1', () => process.send(n++));\n" +
    "process.on('message', () => {});\nprocess.send('ready');\n",
);
const child = fork(file);
const times = [];
let i = 0;
let start = 0;
const next = () => {
  start = performance.now();
  child.kill('SIGUSR1');
};
child.on('message', (m) => {
  if (m === 'ready') return next();
  if (m !== i) throw new Error(`signal ${m}, expected ${i}`);
  if (i >= warmup) times.push(performance.now() - start);
  if (++i < warmup + runs) return next();
  child.disconnect();
  child.on('exit', () => {
    fs.rmSync(dir, { recursive: true });
    process.stdout.write(JSON.stringify(times));
  });
});
"#,
    what: "per iteration: SIGUSR1 to a forked child and its listener's IPC answer",
};

/// child_process.fork: one JSON message to a forked child that echoes it back, per iteration
/// (the child's file written to the temporary directory first; one child for the whole loop).
pub const FORK_IPC_ECHO: LoopCase = LoopCase {
    script: r#"'use strict';
const [warmup, runs] = process.argv.slice(-2).map(Number);
const { fork } = require('child_process');
const fs = require('fs');
const path = require('path');
const dir = fs.mkdtempSync(path.join(require('os').tmpdir(), 'ipc-'));
const file = path.join(dir, 'echo.js');
fs.writeFileSync(file, "process.on('message', (m) => process.send(m));\n");
const child = fork(file);
const times = [];
let i = 0;
let start = 0;
const next = () => {
  start = performance.now();
  child.send({ i, text: 'ping' });
};
child.on('message', (m) => {
  if (m.i !== i) throw new Error(`message ${m.i}, expected ${i}`);
  if (i >= warmup) times.push(performance.now() - start);
  if (++i < warmup + runs) return next();
  child.disconnect();
  child.on('exit', () => {
    fs.rmSync(dir, { recursive: true });
    process.stdout.write(JSON.stringify(times));
  });
});
next();
"#,
    what: "per iteration: a JSON message to a forked child and its echo back",
};
