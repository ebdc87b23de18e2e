//! A query builder or ORM written in-house: SQL statements assembled from clause fragments,
//! run through a driver cursor, with transactions and model classes of its own.

use crate::rules::vocab::{SQL_KEYWORDS, SQL_QUERY_CLAUSES, SQL_WRITE_CLAUSES};
use crate::rules::{Signal, Sink, declare_rule};
use liability_model::{Category, FileFacts, Function};

declare_rule! {
    /// ## What it does
    /// Finds a query builder or ORM written in-house, by the SQL it assembles: string
    /// fragments made only of clause keywords and placeholders (`"SELECT "`, `" WHERE "`,
    /// `"ORDER BY %s"`) covering four or more query clauses, used in code (keyword tables
    /// kept as data do not count). Writes assembled the same way (`"INSERT INTO {} ({})"`,
    /// `" VALUES "`, `"UPDATE "`, `" SET "`), statements run through a driver cursor
    /// (`cursor()` then `execute`), transactions begun, committed and rolled back by SQL of
    /// its own, and a metaclass that builds model classes (`__new__(cls, name, bases,
    /// attrs)`) add weight.
    ///
    /// ## Why is this a liability?
    /// A query builder grows into a second database layer: quoting and parameter binding
    /// (SQL injection), dialect differences, joins, relations, lazy loading, connection and
    /// transaction handling. Each of those is a source of data bugs that a well-kept ORM has
    /// already fixed, and the team must keep up with every database upgrade alone.
    ///
    /// ## Example
    /// ```python
    /// def sql(self):
    ///     parts = ["SELECT ", ", ".join(self.columns), " FROM ", self.table]
    ///     if self.filters:
    ///         parts += [" WHERE ", " AND ".join(self.filters)]
    ///     if self.order:
    ///         parts += [" ORDER BY ", self.order]
    ///     if self.limit:
    ///         parts += [" LIMIT ", str(self.limit)]
    ///     return "".join(parts)
    /// ```
    ///
    /// ## Use instead
    /// A managed database with its own data API (Aurora Serverless v2 with the RDS Data API,
    /// DynamoDB; Azure SQL, Cosmos DB; Cloud SQL, Firestore), accessed through a well-kept
    /// library: SQLAlchemy or Django's ORM, `sqlx` or diesel, Prisma or Knex, sqlc or GORM.
    ///
    /// ## Known limits
    /// Complete statements written out in full (`"SELECT id FROM users WHERE id = ?"`) are
    /// application queries, not a builder, and are not counted. A builder that spells its
    /// keywords in lower case or keeps them in one table with other words is missed.
    pub static QUERY_BUILDER_BY_HAND = {
        id: "query-builder-by-hand",
        category: Category::Database,
        summary: "a query builder or ORM that assembles SQL from clause fragments",
        check: check,
        // The anchor is four query clauses (upper case) among literal fragments: each clause of
        // words leaves out three (`GROUP BY` and `ORDER BY` as their first word: a fragment may
        // break the line between the two).
        rust_needs: &[
            &["GROUP", "HAVING", "JOIN", "LIMIT", "OFFSET", "ORDER", "UNION"],
            &["FROM", "GROUP", "HAVING", "JOIN", "SELECT", "UNION", "WHERE"],
            &["FROM", "HAVING", "LIMIT", "OFFSET", "ORDER", "SELECT", "WHERE"],
        ],
        rust_text: rust_fragments,
        // The same in Python: the fragments are literals' text whatever the language.
        python_needs: &[
            &["GROUP", "HAVING", "JOIN", "LIMIT", "OFFSET", "ORDER", "UNION"],
            &["FROM", "GROUP", "HAVING", "JOIN", "SELECT", "UNION", "WHERE"],
            &["FROM", "HAVING", "LIMIT", "OFFSET", "ORDER", "SELECT", "WHERE"],
        ],
        python_text: python_fragments,
        // The same in JavaScript (template literals included).
        javascript_needs: &[
            &["GROUP", "HAVING", "JOIN", "LIMIT", "OFFSET", "ORDER", "UNION"],
            &["FROM", "GROUP", "HAVING", "JOIN", "SELECT", "UNION", "WHERE"],
            &["FROM", "HAVING", "LIMIT", "OFFSET", "ORDER", "SELECT", "WHERE"],
        ],
    };
}

