//! Node 22's `fs.globSync`, `fs.glob`, `fs.promises.glob` and `path.matchesGlob`
//! (`runner-js/lib/internal__glob.js`): minimatch's rules without extglobs, over the mounts.

use agentos_sdk::ExecSpec;

use crate::support::{beside_a_victim, run, scratch, sidecar, stdout};

/// A project tree: sources, a dot directory and `node_modules`.
fn project() -> std::path::PathBuf {
    let dir = scratch("glob");
    for file in [
        "src/a.js",
        "src/a/b/c.js",
        "src/a/x.ts",
        ".h/h.js",
        "top.js",
        "node_modules/x/i.js",
    ] {
        let path = dir.join(file);
        std::fs::create_dir_all(path.parent().expect("a parent")).expect("mkdir");
        std::fs::write(path, "").expect("write");
    }
    dir
}

fn node_in(dir: &std::path::Path, code: &str) -> ExecSpec {
    ExecSpec::new(["node", "--input-type=module", "-e", code])
        .dir(dir.to_string_lossy(), "/p")
        .cwd("/p")
}

#[tokio::test]
async fn globs_match_as_minimatch_does_skipping_dot_names() {
    let sc = sidecar().await;
    let code = r#"import fs from 'node:fs';
const s = (a) => JSON.stringify([...a].sort());
console.log(s(fs.globSync('**/*.js')));
console.log(s(fs.globSync('src/a/**')));
console.log(s(fs.globSync('**/*.{js,ts}', { exclude: ['node_modules/**'] })));
console.log(s(fs.globSync('*.js', { cwd: 'src' })));
console.log(s(fs.globSync('src/a/*', { withFileTypes: true }).map((d) => `${d.name}:${d.isDirectory()}`)));
const it = []; for await (const f of fs.promises.glob('/p/src/*.js')) it.push(f); console.log(s(it));
fs.glob('top.*', (err, m) => console.log(err, s(m)));"#;
    let out = run(&sc, node_in(&project(), code)).await;
    let want = r#"["node_modules/x/i.js","src/a.js","src/a/b/c.js","top.js"]
["src/a","src/a/b","src/a/b/c.js","src/a/x.ts"]
["src/a.js","src/a/b/c.js","src/a/x.ts","top.js"]
["a.js"]
["b:true","x.ts:false"]
["/p/src/a.js"]
null ["top.js"]
"#;
    assert_eq!(stdout(&out), want, "{out:?}");
}

#[tokio::test]
async fn path_matches_glob_answers_without_touching_files() {
    let sc = sidecar().await;
    let code = "import path from 'node:path';
console.log(path.matchesGlob('a/b/c.js', 'a/**/*.js'), path.matchesGlob('a/.b/c.js', 'a/**/*.js'),
  path.matchesGlob('x.ts', '*.{js,ts}'), path.matchesGlob('.x', '*'), path.matchesGlob('a', 'a/**'));
try { path.matchesGlob(1, 'a'); } catch (e) { console.log(e.code); }";
    let out = run(&sc, node_in(&project(), code)).await;
    assert_eq!(
        stdout(&out),
        "true false true false true\nERR_INVALID_ARG_TYPE\n",
        "{out:?}"
    );
}

#[tokio::test]
async fn a_glob_over_everything_stays_in_the_sandbox_and_its_limits() {
    let sc = sidecar().await;
    let code = "import fs from 'node:fs';
const all = fs.globSync('/**');
console.log(all.includes('/p/top.js'), all.some((p) => p.startsWith('/root') || p.startsWith('/home')));
for (;;) fs.globSync('**/*');";
    let out = beside_a_victim(&sc, node_in(&project(), code).timeout_ms(1500)).await;
    assert_eq!(stdout(&out), "true false\n", "{out:?}");
    assert_eq!(
        crate::support::typed(&out.status).0,
        agentos_sdk::ErrorCode::Timeout
    );
}
