//! `/bin` and `/usr/bin` (`sandbox/src/commands.rs`): a guest finds the command set there as
//! on a real system (checked against the host's own `/usr/bin`), runs a command by that path
//! from the shell, Node and Python, and cannot change either directory; and `/etc`.

use agentos_sdk::{ErrorCode, ExecSpec};

use crate::support::{beside_a_victim, run, scratch, sidecar, stderr, stdout, typed};

/// The `$PATH` of both the guest and the host's shell.
const HOST_PATH: &str = "/usr/bin:/bin";

/// A shell exec with `dir` mounted at `/w` (the working directory).
fn sh_in(dir: &std::path::Path, script: &str) -> ExecSpec {
    ExecSpec::new(["sh", "-c", script])
        .dir(dir.to_string_lossy(), "/w")
        .cwd("/w")
        .env("PATH", HOST_PATH)
}

/// Which of a few everyday commands `test -x` finds in `/usr/bin` and `/bin`, and what is not
/// there.
const PROBE: &str = "\
for c in env sh bash ls cat grep sed awk find sort tar gzip; do
  test -x /usr/bin/$c && test -f /bin/$c && echo $c
done
test -d /bin && test -d /usr/bin && echo dirs
test -e /usr/bin/no-such-command || echo missing
command -v env";

#[tokio::test(flavor = "multi_thread")]
async fn bin_and_usr_bin_hold_the_commands_the_host_system_has() {
    let sc = sidecar().await;
    let dir = scratch("bin-probe");
    let host = std::process::Command::new("sh")
        .args(["-c", PROBE])
        .env("PATH", HOST_PATH)
        .output()
        .expect("host sh");
    let host = String::from_utf8_lossy(&host.stdout);
    let out = run(&sc, sh_in(&dir, PROBE)).await;
    assert_eq!(stdout(&out), host, "{out:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_command_runs_by_its_bin_path_from_the_shell_node_and_python() {
    let sc = sidecar().await;
    let dir = scratch("bin-run");
    std::fs::write(dir.join("f"), "").expect("fixture");
    let script = r#"
/usr/bin/env echo from-sh
node -e 'process.stdout.write(require("child_process").execFileSync("/bin/ls", ["/w"]))'
python3 -c 'import subprocess; subprocess.run(["/usr/bin/env", "echo", "from-python"])'"#;
    let out = run(&sc, sh_in(&dir, script)).await;
    assert_eq!(stdout(&out), "from-sh\nf\nfrom-python\n", "{out:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_command_file_is_read_only_executable_and_names_its_command() {
    let sc = sidecar().await;
    let dir = scratch("bin-read");
    let script = "cat /usr/bin/env; ls -l /bin/env | cut -c1-10";
    let out = run(&sc, sh_in(&dir, script)).await;
    assert_eq!(
        stdout(&out),
        "#!/usr/lib/agentos/command env\n-r-xr-xr-x\n",
        "{out:?}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_guest_cannot_change_the_command_set_or_forge_a_command_path() {
    let sc = sidecar().await;
    let dir = scratch("bin-hostile");
    // Each attempt prints its name and whether it failed; then the commands still run.
    let script = r#"
t() { name=$1; shift; if "$@" 2>/dev/null; then echo "$name ok"; else echo "$name failed"; fi; }
t touch touch /usr/bin/evil
t overwrite sh -c 'echo x > /bin/ls'
t remove rm -f /bin/ls
t rename mv /usr/bin/env /usr/bin/env2
t chmod chmod 777 /bin/sh
t symlink ln -s /w /bin/w
t node_write node -e 'require("fs").writeFileSync("/usr/bin/cat", "x")'
printf '#!/usr/lib/agentos/command ../../etc/passwd\n' > forged; chmod +x forged
./forged; echo "forged $?"
/bin/ls /usr/bin/env"#;
    let out = beside_a_victim(&sc, sh_in(&dir, script)).await;
    assert_eq!(
        stdout(&out),
        "\
touch failed
overwrite failed
remove failed
rename failed
chmod failed
symlink failed
node_write failed
forged 126
/usr/bin/env
",
        "{out:?}"
    );
    assert!(stderr(&out).contains("bad interpreter"), "{out:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn which_is_a_program_for_the_shell_node_and_python() {
    let sc = sidecar().await;
    let dir = scratch("bin-which");
    let script = r#"
node -e 'process.stdout.write(require("child_process").execFileSync("which", ["ls"]))'
python3 -c 'import subprocess; print(subprocess.run(["which", "-a", "env"], capture_output=True, text=True).stdout, end="")'
/usr/bin/which sh; type which"#;
    let out = run(&sc, sh_in(&dir, script)).await;
    let want = "/usr/bin/ls\n/usr/bin/env\n/bin/env\n/usr/bin/sh\nwhich is /usr/bin/which\n";
    assert_eq!(stdout(&out), want, "{out:?}");
    // No `PATH` at all: dash's default path, as `env -i which ls` on the host.
    let bare = ExecSpec::new(["which", "ls"]).dir(dir.to_string_lossy(), "/w");
    assert_eq!(stdout(&run(&sc, bare).await), "/usr/bin/ls\n");
}

#[tokio::test(flavor = "multi_thread")]
async fn which_along_a_million_entry_path_ends_at_the_time_limit() {
    let sc = sidecar().await;
    let dir = scratch("bin-which-path");
    let script = "P=:; for i in $(seq 20); do P=$P$P; done; PATH=$P which -a nosuch";
    let out = beside_a_victim(&sc, sh_in(&dir, script).timeout_ms(300)).await;
    assert_eq!(typed(&out.status).0, ErrorCode::Timeout, "{out:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn etc_says_what_the_sandbox_says_and_is_read_only() {
    let sc = sidecar().await;
    let dir = scratch("etc");
    let script = r#"
. /etc/os-release; echo "$ID"
[ "$(cat /etc/hostname)" = "$(hostname)" ] && echo hostname
grep "^$(whoami):x:$(id -u):" /etc/passwd | cut -d: -f6,7
node -e 'console.log(require("fs").readFileSync("/etc/hosts", "utf8").split("\n")[0])'
python3 -c 'import platform; print(platform.freedesktop_os_release()["NAME"])'
echo x >> /etc/passwd || echo refused"#;
    let out = beside_a_victim(&sc, sh_in(&dir, script)).await;
    let want = "agentos\nhostname\n/root:/bin/sh\n127.0.0.1\tlocalhost\nagentOS\nrefused\n";
    assert_eq!(stdout(&out), want, "{out:?}");
}
