//! CommonJS `require` and the `fs`/`path`/`events`/`util` builtins of JS guests, over the exec's
//! mounts: resolution order, cycles, JSON, missing modules, builtins, the sandbox boundary.

use std::path::{Path, PathBuf};

use agentos_sdk::{ExecSpec, Output, Sidecar};

use crate::support::{node, run, scratch, sidecar, stderr, stdout};

/// A scratch directory holding `files` (path relative to the root, contents).
fn tree(name: &str, files: &[(&str, &str)]) -> PathBuf {
    let root = scratch(name);
    for (path, text) in files {
        let path = root.join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    root
}

fn host(dir: &Path) -> &str {
    dir.to_str().unwrap()
}

/// `node main.js` with `dir` mounted read-only at `/app`, cwd `/app`.
fn app(dir: &Path) -> ExecSpec {
    ExecSpec::new(["node", "main.js"])
        .dir_ro(host(dir), "/app")
        .cwd("/app")
}

/// Runs `spec`, expecting exit 0, and returns stdout.
async fn ok(sc: &Sidecar, spec: ExecSpec) -> String {
    let out: Output = run(sc, spec).await;
    assert_eq!(out.status.code, 0, "stderr: {}", stderr(&out));
    stdout(&out)
}

#[tokio::test]
async fn relative_requires_find_files_extensions_json_and_directories() {
    let dir = tree(
        "rel",
        &[
            ("a.js", "module.exports = 'a';"),
            ("data.json", "{\"x\": [1, 2]}"),
            ("dir/index.js", "module.exports = 'dir/index';"),
            ("pkg/package.json", "{\"main\": \"lib/entry\"}"),
            ("pkg/lib/entry.js", "module.exports = 'pkg main';"),
            ("both.js", "module.exports = 'both.js';"),
            ("both/index.js", "module.exports = 'both/index';"),
            (
                "main.js",
                "console.log(JSON.stringify([require('./a'), require('./a.js'), require('./data'), \
                 require('./dir'), require('./pkg'), require('./both'), require('./both/'), \
                 require('/app/a.js'), require('./dir/../a')]))",
            ),
        ],
    );
    let sc = sidecar().await;
    assert_eq!(
        ok(&sc, app(&dir)).await,
        "[\"a\",\"a\",{\"x\":[1,2]},\"dir/index\",\"pkg main\",\"both.js\",\"both/index\",\"a\",\"a\"]\n"
    );
}

#[tokio::test]
async fn bare_specifiers_walk_up_node_modules_nearest_first() {
    let dir = tree(
        "bare",
        &[
            ("node_modules/foo/package.json", "{\"main\": \"./main.js\"}"),
            ("node_modules/foo/main.js", "module.exports = 'foo@root';"),
            ("node_modules/foo/extra.js", "module.exports = 'foo/extra';"),
            ("node_modules/@s/p/index.js", "module.exports = '@s/p';"),
            (
                "sub/node_modules/foo/index.js",
                "module.exports = 'foo@sub';",
            ),
            (
                "sub/deep/x.js",
                "module.exports = [require('foo'), require('foo/extra'), require('@s/p')];",
            ),
            (
                "main.js",
                "console.log(JSON.stringify([require('foo'), require('./sub/deep/x')]))",
            ),
        ],
    );
    let sc = sidecar().await;
    assert_eq!(
        ok(&sc, app(&dir)).await,
        "[\"foo@root\",[\"foo@sub\",\"foo/extra\",\"@s/p\"]]\n"
    );
}

#[tokio::test]
async fn package_exports_map_subpaths_and_hide_the_rest() {
    let dir = tree(
        "exports",
        &[
            (
                "node_modules/ex/package.json",
                r#"{"exports": {".": {"import": "./esm.mjs", "require": "./cjs.js"},
                    "./feature": "./feat.js", "./lib/*": "./src/*.js"}}"#,
            ),
            ("node_modules/ex/cjs.js", "module.exports = 'cjs';"),
            ("node_modules/ex/feat.js", "module.exports = 'feature';"),
            ("node_modules/ex/src/u.js", "module.exports = 'lib/u';"),
            ("node_modules/ex/hidden.js", "module.exports = 'hidden';"),
            (
                "main.js",
                "let hidden; try { require('ex/hidden.js'); } catch (e) { hidden = e.code; }\n\
                 console.log(require('ex'), require('ex/feature'), require('ex/lib/u'), hidden)",
            ),
        ],
    );
    let sc = sidecar().await;
    assert_eq!(
        ok(&sc, app(&dir)).await,
        "cjs feature lib/u ERR_PACKAGE_PATH_NOT_EXPORTED\n"
    );
}

