//! Which module a test file of Node's `test/parallel` exercises, by its name: `test-NAME-...`
//! belongs to the first group with a stem equal to `NAME...` or a prefix of it followed by `-`.
//! The groups are the builtins the issue lists (and the web globals); every other file counts
//! in the overall figure only.

/// The table's module groups, in the order they are shown: (module, stems).
pub const GROUPS: &[(&str, &[&str])] = &[
    ("assert", &["assert"]),
    ("buffer", &["buffer"]),
    ("crypto", &["crypto", "webcrypto", "global-webcrypto"]),
    (
        "events",
        &[
            "event-emitter",
            "eventemitter",
            "events",
            "event-capture",
            "event-target",
            "eventtarget",
            "nodeeventtarget",
            "whatwg-events",
        ],
    ),
    ("fs", &["fs", "filehandle"]),
    ("module", &["module", "require"]),
    ("os", &["os"]),
    ("path", &["path"]),
    ("process", &["process"]),
    ("querystring", &["querystring"]),
    ("readline", &["readline"]),
    (
        "stream",
        &["stream", "stream2", "stream3", "streams", "readable"],
    ),
    ("string_decoder", &["string-decoder"]),
    ("timers", &["timers"]),
    ("url", &["url", "whatwg-url"]),
    ("util", &["util"]),
    ("zlib", &["zlib"]),
    (
        "web globals",
        &[
            "abortcontroller",
            "abort-controller",
            "abortsignal",
            "blob",
            "btoa-atob",
            "structuredClone",
            "domexception",
            "global-domexception",
            "global-customevent",
            "global-encoder",
            "whatwg-encoding",
            "punycode",
        ],
    ),
];

/// The group of a `test/parallel` file name (`test-buffer-alloc.js` -> `buffer`).
pub fn group_of(file_name: &str) -> Option<&'static str> {
    let stem = file_name.strip_prefix("test-")?;
    let stem = stem.split_once('.').map_or(stem, |(s, _)| s);
    GROUPS
        .iter()
        .find(|(_, stems)| {
            stems.iter().any(|p| {
                stem == *p
                    || stem
                        .strip_prefix(p)
                        .is_some_and(|rest| rest.starts_with('-'))
            })
        })
        .map(|(group, _)| *group)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_map_to_their_module() {
        assert_eq!(group_of("test-buffer-alloc.js"), Some("buffer"));
        assert_eq!(group_of("test-os.js"), Some("os"));
        assert_eq!(group_of("test-os-homedir-no-envvar.js"), Some("os"));
        assert_eq!(group_of("test-stream2-basic.js"), Some("stream"));
        assert_eq!(group_of("test-stream-pipe.mjs"), Some("stream"));
        assert_eq!(group_of("test-whatwg-url-custom-href.js"), Some("url"));
        assert_eq!(
            group_of("test-whatwg-encoding-custom.js"),
            Some("web globals")
        );
        assert_eq!(group_of("test-util.js"), Some("util"));
        assert_eq!(group_of("test-event-emitter-once.js"), Some("events"));
    }

    #[test]
    fn lookalikes_do_not_match() {
        assert_eq!(group_of("test-osx-thing.js"), None);
        assert_eq!(group_of("test-http-agent.js"), None);
        assert_eq!(group_of("test-streamx.js"), None);
        assert_eq!(group_of("buffer-alloc.js"), None);
    }
}