/// The clauses a literal is a fragment of: every word is an upper-case SQL keyword once
/// placeholders (`{..}`, `%s`, `?`, `$1`) and punctuation are removed, and at least one
/// clause is named. Empty for anything else (a complete statement names a table or column).
fn fragment_clauses(value: &str) -> Vec<&'static str> {
    let mut text = String::with_capacity(value.len());
    let mut depth = 0u32;
    let mut chars = value.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '{' => depth += 1,
            '}' => depth = depth.saturating_sub(1),
            _ if depth > 0 => {}
            '%' => {
                // `%s`, `%d`, `%(name)s`: skip the conversion.
                if chars.peek() == Some(&'(') {
                    for n in chars.by_ref() {
                        if n == ')' {
                            break;
                        }
                    }
                }
                chars.next();
                text.push(' ');
            }
            '$' => {
                while chars.peek().is_some_and(char::is_ascii_digit) {
                    chars.next();
                }
                text.push(' ');
            }
            c if c.is_ascii_uppercase() || c == ' ' => text.push(c),
            c if c.is_ascii_punctuation() || c.is_whitespace() => text.push(' '),
            _ => return Vec::new(),
        }
    }
    let words: Vec<&str> = text.split_whitespace().collect();
    if words.is_empty() || !words.iter().all(|w| SQL_KEYWORDS.contains(w)) {
        return Vec::new();
    }
    let joined = format!(" {} ", words.join(" "));
    SQL_QUERY_CLAUSES
        .iter()
        .chain(SQL_WRITE_CLAUSES)
        .copied()
        .filter(|c| joined.contains(&format!(" {c} ")))
        .collect()
}

/// The Python lexical test: string literals (`prepass::PythonText::literal_values`) that are
/// fragments of four query clauses or more, as the anchor needs.
fn python_fragments(source: &crate::prepass::Source<'_>) -> bool {
    four_query_clauses(source.python().literal_values())
}

/// The Rust lexical test: the same of the string literals (`rust_light::string_literal_values`;
/// a text the tokenizer cannot read passes).
fn rust_fragments(text: &str) -> bool {
    crate::frontend::rust_light::string_literal_values(text)
        .is_none_or(|values| four_query_clauses(values.into_iter()))
}

/// Whether literal `values` are fragments (`fragment_clauses`) of four query clauses or more.
fn four_query_clauses<'v>(values: impl Iterator<Item = std::borrow::Cow<'v, str>>) -> bool {
    let mut clauses: Vec<&str> = Vec::new();
    for value in values {
        if !value.contains(|c: char| c.is_ascii_uppercase()) {
            continue;
        }
        let found = fragment_clauses(&value);
        for c in found {
            if SQL_QUERY_CLAUSES.contains(&c) && !clauses.contains(&c) {
                clauses.push(c);
                if clauses.len() >= 4 {
                    return true;
                }
            }
        }
    }
    false
}

/// A function that opens a driver cursor and executes statements on it.
fn cursor_execute(f: &Function) -> Option<u32> {
    let cursor = f.calls().any(|(_, c)| c.name() == "cursor");
    let execute = f
        .calls()
        .find(|(_, c)| matches!(c.name(), "execute" | "executemany" | "executescript"))
        .map(|(e, _)| e.line);
    execute.filter(|_| cursor)
}

/// A metaclass building model classes: `__new__(cls, name, bases, attrs)`.
fn model_metaclass(f: &Function) -> bool {
    f.name == "__new__" && f.params.iter().any(|p| p.name == "bases")
}

fn check(facts: &FileFacts, sink: &mut Sink<'_>) {
    let mut clauses: Vec<&str> = Vec::new();
    let mut first = None;
    let mut transactions: Vec<&str> = Vec::new();
    let mut transaction_line = None;
    // Keyword tables (a lexer's, an editor's) are data; fragments are used in code.
    for l in facts.literals.iter().filter(|l| l.in_body) {
        let found = fragment_clauses(&l.value);
        if !found.is_empty() {
            first.get_or_insert(l.line);
            clauses.extend(found);
        }
        let word = l.value.trim();
        if let Some(t) = [
            "BEGIN",
            "COMMIT",
            "ROLLBACK",
            "SAVEPOINT",
            "RELEASE SAVEPOINT",
        ]
        .into_iter()
        .find(|t| word == *t || word.starts_with(&format!("{t} ")))
        {
            transaction_line.get_or_insert(l.line);
            transactions.push(t);
        }
    }
    clauses.sort_unstable();
    clauses.dedup();
    transactions.sort_unstable();
    transactions.dedup();
    let (writes, queries): (Vec<&str>, Vec<&str>) =
        clauses.iter().partition(|c| SQL_WRITE_CLAUSES.contains(c));
    let mut signals = Vec::new();
    if let Some(line) = first
        && queries.len() >= 4
    {
        signals.push(Signal::anchor(
            line,
            format!(
                "assembles queries from fragments of {} different clauses",
                queries.len()
            ),
        ));
    }
    if let Some(line) = first
        && writes.len() >= 2
    {
        signals.push(Signal::new(
            line,
            format!(
                "assembles inserts, updates or deletes from fragments of {} clauses",
                writes.len()
            ),
        ));
    }
    if let Some(line) = transaction_line
        && transactions.len() >= 2
    {
        signals.push(Signal::new(
            line,
            "begins, commits and rolls back transactions with its own SQL",
        ));
    }
    if let Some(line) = facts.functions.iter().find_map(cursor_execute) {
        signals.push(Signal::new(line, "executes statements on a driver cursor"));
    }
    if let Some(f) = facts.functions.iter().find(|f| model_metaclass(f)) {
        signals.push(Signal::new(
            f.span.start,
            "builds model classes with a metaclass",
        ));
    }
    sink.emit_or_defer(signals);
}

