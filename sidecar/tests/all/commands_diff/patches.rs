//! The diffs the `patch` cases apply to the fixture (`a.txt` is `line 1` .. `line 30`): one
//! that fits 3 lines off, one that needs fuzz, one that cannot apply, one already applied, a
//! git diff that modifies, creates and deletes files, and one that names files out of the tree.

pub const PATCHES: &[(&str, &str)] = &[
    (
        "patches/offset.diff",
        "--- a.txt\n+++ a.txt\n@@ -2,3 +2,3 @@\n line 5\n-line 6\n+line six\n line 7\n",
    ),
    (
        "patches/fuzz.diff",
        "--- a.txt\n+++ a.txt\n@@ -9,5 +9,5 @@\n line nine\n line 10\n-line 11\n+line eleven\n \
         line 12\n line thirteen\n",
    ),
    (
        "patches/similar.diff",
        "--- a.txt\n+++ a.txt\n@@ -19,7 +19,7 @@\n line 19\n line 20\n line 21\n-line 22\n\
         +line twenty-two\n line 23x\n line 24\n line 25\n",
    ),
    (
        "patches/fail.diff",
        "--- a.txt\n+++ a.txt\n@@ -1,3 +1,3 @@\n line 1\n-line TWO\n+line 2b\n line 3\n",
    ),
    (
        "patches/fail-dated.diff",
        "--- a.txt\t2024-01-02 03:04:05.000000000 +0000\n+++ b.txt\t2024-01-02 03:04:06.000000000 +0000\n\
         @@ -1,3 +1,3 @@\n line 1\n-line TWO\n+line 2b\n line 3\n",
    ),
    (
        "patches/applied.diff",
        "--- a.txt\n+++ a.txt\n@@ -1,3 +1,3 @@\n line 1\n-line two\n+line 2\n line 3\n",
    ),
    (
        "patches/git.diff",
        "diff --git a/src/lib.rs b/src/lib.rs\n--- a/src/lib.rs\n+++ b/src/lib.rs\n\
         @@ -1,3 +1,3 @@\n pub fn add(a: i32, b: i32) -> i32 {\n-    a + b\n+    a.wrapping_add(b)\n }\n\
         diff --git a/src/new.rs b/src/new.rs\nnew file mode 100644\n--- /dev/null\n\
         +++ b/src/new.rs\n@@ -0,0 +1,2 @@\n+// new module\n+pub fn new() {}\n\
         diff --git a/docs/guide.txt b/docs/guide.txt\ndeleted file mode 100644\n\
         --- a/docs/guide.txt\n+++ /dev/null\n@@ -1,2 +0,0 @@\n-step one\n-step two\n",
    ),
    (
        "patches/evil.diff",
        "--- ../evil.txt\n+++ ../evil.txt\n@@ -0,0 +1 @@\n+x\n--- /dev/null\n+++ /tmp/abs.txt\n\
         @@ -0,0 +1 @@\n+x\n",
    ),
];
