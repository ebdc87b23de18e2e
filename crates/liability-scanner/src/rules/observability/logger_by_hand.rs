//! A logging or metrics backend written in-house: its own `Log` implementation, level
//! thresholds, lists of appenders, rotated log files and histogram buckets.

use crate::rules::vocab::{SEVERITY_LEVELS, calls_any, compares, ident_words, severity_of};
use crate::rules::{Signal, Sink, declare_rule};
use liability_model::{BinOp, Category, EventKind, FileFacts, Function, TypeKind};

declare_rule! {
    /// ## What it does
    /// Finds a logging or metrics backend written in-house: an `impl Log` whose `log` method
    /// does real work (routing records, formatting, writing), archived files shifted one
    /// slot up in a reversed loop of renames (rotation), and observations counted into
    /// histogram buckets. Record levels compared with a threshold, lists of boxed appenders
    /// or filters, and a file size compared with a limit add weight. In any language, the
    /// code's own severity levels (an enum or a table naming four of trace, debug, info,
    /// warn, error, fatal, ...) are also specific to a logger; records formatted and written
    /// to an output add weight.
    ///
    /// ## Why is this a liability?
    /// Logs and metrics are what the team relies on during an incident. A home-grown backend
    /// loses records on crashes, fills disks when rotation misbehaves, blocks the hot path on
    /// I/O and has to be shipped, indexed and retained by hand.
    ///
    /// ## Example
    /// ```rust
    /// impl log::Log for Logger {
    ///     fn log(&self, record: &Record) {
    ///         if record.level() > self.level { return; }
    ///         for appender in &self.appenders { appender.append(record); }
    ///     }
    /// }
    /// ```
    ///
    /// ## Use instead
    /// CloudWatch Logs and metrics (embedded metric format) with X-Ray, or Azure Monitor /
    /// Cloud Logging. In-process, `tracing` with `tracing-subscriber` and OpenTelemetry
    /// exporters.
    ///
    /// ## Known limits
    /// A thin `Log` implementation that only forwards to another library is not reported;
    /// metrics registries without buckets are not read.
    pub static LOGGER_BY_HAND = {
        id: "logger-by-hand",
        category: Category::Observability,
        summary: "a logger with levels, appenders or rotation written by hand",
        check: check,
        // Anchors only: a `Log` impl's `fn log`, a loop of renames after `.rev()`, histogram
        // buckets (`bucket` any casing, or `bound`) counted with `+=` or `fetch_add`, or four
        // severities of their own (`severity_of`: any casing; each clause leaves out three of the
        // ten). The lexical test asks for one of these whole (`anchor_text`): the severities among
        // the names of one enum's body or as whole string literals (not `info!` and `warn!`).
        rust_needs: &[
            &[
                "fn log", "rename", "bucket", "Bucket", "BUCKET", "bound", "critical", "Critical",
                "CRITICAL", "fatal", "Fatal", "FATAL", "info", "Info", "INFO", "notice", "Notice",
                "NOTICE", "trace", "Trace", "TRACE", "warn", "Warn", "WARN",
            ],
            &[
                "fn log", "rename", "bucket", "Bucket", "BUCKET", "bound", "critical", "Critical",
                "CRITICAL", "debug", "Debug", "DEBUG", "error", "Error", "ERROR", "fatal", "Fatal",
                "FATAL", "notice", "Notice", "NOTICE", "panic", "Panic", "PANIC", "trace", "Trace",
                "TRACE",
            ],
            &[
                "fn log", "rev(", "+=", "fetch_add", "critical", "Critical", "CRITICAL", "fatal",
                "Fatal", "FATAL", "info", "Info", "INFO", "notice", "Notice", "NOTICE", "trace",
                "Trace", "TRACE", "warn", "Warn", "WARN",
            ],
        ],
        rust_text: anchor_text,
        // The supporting signals (files holding an anchor are admitted by `rust_needs`), read
        // lexically (`support_text`); the sinks signal only joins others.
        rust_support: support_text,
        // In Python: no `Log` impl; renames in a reversed loop, buckets counted (`+=`, or
        // `n = n + 1`, read the same), or four severities (each clause leaves out three). The
        // lexical test asks for one whole (`python_anchor_text`): the severities as the names
        // a class assigns (an enum's members) or as whole string literals in either quotes.
        python_needs: &[
            &[
                "rename", "bucket", "Bucket", "BUCKET", "bound", "critical", "Critical",
                "CRITICAL", "fatal", "Fatal", "FATAL", "info", "Info", "INFO", "notice", "Notice",
                "NOTICE", "trace", "Trace", "TRACE", "warn", "Warn", "WARN",
            ],
            &[
                "rename", "bucket", "Bucket", "BUCKET", "bound", "critical", "Critical",
                "CRITICAL", "debug", "Debug", "DEBUG", "error", "Error", "ERROR", "fatal", "Fatal",
                "FATAL", "notice", "Notice", "NOTICE", "panic", "Panic", "PANIC", "trace", "Trace",
                "TRACE",
            ],
            &[
                "rev(", "+", "fetch_add", "critical", "Critical", "CRITICAL", "fatal", "Fatal",
                "FATAL", "info", "Info", "INFO", "notice", "Notice", "NOTICE", "trace", "Trace",
                "TRACE", "warn", "Warn", "WARN",
            ],
        ],
        python_text: python_anchor_text,
        // The supporting signals: a level threshold (`is_level`), a size (`len`, `size`)
        // compared with a limit, or a record formatted (`format`, or a template with a level
        // hole: `level`, `lvl`, `severity`) and written (`write`); as four clauses, and the
        // test reads them per function and line (`python_support_text`).
        python_support: python_support_text,
        // In JavaScript as in Python: no `Log` impl; renames in a reversed loop, buckets counted
        // (`+=`, `++`, or `n = n + 1`), or four severities (each clause leaves out three).
        javascript_needs: &[
            &["rename", "bucket", "Bucket", "BUCKET", "bound", "critical", "Critical", "CRITICAL", "fatal", "Fatal", "FATAL", "info", "Info", "INFO", "notice", "Notice", "NOTICE", "trace", "Trace", "TRACE", "warn", "Warn", "WARN"],
            &["rename", "bucket", "Bucket", "BUCKET", "bound", "critical", "Critical", "CRITICAL", "debug", "Debug", "DEBUG", "error", "Error", "ERROR", "fatal", "Fatal", "FATAL", "notice", "Notice", "NOTICE", "panic", "Panic", "PANIC", "trace", "Trace", "TRACE"],
            &["rev(", "+", "fetch_add", "critical", "Critical", "CRITICAL", "fatal", "Fatal", "FATAL", "info", "Info", "INFO", "notice", "Notice", "NOTICE", "trace", "Trace", "TRACE", "warn", "Warn", "WARN"],
        ],
    };
}

