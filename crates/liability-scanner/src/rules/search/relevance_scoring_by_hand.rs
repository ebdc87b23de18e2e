//! Full-text relevance scoring (BM25, TF-IDF) and inverted indexes written by hand.

use crate::rules::{Signal, Sink, declare_rule};
use liability_model::{BinOp, Category, EventKind, FileFacts, Function};

declare_rule! {
    /// ## What it does
    /// Finds full-text ranking written in-house: a term-frequency saturation normalised by
    /// document length against the average length (the BM25 shape `tf * (k1 + 1) / (tf + k1 *
    /// (1 - b + b * len / avg))`), an inverse document frequency taken as the logarithm of a
    /// document-count ratio, and an inverted index mapping terms to postings.
    ///
    /// ## Why is this a liability?
    /// Search quality is a product of analysers, stemming, synonyms, typo tolerance, field
    /// boosts and index maintenance under concurrent writes. An in-house engine keeps its
    /// index in process memory, rebuilds it on restart and does not scale past one node.
    ///
    /// ## Example
    /// ```rust
    /// let idf = ((n - df + 0.5) / (df + 0.5) + 1.0).ln();
    /// let tf = (tf * (k1 + 1.0)) / (tf + k1 * (1.0 - b + b * len / avg_len));
    /// score += idf * tf;
    /// ```
    ///
    /// ## Use instead
    /// OpenSearch Serverless (Azure AI Search; Vertex AI Search). In-process, `tantivy`.
    ///
    /// ## Known limits
    /// Statistics code with logarithms of ratios is only supporting evidence; the rule needs
    /// the length-normalised saturation before it reports.
    pub static RELEVANCE_SCORING_BY_HAND = {
        id: "relevance-scoring-by-hand",
        category: Category::Search,
        summary: "full-text relevance scoring or an inverted index written by hand",
        check: check,
        // The anchor divides by a `1 - b` term (`ONE_MINUS`): no word marks a literal before a
        // minus, so the lexical test looks for one (`one_minus`), in code: comments are no
        // operands (`rust_one_minus`).
        rust_text: rust_one_minus,
        // In Python the divisor holds a `*` and a `/`, and the lexical test reads logical lines
        // (`python_one_minus`): statements end at line breaks, not `;`, and `//` divides.
        python_needs: &[&["/"], &["*"]],
        python_text: python_one_minus,
        // In JavaScript as in Python, the divisor holds a `*` and a `/`; and the lexical test
        // of Rust (`one_minus`), whose statements JavaScript bounds alike (`;`, `{`, `}`; one
        // without semicolons runs on, which only widens it), its casts (`as number`) too.
        javascript_needs: &[
            &["/"],
            &["*"],
        ],
        javascript_text: |source| one_minus(source.text()),
    };
}

/// `1 - b` as the languages spell it inside `k1 * (1 - b + b * len / avg)`; integer `1` only
/// after the multiplication, where a length is never the operand.
const ONE_MINUS: &[&str] = &["*1-", "1_f64-", "1.0-", "1.-", "1.0_f64-", "1f64-"];

/// Whether `rhs` (the divisor of a saturation) holds the length normalisation
/// `k1 * (1 - b + b * len / avg)`, written inline.
fn normalises_length(rhs: &str) -> bool {
    ONE_MINUS.iter().any(|m| rhs.contains(m)) && rhs.contains('/') && rhs.contains('*')
}

/// The divisor with a factor that names a local variable replaced by the value assigned to
/// it in the same function: `tf + k1 * norm` with `norm = 1 - b + b * dl / avgdl` reads as
/// `tf + k1 * 1 - b + b * dl / avgdl`.
fn inline_locals(f: &Function, rhs: &str) -> Option<String> {
    let (head, factor) = rhs.rsplit_once('*')?;
    let factor = factor.trim_end_matches(')');
    if factor.is_empty()
        || !factor
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_')
    {
        return None;
    }
    f.events.iter().find_map(|e| match &e.kind {
        EventKind::Assign { target, value } if target == factor => Some(format!("{head}*{value}")),
        _ => None,
    })
}

