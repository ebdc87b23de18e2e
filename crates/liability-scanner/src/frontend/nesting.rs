//! A cheap guard against stack exhaustion: the deepest bracket nesting of a C-family text.
//!
//! `syn` parses recursively; a hostile file with tens of thousands of nested parentheses would
//! overflow any thread stack, and a stack overflow aborts the process (it cannot be caught).
//! Scanning the bytes first and refusing files nested deeper than `MAX_DEPTH` keeps one bad
//! file from killing the scan. Strings, character literals and comments are skipped roughly; an
//! over-estimate only matters far beyond any real code's depth.

/// The deepest nesting the Rust front-end accepts. Real code rarely passes 40; the parser
/// threads' stack (see `crate::PARSE_STACK_SIZE`) holds many times this.
pub const MAX_DEPTH: usize = 1_000;

/// The maximum depth of `(`, `[` and `{` nesting, and the 1-based line where it is reached.
pub fn max_depth(text: &str) -> (usize, u32) {
    let bytes = text.as_bytes();
    let (mut depth, mut max, mut line, mut max_line) = (0usize, 0usize, 1u32, 1u32);
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\n' => line += 1,
            b'"' => {
                i += 1;
                while i < bytes.len() && bytes[i] != b'"' {
                    match bytes[i] {
                        b'\\' => i += 1,
                        b'\n' => line += 1,
                        _ => {}
                    }
                    i += 1;
                }
            }
            b'\'' if bytes.get(i + 2) == Some(&b'\'') => i += 2,
            b'/' if bytes.get(i + 1) == Some(&b'/') => {
                while i < bytes.len() && bytes[i] != b'\n' {
                    i += 1;
                }
                continue;
            }
            b'/' if bytes.get(i + 1) == Some(&b'*') => {
                i += 2;
                while i + 1 < bytes.len() && !(bytes[i] == b'*' && bytes[i + 1] == b'/') {
                    if bytes[i] == b'\n' {
                        line += 1;
                    }
                    i += 1;
                }
                i += 1;
            }
            b'(' | b'[' | b'{' => {
                depth += 1;
                if depth > max {
                    max = depth;
                    max_line = line;
                }
            }
            b')' | b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
        i += 1;
    }
    (max, max_line)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn measures_depth_ignoring_strings_and_comments() {
        assert_eq!(max_depth("fn f() { g((1)); }"), (3, 1));
        assert_eq!(
            max_depth("let s = \"((((\"; // ((((\n/* [[[[ */ let c = '(';"),
            (0, 1)
        );
        assert_eq!(max_depth("fn f() {\n  {\n    [x]\n  }\n}").0, 3);
        let deep = format!("fn f() {{ {}1{} }}", "(".repeat(50_000), ")".repeat(50_000));
        assert_eq!(max_depth(&deep).0, 50_001);
    }
}