#[tokio::test]
async fn cycles_see_partial_exports_like_node() {
    let dir = tree(
        "cycle",
        &[
            (
                "a.js",
                "exports.early = 1; const b = require('./b'); exports.seenByB = b.sawA; exports.done = true;",
            ),
            (
                "b.js",
                "const a = require('./a'); exports.sawA = JSON.stringify(a); \
                 exports.aLoaded = require.cache[require.resolve('./a')].loaded;",
            ),
            (
                "main.js",
                "console.log(JSON.stringify([require('./a'), require('./b')]))",
            ),
        ],
    );
    let sc = sidecar().await;
    assert_eq!(
        ok(&sc, app(&dir)).await,
        "[{\"early\":1,\"seenByB\":\"{\\\"early\\\":1}\",\"done\":true},\
         {\"sawA\":\"{\\\"early\\\":1}\",\"aLoaded\":false}]\n"
    );
}

#[tokio::test]
async fn json_parse_errors_name_the_file() {
    let dir = tree(
        "json",
        &[
            ("bad.json", "{\"x\": 1,}"),
            (
                "main.js",
                "try { require('./bad.json'); } catch (e) { console.log(e.name, e.message.startsWith('/app/bad.json: ')); }",
            ),
        ],
    );
    let sc = sidecar().await;
    assert_eq!(ok(&sc, app(&dir)).await, "SyntaxError true\n");
}

#[tokio::test]
async fn missing_modules_fail_with_code_and_require_stack() {
    let dir = tree(
        "missing",
        &[
            ("lib/x.js", "require('./nope');"),
            ("main.js", "require('./lib/x');"),
        ],
    );
    let sc = sidecar().await;
    let out = run(&sc, app(&dir)).await;
    assert_eq!(out.status.code, 1);
    let err = stderr(&out);
    assert!(
        err.contains(
            "Error: Cannot find module './nope'\nRequire stack:\n- /app/lib/x.js\n- /app/main.js"
        ),
        "{err}"
    );
    assert!(err.contains("code: 'MODULE_NOT_FOUND'"), "{err}");
    let code = "try { require('left-pad') } catch (e) { console.log(e.code, JSON.stringify(e.requireStack)) }";
    assert_eq!(
        ok(&sc, node(code).cwd("/")).await,
        "MODULE_NOT_FOUND [\"/[eval]\"]\n"
    );
}

#[tokio::test]
async fn builtins_resolve_by_name_and_with_the_node_prefix() {
    let sc = sidecar().await;
    let code = "const r = [require('node:fs') === require('fs'), require('node:path') === require('path'), \
        typeof require('events'), typeof require('util').promisify, require('path').join('/a', '..', 'b'), \
        require.resolve('node:fs')]; \
        try { require('node:nope') } catch (e) { r.push(e.code) } \
        const E = require('events'); const e = new E(); let got; e.once('x', (v) => got = v); \
        e.emit('x', 5); r.push(got, e.listenerCount('x'), process instanceof E); \
        r.push(require('util').format('%s=%d', 'n', 42)); console.log(JSON.stringify(r))";
    assert_eq!(
        ok(&sc, node(code)).await,
        "[true,true,\"function\",\"function\",\"/b\",\"node:fs\",\"ERR_UNKNOWN_BUILTIN_MODULE\",5,0,true,\"n=42\"]\n"
    );
}

#[tokio::test]
async fn module_cache_identity_filename_and_main() {
    let dir = tree(
        "cache",
        &[
            (
                "lib/m.js",
                "module.exports = { f: __filename, d: __dirname, id: module.id, main: require.main === module };",
            ),
            (
                "main.js",
                "const a = require('./lib/m'); const b = require('/app/lib/m.js');\n\
                 const again = (delete require.cache['/app/lib/m.js'], require('./lib/m'));\n\
                 console.log(JSON.stringify([a === b, a === again, a, require.main === module, module.id, \
                 __filename, Object.keys(require.cache).sort()]))",
            ),
        ],
    );
    let sc = sidecar().await;
    assert_eq!(
        ok(&sc, app(&dir)).await,
        "[true,false,{\"f\":\"/app/lib/m.js\",\"d\":\"/app/lib\",\"id\":\"/app/lib/m.js\",\"main\":false},\
         true,\".\",\"/app/main.js\",[\"/app/lib/m.js\",\"/app/main.js\"]]\n"
    );
}

