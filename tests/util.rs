//! Shared test helpers.

use std::path::PathBuf;

/// A path under the repository root.
pub fn repo(path: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(path)
}

/// Runs the real binary and returns (exit code, stdout, stderr).
pub fn archaudit(args: &[&str]) -> (i32, String, String) {
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_archaudit"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("run archaudit");
    (
        output.status.code().expect("exited normally"),
        String::from_utf8(output.stdout).expect("utf-8 stdout"),
        String::from_utf8(output.stderr).expect("utf-8 stderr"),
    )
}

/// The snapshot inside a rule fixture, as JSON to modify.
pub fn rule_fixture_snapshot(path: &str) -> serde_json::Value {
    let text = std::fs::read_to_string(repo(path)).unwrap();
    let fixture: serde_json::Value = serde_json::from_str(&text).unwrap();
    fixture["snapshot"].clone()
}

/// Asserts a failed run: exit 2, one `error:` line naming `needle`, no panic.
pub fn assert_clean_error(result: &(i32, String, String), needles: &[&str]) {
    let (code, stdout, stderr) = result;
    assert_eq!(*code, 2, "stderr: {stderr}");
    assert!(stdout.is_empty(), "nothing on stdout on error: {stdout}");
    assert!(stderr.starts_with("error: "), "{stderr}");
    assert_eq!(stderr.trim_end().lines().count(), 1, "one line: {stderr}");
    assert!(
        !stderr.contains("panicked") && !stderr.contains("RUST_BACKTRACE"),
        "{stderr}"
    );
    for needle in needles {
        assert!(stderr.contains(needle), "{stderr:?} should name {needle:?}");
    }
}
