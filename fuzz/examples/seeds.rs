//! Writes seed corpora for both targets into `corpus/<target>/` (next to this crate's Cargo.toml):
//! well-formed request sessions the fuzzer can mutate instead of discovering protobuf from
//! nothing. Run with `cargo run --example seeds` from `fuzz/`.

use std::path::Path;

use agentos_proto::v1::{
    EnvVar, Exec, Hello, Kill, Limits, Ping, Preopen, Shutdown, Stats, StdinClose, StdinWrite,
};
use agentos_proto::{PROTOCOL_VERSION, Request, encode_frame, request};
use bytes::BytesMut;

fn frames(requests: &[request::Kind]) -> Vec<u8> {
    let mut buf = BytesMut::new();
    for (i, kind) in requests.iter().enumerate() {
        let request = Request {
            request_id: i as u64 + 2,
            kind: Some(kind.clone()),
        };
        encode_frame(&request, 1 << 20, &mut buf).expect("seed frame");
    }
    buf.to_vec()
}

fn exec(id: u64, argv: &[&str]) -> Exec {
    Exec {
        exec_id: id,
        argv: argv.iter().map(|s| s.to_string()).collect(),
        env: vec![EnvVar {
            key: "HOME".into(),
            value: "/".into(),
        }],
        cwd: "/".into(),
        ..Default::default()
    }
}

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
    let hello = request::Kind::Hello(Hello {
        protocol_version: PROTOCOL_VERSION,
        client: "seed".into(),
    });
    let ping = request::Kind::Ping(Ping {
        payload: b"p".to_vec().into(),
    });
    let sessions: Vec<Vec<request::Kind>> = vec![
        vec![ping.clone(), request::Kind::Stats(Stats {})],
        vec![request::Kind::Exec(exec(
            1,
            &["node", "-e", "console.log(1)"],
        ))],
        vec![
            request::Kind::Exec(exec(2, &["node", "-p", "6*7"])),
            ping.clone(),
        ],
        vec![
            request::Kind::Exec(Exec {
                stdin_open: true,
                ..exec(
                    3,
                    &[
                        "node",
                        "-e",
                        "process.stdin.on('data', d => console.log(String(d)))",
                    ],
                )
            }),
            request::Kind::StdinWrite(StdinWrite {
                exec_id: 3,
                data: b"hi".to_vec().into(),
            }),
            request::Kind::StdinClose(StdinClose { exec_id: 3 }),
        ],
        vec![
            request::Kind::Exec(exec(4, &["node", "-e", "setTimeout(() => {}, 100000)"])),
            request::Kind::Kill(Kill {
                exec_id: 4,
                signal: 15,
                signal_name: String::new(),
            }),
        ],
        vec![
            request::Kind::Exec(exec(5, &["node", "-e", "while (true) {}"])),
            request::Kind::Kill(Kill {
                exec_id: 5,
                signal: 0,
                signal_name: "SIGINT".into(),
            }),
            request::Kind::Exec(exec(5, &["node", "-e", ""])),
        ],
        vec![
            request::Kind::Exec(Exec {
                limits: Some(Limits {
                    heap_mb: 16,
                    ..Default::default()
                }),
                ..exec(
                    6,
                    &["node", "-e", "let a = []; for (;;) a.push(new Array(1e5))"],
                )
            }),
            request::Kind::Shutdown(Shutdown {}),
        ],
        vec![request::Kind::Exec(Exec {
            preopens: vec![Preopen {
                host_path: "/".into(),
                guest_path: "/".into(),
                read_only: true,
            }],
            ..exec(7, &["node", "main.js"])
        })],
        vec![
            request::Kind::Exec(exec(8, &["cat"])),
            request::Kind::Exec(exec(0, &[])),
        ],
        vec![
            request::Kind::Exec(exec(9, &["node", "-e", "1"])),
            request::Kind::Exec(exec(10, &["node", "-e", "2"])),
            request::Kind::Exec(exec(11, &["node", "-e", "3"])),
            request::Kind::Exec(exec(12, &["node", "-e", "4"])),
            request::Kind::Exec(exec(13, &["node", "-e", "5"])),
            request::Kind::Exec(exec(14, &["node", "-e", "6"])),
            request::Kind::Exec(exec(15, &["node", "-e", "7"])),
            request::Kind::Kill(Kill {
                exec_id: 15,
                ..Default::default()
            }),
        ],
    ];
    let dispatch = root.join("dispatch");
    let decoder = root.join("frame_decoder");
    std::fs::create_dir_all(&dispatch).expect("create corpus/dispatch");
    std::fs::create_dir_all(&decoder).expect("create corpus/frame_decoder");
    for (i, session) in sessions.iter().enumerate() {
        let body = frames(session);
        // dispatch: flags byte 1 = prepend Hello; also one seed that must say Hello itself.
        let mut with_flags = vec![1];
        with_flags.extend_from_slice(&body);
        std::fs::write(dispatch.join(format!("seed-{i}")), &with_flags).expect("write seed");
        // frame_decoder: max = 4096 (0x1000 little-endian), chunk seed i.
        let mut framed = vec![0x00, 0x10, i as u8];
        framed.extend_from_slice(&frames(&[&[hello.clone()][..], session].concat()));
        std::fs::write(decoder.join(format!("seed-{i}")), &framed).expect("write seed");
    }
    let mut own_hello = vec![0];
    own_hello.extend_from_slice(&frames(&[hello, ping]));
    std::fs::write(dispatch.join("seed-own-hello"), own_hello).expect("write seed");
    println!("seeds written under {}", root.display());
}
