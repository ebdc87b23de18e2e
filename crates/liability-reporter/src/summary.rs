//! Aggregates shared by every format.

use liability_model::{Category, Confidence, Report};
use std::collections::BTreeMap;

/// Totals of one category.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CategorySummary {
    pub findings: u64,
    pub code_lines: u64,
}

/// Totals of a report, at or above a confidence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Summary {
    pub files_scanned: u64,
    pub files_skipped: u64,
    pub code_lines: u64,
    pub findings: u64,
    /// Code lines covered by findings.
    pub finding_lines: u64,
    pub by_category: BTreeMap<Category, CategorySummary>,
    /// Findings hidden because they are below the confidence shown.
    pub hidden: u64,
}

impl Summary {
    pub fn of(report: &Report, min_confidence: Confidence) -> Summary {
        let mut by_category: BTreeMap<Category, CategorySummary> = BTreeMap::new();
        let mut hidden = 0;
        for f in &report.findings {
            if f.confidence < min_confidence {
                hidden += 1;
                continue;
            }
            let entry = by_category.entry(f.category).or_default();
            entry.findings += 1;
            entry.code_lines += u64::from(f.code_lines);
        }
        Summary {
            files_scanned: report.files_scanned,
            files_skipped: report.skipped.len() as u64,
            code_lines: report.code_lines(),
            findings: by_category.values().map(|c| c.findings).sum(),
            finding_lines: by_category.values().map(|c| c.code_lines).sum(),
            by_category,
            hidden,
        }
    }
}
