//! A pool that lends out idle objects, waits for returns and retires idle ones.

use crate::rules::{Signal, Sink, declare_rule};
use liability_model::{BinOp, Category, EventKind, FileFacts, Function};

declare_rule! {
    /// ## What it does
    /// Finds a pool written in-house: objects (usually connections) are taken from an idle
    /// collection and pushed back into the same collection, callers wait on a condition
    /// variable or semaphore until one is returned, and idle or old objects are retired after
    /// a timeout. Handing the object back from a `Drop` implementation is further evidence.
    ///
    /// ## Why is this a liability?
    /// Pools fail under load: leaks when a checkout is never returned, thundering herds on
    /// wake-up, stale connections after a failover, limits that do not add up across
    /// replicas. Serverless callers make it worse, as each instance holds its own pool.
    ///
    /// ## Example
    /// ```rust
    /// fn get(&self) -> Conn {
    ///     let mut idle = self.idle.lock();
    ///     loop {
    ///         if let Some(c) = idle.conns.pop() { return c; }
    ///         self.cond.wait(&mut idle);
    ///     }
    /// }
    /// fn put_back(&self, c: Conn) { self.idle.lock().conns.push(c); self.cond.notify_one(); }
    /// ```
    ///
    /// ## Use instead
    /// RDS Proxy or the RDS Data API (built-in pooling in Azure Database; Cloud SQL
    /// connectors). In-process, `deadpool`, `bb8` or `r2d2`.
    ///
    /// ## Known limits
    /// A bounded work queue drained by workers has the same take/put/wait shape; the rule
    /// also needs idle-time retirement or a hand-back on `Drop` before it reports.
    pub static BLOCKING_OBJECT_POOL = {
        id: "blocking-object-pool",
        category: Category::ConnectionPool,
        summary: "a pool that lends idle objects, waits for returns and retires idle ones",
        check: check,
        // The anchor lends: a method take (`.pop*`, `.shift`) and put (`.push*`, `.append`) on one
        // collection, and a wait (`WAIT` methods, or a receiver holding `waiting`/`waiters`).
        rust_needs: &[
            &[".pop", ".shift"],
            &[".push", ".append"],
            &["wait", "Wait", "WAIT"],
        ],
        // Any signal, supporting ones included (`complete_pools` parses only files passing it):
        // retiring compares `now - ..` (a local named `now`, as formatted code spells it),
        // `elapsed()` or `Since()` by `>`/`>=`, or an idle time with a timeout; handing back is
        // a `Drop` impl passing `.take()` as an argument (`support_text`).
        rust_support: support_text,
        // In Python: put back (`PUT` as methods, or an `append(..)` function) and waiting: a
        // `WAIT` method (`.wait(`, `.wait_for(`; not `await`), or a receiver naming waiters or
        // waiting (any casing). The take is not a word: an element read and its field
        // reassigned (`resliced`) is taken too, and an index is in every file; the test asks for
        // a take and a put of one collection (`python_take_put`).
        python_needs: &[
            &["append", ".push"],
            &[".wait", ".Wait", "aiting", "AITING", "aiters", "AITERS"],
        ],
        python_text: python_take_put,
        // The supporting signals: retiring compares `now - ..`, an `elapsed(..)` or `Since(..)`
        // call (rendered `elapsed()` whatever its arguments), or an idle time with a timeout
        // (there is no `Drop`); the test reads them in one comparison (`python_support_text`).
        python_support: |source| {
            crate::rules::has_words(
                source.text(),
                &[
                    &["now -", "now-", "elapsed(", "Since(", "idle", "Idle", "IDLE"],
                    &["now -", "now-", "elapsed(", "Since(", "imeout", "IMEOUT"],
                ],
            ) && python_support_text(source)
        },
        // In JavaScript as in Python: put back (`PUT` as methods, or an `append(..)` function)
        // and waiting (`.wait(..)`, or borrowers queued in a receiver naming waiters or
        // waiting); the supporting signals by their words.
        javascript_needs: &[
            &["append", ".push"],
            &[".wait", ".Wait", "aiting", "AITING", "aiters", "AITERS"],
        ],
        javascript_support: |source| {
            crate::rules::has_words(
                source.text(),
                &[
                    &["now -", "now-", "elapsed(", "Since(", "idle", "Idle", "IDLE"],
                    &["now -", "now-", "elapsed(", "Since(", "imeout", "IMEOUT"],
                ],
            )
        },
    };
}

