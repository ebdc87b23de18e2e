//! A hash function or block cipher implemented by hand: round constants and mixing rounds.

use crate::rules::{Signal, Sink, declare_rule};
use liability_model::{BinOp, Category, EventKind, FileFacts, Function};

declare_rule! {
    /// ## What it does
    /// Finds hash functions, block ciphers and MACs implemented in the code base: a table of
    /// wide, random-looking round constants, and a compression or round function that mixes
    /// words with rotations (the language's rotate call, or a small helper of the file rotating
    /// by shifts — `def rotr(x, n): return (x >> n) | (x << (32 - n))` counts at each call of
    /// it — or the shifts inline), modular additions and XOR.
    ///
    /// ## Why is this a liability?
    /// Cryptographic code must be constant-time, reviewed and patched against side channels.
    /// Keys handled by in-house code live in process memory and need rotation, auditing and
    /// access control that a key-management service provides.
    ///
    /// ## Example
    /// ```rust
    /// const K: [u32; 64] = [0x428a2f98, 0x71374491, 0xb5c0fbcf, /* ... */];
    /// fn compress(state: &mut [u32; 8], w: &[u32; 64]) {
    ///     for i in 0..64 {
    ///         let s1 = e.rotate_right(6) ^ e.rotate_right(11) ^ e.rotate_right(25);
    ///         let t1 = h.wrapping_add(s1).wrapping_add(K[i]).wrapping_add(w[i]);
    ///         /* ... */
    ///     }
    /// }
    /// ```
    ///
    /// ## Use instead
    /// AWS KMS for keys, signing and MACs (Azure Key Vault; Cloud KMS). In-process, the
    /// RustCrypto crates or `ring`.
    ///
    /// ## Known limits
    /// Non-cryptographic hashes (xxHash, FNV) and checksums (CRC tables) share the shape;
    /// the rule needs both a table of wide constants and a rotating mixing function.
    pub static HASH_OR_CIPHER_BY_HAND = {
        id: "hash-or-cipher-by-hand",
        category: Category::Crypto,
        summary: "a hash or cipher with round constants and mixing rounds",
        check: check,
        // The anchor is a table of 16 integers or more, three quarters of them 2^24 or more: no
        // word marks it when written in decimal, so the lexical test asks for 12 literals that
        // could be so wide in one bracketed array (`prepass::wide_int_literals`, one quick
        // pass), then, from the tokens, for an array whose integer elements are 12 wide ones
        // and three wide for each narrow one, values read exactly and comments, tuples and
        // calls left out as `count_ints` leaves them (`rust_light::wide_int_table`).
        rust_text: |text| {
            crate::prepass::wide_int_literals(text, 12)
                && crate::frontend::rust_light::wide_int_table(text, 12)
        },
        // A supporting signal: a mixing function, which rotates (`rotate_left`, or a helper
        // shifting both ways) or shifts eight times, with eight mixing operations (`MIXING`
        // calls, a helper's calls — the helper holds `<<` — or XOR).
        rust_support: |text| crate::rules::has_words(
            text,
            &[
                &["rotate_left", "rotate_right", ">>", "<<"],
                &["rotate_", "wrapping_", "^", "<<"],
            ],
        ),
        // In Python a table is a list, a tuple or a set (`int_table` counts all three), so the
        // lexical test counts literals inside any bracket that starts a value; the mixing
        // function as above.
        python_text: |source| crate::prepass::wide_int_literals_in_python_tables(source.python_code(), 12),
        python_support: |source| crate::rules::has_words(
            source.text(),
            &[
                &["rotate_left", "rotate_right", ">>", "<<"],
                &["rotate_", "wrapping_", "^", "<<"],
            ],
        ),
        // In JavaScript a table is an array literal (`int_table` reads `array` nodes): the
        // lexical test of Rust; the mixing function as above (`>>>` holds `>>`).
        javascript_text: |source| crate::prepass::wide_int_literals(source.text(), 12),
        javascript_support: |source| crate::rules::has_words(
            source.text(),
            &[
                &["rotate_left", "rotate_right", ">>", "<<"],
                &["rotate_", "wrapping_", "^", "<<"],
            ],
        ),
    };
}

/// Calls that mix words in ARX designs.
const MIXING: &[&str] = &[
    "rotate_left",
    "rotate_right",
    "wrapping_add",
    "wrapping_sub",
];

