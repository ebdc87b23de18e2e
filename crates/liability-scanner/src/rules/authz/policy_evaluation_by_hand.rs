//! Access policies evaluated in-house: allow/deny effects decided rule by rule.

use crate::rules::{Signal, Sink, declare_rule};
use liability_model::{Category, EventKind, FileFacts};

declare_rule! {
    /// ## What it does
    /// Finds authorisation policies evaluated in-house: code that compares a rule's effect
    /// with both `"allow"` and `"deny"` and decides access from them, especially rule by rule
    /// in a loop, and that combines allow/deny effect values into one decision.
    ///
    /// ## Why is this a liability?
    /// Policy engines are security boundaries: precedence between allow and deny, default
    /// deny, role inheritance and conditions are easy to get wrong and hard to audit, and
    /// every service ends up with its own dialect of policies.
    ///
    /// ## Example
    /// ```rust
    /// fn decide(&self, req: &Request) -> bool {
    ///     let mut allowed = false;
    ///     for rule in &self.rules {
    ///         if !rule.matches(req) { continue; }
    ///         if rule.effect == "deny" { return false; }
    ///         if rule.effect == "allow" { allowed = true; }
    ///     }
    ///     allowed
    /// }
    /// ```
    ///
    /// ## Use instead
    /// Amazon Verified Permissions (Cedar) or IAM (Entra RBAC, Google IAM). In-process,
    /// `cedar-policy` or `casbin`.
    ///
    /// ## Known limits
    /// Effects spelled other than allow/deny (permit/forbid, grant/revoke) are not read, nor
    /// are role checks that are a plain set membership.
    pub static POLICY_EVALUATION_BY_HAND = {
        id: "policy-evaluation-by-hand",
        category: Category::Authz,
        summary: "access policies with allow/deny effects evaluated by hand",
        check: check,
        // The anchor compares or matches string literals `"allow"` and `"deny"` (any casing code
        // writes; a literal renders as written, quotes included).
        rust_needs: &[
            &["\"allow\"", "\"Allow\"", "\"ALLOW\""],
            &["\"deny\"", "\"Deny\"", "\"DENY\""],
        ],
    };
}

fn is_effect(v: &str, name: &str) -> bool {
    v.trim_matches('"').eq_ignore_ascii_case(name)
}

fn check(facts: &FileFacts, sink: &mut Sink<'_>) {
    let mut signals: Vec<Signal> = Vec::new();
    for f in &facts.functions {
        // Compared or matched in code, not merely mentioned.
        let in_f = |name: &str| {
            f.events.iter().find(|e| match &e.kind {
                EventKind::Binary { op, lhs, rhs } if op.is_comparison() => [lhs, rhs]
                    .iter()
                    .any(|v| v.starts_with('"') && is_effect(v, name)),
                EventKind::Match { arms, .. } => arms.iter().any(|a| {
                    a.split('|')
                        .any(|p| p.starts_with('"') && is_effect(p, name))
                }),
                _ => false,
            })
        };
        if let (Some(allow), Some(deny)) = (in_f("allow"), in_f("deny")) {
            let line = allow.line.min(deny.line);
            if !signals.iter().any(|s| s.anchor) {
                signals.push(Signal::anchor(
                    line,
                    "decides access from `allow` and `deny` effects",
                ));
            }
            if f.loops.iter().any(|l| l.span.contains(line))
                && !signals.iter().any(|s| s.message.contains("rule by rule"))
            {
                signals.push(Signal::new(line, "evaluates the policy rule by rule"));
            }
        }
        let combines = f.events.iter().find_map(|e| match &e.kind {
            EventKind::Binary { op, lhs, rhs } if op.is_comparison() => {
                let ends = |s: &str, v: &str| s.rsplit("::").next() == Some(v) && s.contains("::");
                (ends(lhs, "Allow") || ends(rhs, "Allow") || ends(lhs, "Deny") || ends(rhs, "Deny"))
                    .then_some(e.line)
            }
            _ => None,
        });
        if let Some(line) = combines
            && !signals.iter().any(|s| s.message.contains("combines"))
        {
            signals.push(Signal::new(
                line,
                "combines allow and deny effects into one decision",
            ));
        }
    }
    sink.emit_or_defer(signals);
}

#[cfg(test)]
mod tests {
    use crate::test_support::findings_for;

    #[test]
    fn flags_policy_loop() {
        let src = "fn decide(rules: &[Rule], req: &Req) -> bool {\n    let mut ok = false;\n    for rule in rules {\n        if rule.effect == \"deny\" { return false; }\n        if rule.effect == \"allow\" { ok = true; }\n    }\n    ok\n}\n";
        assert_eq!(findings_for(src, "policy-evaluation-by-hand").len(), 1);
    }

    #[test]
    fn effect_names_in_a_table_are_silent() {
        let src = "const EFFECTS: &[&str] = &[\"allow\", \"deny\"];\nfn valid(e: &str) -> bool { EFFECTS.contains(&e) }\n";
        assert!(findings_for(src, "policy-evaluation-by-hand").is_empty());
    }
}
