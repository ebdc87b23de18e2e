//! The comparison: what rose, what fell, and whether the gate fails.
//!
//! What "rises" means (see `docs/ci.md` for the rationale): the gate fails when
//! - a finding is **new** (its fingerprint is not in the baseline), unless `fail_on_new` is off;
//! - a known finding **grew** by more than `grow_lines` code lines *and* more than `grow_ratio`
//!   of its size — so a bug fix inside existing home-grown code passes, a rewrite that doubles
//!   it does not;
//! - the total yearly liability rose by more than `tolerance_abs` plus `tolerance_ratio` of the
//!   baseline total;
//! - a category's yearly liability exceeds its limit in `category_limits`.

use crate::baseline::{Baseline, BaselineFinding, round2, yearly_cost};
use crate::fingerprint::fingerprints;
use liability_model::{Category, Finding};
use std::collections::{BTreeMap, BTreeSet};

/// When the gate fails.
#[derive(Debug, Clone, PartialEq)]
pub struct Thresholds {
    pub fail_on_new: bool,
    pub grow_lines: u32,
    pub grow_ratio: f64,
    pub tolerance_abs: f64,
    pub tolerance_ratio: f64,
    /// Maximum yearly liability per category.
    pub category_limits: BTreeMap<Category, f64>,
}

impl Default for Thresholds {
    fn default() -> Self {
        Thresholds {
            fail_on_new: true,
            grow_lines: 20,
            grow_ratio: 0.25,
            tolerance_abs: 0.0,
            tolerance_ratio: 0.05,
            category_limits: BTreeMap::new(),
        }
    }
}

/// One difference between the baseline and the current scan.
#[derive(Debug, Clone, PartialEq)]
pub enum Change<'a> {
    /// Not in the baseline.
    New {
        finding: &'a Finding,
        fingerprint: String,
    },
    /// Known, and grew beyond the tolerance (`fails`) or within it.
    Grown {
        old: &'a BaselineFinding,
        finding: &'a Finding,
        fails: bool,
    },
    /// Known, and smaller.
    Shrunk {
        old: &'a BaselineFinding,
        finding: &'a Finding,
    },
    /// In the baseline, gone now.
    Gone { old: &'a BaselineFinding },
}

/// The result of comparing a scan with a baseline.
#[derive(Debug, Clone, PartialEq)]
pub struct Comparison<'a> {
    pub changes: Vec<Change<'a>>,
    pub total_before: f64,
    pub total_after: f64,
    /// Yearly cost per category id: (before, after), for every category on either side.
    pub by_category: BTreeMap<String, (f64, f64)>,
    /// Why the gate fails; empty when it passes.
    pub failures: Vec<String>,
}

impl Comparison<'_> {
    pub fn failed(&self) -> bool {
        !self.failures.is_empty()
    }

    /// Whether anything got better (a finding gone or shrunk), so the baseline could be
    /// refreshed to lock the improvement in.
    pub fn improved(&self) -> bool {
        self.changes
            .iter()
            .any(|c| matches!(c, Change::Gone { .. } | Change::Shrunk { .. }))
    }
}

