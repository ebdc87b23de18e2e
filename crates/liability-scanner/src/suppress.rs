//! Suppressions: findings a team has decided to keep, with the reason written down.
//!
//! Inline, a comment `liability: allow(<rule-or-category>) <reason>` inside a component or on
//! the lines just above it; in the configuration, `[[ignore]]` entries with a path glob, an
//! optional rule or category, and a mandatory reason.
//!
//! Policy: a suppression never hides silently. A suppressed finding leaves the totals but stays
//! in the report with its reason; a suppression without a reason, or naming an unknown rule or
//! category, is a problem the command line turns into exit code 2; a suppression that matched
//! nothing is reported so it can be deleted.

use liability_model::{Category, Finding, Problem, Suppressed, UnmatchedSuppression};

/// The marker that starts an inline suppression.
pub const MARKER: &str = "liability: allow(";

/// How many lines above a component an inline suppression may stand (doc comments and
/// attributes sit between).
pub const LINES_ABOVE: u32 = 3;

/// An inline suppression found in a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Inline {
    pub path: String,
    pub line: u32,
    pub target: String,
    pub reason: String,
}

/// A suppression from the configuration file.
#[derive(Debug, Clone)]
pub struct ConfigIgnore {
    /// Where it is declared, for messages: `liability.toml [[ignore]] #2`.
    pub source: String,
    pub paths: globset::GlobMatcher,
    /// A rule id or category id; `None` suppresses every finding under the paths.
    pub target: Option<String>,
    pub reason: String,
}

/// Finds inline suppressions in `text`. Markers outside comments are ignored; malformed ones
/// become problems.
pub fn find_inline(path: &str, text: &str) -> (Vec<Inline>, Vec<Problem>) {
    let mut found = Vec::new();
    let mut problems = Vec::new();
    if memchr::memmem::find(text.as_bytes(), MARKER.as_bytes()).is_none() {
        return (found, problems);
    }
    for (i, line) in text.lines().enumerate() {
        let Some(at) = line.find(MARKER) else {
            continue;
        };
        let before = &line[..at];
        let in_comment = ["//", "#", "/*", "--", "*"]
            .iter()
            .any(|c| before.trim_start().starts_with(c) || before.contains("// "));
        if !in_comment {
            continue;
        }
        let line_no = u32::try_from(i + 1).unwrap_or(u32::MAX);
        let rest = &line[at + MARKER.len()..];
        let Some(close) = rest.find(')') else {
            problems.push(Problem {
                path: path.to_owned(),
                line: line_no,
                message: "suppression is missing `)` after the rule or category".into(),
            });
            continue;
        };
        let target = rest[..close].trim().to_owned();
        let reason = rest[close + 1..]
            .trim_end_matches("*/")
            .trim()
            .trim_start_matches(['—', '–', '-', ':', ' '])
            .trim()
            .to_owned();
        if let Err(message) = check_target(&target) {
            problems.push(Problem {
                path: path.to_owned(),
                line: line_no,
                message,
            });
            continue;
        }
        if reason.is_empty() {
            problems.push(Problem {
                path: path.to_owned(),
                line: line_no,
                message: format!(
                    "suppression of `{target}` has no reason; write why after `allow({target})`"
                ),
            });
            continue;
        }
        found.push(Inline {
            path: path.to_owned(),
            line: line_no,
            target,
            reason,
        });
    }
    (found, problems)
}

/// Whether `target` names a rule or a category.
pub fn check_target(target: &str) -> Result<(), String> {
    if target.parse::<Category>().is_ok() || crate::rules::by_id(target).is_some() {
        Ok(())
    } else {
        Err(format!(
            "`{target}` is neither a rule nor a category (`liability rules` lists them)"
        ))
    }
}

fn targets(finding: &Finding, target: &str) -> bool {
    target == finding.rule
        || target == finding.category.id()
        || finding.evidence.iter().any(|e| e.rule == target)
}

/// Splits `findings` into kept and suppressed, and lists the suppressions that matched nothing.
pub fn apply(
    findings: Vec<Finding>,
    inline: &[Inline],
    config: &[ConfigIgnore],
) -> (Vec<Finding>, Vec<Suppressed>, Vec<UnmatchedSuppression>) {
    let mut inline_used = vec![false; inline.len()];
    let mut config_used = vec![false; config.len()];
    let mut kept = Vec::new();
    let mut suppressed = Vec::new();
    for finding in findings {
        let by_inline = inline.iter().position(|s| {
            s.path == finding.path
                && targets(&finding, &s.target)
                && (finding.span.contains(s.line)
                    || (s.line < finding.span.start && finding.span.start - s.line <= LINES_ABOVE))
        });
        if let Some(i) = by_inline {
            inline_used[i] = true;
            let s = &inline[i];
            suppressed.push(Suppressed {
                finding,
                reason: s.reason.clone(),
                source: format!("{}:{}", s.path, s.line),
            });
            continue;
        }
        let by_config = config.iter().position(|c| {
            c.paths.is_match(&finding.path)
                && c.target.as_deref().is_none_or(|t| targets(&finding, t))
        });
        if let Some(i) = by_config {
            config_used[i] = true;
            let c = &config[i];
            suppressed.push(Suppressed {
                finding,
                reason: c.reason.clone(),
                source: c.source.clone(),
            });
            continue;
        }
        kept.push(finding);
    }
    let mut unmatched: Vec<UnmatchedSuppression> = inline
        .iter()
        .zip(&inline_used)
        .filter(|(_, used)| !**used)
        .map(|(s, _)| UnmatchedSuppression {
            source: format!("{}:{}", s.path, s.line),
            target: s.target.clone(),
            reason: s.reason.clone(),
        })
        .collect();
    unmatched.extend(
        config
            .iter()
            .zip(&config_used)
            .filter(|(_, used)| !**used)
            .map(|(c, _)| UnmatchedSuppression {
                source: c.source.clone(),
                target: c.target.clone().unwrap_or_else(|| "*".into()),
                reason: c.reason.clone(),
            }),
    );
    (kept, suppressed, unmatched)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_inline_suppressions_and_their_problems() {
        let text = "fn a() {}\n// liability: allow(retry) — the SDK has no retry for this call\nlet s = \"liability: allow(cache) not a comment\";\n# liability: allow(cache)\n// liability: allow(gold-plating) because\n/* liability: allow(hand-rolled-retry-loop): vendor quirk */\n";
        let (found, problems) = find_inline("src/a.rs", text);
        assert_eq!(found.len(), 2, "{found:?}");
        assert_eq!(
            found[0],
            Inline {
                path: "src/a.rs".into(),
                line: 2,
                target: "retry".into(),
                reason: "the SDK has no retry for this call".into()
            }
        );
        assert_eq!(found[1].reason, "vendor quirk");
        assert_eq!(problems.len(), 2, "{problems:?}");
        assert_eq!(problems[0].line, 4);
        assert!(problems[0].message.contains("has no reason"));
        assert!(problems[1].message.contains("`gold-plating` is neither"));
    }
}
