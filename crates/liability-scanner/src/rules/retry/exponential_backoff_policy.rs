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
        // And a product with an operand starting `self.` (`multiplies_self_field`), and a cap
        // or jitter as `check` reads them (`caps_or_jitters`).
        rust_text: |text| caps_or_jitters(text) && multiplies_self_field(text),
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

/// Whether `text` may compare with a cap (an operand starting `self.max`: `self`, `.` and
/// `max` with white space and `)` allowed between, as in `(*self).max`; or holding `max_`)
/// or call a `RANDOM_CALLS` name (`first_call`, which macros answer too: the name whole, then
/// past white space `(`, a turbofish `::<` or `!`): what a second signal needs.
fn caps_or_jitters(text: &str) -> bool {
    let bytes = text.as_bytes();
    let ident = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
    text.contains("max_")
        || text.match_indices("max").any(|(i, _)| {
            text[..i]
                .trim_end()
                .strip_suffix('.')
                .is_some_and(|before| {
                    before
                        .trim_end_matches(|c: char| c.is_whitespace() || c == ')')
                        .ends_with("self")
                })
        })
        || RANDOM_CALLS.iter().any(|name| {
            text.match_indices(name).any(|(i, _)| {
                let end = i + name.len();
                let rest = text[end..].trim_start();
                (i == 0 || !ident(bytes[i - 1]))
                    && !bytes.get(end).is_some_and(|&b| ident(b))
                    && (rest.starts_with(['(', '!']) || rest.starts_with("::<"))
            })
        })
}

/// Keywords after which a `*` is no product (`x as *const T`, `&mut *x`, `return *x`) and
/// before which an operand may start (`return self.a * 2`).
const KEYWORDS: &[&str] = &[
    "as", "box", "break", "const", "dyn", "else", "if", "impl", "in", "let", "match", "move",
    "mut", "ref", "return", "unsafe", "where", "while", "yield",
];