/// Whether `text` may hold a supporting signal (lexical test): two levels compared
/// (`is_level`), a size compared with a limit (`is_size`), or a write call beside a record
/// formatted (`formats_record`) or a template naming a level (`interpolates_record`).
fn support_text(text: &str) -> bool {
    let level = |s: &str| s.to_ascii_lowercase().contains("level");
    compares(text, |lhs, op, rhs| {
        (op != "==" && op != "!=" && level(lhs) && level(rhs))
            || (op.starts_with('>')
                && (lhs.contains("len") || lhs.contains("size"))
                && rhs.to_ascii_lowercase().contains("limit"))
    }) || (calls_any(text, &["Write", "write", "write_all", "WriteString"])
        && (text.contains(".format") || text.contains(".Format") || {
            let lower = text.to_ascii_lowercase();
            ["level", "lvl", "severity"]
                .iter()
                .any(|w| lower.contains(w))
        }))
}

/// Whether an operand reads a log level (`record.level()`, `self.level`, `max_level`,
/// `this.minLevel`).
fn is_level(operand: &str) -> bool {
    let last = operand.rsplit(['.', ':']).next().unwrap_or(operand);
    let last = last.trim_end_matches("()");
    let lower = last.to_ascii_lowercase();
    lower == "level" || lower.ends_with("_level") || last.ends_with("Level")
}

