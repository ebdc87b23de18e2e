//! The baseline file: versioned, deterministic, diff-friendly JSON of the known findings.
//!
//! Policy: reading fails closed. Every way a baseline can be unusable has its own error with
//! a one-line cause, and none of them is ever treated as "no findings".

use crate::fingerprint::fingerprints;
use liability_model::{Category, Finding};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::Path;

/// The version of the baseline's shape. Bump it on any incompatible change.
pub const BASELINE_SCHEMA_VERSION: u32 = 1;

/// A baseline larger than this is refused: real ones are kilobytes, and reading an
/// unbounded file into memory is a denial of service.
pub const MAX_BASELINE_BYTES: u64 = 32 * 1024 * 1024;

/// The baseline document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Baseline {
    pub schema_version: u32,
    pub tool: Tool,
    pub totals: Totals,
    pub findings: Vec<BaselineFinding>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Tool {
    pub name: String,
    pub version: String,
}

/// Totals over the baseline's findings.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Totals {
    pub findings: u64,
    pub code_lines: u64,
    pub yearly_cost: f64,
    pub by_category: BTreeMap<String, CategoryTotals>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct CategoryTotals {
    pub findings: u64,
    pub code_lines: u64,
    pub yearly_cost: f64,
}

/// One known finding.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BaselineFinding {
    pub fingerprint: String,
    pub rule: String,
    pub category: String,
    pub path: String,
    pub start_line: u32,
    pub end_line: u32,
    pub component: String,
    pub code_lines: u32,
    pub yearly_cost: f64,
}

/// Why a baseline cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum BaselineError {
    #[error("baseline {path} not found; create it with `liability baseline`")]
    Missing { path: String },
    #[error("cannot read baseline {path}: {source}")]
    Unreadable {
        path: String,
        source: std::io::Error,
    },
    #[error("baseline {path} is {size} bytes, over the {MAX_BASELINE_BYTES} byte limit")]
    Oversized { path: String, size: u64 },
    #[error("baseline {path} is empty")]
    Empty { path: String },
    #[error("baseline {path} is truncated (it ends at line {line}, column {column})")]
    Truncated {
        path: String,
        line: usize,
        column: usize,
    },
    #[error("baseline {path} is malformed at line {line}, column {column}: {message}")]
    Malformed {
        path: String,
        line: usize,
        column: usize,
        message: String,
    },
    #[error(
        "baseline {path} has schema version {found}, newer than this liability understands ({BASELINE_SCHEMA_VERSION}); upgrade liability"
    )]
    Newer { path: String, found: u32 },
    #[error(
        "baseline {path} has schema version {found}, older than {BASELINE_SCHEMA_VERSION}; regenerate it with `liability baseline` on the base branch"
    )]
    Older { path: String, found: u32 },
    #[error("baseline {path} is invalid: {message}")]
    Invalid { path: String, message: String },
}

/// Just the version, read before the rest so an old or new shape gets the right message.
#[derive(Deserialize)]
struct VersionOnly {
    schema_version: u32,
}

impl Baseline {
    /// A baseline of `findings` (priced structurally), sorted by path and line.
    pub fn from_findings(findings: &[Finding], tool_version: &str) -> Baseline {
        let prints = fingerprints(findings);
        let mut totals = Totals::default();
        let mut entries = Vec::with_capacity(findings.len());
        for (f, print) in findings.iter().zip(prints) {
            let cost = yearly_cost(f);
            totals.findings += 1;
            totals.code_lines += u64::from(f.code_lines);
            totals.yearly_cost += cost;
            let c = totals
                .by_category
                .entry(f.category.id().to_owned())
                .or_default();
            c.findings += 1;
            c.code_lines += u64::from(f.code_lines);
            c.yearly_cost += cost;
            entries.push(BaselineFinding {
                fingerprint: print,
                rule: f.rule.to_owned(),
                category: f.category.id().to_owned(),
                path: f.path.clone(),
                start_line: f.span.start,
                end_line: f.span.end,
                component: f.component.clone(),
                code_lines: f.code_lines,
                yearly_cost: round2(cost),
            });
        }
        totals.yearly_cost = round2(totals.yearly_cost);
        for c in totals.by_category.values_mut() {
            c.yearly_cost = round2(c.yearly_cost);
        }
        entries.sort_by(|a, b| {
            (&a.path, a.start_line, &a.fingerprint).cmp(&(&b.path, b.start_line, &b.fingerprint))
        });
        Baseline {
            schema_version: BASELINE_SCHEMA_VERSION,
            tool: Tool {
                name: "liability".into(),
                version: tool_version.into(),
            },
            totals,
            findings: entries,
        }
    }

    /// The baseline as pretty JSON with a trailing newline.
    pub fn to_json(&self) -> String {
        let mut s = serde_json::to_string_pretty(self).unwrap_or_default();
        s.push('\n');
        s
    }