/// Terms mapped to postings: a string-keyed map whose values are lists or maps.
fn is_postings(ty: &str) -> bool {
    const KEYED: &[&str] = &[
        "HashMap<String,",
        "BTreeMap<String,",
        "map[string]",
        "dict[str,",
        "Dict[str,",
        "Map<string,",
    ];
    const VALUES: &[&str] = &[
        ",Vec<",
        ",HashMap<",
        ",BTreeMap<",
        "]map[",
        "][]",
        ",list[",
        ",List[",
        ",dict[",
        ",Dict[",
        ",set[",
        ",Set[",
        ",Map<",
        "[]>",
        ",Array<",
    ];
    KEYED.iter().any(|k| ty.starts_with(k)) && VALUES.iter().any(|v| ty.contains(v))
}

/// Whether `text` may hold a `ONE_MINUS` rendering: a `-` (not `->`) whose left operand,
/// past white space, closing parentheses and casts (`as f64`), which renderings drop, ends
/// with `1.`, `1.0`, `1_f64`, `1f64`, `1.0_f64`, or is the integer `1`, in a statement
/// shaped as the anchor needs (`normalises_length`: the term and a `/` in a divisor): two
/// `/` (the division and the one inside its divisor), or an assignment to a name (the value
/// of a local the divisor names, `norm = 1.0 - b + b * dl / avgdl;`, read through
/// `inline_locals`; the divisor may hold the division's `/` itself).
fn one_minus(text: &str) -> bool {
    one_minus_with(text, true)
}

/// `one_minus`, where a declaration (`let`, `const`, `var`) counts as an assignment only when
/// `declarations_assign`: the JavaScript front-end records one as an assignment, the Rust one
/// does not (`inline_locals` reads assignments only).
fn one_minus_with(text: &str, declarations_assign: bool) -> bool {
    let bytes = text.as_bytes();
    let ident = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
    memchr::memchr_iter(b'-', bytes).any(|i| {
        if bytes.get(i + 1) == Some(&b'>') {
            return false;
        }
        let mut end = i;
        loop {
            while end > 0 && (bytes[end - 1].is_ascii_whitespace() || bytes[end - 1] == b')') {
                end -= 1;
            }
            // `x as f64 -`: skip the type and `as`.
            let mut start = end;
            while start > 0 && ident(bytes[start - 1]) {
                start -= 1;
            }
            let mut before = start;
            while before > 0 && bytes[before - 1].is_ascii_whitespace() {
                before -= 1;
            }
            if start < end && before >= 2 && &bytes[before - 2..before] == b"as" && before < start {
                end = before - 2;
                continue;
            }
            break;
        }
        let left = &bytes[..end];
        ([&b"1."[..], b"1.0", b"1_f64", b"1f64", b"1.0_f64"]
            .iter()
            .any(|s| left.ends_with(s))
            || (left.ends_with(b"1") && (end < 2 || !ident(bytes[end - 2]))))
            && statement_fits(bytes, end, declarations_assign)
    })
}

/// `one_minus` on the text, then on its code alone (`rust_light::code_only`: comments,
/// doc comments among them, blanked; string literals kept, as renderings may hold them),
/// where prose such as `/// 1-based index` or a URL's slashes no longer pass. A text the
/// tokenizer cannot read passes on the first test.
fn rust_one_minus(text: &str) -> bool {
    one_minus_with(text, false)
        && crate::frontend::rust_light::code_only(text, false)
            .is_none_or(|code| one_minus_with(&code, false))
}

/// The Python form of `one_minus`, per function (`prepass::PythonText::functions`: the
/// anchor reads one function's events) and per logical line (a divisor may span lines inside
/// its parentheses), in code (`PythonText::code`: not in docstrings and comments): a `-` (not `->`, `-=`) whose left operand, past white space, closing
/// parentheses and line continuations, ends with `1.` or `1.0`, or is the integer `1` after
/// a `*` (or `**`) or, for a local's value, an `=` (past white space, opening parentheses and
/// a sign: `-1 - b` renders `1-b`). Either in a parenthesised divisor holding a `/` and a `*`
/// (`normalises_length`; `//` divides too); or in the value of a local
/// (`name = 1 - b + b * dl / avgdl`) that the function multiplies by (`* name`) and where it
/// divides, as `inline_locals` reads it.
fn python_one_minus(source: &crate::prepass::Source<'_>) -> bool {
    let python = source.python();
    source.python_functions().iter().any(|f| {
        let code = python.code_of(f);
        code.contains('/')
            && python
                .code_statements_in(f.statements.clone())
                .any(|line| one_minus_line(line, code))
    })
}

