//! Aggregates shared by every format.

use liability_model::{Category, Confidence, Report};
use std::collections::BTreeMap;

/// Totals of one category.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct CategorySummary {
    pub findings: u64,
    pub code_lines: u64,
    /// Central yearly cost of the priced findings.
    pub yearly_cost: f64,
}

/// Totals of a report, at or above a confidence.
#[derive(Debug, Clone, PartialEq)]
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
    /// Indexes into `report.findings` of the shown findings with the highest central yearly
    /// cost, highest first (ties: report order).
    pub top_by_yearly_cost: Vec<usize>,
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
            entry.yearly_cost += f.liability.as_ref().map_or(0.0, |l| l.yearly_cost.central);
        }
        let mut top: Vec<usize> = (0..report.findings.len())
            .filter(|&i| {
                report.findings[i].confidence >= min_confidence
                    && report.findings[i].liability.is_some()
            })
            .collect();
        let cost = |i: usize| {
            report.findings[i]
                .liability
                .as_ref()
                .map_or(0.0, |l| l.yearly_cost.central)
        };
        top.sort_by(|&a, &b| cost(b).total_cmp(&cost(a)).then(a.cmp(&b)));
        top.truncate(5);
        Summary {
            top_by_yearly_cost: top,
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
