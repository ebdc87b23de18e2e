//! A loop that calls something fallible, sleeps after a failure and tries again.

use crate::rules::vocab::{
    RANDOM_CALLS, RETRY_STOP_STRATEGIES, RETRY_WAIT_STRATEGIES, SLEEP_CALLS, call_is, first_call,
};
use crate::rules::{Component, Signal, Sink, declare_rule};
use liability_model::{BinOp, Category, EventKind, FileFacts, Function};

declare_rule! {
    /// ## What it does
    /// Finds loops that call an operation, branch on its failure, sleep, and go round again:
    /// a retry loop written by hand, often with an attempt counter, a delay that grows each
    /// time (exponential backoff) and random jitter, or a retry controller that asks stop
    /// and wait strategy objects it keeps in fields whether to go on and how long to sleep.
    ///
    /// ## Why is this a liability?
    /// Retry logic looks like ten lines and hides the hard parts: which errors are transient,
    /// a cap on total time, jitter so that clients do not retry in lock-step, idempotency, and
    /// what happens after the last attempt. Every hand-written copy gets some of those wrong,
    /// and each copy must be reviewed and kept consistent.
    ///
    /// ## Example
    /// ```rust
    /// let mut delay = Duration::from_millis(100);
    /// for attempt in 0..5 {
    ///     match client.get_object(&key) {
    ///         Ok(body) => return Ok(body),
    ///         Err(e) if attempt < 4 => { thread::sleep(delay); delay *= 2; }
    ///         Err(e) => return Err(e),
    ///     }
    /// }
    /// ```
    ///
    /// ## Use instead
    /// The cloud SDKs already retry with backoff and jitter (configure the AWS SDK's retry
    /// mode, Azure's `RetryOptions`, GCP's retry settings). For asynchronous work, Lambda
    /// asynchronous invocation retries with a dead-letter queue, or a Step Functions `Retry`
    /// block. In-process, a well-kept crate: `backon` or `backoff`.
    ///
    /// ## Known limits
    /// A polling loop that sleeps while waiting for work and also counts failures looks the
    /// same; it is reported when it also counts attempts or grows its delay.
    pub static HAND_ROLLED_RETRY_LOOP = {
        id: "hand-rolled-retry-loop",
        category: Category::Retry,
        summary: "a loop that retries a failing call after sleeping",
        check: check,
        // Emits directly, so the words cover the whole condition: the loop sleeps (`SLEEP_CALLS`,
        // as the callee paths are written).
        rust_needs: &[
            &["sleep", "time::Sleep", "Delay::new", "Timer::after", "time::After", "delay_for"],
        ],
        // And one of them is called (`sleep` is also a word of prose and of names).
        rust_text: |text| crate::rules::vocab::calls_any(text, SLEEP_CALLS),
        // In Python, the loop sleeps (`SLEEP_CALLS` as the text spells them: a module path's
        // `::` is a `.`) and catches the failure (the error branch is an `except` clause), in
        // one function (`python_retry_text`).
        python_needs: &[
            crate::rules::vocab::PYTHON_SLEEPS,
            &["except"],
        ],
        python_text: python_retry_text,
        // In JavaScript the loop sleeps: `SLEEP_CALLS` as the text spells them, or `setTimeout`
        // in a `new Promise` or awaited (read as `sleep`).
        javascript_needs: &[
            &["sleep", "setTimeout", "Delay", "Timer.after", "time.After", "delay_for"],
        ],
        // And one of them is called (`vocab::javascript_sleeps`).
        javascript_text: |source| crate::rules::vocab::javascript_sleeps(source.text()),
    };
}

/// The Python lexical test: one function (`prepass::PythonText::functions`: the loop is one
/// function's) sleeps, catches (`except`) and loops (`for`, `while`).
fn python_retry_text(source: &crate::prepass::Source<'_>) -> bool {
    source.python_functions().iter().any(|f| {
        let has = |words: &[&str]| crate::prepass::has_any(source.python().code_of(f), words);
        has(crate::rules::vocab::PYTHON_SLEEPS) && has(&["except"]) && has(&["for", "while"])
    })
}

fn check(facts: &FileFacts, sink: &mut Sink<'_>) {
    let strategies = strategies(facts);
    for function in &facts.functions {
        if let Some(signals) = retry_loop(function, strategies) {
            sink.emit(Component::of_function(facts, function), signals);
        }
    }
}

/// The line where a class of the file consults a stop strategy and a wait strategy kept in
/// its fields (`self.stop(state)`, `self.wait(state)`): a retry controller's policy objects.
fn strategies(facts: &FileFacts) -> Option<u32> {
    let consults = |names: &[&str]| {
        facts.functions.iter().find_map(|f| {
            let ty = facts
                .types
                .iter()
                .find(|t| Some(&t.name) == f.owner.as_ref())?;
            f.calls().find_map(|(e, c)| {
                (c.is_method
                    && c.receiver == "self"
                    && names.contains(&c.name())
                    && ty.field(c.name()).is_some())
                .then_some(e.line)
            })
        })
    };
    let stop = consults(RETRY_STOP_STRATEGIES)?;
    let wait = consults(RETRY_WAIT_STRATEGIES)?;
    Some(stop.min(wait))
}

