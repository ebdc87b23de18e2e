//! Jobs with a status, claimed from storage by a polling worker.

use crate::rules::vocab::{SLEEP_CALLS, call_is, calls_any, enum_or_quoted_set, words_in_any_case};
use crate::rules::{Signal, Sink, declare_rule};
use liability_model::{Category, EventKind, FileFacts, TypeKind};

declare_rule! {
    /// ## What it does
    /// Finds a job queue built in-house: job states kept in an enum (pending, running,
    /// failed, ...), work claimed atomically from a table or a Redis list
    /// (`FOR UPDATE SKIP LOCKED`, `BRPOP`, `RPOPLPUSH`), status updates written back, and a
    /// worker loop that polls for the next job and sleeps when there is none.
    ///
    /// ## Why is this a liability?
    /// A queue on a database table is a distributed system: visibility timeouts, poison
    /// messages, dead letters, at-least-once delivery, worker crashes mid-job, table bloat and
    /// lock contention. Every one of those is an incident waiting for its first busy day.
    ///
    /// ## Example
    /// ```rust
    /// enum JobState { Pending, Running, Failed, Done }
    /// loop {
    ///     let job = sqlx::query_as("SELECT * FROM jobs WHERE state = 'pending' FOR UPDATE SKIP LOCKED LIMIT 1")
    ///         .fetch_optional(&pool).await?;
    ///     match job { Some(job) => run(job).await, None => sleep(Duration::from_secs(1)).await }
    /// }
    /// ```
    ///
    /// ## Use instead
    /// SQS with a Lambda event source mapping and a dead-letter queue (Azure Queue Storage or
    /// Service Bus; Cloud Tasks or Pub/Sub). In-process or self-hosted, `apalis`.
    ///
    /// ## Known limits
    /// A status enum alone is common in business code, even with status updates in SQL; the
    /// rule needs atomic claiming or a polling worker.
    pub static POLLING_JOB_QUEUE = {
        id: "polling-job-queue",
        category: Category::Queue,
        summary: "jobs with status claimed by a polling worker",
        check: check,
        // Anchors only: a claim (`SKIP LOCKED`, `CLAIM_COMMANDS` in the casings code writes), or a
        // poller that sleeps (`SLEEP_CALLS`) in a loop with a `None`/`Some` branch.
        rust_needs: &[
            &[
                "ocked", "OCKED", "lpop", "LPOP", "LPop", "rpop", "RPOP", "Rpop", "RPop", "popmin",
                "POPMIN", "PopMin", "lmove", "LMOVE", "LMove", "sleep", "time::Sleep", "Delay::new",
                "Timer::after", "time::After", "delay_for",
            ],
            &[
                "ocked", "OCKED", "lpop", "LPOP", "LPop", "rpop", "RPOP", "Rpop", "RPop", "popmin",
                "POPMIN", "PopMin", "lmove", "LMOVE", "LMove", "None", "Some", "is_none", "is_some",
            ],
        ],
        // The lexical test asks for `SKIP LOCKED` whole, a claim command, or a sleep called
        // (`sleep` and `locked` are also words of prose and of names).
        rust_text: anchor_text,
        // The supporting signals, read lexically (`support_text`; `complete_pools` parses only
        // files passing it).
        rust_support: support_text,
        // In Python: a claim as above, or a poller that sleeps (`SLEEP_CALLS` as the text spells
        // them) in a loop with an absence branch (`is None`, `== None`, `if not x`); the test
        // reads the claims from the strings and the poller from one function
        // (`python_claims_or_poller`).
        python_needs: &[
            &[
                "ocked", "OCKED", "lpop", "LPOP", "LPop", "rpop", "RPOP", "Rpop", "RPop", "popmin",
                "POPMIN", "PopMin", "lmove", "LMOVE", "LMove", "sleep", "time.Sleep", "Delay.new",
                "Timer.after", "time.After", "delay_for",
            ],
            &[
                "ocked", "OCKED", "lpop", "LPOP", "LPop", "rpop", "RPOP", "Rpop", "RPop", "popmin",
                "POPMIN", "PopMin", "lmove", "LMOVE", "LMove", "None", "not ", "not\t",
            ],
        ],
        python_text: python_claims_or_poller,
        // The supporting signals (files holding an anchor are admitted by `python_needs`): a
        // job-state enum (a class whose bases name `Enum`) or `match` (with its `case`s) over
        // three job states (`JOB_STATES`, any casing, `_` ignored; `New` and `Ready` may be
        // missing), or a literal `UPDATE .. SET ..` of a state or status. (E ∧ S) ∨ (M ∧ C ∧ S)
        // ∨ (U ∧ T ∧ X), as five clauses; the test reads them whole (`python_support_text`).
        python_support: python_support_text,
        // In JavaScript: a claim as above, or a poller that sleeps (`SLEEP_CALLS`, or
        // `setTimeout` awaited or in a `new Promise`, read as `sleep`); its absence branch (`!x`,
        // `??`, `== null`) has no word of its own.
        javascript_needs: &[
            &["ocked", "OCKED", "lpop", "LPOP", "LPop", "rpop", "RPOP", "Rpop", "RPop", "popmin", "POPMIN", "PopMin", "lmove", "LMOVE", "LMove", "sleep", "setTimeout", "Delay", "Timer.after", "time.After", "delay_for"],
        ],
        // And a claim word, or a sleep called (`vocab::javascript_sleeps`).
        javascript_text: |source| {
            crate::prepass::has_any(source.text(), JAVASCRIPT_CLAIMS)
                || crate::rules::vocab::javascript_sleeps(source.text())
        },
    };
}

