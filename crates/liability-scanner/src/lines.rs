//! Counting code, comment and blank lines, tokei-style, without a parser.
//!
//! A small lexer that knows a language's line comments, block comments (optionally nested) and
//! string quotes, so that `"// not a comment"` counts as code. A line with any code on it is a
//! code line. The result also yields the per-line prefix sums that `FileFacts::code_lines_in`
//! uses to size any span in constant time.

use liability_model::LineCounts;

/// The comment and string syntax of a language.
#[derive(Debug, Clone, Copy)]
pub struct Syntax {
    pub line_comments: &'static [&'static str],
    pub block_comments: &'static [(&'static str, &'static str)],
    pub nested_blocks: bool,
    /// ASCII quote characters.
    pub quotes: &'static [char],
}

pub const RUST: Syntax = Syntax {
    line_comments: &["//"],
    block_comments: &[("/*", "*/")],
    nested_blocks: true,
    quotes: &['"'],
};

/// `#` comments: Dockerfiles, YAML, crontabs, systemd units.
pub const HASH: Syntax = Syntax {
    line_comments: &["#"],
    block_comments: &[],
    nested_blocks: false,
    quotes: &['"'],
};

/// Terraform (HCL): `#`, `//` and `/* */` comments.
pub const HCL: Syntax = Syntax {
    line_comments: &["#", "//"],
    block_comments: &[("/*", "*/")],
    nested_blocks: false,
    quotes: &['"'],
};

/// Python: `#` comments; docstrings count as code (they are string expressions).
pub const PYTHON: Syntax = Syntax {
    line_comments: &["#"],
    block_comments: &[],
    nested_blocks: false,
    quotes: &['"', '\''],
};

/// JavaScript and TypeScript: C comments; single, double and template quotes.
pub const JAVASCRIPT: Syntax = Syntax {
    line_comments: &["//"],
    block_comments: &[("/*", "*/")],
    nested_blocks: false,
    quotes: &['"', '\'', '`'],
};

/// Go: C comments; interpreted strings, runes and raw strings.
pub const GO: Syntax = Syntax {
    line_comments: &["//"],
    block_comments: &[("/*", "*/")],
    nested_blocks: false,
    quotes: &['"', '\'', '`'],
};

