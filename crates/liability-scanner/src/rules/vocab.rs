//! Shared vocabulary: which calls sleep, which remove, which count time. Kept as sorted
//! tables so that a new front-end only has to map its own spellings onto these names.

use liability_model::{Call, Event, FileFacts, Function, Literal};

/// Calls that pause the current thread or task (matched on path suffix).
pub const SLEEP_CALLS: &[&str] = &[
    "Delay::new",
    "Timer::after",
    "delay_for",
    "sleep",
    "sleep_ms",
    "sleep_until",
];

/// Calls that remove an entry from a collection.
pub const REMOVE_CALLS: &[&str] = &[
    "evict",
    "pop",
    "pop_back",
    "pop_first",
    "pop_front",
    "pop_last",
    "pop_lru",
    "remove",
    "remove_entry",
    "remove_last",
    "remove_lru",
    "retain",
    "shift_remove",
    "swap_remove",
];

/// Calls that read a clock.
pub const CLOCK_CALLS: &[&str] = &[
    "Instant::now",
    "SystemTime::now",
    "Utc::now",
    "Local::now",
    "elapsed",
];

/// Calls that produce random numbers (jitter).
pub const RANDOM_CALLS: &[&str] = &[
    "gen",
    "gen_range",
    "random",
    "random_range",
    "rand",
    "thread_rng",
    "fastrand::u64",
    "fastrand::f64",
];

/// Whether `call` ends with one of `names` on a path-segment boundary.
pub fn call_is(call: &Call, names: &[&str]) -> bool {
    names.iter().any(|n| call.ends_with(n))
}

/// The line of the first call in `f` matching `names`, if any.
pub fn first_call(f: &Function, names: &[&str]) -> Option<u32> {
    f.calls()
        .find(|(_, c)| call_is(c, names))
        .map(|(e, _)| e.line)
}

/// Whether an operand rendering reads a length (`x.len()`).
pub fn is_len(operand: &str) -> bool {
    operand.ends_with(".len()") || operand == "len()"
}

/// Every event of every function in `facts`, with its function.
pub fn all_events(facts: &FileFacts) -> impl Iterator<Item = (&Function, &Event)> {
    facts
        .functions
        .iter()
        .flat_map(|f| f.events.iter().map(move |e| (f, e)))
}

/// The first literal of `facts` that `pred` accepts.
pub fn find_literal(facts: &FileFacts, pred: impl Fn(&str) -> bool) -> Option<&Literal> {
    facts.literals.iter().find(|l| pred(&l.value))
}

/// The first literal of `facts` used in code (inside a function body, not a `const` table)
/// that `pred` accepts.
pub fn find_code_literal(facts: &FileFacts, pred: impl Fn(&str) -> bool) -> Option<&Literal> {
    facts.literals.iter().find(|l| l.in_body && pred(&l.value))
}
