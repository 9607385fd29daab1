//! ES modules under hostile inputs: import cycles, deep import chains, modules that throw,
//! rejected top-level await, broken JSON, a 100 MB module, a guest that replaced `Promise`. Each
//! ends in Node's behaviour or a Node-shaped error, never an engine crash or a hang.

use agentos_sdk::ErrorCode;

use crate::esm::{guest, host, ok, same_as_node, tree};
use crate::support::{node, run, scratch, sidecar, stderr, stdout};

#[tokio::test]
async fn import_cycles_evaluate_as_the_spec_says() {
    let files = [
        (
            "a.mjs",
            "import { b, bEarly } from './b.mjs';\nexport const a = 'a';\nexport function getB() { return b; }\n\
             console.log('a runs', bEarly);",
        ),
        (
            "b.mjs",
            "import { a, getB } from './a.mjs';\nexport const b = 'b';\nexport let bEarly;\n\
             try { a; } catch (e) { bEarly = e.name; }\nexport function check() { return a + getB(); }",
        ),
        (
            "main.mjs",
            "import './a.mjs';\nimport { check } from './b.mjs';\nconsole.log(check());",
        ),
    ];
    let dir = tree("esm-cycle", &files);
    let sc = sidecar().await;
    let printed = same_as_node(&sc, &dir, &["node", "main.mjs"]).await;
    assert_eq!(printed, "a runs ReferenceError\nab\n");
}