/// Whether an operand reads one size (`file.len()`, `meta.size()`, `len_estimate()`); a
/// product or sum of lengths (`a.len() * b.len()`) is a work estimate, not a file's size.
fn is_size(operand: &str) -> bool {
    let last = operand.rsplit('.').next().unwrap_or(operand);
    last.ends_with("()")
        && (last.contains("len") || last.contains("size"))
        && !operand.contains([' ', '*', '+'])
}

/// Whether a call formats a record: `format`, `Format`, `format_record`, `formatMessage`;
/// not `formatted_description` or `formatting_options`.
fn formats_record(name: &str) -> bool {
    name.strip_prefix("format")
        .or_else(|| name.strip_prefix("Format"))
        .is_some_and(|rest| {
            rest.is_empty() || rest.starts_with('_') || rest.starts_with(char::is_uppercase)
        })
}

/// Whether `f` builds a log record by interpolation: a string literal used in code with two
/// placeholders or more, one of them the record's level (a Python f-string
/// `f"{ts} {level}: {msg}"`, a JavaScript template literal), read like a call of `format`.
/// Messages without a level (a command's `f"Created {n} {kind}"`) are not records.
fn interpolates_record(f: &Function) -> bool {
    let template = |s: &str| {
        if !s.starts_with('"') || s.contains("{{") {
            return false;
        }
        let holes: Vec<&str> = s
            .split('{')
            .skip(1)
            .filter_map(|h| h.split_once('}').map(|(inner, _)| inner))
            .collect();
        holes.len() >= 2
            && holes.iter().any(|h| {
                ident_words(h)
                    .iter()
                    .any(|w| matches!(w.as_str(), "level" | "levelname" | "lvl" | "severity"))
            })
    };
    f.events.iter().any(|e| match &e.kind {
        EventKind::Assign { value, .. } => template(value),
        EventKind::Call(c) => template(&c.receiver) || c.args.iter().any(|a| template(a)),
        _ => false,
    })
}

/// Whether `f` does real work as a `Log::log`: several calls, a loop, or writing.
fn logs_for_real(f: &Function) -> bool {
    f.trait_impl.as_deref() == Some("Log")
        && f.name == "log"
        && (f.calls().count() >= 3 || !f.loops.is_empty())
}

