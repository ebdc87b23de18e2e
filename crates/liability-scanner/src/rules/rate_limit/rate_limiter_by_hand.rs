//! A rate limiter written in-house: GCRA arithmetic or a refilled token bucket.

use crate::rules::vocab::{CLOCK_CALLS, call_is};
use crate::rules::{Signal, Sink, declare_rule};
use liability_model::{BinOp, Category, EventKind, FileFacts, Function};

declare_rule! {
    /// ## What it does
    /// Finds rate limiting written by hand, by its arithmetic: the GCRA update
    /// (`max(tat, now) + interval`, with `tat - tau` compared against the clock) or a token
    /// bucket refilled from the elapsed time and capped at its capacity
    /// (`min(capacity, tokens + elapsed * rate)`). Compare-and-swap loops over the limiter
    /// state, tokens spent after a comparison and per-client maps of timestamps add weight.
    ///
    /// ## Why is this a liability?
    /// Limits kept in one process do not add up across replicas or serverless instances; the
    /// clock arithmetic is easy to get subtly wrong (bursts after idle periods, overflow,
    /// clock skew), and per-client state grows without bound unless it is swept.
    ///
    /// ## Example
    /// ```rust
    /// fn try_acquire(&mut self, cost: f64) -> bool {
    ///     let elapsed = self.last.elapsed().as_secs_f64();
    ///     self.tokens = (self.tokens + elapsed * self.rate).min(self.capacity);
    ///     if self.tokens < cost { return false; }
    ///     self.tokens -= cost;
    ///     true
    /// }
    /// ```
    ///
    /// ## Use instead
    /// API Gateway usage plans and throttling or WAF rate-based rules (API Management rate
    /// limits, Cloud Armor). In-process, the `governor` crate.
    ///
    /// ## Known limits
    /// Only the arithmetic is read: a limiter whose refill is spread over several helper
    /// functions, or kept in a database query, is missed. The clock is a known clock call, or
    /// an instant kept in a field and subtracted from the new one before it is stored
    /// (whatever function gave it); a function calling one that reads the time counts as
    /// timed, one call deep.
    pub static RATE_LIMITER_BY_HAND = {
        id: "rate-limiter-by-hand",
        category: Category::RateLimit,
        summary: "a token bucket or GCRA limiter written by hand",
        check: check,
        // Anchors only: GCRA adds to a `max(..)`, a refill caps with `min(..)` (any casing): a
        // clock-reading or elapsed-measuring function needs no more than that. The lexical test
        // asks for one of these whole (`anchor_text`): `max(..) +`, or a `+` in the refill; and,
        // as both anchors are timed, for a clock read or a time since a stored instant
        // (`timed_text`).
        rust_needs: &[
            &["max(", "min(", "Min(", "MIN("],
        ],
        rust_text: |text| anchor_text(text) && timed_text(text),
        // The same in Python (`max(a, b) + t`, `min(cap, tokens + elapsed * rate)`).
        // A Python anchor is also timed (`timed_functions`): a clock called (`CLOCK_CALLS` as
        // the text spells them, a call named `now`, `elapsed` or `duration_since`), or the time
        // since a stored instant (`now - self.last`).
        python_needs: &[
            &["max(", "min(", "Min(", "MIN("],
            &[
                "now(", "Now(", "elapsed(", "duration_since(", "monotonic(", "time.time(", "Since(",
                "- self.", "-self.", "- this.", "-this.", "- (self.", "-(self.", "- (this.",
                "-(this.",
            ],
        ],
        python_text: python_anchor_text,
        // The same in JavaScript (`Math.max(a, b) + t`, `Math.min(cap, tokens + elapsed * rate)`).
        javascript_needs: &[
            &["max(", "min(", "Min(", "MIN("],
        ],
    };
}

const CAS_CALLS: &[&str] = &["compare_exchange", "compare_exchange_weak", "fetch_update"];

