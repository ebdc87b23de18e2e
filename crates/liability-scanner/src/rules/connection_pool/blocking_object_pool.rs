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
        // Any signal, supporting ones included (`complete_pools` parses only files holding these).
        // The supporting signals (files holding the anchor are admitted by `rust_needs`):
        // retiring compares `now - ..` (a local named `now`, as formatted code spells it),
        // `elapsed()`, `Since()`, or an idle time with a timeout; handing back is a `Drop`
        // impl passing `.take()`. (A ∨ idle∧timeout ∨ Drop∧take), as four clauses.
        rust_support: |text| crate::rules::has_words(
            text,
            &[
                &["now -", "now-", "elapsed()", "Since()", "idle", "Idle", "IDLE", "Drop for"],
                &["now -", "now-", "elapsed()", "Since()", "idle", "Idle", "IDLE", "take()"],
                &["now -", "now-", "elapsed()", "Since()", "imeout", "IMEOUT", "Drop for"],
                &["now -", "now-", "elapsed()", "Since()", "imeout", "IMEOUT", "take()"],
            ],
        ),
    };
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
