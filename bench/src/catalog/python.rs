//! The CPython rows (`ci/fetch-python`), each after its peer, the host's own python3: not gated
//! (a 95 MB module; CI's gate stays short).

use super::row;
use crate::cases::*;
use crate::scenario::{Kind, Scenario};

pub(super) const PYTHON: &[Scenario] = &[
    row(
        "native_python_urlopen_1k",
        Kind::NativeHttpTool(PY_URLOPEN_1K),
        None,
        false,
    ),
    row(
        "native_python_http_client_1k",
        Kind::NativeHttpTool(PY_HTTP_CLIENT_1K),
        None,
        false,
    ),
    row("native_pip_install", Kind::NativePip, None, false),
    row(
        "native_python_c_pass",
        Kind::NativeTool(PY_PASS),
        None,
        false,
    ),
    row("native_python_json", Kind::NativeTool(PY_JSON), None, false),
    row(
        "native_python_subprocess",
        Kind::NativeTool(PY_SUBPROCESS),
        None,
        false,
    ),
    row(
        "python_urlopen_1k",
        Kind::HttpTool(PY_URLOPEN_1K),
        Some("native_python_urlopen_1k"),
        false,
    ),
    row(
        "python_http_client_1k",
        Kind::HttpTool(PY_HTTP_CLIENT_1K),
        Some("native_python_http_client_1k"),
        false,
    ),
    row(
        "python_c_pass",
        Kind::Tool(PY_PASS),
        Some("native_python_c_pass"),
        false,
    ),
    row(
        "python_json",
        Kind::Tool(PY_JSON),
        Some("native_python_json"),
        false,
    ),
    row(
        "python_subprocess",
        Kind::Tool(PY_SUBPROCESS),
        Some("native_python_subprocess"),
        false,
    ),
    row("pip_install", Kind::Pip, Some("native_pip_install"), false),
    row("python_numpy_sum", Kind::Tool(PY_NUMPY), None, false),
    row("python_import_pandas", Kind::Tool(PY_PANDAS), None, false),
    row(
        "first_python_after_restart",
        Kind::FirstExec(PY_PASS),
        Some("native_python_c_pass"),
        false,
    ),
    row(
        "python_exec_rss_mib",
        Kind::ExecRss(PY_WAITING),
        None,
        false,
    ),
];
