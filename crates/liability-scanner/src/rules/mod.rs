//! The rule registry: every rule, registered in one place.
//!
//! A rule is one file under a folder named after its taxonomy category. It declares itself with
//! `declare_rule!`, whose doc comment *is* the rule's documentation page (fixed sections:
//! `## What it does`, `## Why is this a liability?`, `## Example`, `## Use instead`,
//! `## Known limits`), and a `check` function that reads one file's facts and emits findings.
//! Rules never read files: they see facts only, so adding a rule adds no pass over the source.

mod component;
pub mod docs;
mod vocab;

mod auth;
mod authz;
mod cache;
mod config;
mod connection_pool;
mod crypto;
pub mod custom;
mod database;
mod event_bus;
pub mod framework;
mod http_server;
mod notification;
mod observability;
mod queue;
mod rate_limit;
mod realtime;
mod retry;
mod scheduler;
mod search;
mod self_managed_infra;
mod storage;
mod workflow;

pub use component::Component;

use liability_model::{Category, Confidence, Evidence, FileFacts, Finding, Language};

/// A detection rule: metadata plus the function that runs it.
#[derive(Debug)]
pub struct Rule {
    /// Stable kebab-case id naming the pattern found (never the fix).
    pub id: &'static str,
    pub category: Category,
    /// One line, lowercase, no trailing period.
    pub summary: &'static str,
    /// The rule page: the doc comment on the declaration, as Markdown.
    pub doc: &'static str,
    /// The source file, for "view source" links.
    pub source: &'static str,
    pub check: fn(&FileFacts, &mut Sink<'_>),
    /// What a Rust file's text must hold for `check` to find anything in it (declared as
    /// `rust_needs`, `rust_text`, `rust_support`).
    pub rust: Words,
    /// The same for a Python file (`python_needs`, `python_text`, `python_support`). Rules
    /// are language-agnostic, so each language has its own words: the spellings by which
    /// that language's front-end can produce the facts `check` reads.
    pub python: Words,
    /// The same for a JavaScript or TypeScript file, one set for both (`javascript_needs`,
    /// `javascript_text`, `javascript_support`): one front-end reads them, and TypeScript's
    /// annotations make no fact a rule reads that JavaScript could not spell.
    pub javascript: Words,
}

impl Rule {
    /// The rule's words for files of `language`, for the languages the lexical pre-pass
    /// reads (`crate::prepass::LANGUAGES`); `None` for the others, whose files every rule
    /// sees.
    pub fn words(&self, language: Language) -> Option<&Words> {
        match language {
            Language::Rust => Some(&self.rust),
            Language::Python => Some(&self.python),
            Language::JavaScript | Language::TypeScript => Some(&self.javascript),
            _ => None,
        }
    }
}

/// What a file's text, in one language, must contain for a rule's `check` to find anything
/// in it or to see an anchor signal; the input of the lexical pre-pass (`crate::prepass`),
/// which runs a rule only on the files that pass and parses a file only when some rule or the
/// framework summary needs it. Words are case-sensitive substrings anywhere in the text
/// (comments and strings included), so they must err towards admitting: a word missing here
/// would silently lose findings. `prepass::tests`, the rule tests (`test_support`),
/// `examples/needs_check.rs` and `bench/prepass-check.sh` check every finding and anchor
/// against them on the fixtures and corpora.
#[derive(Debug)]
pub struct Words {
    /// Every inner list needs one of its words. Empty: any file may hold the concern; one
    /// empty clause (`&[&[]]`): no file of the language can (rules of other file kinds).
    pub needs: &'static [&'static [&'static str]],
    /// A cheap lexical test of the whole text, for what words cannot mark (a table of wide
    /// decimal constants): the rule runs on a file when its `needs` admit it *and* this holds.
    /// Like the words, it must hold on every file where `check` finds anything or sees an
    /// anchor signal; by default it always holds. It reads a `prepass::Source`, which lexes
    /// the text for Python once for every rule's test (`rust_text` is given a function of the
    /// text alone). A scan consults it until one rule admits the file
    /// (`prepass::WordsPresent::rules_to_run`): it pays by letting a file skip the full parse
    /// for its light front-end (every pre-pass language has one,
    /// `frontend::has_light_front_end`), and once the file is parsed the rule's run costs less
    /// than the test.
    pub text: TextTest,
    /// A cheap lexical test a file must pass for `check` to see a supporting signal in it when
    /// `needs` do not admit it (looser: words with `has_words`, or a test of its own).
    /// Supporting signals only matter when a package's pool has an anchor: `complete_pools`
    /// in `lib.rs` then parses again just the skipped files of that package that pass. By
    /// default it always holds: every such file is parsed. Checked by `prepass::tests` and
    /// `test_support`: every signal comes from a file its rule admits or supports.
    pub support: TextTest,
}

/// Whether `text` holds a word of each clause (the form of `Words::needs`), as plain
/// substrings.
pub(crate) fn has_words(text: &str, clauses: &[&[&str]]) -> bool {
    clauses
        .iter()
        .all(|clause| clause.iter().any(|w| text.contains(w)))
}

/// A lexical test of a file's whole text (`Words::text`, `Words::support`).
pub type TextTest = fn(&crate::prepass::Source<'_>) -> bool;

/// The default `Words::text` and `Words::support`: any text.
pub(crate) fn any_text(_: &crate::prepass::Source<'_>) -> bool {
    true
}

/// Declares a rule: `declare_rule! { /// docs… pub static NAME = { id, category, summary,
/// check, [rust_needs, rust_text, rust_support,] [python_needs, python_text, python_support,]
/// [javascript_needs, javascript_text, javascript_support] } }`; a language without words
/// admits every file (see `Words`). The Rust tests are functions of the text, the Python and
/// JavaScript ones of a `prepass::Source`.
macro_rules! declare_rule {
    (
        $(#[doc = $doc:literal])*
        pub static $name:ident = {
            id: $id:literal,
            category: $category:expr,
            summary: $summary:literal,
            check: $check:path
            $(, rust_needs: $needs:expr)?
            $(, rust_text: $text:expr)?
            $(, rust_support: $support:expr)?
            $(, python_needs: $py_needs:expr)?
            $(, python_text: $py_text:expr)?
            $(, python_support: $py_support:expr)?
            $(, javascript_needs: $js_needs:expr)?
            $(, javascript_text: $js_text:expr)?
            $(, javascript_support: $js_support:expr)? $(,)?
        };
    ) => {
        $(#[doc = $doc])*
        pub static $name: $crate::rules::Rule = $crate::rules::Rule {
            id: $id,
            category: $category,
            summary: $summary,
            doc: concat!($($doc, "\n"),*),
            source: file!(),
            check: $check,
            rust: $crate::rules::Words {
                needs: $crate::rules::needs_or_any(&[$($needs)?]),
                text: $crate::rules::text_or_any(&[$({
                    fn rust_text(source: &$crate::prepass::Source<'_>) -> bool {
                        ($text)(source.text())
                    }
                    rust_text
                })?]),
                support: $crate::rules::text_or_any(&[$({
                    fn rust_support(source: &$crate::prepass::Source<'_>) -> bool {
                        ($support)(source.text())
                    }
                    rust_support
                })?]),
            },
            python: $crate::rules::Words {
                needs: $crate::rules::needs_or_any(&[$($py_needs)?]),
                text: $crate::rules::text_or_any(&[$($py_text)?]),
                support: $crate::rules::text_or_any(&[$($py_support)?]),
            },
            javascript: $crate::rules::Words {
                needs: $crate::rules::needs_or_any(&[$($js_needs)?]),
                text: $crate::rules::text_or_any(&[$($js_text)?]),
                support: $crate::rules::text_or_any(&[$($js_support)?]),
            },
        };
    };
}

/// The `needs` a declaration gave, or none (any file may hold the concern).
pub(crate) const fn needs_or_any(
    given: &[&'static [&'static [&'static str]]],
) -> &'static [&'static [&'static str]] {
    match given {
        [needs] => needs,
        _ => &[],
    }
}
/// The test a declaration gave, or `any_text`.
pub(crate) const fn text_or_any(given: &[TextTest]) -> TextTest {
    match given {
        [text] => *text,
        _ => any_text,
    }
}
pub(crate) use declare_rule;

/// Every rule, sorted by id. Adding a rule means adding one line here.
pub static ALL: &[&Rule] = &[
    &self_managed_infra::ansible_installs_server::ANSIBLE_INSTALLS_SERVER,
    &auth::auth_middleware_by_hand::AUTH_MIDDLEWARE_BY_HAND,
    &connection_pool::blocking_object_pool::BLOCKING_OBJECT_POOL,
    &retry::circuit_breaker_state_machine::CIRCUIT_BREAKER_STATE_MACHINE,
    &self_managed_infra::compose_service_runs_server::COMPOSE_SERVICE_RUNS_SERVER,
    &self_managed_infra::container_image_runs_server::CONTAINER_IMAGE_RUNS_SERVER,
    &scheduler::cron_expression_parser::CRON_EXPRESSION_PARSER,
    &self_managed_infra::crontab_host::CRONTAB_HOST,
    &custom::custom_concern::CUSTOM_CONCERN,
    &event_bus::event_bus_by_hand::EVENT_BUS_BY_HAND,
    &retry::exponential_backoff_policy::EXPONENTIAL_BACKOFF_POLICY,
    &storage::filesystem_by_hand::FILESYSTEM_BY_HAND,
    &http_server::hand_rolled_http_server::HAND_ROLLED_HTTP_SERVER,
    &retry::hand_rolled_retry_loop::HAND_ROLLED_RETRY_LOOP,
    &crypto::hash_or_cipher_by_hand::HASH_OR_CIPHER_BY_HAND,
    &self_managed_infra::helm_chart_runs_server::HELM_CHART_RUNS_SERVER,
    &framework::in_house_framework::IN_HOUSE_FRAMEWORK,
    &cache::in_memory_eviction_cache::IN_MEMORY_EVICTION_CACHE,
    &auth::jwt_by_hand::JWT_BY_HAND,
    &self_managed_infra::kubernetes_cronjob::KUBERNETES_CRONJOB,
    &self_managed_infra::kubernetes_workload_runs_server::KUBERNETES_WORKLOAD_RUNS_SERVER,
    &config::layered_config_loader::LAYERED_CONFIG_LOADER,
    &observability::logger_by_hand::LOGGER_BY_HAND,
    &database::migrations_runner::MIGRATIONS_RUNNER,
    &storage::multipart_parser_by_hand::MULTIPART_PARSER_BY_HAND,
    &authz::policy_evaluation_by_hand::POLICY_EVALUATION_BY_HAND,
    &queue::polling_job_queue::POLLING_JOB_QUEUE,
    &database::query_builder_by_hand::QUERY_BUILDER_BY_HAND,
    &rate_limit::rate_limiter_by_hand::RATE_LIMITER_BY_HAND,
    &search::relevance_scoring_by_hand::RELEVANCE_SCORING_BY_HAND,
    &notification::smtp_client_by_hand::SMTP_CLIENT_BY_HAND,
    &workflow::state_machine_by_hand::STATE_MACHINE_BY_HAND,
    &database::storage_engine_by_hand::STORAGE_ENGINE_BY_HAND,
    &self_managed_infra::systemd_unit_runs_server::SYSTEMD_UNIT_RUNS_SERVER,
    &self_managed_infra::terraform_self_managed_compute::TERRAFORM_SELF_MANAGED_COMPUTE,
    &realtime::websocket_protocol_by_hand::WEBSOCKET_PROTOCOL_BY_HAND,
];

/// The rule with id `id`.
pub fn by_id(id: &str) -> Option<&'static Rule> {
    ALL.iter().copied().find(|r| r.id == id)
}

/// One signal a rule saw: a line and what it means.
#[derive(Debug, Clone)]
pub struct Signal {
    pub line: u32,
    pub message: String,
    /// Whether this signal alone makes the concern credible (a listening socket for an HTTP
    /// server, a claim query for a queue); supporting signals only add weight.
    pub anchor: bool,
}

impl Signal {
    /// A supporting signal.
    pub fn new(line: u32, message: impl Into<String>) -> Self {
        Signal {
            line,
            message: message.into(),
            anchor: false,
        }
    }

    /// A signal specific to the concern.
    pub fn anchor(line: u32, message: impl Into<String>) -> Self {
        Signal {
            line,
            message: message.into(),
            anchor: true,
        }
    }

    /// The kind of signal, for counting distinct ones: the message without counts and
    /// quoted names.
    pub fn kind(&self) -> String {
        let mut out = String::new();
        let mut quoted = false;
        for c in self.message.chars() {
            match c {
                '`' => quoted = !quoted,
                _ if quoted || c.is_ascii_digit() => {}
                _ => out.push(c),
            }
        }
        out
    }
}

/// Whether signals are enough for a file-level concern: an anchor and at least two kinds.
pub fn accepted<'s>(signals: impl IntoIterator<Item = &'s Signal>) -> bool {
    let mut kinds = std::collections::BTreeSet::new();
    let mut anchor = false;
    for s in signals {
        anchor |= s.anchor;
        kinds.insert(s.kind());
    }
    anchor && kinds.len() >= 2
}

/// Signals of a file-level rule that were not enough in their file. Files of one package
/// (see `package_of`) pool their partial signals; a pool that is `accepted` becomes a finding.
#[derive(Debug, Clone)]
pub struct Partial {
    pub rule: &'static Rule,
    pub path: String,
    pub last_line: u32,
    pub code_lines: u32,
    pub complexity: liability_model::Complexity,
    pub signals: Vec<Signal>,
}

/// Where a rule's findings go while it runs on one file.
pub struct Sink<'a> {
    facts: &'a FileFacts,
    rule: &'static Rule,
    findings: &'a mut Vec<Finding>,
    partials: &'a mut Vec<Partial>,
}

impl<'a> Sink<'a> {
    pub fn new(
        facts: &'a FileFacts,
        rule: &'static Rule,
        findings: &'a mut Vec<Finding>,
        partials: &'a mut Vec<Partial>,
    ) -> Self {
        Sink {
            facts,
            rule,
            findings,
            partials,
        }
    }

    /// For concerns that spread over a module: reports the signals as one finding when they
    /// are `accepted` in this file, and otherwise keeps them to pool with the other files of
    /// the package.
    pub fn emit_or_defer(&mut self, signals: Vec<Signal>) {
        if accepted(&signals) {
            let lines: Vec<u32> = signals.iter().map(|s| s.line).collect();
            self.emit(Component::covering(self.facts, &lines), signals);
        } else if !signals.is_empty() {
            self.partials.push(Partial {
                rule: self.rule,
                path: self.facts.path.clone(),
                last_line: self.facts.last_line(),
                code_lines: self.facts.lines.code,
                complexity: self
                    .facts
                    .complexity_in(liability_model::LineSpan::new(1, self.facts.last_line())),
                signals,
            });
        }
    }

    /// Reports the rule's concern in `component`, backed by independent `signals` (one per
    /// kind of evidence). The confidence follows the number of signals.
    pub fn emit(&mut self, component: Component, signals: Vec<Signal>) {
        self.emit_about(component, signals, None);
    }

    /// Like `emit`, naming the concrete thing found (the server a container runs). Findings
    /// in infrastructure files span none of the team's code: their code lines are 0.
    pub fn emit_about(
        &mut self,
        component: Component,
        signals: Vec<Signal>,
        subject: Option<String>,
    ) {
        if signals.is_empty() {
            return;
        }
        let infra = self.facts.language == liability_model::Language::Infrastructure;
        // A server declared in an infrastructure file is read by a parser, not inferred from
        // behaviour: one signal (the image, the package) is already a fact, so medium at least.
        let confidence = if infra {
            Confidence::from_signals(signals.len()).max(Confidence::Medium)
        } else {
            Confidence::from_signals(signals.len())
        };
        let mut evidence: Vec<Evidence> = signals
            .into_iter()
            .map(|s| Evidence {
                path: None,
                line: s.line,
                rule: self.rule.id,
                message: s.message,
            })
            .collect();
        evidence.sort();
        evidence.dedup();
        self.findings.push(Finding {
            rule: self.rule.id,
            category: self.rule.category,
            path: self.facts.path.clone(),
            span: component.span,
            component: component.name,
            subject,
            definition: String::new(),
            confidence,
            evidence,
            code_lines: if infra {
                0
            } else {
                self.facts.code_lines_in(component.span)
            },
            file_code_lines: if infra { 0 } else { self.facts.lines.code },
            complexity: self.facts.complexity_in(component.span),
            liability: None,
            snippet: Vec::new(),
            line_hash: None,
        });
    }
}

/// Runs every enabled rule on one file's facts and merges findings of one category that
/// overlap (several rules seeing the same component) into one, with all their evidence.
/// Also returns the partial signals to pool per package (`pool_partials`).
pub fn run(facts: &FileFacts, rules: &[&'static Rule]) -> (Vec<Finding>, Vec<Partial>) {
    let mut findings = Vec::new();
    let mut partials = Vec::new();
    for rule in rules {
        let mut sink = Sink::new(facts, rule, &mut findings, &mut partials);
        (rule.check)(facts, &mut sink);
    }
    (merge(facts, findings), partials)
}

/// The package a file belongs to: the path before its `src/` folder (a crate or package
/// root), or its own folder.
pub fn package_of(path: &str) -> &str {
    // Tests of the pooling live in `tests::common_dir_*` below.
    if let Some(i) = path.find("/src/") {
        return &path[..i];
    }
    if path.starts_with("src/") {
        return "";
    }
    path.rsplit_once('/').map_or("", |(dir, _)| dir)
}

/// The deepest folder holding every path (`.` for the root).
pub(crate) fn common_dir<'p>(paths: impl Iterator<Item = &'p str>) -> String {
    let mut common: Option<Vec<&str>> = None;
    for path in paths {
        let dir: Vec<&str> = path.split('/').collect();
        let dir = &dir[..dir.len().saturating_sub(1)];
        common = Some(match common {
            None => dir.to_vec(),
            Some(c) => c
                .iter()
                .zip(dir)
                .take_while(|(a, b)| a == b)
                .map(|(a, _)| *a)
                .collect(),
        });
    }
    let dir = common.unwrap_or_default().join("/");
    if dir.is_empty() { ".".to_owned() } else { dir }
}

/// The size and complexity of several parts taken together (sums, and the largest maxima).
pub(crate) fn sum_complexity(
    parts: impl Iterator<Item = liability_model::Complexity>,
) -> liability_model::Complexity {
    parts.fold(liability_model::Complexity::default(), |mut acc, c| {
        acc.functions += c.functions;
        acc.cyclomatic_sum += c.cyclomatic_sum;
        acc.cyclomatic_max = acc.cyclomatic_max.max(c.cyclomatic_max);
        acc.cognitive_sum += c.cognitive_sum;
        acc.cognitive_max = acc.cognitive_max.max(c.cognitive_max);
        acc
    })
}

/// Pools partial signals per (rule, package). A pool that is `accepted` becomes one finding,
/// placed on the file with the most signals and spanning it whole; evidence from the other
/// files names its file. Findings already reported for that rule and package win.
pub fn pool_partials(mut partials: Vec<Partial>, existing: &[Finding]) -> Vec<Finding> {
    partials.sort_by(|a, b| {
        (a.rule.id, package_of(&a.path), &a.path).cmp(&(b.rule.id, package_of(&b.path), &b.path))
    });
    let mut out = Vec::new();
    for group in partials
        .chunk_by(|a, b| a.rule.id == b.rule.id && package_of(&a.path) == package_of(&b.path))
    {
        let rule = group[0].rule;
        let package = package_of(&group[0].path);
        if group.len() < 2 || !accepted(group.iter().flat_map(|p| &p.signals)) {
            continue;
        }
        if existing
            .iter()
            .any(|f| f.rule == rule.id && package_of(&f.path) == package)
        {
            continue;
        }
        // The file with the most signals; ties go to the first path.
        let Some(home) = group.iter().max_by(|a, b| {
            a.signals
                .len()
                .cmp(&b.signals.len())
                .then_with(|| b.path.cmp(&a.path))
        }) else {
            continue;
        };
        let mut seen = std::collections::BTreeSet::new();
        let mut contributing: Vec<&Partial> = Vec::new();
        let mut evidence = Vec::new();
        let mut kinds = 0;
        for p in std::iter::once(home).chain(group.iter().filter(|p| p.path != home.path)) {
            for s in &p.signals {
                if seen.insert(s.kind()) {
                    if contributing.last().is_none_or(|c| c.path != p.path) {
                        contributing.push(p);
                    }
                    kinds += 1;
                    let path = (p.path != home.path).then(|| p.path.clone());
                    evidence.push(Evidence {
                        path,
                        line: s.line,
                        rule: rule.id,
                        message: s.message.clone(),
                    });
                }
            }
        }
        evidence.sort();
        out.push(Finding {
            rule: rule.id,
            category: rule.category,
            path: home.path.clone(),
            span: liability_model::LineSpan::new(1, home.last_line),
            subject: None,
            definition: String::new(),
            component: format!(
                "module {}",
                common_dir(contributing.iter().map(|p| p.path.as_str()))
            ),
            confidence: Confidence::from_signals(kinds),
            evidence,
            // The module is every file that contributed evidence.
            code_lines: contributing.iter().map(|p| p.code_lines).sum(),
            file_code_lines: home.code_lines,
            complexity: sum_complexity(contributing.iter().map(|p| p.complexity)),
            liability: None,
            snippet: Vec::new(),
            line_hash: None,
        });
    }
    out
}

fn merge(facts: &FileFacts, mut findings: Vec<Finding>) -> Vec<Finding> {
    findings.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    let mut merged: Vec<Finding> = Vec::with_capacity(findings.len());
    for finding in findings {
        if let Some(prev) = merged.iter_mut().rev().find(|m| {
            m.category == finding.category
                && m.subject == finding.subject
                && m.span.overlaps(finding.span)
        }) {
            // Keep the larger component's name and the rule that saw more.
            if finding.span.end - finding.span.start > prev.span.end - prev.span.start {
                prev.component = finding.component;
            }
            if finding.confidence > prev.confidence {
                prev.rule = finding.rule;
            }
            // Two rules agreeing on one component are two independent signals.
            let agreeing = if finding.rule == prev.rule {
                Confidence::Low
            } else {
                Confidence::Medium
            };
            prev.span = prev.span.union(finding.span);
            prev.confidence = prev.confidence.max(finding.confidence).max(agreeing);
            prev.evidence.extend(finding.evidence);
            prev.evidence.sort();
            prev.evidence.dedup();
            if facts.language != liability_model::Language::Infrastructure {
                prev.code_lines = facts.code_lines_in(prev.span);
            }
            prev.complexity = facts.complexity_in(prev.span);
        } else {
            merged.push(finding);
        }
    }
    merged
}

#[cfg(test)]
mod tests {
    use super::common_dir;

    #[test]
    fn common_dir_of_module_files() {
        assert_eq!(
            common_dir(["src/server/a.rs", "src/server/b.rs"].into_iter()),
            "src/server"
        );
        assert_eq!(
            common_dir(["src/server/a.rs", "src/jobs/b.rs"].into_iter()),
            "src"
        );
        assert_eq!(common_dir(["a.rs", "b.rs"].into_iter()), ".");
    }
}
