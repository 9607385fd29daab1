//! Fixtures for the command rows (`ls -la`, `grep -rn`, `sort`, `jq`, `sha256sum`), the same
//! bytes every run: generated from a fixed-seed xorshift, never random.

use std::io::Write;
use std::path::Path;

/// Entries in `dir200/`.
pub const DIR_ENTRIES: usize = 200;
/// Bytes of text under `tree5m/` (spread over 100 files in 10 directories).
pub const TREE_BYTES: usize = 5 << 20;
/// Bytes of `sort1m.txt`.
pub const SORT_BYTES: usize = 1 << 20;
/// Bytes of `blob10m.bin`.
pub const BLOB_BYTES: usize = 10 << 20;
/// At least this many bytes of `json1m.json`.
pub const JSON_BYTES: usize = 1 << 20;

struct XorShift(u64);

impl XorShift {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

const WORDS: &[&str] = &[
    "alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel", "india", "juliet",
    "kilo", "lima", "mike", "november", "oscar", "papa", "quebec", "romeo", "sierra", "tango",
];

/// Lines of words until `bytes` bytes; one line in 200 holds `needle`.
fn text(rng: &mut XorShift, bytes: usize) -> Vec<u8> {
    let mut out = Vec::with_capacity(bytes + 100);
    let mut line = 0u64;
    while out.len() < bytes {
        line += 1;
        for _ in 0..(4 + rng.next() % 8) {
            out.extend_from_slice(WORDS[(rng.next() % WORDS.len() as u64) as usize].as_bytes());
            out.push(b' ');
        }
        if line.is_multiple_of(200) {
            out.extend_from_slice(b"needle ");
        }
        out.extend_from_slice(format!("{}\n", rng.next() % 100_000).as_bytes());
    }
    out.truncate(bytes);
    if let Some(last) = out.last_mut() {
        *last = b'\n';
    }
    out
}

/// Writes every fixture into `dir`.
///
/// # Errors
/// Any I/O error.
/// A small TypeScript program (interfaces, generics, annotations, a class) for `ts_main`.
const TYPED_TS: &str = "interface Point { x: number; y: number }
type Shape = { kind: 'circle'; r: number } | { kind: 'square'; side: number };
class Registry<T extends { id: string }> {
  private items: Map<string, T> = new Map();
  add(item: T): this { this.items.set(item.id, item); return this; }
  get size(): number { return this.items.size; }
}
function area(s: Shape): number {
  return s.kind === 'circle' ? Math.PI * s.r * s.r : s.side * s.side;
}
const origin: Point = { x: 0, y: 0 };
const r = new Registry<{ id: string; p: Point }>().add({ id: 'o', p: origin });
const total: number = [{ kind: 'square', side: 2 } as Shape].map(area).reduce((a, b) => a + b, 0);
if (r.size !== 1 || total !== 4) throw new Error('wrong');
";

/// `TYPED_TS` without its types, for `js_main`.
const TYPED_JS: &str = "class Registry {
  items = new Map();
  add(item) { this.items.set(item.id, item); return this; }
  get size() { return this.items.size; }
}
function area(s) {
  return s.kind === 'circle' ? Math.PI * s.r * s.r : s.side * s.side;
}
const origin = { x: 0, y: 0 };
const r = new Registry().add({ id: 'o', p: origin });
const total = [{ kind: 'square', side: 2 }].map(area).reduce((a, b) => a + b, 0);
if (r.size !== 1 || total !== 4) throw new Error('wrong');
";

