//! A multipart/form-data upload parser written in-house.

use crate::rules::{Signal, Sink, declare_rule};
use liability_model::{Category, FileFacts};

declare_rule! {
    /// ## What it does
    /// Finds multipart/form-data uploads parsed by hand: the `name` and `filename` parameters
    /// pulled out of a part's `Content-Disposition` in code, the header itself read, and the
    /// body scanned for the boundary delimiter and split at it.
    ///
    /// ## Why is this a liability?
    /// Upload parsing sits on the request path of untrusted input: boundary edge cases,
    /// unbounded parts, path traversal through `filename`, memory blow-ups on large files.
    /// Uploads are better sent straight to object storage.
    ///
    /// ## Example
    /// ```rust
    /// fn part_names(header: &str) -> (Option<&str>, Option<&str>) {
    ///     let mut name = None; let mut file = None;
    ///     for p in header.split(';') {
    ///         match p.trim().split_once('=') {
    ///             Some(("name", v)) => name = Some(v),
    ///             Some(("filename", v)) => file = Some(v),
    ///             _ => {}
    ///         }
    ///     }
    ///     (name, file)
    /// }
    /// ```
    ///
    /// ## Use instead
    /// S3 presigned POST/PUT URLs (Blob Storage SAS, Cloud Storage signed URLs), so uploads
    /// never pass through the service. In-process, `multer` or the web framework's extractor.
    ///
    /// ## Known limits
    /// Parameters looked up through constants or a header-parsing crate are not seen.
    pub static MULTIPART_PARSER_BY_HAND = {
        id: "multipart-parser-by-hand",
        category: Category::Storage,
        summary: "multipart/form-data uploads parsed by hand",
        check: check,
        // The anchor reads the literals `"name"` and `"filename"` (or with `=`) in one function.
        rust_needs: &[
            &["\"filename"],
            &["\"name"],
        ],
        // The same in Python, in single or double quotes.
        python_needs: &[&["\"filename", "'filename"], &["\"name", "'name"]],
        // The supporting signals: the `Content-Disposition` header (a literal in any casing,
        // or `CONTENT_DISPOSITION`), or a `memmem` search.
        python_support: |source| {
            crate::rules::has_words(source.text(), &[&["isposition", "ISPOSITION", "memmem"]])
        },
        // The same in JavaScript, in any of the three quotes; the supporting signals as in
        // Python.
        javascript_needs: &[
            &["\"filename", "'filename", "`filename"],
            &["\"name", "'name", "`name"],
        ],
        javascript_support: |source| {
            crate::rules::has_words(source.text(), &[&["isposition", "ISPOSITION", "memmem"]])
        },
    };
}

/// The part parameters (with and without `=`) and the header naming them.
const NAME: &[&str] = &["name", "name="];
const FILENAME: &[&str] = &["filename", "filename="];
const DISPOSITION: &str = "content-disposition";

fn check(facts: &FileFacts, sink: &mut Sink<'_>) {
    let mut signals: Vec<Signal> = Vec::new();
    for f in &facts.functions {
        let lit = |pred: &dyn Fn(&str) -> bool| {
            facts
                .literals
                .iter()
                .find(|l| l.in_body && f.span.contains(l.line) && pred(&l.value))
        };
        let name = lit(&|v| NAME.contains(&v));
        let file = lit(&|v| FILENAME.contains(&v));
        if let (Some(n), Some(fl)) = (name, file)
            && !signals.iter().any(|s| s.anchor)
        {
            signals.push(Signal::anchor(
                n.line.min(fl.line),
                "extracts the `name` and `filename` parameters of upload parts",
            ));
        }
        let header = lit(&|v| v.eq_ignore_ascii_case(DISPOSITION))
            .map(|l| l.line)
            .or_else(|| {
                f.calls()
                    .find(|(_, c)| c.args.iter().any(|a| a.ends_with("CONTENT_DISPOSITION")))
                    .map(|(e, _)| e.line)
            });
        if let Some(line) = header
            && !signals
                .iter()
                .any(|s| s.message.contains("Content-Disposition"))
        {
            signals.push(Signal::new(
                line,
                "reads the Content-Disposition of each part",
            ));
        }
        let search = f
            .calls()
            .find(|(_, c)| c.name() == "find" && c.callee.contains("memmem"))
            .map(|(e, _)| e.line);
        if let Some(line) = search
            && f.calls()
                .any(|(_, c)| matches!(c.name(), "split_to" | "split_off" | "split_at"))
            && !signals.iter().any(|s| s.message.contains("delimiter"))
        {
            signals.push(Signal::new(
                line,
                "scans the body for the delimiter and splits at it",
            ));
        }
    }
    sink.emit_or_defer(signals);
}

#[cfg(test)]
mod tests {
    use crate::test_support::findings_for;

    #[test]
    fn flags_part_header_parsing() {
        let src = "fn part(headers: &HeaderMap) -> (Option<String>, Option<String>) {\n    let cd = headers.get(header::CONTENT_DISPOSITION);\n    let name = param(cd, \"name\");\n    let file = param(cd, \"filename\");\n    (name, file)\n}\n";
        assert_eq!(findings_for(src, "multipart-parser-by-hand").len(), 1);
    }

    #[test]
    fn form_field_names_in_a_table_are_silent() {
        let src = "const FIELDS: &[&str] = &[\"name\", \"filename\"];\nfn known(f: &str) -> bool { FIELDS.contains(&f) }\n";
        assert!(findings_for(src, "multipart-parser-by-hand").is_empty());
    }
}