    /// Reads and validates a baseline file.
    pub fn read(path: &Path) -> Result<Baseline, BaselineError> {
        let shown = path.display().to_string();
        let meta = std::fs::metadata(path).map_err(|source| {
            if source.kind() == std::io::ErrorKind::NotFound {
                BaselineError::Missing {
                    path: shown.clone(),
                }
            } else {
                BaselineError::Unreadable {
                    path: shown.clone(),
                    source,
                }
            }
        })?;
        if meta.len() > MAX_BASELINE_BYTES {
            return Err(BaselineError::Oversized {
                path: shown,
                size: meta.len(),
            });
        }
        let text = std::fs::read_to_string(path).map_err(|source| BaselineError::Unreadable {
            path: shown.clone(),
            source,
        })?;
        Baseline::parse(&text, &shown)
    }

    /// Parses and validates baseline text; `shown` names it in errors.
    pub fn parse(text: &str, shown: &str) -> Result<Baseline, BaselineError> {
        if text.trim().is_empty() {
            return Err(BaselineError::Empty { path: shown.into() });
        }
        let syntax = |e: serde_json::Error| {
            if e.is_eof() {
                BaselineError::Truncated {
                    path: shown.into(),
                    line: e.line(),
                    column: e.column(),
                }
            } else {
                let message = e.to_string();
                let message = message
                    .split(" at line ")
                    .next()
                    .unwrap_or(&message)
                    .to_owned();
                BaselineError::Malformed {
                    path: shown.into(),
                    line: e.line(),
                    column: e.column(),
                    message,
                }
            }
        };
        let version: VersionOnly = serde_json::from_str(text).map_err(syntax)?;
        if version.schema_version > BASELINE_SCHEMA_VERSION {
            return Err(BaselineError::Newer {
                path: shown.into(),
                found: version.schema_version,
            });
        }
        if version.schema_version < BASELINE_SCHEMA_VERSION {
            return Err(BaselineError::Older {
                path: shown.into(),
                found: version.schema_version,
            });
        }
        let baseline: Baseline = serde_json::from_str(text).map_err(syntax)?;
        let invalid = |message: String| BaselineError::Invalid {
            path: shown.into(),
            message,
        };
        let mut seen = std::collections::BTreeSet::new();
        for f in &baseline.findings {
            f.category
                .parse::<Category>()
                .map_err(|e| invalid(e.to_string()))?;
            if !seen.insert(f.fingerprint.as_str()) {
                return Err(invalid(format!(
                    "fingerprint {} appears twice",
                    f.fingerprint
                )));
            }
            if !f.yearly_cost.is_finite() || f.yearly_cost < 0.0 {
                return Err(invalid(format!(
                    "finding {} has an invalid yearly_cost",
                    f.fingerprint
                )));
            }
        }
        Ok(baseline)
    }
}

/// The structural yearly cost of a finding (its priced central figure, 0 when unpriced).
pub(crate) fn yearly_cost(f: &Finding) -> f64 {
    f.liability.as_ref().map_or(0.0, |l| l.yearly_cost.central)
}

pub(crate) fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Baseline {
        Baseline::from_findings(
            &[crate::fingerprint::tests::finding("src/a.rs", 3, "fnf(){")],
            "0.1.0",
        )
    }

    #[test]
    fn round_trips() {
        let b = sample();
        assert_eq!(Baseline::parse(&b.to_json(), "b.json").unwrap(), b);
        assert!(b.to_json().ends_with("}\n"));
    }

    #[test]
    fn every_bad_baseline_is_a_distinct_error() {
        let good = sample().to_json();
        let cases: Vec<(String, &str)> = vec![
            (String::new(), "is empty"),
            ("  \n".into(), "is empty"),
            (good[..good.len() / 2].to_owned(), "is truncated"),
            ("{\"schema_version\": 1, ]".into(), "is malformed at line 1"),
            ("[1, 2]".into(), "is malformed"),
            (
                good.replace("\"schema_version\": 1", "\"schema_version\": 99"),
                "newer than",
            ),
            (
                good.replace("\"schema_version\": 1", "\"schema_version\": 0"),
                "older than 1",
            ),
            (
                good.replace("\"category\": \"retry\"", "\"category\": \"retries\""),
                "unknown category `retries`",
            ),
            (
                good.replace("\"findings\": [", "\"findingz\": ["),
                "is malformed",
            ),
        ];
        for (text, expected) in cases {
            let err = Baseline::parse(&text, "b.json")
                .expect_err(expected)
                .to_string();
            assert!(
                err.contains(expected),
                "{err:?} should contain {expected:?}"
            );
            assert!(!err.contains('\n'), "one line: {err}");
        }
    }

    #[test]
    fn missing_and_oversized_files_are_refused() {
        let dir = std::env::temp_dir().join(format!("liability-gate-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let missing = Baseline::read(&dir.join("nope.json"))
            .unwrap_err()
            .to_string();
        assert!(missing.contains("not found"), "{missing}");
        let big = dir.join("big.json");
        let file = std::fs::File::create(&big).unwrap();
        file.set_len(MAX_BASELINE_BYTES + 1).unwrap();
        assert!(
            Baseline::read(&big)
                .unwrap_err()
                .to_string()
                .contains("over the")
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