/// Whether `line` of the function `body` holds a `1 - ..` term as `python_one_minus` reads
/// it.
fn one_minus_line(line: &str, body: &str) -> bool {
    let bytes = line.as_bytes();
    let ident = |b: u8| b.is_ascii_alphanumeric() || b == b'_' || b == b'.';
    let skip_back = |mut at: usize, extra: &[u8]| {
        while at > 0
            && (bytes[at - 1].is_ascii_whitespace()
                || bytes[at - 1] == b'\\'
                || extra.contains(&bytes[at - 1]))
        {
            at -= 1;
        }
        at
    };
    // The parenthesised divisors (`/ (..)`, `// (..)`, past white space and signs; a divisor
    // holds the `1 - b` term only in parentheses: `/` binds tighter than `-`, and a call
    // renders without its arguments) that also hold a `/` and a `*`, as `normalises_length`
    // wants the divisor.
    let divisors: Vec<std::ops::Range<usize>> = memchr::memchr_iter(b'/', bytes)
        .filter_map(|d| {
            let open = d
                + 1
                + bytes[d + 1..].iter().position(|b| {
                    !(b.is_ascii_whitespace() || matches!(b, b'/' | b'\\' | b'-' | b'+'))
                })?;
            if bytes[open] != b'(' {
                return None;
            }
            let mut depth = 0usize;
            let close = open
                + bytes[open..].iter().position(|&b| {
                    match b {
                        b'(' => depth += 1,
                        b')' => depth -= 1,
                        _ => {}
                    }
                    depth == 0
                })?;
            let group = &line[open..close];
            (group.contains('/') && group.contains('*')).then_some(open..close)
        })
        .collect();
    memchr::memchr_iter(b'-', bytes).any(|i| {
        if matches!(bytes.get(i + 1), Some(b'>' | b'=')) {
            return false;
        }
        let end = skip_back(i, b")");
        let left = &bytes[..end];
        let float = left.ends_with(b"1.") || left.ends_with(b"1.0");
        let integer = left.ends_with(b"1") && (end < 2 || !ident(bytes[end - 2]));
        if !float && !integer {
            return false;
        }
        // The integer's operator, past a sign (`k1 * -1 - b` renders `k1*1-b`).
        let before = if integer {
            skip_back(end - 1, b"(-+")
        } else {
            0
        };
        let after = |ops: &[u8]| before > 0 && ops.contains(&bytes[before - 1]);
        let in_divisor = (float || after(b"*")) && divisors.iter().any(|d| d.contains(&i));
        in_divisor || ((float || after(b"*=")) && multiplied_local(&line[..i], body))
    })
}

/// Whether `head` (a logical line up to a `1 - ..` term) assigns a plain name (`norm = ..`,
/// `norm: float = ..`, either target of `a = norm = ..`) that `body` multiplies by
/// (`* norm`, `*(norm)`).
fn multiplied_local(head: &str, body: &str) -> bool {
    let ident = |c: char| c.is_alphanumeric() || c == '_';
    let bytes = head.as_bytes();
    let mut from = 0;
    (0..bytes.len()).any(|i| {
        let assigns = bytes[i] == b'='
            && !matches!(
                i.checked_sub(1).map(|p| bytes[p]),
                Some(b'=' | b'!' | b'<' | b'>')
            )
            && bytes.get(i + 1) != Some(&b'=');
        if bytes[i] == b'=' {
            let segment = &head[from..i];
            from = i + 1;
            if !assigns {
                return false;
            }
            let target = segment.split(':').next().unwrap_or(segment).trim();
            if target.is_empty() || !target.chars().all(ident) {
                return false;
            }
            return body.match_indices('*').any(|(at, _)| {
                body[at + 1..]
                    .trim_start_matches(|c: char| c.is_whitespace() || c == '(' || c == '\\')
                    .strip_prefix(target)
                    .is_some_and(|rest| !rest.starts_with(ident))
            });
        }
        false
    })
}