#[tokio::test]
async fn eval_require_resolves_from_the_cwd() {
    let dir = tree("evalcwd", &[("lib/v.js", "module.exports = 'from cwd';")]);
    let sc = sidecar().await;
    let spec = node("console.log(require('./lib/v'), module.id, require.main)")
        .dir_ro(host(&dir), "/app")
        .cwd("/app");
    assert_eq!(ok(&sc, spec).await, "from cwd [eval] undefined\n");
}

#[tokio::test]
async fn errors_thrown_by_a_required_module_reach_the_caller() {
    let dir = tree(
        "throws",
        &[
            ("bad.js", "throw new Error('boom in bad');"),
            (
                "main.js",
                "try { require('./bad') } catch (e) { console.log(e.message, e.stack.includes('/app/bad.js:1')) }\n\
                 console.log(Object.keys(require.cache).length)",
            ),
        ],
    );
    let sc = sidecar().await;
    assert_eq!(ok(&sc, app(&dir)).await, "boom in bad true\n1\n");
}

#[tokio::test]
async fn paths_that_leave_the_sandbox_are_refused() {
    let outside = tree("outside", &[("secret.js", "module.exports = 'SECRET';")]);
    let dir = tree(
        "escape",
        &[(
            "main.js",
            "const fs = require('fs'); const r = [];\n\
             for (const id of ['./link.js', '../../../../etc/shadow', '/etc/shadow', './up/secret.js']) {\n\
               try { r.push(require(id)) } catch (e) { r.push(e.code) }\n\
             }\n\
             for (const p of ['link.js', '/etc/shadow', 'up/secret.js']) {\n\
               try { r.push(fs.readFileSync(p, 'utf8')) } catch (e) { r.push(e.code) }\n\
             }\n\
             r.push(fs.existsSync('/etc/shadow'));\n\
             console.log(JSON.stringify(r))",
        )],
    );
    std::os::unix::fs::symlink(outside.join("secret.js"), dir.join("link.js")).unwrap();
    std::os::unix::fs::symlink(&outside, dir.join("up")).unwrap();
    let sc = sidecar().await;
    let out = ok(&sc, app(&dir)).await;
    assert_eq!(
        out,
        "[\"MODULE_NOT_FOUND\",\"MODULE_NOT_FOUND\",\"MODULE_NOT_FOUND\",\"MODULE_NOT_FOUND\",\
         \"EACCES\",\"ENOENT\",\"EACCES\",false]\n"
    );
    assert!(!out.contains("SECRET"));
}

#[tokio::test]
async fn fs_reads_writes_lists_stats_and_makes_directories() {
    let dir = scratch("fsrw");
    std::fs::write(dir.join("in.txt"), "hello").unwrap();
    let code = r#"
        const fs = require('fs');
        const r = [];
        r.push(fs.readFileSync('in.txt', 'utf8'), fs.readFileSync('/work/in.txt').toString('hex'));
        fs.writeFileSync('out.txt', 'written');
        fs.appendFileSync('out.txt', '+more');
        r.push(fs.readFileSync('out.txt', { encoding: 'utf8' }));
        r.push(fs.existsSync('out.txt'), fs.existsSync('nope.txt'));
        r.push(fs.mkdirSync('a/b/c', { recursive: true }));
        fs.mkdirSync('a/d');
        try { fs.mkdirSync('a/d') } catch (e) { r.push(e.code) }
        r.push(fs.readdirSync('.'), fs.readdirSync('a'));
        const st = fs.statSync('out.txt');
        r.push(st.isFile(), st.isDirectory(), st.size, st.mtime instanceof Date, fs.statSync('a').isDirectory());
        try { fs.readFileSync('missing.txt') } catch (e) { r.push(e.code, e.syscall, e.path, e.message) }
        fs.unlinkSync('out.txt');
        fs.rmSync('a', { recursive: true });
        r.push(fs.readdirSync('/work'));
        console.log(JSON.stringify(r));
    "#;
    let sc = sidecar().await;
    let out = ok(&sc, node(code).dir(host(&dir), "/work").cwd("/work")).await;
    assert_eq!(
        out,
        "[\"hello\",\"68656c6c6f\",\"written+more\",true,false,\"a\",\"EEXIST\",\
         [\"a\",\"in.txt\",\"out.txt\"],[\"b\",\"d\"],true,false,12,true,true,\
         \"ENOENT\",\"open\",\"missing.txt\",\"ENOENT: no such file or directory, open 'missing.txt'\",\
         [\"in.txt\"]]\n"
    );
    assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 1);
}

