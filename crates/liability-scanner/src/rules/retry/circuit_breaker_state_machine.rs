//! A circuit breaker: closed, open and half-open states switched on failures.

use crate::rules::{Component, Signal, Sink, declare_rule};
use liability_model::{Category, EventKind, FileFacts, TypeKind};

declare_rule! {
    /// ## What it does
    /// Finds an enum with the three circuit-breaker states (closed, open, half-open) and code
    /// that switches over it: a circuit breaker written in-house.
    ///
    /// ## Why is this a liability?
    /// A breaker's value lies in its tuning and its behaviour under concurrency: failure
    /// thresholds, the half-open probe, time windows, shared state across workers. A home-grown
    /// one is rarely tested under the outage it exists for.
    ///
    /// ## Example
    /// ```rust
    /// enum State { Closed, Open(Instant), HalfOpen }
    /// match self.state { State::Open(since) if since.elapsed() > self.cool_down => { .. } .. }
    /// ```
    ///
    /// ## Use instead
    /// Let the platform absorb failures: SDK retry modes with adaptive rate limiting, Step
    /// Functions `Retry`/`Catch`, API Gateway and App Mesh / service-mesh outlier detection.
    /// In-process, a maintained crate such as `failsafe` or tower's middleware.
    ///
    /// ## Known limits
    /// An enum modelling a door or a valve with the same three variant names would be
    /// reported if it is also matched on.
    pub static CIRCUIT_BREAKER_STATE_MACHINE = {
        id: "circuit-breaker-state-machine",
        category: Category::Retry,
        summary: "an enum of closed, open and half-open breaker states",
        check: check,
        // An enum with `Closed`, `Open` and `HalfOpen` variants, compared case-insensitively.
        rust_needs: &[
            &["enum"],
            &["alfOpen", "alfopen", "ALFOPEN", "alf_Open", "alf_open", "ALF_OPEN"],
            &["losed", "LOSED"],
        ],
        // And the three variant names whole, in any casing (`breaker_variants`).
        rust_text: breaker_variants,
        // In Python, an enum is a class whose bases name `Enum`, its variants class attributes.
        python_needs: &[
            &["Enum"],
            &["alfOpen", "alfopen", "ALFOPEN", "alf_Open", "alf_open", "ALF_OPEN"],
            &["losed", "LOSED"],
        ],
        // In TypeScript, an `enum` declaration (JavaScript has none).
        javascript_needs: &[
            &["enum"],
            &["alfOpen", "alfopen", "ALFOPEN", "alf_Open", "alf_open", "ALF_OPEN"],
            &["losed", "LOSED"],
        ],
    };
}

/// Whether `text` names `closed`, `open` and `halfopen` or `half_open`, each in any casing
/// and whole (not inside a longer name): what the variants `check` compares with
/// `eq_ignore_ascii_case` are, since a variant is an identifier of the text. `HalfOpen` and
/// `Closed` alone are common (`syn`'s `RangeLimits`); a whole `Open` beside them is not.
fn breaker_variants(text: &str) -> bool {
    let has = |word| crate::rules::vocab::has_ident_any_case(text, word);
    has("open") && has("closed") && (has("halfopen") || has("half_open"))
}

fn check(facts: &FileFacts, sink: &mut Sink<'_>) {
    for ty in facts.types.iter().filter(|t| t.kind == TypeKind::Enum) {
        let has = |name: &str| ty.variants.iter().any(|v| v.eq_ignore_ascii_case(name));
        if !(has("Closed") && has("Open") && (has("HalfOpen") || has("Half_Open"))) {
            continue;
        }
        let mut signals = vec![Signal::new(
            ty.span.start,
            format!("enum `{}` has closed, open and half-open states", ty.name),
        )];
        let switch = facts.functions.iter().flat_map(|f| &f.events).find(|e| {
            matches!(&e.kind, EventKind::Match { arms, .. } if arms.iter().any(|a| a.contains("Open") || a.contains("HalfOpen")))
        });
        if let Some(e) = switch {
            signals.push(Signal::new(e.line, "switches on the breaker state"));
        }
        let component =
            Component::of_type(facts, &ty.name).unwrap_or_else(|| Component::file(facts));
        sink.emit(component, signals);
    }
}

#[cfg(test)]
mod tests {
    use crate::test_support::findings_for;

    #[test]
    fn flags_breaker_enum_that_is_matched() {
        let src = "enum State { Closed, Open(u64), HalfOpen }\nfn allow(s: &State) -> bool {\n    match s { State::Closed => true, State::Open(_) => false, State::HalfOpen => true }\n}\n";
        let found = findings_for(src, "circuit-breaker-state-machine");
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].evidence.len(), 2);
    }

    #[test]
    fn lexical_test_wants_the_three_variants_whole() {
        assert!(super::breaker_variants(
            "enum S { CLOSED, Open { since: u64 }, Half_Open }"
        ));
        // `syn`'s range limits: `HalfOpen` and `Closed`, but `Open` only inside other names.
        assert!(!super::breaker_variants(
            "enum RangeLimits { HalfOpen(DotDot), Closed(DotDotEq) }\nfn is_open_ended() {}"
        ));
    }

    #[test]
    fn door_with_two_states_is_silent() {
        assert!(
            findings_for(
                "enum Door { Open, Closed }\n",
                "circuit-breaker-state-machine"
            )
            .is_empty()
        );
    }
}