/// The claim words of `javascript_needs` (`SKIP LOCKED`, `CLAIM_COMMANDS` in the casings
/// code writes), for its lexical test.
const JAVASCRIPT_CLAIMS: &[&str] = &[
    "ocked", "OCKED", "lpop", "LPOP", "LPop", "rpop", "RPOP", "Rpop", "RPop", "popmin", "POPMIN",
    "PopMin", "lmove", "LMOVE", "LMove",
];

const JOB_STATES: &[&str] = &[
    "Active",
    "Delayed",
    "Pending",
    "Queued",
    "New",
    "Ready",
    "Running",
    "InProgress",
    "Processing",
    "Done",
    "Completed",
    "Finished",
    "Succeeded",
    "Failed",
    "Retried",
    "Retrying",
    "Dead",
    "Scheduled",
    "Waiting",
];
const CLAIM_COMMANDS: &[&str] = &[
    "BLMOVE",
    "BLPOP",
    "BRPOP",
    "BRPOPLPUSH",
    "BZPOPMIN",
    "RPOPLPUSH",
    "ZPOPMIN",
];

fn check(facts: &FileFacts, sink: &mut Sink<'_>) {
    let mut signals = Vec::new();
    if let Some(ty) = facts
        .types
        .iter()
        .filter(|t| t.kind == TypeKind::Enum)
        .find(|t| {
            let states = JOB_STATES
                .iter()
                .filter(|s| t.variants.iter().any(|v| same_state(v, s)))
                .count();
            states >= 3 && t.variants.len() <= 12
        })
    {
        // Supporting only: business code has status enums too (`OrderStatus`).
        signals.push(Signal::new(
            ty.span.start,
            format!("models job states in enum `{}`", ty.name),
        ));
    }
    // Job states as strings, dispatched on (`case 'waiting': case 'active':`).
    if !signals
        .iter()
        .any(|s: &Signal| s.message.contains("job states"))
        && let Some(e) = facts
            .functions
            .iter()
            .flat_map(|f| &f.events)
            .find(|e| match &e.kind {
                EventKind::Match { arms, .. } => {
                    JOB_STATES
                        .iter()
                        .filter(|s| {
                            arms.iter()
                                .flat_map(|a| a.split('|'))
                                .any(|a| a.starts_with('"') && same_state(a.trim_matches('"'), s))
                        })
                        .count()
                        >= 3
                }
                _ => false,
            })
    {
        signals.push(Signal::new(e.line, "dispatches on job states"));
    }
    if let Some(l) = facts.literals.iter().find(|l| {
        let up = l.value.to_ascii_uppercase();
        up.contains("SKIP LOCKED")
            || CLAIM_COMMANDS
                .iter()
                .any(|c| up.split_whitespace().next() == Some(c))
    }) {
        signals.push(Signal::anchor(
            l.line,
            "claims work atomically from shared storage",
        ));
    } else if let Some(e) = facts
        .functions
        .iter()
        .flat_map(|f| f.calls())
        .find(|(_, c)| {
            c.is_method
                && CLAIM_COMMANDS
                    .iter()
                    .any(|cmd| c.name().eq_ignore_ascii_case(cmd))
        })
    {
        signals.push(Signal::anchor(
            e.0.line,
            "claims work with a blocking list pop",
        ));
    }
    if let Some(l) = facts.literals.iter().find(|l| {
        let up = l.value.to_ascii_uppercase();
        up.contains("UPDATE ")
            && (up.contains("STATE") || up.contains("STATUS"))
            && up.contains(" SET ")
    }) {
        signals.push(Signal::new(l.line, "writes job status back to storage"));
    }
    let poller = facts.functions.iter().find_map(|f| {
        f.loops.iter().enumerate().find_map(|(id, lp)| {
            let id = u32::try_from(id).ok()?;
            let events: Vec<_> = f.events_in_loop(id).collect();
            let sleeps = events
                .iter()
                .any(|e| matches!(&e.kind, EventKind::Call(c) if call_is(c, SLEEP_CALLS)));
            let empty = events.iter().any(|e| e.kind == EventKind::NoneBranch);
            (sleeps && empty).then_some(lp.span.start)
        })
    });
    if let Some(line) = poller {
        signals.push(Signal::anchor(
            line,
            "polls for the next job and sleeps when there is none",
        ));
    }
    sink.emit_or_defer(signals);
}

