//! Access policies evaluated in-house: allow/deny effects decided rule by rule.

use crate::rules::vocab::{ident_word_slices, ident_words};
use crate::rules::{Signal, Sink, declare_rule};
use liability_model::{Category, EventKind, FileFacts, Function};

declare_rule! {
    /// ## What it does
    /// Finds authorisation policies evaluated in-house: code that compares a rule's effect
    /// with both `"allow"` and `"deny"` and decides access from them, especially rule by rule
    /// in a loop, and that combines allow/deny effect values into one decision; and role
    /// inheritance resolved by hand, a function about roles that calls itself on the roles a
    /// role inherits (`parents`, `inherits`, `extends`), with a permission looked up in the
    /// roles it reaches.
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
    /// are role checks that are a plain set membership. Role inheritance walked with an
    /// explicit stack rather than recursion is missed.
    pub static POLICY_EVALUATION_BY_HAND = {
        id: "policy-evaluation-by-hand",
        category: Category::Authz,
        summary: "access policies with allow/deny effects evaluated by hand",
        check: check,
        // The anchor compares or matches string literals `"allow"` and `"deny"` (any casing code
        // writes; a literal renders as written, quotes included).
        // Or a role hierarchy walked by hand (`walks_role_hierarchy`): names words of roles and of
        // inheritance (`INHERIT_WORDS`, any casing `ident_words` lowers). (allow ∧ deny) ∨
        // (role ∧ inherit), written as four clauses.
        rust_needs: &[
            &["\"allow\"", "\"Allow\"", "\"ALLOW\"", "role", "Role", "ROLE"],
            &[
                "\"allow\"", "\"Allow\"", "\"ALLOW\"", "ncestor", "NCESTOR", "xtend", "XTEND",
                "nherit", "NHERIT", "arent", "ARENT",
            ],
            &["\"deny\"", "\"Deny\"", "\"DENY\"", "role", "Role", "ROLE"],
            &[
                "\"deny\"", "\"Deny\"", "\"DENY\"", "ncestor", "NCESTOR", "xtend", "XTEND",
                "nherit", "NHERIT", "arent", "ARENT",
            ],
        ],
        // The same in Python, where the effects may be written in single quotes (a rendered
        // literal and a `case` pattern read double quotes whichever the source used).
        python_needs: &[
            &[
                "\"allow\"", "\"Allow\"", "\"ALLOW\"", "'allow'", "'Allow'", "'ALLOW'", "role",
                "Role", "ROLE",
            ],
            &[
                "\"allow\"", "\"Allow\"", "\"ALLOW\"", "'allow'", "'Allow'", "'ALLOW'", "ncestor",
                "NCESTOR", "xtend", "XTEND", "nherit", "NHERIT", "arent", "ARENT",
            ],
            &[
                "\"deny\"", "\"Deny\"", "\"DENY\"", "'deny'", "'Deny'", "'DENY'", "role", "Role",
                "ROLE",
            ],
            &[
                "\"deny\"", "\"Deny\"", "\"DENY\"", "'deny'", "'Deny'", "'DENY'", "ncestor",
                "NCESTOR", "xtend", "XTEND", "nherit", "NHERIT", "arent", "ARENT",
            ],
        ],
        python_text: python_effects_or_roles,
        // The same in JavaScript, where the effects may be written in any of its three quotes
        // (a rendered literal and a `case` value read double quotes whichever the source used).
        javascript_needs: &[
            &["\"allow\"", "'allow'", "`allow`", "\"Allow\"", "'Allow'", "`Allow`", "\"ALLOW\"", "'ALLOW'", "`ALLOW`", "role", "Role", "ROLE"],
            &["\"allow\"", "'allow'", "`allow`", "\"Allow\"", "'Allow'", "`Allow`", "\"ALLOW\"", "'ALLOW'", "`ALLOW`", "ncestor", "NCESTOR", "xtend", "XTEND", "nherit", "NHERIT", "arent", "ARENT"],
            &["\"deny\"", "'deny'", "`deny`", "\"Deny\"", "'Deny'", "`Deny`", "\"DENY\"", "'DENY'", "`DENY`", "role", "Role", "ROLE"],
            &["\"deny\"", "'deny'", "`deny`", "\"Deny\"", "'Deny'", "`Deny`", "\"DENY\"", "'DENY'", "`DENY`", "ncestor", "NCESTOR", "xtend", "XTEND", "nherit", "NHERIT", "arent", "ARENT"],
        ],
    };
}