fn check(facts: &FileFacts, sink: &mut Sink<'_>) {
    let mut signals: Vec<Signal> = Vec::new();
    let mut push = |s: Signal| {
        if !signals.iter().any(|o| o.kind() == s.kind()) {
            signals.push(s);
        }
    };
    // Local helpers that rename files.
    let renamers: Vec<&str> = facts
        .functions
        .iter()
        .filter(|f| f.calls().any(|(_, c)| c.ends_with("fs::rename")))
        .map(|f| f.name.as_str())
        .collect();
    for f in &facts.functions {
        if logs_for_real(f) {
            push(Signal::anchor(
                f.span.start,
                "implements `Log::log` with its own routing of records",
            ));
        }
        let rotation = f.loops.iter().find_map(|l| {
            let reversed = f
                .calls()
                .any(|(e, c)| e.line == l.span.start && c.name() == "rev");
            let renames = f.calls().any(|(e, c)| {
                l.span.contains(e.line)
                    && e.line > l.span.start
                    && (c.ends_with("fs::rename") || (!c.is_method && renamers.contains(&c.name())))
            });
            (reversed && renames).then_some(l.span.start)
        });
        if let Some(line) = rotation {
            push(Signal::anchor(
                line,
                "shifts archived files up one slot in a loop of renames (rotation)",
            ));
        }
        let buckets = f.loops.iter().enumerate().find_map(|(id, l)| {
            let id = u32::try_from(id).ok()?;
            let bounded = f.events_in_loop(id).any(|e| match &e.kind {
                EventKind::Binary {
                    op: BinOp::Le | BinOp::Lt,
                    lhs,
                    rhs,
                } => [lhs, rhs]
                    .iter()
                    .any(|s| s.to_ascii_lowercase().contains("bucket") || s.contains("bound")),
                _ => false,
            });
            let counts = f.events_in_loop(id).any(|e| match &e.kind {
                EventKind::AssignOp {
                    op: BinOp::Add,
                    rhs,
                    ..
                } => rhs == "1",
                EventKind::Call(c) => c.name() == "fetch_add",
                _ => false,
            });
            (bounded && counts).then_some(l.span.start)
        });
        if let Some(line) = buckets {
            push(Signal::anchor(
                line,
                "counts observations into histogram buckets",
            ));
        }
        let threshold = f.events.iter().find_map(|e| match &e.kind {
            EventKind::Binary { op, lhs, rhs }
                if matches!(op, BinOp::Lt | BinOp::Le | BinOp::Gt | BinOp::Ge)
                    && is_level(lhs)
                    && is_level(rhs) =>
            {
                Some(e.line)
            }
            _ => None,
        });
        if let Some(line) = threshold {
            push(Signal::new(line, "compares record levels with a threshold"));
        }
        let size_limit = f.events.iter().find_map(|e| match &e.kind {
            EventKind::Binary {
                op: BinOp::Gt | BinOp::Ge,
                lhs,
                rhs,
            } if is_size(lhs) && rhs.to_ascii_lowercase().contains("limit") => Some(e.line),
            _ => None,
        });
        if let Some(line) = size_limit {
            push(Signal::new(line, "compares a file size with a limit"));
        }
    }
    for s in level_signals(facts) {
        push(s);
    }
    let sinks = facts.types.iter().find_map(|t| {
        t.fields
            .iter()
            .find(|fd| fd.ty.starts_with("Vec<Box<dyn") || fd.ty.starts_with("Vec<Arc<dyn"))
            .map(|fd| (t, fd))
    });
    if let Some((t, fd)) = sinks
        && !signals.is_empty()
    {
        signals.push(Signal::new(
            t.span.start,
            format!(
                "keeps a list of boxed appenders or filters in `{}`",
                fd.name
            ),
        ));
    }
    sink.emit_or_defer(signals);
}

/// Whether `text` may hold one of the anchors (the lexical test): a `Log` impl's `fn log`, a
/// reversed loop (`rev(` on a loop's line) of renames, buckets or bounds compared (`<`) and
/// counted, or four severities as the variants of one enum (any name in its body) or as whole
/// string literals (`"WARN"`).
fn anchor_text(text: &str) -> bool {
    let has = |words: &[&str]| words.iter().any(|w| text.contains(w));
    log_impl_text(text)
        || (has(&["rename"]) && crate::rules::vocab::rev_on_loop_line(text))
        || ((adds_one(text) || has(&["fetch_add"])) && bound_compared(text))
        || severities_in_text(text)
}

/// Whether `text` may hold a `Log` impl's `fn log` (lexical test): a function named `log`
/// exactly, and `Log` (the trait's last segment, whole) followed by `for`.
fn log_impl_text(text: &str) -> bool {
    let ident = |c: char| c.is_alphanumeric() || c == '_';
    let fn_log = text
        .match_indices("fn log")
        .any(|(i, m)| !text[i + m.len()..].starts_with(ident));
    fn_log
        && text.match_indices("Log").any(|(i, m)| {
            let after = text[i + m.len()..].trim_start();
            !text[..i].ends_with(ident)
                && after
                    .strip_prefix("for")
                    .is_some_and(|rest| !rest.starts_with(ident))
        })
}

