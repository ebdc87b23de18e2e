//! From `Options` (what the file says) to `Settings` (what the tools consume): defaults filled
//! in, globs compiled, levels and parameters typed. The command line then overrides single
//! fields of `Settings`.

use crate::{ConfigError, Level, Options};
use liability_model::{Category, Confidence, Finding};
use liability_scanner::suppress::ConfigIgnore;
use std::collections::BTreeMap;

/// Resolved configuration.
#[derive(Debug, Clone)]
pub struct Settings {
    pub include: Vec<String>,
    pub exclude: Vec<String>,
    pub max_file_size: u64,
    pub follow_links: bool,
    pub threads: usize,
    pub min_confidence: Option<Confidence>,
    pub history: bool,
    /// Language ids switched off.
    pub languages_off: Vec<String>,
    pub format: Option<String>,
    pub cloud: Option<String>,
    pub color: Option<String>,
    pub markdown_budget: Option<usize>,
    pub outputs: Vec<String>,
    pub levels: Levels,
    pub cost: liability_cost::Params,
    pub gate: liability_gate::Thresholds,
    pub baseline: String,
    pub ignores: Vec<ConfigIgnore>,
    pub concerns: Vec<crate::ConcernOptions>,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            include: Vec::new(),
            exclude: Vec::new(),
            max_file_size: liability_scanner::DEFAULT_MAX_FILE_SIZE,
            follow_links: false,
            threads: 0,
            min_confidence: None,
            history: true,
            languages_off: Vec::new(),
            format: None,
            cloud: None,
            color: None,
            markdown_budget: None,
            outputs: Vec::new(),
            levels: Levels::default(),
            cost: liability_cost::Params::default(),
            gate: liability_gate::Thresholds::default(),
            baseline: ".liability/baseline.json".to_owned(),
            ignores: Vec::new(),
            concerns: Vec::new(),
        }
    }
}

/// Levels per rule and category; a rule's level wins over its category's; `warn` otherwise.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Levels(pub BTreeMap<String, Level>);

impl Levels {
    pub fn of(&self, finding: &Finding) -> Level {
        self.0
            .get(finding.rule)
            .or_else(|| self.0.get(finding.category.id()))
            .copied()
            .unwrap_or(Level::Warn)
    }
}

impl Options {
    /// Settings from this file (`shown` names it in messages).
    pub fn resolve(&self, shown: &str) -> Result<Settings, ConfigError> {
        let mut s = Settings::default();
        let invalid = |key: &str, message: String| ConfigError::Invalid {
            path: shown.to_owned(),
            key: key.to_owned(),
            message,
        };
        if let Some(scan) = &self.scan {
            s.include = scan.include.clone().unwrap_or_default();
            s.exclude = scan.exclude.clone().unwrap_or_default();
            s.max_file_size = scan.max_file_size.unwrap_or(s.max_file_size);
            s.follow_links = scan.follow_links.unwrap_or(false);
            s.threads = scan.threads.unwrap_or(0);
            s.history = scan.history.unwrap_or(true);
            s.min_confidence = scan
                .min_confidence
                .as_deref()
                .map(str::parse)
                .transpose()
                .map_err(|e| invalid("scan.min_confidence", e))?;
            s.languages_off = scan
                .languages
                .iter()
                .flatten()
                .filter(|(_, on)| !**on)
                .map(|(id, _)| id.clone())
                .collect();
        }
        if let Some(report) = &self.report {
            s.format.clone_from(&report.format);
            s.cloud.clone_from(&report.cloud);
            s.color.clone_from(&report.color);
            s.markdown_budget = report.markdown_budget;
            s.outputs = report.outputs.clone().unwrap_or_default();
        }
        if let Some(levels) = &self.levels {
            s.levels = Levels(levels.clone());
        }
        if let Some(c) = &self.cost {
            let p = &mut s.cost;
            if let Some(m) = &c.cocomo {
                p.cocomo = match m.as_str() {
                    "semi-detached" => liability_cost::Cocomo::SEMI_DETACHED,
                    "embedded" => liability_cost::Cocomo::EMBEDDED,
                    _ => liability_cost::Cocomo::ORGANIC,
                };
            }
            if let Some(v) = c.eaf {
                p.cocomo.eaf = v;
            }
            p.average_wage = c.average_wage.unwrap_or(p.average_wage);
            p.overhead = c.overhead.unwrap_or(p.overhead);
            if let Some(cur) = &c.currency {
                p.currency.clone_from(cur);
            }
            p.working_hours_per_year = c.working_hours_per_year.unwrap_or(p.working_hours_per_year);
            p.window_days = c.window_days.unwrap_or(p.window_days);
            p.maintenance_fraction = c.maintenance_fraction.unwrap_or(p.maintenance_fraction);
            p.migration_hours_per_line = c
                .migration_hours_per_line
                .unwrap_or(p.migration_hours_per_line);
            for (name, o) in c.category.iter().flatten() {
                let category: Category =
                    name.parse()
                        .map_err(|e: liability_model::UnknownCategory| {
                            invalid("cost.category", e.to_string())
                        })?;
                let mut cp = p.category(category);
                cp.ops_hours_per_year = o.ops_hours_per_year.unwrap_or(cp.ops_hours_per_year);
                cp.retirable_share = o.retirable_share.unwrap_or(cp.retirable_share);
                cp.migration_base_hours = o.migration_base_hours.unwrap_or(cp.migration_base_hours);
                p.set_category(category, cp);
            }
        }
        if let Some(g) = &self.gate {
            let t = &mut s.gate;
            t.fail_on_new = g.fail_on_new.unwrap_or(t.fail_on_new);
            t.grow_lines = g.grow_lines.unwrap_or(t.grow_lines);
            t.grow_ratio = g.grow_ratio.unwrap_or(t.grow_ratio);
            t.tolerance_abs = g.tolerance.unwrap_or(t.tolerance_abs);
            t.tolerance_ratio = g.tolerance_ratio.unwrap_or(t.tolerance_ratio);
            for (name, limit) in g.limits.iter().flatten() {
                let category: Category =
                    name.parse()
                        .map_err(|e: liability_model::UnknownCategory| {
                            invalid("gate.limits", e.to_string())
                        })?;
                t.category_limits.insert(category, *limit);
            }
            if let Some(b) = &g.baseline {
                s.baseline.clone_from(b);
            }
        }
        for (i, ig) in self.ignore.iter().enumerate() {
            let glob = globset::Glob::new(&ig.path)
                .map_err(|e| invalid(&format!("ignore[{i}]"), e.to_string()))?;
            s.ignores.push(ConfigIgnore {
                source: format!("{shown} [[ignore]] #{}", i + 1),
                paths: glob.compile_matcher(),
                target: ig.rule.clone().or_else(|| ig.category.clone()),
                reason: ig.reason.clone(),
            });
        }
        s.concerns.clone_from(&self.concern);
        Ok(s)
    }
}