fn is_effect(v: &str, name: &str) -> bool {
    v.trim_matches('"').eq_ignore_ascii_case(name)
}

/// Words naming the roles a role inherits from.
const INHERIT_WORDS: &[&str] = &[
    "ancestors",
    "extend",
    "extends",
    "inherit",
    "inherited",
    "inherits",
    "parent",
    "parents",
];
/// Words naming what a role grants.
const PERMISSION_WORDS: &[&str] = &[
    "grant",
    "grants",
    "perm",
    "permission",
    "permissions",
    "perms",
    "privilege",
    "privileges",
];

/// The Python lexical test, per function (`prepass::PythonText::functions`: the anchors read
/// one function's events): the effects `allow` and `deny` quoted whole (any casing, either
/// quote: rendered literals and `case` patterns read double quotes), or a call of the
/// function's own name (`name(`, `self.name(`) beside the words `role` and one of
/// `INHERIT_WORDS` among the words of its text (`ident_word_slices`, any casing), as
/// `walks_role_hierarchy` reads them from its names, operands and literals.
fn python_effects_or_roles(source: &crate::prepass::Source<'_>) -> bool {
    let quoted = |text: &str, name: &str| {
        text.match_indices(['"', '\'']).any(|(i, _)| {
            text.get(i + 1..i + 1 + name.len())
                .is_some_and(|w| w.eq_ignore_ascii_case(name))
                && matches!(text.as_bytes().get(i + 1 + name.len()), Some(b'"' | b'\''))
        })
    };
    let words = |text: &str, names: &[&str]| {
        ident_word_slices(text).any(|w| names.iter().any(|n| w.eq_ignore_ascii_case(n)))
    };
    let calls_itself = |name: &str, body: &str| {
        let ident = |c: char| c.is_alphanumeric() || c == '_';
        body.match_indices(name).skip(1).any(|(i, _)| {
            !body[..i].ends_with(ident) && body[i + name.len()..].trim_start().starts_with('(')
        })
    };
    source.python_functions().iter().any(|f| {
        (quoted(source.python().code_of(f), "allow") && quoted(source.python().code_of(f), "deny"))
            || (calls_itself(f.name, source.python().code_of(f))
                && words(source.python().code_of(f), &["role", "roles"])
                && words(source.python().code_of(f), INHERIT_WORDS))
    })
}

/// Everything `f` names: its name, parameters, the operands of its events, the variables and
/// iterables of its loops and the string literals inside it.
fn vocabulary<'a>(facts: &'a FileFacts, f: &'a Function) -> Vec<&'a str> {
    let mut out: Vec<&str> = vec![f.name.as_str()];
    out.extend(f.params.iter().map(|p| p.name.as_str()));
    for e in &f.events {
        match &e.kind {
            EventKind::Call(c) => {
                out.push(&c.receiver);
                out.extend(c.args.iter().map(String::as_str));
            }
            EventKind::Assign { target, value } => out.extend([target.as_str(), value.as_str()]),
            EventKind::Binary { lhs, rhs, .. } => out.extend([lhs.as_str(), rhs.as_str()]),
            _ => {}
        }
    }
    for l in &f.loops {
        out.extend(l.binding.as_deref());
        out.extend(l.iterable.as_deref());
    }
    out.extend(
        facts
            .literals
            .iter()
            .filter(|l| l.in_body && f.span.contains(l.line))
            .map(|l| l.value.as_str()),
    );
    out
}

fn mentions(names: &[&str], words: &[&str]) -> bool {
    names
        .iter()
        .any(|n| ident_words(n).iter().any(|w| words.contains(&w.as_str())))
}