#[tokio::test]
async fn read_only_mount_refuses_writes_with_erofs() {
    let dir = tree("ro", &[("x.txt", "keep")]);
    let code = "const fs = require('fs'); \
        try { fs.writeFileSync('/ro/x.txt', 'changed') } catch (e) { console.log(e.code, e.message) } \
        try { fs.mkdirSync('/ro/d') } catch (e) { console.log(e.code) } \
        console.log(fs.readFileSync('/ro/x.txt', 'utf8'))";
    let sc = sidecar().await;
    let out = ok(&sc, node(code).dir_ro(host(&dir), "/ro")).await;
    assert_eq!(
        out,
        "EROFS EROFS: read-only file system, open '/ro/x.txt'\nEROFS\nkeep\n"
    );
    assert_eq!(std::fs::read_to_string(dir.join("x.txt")).unwrap(), "keep");
}

#[tokio::test]
async fn a_hundred_small_modules_load_in_order() {
    let mut files: Vec<(String, String)> = (0..100)
        .map(|i| (format!("m{i}.js"), format!("module.exports = {i};")))
        .collect();
    let requires: String = (0..100)
        .map(|i| format!("s += require('./m{i}.js');\n"))
        .collect();
    files.push((
        "main.js".into(),
        format!("let s = 0;\n{requires}console.log(s)"),
    ));
    let refs: Vec<(&str, &str)> = files
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    let dir = tree("hundred", &refs);
    let sc = sidecar().await;
    assert_eq!(ok(&sc, app(&dir)).await, "4950\n");
}

#[tokio::test]
async fn guest_prototype_patches_do_not_break_the_loader() {
    let dir = tree(
        "patched",
        &[
            ("pkg/package.json", "{\"main\": \"real.js\"}"),
            ("pkg/real.js", "module.exports = 'real';"),
            ("data.json", "{\"ok\": true}"),
            (
                "main.js",
                "Array.prototype.push = () => { throw new Error('push') };\n\
                 Array.prototype[Symbol.iterator] = () => { throw new Error('iter') };\n\
                 JSON.parse = () => { throw new Error('parse') };\n\
                 Function.prototype.call = () => { throw new Error('call') };\n\
                 Object.defineProperty(Object.prototype, 'main', { get() { return 'evil.js' } });\n\
                 const r = require('./pkg') + ' ' + require('./data').ok + ' ' + require('fs').readdirSync('pkg').length;\n\
                 console.log(r)",
            ),
        ],
    );
    let sc = sidecar().await;
    assert_eq!(ok(&sc, app(&dir)).await, "real true 2\n");
}

#[tokio::test]
async fn exec_module_paths_are_searched_after_node_modules_first_match_wins() {
    let project = tree(
        "mp-project",
        &[
            ("node_modules/shared/index.js", "module.exports = 'local';"),
            (
                "main.js",
                "console.log(require('shared'), require('onlyglobal'), require('both'))",
            ),
        ],
    );
    let first = tree(
        "mp-first",
        &[
            ("shared/index.js", "module.exports = 'first';"),
            ("both.js", "module.exports = 'both@first';"),
        ],
    );
    let second = tree(
        "mp-second",
        &[
            ("onlyglobal/index.js", "module.exports = 'global';"),
            ("both.js", "module.exports = 'both@second';"),
        ],
    );
    let spec = app(&project)
        .dir_ro(host(&first), "/first")
        .dir_ro(host(&second), "/second")
        .module_path("/first")
        .module_path("/second");
    let sc = sidecar().await;
    assert_eq!(ok(&sc, spec).await, "local global both@first\n");
}

/// `argv` run in `/app`, a read-only mount of `dir`.
fn in_app<I, S>(dir: &Path, argv: I) -> ExecSpec
where
    I: IntoIterator<Item = S>,
    S: Into<String>,
{
    ExecSpec::new(argv).dir_ro(host(dir), "/app").cwd("/app")
}

#[tokio::test]
async fn preload_modules_run_in_order_before_the_main_program() {
    // `-r ./a.js --require=pkg`: each required from the cwd (a package from its node_modules)
    // before require.main exists, then the main program.
    let dir = tree(
        "preload",
        &[
            (
                "a.js",
                "console.log('a', module.parent.id, require.main === undefined);",
            ),
            ("node_modules/pkg/index.js", "console.log('pkg');"),
            ("main.js", "console.log('main', require.main === module);"),
        ],
    );
    let sc = sidecar().await;
    let spec = in_app(&dir, ["node", "-r", "./a.js", "--require=pkg", "main.js"]);
    assert_eq!(
        ok(&sc, spec).await,
        "a internal/preload true\npkg\nmain true\n"
    );
}