/// The words `support_text` asks for first: (A ∨ idle∧timeout ∨ Drop∧take), as four clauses.
const SUPPORT_WORDS: &[&[&str]] = &[
    &[
        "now -",
        "now-",
        "elapsed()",
        "Since()",
        "idle",
        "Idle",
        "IDLE",
        "Drop for",
    ],
    &[
        "now -",
        "now-",
        "elapsed()",
        "Since()",
        "idle",
        "Idle",
        "IDLE",
        "take()",
    ],
    &[
        "now -",
        "now-",
        "elapsed()",
        "Since()",
        "imeout",
        "IMEOUT",
        "Drop for",
    ],
    &[
        "now -",
        "now-",
        "elapsed()",
        "Since()",
        "imeout",
        "IMEOUT",
        "take()",
    ],
];

/// The Rust support test, a lexical superset of the supporting signals `check` reads:
/// `elapsed()` or `Since()` then `>` (a left operand ending with the call, compared by `>` or
/// `>=`); `now` then `-` (not `->`, `-=`) with a `>` before the statement ends (a left
/// operand `now - ..`); the words idle and timeout (compared in some statement); or, after
/// `Drop for`, `.take()` closing an argument (then `,` or `)`).
fn support_text(text: &str) -> bool {
    if !crate::rules::has_words(text, SUPPORT_WORDS) {
        return false;
    }
    let ident = |c: char| c.is_alphanumeric() || c == '_';
    let then_greater = |word: &str| {
        text.match_indices(word)
            .any(|(i, _)| skip_blank(&text[i + word.len()..]).starts_with('>'))
    };
    let now_minus_compared = || {
        text.match_indices("now").any(|(i, _)| {
            let before = text[..i].chars().next_back();
            if before.is_some_and(|c| ident(c) || c == '.' || c == ':') {
                return false;
            }
            let after = skip_blank(&text[i + 3..]);
            let Some(rest) = after.strip_prefix('-') else {
                return false;
            };
            if rest.starts_with(['>', '=']) {
                return false;
            }
            let statement = rest.find([';', '{', '}']).map_or(rest, |end| &rest[..end]);
            statement.contains('>')
        })
    };
    let idle_and_timeout =
        || crate::rules::has_words(text, &[&["idle", "Idle", "IDLE"], &["imeout", "IMEOUT"]]);
    let hands_back = || {
        text.find("Drop for").is_some_and(|d| {
            text[d..]
                .match_indices(".take()")
                .any(|(i, m)| skip_blank(&text[d + i + m.len()..]).starts_with([',', ')']))
        })
    };
    then_greater("elapsed()")
        || then_greater("Since()")
        || now_minus_compared()
        || idle_and_timeout()
        || hands_back()
}

/// `text` past white space and comments (`//` to the line's end, `/* .. */`).
fn skip_blank(mut text: &str) -> &str {
    loop {
        text = text.trim_start();
        if let Some(rest) = text.strip_prefix("//") {
            text = rest.find('\n').map_or("", |n| &rest[n..]);
        } else if let Some(rest) = text.strip_prefix("/*") {
            text = rest.find("*/").map_or("", |n| &rest[n + 2..]);
        } else {
            return text;
        }
    }
}

const TAKE: &[&str] = &["pop", "pop_back", "pop_front", "popleft", "shift"];
const PUT: &[&str] = &["append", "push", "push_back", "push_front"];
const WAIT: &[&str] = &[
    "Wait",
    "wait",
    "wait_for",
    "wait_timeout",
    "wait_until",
    "wait_while",
];