/// Whether the statement around byte `at` (between `;`, `{` and `}`) holds two `/`, or an
/// assignment's `=` (not `==`, `!=`, `<=`, `>=`, `=>`) before `at`: the value assigned to a
/// local, which `inline_locals` puts into a divisor that may hold the division's `/` itself
/// (`tf / (tf + k1 / 2.0 * norm)` after `norm = 1.0 - b`).
fn statement_fits(bytes: &[u8], at: usize, declarations_assign: bool) -> bool {
    let bound = |b: &u8| matches!(b, b';' | b'{' | b'}');
    let start = bytes[..at].iter().rposition(bound).map_or(0, |p| p + 1);
    let end = bytes[at..]
        .iter()
        .position(bound)
        .map_or(bytes.len(), |p| at + p);
    // Division signs only: a `/` with no `/` or `*` beside it (not a comment's).
    let slashes = (start..end)
        .filter(|&i| {
            bytes[i] == b'/'
                && !matches!(i.checked_sub(1).map(|p| bytes[p]), Some(b'/' | b'*'))
                && !matches!(bytes.get(i + 1), Some(b'/' | b'*'))
        })
        .count();
    slashes >= 2
        || (assigns(&bytes[start..at]) && assigns_a_name(&bytes[start..at], declarations_assign))
}

/// Whether a statement's text (up to the term) starts by assigning a bare name (`norm =`, the
/// only target `inline_locals` reads), behind `let`, `const` or `var` (and `mut`) when
/// `declarations_assign`.
fn assigns_a_name(before: &[u8], declarations_assign: bool) -> bool {
    let text = String::from_utf8_lossy(before);
    let mut words = text.trim_start();
    let declared = ["let ", "const ", "var "]
        .iter()
        .find_map(|d| words.strip_prefix(d));
    if let Some(rest) = declared {
        if !declarations_assign {
            return false;
        }
        words = rest.trim_start();
        words = words.strip_prefix("mut ").map_or(words, str::trim_start);
    }
    let name_end = words
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .unwrap_or(words.len());
    name_end > 0 && words[name_end..].trim_start().starts_with('=')
}

/// Whether `before` holds an assignment's `=` (not `==`, `!=`, `<=`, `>=`, `=>`).
fn assigns(before: &[u8]) -> bool {
    (0..before.len()).any(|i| {
        let prev = i.checked_sub(1).map(|p| before[p]);
        let next = before.get(i + 1).copied();
        before[i] == b'='
            && !matches!(prev, Some(b'=' | b'!' | b'<' | b'>'))
            && !matches!(next, Some(b'=' | b'>'))
    })
}

fn check(facts: &FileFacts, sink: &mut Sink<'_>) {
    let mut signals = Vec::new();
    let saturation = facts.functions.iter().find_map(|f| {
        f.events.iter().find_map(|e| match &e.kind {
            EventKind::Binary {
                op: BinOp::Div,
                rhs,
                ..
            } if normalises_length(rhs)
                || inline_locals(f, rhs).is_some_and(|r| normalises_length(&r)) =>
            {
                Some(e.line)
            }
            _ => None,
        })
    });
    if let Some(line) = saturation {
        signals.push(Signal::anchor(
            line,
            "saturates term frequency normalised by document length",
        ));
    }
    let idf = facts
        .functions
        .iter()
        .flat_map(|f| f.calls())
        .find(|(_, c)| {
            // Go spells them `math.Log`, `math.Log2`.
            matches!(
                c.name().to_ascii_lowercase().as_str(),
                "ln" | "log" | "log10" | "log2" | "log1p"
            ) && (c.args.iter().any(|a| a.contains('/')) || c.receiver.contains('/'))
        })
        .map(|(e, _)| e.line);
    if let Some(line) = idf {
        signals.push(Signal::new(
            line,
            "takes the logarithm of a frequency ratio (IDF)",
        ));
    }
    if let Some((t, f)) = facts
        .types
        .iter()
        .find_map(|t| t.fields.iter().find(|f| is_postings(&f.ty)).map(|f| (t, f)))
    {
        signals.push(Signal::new(
            t.span.start,
            format!("maps terms to postings in `{}`", f.name),
        ));
    }
    sink.emit_or_defer(signals);
}

#[cfg(test)]
mod tests {
    use crate::test_support::{findings_for, findings_in};
    use liability_model::Language;

    #[test]
    fn one_minus_is_found_through_parentheses_and_casts() {
        for text in [
            "x / (k * (1.0 - b + b * l / a))",
            "x / (1 - b + b * l / a)",
            "x / (1_f64 -b + y / a)",
            "x / ((1.0)\n - b * l / a)",
            "x / ((1 as f64) - b * l / a)",
            "x / (1f64-b*l/a)",
            // A local holding the normalisation.
            "let norm = 1.0 - b + b * dl / avgdl;",
            "let norm = 1 - b + b * dl / avg;",
        ] {
            assert!(super::one_minus(text), "{text}");
        }
        for text in [
            "x / (y - 1)",
            "fn f(a: T1) -> u8",
            "x / (v1 - v2)",
            "x / (1.0 - b)",
            "f(1.0 - b);",
            "if a == 1 - b {}",
            "return 1.0 - b;",
        ] {
            assert!(!super::one_minus(text), "{text}");
        }
    }