#[tokio::test]
async fn a_preload_that_throws_ends_the_exec_before_the_main_program() {
    let dir = tree(
        "preload-throws",
        &[
            ("bad.js", "throw new Error('preload failed');"),
            ("main.js", "console.log('main ran');"),
        ],
    );
    let sc = sidecar().await;
    let spec = in_app(&dir, ["node", "-r", "./bad.js", "main.js"]);
    let out = run(&sc, spec).await;
    assert_eq!((out.status.code, stdout(&out).as_str()), (1, ""));
    assert!(
        stderr(&out).contains("Error: preload failed"),
        "{}",
        stderr(&out)
    );
}

#[tokio::test]
async fn imported_modules_run_after_preloads_and_before_the_main_program() {
    // `-r ./pre.js --import ./setup.mjs --import=./second.cjs`: the required module first, then
    // each import in order, its top-level await (a timer) settled before the next, then main.
    let dir = tree(
        "import-flag",
        &[
            ("pre.js", "console.log('pre');"),
            (
                "setup.mjs",
                "console.log('setup', typeof require, import.meta.url);\
                 globalThis.fromSetup = 42;\
                 await new Promise((r) => setTimeout(r, 10));\
                 console.log('setup done');",
            ),
            ("second.cjs", "console.log('second', globalThis.fromSetup);"),
            (
                "main.js",
                "console.log('main', fromSetup, require.main === module);",
            ),
        ],
    );
    let sc = sidecar().await;
    let argv = ["node", "-r", "./pre.js", "--import", "./setup.mjs"];
    let spec = in_app(
        &dir,
        argv.into_iter().chain(["--import=./second.cjs", "main.js"]),
    );
    assert_eq!(
        ok(&sc, spec).await,
        "pre\nsetup undefined file:///app/setup.mjs\nsetup done\nsecond 42\nmain 42 true\n"
    );
}

#[tokio::test]
async fn an_import_that_throws_or_never_settles_ends_the_exec_before_the_main_program() {
    // As Node: a throw is uncaught (exit 1); a top-level await that never settles, exit 13.
    let dir = tree(
        "import-fails",
        &[
            ("bad.mjs", "throw new Error('import failed');"),
            ("stall.mjs", "await new Promise(() => {});"),
            ("main.js", "console.log('main ran');"),
        ],
    );
    let sc = sidecar().await;
    let with = |module: &str| in_app(&dir, ["node", "--import", module, "main.js"]);
    let out = run(&sc, with("./bad.mjs")).await;
    assert_eq!((out.status.code, stdout(&out).as_str()), (1, ""));
    assert!(stderr(&out).contains("Error: import failed"), "{out:?}");
    let out = run(&sc, with("./stall.mjs")).await;
    assert_eq!(
        (out.status.code, stdout(&out).as_str()),
        (13, ""),
        "{out:?}"
    );
    let out = run(&sc, with("./missing.mjs")).await;
    assert_eq!(out.status.code, 1, "{out:?}");
    assert!(stderr(&out).contains("ERR_MODULE_NOT_FOUND"), "{out:?}");
}

#[tokio::test]
async fn an_import_that_spins_ends_at_the_time_limit_beside_a_victim() {
    let dir = tree(
        "import-spins",
        &[
            ("spin.mjs", "await null; for (;;) {}"),
            ("main.js", "console.log('main ran');"),
        ],
    );
    let sc = sidecar().await;
    let spec = in_app(&dir, ["node", "--import", "./spin.mjs", "main.js"]).timeout_ms(500);
    let out = crate::support::beside_a_victim(&sc, spec).await;
    assert_eq!(stdout(&out), "", "{out:?}");
    let (code, message) = crate::support::typed(&out.status);
    assert_eq!(code, agentos_sdk::ErrorCode::Timeout, "{message}");
}

#[tokio::test]
async fn a_main_module_named_without_its_extension_is_found_as_node_finds_it() {
    let dir = tree(
        "main-lookup",
        &[
            ("tool.js", "console.log('tool', __filename);"),
            ("pkg/index.js", "console.log('pkg', __filename);"),
        ],
    );
    let sc = sidecar().await;
    let mut printed = String::new();
    for name in ["tool", "pkg", "./pkg/"] {
        let spec = in_app(&dir, ["node", name]);
        printed += &ok(&sc, spec).await;
    }
    assert_eq!(
        printed,
        "tool /app/tool.js\npkg /app/pkg/index.js\npkg /app/pkg/index.js\n"
    );
}