/// Whether `text` may hold one of the anchors (the lexical test): GCRA's `max(..) +`, or a
/// refill's `min(..)` (any casing) whose arguments hold a `+`, or called on a parenthesised
/// or computed receiver (`(a + b).min(c)`).
fn anchor_text(text: &str) -> bool {
    gcra_text(text) || refill_text(text)
}

/// Whether `text` may hold what makes a function timed (`timed_functions`; lexical test): a
/// call named like a clock (`reads_time`: `CLOCK_CALLS` end on `now`, `Now`, `utcnow`,
/// `elapsed`, `monotonic`, `Since` or `time`; also `duration_since`), or a subtraction of a
/// field (`measures_elapsed`: `now - self.last`, the field behind parentheses, `*` or `&`).
fn timed_text(text: &str) -> bool {
    crate::rules::vocab::calls_any(
        text,
        &[
            "now",
            "Now",
            "utcnow",
            "elapsed",
            "monotonic",
            "Since",
            "time",
            "duration_since",
        ],
    ) || memchr::memchr_iter(b'-', text.as_bytes()).any(|i| {
        let rest = &text[i + 1..];
        !rest.starts_with(['>', '='])
            && rest
                .trim_start_matches(|c: char| c.is_whitespace() || matches!(c, '(' | '*' | '&'))
                .starts_with("self.")
    })
}

/// The text after the call whose `(` is at `at`, up to its matching `)`: its arguments and
/// the text after it.
fn call_at(text: &str, at: usize) -> Option<(&str, &str)> {
    let mut depth = 0;
    let close = text[at..].find(|c: char| {
        match c {
            '(' => depth += 1,
            ')' => depth -= 1,
            _ => {}
        }
        depth == 0
    })?;
    Some((&text[at + 1..at + close], &text[at + close + 1..]))
}

/// GCRA's `max(..) +` (past closing parentheses and a cast).
fn gcra_text(text: &str) -> bool {
    text.match_indices("max(").any(|(i, m)| {
        call_at(text, i + m.len() - 1).is_some_and(|(_, after)| {
            let mut after = after.trim_start_matches(|c: char| c.is_whitespace() || c == ')');
            if let Some(cast) = after.strip_prefix("as ") {
                after = cast
                    .trim_start()
                    .trim_start_matches(|c: char| c.is_alphanumeric() || c == '_')
                    .trim_start_matches(|c: char| c.is_whitespace() || c == ')');
            }
            after.starts_with('+') && !after.starts_with("+=")
        })
    })
}

/// A refill's `min(..)` (any casing) whose arguments hold a `+`, or called on a parenthesised
/// or computed receiver (`(a + b).min(c)`).
fn refill_text(text: &str) -> bool {
    ["min(", "Min(", "MIN("].iter().any(|w| {
        text.match_indices(w).any(|(i, m)| {
            call_at(text, i + m.len() - 1).is_some_and(|(args, _)| args.contains('+'))
                || text[..i]
                    .trim_end()
                    .strip_suffix('.')
                    .is_some_and(|r| r.trim_end().ends_with(')'))
        })
    })
}

/// The Python lexical test, per function (`prepass::PythonText::functions`: both anchors read
/// one): GCRA's `max(..) +` beside a subtraction (`-`) and an ordering (`<`, `>`), or a
/// refill's `min(..)` with a `+` beside a scaling (`*`, `/`). (Whether the function is timed
/// is left to the words: a clock may be read in another function it calls.)
fn python_anchor_text(source: &crate::prepass::Source<'_>) -> bool {
    let python = source.python();
    source.python_functions().iter().any(|f| {
        let code = python.code_of(f);
        (gcra_text(code) && code.contains(['-', '_']) && code.contains(['<', '>']))
            || (refill_text(code) && code.contains(['*', '/']))
    })
}

/// Whether `f` reads a clock or measures a duration.
fn reads_time(f: &Function) -> bool {
    f.calls().any(|(_, c)| {
        call_is(c, CLOCK_CALLS) || matches!(c.name(), "duration_since" | "now" | "elapsed")
    })
}

