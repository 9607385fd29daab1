//! The shell rows (`sh -c`, `which`, a program piped into `node`), each after its peer, the
//! host's own shell doing the same.

use super::row;
use crate::cases::*;
use crate::scenario::{Kind, Scenario};

pub(super) const SHELL: &[Scenario] = &[
    row("native_sh_true", Kind::NativeTool(SH_TRUE), None, true),
    row(
        "native_sh_echo_cat",
        Kind::NativeTool(SH_ECHO_CAT),
        None,
        true,
    ),
    row(
        "native_sh_pipeline_1m",
        Kind::NativeTool(SH_PIPELINE),
        None,
        true,
    ),
    row("native_sh_loop_50", Kind::NativeTool(SH_LOOP), None, true),
    row(
        "native_sh_tmp_10m",
        Kind::NativeTool(SH_TMP_10M),
        None,
        false,
    ),
    row("native_which_ls", Kind::NativeTool(WHICH_LS), None, false),
    row(
        "native_node_stdin",
        Kind::NativeTool(NODE_STDIN),
        None,
        false,
    ),
    row(
        "native_sh_param_replace",
        Kind::NativeTool(SH_PARAM_REPLACE),
        None,
        false,
    ),
    row("sh_true", Kind::Tool(SH_TRUE), Some("native_sh_true"), true),
    row(
        "sh_echo_cat",
        Kind::Tool(SH_ECHO_CAT),
        Some("native_sh_echo_cat"),
        true,
    ),
    row(
        "sh_pipeline_1m",
        Kind::Tool(SH_PIPELINE),
        Some("native_sh_pipeline_1m"),
        true,
    ),
    row(
        "sh_loop_50",
        Kind::Tool(SH_LOOP),
        Some("native_sh_loop_50"),
        true,
    ),
    row(
        "sh_tmp_10m",
        Kind::Tool(SH_TMP_10M),
        Some("native_sh_tmp_10m"),
        false,
    ),
    row(
        "which_ls",
        Kind::Tool(WHICH_LS),
        Some("native_which_ls"),
        false,
    ),
    row(
        "node_stdin",
        Kind::Tool(NODE_STDIN),
        Some("native_node_stdin"),
        false,
    ),
    row(
        "sh_param_replace",
        Kind::Tool(SH_PARAM_REPLACE),
        Some("native_sh_param_replace"),
        false,
    ),
];
