//! End-to-end tests: the built `liability` binary run over `fixtures/` and over broken trees.
//!
//! One integration-test binary (declared by the CLI crate) with a module per concern:
//! - `markers`: findings on every fixture repository match its `// expect: <rule-id>` markers.
//! - `determinism`: output is byte-identical whatever `--threads` says and from run to run.
//! - `broken_files`: unreadable, hostile and special files are skipped with the right reason.
//! - `cli`: subcommands, exit codes, `-o`, colour handling.
//! - `config`: `liability.toml`, levels, suppressions and custom concerns.
//! - `gate`: `baseline` and `check` over git repositories built commit by commit.
//! - `schema`: the JSON report validates against `docs/report.schema.json`.
//! - `report_snapshots`: the text and JSON reports of the demo repository, pinned with insta.
//!
//! The modules are `cfg(test)` (always true here) so that clippy treats their helpers as test
//! code, as `clippy.toml` intends.

#[cfg(test)]
mod broken_files;
#[cfg(test)]
mod cli;
#[cfg(test)]
mod config;
#[cfg(test)]
mod determinism;
#[cfg(test)]
mod gate;
#[cfg(test)]
mod markers;
#[cfg(test)]
mod prepass;
#[cfg(test)]
mod report_snapshots;
#[cfg(test)]
mod schema;
#[cfg(test)]
mod support;