fn check(facts: &FileFacts, sink: &mut Sink<'_>) {
    let mut signals = Vec::new();
    let calls = || {
        facts
            .functions
            .iter()
            .flat_map(|f| f.calls())
            .filter(|(_, c)| c.is_method && !c.receiver.is_empty())
    };
    // Taken: popped (`idle.pop()`), or in Go read from the end and resliced
    // (`c := p.idle[n-1]; p.idle = p.idle[:n-1]`).
    let taken = calls()
        .filter(|(_, c)| TAKE.contains(&c.name()))
        .map(|(e, c)| (e.line, collection(&c.receiver)))
        .chain(facts.functions.iter().flat_map(resliced));
    // Put back: pushed (`idle.push(c)`), or appended in Go (`p.idle = append(p.idle, c)`).
    let put = |coll: &str| {
        facts
            .functions
            .iter()
            .flat_map(|f| f.calls())
            .any(|(_, p)| {
                (p.is_method && PUT.contains(&p.name()) && collection(&p.receiver) == coll)
                    || (!p.is_method
                        && p.callee == "append"
                        && p.args
                            .first()
                            .is_some_and(|a| a.contains('.') && collection(a) == coll))
            })
    };
    let take_put = taken
        .filter(|(_, coll)| put(coll))
        .map(|(line, _)| line)
        .min();
    // Without condition variables (JavaScript), borrowers wait in a queue of their own.
    let wait = calls()
        .find(|(_, c)| {
            WAIT.contains(&c.name()) || {
                let r = c.receiver.to_ascii_lowercase();
                r.contains("waiting") || r.contains("waiters")
            }
        })
        .map(|(e, _)| e.line);
    if let (Some(line), Some(_)) = (take_put, wait) {
        signals.push(Signal::anchor(
            line,
            "lends idle objects from a collection they are returned to, and waits for returns",
        ));
    }
    let idle = facts
        .functions
        .iter()
        .flat_map(|f| &f.events)
        .find_map(|e| match &e.kind {
            EventKind::Binary {
                op: BinOp::Ge | BinOp::Gt,
                lhs,
                ..
            } if lhs.starts_with("now-")
                || lhs.ends_with("elapsed()")
                || lhs.ends_with("Since()") =>
            {
                Some(e.line)
            }
            // `config.idleTimeoutMillis < idleTime`: an idle time against its timeout.
            EventKind::Binary { op, lhs, rhs } if op.is_comparison() => {
                let both = format!("{lhs} {rhs}").to_ascii_lowercase();
                (both.contains("idle") && both.contains("timeout")).then_some(e.line)
            }
            _ => None,
        });
    if let Some(line) = idle {
        signals.push(Signal::new(
            line,
            "retires objects idle or alive past a limit",
        ));
    }
    let hand_back = facts
        .functions
        .iter()
        .filter(|f| f.trait_impl.as_deref() == Some("Drop"))
        .flat_map(|f| f.calls())
        .find(|(_, c)| c.args.iter().any(|a| a.ends_with(".take()")))
        .map(|(e, _)| e.line);
    if let Some(line) = hand_back {
        signals.push(Signal::new(
            line,
            "hands the object back to the pool on drop",
        ));
    }
    sink.emit_or_defer(signals);
}

/// The Python lexical test: one collection (`collection`: the receiver's last name) both taken
/// from (`TAKE` called as a method, or an element read into a local and the field reassigned,
/// as `resliced` reads it) and put back into (`PUT` called as a method); a receiver that does
/// not end with a name (`f().pop()`), or an `append(..)` function, stands for any collection.
fn python_take_put(source: &crate::prepass::Source<'_>) -> bool {
    let code = source.python_code();
    let ident = |c: char| c.is_alphanumeric() || c == '_';
    // The collections of the methods `names` called (`None`: any).
    let receivers = |names: &[&str]| -> Vec<Option<&str>> {
        let mut out = Vec::new();
        for name in names {
            for (i, _) in code.match_indices(name) {
                let after = &code[i + name.len()..];
                let before = code[..i].trim_end();
                if after.starts_with(ident) || !after.trim_start().starts_with('(') {
                    continue;
                }
                let Some(receiver) = before.strip_suffix('.') else {
                    continue;
                };
                let receiver = receiver.trim_end();
                let last = receiver.trim_end_matches(ident);
                // A name `this` renders `self`.
                let name = &receiver[last.len()..];
                let name = if name == "this" { "self" } else { name };
                out.push((!name.is_empty()).then_some(name));
            }
        }
        out
    };
    let mut taken = receivers(TAKE);
    // `x = self.idle[n]` and `self.idle = ..`: the field resliced.
    for (i, _) in code.match_indices('=') {
        let bytes = code.as_bytes();
        if matches!(
            i.checked_sub(1).map(|p| bytes[p]),
            Some(b'=' | b'!' | b'<' | b'>')
        ) || bytes.get(i + 1) == Some(&b'=')
        {
            continue;
        }
        let value = code[i + 1..].trim_start();
        let end = value
            .find(|c: char| !(ident(c) || c == '.'))
            .unwrap_or(value.len());
        let (field, rest) = value.split_at(end);
        if field.contains('.') && rest.starts_with('[') {
            let reassigned = code.match_indices(field).any(|(j, _)| {
                let after = code[j + field.len()..].trim_start();
                after.starts_with('=') && !after.starts_with("==")
            });
            if reassigned {
                taken.push(field.rsplit('.').next());
            }
        }
    }
    if taken.is_empty() {
        return false;
    }
    let mut put = receivers(PUT);
    if code
        .match_indices("append(")
        .any(|(i, _)| !code[..i].ends_with(|c: char| ident(c) || c == '.'))
    {
        put.push(None);
    }
    taken
        .iter()
        .any(|t| put.iter().any(|p| t.is_none() || p.is_none() || t == p))
}