#[tokio::test]
async fn a_too_deep_import_chain_is_a_range_error_not_a_crash() {
    let depth = 20_000;
    let mut files: Vec<(String, String)> = (0..depth)
        .map(|i| {
            let next = if i + 1 < depth {
                format!("import './m{}.mjs';\n", i + 1)
            } else {
                String::new()
            };
            (
                format!("deep/m{i}.mjs"),
                format!("{next}export const i = {i};\n"),
            )
        })
        .collect();
    files.push((
        "main.mjs".into(),
        "try { await import('./deep/m0.mjs'); console.log('loaded'); } \
         catch (e) { console.log(e.name, e.message); }\nconsole.log('alive');"
            .into(),
    ));
    let borrowed: Vec<(&str, &str)> = files
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    let dir = tree("esm-deep", &borrowed);
    let sc = sidecar().await;
    let out = ok(&sc, guest(&dir, &["node", "main.mjs"])).await;
    assert_eq!(out, "RangeError Maximum call stack size exceeded\nalive\n");
    // A chain Node links fine links here too.
    let shallow = "try { await import('./deep/m19000.mjs'); console.log('loaded'); } catch (e) { console.log(e.name); }";
    let out = ok(
        &sc,
        guest(&dir, &["node", "--input-type=module", "-e", shallow]),
    )
    .await;
    assert_eq!(out, "loaded\n");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[tokio::test]
async fn a_module_that_throws_rejects_every_import_of_it() {
    let files = [
        (
            "throws.mjs",
            "export const x = 1;\nthrow new TypeError('eval failed');",
        ),
        (
            "main.mjs",
            "for (let i = 0; i < 2; i++) {\n\
               try { await import('./throws.mjs'); } catch (e) { console.log(e.name, e.message); }\n}",
        ),
        ("static.mjs", "import './throws.mjs';"),
    ];
    let dir = tree("esm-throws", &files);
    let sc = sidecar().await;
    same_as_node(&sc, &dir, &["node", "main.mjs"]).await;
    let out = run(&sc, guest(&dir, &["node", "static.mjs"])).await;
    assert_eq!(out.status.code, 1);
    assert!(
        stderr(&out).contains("TypeError: eval failed"),
        "{}",
        stderr(&out)
    );
}

#[tokio::test]
async fn a_rejected_top_level_await_is_an_uncaught_error() {
    let dir = tree(
        "esm-rejected",
        &[(
            "rej.mjs",
            "await Promise.reject(new Error('tla rejected'));\n",
        )],
    );
    let sc = sidecar().await;
    let out = run(&sc, guest(&dir, &["node", "rej.mjs"])).await;
    assert_eq!(out.status.code, 1);
    let expected = format!(
        "file://{}/rej.mjs:1\nawait Promise.reject(new Error('tla rejected'));\n                     ^\n\n\
         Error: tla rejected\n",
        host(&dir)
    );
    assert!(stderr(&out).starts_with(&expected), "{}", stderr(&out));
}

#[tokio::test]
async fn invalid_json_and_missing_files_are_errors_naming_the_file() {
    let files = [
        ("bad.json", "{\"x\": 1,}"),
        (
            "main.mjs",
            "try { await import('./bad.json', { with: { type: 'json' } }); } \
             catch (e) { console.log(e.name, e.message.startsWith(import.meta.dirname + '/bad.json: ')); }\n\
             try { await import('./gone.mjs'); } catch (e) { console.log(e.code, e.url.endsWith('/gone.mjs')); }",
        ),
    ];
    let dir = tree("esm-bad-json", &files);
    let sc = sidecar().await;
    same_as_node(&sc, &dir, &["node", "main.mjs"]).await;
}

#[tokio::test]
async fn a_100_mb_module_loads_or_hits_the_memory_limit_without_crashing() {
    let dir = scratch("esm-big");
    let mut text = String::from("export const x = 1;\n");
    let line = format!("// {}\n", "x".repeat(96));
    text.reserve(100 << 20);
    while text.len() < 100 << 20 {
        text.push_str(&line);
    }
    std::fs::write(dir.join("big.mjs"), text).unwrap();
    std::fs::write(
        dir.join("main.mjs"),
        "try { const m = await import('./big.mjs'); console.log('big', m.x); } \
         catch (e) { console.log('error', e.name); }",
    )
    .unwrap();
    let sc = sidecar().await;
    assert_eq!(ok(&sc, guest(&dir, &["node", "main.mjs"])).await, "big 1\n");
    // Under 64 MiB the file's bytes do not fit the exec's memory: the read is refused with a
    // RangeError the guest catches, or the heap limit ends the exec.
    let small = guest(&dir, &["node", "main.mjs"]).heap_mb(64);
    let out = run(&sc, small).await;
    let error = out.status.error.as_ref().map(|e| e.code);
    let caught = error.is_none() && stdout(&out) == "error RangeError\n";
    assert!(
        caught || error == Some(ErrorCode::MemoryLimit),
        "{:?} {} {}",
        out.status,
        stdout(&out),
        stderr(&out)
    );
    // The sidecar still serves.
    assert_eq!(ok(&sc, node("console.log(1)")).await, "1\n");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[tokio::test]
async fn import_works_when_the_guest_replaced_promise() {
    let files = [
        ("dep.mjs", "export const d = 'dep';"),
        (
            "main.mjs",
            "Promise.prototype.then = function () { throw new Error('patched then'); };\n\
             globalThis.Promise = function () { throw new Error('patched ctor'); };\n\
             const m = await import('./dep.mjs');\nconsole.log('loaded', m.d);",
        ),
        (
            "main.cjs",
            "Object.defineProperty(Promise.prototype, 'constructor', { get() { throw new Error('ctor getter'); } });\n\
             Array.prototype.push = () => { throw new Error('push'); };\n\
             Object.defineProperty(Array.prototype, '0', { set() { throw new Error('index'); }, configurable: true });\n\
             const p = import('./dep.mjs');\n\
             delete Array.prototype[0];\n\
             console.log(typeof p);",
        ),
    ];
    let dir = tree("esm-patched", &files);
    let sc = sidecar().await;
    // Node itself fails here (its import() goes through the patched `then`); the sidecar's
    // loader uses only captured builtins.
    assert_eq!(
        ok(&sc, guest(&dir, &["node", "main.mjs"])).await,
        "loaded dep\n"
    );
    assert_eq!(
        ok(&sc, guest(&dir, &["node", "main.cjs"])).await,
        "object\n"
    );
}