/// The Python form of `anchor_text`: renames in a reversed loop, buckets or bounds compared
/// and counted in one function (`+= 1`, or `n = n + 1`, which reads the same), or four
/// severities among the
/// names a class assigns (an enum's members) or as whole string literals
/// (`python_severities`). No `Log` impl: Python has no trait impls.
fn python_anchor_text(source: &crate::prepass::Source<'_>) -> bool {
    let text = source.python_code();
    let has = |words: &[&str]| crate::prepass::has_any(text, words);
    let python = source.python();
    // `buckets` reads one function: a bound compared and a count of one.
    let buckets = || {
        has(&["bucket", "Bucket", "BUCKET", "bound"])
            && source.python_functions().iter().any(|f| {
                let code = python.code_of(f);
                (code.contains("fetch_add") || python_adds_one(code))
                    && python.code_statements_in(f.statements.clone()).any(|line| {
                        line.contains('<')
                            && crate::prepass::has_any(
                                line,
                                &["bucket", "Bucket", "BUCKET", "bound"],
                            )
                    })
            })
    };
    (has(&["rename"]) && crate::rules::vocab::rev_on_loop_line(text))
        || buckets()
        || python_severities(source)
}

/// Whether `code` adds one (`n += 1`, `n = n + 1`: the count `buckets` reads): a `+` (or
/// `+=`), then past white space and `(`, the literal `1` alone.
fn python_adds_one(code: &str) -> bool {
    code.match_indices('+').any(|(i, _)| {
        let rest = code[i + 1..].strip_prefix('=').unwrap_or(&code[i + 1..]);
        let rest = rest.trim_start_matches(|c: char| c.is_whitespace() || c == '(' || c == '\\');
        rest.strip_prefix('1')
            .is_some_and(|r| !r.starts_with(|c: char| c.is_alphanumeric() || c == '_' || c == '.'))
    })
}

/// The words `python_support_text` asks for first (each clause needs one).
const PYTHON_SUPPORT_WORDS: &[&[&str]] = &[
    &["evel", "EVEL", "len", "size", "write", "Write"],
    &[
        "evel", "EVEL", "len", "size", "ormat", "ORMAT", "lvl", "Lvl", "LVL", "everity", "EVERITY",
    ],
    &["evel", "EVEL", "imit", "IMIT", "write", "Write"],
    &[
        "evel", "EVEL", "imit", "IMIT", "ormat", "ORMAT", "lvl", "Lvl", "LVL", "everity", "EVERITY",
    ],
];

/// The Python support test, per function (`prepass::PythonText::functions`: each signal
/// reads one function): a logical line ordering (`<`, `>`) two level operands (`level` twice,
/// any casing, as `is_level` reads both), or a size (`len`, `size`) against a limit; or a
/// write (`.write`, `.Write`) beside a format call (`.format`, `.Format`) or a template with a
/// level hole (`{` and `level`, `lvl` or `severity`, any casing).
fn python_support_text(source: &crate::prepass::Source<'_>) -> bool {
    if !crate::rules::has_words(source.text(), PYTHON_SUPPORT_WORDS) {
        return false;
    }
    let python = source.python();
    source.python_functions().iter().any(|f| {
        let has = |words: &[&str]| crate::prepass::has_any(source.python().code_of(f), words);
        let level_hole = || {
            let lower = source.python().code_of(f).to_ascii_lowercase();
            ["level", "lvl", "severity"]
                .iter()
                .any(|w| lower.contains(w))
        };
        (has(&[".write", ".Write"])
            && (has(&[".format", ".Format"])
                || (source.python().code_of(f).contains('{') && level_hole())))
            || python.code_statements_in(f.statements.clone()).any(|line| {
                if !line.contains(['<', '>']) {
                    return false;
                }
                let lower = line.to_ascii_lowercase();
                lower.matches("level").count() >= 2
                    || (lower.contains("limit") && (line.contains("len") || line.contains("size")))
            })
    })
}

