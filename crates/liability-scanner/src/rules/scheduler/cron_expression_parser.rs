//! Code that parses cron expressions and computes when a job fires next.

use crate::rules::vocab::{SLEEP_CALLS, call_is};
use crate::rules::{Signal, Sink, declare_rule};
use liability_model::{BinOp, Category, EventKind, FileFacts};

declare_rule! {
    /// ## What it does
    /// Finds a cron implementation: parsing of cron shorthands (`@daily`, `@hourly`), the
    /// five- or six-field check, month and weekday name tables, the computation of the next
    /// fire time by stepping calendar fields, and loops that sleep until that time.
    ///
    /// ## Why is this a liability?
    /// Schedulers fail quietly: daylight-saving gaps, leap days, a process that was down at
    /// fire time, two replicas firing the same job. A home-grown cron loop also needs a host
    /// that is always up, which is a server someone must run.
    ///
    /// ## Example
    /// ```rust
    /// let fields: Vec<&str> = expr.split_whitespace().collect();
    /// if fields.len() != 5 { return Err(Error::Fields); }
    /// let expr = match expr { "@daily" => "0 0 * * *", "@hourly" => "0 * * * *", e => e };
    /// loop { thread::sleep(next_fire(&expr, Utc::now()) - Utc::now()); run_job(); }
    /// ```
    ///
    /// ## Use instead
    /// EventBridge Scheduler invoking a Lambda function or Step Functions (Azure Functions
    /// timer trigger; Cloud Scheduler). In-process, the `cron` crate for parsing and
    /// `tokio-cron-scheduler` for running.
    ///
    /// ## Known limits
    /// Month and weekday name tables alone are not enough (date formatting has them too);
    /// the rule needs a cron-specific signal beside them.
    pub static CRON_EXPRESSION_PARSER = {
        id: "cron-expression-parser",
        category: Category::Scheduler,
        summary: "parses cron expressions or computes next fire times",
        check: check,
        // Anchors only: two shorthands (compared case-insensitively), calendar steps in a loop, a
        // split whose `len(..)` is compared with 5 to 7, or a `next` time advanced (`+=`, or
        // `next = next + p`, which the front-end reads alike) past `now`: each clause holds one
        // word of every anchor. The lexical test asks for one of these whole (`anchor_text`):
        // two shorthands, two calendar steps called in one loop, the comparison
        // `len(..) != 5`, or a statement naming `next` with a `+` and one comparing with `now`.
        rust_needs: &[
            &[
                "@annually", "@ANNUALLY", "@daily", "@DAILY", "@every", "@EVERY", "@hourly",
                "@HOURLY", "@midnight", "@MIDNIGHT", "@monthly", "@MONTHLY", "@reboot", "@REBOOT",
                "@weekly", "@WEEKLY", "@yearly", "@YEARLY", "with_day", "with_hour", "with_minute",
                "with_month", "with_second", "with_year", "and_hms", "succ_opt",
                "checked_add_signed", "split", "Split", "Fields", "+",
            ],
            &[
                "@annually", "@ANNUALLY", "@daily", "@DAILY", "@every", "@EVERY", "@hourly",
                "@HOURLY", "@midnight", "@MIDNIGHT", "@monthly", "@MONTHLY", "@reboot", "@REBOOT",
                "@weekly", "@WEEKLY", "@yearly", "@YEARLY", "with_day", "with_hour", "with_minute",
                "with_month", "with_second", "with_year", "and_hms", "succ_opt",
                "checked_add_signed", "len(", "now",
            ],
            &[
                "@annually", "@ANNUALLY", "@daily", "@DAILY", "@every", "@EVERY", "@hourly",
                "@HOURLY", "@midnight", "@MIDNIGHT", "@monthly", "@MONTHLY", "@reboot", "@REBOOT",
                "@weekly", "@WEEKLY", "@yearly", "@YEARLY", "with_day", "with_hour", "with_minute",
                "with_month", "with_second", "with_year", "and_hms", "succ_opt",
                "checked_add_signed", "len(", "next", "Next", "NEXT",
            ],
        ],
        rust_text: anchor_text,
        // In Python: the same shorthands and calendar steps, a split whose length (`len(x)`,
        // `x.size`, `x.length`, all read as `x.len()`) is compared with 5 to 7, or a `next`
        // time advanced past `now` (`next += p`, or `next = next + p`, read the same). The
        // lexical test asks for one whole (`python_anchor_text`).
        python_needs: &[
            &[
                "@annually", "@ANNUALLY", "@daily", "@DAILY", "@every", "@EVERY", "@hourly",
                "@HOURLY", "@midnight", "@MIDNIGHT", "@monthly", "@MONTHLY", "@reboot", "@REBOOT",
                "@weekly", "@WEEKLY", "@yearly", "@YEARLY", "with_day", "with_hour", "with_minute",
                "with_month", "with_second", "with_year", "and_hms", "succ_opt",
                "checked_add_signed", "split", "Split", "Fields", "+",
            ],
            &[
                "@annually", "@ANNUALLY", "@daily", "@DAILY", "@every", "@EVERY", "@hourly",
                "@HOURLY", "@midnight", "@MIDNIGHT", "@monthly", "@MONTHLY", "@reboot", "@REBOOT",
                "@weekly", "@WEEKLY", "@yearly", "@YEARLY", "with_day", "with_hour", "with_minute",
                "with_month", "with_second", "with_year", "and_hms", "succ_opt",
                "checked_add_signed", "len(", ".length", ".size", "now",
            ],
        ],
        python_text: python_anchor_text,
        // The supporting signals (anchors are admitted by `python_needs`): five month or
        // weekday names as whole literals (`NAMES`, `FULL_NAMES`: each starts with one of the
        // 19 abbreviations, after its quote, in the casings code writes), or a sleep in a loop
        // whose argument counts down (`until`, `duration_since`, a `-`). The test counts the
        // names (`python_support_text`).
        python_support: python_support_text,
        // In JavaScript as in Python: a split whose length (`.length`, `.size`, read as
        // `x.len()`) is compared with 5 to 7, or a `next` time advanced past `now` (`+=`, `++`,
        // or `next = next + p`). The lexical test asks for one whole
        // (`javascript_anchor_text`).
        javascript_needs: &[
            &["@annually", "@ANNUALLY", "@daily", "@DAILY", "@every", "@EVERY", "@hourly", "@HOURLY", "@midnight", "@MIDNIGHT", "@monthly", "@MONTHLY", "@reboot", "@REBOOT", "@weekly", "@WEEKLY", "@yearly", "@YEARLY", "with_day", "with_hour", "with_minute", "with_month", "with_second", "with_year", "and_hms", "succ_opt", "checked_add_signed", "split", "Split", "Fields", "+"],
            &["@annually", "@ANNUALLY", "@daily", "@DAILY", "@every", "@EVERY", "@hourly", "@HOURLY", "@midnight", "@MIDNIGHT", "@monthly", "@MONTHLY", "@reboot", "@REBOOT", "@weekly", "@WEEKLY", "@yearly", "@YEARLY", "with_day", "with_hour", "with_minute", "with_month", "with_second", "with_year", "and_hms", "succ_opt", "checked_add_signed", "len(", ".length", ".size", "now"],
        ],
        javascript_text: javascript_anchor_text,
    };
}

