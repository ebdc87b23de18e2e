//! A schema-migrations runner with its own schema-history table.

use crate::rules::{Signal, Sink, declare_rule};
use liability_model::{Category, FileFacts};

declare_rule! {
    /// ## What it does
    /// Finds a migrations runner written in-house: it creates a schema-history table (a
    /// version column beside an applied-at time or a checksum), reads the applied versions
    /// back in order, and records each migration it applies.
    ///
    /// ## Why is this a liability?
    /// Migration runners look small and are not: ordering, checksums of edited migrations,
    /// concurrent deploys racing to apply, partial failures inside transactions, drivers
    /// that differ in DDL. A home-grown runner is a schema-corruption risk on every deploy.
    ///
    /// ## Example
    /// ```rust
    /// conn.execute("CREATE TABLE IF NOT EXISTS schema_history (version INT PRIMARY KEY, applied_on TEXT, checksum TEXT)")?;
    /// let applied = conn.query("SELECT version FROM schema_history ORDER BY version")?;
    /// conn.execute(&format!("INSERT INTO schema_history (version, applied_on) VALUES ({v}, now())"))?;
    /// ```
    ///
    /// ## Use instead
    /// A managed database (Aurora Serverless v2, DynamoDB; Azure SQL, Cosmos DB; Cloud SQL,
    /// Firestore) with a well-kept runner: `sqlx migrate`, `refinery` or diesel migrations.
    ///
    /// ## Known limits
    /// Application tables that happen to have a version column are not reported unless the
    /// same package also reads versions back in order and inserts them.
    pub static MIGRATIONS_RUNNER = {
        id: "migrations-runner",
        category: Category::Database,
        summary: "a migrations runner with its own schema-history table",
        check: check,
        // The anchor is a literal that creates a table and names `version` and `applied`,
        // `checksum` or `installed`, compared lower-cased (the casings SQL is written in). The
        // lexical test asks for `create table` itself (`anchor_text`).
        rust_needs: &[
            &["version", "Version", "VERSION"],
            &["reate", "REATE"],
            &["table", "Table", "TABLE"],
            &["pplied", "PPLIED", "hecksum", "HECKSUM", "nstalled", "NSTALLED"],
        ],
        rust_text: anchor_text,
        // The same in Python: the anchor is a literal's text whatever the language.
        python_needs: &[
            &["version", "Version", "VERSION"],
            &["reate", "REATE"],
            &["table", "Table", "TABLE"],
            &["pplied", "PPLIED", "hecksum", "HECKSUM", "nstalled", "NSTALLED"],
        ],
        python_text: python_history_literal,
        // The same in JavaScript: the anchor is a literal's text.
        javascript_needs: &[
            &["version", "Version", "VERSION"],
            &["reate", "REATE"],
            &["table", "Table", "TABLE"],
            &["pplied", "PPLIED", "hecksum", "HECKSUM", "nstalled", "NSTALLED"],
        ],
    };
}

/// Whether `text` may hold the anchor (the lexical test): `create` and `table` (any casing)
/// with only white space or a line continuation between them, as in a literal holding
/// `create table`.
fn anchor_text(text: &str) -> bool {
    let lower = text.to_ascii_lowercase();
    lower.match_indices("create").any(|(i, m)| {
        lower[i + m.len()..]
            .trim_start_matches(|c: char| c.is_whitespace() || c == '\\')
            .starts_with("table")
    })
}

/// The Python lexical test: a literal (`prepass::PythonText::literal_values`) that creates a
/// table recording versions applied, as the anchor reads it (any casing).
fn python_history_literal(source: &crate::prepass::Source<'_>) -> bool {
    anchor_text(source.text())
        && source.python().literal_values().any(|v| {
            let v = v.to_ascii_lowercase();
            v.contains("create table")
                && v.contains("version")
                && (v.contains("applied") || v.contains("checksum") || v.contains("installed"))
        })
}

fn check(facts: &FileFacts, sink: &mut Sink<'_>) {
    let mut signals = Vec::new();
    let lower: Vec<(u32, String)> = facts
        .literals
        .iter()
        .map(|l| (l.line, l.value.to_ascii_lowercase()))
        .collect();
    let find = |pred: &dyn Fn(&str) -> bool| lower.iter().find(|(_, v)| pred(v)).map(|(l, _)| *l);
    let history = |v: &str| {
        v.contains("version")
            && (v.contains("applied") || v.contains("checksum") || v.contains("installed"))
    };
    if let Some(line) = find(&|v| v.contains("create table") && history(v)) {
        signals.push(Signal::anchor(line, "creates a schema-history table"));
    }
    if let Some(line) = find(&|v| v.contains("select") && v.contains("order by version")) {
        signals.push(Signal::new(line, "reads the applied versions in order"));
    }
    if let Some(line) = find(&|v| v.contains("insert into") && history(v)) {
        signals.push(Signal::new(line, "records each applied migration"));
    }
    sink.emit_or_defer(signals);
}

#[cfg(test)]
mod tests {
    use crate::test_support::findings_for;

    #[test]
    fn flags_schema_history_runner() {
        let src = "const T: &str = \"CREATE TABLE IF NOT EXISTS history (version INT PRIMARY KEY, applied_on TEXT, checksum TEXT)\";\nconst Q: &str = \"SELECT version, checksum FROM history ORDER BY version ASC\";\n";
        assert_eq!(findings_for(src, "migrations-runner").len(), 1);
    }

    #[test]
    fn application_table_with_version_is_silent() {
        let src = "const T: &str = \"CREATE TABLE documents (id INT, version INT, body TEXT)\";\nconst Q: &str = \"SELECT body FROM documents ORDER BY version DESC\";\n";
        assert!(findings_for(src, "migrations-runner").is_empty());
    }

    #[test]
    fn sql_examples_in_a_python_docstring_are_silent() {
        let src = "\"\"\"Dialect notes.\n\n    CREATE TABLE history (version INT, applied_on TEXT, checksum TEXT)\n    INSERT INTO history (version, applied_on) VALUES (1, 'installed')\n\"\"\"\n\ndef f():\n    \"\"\"SELECT version FROM history ORDER BY version\"\"\"\n    return 1\n";
        let found = crate::test_support::findings_in(
            liability_model::Language::Python,
            "base.py",
            src,
            "migrations-runner",
        );
        assert!(found.is_empty(), "{found:?}");
        let code = "def f(cur):\n    cur.execute(\"CREATE TABLE history (version INT, applied_on TEXT, checksum TEXT)\")\n    cur.execute(\"SELECT version FROM history ORDER BY version\")\n";
        assert_eq!(
            crate::test_support::findings_in(
                liability_model::Language::Python,
                "m.py",
                code,
                "migrations-runner"
            )
            .len(),
            1
        );
    }
}
