//! The npm matrix: one smoke script per package (`sidecar/tests/npm/NAME.js` or `.mjs`), each
//! using its package and printing one known line, named in its header:
//!
//! ```js
//! // package: lodash
//! // expect: 1,2|3,4 fooBar
//! ```
//!
//! In the guest the script directory (with its `package.json`) is mounted read-only at `/app`
//! (the cwd), the installed `node_modules` read-only at `/app/node_modules`, and a fresh scratch
//! directory at `/tmp`. The same scripts run under the host's Node first, in a copy of that
//! layout, so a wrong script or expected line is caught before the sidecar is blamed.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use agentos_sdk::ExecSpec;
use anyhow::{Context, bail};
use tokio::sync::Semaphore;

/// Where the script directory is mounted in the guest.
pub const GUEST_APP: &str = "/app";

/// One smoke script.
#[derive(Debug, Clone)]
pub struct Smoke {
    /// The file name (`lodash.js`): the name in the list.
    pub file: String,
    /// The packages it exercises.
    pub packages: Vec<String>,
    /// The one line it prints when all is well.
    pub expect: String,
}

/// The smoke scripts of `dir`, sorted, those matching a filter (substring) when there are any.
///
/// # Errors
/// Unreadable files, or a script without `// package:` and `// expect:` lines.
pub fn collect(dir: &Path, filters: &[String]) -> anyhow::Result<Vec<Smoke>> {
    let mut smokes = Vec::new();
    for entry in std::fs::read_dir(dir).with_context(|| format!("reading {}", dir.display()))? {
        let path = entry?.path();
        let file = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let script = [".js", ".mjs", ".cjs"].iter().any(|e| file.ends_with(e));
        if !script || !filters.is_empty() && !filters.iter().any(|f| file.contains(f.as_str())) {
            continue;
        }
        let text = std::fs::read_to_string(&path)?;
        smokes.push(parse(&file, &text)?);
    }
    smokes.sort_by(|a, b| a.file.cmp(&b.file));
    Ok(smokes)
}

fn parse(file: &str, text: &str) -> anyhow::Result<Smoke> {
    let header = |key: &str| -> Vec<String> {
        let prefix = format!("// {key}:");
        text.lines()
            .filter_map(|l| l.strip_prefix(&prefix))
            .map(|v| v.trim().to_string())
            .collect()
    };
    let packages: Vec<String> = header("package")
        .iter()
        .flat_map(|v| v.split_whitespace().map(str::to_string).collect::<Vec<_>>())
        .collect();
    let expect = header("expect");
    match (packages.is_empty(), expect.as_slice()) {
        (false, [line]) => Ok(Smoke {
            file: file.to_string(),
            packages,
            expect: line.clone(),
        }),
        _ => bail!("{file}: needs `// package: NAME` and exactly one `// expect: LINE`"),
    }
}

/// The exec for one script.
pub fn spec(
    scripts: &Path,
    modules: &Path,
    smoke: &Smoke,
    scratch: &Path,
    limit: Duration,
) -> ExecSpec {
    ExecSpec::new(["node".to_string(), format!("{GUEST_APP}/{}", smoke.file)])
        .dir_ro(scripts.to_string_lossy(), GUEST_APP)
        .dir_ro(
            modules.to_string_lossy(),
            format!("{GUEST_APP}/node_modules"),
        )
        .dir(scratch.to_string_lossy(), "/tmp")
        .cwd(GUEST_APP)
        .env("HOME", "/tmp")
        .timeout_ms(u64::try_from(limit.as_millis()).unwrap_or(u64::MAX))
        .max_output_bytes(1 << 20)
}

/// The version of `package` installed in `modules`, if it is there.
pub fn installed_version(modules: &Path, package: &str) -> Option<String> {
    let text = std::fs::read_to_string(modules.join(package).join("package.json")).ok()?;
    let json: serde_json::Value = serde_json::from_str(&text).ok()?;
    json["version"].as_str().map(str::to_string)
}

/// Runs every script under the host's `node` in a scratch copy of the guest's layout; returns
/// the scripts whose output was not their expected line, with what they printed.
///
/// # Errors
/// When the scratch project cannot be made or `node` cannot be started.
pub async fn check_on_host(
    node: &Path,
    scripts: &Path,
    modules: &Path,
    smokes: &[Smoke],
    jobs: usize,
) -> anyhow::Result<Vec<(String, String)>> {
    let project = tempfile::Builder::new()
        .prefix("agentos-npm-host-")
        .tempdir()?;
    for entry in std::fs::read_dir(scripts)? {
        let path = entry?.path();
        if path.is_file()
            && let Some(name) = path.file_name()
        {
            std::fs::copy(&path, project.path().join(name))?;
        }
    }
    std::os::unix::fs::symlink(modules, project.path().join("node_modules"))?;
    let gate = Arc::new(Semaphore::new(jobs.max(1)));
    let mut handles = Vec::new();
    for smoke in smokes {
        let (gate, node, dir) = (
            gate.clone(),
            node.to_path_buf(),
            project.path().to_path_buf(),
        );
        let smoke = smoke.clone();
        handles.push(tokio::spawn(async move {
            let _permit = gate.acquire_owned().await;
            let printed = host_run(&node, &dir, &smoke.file).await;
            (smoke, printed)
        }));
    }
    let mut wrong = Vec::new();
    for handle in handles {
        let (smoke, printed) = handle.await?;
        match printed {
            Ok(line) if line == smoke.expect => {}
            Ok(line) => wrong.push((
                smoke.file,
                format!("printed {line:?}, want {:?}", smoke.expect),
            )),
            Err(e) => wrong.push((smoke.file, format!("{e:#}"))),
        }
    }
    Ok(wrong)
}

async fn host_run(node: &Path, dir: &PathBuf, file: &str) -> anyhow::Result<String> {
    let child = tokio::process::Command::new(node)
        .arg(file)
        .current_dir(dir)
        .env_clear()
        .env("HOME", dir)
        .kill_on_drop(true)
        .output();
    let out = tokio::time::timeout(Duration::from_secs(120), child)
        .await
        .context("no exit within 120 s")??;
    if !out.status.success() {
        let stderr = String::from_utf8_lossy(&out.stderr);
        bail!(
            "{}: {}",
            out.status,
            stderr.lines().take(3).collect::<Vec<_>>().join(" / ")
        );
    }
    Ok(String::from_utf8_lossy(&out.stdout)
        .trim_end_matches('\n')
        .to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_names_packages_and_the_line() {
        let smoke = parse(
            "react.js",
            "// package: react react-dom\n// expect: <p>hi</p>\nconsole.log(1);\n",
        )
        .unwrap();
        assert_eq!(smoke.packages, ["react", "react-dom"]);
        assert_eq!(smoke.expect, "<p>hi</p>");
    }

    #[test]
    fn header_is_required() {
        assert!(parse("a.js", "console.log(1)\n").is_err());
        assert!(parse("a.js", "// package: a\n").is_err());
        assert!(parse("a.js", "// package: a\n// expect: 1\n// expect: 2\n").is_err());
    }
}
