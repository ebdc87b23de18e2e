//! Small formatting helpers shared by the formats.

/// A whole amount with thousands separators: `12,345`.
pub fn money(x: f64) -> String {
    let whole = format!("{:.0}", x.max(0.0));
    let mut out = String::with_capacity(whole.len() + whole.len() / 3);
    for (i, c) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// `text` cut to at most `max` characters, ending in `…` when cut.
pub fn truncate(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_owned();
    }
    let mut s: String = text.chars().take(max.saturating_sub(1)).collect();
    s.push('…');
    s
}

/// Greedy word wrap to `width` columns; every line is prefixed with `indent`.
pub fn wrap(text: &str, width: usize, indent: &str) -> String {
    let room = width.saturating_sub(indent.chars().count()).max(20);
    let mut out = String::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > room {
            out.push_str(indent);
            out.push_str(&line);
            out.push('\n');
            line.clear();
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() {
        out.push_str(indent);
        out.push_str(&line);
        out.push('\n');
    }
    out
}

/// Untrusted text made safe for a terminal: tabs become four spaces, other control
/// characters (ESC of ANSI sequences, CR, ...) become `�`.
pub fn clean(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\t' => out.push_str("    "),
            c if c.is_control() => out.push('\u{fffd}'),
            c => out.push(c),
        }
    }
    out
}

/// The currency of the report's figures.
pub fn currency(report: &liability_model::Report) -> &str {
    report
        .liability
        .as_ref()
        .map_or("USD", |l| l.currency.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn money_groups_thousands() {
        assert_eq!(money(0.4), "0");
        assert_eq!(money(999.5), "1,000");
        assert_eq!(money(1_234_567.0), "1,234,567");
    }

    #[test]
    fn wrap_and_truncate() {
        assert_eq!(truncate("abcdef", 4), "abc…");
        assert_eq!(truncate("abc", 4), "abc");
        assert_eq!(clean("a\tb\x1b[31m"), "a    b\u{fffd}[31m");
        let w = wrap(&"word ".repeat(20), 30, "  ");
        assert!(
            w.lines()
                .all(|l| l.chars().count() <= 30 && l.starts_with("  "))
        );
    }
}