pub fn write_fixtures(dir: &Path) -> std::io::Result<()> {
    let mut rng = XorShift(0x9e37_79b9_7f4a_7c15);
    let entries = dir.join("dir200");
    std::fs::create_dir_all(&entries)?;
    for i in 0..DIR_ENTRIES {
        if i.is_multiple_of(10) {
            std::fs::create_dir_all(entries.join(format!("sub{i:03}")))?;
        } else {
            std::fs::write(
                entries.join(format!("file{i:03}.txt")),
                format!("{i}\n").repeat(i),
            )?;
        }
    }
    for d in 0..10 {
        let sub = dir.join("tree5m").join(format!("d{d}"));
        std::fs::create_dir_all(&sub)?;
        for f in 0..10 {
            std::fs::write(
                sub.join(format!("f{f}.txt")),
                text(&mut rng, TREE_BYTES / 100),
            )?;
        }
    }
    zip_tree(dir)?;
    node_tests(&dir.join("nodetest"))?;
    // `node typed.ts` and the same program without its types (`ts_main`, `js_main`).
    std::fs::write(dir.join("typed.ts"), TYPED_TS)?;
    std::fs::write(dir.join("typed.js"), TYPED_JS)?;
    // For `npm run --silent hi`.
    std::fs::write(
        dir.join("package.json"),
        r#"{"name":"bench","version":"1.0.0","scripts":{"hi":"echo hi"}}"#,
    )?;
    let sort1m = text(&mut rng, SORT_BYTES);
    std::fs::write(dir.join("edits.diff"), edits(&sort1m))?;
    std::fs::write(dir.join("env1m.txt"), template(&sort1m))?;
    std::fs::write(dir.join("sort1m.txt"), sort1m)?;
    let mut blob = Vec::with_capacity(BLOB_BYTES);
    while blob.len() < BLOB_BYTES {
        blob.extend_from_slice(&rng.next().to_le_bytes());
    }
    std::fs::write(dir.join("blob10m.bin"), blob)?;
    let mut json = std::io::BufWriter::new(std::fs::File::create(dir.join("json1m.json"))?);
    json.write_all(b"[")?;
    let (mut written, mut id) = (1, 0u64);
    while written < JSON_BYTES {
        let item = format!(
            "{}{{\"id\":{id},\"name\":\"{}\",\"n\":{},\"tags\":[\"{}\",\"{}\"],\"ok\":{}}}",
            if id == 0 { "" } else { "," },
            WORDS[(rng.next() % 20) as usize],
            rng.next() % 1000,
            WORDS[(rng.next() % 20) as usize],
            WORDS[(rng.next() % 20) as usize],
            rng.next().is_multiple_of(2)
        );
        written += item.len();
        json.write_all(item.as_bytes())?;
        id += 1;
    }
    json.write_all(b"]\n")?;
    json.flush()
}

/// `sort1m.txt` as an `envsubst` template: two of its words become references.
fn template(text: &[u8]) -> Vec<u8> {
    String::from_utf8_lossy(text)
        .replace("alpha", "$HOME")
        .replace("bravo", "${PATH}")
        .into_bytes()
}

/// `nodetest/`: three test files for `node --test` (10 tests, all passing).
fn node_tests(dir: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    let files = [
        (
            "a.test.js",
            "const test = require('node:test');\nconst assert = require('node:assert');\n\
             for (let i = 0; i < 4; i++) test(`sum ${i}`, () => assert.strictEqual(i + i, 2 * i));\n",
        ),
        (
            "b.test.mjs",
            "import { describe, it } from 'node:test';\nimport assert from 'node:assert';\n\
             describe('strings', () => {\n  it('upper', () => assert.equal('a'.toUpperCase(), 'A'));\n\
             it('deep', () => assert.deepStrictEqual({ a: [1] }, { a: [1] }));\n\
             it('async', async () => assert.ok(await Promise.resolve(true)));\n});\n",
        ),
        (
            "c.test.js",
            "const test = require('node:test');\n\
             test('timer', () => new Promise((r) => setTimeout(r, 1)));\n\
             test('json', () => JSON.parse(JSON.stringify({ x: 1 })));\n",
        ),
    ];
    for (name, text) in files {
        std::fs::write(dir.join(name), text)?;
    }
    Ok(())
}

/// `tree5m.zip`: the 5 MiB tree, deflated (for `unzip`).
fn zip_tree(dir: &Path) -> std::io::Result<()> {
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    let mut w = zip::ZipWriter::new(std::fs::File::create(dir.join("tree5m.zip"))?);
    for d in 0..10 {
        w.add_directory(format!("tree5m/d{d}/"), options)?;
        for f in 0..10 {
            let name = format!("tree5m/d{d}/f{f}.txt");
            w.start_file(name.as_str(), options)?;
            w.write_all(&std::fs::read(dir.join(&name))?)?;
        }
    }
    w.finish()?;
    Ok(())
}

/// A unified diff of `text` (lines, `\n`-ended) changing 100 lines spread over it, each in a
/// hunk with three lines of context, as `diff -u` writes it (for `patch`).
fn edits(text: &[u8]) -> String {
    let text = String::from_utf8_lossy(text);
    let lines: Vec<&str> = text.lines().collect();
    let mut diff = String::from("--- sort1m.txt\n+++ sort1m.txt\n");
    for k in 1..=100 {
        let at = k * lines.len() / 101;
        let (from, to) = (at - 3, (at + 4).min(lines.len()));
        let n = to - from;
        diff.push_str(&format!("@@ -{},{n} +{},{n} @@\n", from + 1, from + 1));
        for (i, line) in lines.iter().enumerate().take(to).skip(from) {
            if i == at {
                diff.push_str(&format!("-{line}\n+{line} (edited)\n"));
            } else {
                diff.push_str(&format!(" {line}\n"));
            }
        }
    }
    diff
}
