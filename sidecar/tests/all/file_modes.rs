//! Permission bits (`agentos_v3.path_chmod`, Node's `fs.chmod`): `chmod +x` makes a script
//! runnable by its path, every tool shows the same bits, and no guest can set set-id bits or
//! change a file outside its mounts.

use std::os::unix::fs::{PermissionsExt, symlink};

use agentos_sdk::ExecSpec;

use crate::support::{beside_a_victim, node, run, scratch, sidecar, stderr, stdout};

fn mode(path: &std::path::Path) -> u32 {
    std::fs::metadata(path).unwrap().permissions().mode() & 0o7777
}

fn sh_in(dir: &std::path::Path, script: &str) -> ExecSpec {
    ExecSpec::new(["sh", "-c", script])
        .dir(dir.to_str().unwrap(), "/w")
        .cwd("/w")
}

#[tokio::test(flavor = "multi_thread")]
async fn chmod_x_makes_a_script_runnable_by_its_path() {
    let sc = sidecar().await;
    let dir = scratch("modes-script");
    let script = "printf '#!/bin/sh\\necho ran \"$@\"\\n' > s.sh; ./s.sh; echo \"status $?\"; \
                  chmod +x s.sh && ./s.sh a b; chmod -x s.sh; ./s.sh; echo \"status $?\"";
    let out = run(&sc, sh_in(&dir, script)).await;
    assert_eq!(
        stdout(&out),
        "status 126\nran a b\nstatus 126\n",
        "{}",
        stderr(&out)
    );
    assert_eq!(
        stderr(&out).matches("Permission denied").count(),
        2,
        "{}",
        stderr(&out)
    );
    assert_eq!(mode(&dir.join("s.sh")), 0o644);
}

#[tokio::test(flavor = "multi_thread")]
async fn chmod_bits_and_the_sandbox_owner_show_in_ls_stat_test_and_node() {
    let sc = sidecar().await;
    let dir = scratch("modes-show");
    let script = "echo x > f; chmod 750 f; ls -l f | cut -d' ' -f1,3,4; stat -c '%a %A %U %G' f; \
                  test -x f && echo executable; \
                  node -e 'console.log(require(\"fs\").statSync(\"f\").mode.toString(8))'";
    let out = run(&sc, sh_in(&dir, script)).await;
    assert_eq!(
        stdout(&out),
        "-rwxr-x--- root root\n750 -rwxr-x--- root root\nexecutable\n100750\n",
        "{}",
        stderr(&out)
    );
    assert_eq!(mode(&dir.join("f")), 0o750);
}

#[tokio::test(flavor = "multi_thread")]
async fn node_fs_chmod_sets_the_host_files_bits() {
    let sc = sidecar().await;
    let dir = scratch("modes-node");
    std::fs::write(dir.join("f"), "x").unwrap();
    let code = "const fs = require('fs'); fs.chmodSync('/w/f', 0o600); \
                const fd = fs.openSync('/w/f', 'r'); fs.fchmodSync(fd, '640'); \
                fs.promises.chmod('/w/f', 0o604).then(() => console.log('done'))";
    let out = run(&sc, node(code).dir(dir.to_str().unwrap(), "/w")).await;
    assert_eq!(stdout(&out), "done\n", "{}", stderr(&out));
    assert_eq!(mode(&dir.join("f")), 0o604);
}

#[tokio::test(flavor = "multi_thread")]
async fn node_access_x_ok_follows_the_execute_bits_as_for_root() {
    let sc = sidecar().await;
    let dir = scratch("modes-access");
    std::fs::write(dir.join("plain"), "x").unwrap();
    std::fs::write(dir.join("tool"), "x").unwrap();
    std::fs::set_permissions(dir.join("tool"), std::fs::Permissions::from_mode(0o701)).unwrap();
    std::fs::create_dir(dir.join("d")).unwrap();
    std::fs::set_permissions(dir.join("d"), std::fs::Permissions::from_mode(0o600)).unwrap();
    let code = "const fs = require('fs'); \
                for (const f of ['plain', 'tool', 'd']) { \
                  try { fs.accessSync('/w/' + f, fs.constants.X_OK); console.log(f, 'ok') } \
                  catch (e) { console.log(f, e.code) } } \
                fs.accessSync('/w/plain', fs.constants.R_OK | fs.constants.W_OK);";
    let out = run(&sc, node(code).dir(dir.to_str().unwrap(), "/w")).await;
    assert_eq!(
        stdout(&out),
        "plain EACCES\ntool ok\nd ok\n",
        "{}",
        stderr(&out)
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_hostile_chmod_sets_no_set_id_bit_and_changes_nothing_outside_its_mount() {
    let sc = sidecar().await;
    let dir = scratch("modes-hostile");
    let outside = scratch("modes-outside").join("secret");
    std::fs::write(&outside, "s").unwrap();
    std::fs::set_permissions(&outside, std::fs::Permissions::from_mode(0o600)).unwrap();
    symlink(&outside, dir.join("out")).unwrap();
    std::fs::write(dir.join("f"), "x").unwrap();
    let script = "chmod 4755 f; chmod u+s,g+s,+t f; chmod 777 out; chmod 600 /dev/null; \
                  node -e 'try { require(\"fs\").chmodSync(\"/w/out\", 0o777) } \
                           catch (e) { console.log(e.code) }'";
    let out = beside_a_victim(&sc, sh_in(&dir, script)).await;
    let err = stderr(&out);
    assert_eq!(err.matches("Operation not permitted").count(), 2, "{err}");
    assert!(err.contains("chmod: cannot access 'out'"), "{err}");
    assert!(
        err.contains("chmod: changing permissions of '/dev/null'"),
        "{err}"
    );
    assert_eq!(stdout(&out), "EACCES\n", "{err}");
    assert_eq!(mode(&dir.join("f")), 0o644);
    assert_eq!(mode(&outside), 0o600);
}
