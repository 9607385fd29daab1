//! The catalog: every scenario by its stable name, what it runs, its peer, and whether the CI
//! gate measures it (the kinds of scenario are in `scenario.rs`, the commands in `cases.rs`).

use crate::cases::*;
use crate::scenario::{Kind, Mode, NATIVE_PEER, NODE_PEER, Pace, Scenario};

mod python;
mod shell;

const fn warm(argv: &'static [&'static str], cwd: Cwd, expect: Expect) -> Kind {
    Kind::Warm(ExecCase { argv, cwd, expect }, Pace::Settled)
}

const fn back_to_back(argv: &'static [&'static str], expect: Expect) -> Kind {
    Kind::Warm(
        ExecCase {
            argv,
            cwd: Cwd::Default,
            expect,
        },
        Pace::BackToBack,
    )
}

pub(super) const fn row(
    name: &'static str,
    kind: Kind,
    peer: Option<&'static str>,
    gated: bool,
) -> Scenario {
    Scenario {
        name,
        kind,
        peer,
        gated,
    }
}

const NODE: Option<&str> = Some(NODE_PEER);
const NATIVE: Option<&str> = Some(NATIVE_PEER);
const WASI: Option<&str> = Some("node_wasi_true");

/// Every scenario, in report order. Peers come first: they are measured first, too.
/// Every scenario but the Python ones (`python.rs`).
const MAIN: &[Scenario] = &[
    row(NATIVE_PEER, Kind::NativeTrue, None, true),
    row(NODE_PEER, Kind::NodeSpawn, None, true),
    row("node_wasi_true", Kind::NodeWasiTrue, None, false),
    row("node_sha256_1m", Kind::NodeSha256, None, false),
    row("node_p256_sign", Kind::NodeP256Sign, None, false),
    row(
        "node_fetch_1k",
        Kind::NodeFetch { bytes: 1024 },
        None,
        false,
    ),
    row(
        "node_fetch_10m",
        Kind::NodeFetch { bytes: 10 << 20 },
        None,
        false,
    ),
    row("node_spawn_sync_true", Kind::NodeSpawnSync, None, false),
    row(
        "node_webcrypto_ed25519",
        Kind::NodeLoop(&WEBCRYPTO_ED25519),
        None,
        false,
    ),
    row(
        "node_webcrypto_aes_gcm_64k",
        Kind::NodeLoop(&WEBCRYPTO_AES_GCM),
        None,
        false,
    ),
    row("node_dh_modp14", Kind::NodeLoop(&DH_MODP14), None, false),
    row(
        "node_fork_ipc_echo",
        Kind::NodeLoop(&FORK_IPC_ECHO),
        None,
        false,
    ),
    row(
        "node_signal_child",
        Kind::NodeLoop(&SIGNAL_CHILD),
        None,
        false,
    ),
    row("native_ls_la_200", Kind::NativeTool(LS_LA), None, true),
    row("native_grep_rn_5m", Kind::NativeTool(GREP_RN), None, true),
    row("native_sort_1m", Kind::NativeTool(SORT), None, true),
    row("native_jq_1m", Kind::NativeTool(JQ), None, true),
    row("native_du_sh_5m", Kind::NativeTool(DU_SH), None, false),
    row("native_chmod_r_5m", Kind::NativeTool(CHMOD_R), None, false),
    row(
        "native_file_json_1m",
        Kind::NativeTool(FILE_JSON),
        None,
        false,
    ),
    row("native_xxd_1m", Kind::NativeTool(XXD), None, false),
    row(
        "native_hexdump_1m",
        Kind::NativeTool(HEXDUMP_1M),
        None,
        false,
    ),
    row(
        "native_strings_10m",
        Kind::NativeTool(STRINGS_10M),
        None,
        false,
    ),
    row("native_rev_1m", Kind::NativeTool(REV_1M), None, false),
    row("native_iconv_1m", Kind::NativeTool(ICONV_1M), None, false),
    row("native_xz_1m", Kind::NativeTool(XZ_1M), None, false),
    row("native_bzip2_1m", Kind::NativeTool(BZIP2_1M), None, false),
    row("native_column_1m", Kind::NativeTool(COLUMN), None, false),
    row(
        "native_envsubst_1m",
        Kind::NativeTool(ENVSUBST),
        None,
        false,
    ),
    row("native_fd_e_txt", Kind::NativeTool(FD_E_TXT), None, false),
    row(
        "native_node_test_3",
        Kind::NativeTool(NODE_TEST),
        None,
        false,
    ),
    row("native_npm_run", Kind::NativeTool(NPM_RUN), None, false),
    row("native_patch_1m", Kind::NativeTool(PATCH), None, false),
    row("native_unzip_5m", Kind::NativeTool(UNZIP), None, false),
    row("native_zip_5m", Kind::NativeTool(ZIP), None, false),
    row("native_curl_1k", Kind::NativeHttpTool(CURL_1K), None, false),
    row("native_wget_1k", Kind::NativeHttpTool(WGET_1K), None, false),
    row(
        "native_sqlite_sum_100k",
        Kind::NativeTool(SQLITE_SUM),
        None,
        false,
    ),
    row(
        "native_sha256sum_10m",
        Kind::NativeTool(SHA256SUM),
        None,
        true,
    ),
    row(
        "native_zstd_1m",
        Kind::NativeTool(NATIVE_ZSTD_1M),
        None,
        false,
    ),
    row(
        "native_worker_echo",
        Kind::NativeTool(WORKER_ECHO),
        None,
        false,
    ),
    row(
        "native_unix_socket_echo",
        Kind::NativeTool(UNIX_SOCKET_ECHO),
        None,
        false,
    ),
    row(
        "node_e_empty",
        warm(&["node", "-e", ""], Cwd::Default, Expect::Exactly(b"")),
        NODE,
        true,
    ),
    row(
        "node_e_log",
        warm(
            &["node", "-e", "console.log(1)"],
            Cwd::Default,
            Expect::Exactly(b"1\n"),
        ),
        NODE,
        true,
    ),
    row(
        "wasm_true",
        warm(&["true"], Cwd::Default, Expect::Exactly(b"")),
        WASI,
        true,
    ),
    row(
        "echo_hello",
        warm(
            &["echo", "hello"],
            Cwd::Default,
            Expect::Exactly(b"hello\n"),
        ),
        NATIVE,
        true,
    ),
    row(
        "pwd",
        warm(&["pwd"], Cwd::Default, Expect::Anything),
        NATIVE,
        true,
    ),
    row(
        "ls_empty",
        warm(&["ls"], Cwd::EmptyDir, Expect::Exactly(b"")),
        NATIVE,
        true,
    ),
    row(
        "large_command",
        warm(&["large", "-q"], Cwd::Default, Expect::Exactly(b"ok\n")),
        NATIVE,
        false,
    ),
    row(
        "printf_64k",
        warm(
            &["printf", "%065536d", "0"],
            Cwd::Default,
            Expect::Len(65536),
        ),
        NATIVE,
        true,
    ),
    row(
        "require_100_small",
        warm(
            &["node", "index.js"],
            Cwd::RequireDir,
            Expect::Exactly(b"4950\n"),
        ),
        NODE,
        true,
    ),
    // A lazy builtin's first require in an exec (compiled from the per-process code cache): the
    // goal is on its cost over `node_e_empty` (goals.rs).
    row(
        "require_crypto",
        warm(
            &["node", "-e", "require('crypto')"],
            Cwd::Default,
            Expect::Exactly(b""),
        ),
        NODE,
        false,
    ),
    row(
        "require_zlib",
        warm(
            &["node", "-e", "require('zlib')"],
            Cwd::Default,
            Expect::Exactly(b""),
        ),
        NODE,
        false,
    ),
    // A whole exec that hashes 1 MiB (beside the host Node's in-process hash of the same bytes).
    row(
        "sha256_1m",
        warm(
            &["node", "-e", SHA256_1M],
            Cwd::Default,
            Expect::Exactly(SHA256_1M_HEX),
        ),
        Some("node_sha256_1m"),
        false,
    ),
    // A whole exec that imports a P-256 key and signs and verifies 1 KiB (beside the host Node
    // doing the same in-process).
    row(
        "p256_sign_verify",
        warm(
            &["node", "-e", P256_SIGN],
            Cwd::Default,
            Expect::Exactly(b"true\n"),
        ),
        Some("node_p256_sign"),
        false,
    ),
    // fetch of 1 KiB and of 10 MiB from a loopback server, timed per fetch inside one exec,
    // against the host's Node doing the same loop (issue 17's goal: within 1.5x of Node's p50).
    row(
        "fetch_1k",
        Kind::Fetch { bytes: 1024 },
        Some("node_fetch_1k"),
        false,
    ),
    row(
        "fetch_10m",
        Kind::Fetch { bytes: 10 << 20 },
        Some("node_fetch_10m"),
        false,
    ),
    // `curl -s` of 1 KiB from a loopback server, a warm exec each, against the host's curl
    // spawned each time. Not gated, like fetch_1k.
    row(
        "curl_1k",
        Kind::HttpTool(CURL_1K),
        Some("native_curl_1k"),
        false,
    ),
    row(
        "wget_1k",
        Kind::HttpTool(WGET_1K),
        Some("native_wget_1k"),
        false,
    ),
    // child_process.spawnSync('true') timed per call inside one exec, against the host's Node
    // doing the same loop (its child a native fork + exec). Not gated, like fetch_1k.
    row(
        "spawn_sync_true",
        Kind::SpawnSync,
        Some("node_spawn_sync_true"),
        false,
    ),
    // Web Crypto inside one exec, timed per iteration, against the host's Node running the
    // same script. Not gated.
    row(
        "webcrypto_ed25519",
        Kind::Loop(&WEBCRYPTO_ED25519),
        Some("node_webcrypto_ed25519"),
        false,
    ),
    row(
        "webcrypto_aes_gcm_64k",
        Kind::Loop(&WEBCRYPTO_AES_GCM),
        Some("node_webcrypto_aes_gcm_64k"),
        false,
    ),
    row(
        "dh_modp14",
        Kind::Loop(&DH_MODP14),
        Some("node_dh_modp14"),
        false,
    ),
    // A forked child's IPC round trip inside one exec, against the host's Node forking a real
    // process. Not gated.
    row(
        "fork_ipc_echo",
        Kind::Loop(&FORK_IPC_ECHO),
        Some("node_fork_ipc_echo"),
        false,
    ),
    // A signal a forked child listens for, inside one exec, against the host's Node signalling a
    // real process. Not gated.
    row(
        "signal_child",
        Kind::Loop(&SIGNAL_CHILD),
        Some("node_signal_child"),
        false,
    ),
    // A small TypeScript main (its types stripped as the file loads), and the same program
    // without types to read it against (not a peer: both run in the sidecar). Not gated.
    row(
        "js_main",
        warm(&["node", "typed.js"], Cwd::Tools, Expect::Exactly(b"")),
        None,
        false,
    ),
    row(
        "ts_main",
        warm(&["node", "typed.ts"], Cwd::Tools, Expect::Exactly(b"")),
        None,
        false,
    ),
    row(
        "import_node_fs",
        warm(
            &["node", "-e", "import('node:fs')"],
            Cwd::Default,
            Expect::Exactly(b""),
        ),
        NODE,
        false,
    ),
    // `require('stream')` (a lazy builtin: compiled from the per-process code cache on first
    // require); judged against node_e_empty (goal: at most 0.3 ms more).
    row(
        "require_stream",
        warm(
            &["node", "-e", "require('stream')"],
            Cwd::Default,
            Expect::Exactly(b""),
        ),
        NODE,
        false,
    ),
    row(
        "node_e_empty_back_to_back",
        back_to_back(&["node", "-e", ""], Expect::Exactly(b"")),
        NODE,
        false,
    ),
    row(
        "wasm_true_back_to_back",
        back_to_back(&["true"], Expect::Exactly(b"")),
        WASI,
        false,
    ),
    row(
        "cold_start_disk_snapshot",
        Kind::ColdStart {
            disk_snapshot: true,
        },
        NODE,
        true,
    ),
    row(
        "cold_start_no_snapshot",
        Kind::ColdStart {
            disk_snapshot: false,
        },
        NODE,
        false,
    ),
    row(
        "throughput_1",
        Kind::Throughput { clients: 1 },
        NATIVE,
        false,
    ),
    row(
        "throughput_4",
        Kind::Throughput { clients: 4 },
        NATIVE,
        false,
    ),
    row(
        "throughput_16",
        Kind::Throughput { clients: 16 },
        NATIVE,
        false,
    ),
    row("idle_rss_mib", Kind::IdleRss, None, false),
    row(
        "ls_la_200",
        Kind::Tool(LS_LA),
        Some("native_ls_la_200"),
        true,
    ),
    row(
        "grep_rn_5m",
        Kind::Tool(GREP_RN),
        Some("native_grep_rn_5m"),
        true,
    ),
    row("sort_1m", Kind::Tool(SORT), Some("native_sort_1m"), true),
    row("jq_1m", Kind::Tool(JQ), Some("native_jq_1m"), true),
    row(
        "sha256sum_10m",
        Kind::Tool(SHA256SUM),
        Some("native_sha256sum_10m"),
        true,
    ),
    row(
        "zstd_1m",
        Kind::Tool(ZSTD_1M),
        Some("native_zstd_1m"),
        false,
    ),
    row(
        "worker_echo",
        Kind::Tool(WORKER_ECHO),
        Some("native_worker_echo"),
        false,
    ),
    row(
        "unix_socket_echo",
        Kind::Tool(UNIX_SOCKET_ECHO),
        Some("native_unix_socket_echo"),
        false,
    ),
    row(
        "du_sh_5m",
        Kind::Tool(DU_SH),
        Some("native_du_sh_5m"),
        false,
    ),
    row(
        "chmod_r_5m",
        Kind::Tool(CHMOD_R),
        Some("native_chmod_r_5m"),
        false,
    ),
    row(
        "file_json_1m",
        Kind::Tool(FILE_JSON),
        Some("native_file_json_1m"),
        false,
    ),
    row("xxd_1m", Kind::Tool(XXD), Some("native_xxd_1m"), false),
    row(
        "hexdump_1m",
        Kind::Tool(HEXDUMP_1M),
        Some("native_hexdump_1m"),
        false,
    ),
    row(
        "strings_10m",
        Kind::Tool(STRINGS_10M),
        Some("native_strings_10m"),
        false,
    ),
    row("rev_1m", Kind::Tool(REV_1M), Some("native_rev_1m"), false),
    row(
        "iconv_1m",
        Kind::Tool(ICONV_1M),
        Some("native_iconv_1m"),
        false,
    ),
    row("xz_1m", Kind::Tool(XZ_1M), Some("native_xz_1m"), false),
    row(
        "bzip2_1m",
        Kind::Tool(BZIP2_1M),
        Some("native_bzip2_1m"),
        false,
    ),
    row(
        "column_1m",
        Kind::Tool(COLUMN),
        Some("native_column_1m"),
        false,
    ),
    row(
        "envsubst_1m",
        Kind::Tool(ENVSUBST),
        Some("native_envsubst_1m"),
        false,
    ),
    row(
        "fd_e_txt",
        Kind::Tool(FD_E_TXT),
        Some("native_fd_e_txt"),
        false,
    ),
    row(
        "node_test_3",
        Kind::Tool(NODE_TEST),
        Some("native_node_test_3"),
        false,
    ),
    row(
        "npm_run",
        Kind::Tool(NPM_RUN),
        Some("native_npm_run"),
        false,
    ),
    row(
        "patch_1m",
        Kind::Tool(PATCH),
        Some("native_patch_1m"),
        false,
    ),
    row(
        "unzip_5m",
        Kind::Tool(UNZIP),
        Some("native_unzip_5m"),
        false,
    ),
    row("zip_5m", Kind::Tool(ZIP), Some("native_zip_5m"), false),
    row(
        "sqlite_sum_100k",
        Kind::Tool(SQLITE_SUM),
        Some("native_sqlite_sum_100k"),
        false,
    ),
    row(
        "first_ls_after_restart",
        Kind::FirstExec(FIRST_LS),
        NATIVE,
        true,
    ),
];

/// Every scenario, in the order they run (a row's peer before it).
fn all() -> impl Iterator<Item = &'static Scenario> {
    MAIN.iter().chain(shell::SHELL).chain(python::PYTHON)
}

/// The scenarios a mode runs.
pub fn selected(mode: Mode) -> Vec<Scenario> {
    all()
        .filter(|s| mode != Mode::Gate || s.gated)
        .copied()
        .collect()
}

/// The scenario called `name`.
#[cfg(test)]
pub fn by_name(name: &str) -> Option<Scenario> {
    all().find(|s| s.name == name).copied()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_and_peers_exist() {
        let every: Vec<&Scenario> = all().collect();
        for (i, s) in every.iter().enumerate() {
            assert!(
                every[..i].iter().all(|t| t.name != s.name),
                "{} twice",
                s.name
            );
            if let Some(peer) = s.peer {
                assert!(by_name(peer).is_some_and(|p| p.kind.is_peer()), "{peer}");
            }
        }
        assert!(selected(Mode::Gate).iter().any(|s| s.name == NATIVE_PEER));
    }
}