/// Whether four severities (`severity_of`) name tokens that are assigned
/// (`prepass::PythonText::assigned_names`, as a Python enum's members are) or literals whole
/// (`prepass::PythonText::literal_values`): a superset of one enum's members and of a table of
/// level names.
fn python_severities(source: &crate::prepass::Source<'_>) -> bool {
    let mut seen = 0u32;
    let mut note = |token: &str| {
        if (4..=24).contains(&token.len())
            && let Some(level) = severity_of(token)
            && let Some(bit) = SEVERITY_LEVELS.iter().position(|l| *l == level)
        {
            seen |= 1 << bit;
        }
        seen.count_ones() >= 4
    };
    source.python().assigned_names().into_iter().any(&mut note)
        || source.python().literal_values().any(|v| note(&v))
}

/// Whether `text` adds one to something (`+= 1`, what counts an observation).
fn adds_one(text: &str) -> bool {
    text.match_indices("+=").any(|(i, _)| {
        let rest = text[i + 2..].trim_start();
        rest.starts_with('1')
            && !rest[1..].starts_with(|c: char| c.is_alphanumeric() || c == '_' || c == '.')
    })
}

/// Whether `text` compares (`<`, `<=`) with a bucket or a bound as an operand (lexical
/// test of the histogram anchor).
fn bound_compared(text: &str) -> bool {
    crate::rules::vocab::compares(text, |lhs, op, rhs| {
        op.starts_with('<')
            && [lhs, rhs]
                .iter()
                .any(|s| s.to_ascii_lowercase().contains("bucket") || s.contains("bound"))
    })
}

fn severities_in_text(text: &str) -> bool {
    crate::rules::vocab::enum_or_quoted_set(
        text,
        |token| {
            if !(4..=24).contains(&token.len()) {
                return 0;
            }
            severity_of(token)
                .and_then(|s| SEVERITY_LEVELS.iter().position(|l| *l == s))
                .map_or(0, |i| 1 << i)
        },
        4,
    )
}