/// Whether `f` measures the time since a stored instant and stores the new one
/// (`const elapsed = now - this.last; this.last = now`), whatever clock gave `now`.
fn measures_elapsed(f: &Function) -> bool {
    f.events.iter().any(|e| {
        match &e.kind {
        EventKind::Binary {
            op: BinOp::Sub,
            lhs,
            rhs,
        } if rhs.starts_with("self.") => f.events.iter().any(|a| {
            matches!(&a.kind, EventKind::Assign { target, value } if target == rhs && value == lhs)
        }),
        _ => false,
    }
    })
}

/// The functions of the file that read the time, directly or through one call of another
/// function of the file that does (`tryRemove` calling `this.drip()`).
fn timed_functions(facts: &FileFacts) -> Vec<&str> {
    let direct: Vec<&str> = facts
        .functions
        .iter()
        .filter(|f| reads_time(f) || measures_elapsed(f))
        .map(|f| f.name.as_str())
        .collect();
    let mut all = direct.clone();
    for f in &facts.functions {
        let calls_timed = f
            .calls()
            .any(|(_, c)| (!c.is_method || c.receiver == "self") && direct.contains(&c.name()));
        if calls_timed && !all.contains(&f.name.as_str()) {
            all.push(&f.name);
        }
    }
    all
}

fn check(facts: &FileFacts, sink: &mut Sink<'_>) {
    let mut signals: Vec<Signal> = Vec::new();
    let mut push = |s: Signal| {
        if !signals.iter().any(|o| o.kind() == s.kind()) {
            signals.push(s);
        }
    };
    let timed_fns = timed_functions(facts);
    for f in &facts.functions {
        let timed = timed_fns.contains(&f.name.as_str());
        let scales = f.events.iter().any(|e| {
            matches!(
                &e.kind,
                EventKind::Binary {
                    op: BinOp::Mul | BinOp::Div,
                    ..
                }
            )
        });
        let max_plus = f.events.iter().find_map(|e| match &e.kind {
            EventKind::Binary {
                op: BinOp::Add,
                lhs,
                ..
            } if lhs.ends_with("max()") => Some(e.line),
            _ => None,
        });
        let subtracts = f.events.iter().any(|e| match &e.kind {
            EventKind::Binary { op: BinOp::Sub, .. } => true,
            EventKind::Call(c) => matches!(c.name(), "saturating_sub" | "checked_sub"),
            _ => false,
        });
        let orders = f.events.iter().any(|e| {
            matches!(
                &e.kind,
                EventKind::Binary {
                    op: BinOp::Lt | BinOp::Le | BinOp::Gt | BinOp::Ge,
                    ..
                }
            )
        });
        if let Some(line) = max_plus
            && subtracts
            && orders
            && timed
        {
            push(Signal::anchor(
                line,
                "computes the next allowed time with GCRA arithmetic",
            ));
        }
        let refill = f.calls().find_map(|(e, c)| {
            let capped = c.name().eq_ignore_ascii_case("min")
                && std::iter::once(&c.receiver)
                    .chain(&c.args)
                    .any(|a| a.contains('+') && (a.contains('*') || scales));
            capped.then_some(e.line)
        });
        if let Some(line) = refill
            && timed
        {
            push(Signal::anchor(
                line,
                "refills tokens from the elapsed time, capped at a capacity",
            ));
        }
        let spend = f.events.iter().find_map(|e| match &e.kind {
            EventKind::AssignOp {
                op: BinOp::Sub,
                target,
                ..
            } if f.events.iter().any(|c| {
                matches!(&c.kind, EventKind::Binary { op, lhs, rhs }
                    if op.is_comparison() && (lhs == target || rhs == target))
            }) && timed =>
            {
                Some(e.line)
            }
            _ => None,
        });
        if let Some(line) = spend {
            push(Signal::new(
                line,
                "spends tokens after checking the balance",
            ));
        }
        let cas = f.events.iter().find_map(|e| match &e.kind {
            EventKind::Call(c) if e.loop_id.is_some() && CAS_CALLS.contains(&c.name()) => {
                Some(e.line)
            }
            _ => None,
        });
        if let Some(line) = cas {
            push(Signal::new(
                line,
                "updates the limiter state in a compare-and-swap loop",
            ));
        }
    }
    let keyed_times = facts.types.iter().flat_map(|t| &t.fields).find(|fd| {
        let ty = &fd.ty;
        ["HashMap<", "BTreeMap<", "DashMap<"]
            .iter()
            .any(|m| ty.starts_with(m))
            && (ty.contains("Instant") || ty.contains("SystemTime"))
    });
    if let Some(fd) = keyed_times
        && let Some(t) = facts.types.iter().find(|t| t.fields.contains(fd))
    {
        push(Signal::new(
            t.span.start,
            format!("keeps timestamps per client in `{}`", fd.name),
        ));
    }
    sink.emit_or_defer(signals);
}