#[cfg(test)]
mod tests {
    use crate::parse;

    #[test]
    fn every_key_takes_effect() {
        let text = r#"
[scan]
include = ["src/**"]
exclude = ["gen/**"]
max_file_size = 1000
follow_links = true
threads = 3
min_confidence = "high"
history = false
languages = { rust = false }
[report]
format = "json"
cloud = "gcp"
color = "never"
markdown_budget = 5000
outputs = ["sarif=out.sarif", "-"]
[levels]
retry = "deny"
cache = "allow"
[cost]
cocomo = "embedded"
eaf = 1.2
average_wage = 100000.0
overhead = 2.0
currency = "EUR"
working_hours_per_year = 1600.0
maintenance_fraction = 0.2
window_days = 90
migration_hours_per_line = 0.1
[cost.category.retry]
ops_hours_per_year = 7.0
retirable_share = 0.5
migration_base_hours = 2.0
[gate]
baseline = "ci/baseline.json"
fail_on_new = false
grow_lines = 5
grow_ratio = 0.1
tolerance = 100.0
tolerance_ratio = 0.0
[gate.limits]
auth = 5000.0
[[ignore]]
path = "legacy/**"
category = "retry"
reason = "being replaced"
[[concern]]
name = "platform"
category = "framework"
paths = ["platform/**"]
"#;
        let s = parse(text, "t").unwrap().resolve("t").unwrap();
        assert_eq!(
            (
                s.include.len(),
                s.exclude.len(),
                s.max_file_size,
                s.follow_links,
                s.threads
            ),
            (1, 1, 1000, true, 3)
        );
        assert_eq!(s.min_confidence, Some(liability_model::Confidence::High));
        assert!(!s.history);
        assert_eq!(s.languages_off, ["rust"]);
        assert_eq!(
            (s.format.as_deref(), s.cloud.as_deref(), s.color.as_deref()),
            (Some("json"), Some("gcp"), Some("never"))
        );
        assert_eq!(s.markdown_budget, Some(5000));
        assert_eq!(s.outputs, ["sarif=out.sarif", "-"]);
        assert_eq!(s.levels.0.len(), 2);
        let p = &s.cost;
        assert_eq!(
            (p.cocomo.a, p.cocomo.eaf, p.average_wage, p.overhead),
            (3.6, 1.2, 100_000.0, 2.0)
        );
        assert_eq!(
            (
                p.currency.as_str(),
                p.working_hours_per_year,
                p.maintenance_fraction,
                p.window_days
            ),
            ("EUR", 1600.0, 0.2, 90)
        );
        assert_eq!(p.migration_hours_per_line, 0.1);
        let r = p.category(liability_model::Category::Retry);
        assert_eq!(
            (
                r.ops_hours_per_year,
                r.retirable_share,
                r.migration_base_hours
            ),
            (7.0, 0.5, 2.0)
        );
        let g = &s.gate;
        assert_eq!(
            (
                g.fail_on_new,
                g.grow_lines,
                g.grow_ratio,
                g.tolerance_abs,
                g.tolerance_ratio
            ),
            (false, 5, 0.1, 100.0, 0.0)
        );
        assert_eq!(
            g.category_limits.get(&liability_model::Category::Auth),
            Some(&5000.0)
        );
        assert_eq!(s.baseline, "ci/baseline.json");
        assert_eq!(s.ignores.len(), 1);
        assert!(s.ignores[0].paths.is_match("legacy/a.rs"));
        assert_eq!(s.ignores[0].source, "t [[ignore]] #1");
        assert_eq!(s.concerns.len(), 1);
    }
}