/// The signals of the first retry loop in `f`, if it has one.
fn retry_loop(f: &Function, strategies: Option<u32>) -> Option<Vec<Signal>> {
    for (id, lp) in f.loops.iter().enumerate() {
        let id = u32::try_from(id).ok()?;
        let events: Vec<_> = f.events_in_loop(id).collect();
        let sleep = events.iter().find_map(|e| match &e.kind {
            EventKind::Call(c) if call_is(c, SLEEP_CALLS) => Some(e.line),
            _ => None,
        });
        // The failure must be handled by this loop itself: an error that breaks out of an
        // inner loop is not a reason to go round this one again.
        let failure = events
            .iter()
            .find(|e| e.kind == EventKind::ErrorBranch && e.loop_id == Some(id))
            .map(|e| e.line);
        let (Some(sleep), Some(failure)) = (sleep, failure) else {
            continue;
        };
        let mut signals = vec![Signal::new(
            failure.min(sleep),
            "loops over a fallible call and sleeps before trying again",
        )];
        let counter = events.iter().find_map(|e| match &e.kind {
            EventKind::AssignOp {
                op: BinOp::Add,
                target,
                rhs,
            } if rhs == "1" => Some((e.line, target)),
            _ => None,
        });
        if lp.counted_range {
            signals.push(Signal::new(
                lp.span.start,
                "bounds the attempts with a counted loop",
            ));
        } else if let Some((line, target)) = counter
            && compared(f, target)
        {
            signals.push(Signal::new(
                line,
                format!("counts attempts in `{target}` against a limit"),
            ));
        }
        let growth = f.events.iter().find_map(|e| match &e.kind {
            EventKind::AssignOp {
                op: BinOp::Mul | BinOp::Shl,
                target,
                ..
            } => Some((e.line, format!("multiplies `{target}` between attempts"))),
            EventKind::Call(c)
                if ["pow", "powi", "powf", "checked_pow", "saturating_pow"].contains(&c.name()) =>
            {
                Some((
                    e.line,
                    "raises the delay to a power of the attempt".to_owned(),
                ))
            }
            EventKind::Call(c) if is_backoff_name(c.name()) && e.loop_id.is_some() => {
                Some((e.line, format!("asks `{}` for the next delay", c.name())))
            }
            _ => None,
        });
        if let Some((line, message)) = growth {
            signals.push(Signal::new(line, message));
        }
        if let Some(line) = first_call(f, RANDOM_CALLS) {
            signals.push(Signal::new(line, "adds random jitter to the delay"));
        }
        if let Some(line) = strategies {
            signals.push(Signal::new(
                line,
                "asks stop and wait strategy objects whether and when to try again",
            ));
        }
        // A loop that only sleeps on failure is a poller; a retry counts or backs off.
        if signals.len() >= 2 {
            return Some(signals);
        }
    }
    None
}

/// Whether `target` is compared with something anywhere in `f`.
fn compared(f: &Function, target: &str) -> bool {
    f.events.iter().any(|e| {
        matches!(&e.kind, EventKind::Binary { op, lhs, rhs } if op.is_comparison() && (lhs == target || rhs == target))
    })
}

/// Supporting vocabulary: a call that supplies the next delay.
fn is_backoff_name(name: &str) -> bool {
    let n = name.to_ascii_lowercase();
    n.contains("backoff") || n.contains("next_delay") || n.contains("next_interval")
}

#[cfg(test)]
mod tests {
    use crate::test_support::{findings_for, findings_in};
    use liability_model::Language;

    #[test]
    fn flags_counted_sleeping_retry() {
        let src = "fn fetch() -> Result<(), E> {\n    let mut delay = 100;\n    let mut attempts = 0;\n    loop {\n        match get() {\n            Ok(v) => return Ok(v),\n            Err(e) => {\n                attempts += 1;\n                if attempts > 5 { return Err(e); }\n                std::thread::sleep(Duration::from_millis(delay));\n                delay *= 2;\n            }\n        }\n    }\n}\n";
        let found = findings_for(src, "hand-rolled-retry-loop");
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].evidence.len(), 3, "{:#?}", found[0].evidence);
    }

    #[test]
    fn flags_python_retry_controller_with_strategies() {
        let src = "import time\n\nclass Retrier:\n    def __init__(self, stop, wait):\n        self.stop = stop\n        self.wait = wait\n\n    def call(self, fn):\n        attempt = 0\n        while True:\n            attempt += 1\n            try:\n                return fn()\n            except Exception:\n                if self.stop(attempt):\n                    raise\n                time.sleep(self.wait(attempt))\n";
        let found = findings_in(Language::Python, "t.py", src, "hand-rolled-retry-loop");
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].component, "type Retrier");
    }

    #[test]
    fn python_poller_calling_its_own_methods_is_silent() {
        // `stop` and `wait` are the poller's own methods, not strategies kept in fields.
        let src = "import time\n\nclass Poller:\n    def __init__(self, feed):\n        self.feed = feed\n        self.running = True\n\n    def run(self):\n        while self.running:\n            try:\n                self.feed.refresh()\n            except IOError:\n                self.stop()\n            self.wait()\n            time.sleep(1)\n\n    def wait(self):\n        pass\n\n    def stop(self):\n        self.running = False\n";
        assert!(findings_in(Language::Python, "t.py", src, "hand-rolled-retry-loop").is_empty());
    }

    #[test]
    fn poll_loop_without_counter_or_growth_is_silent() {
        let src = "fn poll() {\n    loop {\n        if let Err(e) = check() { log(e); }\n        std::thread::sleep(Duration::from_secs(1));\n    }\n}\n";
        assert!(findings_for(src, "hand-rolled-retry-loop").is_empty());
    }
}