    #[test]
    fn a_local_holding_the_term_passes_the_lexical_test_wherever_the_slash_is() {
        let src = "fn score(tf: f64, k1: f64, b: f64) -> f64 {\n    let mut norm = 0.0;\n    norm = 1.0 - b;\n    tf / (tf + k1 / 2.0 * norm)\n}\n";
        let facts =
            crate::frontend::extract(liability_model::Language::Rust, "s.rs", src).expect("parses");
        let (mut findings, mut partials) = (Vec::new(), Vec::new());
        super::check(
            &facts,
            &mut crate::rules::Sink::new(
                &facts,
                &super::RELEVANCE_SCORING_BY_HAND,
                &mut findings,
                &mut partials,
            ),
        );
        let anchored =
            !findings.is_empty() || partials.iter().any(|p| p.signals.iter().any(|s| s.anchor));
        assert!(anchored, "the anchor holds");
        assert!(super::rust_one_minus(src));
    }

    #[test]
    fn rust_test_reads_code_not_comments() {
        let bm25 = "fn s() -> f64 {\n    tf / (k1 * (1.0 - b + b * len / avg)) // 1-based\n}\n";
        assert!(super::rust_one_minus(bm25));
        // Prose passes `one_minus` (no `;`, `{` or `}` ends its statement) but is no code.
        let prose = "/// A 1-based index into https://example.com/a/b.\nfn f() {}\n";
        assert!(super::one_minus(prose));
        assert!(!super::rust_one_minus(prose));
    }

    #[test]
    fn flags_bm25() {
        let src = "fn score(tf: f64, n: f64, df: f64, len: f64, avg: f64, k1: f64, b: f64) -> f64 {\n    let idf = f64::ln(1.0 + (n - df + 0.5) / (df + 0.5));\n    idf * (tf * (k1 + 1.0)) / (tf + k1 * (1.0 - b + b * len / avg))\n}\n";
        assert_eq!(findings_for(src, "relevance-scoring-by-hand").len(), 1);
    }

    #[test]
    fn flags_go_bm25_with_postings() {
        let src = "package s\n\nimport \"math\"\n\ntype Posting struct {\n\tDoc  string\n\tFreq int\n}\n\ntype Index struct {\n\tpostings map[string][]Posting\n\tk1, b    float64\n}\n\nfunc (ix *Index) score(f, n, df, dl, avg float64) float64 {\n\tidf := math.Log(1 + (n-df+0.5)/(df+0.5))\n\treturn idf * f * (ix.k1 + 1) / (f + ix.k1*(1-ix.b+ix.b*dl/avg))\n}\n";
        let found = findings_in(Language::Go, "s.go", src, "relevance-scoring-by-hand");
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].evidence.len(), 3, "{:?}", found[0].evidence);
    }

    #[test]
    fn flags_normalisation_kept_in_a_variable() {
        let src = "import math\n\ndef rank(tf, n, df, dl, avgdl, k1=1.2, b=0.75):\n    idf = math.log(1 + (n - df + 0.5) / (df + 0.5))\n    norm = 1 - b + b * dl / avgdl\n    return idf * tf * (k1 + 1) / (tf + k1 * norm)\n";
        assert_eq!(
            findings_in(Language::Python, "s.py", src, "relevance-scoring-by-hand").len(),
            1
        );
    }

    #[test]
    fn unrelated_division_by_a_local_is_silent() {
        let src = "def share(total, k1, parts):\n    norm = parts + 1\n    return total / (1 + k1 * norm)\n";
        assert!(findings_in(Language::Python, "s.py", src, "relevance-scoring-by-hand").is_empty());
    }

    #[test]
    fn entropy_is_silent() {
        let src =
            "fn entropy(p: &[f64]) -> f64 {\n    p.iter().map(|x| -x * (x / 1.0).ln()).sum()\n}\n";
        assert!(findings_for(src, "relevance-scoring-by-hand").is_empty());
    }
}
