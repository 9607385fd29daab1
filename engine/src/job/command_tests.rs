//! Unit tests of `command.rs`: argv resolution without a sidecar.

use agentos_sandbox::Preopen;

use super::*;

fn argv(parts: &[&str]) -> Vec<String> {
    parts.iter().map(|s| s.to_string()).collect()
}

fn no_fs() -> Sandbox {
    Sandbox::new(&[]).unwrap()
}

const NOWHERE: Lookup<'static> = Lookup {
    exec_dirs: &[],
    path: &[],
};

#[test]
fn eval_with_args() {
    let Ok(Command::Js(main)) = resolve(
        &argv(&["node", "-e", "1", "a", "b"]),
        "/",
        &NOWHERE,
        &mut no_fs(),
        &ModuleCache::new(1),
    ) else {
        panic!("expected a JS main");
    };
    assert_eq!(main.mode, JsMode::Eval);
    assert_eq!(main.source, "1");
    assert_eq!(main.argv, argv(&[NODE_EXEC_PATH, "a", "b"]));
    assert_eq!(main.exec_argv, argv(&["-e", "1"]));
}

#[test]
fn unknown_command_and_empty_argv() {
    let modules = ModuleCache::new(1);
    let err = |parts: &[&str]| resolve(&argv(parts), "/", &NOWHERE, &mut no_fs(), &modules).err();
    assert_eq!(err(&["nope"]), Some(CommandError::NotFound("nope".into())));
    assert_eq!(
        err(&["../etc/x"]),
        Some(CommandError::NotFound("../etc/x".into()))
    );
    assert_eq!(err(&[]), Some(CommandError::EmptyArgv));
}

/// The JS main of `parts` (panics when it is not one).
fn js_main(parts: &[&str]) -> JsMain {
    let modules = ModuleCache::new(1);
    match resolve(&argv(parts), "/", &NOWHERE, &mut no_fs(), &modules) {
        Ok(Command::Js(main)) => main,
        _ => panic!("expected a JS main for {parts:?}"),
    }
}

/// True when `parts` is refused as Node refuses a bad option (exit 9).
fn bad_option(parts: &[&str]) -> bool {
    let modules = ModuleCache::new(1);
    let result = resolve(&argv(parts), "/", &NOWHERE, &mut no_fs(), &modules);
    matches!(result, Ok(Command::Fails { code: 9, .. }))
}

#[test]
fn env_file_options_go_to_exec_argv_as_given_and_need_a_value() {
    let given = [
        "--env-file",
        "a.env",
        "--env-file-if-exists=b.env",
        "-e",
        "1",
    ];
    let main = js_main(&[&["node"][..], &given].concat());
    assert_eq!(main.exec_argv, argv(&given));
    assert!(bad_option(&["node", "--env-file"]));
    assert!(bad_option(&["node", "--env-file-if-exists"]));
}

#[test]
fn input_type_goes_to_exec_argv_and_needs_string_input() {
    let main = js_main(&["node", "--input-type", "module", "-e", "1"]);
    assert_eq!(main.exec_argv, argv(&["--input-type=module", "-e", "1"]));
    for parts in [
        &["node", "--input-type=module", "x.js"][..],
        &["node", "--input-type=json", "-e", "1"],
        &["node", "--input-type"],
    ] {
        assert!(bad_option(parts), "{parts:?}");
    }
}

#[test]
fn runner_flags_go_to_exec_argv_in_both_modes() {
    let main = js_main(&["node", "--no-warnings", "--expose_gc", "-e", "1"]);
    assert_eq!(
        main.exec_argv,
        argv(&["--no-warnings", "--expose-gc", "-e", "1"])
    );
    assert!(bad_option(&["node", "--no-warnings", "--bogus", "-e", "1"]));
}

#[test]
fn node_without_a_program_or_with_dash_reads_it_from_stdin() {
    for (parts, argv_after) in [(&["node"][..], &[][..]), (&["node", "-", "a"], &["-", "a"])] {
        let main = js_main(parts);
        assert_eq!(main.mode, JsMode::Stdin);
        assert_eq!(main.filename, "[stdin]");
        assert_eq!(&main.argv[1..], argv_after);
    }
}

#[test]
fn bad_node_options_fail_like_node() {
    for parts in [
        &["node", "--inspect"][..],
        &["node", "-e"],
        &["node", "-x", "-"],
    ] {
        let Ok(Command::Fails { code, stderr }) = resolve(
            &argv(parts),
            "/",
            &NOWHERE,
            &mut no_fs(),
            &ModuleCache::new(1),
        ) else {
            panic!("expected a failing command for {parts:?}");
        };
        assert_eq!(code, 9);
        assert!(stderr.starts_with("node: "));
    }
}

#[test]
fn file_is_read_through_the_sandbox_relative_to_cwd() {
    let dir = std::env::temp_dir().join(format!("agentos-cmd-{}", std::process::id()));
    std::fs::create_dir_all(dir.join("app")).unwrap();
    std::fs::write(dir.join("app/main.js"), "console.log(1)").unwrap();
    let preopen = Preopen {
        host: dir.clone(),
        guest: "/".into(),
        read_only: true,
    };
    let mut fs = Sandbox::new(&[preopen]).unwrap();
    let modules = ModuleCache::new(1);
    let Ok(Command::Js(main)) = resolve(
        &argv(&["node", "main.js", "x"]),
        "/app",
        &NOWHERE,
        &mut fs,
        &modules,
    ) else {
        panic!("expected a JS main");
    };
    assert_eq!(
        (main.mode, main.source.as_str()),
        (JsMode::File, "console.log(1)")
    );
    assert_eq!(main.argv[1..], argv(&["/app/main.js", "x"]));
    let escape = resolve(
        &argv(&["node", "../../etc/passwd"]),
        "/app",
        &NOWHERE,
        &mut fs,
        &modules,
    );
    assert!(matches!(escape, Ok(Command::Fails { code: 1, .. })));
    std::fs::remove_dir_all(&dir).unwrap();
}