const SHORTHANDS: &[&str] = &[
    "@annually",
    "@daily",
    "@every",
    "@hourly",
    "@midnight",
    "@monthly",
    "@reboot",
    "@weekly",
    "@yearly",
];
const NAMES: &[&str] = &[
    "JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC", "MON",
    "TUE", "WED", "THU", "FRI", "SAT", "SUN",
];
/// Full weekday and month names (Python's `schedule`, JavaScript's cron packages).
const FULL_NAMES: &[&str] = &[
    "april",
    "august",
    "december",
    "february",
    "friday",
    "january",
    "july",
    "june",
    "march",
    "monday",
    "november",
    "october",
    "saturday",
    "september",
    "sunday",
    "thursday",
    "tuesday",
    "wednesday",
];
const CALENDAR_STEPS: &[&str] = &[
    "with_day",
    "with_hour",
    "with_minute",
    "with_month",
    "with_second",
    "with_year",
    "and_hms",
    "and_hms_opt",
    "succ_opt",
    "checked_add_signed",
];

/// Whether `text` may hold one of the anchors (the lexical test): two distinct shorthands
/// in any casing (`shorthands`), two calendar steps called in one loop
/// (`calendar_steps_in_a_loop`), a split with a `len(..)` compared with 5, 6 or 7, or, beside
/// `now`, a `next` advanced (`next_added`) and compared with `now` (`next_compared_with_now`),
/// in the code (`rust_light::code_only`).
fn anchor_text(text: &str) -> bool {
    let has = |words: &[&str]| crate::prepass::has_any(text, words);
    shorthands(text) >= 2
        || (has(CALENDAR_STEPS) && calendar_steps_in_a_loop(text))
        || (has(&["split", "Split", "Fields"]) && len_compared_with_field_count(text))
        || (has(&["now"]) && next_added(text) && next_compared_with_now(text) && {
            // The same in code: comments and attributes are no operands (literals are kept:
            // renderings hold them).
            crate::frontend::rust_light::code_only(text, false)
                .is_none_or(|code| next_added(&code) && next_compared_with_now(&code))
        })
}