/// Log levels of the file's own (an enum, or a table of names, with four severities or more)
/// and records formatted and written to an output.
fn level_signals(facts: &FileFacts) -> Vec<Signal> {
    let mut out = Vec::new();
    let distinct = |names: &mut dyn Iterator<Item = &str>| {
        let mut found: Vec<&str> = names.filter_map(severity_of).collect();
        found.sort_unstable();
        found.dedup();
        found.len()
    };
    let enum_levels = facts
        .types
        .iter()
        .filter(|t| t.kind == TypeKind::Enum)
        .find(|t| distinct(&mut t.variants.iter().map(String::as_str)) >= 4)
        .map(|t| t.span.start);
    // A table of level names: four severities or more among literals a few lines apart.
    let table_levels = facts.literals.iter().enumerate().find_map(|(i, l)| {
        severity_of(&l.value)?;
        let near = facts.literals[i..]
            .iter()
            .take_while(|m| m.line <= l.line + 8)
            .map(|m| m.value.as_str());
        (distinct(&mut near.into_iter()) >= 4).then_some(l.line)
    });
    if let Some(line) = enum_levels.or(table_levels) {
        out.push(Signal::anchor(line, "defines its own severity levels"));
    }
    let writes = facts.functions.iter().find_map(|f| {
        let formats = f
            .calls()
            .any(|(_, c)| c.is_method && formats_record(c.name()))
            || interpolates_record(f);
        let written = f.calls().find(|(_, c)| {
            c.is_method
                && c.receiver.contains('.')
                && matches!(c.name(), "Write" | "write" | "write_all" | "WriteString")
        });
        written.filter(|_| formats).map(|(e, _)| e.line)
    });
    if let Some(line) = writes {
        out.push(Signal::new(
            line,
            "formats each record and writes it to an output",
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use crate::test_support::findings_for;

    #[test]
    fn log_impl_text_asks_for_a_log_impl_and_its_fn_log() {
        assert!(super::log_impl_text(
            "impl log::Log for Sink {\n    fn log(&self, r: &Record) {}\n}\n"
        ));
        assert!(super::log_impl_text(
            "impl<'a> Log\n    for L<'a> { fn log<'b>(&self) {} }"
        ));
        // A login, a logger function, a `Log` type without an impl of it.
        assert!(!super::log_impl_text(
            "fn login() {} fn logger() {} struct Log; impl Log { fn log(&self) {} }"
        ));
    }

    #[test]
    fn severities_are_read_from_enums_and_literals_not_macros() {
        assert!(super::severities_in_text(
            "pub enum Level {\n    /// Most verbose.\n    Trace,\n    Debug,\n    Info = 2,\n    Warn,\n}\n"
        ));
        assert!(super::severities_in_text(
            "const NAMES: [&str; 4] = [\"DEBUG\", \"INFO\", \"WARN\", \"LOG_ERROR\"];"
        ));
        assert!(!super::severities_in_text(
            "use log::{debug, error, info, warn};\n#[derive(Debug)]\nenum E { Io(Error) }\nfn f() { info!(\"x\"); warn!(\"y\"); trace!(\"z\"); }\n"
        ));
    }

    #[test]
    fn flags_logger_with_levels_and_appenders() {
        let src = "struct Logger { level: Level, appenders: Vec<Box<dyn Append>> }\nimpl log::Log for Logger {\n    fn enabled(&self, m: &Metadata) -> bool { m.level() <= self.level }\n    fn log(&self, record: &Record) {\n        if record.level() > self.level { return; }\n        for a in &self.appenders { a.append(record); }\n    }\n    fn flush(&self) {}\n}\n";
        assert_eq!(findings_for(src, "logger-by-hand").len(), 1);
    }

    fn go(src: &str) -> usize {
        crate::test_support::findings_in(
            liability_model::Language::Go,
            "l.go",
            src,
            "logger-by-hand",
        )
        .len()
    }

    #[test]
    fn flags_go_logger_with_its_own_levels() {
        let src = "package l\ntype Level int\nconst (\n\tDebugLevel Level = iota\n\tInfoLevel\n\tWarnLevel\n\tErrorLevel\n)\nfunc (l *Logger) Log(level Level, m string) {\n\tif level < l.level {\n\t\treturn\n\t}\n\tb, _ := l.F.Format(m)\n\tl.Out.Write(b)\n}\n";
        assert_eq!(go(src), 1);
    }

    #[test]
    fn mapping_level_names_onto_a_library_is_silent() {
        let src = "package c\nfunc Level(n string) slog.Level {\n\tswitch n {\n\tcase \"debug\":\n\t\treturn slog.LevelDebug\n\tcase \"info\":\n\t\treturn slog.LevelInfo\n\tcase \"warn\":\n\t\treturn slog.LevelWarn\n\tcase \"error\":\n\t\treturn slog.LevelError\n\t}\n\treturn slog.LevelInfo\n}\n";
        assert_eq!(go(src), 0);
    }

    #[test]
    fn severity_names_are_read_through_affixes() {
        use crate::rules::vocab::severity_of;
        assert_eq!(severity_of("PanicLevel"), Some("panic"));
        assert_eq!(severity_of("LOG_WARN"), Some("warn"));
        assert_eq!(severity_of("WARNING"), Some("warning"));
        assert_eq!(severity_of("level"), None);
        assert_eq!(severity_of("Informal"), None);
    }

    #[test]
    fn forwarding_logger_is_silent() {
        let src = "struct Fwd { level: Level }\nimpl log::Log for Fwd {\n    fn enabled(&self, m: &Metadata) -> bool { m.level() <= self.level }\n    fn log(&self, r: &Record) { eprintln!(\"{}\", r.args()); }\n    fn flush(&self) {}\n}\n";
        assert!(findings_for(src, "logger-by-hand").is_empty());
    }

    fn py(src: &str) -> usize {
        crate::test_support::findings_in(
            liability_model::Language::Python,
            "m.py",
            src,
            "logger-by-hand",
        )
        .len()
    }

    #[test]
    fn exported_level_names_and_a_product_of_lengths_are_silent() {
        let src = "__all__ = [\"Debug\", \"Info\", \"Warning\", \"Error\", \"Critical\"]\ndef emit(self, r):\n    self.stream.write(self.formatter.format(r))\n";
        assert_eq!(py(src), 0);
        let src = "LEVELS = [\"debug\", \"info\", \"warning\", \"error\"]\ndef pairs(a, b):\n    if len(a) * len(b) > PRODUCT_LIMIT:\n        return zip(a, b)\n";
        assert_eq!(py(src), 0);
    }

    #[test]
    fn a_described_operation_written_out_is_no_formatted_record() {
        let src = "LEVELS = [\"debug\", \"info\", \"warning\", \"error\"]\ndef show(self, op):\n    self.stdout.write(op.formatted_description())\n";
        assert_eq!(py(src), 0);
        let logger = "LEVELS = [\"debug\", \"info\", \"warning\", \"error\"]\ndef emit(self, record):\n    self.stream.write(self.formatter.format(record))\n";
        assert_eq!(py(logger), 1);
    }

    #[test]
    fn camel_case_level_thresholds_are_levels() {
        use super::is_level;
        assert!(is_level("self.minLevel"));
        assert!(is_level("max_level"));
        assert!(is_level("record.level()"));
        assert!(!is_level("self.threshold"));
        let src = "export enum Level { Trace, Debug, Info, Warn, Error }\nexport class Logger {\n  constructor(private readonly minLevel: Level) {}\n  log(level: Level, msg: string): void {\n    if (level < this.minLevel) return;\n    process.stdout.write(msg);\n  }\n}\n";
        assert_eq!(
            crate::test_support::findings_in(
                liability_model::Language::TypeScript,
                "l.ts",
                src,
                "logger-by-hand"
            )
            .len(),
            1
        );
    }

    #[test]
    fn records_built_with_f_strings_are_formatted() {
        let logger = "LEVELS = [\"debug\", \"info\", \"warning\", \"error\"]\ndef emit(self, level, msg):\n    line = f\"{time.time()} {level.upper()} {self.name}: {msg}\"\n    self.stream.write(line + \"\\n\")\n";
        assert_eq!(py(logger), 1);
        let plain = "LEVELS = [\"debug\", \"info\", \"warning\", \"error\"]\ndef emit(self, level, msg):\n    self.stream.write(msg + \"\\n\")\n";
        assert_eq!(py(plain), 0);
        // A management command's message: interpolated, but no level in it.
        let message = "LEVELS = [\"debug\", \"info\", \"warning\", \"error\"]\ndef handle(self, n, kind):\n    self.stdout.write(f\"Created {n} {kind}\")\n";
        assert_eq!(py(message), 0);
    }

    #[test]
    fn lexical_tests_read_histogram_bounds_and_supporting_signals() {
        assert!(super::adds_one("counts[i] += 1;"));
        assert!(!super::adds_one("n += 10; m += 1.5;"));
        assert!(super::bound_compared("if v <= self.buckets[i] {"));
        assert!(!super::bound_compared(
            "fn f<T: Bound>(x: Vec<T>) where T: Unbounded {}"
        ));
        assert!(super::support_text("if record.level() > self.max_level {"));
        assert!(super::support_text("if file.len() >= self.size_limit {"));
        assert!(super::support_text(
            "let line = format!(\"{} {level}\", t);\nself.out.write(line);"
        ));
        assert!(!super::support_text(
            "let level = 3;\nif a < b { out.push(level) }"
        ));
    }
}
