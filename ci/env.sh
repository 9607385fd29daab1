# shellcheck shell=bash
# Sourced by every ci/ script: the build environment shared by CI, the README and developers.
#
# On machines without internet the v8 crate cannot download its prebuilt static library; a copy
# built from the same crate source sits in ../shared/v8. Use it when it is there, and otherwise
# leave RUSTY_V8_ARCHIVE unset so the crate's normal download happens.

AGENTOS_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export AGENTOS_ROOT

_v8_archive="$AGENTOS_ROOT/../shared/v8/librusty_v8_release_x86_64-unknown-linux-gnu.a.gz"
if [ -z "${RUSTY_V8_ARCHIVE:-}" ] && [ -f "$_v8_archive" ]; then
  RUSTY_V8_ARCHIVE="$(realpath "$_v8_archive")"
  export RUSTY_V8_ARCHIVE
fi
unset _v8_archive

export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-never}"