/// How many distinct `SHORTHANDS` `text` holds, in any casing, read at each `@`.
fn shorthands(text: &str) -> usize {
    SHORTHANDS
        .iter()
        .filter(|s| {
            memchr::memchr_iter(b'@', text.as_bytes()).any(|i| {
                text.get(i..i + s.len())
                    .is_some_and(|t| t.eq_ignore_ascii_case(s))
            })
        })
        .count()
}

/// Whether two calls of `CALENDAR_STEPS` names (the name whole, then past white space `(`,
/// a turbofish `::<` or a macro's `!`; not after `fn`) follow a loop keyword (`loop`,
/// `while`, `for`; not an `impl .. for` or a `for<'a>`) within the block holding it: a superset of the loop, whose header and
/// body are there (`events_in_loop`). Read on the code (`rust_light::code_only`: comments and
/// the insides of literals blanked, so braces pair); a text the tokenizer cannot read passes.
fn calendar_steps_in_a_loop(text: &str) -> bool {
    let Some(code) = crate::frontend::rust_light::code_only(text, true) else {
        return true;
    };
    let b = code.as_bytes();
    let ident = |c: u8| c.is_ascii_alphanumeric() || c == b'_';
    // Per open block: the calls seen since a loop keyword in it, if one was.
    let mut blocks: Vec<Option<u32>> = vec![None];
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'{' => blocks.push(None),
            b'}' => {
                blocks.pop();
                if blocks.is_empty() {
                    blocks.push(None);
                }
            }
            c if ident(c) && !(i > 0 && ident(b[i - 1])) => {
                let end = b[i..]
                    .iter()
                    .position(|&c| !ident(c))
                    .map_or(b.len(), |n| i + n);
                let word = &code[i..end];
                // Not `impl Trait for Type` nor `for<'a>`.
                let impl_for = word == "for"
                    && (code[end..].trim_start().starts_with('<') || {
                        let head = &code[..i];
                        let start = head.rfind([';', '{', '}']).map_or(0, |p| p + 1);
                        head[start..].contains("impl")
                    });
                if matches!(word, "loop" | "while" | "for") && !impl_for {
                    if let Some(top) = blocks.last_mut() {
                        top.get_or_insert(0);
                    }
                } else if CALENDAR_STEPS.contains(&word) {
                    let rest = code[end..].trim_start();
                    let called = rest.starts_with(['(', '!']) || rest.starts_with("::<");
                    if called && !code[..i].trim_end().ends_with("fn") {
                        for count in blocks.iter_mut().flatten() {
                            *count += 1;
                            if *count >= 2 {
                                return true;
                            }
                        }
                    }
                }
                i = end;
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    false
}

/// The Python form of `anchor_text`: two shorthands (one is enough here), calendar steps, or
/// in one function (`prepass::PythonText::functions`: the anchors read one function) a split
/// and a logical line comparing a length (`len(`, `.size`, `.length`) with 5, 6 or 7
/// (`compared_with_field_count`: Python's `len(..)` takes arguments, so the comparison is not
/// read from the call), or `now` and a `+` in a logical line naming `next` before it
/// (`next_run += p` and `next_run = next_run + p` read the same).
fn python_anchor_text(source: &crate::prepass::Source<'_>) -> bool {
    let text = source.python_code();
    let has = |text: &str, words: &[&str]| crate::prepass::has_any(text, words);
    // A shorthand in any casing, read at each `@` (Python decorators are many: no lower-cased
    // copy of the text).
    let shorthand = || {
        text.match_indices('@').any(|(i, _)| {
            SHORTHANDS.iter().any(|s| {
                text.get(i..i + s.len())
                    .is_some_and(|t| t.eq_ignore_ascii_case(s))
            })
        })
    };
    if shorthand() || has(text, CALENDAR_STEPS) {
        return true;
    }
    if !has(text, &["split", "Split", "Fields", "now"]) {
        return false;
    }
    let python = source.python();
    // Each anchor reads one function's events.
    source.python_functions().iter().any(|f| {
        let code = python.code_of(f);
        let split = has(code, &["split", "Split", "Fields"]);
        let now = code.contains("now");
        (split || now)
            && python.code_statements_in(f.statements.clone()).any(|line| {
                (split
                    && has(line, &["len(", ".size", ".length"])
                    && compared_with_field_count(line))
                    || (now
                        && line.rfind('+').is_some_and(|last| {
                            crate::prepass::contains_ignore_ascii_case(&line[..last], "next")
                        }))
            })
    })
}

/// A literal 5, 6 or 7 (no suffix) compared with `==`, `!=`, `<` or `>` (not `<=`, `>=`,
/// `<<`, `>>`, `->`), the operator before it past white space, `(` and line continuations.
fn compared_with_field_count(text: &str) -> bool {
    let b = text.as_bytes();
    let word = |c: u8| c.is_ascii_alphanumeric() || c == b'_' || c == b'.';
    (0..b.len()).any(|i| {
        if !matches!(b[i], b'5' | b'6' | b'7') || b.get(i + 1).is_some_and(|c| word(*c)) {
            return false;
        }
        let mut j = i;
        while j > 0 && (b[j - 1].is_ascii_whitespace() || matches!(b[j - 1], b'(' | b'\\')) {
            j -= 1;
        }
        let op = |k: usize| j.checked_sub(k).map(|at| b[at]);
        match op(1) {
            Some(b'=') => matches!(op(2), Some(b'=' | b'!')),
            Some(b'<' | b'>') => !matches!(op(2), Some(b'<' | b'>' | b'-')),
            _ => false,
        }
    })
}

/// The JavaScript form of `anchor_text`: a shorthand (any casing, at an `@`), calendar steps,
/// a split and a literal 5, 6 or 7 compared (`compared_with_field_count`: `===` and `!==`
/// end like `==`), or `now` and a statement (between `;`, `{` and `}`: a statement without
/// semicolons runs on, which only widens it) holding a `+` and naming `next` in any casing
/// (`next += p`, `next = next + p`, `++next`).
fn javascript_anchor_text(source: &crate::prepass::Source<'_>) -> bool {
    let text = source.text();
    let has = |words: &[&str]| crate::prepass::has_any(text, words);
    let shorthand = || {
        text.match_indices('@').any(|(i, _)| {
            SHORTHANDS.iter().any(|s| {
                text.get(i..i + s.len())
                    .is_some_and(|t| t.eq_ignore_ascii_case(s))
            })
        })
    };
    shorthand()
        || has(CALENDAR_STEPS)
        || (has(&["split", "Split", "Fields"]) && compared_with_field_count(text))
        || (text.contains("now") && next_in_a_sum(text))
}

/// Whether a statement of `text` (between `;`, `{` and `}`) names `next` in any casing and
/// holds a `+`, looked for around each `next`.
fn next_in_a_sum(text: &str) -> bool {
    let bytes = text.as_bytes();
    let bound = |b: &u8| matches!(b, b';' | b'{' | b'}');
    memchr::memchr2_iter(b'n', b'N', bytes).any(|i| {
        bytes
            .get(i..i + 4)
            .is_some_and(|w| w.eq_ignore_ascii_case(b"next"))
            && {
                let start = bytes[..i].iter().rposition(bound).map_or(0, |p| p + 1);
                let end = bytes[i..]
                    .iter()
                    .position(bound)
                    .map_or(bytes.len(), |p| i + p);
                memchr::memchr(b'+', &bytes[start..end]).is_some()
            }
    })
}

/// The words `python_support_text` asks for first (each clause needs one).
const PYTHON_SUPPORT_WORDS: &[&[&str]] = &[
    &[
        "\"jan",
        "'jan",
        "\"Jan",
        "'Jan",
        "\"JAN",
        "'JAN",
        "\"feb",
        "'feb",
        "\"Feb",
        "'Feb",
        "\"FEB",
        "'FEB",
        "\"mar",
        "'mar",
        "\"Mar",
        "'Mar",
        "\"MAR",
        "'MAR",
        "\"apr",
        "'apr",
        "\"Apr",
        "'Apr",
        "\"APR",
        "'APR",
        "\"may",
        "'may",
        "\"May",
        "'May",
        "\"MAY",
        "'MAY",
        "\"jun",
        "'jun",
        "\"Jun",
        "'Jun",
        "\"JUN",
        "'JUN",
        "\"jul",
        "'jul",
        "\"Jul",
        "'Jul",
        "\"JUL",
        "'JUL",
        "\"aug",
        "'aug",
        "\"Aug",
        "'Aug",
        "\"AUG",
        "'AUG",
        "\"sep",
        "'sep",
        "\"Sep",
        "'Sep",
        "\"SEP",
        "'SEP",
        "\"oct",
        "'oct",
        "\"Oct",
        "'Oct",
        "\"OCT",
        "'OCT",
        "\"nov",
        "'nov",
        "\"Nov",
        "'Nov",
        "\"NOV",
        "'NOV",
        "\"dec",
        "'dec",
        "\"Dec",
        "'Dec",
        "\"DEC",
        "'DEC",
        "\"mon",
        "'mon",
        "\"Mon",
        "'Mon",
        "\"MON",
        "'MON",
        "\"tue",
        "'tue",
        "\"Tue",
        "'Tue",
        "\"TUE",
        "'TUE",
        "\"wed",
        "'wed",
        "\"Wed",
        "'Wed",
        "\"WED",
        "'WED",
        "\"thu",
        "'thu",
        "\"Thu",
        "'Thu",
        "\"THU",
        "'THU",
        "\"fri",
        "'fri",
        "\"Fri",
        "'Fri",
        "\"FRI",
        "'FRI",
        "\"sat",
        "'sat",
        "\"Sat",
        "'Sat",
        "\"SAT",
        "'SAT",
        "\"sun",
        "'sun",
        "\"Sun",
        "'Sun",
        "\"SUN",
        "'SUN",
        "sleep",
        "time.Sleep",
        "Delay.new",
        "Timer.after",
        "time.After",
        "delay_for",
    ],
    &[
        "\"jan",
        "'jan",
        "\"Jan",
        "'Jan",
        "\"JAN",
        "'JAN",
        "\"feb",
        "'feb",
        "\"Feb",
        "'Feb",
        "\"FEB",
        "'FEB",
        "\"mar",
        "'mar",
        "\"Mar",
        "'Mar",
        "\"MAR",
        "'MAR",
        "\"apr",
        "'apr",
        "\"Apr",
        "'Apr",
        "\"APR",
        "'APR",
        "\"may",
        "'may",
        "\"May",
        "'May",
        "\"MAY",
        "'MAY",
        "\"jun",
        "'jun",
        "\"Jun",
        "'Jun",
        "\"JUN",
        "'JUN",
        "\"jul",
        "'jul",
        "\"Jul",
        "'Jul",
        "\"JUL",
        "'JUL",
        "\"aug",
        "'aug",
        "\"Aug",
        "'Aug",
        "\"AUG",
        "'AUG",
        "\"sep",
        "'sep",
        "\"Sep",
        "'Sep",
        "\"SEP",
        "'SEP",
        "\"oct",
        "'oct",
        "\"Oct",
        "'Oct",
        "\"OCT",
        "'OCT",
        "\"nov",
        "'nov",
        "\"Nov",
        "'Nov",
        "\"NOV",
        "'NOV",
        "\"dec",
        "'dec",
        "\"Dec",
        "'Dec",
        "\"DEC",
        "'DEC",
        "\"mon",
        "'mon",
        "\"Mon",
        "'Mon",
        "\"MON",
        "'MON",
        "\"tue",
        "'tue",
        "\"Tue",
        "'Tue",
        "\"TUE",
        "'TUE",
        "\"wed",
        "'wed",
        "\"Wed",
        "'Wed",
        "\"WED",
        "'WED",
        "\"thu",
        "'thu",
        "\"Thu",
        "'Thu",
        "\"THU",
        "'THU",
        "\"fri",
        "'fri",
        "\"Fri",
        "'Fri",
        "\"FRI",
        "'FRI",
        "\"sat",
        "'sat",
        "\"Sat",
        "'Sat",
        "\"SAT",
        "'SAT",
        "\"sun",
        "'sun",
        "\"Sun",
        "'Sun",
        "\"SUN",
        "'SUN",
        "until",
        "duration_since",
        "-",
    ],
];

/// The Python support test: five month or weekday names (`NAMES`, `FULL_NAMES`, any casing)
/// as whole literals (`prepass::PythonText::literal_values`), or a sleep (`SLEEP_CALLS` as the text spells
/// them).
fn python_support_text(source: &crate::prepass::Source<'_>) -> bool {
    if !crate::rules::has_words(source.text(), PYTHON_SUPPORT_WORDS) {
        return false;
    }
    let text = source.python_code();
    let mut found: Vec<&str> = Vec::new();
    source.python().literal_values().any(|name| {
        if let Some(n) = NAMES
            .iter()
            .chain(FULL_NAMES)
            .find(|n| name.eq_ignore_ascii_case(n))
            && !found.contains(n)
        {
            found.push(n);
        }
        found.len() >= 5
    }) || [
        "sleep",
        "time.Sleep",
        "Delay.new",
        "Timer.after",
        "time.After",
        "delay_for",
    ]
    .iter()
    .any(|w| text.contains(w))
}

/// `len(..)`, then past white space, `)` and a cast, `==`, `!=`, `<` or `>` and a literal 5,
/// 6 or 7 (no suffix).
fn len_compared_with_field_count(text: &str) -> bool {
    text.match_indices("len(").any(|(i, m)| {
        let rest = &text[i + m.len()..];
        let Some(close) = rest.find(')') else {
            return false;
        };
        let mut rest = rest[close..].trim_start_matches(|c: char| c.is_whitespace() || c == ')');
        if let Some(cast) = rest.strip_prefix("as ") {
            rest = cast
                .trim_start()
                .trim_start_matches(|c: char| c.is_alphanumeric() || c == '_')
                .trim_start_matches(|c: char| c.is_whitespace() || c == ')');
        }
        let Some(operand) = ["==", "!=", "<", ">"]
            .iter()
            .find_map(|op| rest.strip_prefix(op))
            .filter(|o| !o.starts_with('='))
        else {
            return false;
        };
        let operand = operand.trim_start();
        operand.starts_with(['5', '6', '7'])
            && !operand[1..].starts_with(|c: char| c.is_alphanumeric() || c == '_' || c == '.')
    })
}

/// A `+` (`next += p`, or `next = next + p`, which the front-end reads as `+=`) in a
/// statement (between `;`, `{` and `}`) whose text before it names `next` in any casing.
fn next_added(text: &str) -> bool {
    text.split([';', '{', '}']).any(|statement| {
        let bytes = statement.as_bytes();
        memchr::memchr2_iter(b'n', b'N', bytes)
            .find(|&i| {
                bytes
                    .get(i..i + 4)
                    .is_some_and(|w| w.eq_ignore_ascii_case(b"next"))
            })
            .is_some_and(|at| memchr::memchr(b'+', &bytes[at..]).is_some())
    })
}

/// A statement (between `;`, `{` and `}`) naming `now` and `next` (any casing) with a
/// comparison (`<`, `>`, `==`, `!=`): the advanced time compared with now, as `check` wants
/// it in the same function.
fn next_compared_with_now(text: &str) -> bool {
    text.split([';', '{', '}']).any(|statement| {
        statement.contains("now")
            && (statement.contains(['<', '>'])
                || statement.contains("==")
                || statement.contains("!="))
            && crate::prepass::contains_ignore_ascii_case(statement, "next")
    })
}

fn check(facts: &FileFacts, sink: &mut Sink<'_>) {
    let mut signals = Vec::new();

    let shorthands: Vec<_> = SHORTHANDS
        .iter()
        .filter_map(|s| {
            facts
                .literals
                .iter()
                .find(|l| l.in_body && l.value.eq_ignore_ascii_case(s))
        })
        .collect();
    if shorthands.len() >= 2 {
        let line = shorthands.iter().map(|l| l.line).min().unwrap_or(1);
        signals.push(Signal::anchor(
            line,
            format!(
                "recognises {} cron shorthands such as `{}`",
                shorthands.len(),
                shorthands[0].value
            ),
        ));
    }
    let names: Vec<_> = NAMES
        .iter()
        .chain(FULL_NAMES)
        .filter_map(|n| {
            facts
                .literals
                .iter()
                .find(|l| l.in_body && l.value.eq_ignore_ascii_case(n))
        })
        .collect();
    if names.len() >= 5 {
        let line = names.iter().map(|l| l.line).min().unwrap_or(1);
        signals.push(Signal::new(
            line,
            format!("maps {} month or weekday names", names.len()),
        ));
    }
    for f in &facts.functions {
        let field_count = f.events.iter().find_map(|e| match &e.kind {
            EventKind::Binary {
                op: BinOp::Eq | BinOp::Ne | BinOp::Lt | BinOp::Gt,
                lhs,
                rhs,
            } if lhs.ends_with("len()") && ["5", "6", "7"].contains(&rhs.as_str()) => Some(e.line),
            _ => None,
        });
        if let Some(line) = field_count
            && f.calls()
                .any(|(_, c)| matches!(c.name(), "split_whitespace" | "split" | "Fields" | "Split"))
            && !signals
                .iter()
                .any(|s: &Signal| s.message.contains("fields"))
        {
            signals.push(Signal::anchor(
                line,
                "splits an expression and checks for five to seven fields",
            ));
        }
        let stepping = f.loops.iter().enumerate().find_map(|(id, _)| {
            let id = u32::try_from(id).ok()?;
            let steps = f
                .events_in_loop(id)
                .filter(
                    |e| matches!(&e.kind, EventKind::Call(c) if CALENDAR_STEPS.contains(&c.name())),
                )
                .count();
            (steps >= 2).then(|| f.loops[id as usize].span.start)
        });
        if let Some(line) = stepping
            && !signals
                .iter()
                .any(|s: &Signal| s.message.contains("next fire"))
        {
            signals.push(Signal::anchor(
                line,
                "steps calendar fields in a loop to find the next fire time",
            ));
        }
        // `while next_run <= now: next_run += period`: an interval schedule by hand.
        let advance = f.loops.iter().enumerate().find_map(|(id, lp)| {
            let id = u32::try_from(id).ok()?;
            f.events_in_loop(id).find_map(|e| match &e.kind {
                EventKind::AssignOp {
                    op: BinOp::Add,
                    target,
                    ..
                } if target.to_ascii_lowercase().contains("next")
                    && f.events.iter().any(|c| {
                        matches!(&c.kind, EventKind::Binary { op, lhs, rhs } if op.is_comparison()
                            && ((lhs == target && rhs.contains("now")) || (rhs == target && lhs.contains("now"))))
                    }) =>
                {
                    Some(lp.span.start)
                }
                _ => None,
            })
        });
        if let Some(line) = advance
            && !signals
                .iter()
                .any(|s: &Signal| s.message.contains("next fire"))
        {
            signals.push(Signal::anchor(
                line,
                "advances the next fire time past now in a loop",
            ));
        }
        let sleep_until = f.events.iter().find_map(|e| match &e.kind {
            EventKind::Call(c)
                if e.loop_id.is_some()
                    && call_is(c, SLEEP_CALLS)
                    && c.args.iter().any(|a| {
                        a.contains("until") || a.contains("duration_since") || a.contains("-")
                    }) =>
            {
                Some(e.line)
            }
            _ => None,
        });
        if let Some(line) = sleep_until
            && !signals
                .iter()
                .any(|s: &Signal| s.message.contains("sleeps until"))
        {
            signals.push(Signal::new(line, "sleeps until the next computed run time"));
        }
    }
    sink.emit_or_defer(signals);
}

#[cfg(test)]
mod tests {
    #[test]
    fn anchor_text_reads_field_counts_and_advances() {
        assert!(super::len_compared_with_field_count("if f.len() != 5 {"));
        assert!(super::len_compared_with_field_count(
            "if (parts.len() as u32) < 6 {"
        ));
        assert!(!super::len_compared_with_field_count(
            "if f.len() <= 5 || v.len() > 50 {"
        ));
        assert!(super::next_added(
            "while next <= now {\n    self.next_run += period;"
        ));
        assert!(super::next_added("next_run =\n    next_run + period;"));
        assert!(!super::next_added("let next = it.next(); total += 1;"));
        assert!(super::next_compared_with_now(
            "while self.next_run\n    <= Instant::now() {"
        ));
        assert!(!super::next_compared_with_now(
            "let now = Instant::now(); if self.next.is_some() {"
        ));
    }

    #[test]
    fn anchor_text_wants_two_shorthands_or_two_steps_in_a_loop() {
        assert_eq!(
            super::shorthands("\"@Daily\" => 1, \"@HOURLY\" => 2, \"@daily\""),
            2
        );
        assert_eq!(super::shorthands("// runs @daily\n"), 1);
        let steps = "fn next(t: T) -> T {\n    let mut t = t;\n    loop {\n        if ok(&t) { return t; }\n        t = t.with_minute(0).unwrap()\n            .with_hour(h)?;\n    }\n}\n";
        assert!(super::calendar_steps_in_a_loop(steps));
        // Steps outside loops, a loop after them, definitions, comments and strings.
        let apart = "impl<T> From<T> for D {}\nfn a(d: D) -> D { d.with_day(1) }\nfn with_month(&self) {}\nfn b(d: D) -> D {\n    let e = d.with_hour(1); // .with_day(2)\n    for x in y { f(\"{ with_day(3)\"); }\n    e\n}\n";
        assert!(!super::calendar_steps_in_a_loop(apart));
    }

    use crate::test_support::findings_for;

    #[test]
    fn flags_cron_parser() {
        let src = "fn parse(e: &str) -> Result<(), ()> {\n    let e = match e { \"@daily\" => \"0 0 * * *\", \"@hourly\" => \"0 * * * *\", x => x };\n    let f: Vec<&str> = e.split_whitespace().collect();\n    if f.len() != 5 { return Err(()); }\n    Ok(())\n}\n";
        let found = findings_for(src, "cron-expression-parser");
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].evidence.len(), 2);
    }

    #[test]
    fn vocabulary_tables_in_consts_are_silent() {
        let src = "const SHORTHANDS: &[&str] = &[\"@annually\", \"@daily\", \"@hourly\", \"@weekly\"];\nconst NAMES: &[&str] = &[\"JAN\", \"FEB\", \"MAR\", \"APR\", \"MAY\", \"MON\", \"TUE\"];\nfn check(v: &str) -> bool {\n    let f: Vec<&str> = v.split(' ').collect();\n    SHORTHANDS.contains(&v) || NAMES.contains(&f[0])\n}\n";
        assert!(findings_for(src, "cron-expression-parser").is_empty());
    }

    #[test]
    fn month_names_for_formatting_are_silent() {
        let src = "const M: [&str; 12] = [\"Jan\",\"Feb\",\"Mar\",\"Apr\",\"May\",\"Jun\",\"Jul\",\"Aug\",\"Sep\",\"Oct\",\"Nov\",\"Dec\"];\nfn fmt(m: usize) -> &'static str { M[m] }\n";
        assert!(findings_for(src, "cron-expression-parser").is_empty());
    }
}