/// The Python lexical test: a claim in a string literal (`SKIP LOCKED`, or a `CLAIM_COMMANDS`
/// first word, any casing: `prepass::PythonText::literal_values`), a method call named a claim
/// command (`.blpop(`), or one function (`prepass::PythonText::functions`: the poller's loop
/// is one function's) that sleeps, tests absence (`None`, `not`) and loops (`for`, `while`).
fn python_claims_or_poller(source: &crate::prepass::Source<'_>) -> bool {
    let text = source.python_code();
    let claim = |word: &str| CLAIM_COMMANDS.iter().any(|c| word.eq_ignore_ascii_case(c));
    let literal = || {
        source.python().literal_values().any(|value| {
            let value = value.to_ascii_uppercase();
            value.contains("SKIP LOCKED") || value.split_whitespace().next().is_some_and(claim)
        })
    };
    let method = || {
        text.match_indices('.').any(|(i, _)| {
            let name = &text[i + 1..];
            let end = name
                .find(|c: char| !(c.is_alphanumeric() || c == '_'))
                .unwrap_or(name.len());
            claim(&name[..end]) && name[end..].trim_start().starts_with('(')
        })
    };
    let poller = || {
        source.python_functions().iter().any(|f| {
            let has = |words: &[&str]| crate::prepass::has_any(source.python().code_of(f), words);
            has(crate::rules::vocab::PYTHON_SLEEPS)
                && has(&["None", "not"])
                && has(&["for", "while"])
        })
    };
    literal() || method() || poller()
}