fn check(facts: &FileFacts, sink: &mut Sink<'_>) {
    let mut signals = Vec::new();
    if let Some(t) = facts
        .int_tables
        .iter()
        .find(|t| t.len >= 16 && t.wide * 4 >= t.len * 3)
    {
        signals.push(Signal::anchor(
            t.line,
            format!("keeps a table of {} wide round constants", t.len),
        ));
    }
    let helpers = rotation_helpers(facts);
    if let Some((f, n)) = facts
        .functions
        .iter()
        .map(|f| (f, mixing_ops(f, &helpers)))
        .filter(|(f, n)| *n >= 8 && (rotates(f, &helpers) || shifts(f) >= 8))
        .max_by_key(|(_, n)| *n)
    {
        signals.push(Signal::new(
            f.span.start,
            format!(
                "mixes words with {n} rotations, modular additions and XOR in `{}`",
                f.name
            ),
        ));
    }
    sink.emit_or_defer(signals);
}

/// Small functions of the file that rotate a word: both shifts and little else
/// (`((x << n) | (x >> (32 - n))) & MASK`), called like `rotate_left` by the rounds.
fn rotation_helpers(facts: &FileFacts) -> Vec<&str> {
    facts
        .functions
        .iter()
        .filter(|f| {
            let shift = |want: BinOp| {
                f.events
                    .iter()
                    .any(|e| matches!(&e.kind, EventKind::Binary { op, .. } if *op == want))
            };
            f.params.len() >= 2 && f.events.len() <= 8 && shift(BinOp::Shl) && shift(BinOp::Shr)
        })
        .map(|f| f.name.as_str())
        .collect()
}

/// A call of a rotation helper of the file: a function, or a method on the instance
/// (`this.rotr(x, 7)`).
fn calls_helper(c: &liability_model::Call, helpers: &[&str]) -> bool {
    (!c.is_method || c.receiver == "self") && helpers.contains(&c.name())
}

fn rotates(f: &Function, helpers: &[&str]) -> bool {
    f.calls().any(|(_, c)| {
        matches!(c.name(), "rotate_left" | "rotate_right") || calls_helper(c, helpers)
    })
}

/// Shifts, the rotations of languages without a rotate call (`(x << 8) ^ (x >> 24)`).
fn shifts(f: &Function) -> usize {
    f.events
        .iter()
        .filter(|e| {
            matches!(
                &e.kind,
                EventKind::Binary {
                    op: BinOp::Shl | BinOp::Shr,
                    ..
                } | EventKind::AssignOp {
                    op: BinOp::Shl | BinOp::Shr,
                    ..
                }
            )
        })
        .count()
}

fn mixing_ops(f: &Function, helpers: &[&str]) -> usize {
    f.events
        .iter()
        .filter(|e| match &e.kind {
            EventKind::Call(c) => {
                (c.is_method && MIXING.contains(&c.name())) || calls_helper(c, helpers)
            }
            EventKind::Binary { op, .. } | EventKind::AssignOp { op, .. } => {
                matches!(op, BinOp::BitXor)
            }
            _ => false,
        })
        .count()
}

#[cfg(test)]
mod tests {
    use crate::test_support::{findings_for, findings_in};
    use liability_model::Language;

    #[test]
    fn flags_constants_and_rounds() {
        let k: Vec<String> = (0..16)
            .map(|i| format!("0x{:08x}", 0x428a_2f98_u32.wrapping_mul(i + 3)))
            .collect();
        let src = format!(
            "const K: [u32; 16] = [{}];\nfn compress(s: &mut [u32; 8], w: &[u32; 16]) {{\n    for i in 0..16 {{\n        let s1 = e.rotate_right(6) ^ e.rotate_right(11) ^ e.rotate_right(25);\n        let s0 = a.rotate_right(2) ^ a.rotate_right(13) ^ a.rotate_right(22);\n        let t1 = h.wrapping_add(s1).wrapping_add(K[i]).wrapping_add(w[i]);\n    }}\n}}\n",
            k.join(", ")
        );
        assert_eq!(findings_for(&src, "hash-or-cipher-by-hand").len(), 1);
    }