#[cfg(test)]
mod tests {
    #[test]
    fn timed_text_reads_clock_calls_and_time_since_a_field() {
        assert!(super::timed_text("let e = self.last.elapsed();"));
        assert!(super::timed_text("let now = Instant::now();"));
        assert!(super::timed_text("let e = now - (self.last);"));
        assert!(super::timed_text("d = t.duration_since(self.t0)"));
        // Known is no clock; a field subtracted from is no time since it.
        assert!(!super::timed_text(
            "let known = n.min(cap + 1); x = self.a - b;"
        ));
    }

    #[test]
    fn anchor_text_reads_gcra_and_refills() {
        assert!(super::anchor_text(
            "let tat = self.tat.max(now) + self.interval;"
        ));
        assert!(super::anchor_text(
            "self.tokens = (self.tokens + elapsed * rate).min(cap);"
        ));
        assert!(super::anchor_text("let t = f64::min(cap, t + e * r);"));
        assert!(!super::anchor_text(
            "let n = a.max(b); let m = x.min(y); t += 1;"
        ));
    }

    use crate::test_support::findings_for;

    #[test]
    fn flags_token_bucket() {
        let src = "impl Bucket {\n    fn try_acquire(&mut self, cost: f64) -> bool {\n        let elapsed = self.last.elapsed().as_secs_f64();\n        self.tokens = (self.tokens + elapsed * self.rate).min(self.capacity);\n        if self.tokens < cost { return false; }\n        self.tokens -= cost;\n        true\n    }\n}\n";
        assert_eq!(findings_for(src, "rate-limiter-by-hand").len(), 1);
    }

    #[test]
    fn flags_bucket_refilled_from_a_stored_instant() {
        let src = "class B {\n  take(n) {\n    this.drip();\n    if (n > this.tokens) return false;\n    this.tokens -= n;\n    return true;\n  }\n  drip() {\n    const now = ms();\n    const d = now - this.last;\n    this.last = now;\n    const add = d * this.rate;\n    this.tokens = Math.min(this.tokens + add, this.size);\n  }\n}\n";
        let found = crate::test_support::findings_in(
            liability_model::Language::JavaScript,
            "t.js",
            src,
            "rate-limiter-by-hand",
        );
        assert_eq!(found.len(), 1);
    }

    #[test]
    fn clamping_and_spending_without_elapsed_time_is_silent() {
        let src = "class C {\n  grow(s, f, max) { const k = s * f; this.w = Math.min(this.w + k, max); }\n  spend(c) { if (c > this.budget) return false; this.budget -= c; return true; }\n}\n";
        let found = crate::test_support::findings_in(
            liability_model::Language::JavaScript,
            "t.js",
            src,
            "rate-limiter-by-hand",
        );
        assert!(found.is_empty());
    }

    #[test]
    fn layout_clamping_without_a_clock_is_silent() {
        let src = "fn width(a: f64, b: f64, n: f64, cap: f64) -> f64 {\n    let mut w = (a + b * n).min(cap);\n    if w > cap { w -= 1.0; }\n    w\n}\n";
        assert!(findings_for(src, "rate-limiter-by-hand").is_empty());
    }
}
