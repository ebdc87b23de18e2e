//! A type that computes the next retry delay by multiplying the current one.

use crate::rules::vocab::{RANDOM_CALLS, first_call};
use crate::rules::{Component, Signal, Sink, declare_rule};
use liability_model::{BinOp, Category, EventKind, FileFacts};

declare_rule! {
    /// ## What it does
    /// Finds types that hold a retry delay and compute the next one by multiplying it by a
    /// factor kept in a field, capped by a maximum and usually randomised: an exponential
    /// backoff policy written in-house.
    ///
    /// ## Why is this a liability?
    /// Backoff arithmetic is easy to get subtly wrong (overflow, no cap, no jitter, a maximum
    /// elapsed time that never triggers). It is also rarely the only copy: each team member's
    /// client grows its own.
    ///
    /// ## Example
    /// ```rust
    /// impl Backoff {
    ///     fn next(&mut self) -> Duration {
    ///         let next = self.current * self.multiplier;
    ///         self.current = if next > self.max { self.max } else { next };
    ///         self.current
    ///     }
    /// }
    /// ```
    ///
    /// ## Use instead
    /// The SDKs' built-in retry strategies (AWS SDK retry modes, Azure `RetryOptions`, GCP
    /// retry settings), Step Functions `Retry` with `BackoffRate`, or the `backon` crate.
    ///
    /// ## Known limits
    /// Any growth-by-factor computation on a field (a buffer that doubles) looks similar; the
    /// rule needs a duration-typed field and a cap or jitter beside the multiplication.
    pub static EXPONENTIAL_BACKOFF_POLICY = {
        id: "exponential-backoff-policy",
        category: Category::Retry,
        summary: "a type that multiplies a retry delay by a factor field",
        check: check,
        // A `Duration` field, and a cap (`max`) or jitter (`RANDOM_CALLS`) beside the growth.
        rust_needs: &[&["Duration"], &["max", "rand", "gen", "thread_rng", "uniform"]],
        // And something multiplies beside a field (`multiplies_field`).
        rust_text: multiplies_field,
        // In Python, a field's type is its annotation or its value's text (white space
        // removed), so a `Duration` field still names `Duration`; the cap and jitter as above.
        python_needs: &[&["Duration"], &["max", "rand", "gen", "thread_rng", "uniform"]],
        python_text: python_policy_class,
        // In JavaScript, a field's type is its annotation or its value's constructor, so a
        // `Duration` field still names `Duration`; the cap and jitter (`Math.random`) as above.
        javascript_needs: &[
            &["Duration"],
            &["max", "rand", "gen", "thread_rng", "uniform"],
        ],
    };
}

/// Whether a line of `text` reads a field of `self` with a `*` on it or on a line beside it:
/// what a product with a field as one operand looks like however it is wrapped (lexical
/// test; a dereference or a comment passes too).
fn multiplies_field(text: &str) -> bool {
    crate::rules::vocab::line_near(text, |line, near| {
        line.contains("self.") && near.iter().any(|l| l.contains('*'))
    })
}

/// The Python lexical test, per class (`prepass::PythonText::classes`: the fields and methods
/// read are one class's): it names `Duration` (a field's type), multiplies on a line that
/// names a field of the instance (`self.`, `this.`), and names a cap (`max`) or a random call
/// (`RANDOM_CALLS`: `rand`, `gen`, `uniform`).
fn python_policy_class(source: &crate::prepass::Source<'_>) -> bool {
    let python = source.python();
    source.python_classes().iter().any(|c| {
        let code = python.code_of(c);
        code.contains("Duration")
            && crate::prepass::has_any(code, &["max", "rand", "gen", "thread_rng", "uniform"])
            && python.code_statements_in(c.statements.clone()).any(|line| {
                line.contains('*') && (line.contains("self.") || line.contains("this."))
            })
    })
}

fn check(facts: &FileFacts, sink: &mut Sink<'_>) {
    for ty in &facts.types {
        let durations = ty
            .fields
            .iter()
            .filter(|f| f.ty.contains("Duration"))
            .count();
        if durations == 0 {
            continue;
        }
        let mut multiply = None;
        let mut cap = None;
        let mut jitter = None;
        for f in facts.methods_of(&ty.name) {
            for e in &f.events {
                match &e.kind {
                    EventKind::Binary {
                        op: BinOp::Mul,
                        lhs,
                        rhs,
                    }
                    | EventKind::AssignOp {
                        op: BinOp::Mul,
                        target: lhs,
                        rhs,
                    } if is_field(lhs) || is_field(rhs) => {
                        multiply.get_or_insert((
                            e.line,
                            format!("multiplies by `{}`", if is_field(rhs) { rhs } else { lhs }),
                        ));
                    }
                    EventKind::Binary { op, lhs, rhs }
                        if op.is_comparison()
                            && (lhs.starts_with("self.max")
                                || rhs.starts_with("self.max")
                                || lhs.contains("max_")
                                || rhs.contains("max_")) =>
                    {
                        cap.get_or_insert(e.line);
                    }
                    _ => {}
                }
            }
            if jitter.is_none() {
                jitter = first_call(f, RANDOM_CALLS);
            }
        }
        let Some((line, message)) = multiply else {
            continue;
        };
        let mut signals = vec![Signal::new(line, format!("grows a delay: {message}"))];
        if let Some(l) = cap {
            signals.push(Signal::new(l, "caps the delay at a maximum"));
        }
        if let Some(l) = jitter {
            signals.push(Signal::new(l, "randomises the delay (jitter)"));
        }
        if signals.len() >= 2
            && let Some(component) = Component::of_type(facts, &ty.name)
        {
            signals.push(Signal::new(
                ty.span.start,
                format!("keeps {durations} duration field(s)"),
            ));
            sink.emit(component, signals);
        }
    }
}

fn is_field(operand: &str) -> bool {
    operand.starts_with("self.") && !operand.ends_with(')')
}

#[cfg(test)]
mod tests {
    use crate::test_support::findings_for;

    #[test]
    fn flags_multiplying_policy_with_cap() {
        let src = "struct Backoff { current: Duration, max: Duration, multiplier: u32 }\nimpl Backoff {\n    fn next(&mut self) -> Duration {\n        let next = self.current * self.multiplier;\n        if next > self.max { self.max } else { next }\n    }\n}\n";
        let found = findings_for(src, "exponential-backoff-policy");
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].component, "type Backoff");
    }

    #[test]
    fn growing_buffer_without_duration_is_silent() {
        let src = "struct Buf { cap: usize, max_cap: usize }\nimpl Buf {\n    fn grow(&mut self) { let n = self.cap * 2; if n > self.max_cap {} }\n}\n";
        assert!(findings_for(src, "exponential-backoff-policy").is_empty());
    }

    #[test]
    fn lexical_test_asks_for_a_product_beside_a_field() {
        assert!(super::multiplies_field(
            "let next = self.current\n    * self.factor;"
        ));
        assert!(!super::multiplies_field(
            "let d = self.base + Duration::from_secs(2);\n\nlet n = 3 * 4;"
        ));
    }
}