/// The Python support test: a logical line (`prepass::PythonText`) holding a `>` (the
/// retirement's `>=` or `>`) and `now -`, `elapsed(` or `Since(`; or a comparison (`<`, `>`,
/// `==`, `!=`, `is`) of an idle time with a timeout (`idle` and `timeout`, any casing).
fn python_support_text(source: &crate::prepass::Source<'_>) -> bool {
    source.python().code_statement_texts().any(|line| {
        if !crate::rules::vocab::python_line_compares(line) {
            return false;
        }
        (line.contains('>')
            && ["now -", "now-", "elapsed(", "Since("]
                .iter()
                .any(|w| line.contains(w)))
            || {
                let lower = line.to_ascii_lowercase();
                lower.contains("idle") && lower.contains("timeout")
            }
    })
}

/// Where `f` takes an element of a field's collection and reassigns the field (a Go slice
/// shrunk by reslicing): the line of the read and the collection's name.
fn resliced(f: &Function) -> Vec<(u32, &str)> {
    f.events
        .iter()
        .filter_map(|e| match &e.kind {
            EventKind::Assign { value, .. } => {
                let coll = value.strip_suffix("[]")?;
                let reassigned = coll.contains('.')
                    && f.events.iter().any(
                        |o| matches!(&o.kind, EventKind::Assign { target, .. } if target == coll),
                    );
                reassigned.then(|| (e.line, collection(coll)))
            }
            _ => None,
        })
        .collect()
}

/// The collection a receiver names: its last field (`self.inner.lock().idle` → `idle`).
fn collection(receiver: &str) -> &str {
    receiver.rsplit('.').next().unwrap_or(receiver)
}

#[cfg(test)]
mod tests {
    use crate::test_support::findings_for;

    #[test]
    fn support_text_reads_retirement_and_hand_back() {
        use super::support_text;
        assert!(support_text(
            "if conn.created.elapsed() >= self.max_age { drop(conn); }"
        ));
        assert!(support_text(
            "if conn.since.elapsed() // age\n    > limit {}"
        ));
        assert!(support_text("let stale = now - c.last_used > idle_for;"));
        assert!(support_text("if self.idle_for(c) > self.idle_timeout {}"));
        assert!(support_text(
            "impl Drop for Guard {\n    fn drop(&mut self) { self.pool.put(self.conn.take()); }\n}"
        ));
        // The words alone are not the signals.
        assert!(!support_text("let t = start.elapsed();\nlog(t);"));
        assert!(!support_text("let d = now -> later;"));
        assert!(!support_text("let n = self.now - 1;"));
        assert!(!support_text(
            "impl Drop for Guard {\n    fn drop(&mut self) { self.conn.take().map(close); }\n}"
        ));
        assert!(!support_text(
            "fn f() { x.take(); }\nimpl Drop for G { fn drop(&mut self) {} }"
        ));
    }

    #[test]
    fn flags_pool_with_wait_and_idle_reaping() {
        let src = "impl Pool {\n    fn get(&self) -> Conn {\n        let mut g = self.inner.lock();\n        loop {\n            if let Some(c) = g.conns.pop() { return c; }\n            self.cond.wait(&mut g);\n        }\n    }\n    fn put_back(&self, c: Conn) { self.inner.lock().conns.push(c); }\n    fn reap(&self, now: Instant) { self.inner.lock().conns.retain(|c| !(now - c.idle_start >= self.timeout)); }\n}\n";
        assert_eq!(findings_for(src, "blocking-object-pool").len(), 1);
    }

    #[test]
    fn flags_go_pool_with_resliced_idle_list() {
        let src = "package pool\n\nimport \"time\"\n\nfunc (p *Pool) Get() Conn {\n\tfor {\n\t\tif n := len(p.idle); n > 0 {\n\t\t\tc := p.idle[n-1]\n\t\t\tp.idle = p.idle[:n-1]\n\t\t\treturn c.conn\n\t\t}\n\t\tp.cond.Wait()\n\t}\n}\n\nfunc (p *Pool) Put(c Conn) {\n\tp.idle = append(p.idle, idleConn{conn: c, at: time.Now()})\n\tp.cond.Signal()\n}\n\nfunc (p *Pool) reap() {\n\tfor _, c := range p.idle {\n\t\tif time.Since(c.at) > p.ttl {\n\t\t\tc.conn.Close()\n\t\t}\n\t}\n}\n";
        let found = crate::test_support::findings_in(
            liability_model::Language::Go,
            "p.go",
            src,
            "blocking-object-pool",
        );
        assert_eq!(found.len(), 1);
    }

    #[test]
    fn stack_without_waiting_is_silent() {
        let src = "impl Stack {\n    fn pop(&mut self) -> Option<u8> { self.items.pop() }\n    fn push(&mut self, v: u8) { self.items.push(v); }\n}\n";
        assert!(findings_for(src, "blocking-object-pool").is_empty());
    }
}