#[cfg(test)]
mod tests {
    use super::fragment_clauses;
    use crate::test_support::{findings_for, findings_in};
    use liability_model::Language;

    #[test]
    fn fragments_are_keywords_and_placeholders_only() {
        assert_eq!(fragment_clauses("SELECT "), ["SELECT"]);
        assert_eq!(fragment_clauses(" ORDER BY %s"), ["ORDER BY"]);
        assert_eq!(
            fragment_clauses("INSERT INTO {} ({}) VALUES ({})"),
            ["INSERT INTO", "VALUES"]
        );
        assert!(fragment_clauses("SELECT id FROM users WHERE id = ?").is_empty());
        assert!(fragment_clauses("select").is_empty());
        assert!(fragment_clauses("").is_empty());
    }

    #[test]
    fn flags_python_query_builder() {
        let src = "class Query:\n    def sql(self):\n        parts = ['SELECT ', ', '.join(self.columns), ' FROM ', self.table]\n        if self.where:\n            parts += [' WHERE ', ' AND '.join(self.where)]\n        if self.group:\n            parts += [' GROUP BY ', self.group]\n        if self.order:\n            parts += [' ORDER BY ', self.order]\n        if self.limit:\n            parts += [' LIMIT %d' % self.limit]\n        return ''.join(parts)\n\n    def run(self, conn):\n        cursor = conn.cursor()\n        cursor.execute(self.sql(), self.params)\n        return cursor.fetchall()\n";
        let found = findings_in(Language::Python, "t.py", src, "query-builder-by-hand");
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].evidence.len(), 2, "{:#?}", found[0].evidence);
    }

    #[test]
    fn python_application_queries_are_silent() {
        let src = "def users(conn, active):\n    cursor = conn.cursor()\n    cursor.execute('BEGIN')\n    cursor.execute('SELECT id, name FROM users WHERE active = ? ORDER BY name LIMIT 10', (active,))\n    rows = cursor.fetchall()\n    cursor.execute('UPDATE users SET seen = 1 WHERE active = ?', (active,))\n    cursor.execute('COMMIT')\n    return rows\n";
        assert!(findings_in(Language::Python, "t.py", src, "query-builder-by-hand").is_empty());
    }

    #[test]
    fn flags_python_builder_of_queries_and_writes() {
        // A pure builder: it renders SQL and runs nothing.
        let src = "class Query:\n    def select_sql(self):\n        sql = 'SELECT {distinct}{select}'.format(distinct=self.distinct, select=self.columns)\n        sql += ' FROM {table}'.format(table=self.table)\n        if self.wheres:\n            sql += ' WHERE {where}'.format(where=self.wheres)\n        if self.orders:\n            sql += ' ORDER BY {order}'.format(order=self.orders)\n        return sql\n\n    def insert_sql(self):\n        return 'INSERT INTO {table} ({columns}) VALUES ({values})'.format(table=self.table, columns=self.columns, values=self.values)\n";
        assert_eq!(
            findings_in(Language::Python, "t.py", src, "query-builder-by-hand").len(),
            1
        );
    }

    #[test]
    fn python_keyword_table_is_silent() {
        let src = "KEYWORDS = ('SELECT', 'FROM', 'WHERE', 'GROUP BY', 'ORDER BY', 'LIMIT', 'BEGIN', 'COMMIT', 'ROLLBACK')\n\nclass SqlLexer:\n    tokens = ['INSERT INTO', 'VALUES', 'UPDATE', 'SET']\n\n    def run(self, conn):\n        cursor = conn.cursor()\n        cursor.execute('SELECT 1')\n";
        assert!(findings_in(Language::Python, "t.py", src, "query-builder-by-hand").is_empty());
    }

    #[test]
    fn flags_rust_query_builder() {
        let src = "fn build(q: &Query) -> String {\n    let mut sql = String::from(\"SELECT \");\n    sql.push_str(&q.columns.join(\", \"));\n    sql.push_str(\" FROM \");\n    sql.push_str(&q.table);\n    if !q.filters.is_empty() { sql.push_str(\" WHERE \"); sql.push_str(&q.filters.join(\" AND \")); }\n    if let Some(o) = &q.order { sql.push_str(\" ORDER BY \"); sql.push_str(o); }\n    if let Some(g) = &q.group { sql.push_str(\" GROUP BY \"); sql.push_str(g); }\n    if let Some(n) = q.limit { sql.push_str(&format!(\" LIMIT {n}\")); }\n    sql\n}\nfn tx(c: &Conn) { c.run(\"BEGIN\"); c.run(\"COMMIT\"); c.run(\"ROLLBACK\"); }\n";
        assert_eq!(findings_for(src, "query-builder-by-hand").len(), 1);
    }
}