/// Counts lines of `text` and returns the counts and the code-line prefix sums.
///
/// Hot: it runs over every byte of every file. Bytes that cannot start a comment or a string
/// are classified by one table lookup; strings and block comments jump to their next
/// interesting byte with `memchr` rather than comparing at every position.
pub fn count(text: &str, syntax: &Syntax) -> (LineCounts, Vec<u32>) {
    let mut special = [false; 256];
    for c in syntax.line_comments {
        special[usize::from(c.as_bytes()[0])] = true;
    }
    for (open, _) in syntax.block_comments {
        special[usize::from(open.as_bytes()[0])] = true;
    }
    for q in syntax.quotes {
        special[*q as usize & 0xff] = true;
    }
    let mut counts = LineCounts::default();
    let mut prefix = Vec::with_capacity(text.len() / 30 + 2);
    prefix.push(0);
    let mut block_depth = 0usize;
    let mut in_string: Option<u8> = None;
    for line in text.lines() {
        let mut has_code = false;
        let mut has_comment = block_depth > 0;
        let bytes = line.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            if let Some(quote) = in_string {
                has_code = true;
                // Byte positions, not `&str`: `i` may sit inside a multi-byte character.
                match memchr::memchr2(quote, b'\\', &bytes[i..]) {
                    None => i = bytes.len(),
                    Some(at) if bytes[i + at] == b'\\' => i += at + 2,
                    Some(at) => {
                        in_string = None;
                        i += at + 1;
                    }
                }
                continue;
            }
            let rest = &bytes[i..];
            if block_depth > 0 {
                has_comment = true;
                if let Some((_, close)) = syntax
                    .block_comments
                    .iter()
                    .find(|(_, c)| rest.starts_with(c.as_bytes()))
                {
                    block_depth -= 1;
                    i += close.len();
                    continue;
                }
                if syntax.nested_blocks
                    && let Some((open, _)) = syntax
                        .block_comments
                        .iter()
                        .find(|(o, _)| rest.starts_with(o.as_bytes()))
                {
                    block_depth += 1;
                    i += open.len();
                    continue;
                }
                i += 1;
                continue;
            }
            let c = bytes[i];
            if !special[usize::from(c)] {
                has_code |= !c.is_ascii_whitespace();
                i += 1;
                continue;
            }
            if syntax
                .line_comments
                .iter()
                .any(|c| rest.starts_with(c.as_bytes()))
            {
                has_comment = true;
                break;
            }
            if let Some((open, _)) = syntax
                .block_comments
                .iter()
                .find(|(o, _)| rest.starts_with(o.as_bytes()))
            {
                block_depth = 1;
                has_comment = true;
                i += open.len();
                continue;
            }
            has_code = true;
            if syntax.quotes.iter().any(|&q| q as u32 == u32::from(c)) {
                in_string = Some(c);
            }
            i += 1;
        }
        if in_string.is_some() {
            has_code = true;
        }
        if has_code {
            counts.code += 1;
        } else if has_comment {
            counts.comment += 1;
        } else {
            counts.blank += 1;
        }
        prefix.push(counts.code);
    }
    (counts, prefix)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The first, byte-by-byte version of [`count`], kept as the reference it must match.
    fn reference_count(text: &str, syntax: &Syntax) -> (LineCounts, Vec<u32>) {
        let mut counts = LineCounts::default();
        let mut prefix = Vec::with_capacity(text.len() / 30 + 2);
        prefix.push(0);
        let mut block_depth = 0usize;
        let mut in_string: Option<char> = None;
        for line in text.lines() {
            let mut has_code = false;
            let mut has_comment = block_depth > 0;
            let bytes = line.as_bytes();
            let mut i = 0;
            while i < bytes.len() {
                // Byte slices, not `&str`: `i` may sit inside a multi-byte character.
                let rest = &bytes[i..];
                if let Some(quote) = in_string {
                    has_code = true;
                    let c = bytes[i];
                    if c == b'\\' {
                        i += 2;
                        continue;
                    }
                    if rest.starts_with(&[quote as u8]) {
                        in_string = None;
                    }
                    i += 1;
                    continue;
                }
                if block_depth > 0 {
                    has_comment = true;
                    if let Some((_, close)) = syntax
                        .block_comments
                        .iter()
                        .find(|(_, c)| rest.starts_with(c.as_bytes()))
                    {
                        block_depth -= 1;
                        i += close.len();
                        continue;
                    }
                    if syntax.nested_blocks
                        && let Some((open, _)) = syntax
                            .block_comments
                            .iter()
                            .find(|(o, _)| rest.starts_with(o.as_bytes()))
                    {
                        block_depth += 1;
                        i += open.len();
                        continue;
                    }
                    i += 1;
                    continue;
                }
                if syntax
                    .line_comments
                    .iter()
                    .any(|c| rest.starts_with(c.as_bytes()))
                {
                    has_comment = true;
                    break;
                }
                if let Some((open, _)) = syntax
                    .block_comments
                    .iter()
                    .find(|(o, _)| rest.starts_with(o.as_bytes()))
                {
                    block_depth = 1;
                    has_comment = true;
                    i += open.len();
                    continue;
                }
                let c = bytes[i];
                if !c.is_ascii_whitespace() {
                    has_code = true;
                    if let Some(&q) = syntax
                        .quotes
                        .iter()
                        .find(|&&q| rest.starts_with(&[q as u8]))
                    {
                        in_string = Some(q);
                        i += q.len_utf8();
                        continue;
                    }
                }
                i += 1;
            }
            if in_string.is_some() {
                has_code = true;
            }
            if has_code {
                counts.code += 1;
            } else if has_comment {
                counts.comment += 1;
            } else {
                counts.blank += 1;
            }
            prefix.push(counts.code);
        }
        (counts, prefix)
    }

    /// Every text file of the fixtures and of this crate, under every syntax, counts as the
    /// reference does: the fast paths change nothing.
    #[test]
    fn fast_count_matches_the_reference() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
        let mut texts = vec![
            "a = 'x\\' # c\n\"unterminated\n/* /* */ x */ y\n".to_owned(),
            "s = \"\\\"\"; // q\n`t\n` + '\\\\'\n# h /* n\n".to_owned(),
        ];
        for dir in ["fixtures", "crates/liability-scanner/src"] {
            for entry in walkdir::WalkDir::new(root.join(dir)).into_iter().flatten() {
                if let Ok(text) = std::fs::read_to_string(entry.path()) {
                    texts.push(text);
                }
            }
        }
        assert!(texts.len() > 100, "fixtures found: {}", texts.len());
        for text in &texts {
            for syntax in [RUST, HASH, HCL, PYTHON, JAVASCRIPT, GO] {
                assert_eq!(
                    count(text, &syntax),
                    reference_count(text, &syntax),
                    "{syntax:?}"
                );
            }
        }
    }

    #[test]
    fn counts_rust_lines() {
        let src = "// header\n\nfn main() { // trailing\n    let s = \"// not a comment\";\n    /* block\n       /* nested */\n    still */ let x = 1;\n}\n";
        let (counts, prefix) = count(src, &RUST);
        assert_eq!(
            counts,
            LineCounts {
                code: 4,
                comment: 3,
                blank: 1
            }
        );
        assert_eq!(prefix, vec![0, 0, 0, 1, 2, 2, 2, 3, 4]);
    }

    #[test]
    fn non_ascii_text_never_splits_a_character() {
        let (counts, _) = count("let s = \"é\\é\"; // ü\n/* ß */\n", &RUST);
        assert_eq!(
            counts,
            LineCounts {
                code: 1,
                comment: 1,
                blank: 0
            }
        );
    }

    #[test]
    fn counts_python_and_javascript_lines() {
        let py = "# header\n\ndef f():  # trailing\n    s = '# not a comment'\n";
        assert_eq!(
            count(py, &PYTHON).0,
            LineCounts {
                code: 2,
                comment: 1,
                blank: 1
            }
        );
        let js = "/* a\n b */\nconst s = `// no`; // c\n";
        assert_eq!(
            count(js, &JAVASCRIPT).0,
            LineCounts {
                code: 1,
                comment: 2,
                blank: 0
            }
        );
    }

    #[test]
    fn multi_line_strings_are_code() {
        let (counts, _) = count("let s = \"a\n\nb\";\n", &RUST);
        assert_eq!(counts.code, 3);
    }
}