/// A role hierarchy walked by hand: `f` is about roles and calls itself (directly, or as a
/// method of the same object) while naming the roles a role inherits. Returns the line of
/// the recursive call.
fn walks_role_hierarchy(facts: &FileFacts, f: &Function) -> Option<u32> {
    let recursive = f.calls().find_map(|(e, c)| {
        let itself = if c.is_method {
            c.name() == f.name && matches!(c.receiver.as_str(), "self" | "this" | "cls")
        } else {
            c.callee == f.name
        };
        itself.then_some(e.line)
    })?;
    let names = vocabulary(facts, f);
    (mentions(&names, &["role", "roles"]) && mentions(&names, INHERIT_WORDS)).then_some(recursive)
}

fn check(facts: &FileFacts, sink: &mut Sink<'_>) {
    let mut signals: Vec<Signal> = Vec::new();
    for f in &facts.functions {
        let Some(line) = walks_role_hierarchy(facts, f) else {
            continue;
        };
        signals.push(Signal::anchor(
            line,
            format!(
                "`{}` resolves role inheritance by walking parent roles",
                f.name
            ),
        ));
        if mentions(&vocabulary(facts, f), PERMISSION_WORDS) {
            signals.push(Signal::new(
                line,
                "looks permissions up in the roles it reaches",
            ));
        }
        break;
    }
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
            if !signals
                .iter()
                .any(|s| s.message.starts_with("decides access"))
            {
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
    use crate::test_support::{findings_for, findings_in};
    use liability_model::Language;

    #[test]
    fn flags_policy_loop() {
        let src = "fn decide(rules: &[Rule], req: &Req) -> bool {\n    let mut ok = false;\n    for rule in rules {\n        if rule.effect == \"deny\" { return false; }\n        if rule.effect == \"allow\" { ok = true; }\n    }\n    ok\n}\n";
        assert_eq!(findings_for(src, "policy-evaluation-by-hand").len(), 1);
    }

    #[test]
    fn flags_role_inheritance_walk_in_python() {
        let src = "ROLES = {\"viewer\": {\"permissions\": {\"read\"}, \"inherits\": []}}\n\ndef can(role, perm, seen=None):\n    seen = seen or set()\n    if role in seen:\n        return False\n    seen.add(role)\n    spec = ROLES.get(role)\n    if spec is None:\n        return False\n    if perm in spec[\"permissions\"]:\n        return True\n    return any(can(parent, perm, seen) for parent in spec[\"inherits\"])\n";
        let found = findings_in(Language::Python, "acl.py", src, "policy-evaluation-by-hand");
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].evidence.len(), 2, "{:?}", found[0].evidence);
    }

    #[test]
    fn flags_role_inheritance_walk_in_go() {
        let src = "package acl\n\ntype Role struct {\n\tPermissions map[string]bool\n\tInherits    []string\n}\n\ntype Policy struct{ roles map[string]*Role }\n\nfunc (p *Policy) can(role, perm string) bool {\n\tr, ok := p.roles[role]\n\tif !ok {\n\t\treturn false\n\t}\n\tif r.Permissions[perm] {\n\t\treturn true\n\t}\n\tfor _, parent := range r.Inherits {\n\t\tif p.can(parent, perm) {\n\t\t\treturn true\n\t\t}\n\t}\n\treturn false\n}\n";
        assert_eq!(
            findings_in(Language::Go, "acl.go", src, "policy-evaluation-by-hand").len(),
            1
        );
    }

    #[test]
    fn recursive_tree_walks_without_permissions_are_silent() {
        // An ARIA lookup up the DOM: roles and parents, but nothing granted.
        let src = "function findRole(el, role) {\n  if (!el) return null;\n  if (el.getAttribute('role') === role) return el;\n  return findRole(el.parentNode, role);\n}\n";
        assert!(
            findings_in(
                Language::JavaScript,
                "aria.js",
                src,
                "policy-evaluation-by-hand"
            )
            .is_empty()
        );
    }

    #[test]
    fn effect_names_in_a_table_are_silent() {
        let src = "const EFFECTS: &[&str] = &[\"allow\", \"deny\"];\nfn valid(e: &str) -> bool { EFFECTS.contains(&e) }\n";
        assert!(findings_for(src, "policy-evaluation-by-hand").is_empty());
    }
}
