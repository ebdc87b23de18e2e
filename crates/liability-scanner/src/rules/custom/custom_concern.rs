//! A module, package or folder the team itself declared as a concern in `liability.toml`.

use crate::rules::declare_rule;
use crate::rules::framework::FileSummary;
use liability_model::{Category, Confidence, Evidence, FileFacts, Finding, LineSpan};

declare_rule! {
    /// ## What it does
    /// Reports the concerns a team declares in its configuration (`[[concern]]` in
    /// `liability.toml`): its own framework, platform layer or infrastructure code, named by
    /// paths (globs), module paths (`crate::platform`) or import prefixes (`acme_platform`).
    /// Files matching the paths are the concern's own code; files importing it are its
    /// dependents, and they raise its liability like a framework's.
    ///
    /// ## Why is this a liability?
    /// The team knows its own weekend frameworks better than any detector. Declaring them puts
    /// them on the same price list, gate and next-best-action ranking as everything else, so
    /// the decision to keep them is visible and revisited.
    ///
    /// ## Example
    /// ```toml
    /// [[concern]]
    /// name = "acme-platform"
    /// category = "framework"
    /// paths = ["crates/platform/**"]
    /// imports = ["acme_platform"]
    /// ```
    ///
    /// ## Use instead
    /// Whatever the declared category's replacement is (`liability rule` of that category's
    /// rules, `docs/rules/`), or a well-kept framework for an in-house one.
    ///
    /// ## Known limits
    /// Import matching sees the first two segments of each import (`acme_platform::auth`), so a
    /// prefix deeper than that matches on its first two segments only. A concern matched only
    /// by imports (its code lives in another repository) is reported on its first importer
    /// with no code lines of its own.
    pub static CUSTOM_CONCERN = {
        id: "custom-concern",
        category: Category::Framework,
        summary: "a concern the team declared in its configuration",
        check: check,
        // `check` is empty (declared concerns are detected over the whole tree): an empty clause is
        // never satisfied, so the rule never runs on a Rust file.
        rust_needs: &[&[]],
        // Nor on a Python file, for the same reason.
        python_needs: &[&[]],
        // Nor on a JavaScript or TypeScript file.
        javascript_needs: &[&[]],
    };
}

/// Declared concerns are matched after the scan, across files; nothing to do per file.
fn check(_facts: &FileFacts, _sink: &mut crate::rules::Sink<'_>) {}

/// A concern from the configuration, compiled.
#[derive(Debug, Clone)]
pub struct Concern {
    pub name: String,
    pub category: Category,
    pub paths: globset::GlobSet,
    /// Import and module prefixes (`acme_platform`, `crate::platform`), `::`-separated.
    pub prefixes: Vec<String>,
}

fn imports_prefix(import: &str, prefix: &str) -> bool {
    import == prefix
        || import.starts_with(&format!("{prefix}::"))
        || prefix.starts_with(&format!("{import}::"))
}

/// One finding per concern that matched anything.
/// Findings for the declared `concerns` among `files`; `complexity_of` as for
/// `framework::detect`.
pub fn detect(
    concerns: &[Concern],
    files: &[FileSummary],
    complexity_of: &dyn Fn(&FileSummary) -> liability_model::Complexity,
) -> Vec<Finding> {
    let mut out = Vec::new();
    for concern in concerns {
        let own: Vec<&FileSummary> = files
            .iter()
            .filter(|f| concern.paths.is_match(&f.path))
            .collect();
        let dependents: Vec<&FileSummary> = files
            .iter()
            .filter(|f| !concern.paths.is_match(&f.path))
            .filter(|f| {
                f.imports
                    .iter()
                    .any(|i| concern.prefixes.iter().any(|p| imports_prefix(i, p)))
            })
            .collect();
        let Some(home) = own.first().or(dependents.first()) else {
            continue;
        };
        let mut evidence = vec![Evidence {
            path: None,
            line: 1,
            rule: CUSTOM_CONCERN.id,
            message: format!(
                "declared in the configuration as concern `{}` ({})",
                concern.name, concern.category
            ),
        }];
        if !own.is_empty() {
            let names: Vec<&str> = own.iter().take(5).map(|f| f.path.as_str()).collect();
            evidence.push(Evidence {
                path: None,
                line: 1,
                rule: CUSTOM_CONCERN.id,
                message: format!(
                    "{} file(s) of its own: {}{}",
                    own.len(),
                    names.join(", "),
                    if own.len() > 5 { ", …" } else { "" }
                ),
            });
        }
        if !dependents.is_empty() {
            let names: Vec<&str> = dependents.iter().take(5).map(|f| f.path.as_str()).collect();
            evidence.push(Evidence {
                path: None,
                line: 1,
                rule: CUSTOM_CONCERN.id,
                message: format!(
                    "imported by {} file(s): {}{}",
                    dependents.len(),
                    names.join(", "),
                    if dependents.len() > 5 { ", …" } else { "" }
                ),
            });
        }
        let mut complexity = crate::rules::sum_complexity(
            own.iter()
                .map(|f| f.complexity.unwrap_or_else(|| complexity_of(f))),
        );
        complexity.dependents = u32::try_from(dependents.len()).unwrap_or(u32::MAX);
        complexity.dependent_code_lines = dependents.iter().map(|f| f.code_lines).sum();
        out.push(Finding {
            rule: CUSTOM_CONCERN.id,
            category: concern.category,
            path: home.path.clone(),
            span: LineSpan::new(1, home.last_line.max(1)),
            component: format!("concern {}", concern.name),
            definition: String::new(),
            subject: Some(concern.name.clone()),
            // The team said so: the highest confidence there is.
            confidence: Confidence::High,
            evidence,
            code_lines: own.iter().map(|f| f.code_lines).sum(),
            file_code_lines: home.code_lines,
            complexity,
            liability: None,
            snippet: Vec::new(),
            line_hash: None,
        });
    }
    out
}
