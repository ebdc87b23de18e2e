//! Helpers shared by the end-to-end tests: where things are, and running the binary.

use assert_cmd::Command;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// No single run of the binary in these tests should come near this.
pub const RUN_TIMEOUT: Duration = Duration::from_secs(30);

/// The workspace root (the folder holding `fixtures/`, `docs/` and `tests/`).
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .unwrap()
}

pub fn fixtures_dir() -> PathBuf {
    workspace_root().join("fixtures")
}

/// The `liability` binary, run from the workspace root, with colour and terminal detection out
/// of the way (`NO_COLOR` removed so tests that want it set it themselves).
pub fn liability() -> Command {
    let mut cmd = Command::cargo_bin("liability").unwrap();
    cmd.current_dir(workspace_root())
        .env_remove("NO_COLOR")
        .env_remove("COLUMNS")
        .env_remove("CLICOLOR_FORCE")
        .timeout(RUN_TIMEOUT);
    cmd
}

/// Runs `liability` with `args`, requires exit 0 and an empty stderr, and returns stdout.
pub fn run_ok(args: &[&str]) -> Vec<u8> {
    let output = liability().args(args).output().unwrap();
    assert!(
        output.status.success(),
        "liability {args:?} failed with {:?}\nstderr:\n{}",
        output.status.code(),
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        output.stderr.is_empty(),
        "liability {args:?} wrote to stderr:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    output.stdout
}

/// The JSON report of `liability scan <dir> --format json --min-confidence low <extra>`.
pub fn scan_json(dir: &Path, extra: &[&str]) -> Value {
    let dir = dir.to_str().unwrap();
    let mut args = vec!["scan", dir, "--format", "json", "--min-confidence", "low"];
    args.extend_from_slice(extra);
    let stdout = run_ok(&args);
    serde_json::from_slice(&stdout).unwrap_or_else(|e| {
        panic!(
            "scan of {dir} is not JSON ({e}):\n{}",
            String::from_utf8_lossy(&stdout)
        )
    })
}

/// Every rule id, as `liability rules` lists them (first column).
pub fn rule_ids() -> Vec<String> {
    let stdout = String::from_utf8(run_ok(&["rules"])).unwrap();
    stdout
        .lines()
        .filter_map(|l| l.split_whitespace().next())
        .map(str::to_owned)
        .collect()
}

/// A string field of a JSON object, or a panic naming the field.
pub fn str_field<'a>(value: &'a Value, field: &str) -> &'a str {
    value[field]
        .as_str()
        .unwrap_or_else(|| panic!("`{field}` is not a string in {value}"))
}

/// An integer field of a JSON object, or a panic naming the field.
pub fn u64_field(value: &Value, field: &str) -> u64 {
    value[field]
        .as_u64()
        .unwrap_or_else(|| panic!("`{field}` is not an integer in {value}"))
}

/// The array `field` of a JSON object, or a panic naming the field.
pub fn array<'a>(value: &'a Value, field: &str) -> &'a [Value] {
    value[field]
        .as_array()
        .unwrap_or_else(|| panic!("`{field}` is not an array in {value}"))
}

/// Where two reports first differ, for a failure message: the first differing line of both,
/// or their lengths when one is a prefix of the other.
pub fn first_difference(a: &[u8], b: &[u8]) -> String {
    let (x, y) = (String::from_utf8_lossy(a), String::from_utf8_lossy(b));
    x.lines()
        .zip(y.lines())
        .enumerate()
        .find(|(_, (l, r))| l != r)
        .map_or_else(
            || format!("lengths differ: {} vs {} bytes", a.len(), b.len()),
            |(i, (l, r))| format!("first difference at line {}:\n  {l}\n  {r}", i + 1),
        )
}