/// The words `python_support_text` asks for first (each clause needs one).
const PYTHON_SUPPORT_WORDS: &[&[&str]] = &[
    &["Enum", "match", "UPDATE ", "update ", "Update "],
    &["Enum", "case", "UPDATE ", "update ", "Update "],
    &[
        "active",
        "Active",
        "ACTIVE",
        "delayed",
        "Delayed",
        "DELAYED",
        "pending",
        "Pending",
        "PENDING",
        "queued",
        "Queued",
        "QUEUED",
        "done",
        "Done",
        "DONE",
        "running",
        "Running",
        "RUNNING",
        "processing",
        "Processing",
        "PROCESSING",
        "completed",
        "Completed",
        "COMPLETED",
        "finished",
        "Finished",
        "FINISHED",
        "succeeded",
        "Succeeded",
        "SUCCEEDED",
        "failed",
        "Failed",
        "FAILED",
        "retried",
        "Retried",
        "RETRIED",
        "retrying",
        "Retrying",
        "RETRYING",
        "dead",
        "Dead",
        "DEAD",
        "scheduled",
        "Scheduled",
        "SCHEDULED",
        "waiting",
        "Waiting",
        "WAITING",
        "rogress",
        "ROGRESS",
        "UPDATE ",
        "update ",
        "Update ",
    ],
    &[
        "active",
        "Active",
        "ACTIVE",
        "delayed",
        "Delayed",
        "DELAYED",
        "pending",
        "Pending",
        "PENDING",
        "queued",
        "Queued",
        "QUEUED",
        "done",
        "Done",
        "DONE",
        "running",
        "Running",
        "RUNNING",
        "processing",
        "Processing",
        "PROCESSING",
        "completed",
        "Completed",
        "COMPLETED",
        "finished",
        "Finished",
        "FINISHED",
        "succeeded",
        "Succeeded",
        "SUCCEEDED",
        "failed",
        "Failed",
        "FAILED",
        "retried",
        "Retried",
        "RETRIED",
        "retrying",
        "Retrying",
        "RETRYING",
        "dead",
        "Dead",
        "DEAD",
        "scheduled",
        "Scheduled",
        "SCHEDULED",
        "waiting",
        "Waiting",
        "WAITING",
        "rogress",
        "ROGRESS",
        " SET ",
        " set ",
        " Set ",
    ],
    &[
        "active",
        "Active",
        "ACTIVE",
        "delayed",
        "Delayed",
        "DELAYED",
        "pending",
        "Pending",
        "PENDING",
        "queued",
        "Queued",
        "QUEUED",
        "done",
        "Done",
        "DONE",
        "running",
        "Running",
        "RUNNING",
        "processing",
        "Processing",
        "PROCESSING",
        "completed",
        "Completed",
        "COMPLETED",
        "finished",
        "Finished",
        "FINISHED",
        "succeeded",
        "Succeeded",
        "SUCCEEDED",
        "failed",
        "Failed",
        "FAILED",
        "retried",
        "Retried",
        "RETRIED",
        "retrying",
        "Retrying",
        "RETRYING",
        "dead",
        "Dead",
        "DEAD",
        "scheduled",
        "Scheduled",
        "SCHEDULED",
        "waiting",
        "Waiting",
        "WAITING",
        "rogress",
        "ROGRESS",
        "stat",
        "Stat",
        "STAT",
    ],
];

/// The Python support test: three job states (`same_state`) among the names the file
/// assigns (`prepass::PythonText::assigned_names`: an enum's members) in a file naming `Enum`, or
/// quoted whole (`prepass::quoted_names`) on the `case` lines of a `match`; or a string
/// literal updating a state or status (`UPDATE `, ` SET `, `STATE` or `STATUS`, any casing).
fn python_support_text(source: &crate::prepass::Source<'_>) -> bool {
    if !crate::rules::has_words(source.text(), PYTHON_SUPPORT_WORDS) {
        return false;
    }
    let text = source.python_code();
    let three_states = |names: &mut dyn Iterator<Item = &str>| {
        let mut found: Vec<&str> = Vec::new();
        for name in names {
            if let Some(state) = JOB_STATES.iter().find(|s| same_state(name, s))
                && !found.contains(state)
            {
                found.push(state);
                if found.len() >= 3 {
                    return true;
                }
            }
        }
        false
    };
    let python = source.python();
    (text.contains("Enum") && three_states(&mut python.assigned_names().into_iter()))
        || (text.contains("case") && {
            let mut quoted = python
                .code_statement_texts()
                .filter(|l| l.trim_start().starts_with("case"))
                .flat_map(crate::prepass::quoted_names);
            three_states(&mut quoted)
        })
        || python.literal_values().any(|value| {
            let up = value.to_ascii_uppercase();
            up.contains("UPDATE ")
                && up.contains(" SET ")
                && (up.contains("STATE") || up.contains("STATUS"))
        })
}