/// Whether the code of `text` (`rust_light::code_only`: comments and the insides of string
/// literals blanked; a text the tokenizer cannot read passes) multiplies with an operand whose
/// rendering starts `self.` (`is_field`; renderings drop parentheses, `&`, `*`, `-`, `!`,
/// casts, `?` and `.await`, so the operand's leftmost name is `self`). A binary `*` or `*=`
/// (after a name that is no keyword, a literal, `)`, `]` or `?`: not a dereference, a pointer
/// type, a glob, nor a macro's repetition `$( .. )*`) whose right operand starts, past white space, `(`, `&`, `mut`, `*`, `-`
/// and `!`, with `self` and `.`; or whose left operand may: read back from the `*` over
/// bracketed groups to a `;`, `{`, `}`, `,`, `=` or an opening bracket (or 64 KiB; then it
/// passes), a `self .` there
/// that only opening parentheses enclose (those the operand starts with), after an operator
/// or a keyword or where that stretch starts (a superset: `a + self.b * 2` reads `self.b`).
fn multiplies_self_field(text: &str) -> bool {
    let Some(code) = crate::frontend::rust_light::code_only(text, true) else {
        return true;
    };
    let b = code.as_bytes();
    let ident = |c: u8| c.is_ascii_alphanumeric() || c == b'_';
    // The name ending at `end` (exclusive).
    let word_before = |end: usize| {
        let start = b[..end]
            .iter()
            .rposition(|&c| !ident(c))
            .map_or(0, |p| p + 1);
        &code[start..end]
    };
    // `self`, white space, then `.`, starting at `at`, `self` not continuing a name.
    let self_dot = |at: usize| {
        b[at..].starts_with(b"self")
            && !(at > 0 && ident(b[at - 1]))
            && !b.get(at + 4).is_some_and(|&c| ident(c))
            && code[at + 4..].trim_start().starts_with('.')
    };
    // Whether `self` at `at` may start the left operand of the `*` at `star`, the stretch
    // read back starting at `from`.
    let starts_left = |at: usize, from: usize, star: usize| {
        // The brackets around `at` that close before the `*`.
        let (mut depth, mut enclosing) = (0usize, 0usize);
        for &c in &b[at..star] {
            match c {
                b'(' | b'[' => depth += 1,
                b')' | b']' if depth > 0 => depth -= 1,
                b')' | b']' => enclosing += 1,
                _ => {}
            }
        }
        let mut opened = 0usize;
        let mut j = at;
        loop {
            if j <= from {
                return opened == enclosing;
            }
            let c = b[j - 1];
            match c {
                c if c.is_ascii_whitespace() => j -= 1,
                b'(' => {
                    opened += 1;
                    j -= 1;
                }
                b'&' | b'*' | b'-' | b'!' => {
                    if opened == enclosing {
                        return true;
                    }
                    j -= 1;
                }
                c if ident(c) => {
                    let word = word_before(j);
                    if word == "mut" {
                        j -= 3;
                    } else {
                        return opened == enclosing && KEYWORDS.contains(&word);
                    }
                }
                b'.' => return opened == enclosing && j >= 2 && b[j - 2] == b'.',
                b')' | b']' | b'?' | b'"' | b'\'' => return false,
                _ => return opened == enclosing,
            }
        }
    };
    memchr::memchr_iter(b'*', b).any(|i| {
        let before = code[..i].trim_end();
        let binary = match before.as_bytes().last() {
            Some(&c) if ident(c) => !KEYWORDS.contains(&word_before(before.len())),
            Some(b')' | b']' | b'?' | b'"' | b'\'') => true,
            _ => false,
        };
        if !binary {
            return false;
        }
        let after = i + 1 + usize::from(b.get(i + 1) == Some(&b'='));
        let mut j = after;
        loop {
            while j < b.len()
                && (b[j].is_ascii_whitespace() || matches!(b[j], b'(' | b'&' | b'*' | b'-' | b'!'))
            {
                j += 1;
            }
            if b[j..].starts_with(b"mut") && b.get(j + 3).is_some_and(|c| !ident(*c)) {
                j += 3;
                continue;
            }
            break;
        }
        if self_dot(j) {
            return true;
        }
        // The stretch holding the left operand, back to where it must start.
        let mut k = i;
        let mut depth = 0usize;
        let floor = i.saturating_sub(1 << 16);
        // Whether the group just before the `*` is still to be opened.
        let mut group_before = before.ends_with(')');
        loop {
            if k == floor {
                if floor > 0 {
                    return true;
                }
                break;
            }
            let c = b[k - 1];
            match c {
                b')' | b']' => depth += 1,
                // `$( .. )*` repeats in a macro's definition, which holds no code.
                b'(' if depth == 1 && group_before => {
                    if k >= 2 && b[k - 2] == b'$' {
                        return false;
                    }
                    group_before = false;
                    depth -= 1;
                }
                b'(' | b'[' if depth > 0 => depth -= 1,
                b'(' | b'[' => break,
                b';' | b'{' | b'}' | b',' | b'=' if depth == 0 => break,
                _ => {}
            }
            k -= 1;
        }
        memchr::memmem::find_iter(&b[k..i], b"self")
            .any(|at| self_dot(k + at) && starts_left(k + at, k, i))
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
    fn lexical_test_asks_for_a_product_of_a_field() {
        let test = super::multiplies_self_field;
        assert!(test("let next = self.current\n    * self.factor;"));
        assert!(test("let next = d * (self.factor as u32);"));
        assert!(test(
            "let next = self.delays[i].mul_f64(2.0).min(x) as f64 * 2.0;"
        ));
        assert!(test("self.current *= 2;"));
        assert!(test("let n = (self.a + b) * 2;"));
        assert!(test("let n = x - (-(self.a) + 1) * 2;"));
        assert!(test("for i in 0..self.n * 2 {}"));
        assert!(test("f(&mut self.a * 2)"));
        assert!(!test(
            "let d = self.base + Duration::from_secs(2);\n\nlet n = 3 * 4;"
        ));
        // A dereference, a pointer, a glob, a comment and a string are no products.
        assert!(!test(
            "use x::*;\nlet a = *self.count;\nlet p = q as *const u8; // self.a * 2\nlet s = \"self.a * 2\"; let m = f(self.x, 3 * 4);"
        ));
        // `self` inside a call's arguments or a macro's repetition is no left operand.
        assert!(!test("let n = f(self.a) * 2 + g(&self.b)* 3;"));
        assert!(!test(
            "$(impl T for $x { fn eq(&self, o: &$x) -> bool { self.0 == o.0 } })*"
        ));
    }

    #[test]
    fn lexical_test_asks_for_a_cap_or_jitter() {
        assert!(super::caps_or_jitters("if d > self\n    .max { }"));
        assert!(super::caps_or_jitters("let j = rng.gen_range(0..10);"));
        assert!(super::caps_or_jitters("if d > (*self).max {}"));
        assert!(!super::caps_or_jitters(
            "let n = a.max(b); // generic random delay\nlet gen = rand;"
        ));
    }
}