/// Compares `current` findings (already filtered to what the gate counts) with `baseline`.
pub fn compare<'a>(
    baseline: &'a Baseline,
    current: &'a [Finding],
    thresholds: &Thresholds,
) -> Comparison<'a> {
    let prints = fingerprints(current);
    let known: BTreeMap<&str, &BaselineFinding> = baseline
        .findings
        .iter()
        .map(|f| (f.fingerprint.as_str(), f))
        .collect();
    let mut matched = BTreeSet::new();
    let mut changes = Vec::new();
    let mut failures = Vec::new();
    let mut by_category: BTreeMap<String, (f64, f64)> = BTreeMap::new();
    for old in &baseline.findings {
        by_category.entry(old.category.clone()).or_default().0 += old.yearly_cost;
    }
    let mut total_after = 0.0;
    for (finding, print) in current.iter().zip(prints) {
        let cost = yearly_cost(finding);
        total_after += cost;
        by_category
            .entry(finding.category.id().to_owned())
            .or_default()
            .1 += cost;
        match known.get(print.as_str()) {
            None => {
                if thresholds.fail_on_new {
                    failures.push(format!(
                        "new {} finding {}:{} {} ({} code lines)",
                        finding.category,
                        finding.path,
                        finding.span.start,
                        finding.component,
                        finding.code_lines
                    ));
                }
                changes.push(Change::New {
                    finding,
                    fingerprint: print,
                });
            }
            Some(old) => {
                matched.insert(old.fingerprint.as_str());
                if finding.code_lines > old.code_lines {
                    let grew = finding.code_lines - old.code_lines;
                    let fails = grew > thresholds.grow_lines
                        && f64::from(grew) > thresholds.grow_ratio * f64::from(old.code_lines);
                    if fails {
                        failures.push(format!(
                            "{} finding {}:{} {} grew from {} to {} code lines",
                            finding.category,
                            finding.path,
                            finding.span.start,
                            finding.component,
                            old.code_lines,
                            finding.code_lines
                        ));
                    }
                    changes.push(Change::Grown {
                        old,
                        finding,
                        fails,
                    });
                } else if finding.code_lines < old.code_lines {
                    changes.push(Change::Shrunk { old, finding });
                }
            }
        }
    }
    for old in &baseline.findings {
        if !matched.contains(old.fingerprint.as_str()) {
            changes.push(Change::Gone { old });
        }
    }
    let total_before = baseline.findings.iter().map(|f| f.yearly_cost).sum::<f64>();
    let allowed =
        total_before + thresholds.tolerance_abs + thresholds.tolerance_ratio * total_before;
    if round2(total_after) > round2(allowed) && total_after > total_before {
        failures.push(format!(
            "total yearly liability rose from {:.0} to {:.0}, over the tolerance ({:.0})",
            total_before, total_after, allowed
        ));
    }
    for (category, limit) in &thresholds.category_limits {
        let after = by_category.get(category.id()).map_or(0.0, |c| c.1);
        if after > *limit {
            failures.push(format!(
                "{category} yearly liability {after:.0} is over its limit {limit:.0}"
            ));
        }
    }
    Comparison {
        changes,
        total_before,
        total_after,
        by_category,
        failures,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fingerprint::tests::finding;
    use liability_model::{Factors, Liability, Range};

    fn priced(mut f: Finding, lines: u32, cost: f64) -> Finding {
        f.code_lines = lines;
        f.liability = Some(Liability {
            complexity: f.complexity,
            history: Err("structural".into()),
            build_cost: 0.0,
            build_hours: 0.0,
            factors: Factors::default(),
            ops_hours: 0.0,
            yearly_hours: Range::default(),
            yearly_cost: Range {
                low: cost,
                central: cost,
                high: cost,
            },
            retirable_share: 0.9,
            retirable_yearly_cost: cost,
            migration_hours: 1.0,
            migration_points: 1,
        });
        f
    }

    #[test]
    fn unchanged_scan_passes() {
        let now = vec![priced(finding("a.rs", 1, "fnf(){"), 100, 1000.0)];
        let base = Baseline::from_findings(&now, "t");
        let c = compare(&base, &now, &Thresholds::default());
        assert!(!c.failed(), "{:?}", c.failures);
        assert!(c.changes.is_empty());
    }

    #[test]
    fn new_finding_fails_and_moved_one_does_not() {
        let before = vec![priced(finding("a.rs", 1, "fnf(){"), 100, 1000.0)];
        let base = Baseline::from_findings(&before, "t");
        let moved = vec![priced(finding("src/moved.rs", 40, "fnf(){"), 100, 1000.0)];
        assert!(!compare(&base, &moved, &Thresholds::default()).failed());
        let added = vec![
            before[0].clone(),
            priced(finding("b.rs", 1, "fnretry(){"), 30, 300.0),
        ];
        let c = compare(&base, &added, &Thresholds::default());
        assert!(c.failed());
        assert!(
            c.failures[0].starts_with("new retry finding b.rs:1"),
            "{:?}",
            c.failures
        );
        let lenient = Thresholds {
            fail_on_new: false,
            tolerance_ratio: 0.5,
            ..Thresholds::default()
        };
        assert!(!compare(&base, &added, &lenient).failed());
    }

    #[test]
    fn small_growth_passes_large_growth_fails() {
        let before = vec![priced(finding("a.rs", 1, "fnf(){"), 100, 1000.0)];
        let base = Baseline::from_findings(&before, "t");
        let bug_fix = vec![priced(finding("a.rs", 1, "fnf(){"), 110, 1040.0)];
        assert!(!compare(&base, &bug_fix, &Thresholds::default()).failed());
        let rewrite = vec![priced(finding("a.rs", 1, "fnf(){"), 200, 2000.0)];
        let c = compare(&base, &rewrite, &Thresholds::default());
        assert!(
            c.failures
                .iter()
                .any(|f| f.contains("grew from 100 to 200")),
            "{:?}",
            c.failures
        );
        assert!(
            c.failures
                .iter()
                .any(|f| f.contains("total yearly liability rose")),
            "{:?}",
            c.failures
        );
    }

    #[test]
    fn deleted_code_passes_and_reports_improvement() {
        let before = vec![priced(finding("a.rs", 1, "fnf(){"), 100, 1000.0)];
        let base = Baseline::from_findings(&before, "t");
        let c = compare(&base, &[], &Thresholds::default());
        assert!(!c.failed());
        assert!(c.improved());
        assert_eq!((c.total_before, c.total_after), (1000.0, 0.0));
    }

    #[test]
    fn category_limit_fails() {
        let now = vec![priced(finding("a.rs", 1, "fnf(){"), 100, 1000.0)];
        let base = Baseline::from_findings(&now, "t");
        let mut t = Thresholds::default();
        t.category_limits.insert(Category::Retry, 500.0);
        assert!(compare(&base, &now, &t).failures[0].contains("over its limit 500"));
    }
}