/// Whether `text` may hold an anchor (lexical test): a claim command, `SKIP LOCKED` whole,
/// or a sleep called.
fn anchor_text(text: &str) -> bool {
    const COMMAND_WORDS: &[&str] = &[
        "lpop", "LPOP", "LPop", "rpop", "RPOP", "Rpop", "RPop", "popmin", "POPMIN", "PopMin",
        "lmove", "LMOVE", "LMove",
    ];
    COMMAND_WORDS.iter().any(|w| text.contains(w))
        || ((text.contains("ocked") || text.contains("OCKED"))
            && words_in_any_case(text, "skip", "locked"))
        || calls_any(text, SLEEP_CALLS)
}

/// Whether `text` may hold a supporting signal (lexical test): three job states among the
/// names of one enum's body or as whole string literals (`JOB_STATES`, `same_state`), or an
/// `UPDATE .. SET` of a state or status.
fn support_text(text: &str) -> bool {
    let state_bit = |token: &str| {
        JOB_STATES
            .iter()
            .position(|s| same_state(token, s))
            .map_or(0, |i| 1 << i)
    };
    enum_or_quoted_set(text, state_bit, 3)
        || (["update", "Update", "UPDATE"]
            .iter()
            .any(|w| text.contains(w))
            && {
                let lower = text.to_ascii_lowercase();
                lower.contains("update ")
                    && lower.contains(" set ")
                    && (lower.contains("state") || lower.contains("status"))
            })
}

/// `IN_PROGRESS`, `in_progress` and `InProgress` name the same state.
fn same_state(variant: &str, state: &str) -> bool {
    let mut v = variant.bytes().filter(|b| *b != b'_');
    let mut s = state.bytes();
    loop {
        match (v.next(), s.next()) {
            (None, None) => return true,
            (Some(a), Some(b)) if a.eq_ignore_ascii_case(&b) => {}
            _ => return false,
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::test_support::findings_for;

    #[test]
    fn flags_status_enum_with_polling_worker() {
        let src = "enum JobState { Pending, Running, Failed, Done }\nfn work() {\n    loop {\n        match claim() {\n            Some(job) => run(job),\n            None => std::thread::sleep(D),\n        }\n    }\n}\n";
        let found = findings_for(src, "polling-job-queue");
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].component, "file t.rs");
    }

    #[test]
    fn order_status_enum_with_status_update_is_silent() {
        let src = "enum OrderStatus { Pending, Completed, Failed }\nfn expire(db: &Db) { db.execute(\"UPDATE orders SET status = 'failed' WHERE age > 3\"); }\n";
        assert!(findings_for(src, "polling-job-queue").is_empty());
    }

    #[test]
    fn order_status_enum_alone_is_silent() {
        let src = "enum OrderStatus { Pending, Completed, Failed }\nfn label(s: OrderStatus) -> &'static str { \"x\" }\n";
        assert!(findings_for(src, "polling-job-queue").is_empty());
    }

    #[test]
    fn lexical_test_asks_for_a_claim_or_a_sleep_called() {
        assert!(super::anchor_text(
            "\"SELECT id FROM jobs FOR UPDATE skip locked\""
        ));
        assert!(super::anchor_text("tokio::time::sleep(POLL).await;"));
        assert!(!super::anchor_text(
            "let guard = m.lock(); // locked; the thread may sleep\nlet sleep = d;"
        ));
    }
}
