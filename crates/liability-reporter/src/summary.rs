//! Aggregates shared by every format: totals per category and per folder, and the ranking
//! that picks the next best action. Ranking lives here and only here.

use liability_model::{Category, Confidence, Finding, Report};
use std::collections::BTreeMap;

/// Totals of one category.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct CategorySummary {
    pub findings: u64,
    pub code_lines: u64,
    /// Central yearly cost of the priced findings.
    pub yearly_cost: f64,
    /// Yearly cost the suggested replacements retire.
    pub retirable_yearly_cost: f64,
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
    /// Central yearly cost and retirable cost of the shown findings.
    pub yearly_cost: f64,
    pub retirable_yearly_cost: f64,
    /// Whether any shown finding is priced.
    pub priced: bool,
    pub by_category: BTreeMap<Category, CategorySummary>,
    /// Findings hidden because they are below the confidence shown.
    pub hidden: u64,
    /// Indexes into `report.findings` of the shown findings with the highest central yearly
    /// cost, highest first (ties: report order).
    pub top_by_yearly_cost: Vec<usize>,
    /// Indexes of every shown finding, best next action first (see `rank`).
    pub ranked: Vec<usize>,
}

impl Summary {
    pub fn of(report: &Report, min_confidence: Confidence) -> Summary {
        let mut by_category: BTreeMap<Category, CategorySummary> = BTreeMap::new();
        let mut hidden = 0;
        let mut priced = false;
        for f in &report.findings {
            if f.confidence < min_confidence {
                hidden += 1;
                continue;
            }
            let entry = by_category.entry(f.category).or_default();
            entry.findings += 1;
            entry.code_lines += u64::from(f.code_lines);
            if let Some(l) = &f.liability {
                priced = true;
                entry.yearly_cost += l.yearly_cost.central;
                entry.retirable_yearly_cost += l.retirable_yearly_cost;
            }
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
            ranked: rank(report, min_confidence),
            files_scanned: report.files_scanned,
            files_skipped: report.skipped.len() as u64,
            code_lines: report.code_lines(),
            findings: by_category.values().map(|c| c.findings).sum(),
            finding_lines: by_category.values().map(|c| c.code_lines).sum(),
            yearly_cost: by_category.values().map(|c| c.yearly_cost).sum(),
            retirable_yearly_cost: by_category.values().map(|c| c.retirable_yearly_cost).sum(),
            priced,
            by_category,
            hidden,
        }
    }

    /// The index of the next best action: the first ranked finding.
    pub fn next_best_action(&self) -> Option<usize> {
        self.ranked.first().copied()
    }
}

/// How much a finding's migration pays back: the retirable yearly cost per migration hour
/// (`None` when unpriced).
pub fn payback_per_hour(f: &Finding) -> Option<f64> {
    f.liability
        .as_ref()
        .map(|l| l.retirable_yearly_cost / l.migration_hours.max(1.0))
}

/// The shown findings in next-best-action order: priced findings by retirable yearly cost per
/// migration hour, highest first; then unpriced findings by code lines. Ties go to the larger
/// retirable cost, then to report order (path, line), so the ranking is deterministic.
pub fn rank(report: &Report, min_confidence: Confidence) -> Vec<usize> {
    let mut shown: Vec<usize> = (0..report.findings.len())
        .filter(|&i| report.findings[i].confidence >= min_confidence)
        .collect();
    let key = |i: usize| {
        let f = &report.findings[i];
        match &f.liability {
            Some(l) => (
                1u8,
                payback_per_hour(f).unwrap_or(0.0),
                l.retirable_yearly_cost,
            ),
            None => (0u8, f64::from(f.code_lines), 0.0),
        }
    };
    shown.sort_by(|&a, &b| {
        let (ka, kb) = (key(a), key(b));
        kb.0.cmp(&ka.0)
            .then(kb.1.total_cmp(&ka.1))
            .then(kb.2.total_cmp(&ka.2))
            .then(a.cmp(&b))
    });
    shown
}

/// Yearly liability (central cost, or code lines when unpriced) per folder, for treemaps.
/// Keys are folder paths (`.` for the root); values sum the findings placed in that folder.
pub fn by_folder(report: &Report, min_confidence: Confidence) -> BTreeMap<String, f64> {
    let mut out: BTreeMap<String, f64> = BTreeMap::new();
    for f in report
        .findings
        .iter()
        .filter(|f| f.confidence >= min_confidence)
    {
        let folder = f.path.rsplit_once('/').map_or(".", |(d, _)| d);
        *out.entry(folder.to_owned()).or_default() += weight(f);
    }
    out
}

/// The size of a finding in charts: its central yearly cost, or its code lines if unpriced.
pub fn weight(f: &Finding) -> f64 {
    f.liability
        .as_ref()
        .map_or(f64::from(f.code_lines), |l| l.yearly_cost.central)
}