    #[test]
    fn sees_rotations_through_a_helper() {
        let k: Vec<String> = (0..16)
            .map(|i| format!("0x{:08x}", 0x428a_2f98_u32.wrapping_mul(i + 3)))
            .collect();
        let src = format!(
            "K = [{}]\n\ndef rotr(x, n):\n    return ((x >> n) | (x << (32 - n))) & 0xFFFFFFFF\n\ndef compress(a, b, c, d, w):\n    for i in range(16):\n        s0 = rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)\n        s1 = rotr(c, 6) ^ rotr(c, 11) ^ rotr(c, 25)\n        t = (d + s1 + K[i] + w[i]) & 0xFFFFFFFF\n        a, b, c, d = (t + s0) & 0xFFFFFFFF, a, b ^ t, c\n    return a, b, c, d\n",
            k.join(", ")
        );
        let found = findings_in(Language::Python, "h.py", &src, "hash-or-cipher-by-hand");
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].evidence.len(), 2, "{:?}", found[0].evidence);
    }

    #[test]
    fn small_code_table_without_rounds_is_silent() {
        let src = "const CODES: [u16; 16] = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16];\nfn h(x: u64) -> u64 { x.rotate_left(5) ^ 0x9e3779b9 }\n";
        assert!(findings_for(src, "hash-or-cipher-by-hand").is_empty());
    }

    #[test]
    fn rust_lexical_test_reads_the_table_as_the_front_end_does() {
        let test = |src: &str| crate::frontend::rust_light::wide_int_table(src, 12);
        let wide: Vec<String> = (0..12)
            .map(|i| format!("0x{:08x}", 0x9e37_79b9_u32.wrapping_mul(i + 3) | 1 << 28))
            .collect();
        let wide = wide.join(", ");
        // Nested arrays count with the outer one; suffixes, attributes and comments are read.
        assert!(test(&format!(
            "const K: [[u32; 6]; 2] = [[{}], /* x */ [{}]];",
            wide.replace(", 0x", "u32, 0x"),
            "0x1, 0x2, 0x3"
        )));
        assert!(test(&format!(
            "static T: [u64; 16] = [\n    // round 1\n    #[cfg(a)] 16777216, {wide}, 1, 2, 3,\n];"
        )));
        // Four narrow for twelve wide is three quarters (an anchor); five is under.
        assert!(test(&format!("const K: [u32; 16] = [{wide}, 1, 2, 3, 4];")));
        assert!(!test(&format!(
            "const K: [u32; 17] = [{wide}, 1, 2, 3, 4, 5];"
        )));
        // Leading zeros, tuples, calls, casts, negatives and comments are no wide elements.
        let zeros = vec!["0x00000001"; 16].join(", ");
        assert!(!test(&format!("const Z: [u32; 16] = [{zeros}];")));
        let tuples: Vec<String> = (0..16)
            .map(|i| format!("(1, 0x{:08x})", 0x8000_0000_u32 + i))
            .collect();
        assert!(!test(&format!(
            "const P: [(u8, u32); 16] = [{}];",
            tuples.join(", ")
        )));
        let cast: Vec<String> = (0..16)
            .map(|i| format!("0x{:08x} as u64", 0x8000_0000_u32 + i))
            .collect();
        assert!(!test(&format!(
            "const C: [u64; 16] = [{}];",
            cast.join(", ")
        )));
        assert!(!test(&format!(
            "const F: [f64; 16] = [\n    1.5, /* {wide}, 0x80000000, 0x80000001, 0x80000002, 0x80000003 */\n];"
        )));
        // An array nested in a call is a table of its own, so it does not add to the outer one.
        let half = (0..6)
            .map(|i| format!("{}", 100_000_000 + i))
            .collect::<Vec<_>>()
            .join(", ");
        assert!(!test(&format!(
            "const S: [[u32; 6]; 2] = [f([{half}]), [{half}]];"
        )));
    }

    fn js(src: &str) -> usize {
        crate::test_support::findings_in(
            liability_model::Language::JavaScript,
            "h.js",
            src,
            "hash-or-cipher-by-hand",
        )
        .len()
    }

    #[test]
    fn flags_javascript_rounds_through_a_rotation_helper() {
        let k: Vec<String> = (0..16)
            .map(|i| format!("0x{:08x}", 0x428a_2f98_u32.wrapping_mul(i + 3)))
            .collect();
        let rounds = "const rotr = (x, n) => (x >>> n) | (x << (32 - n));\nfunction compress(s, w) {\n  for (let i = 0; i < 64; i++) {\n    const S1 = rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25);\n    const ch = (e & f) ^ (~e & g);\n    const S0 = rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22);\n    const maj = (a & b) ^ (a & c) ^ (b & c);\n  }\n}\n";
        let src = format!("const K = [{}];\n{rounds}", k.join(", "));
        assert_eq!(js(&src), 1);
        // The same rounds without a table of wide constants are not enough.
        assert_eq!(js(rounds), 0);
    }
}
