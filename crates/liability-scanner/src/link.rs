//! "One capability, two places": links a self-managed server to the code that talks to it.
//!
//! The scanner keeps no facts across files. This light post-pass keeps only what it needs:
//! each source file's imports of server clients (`redis::`, `tokio_postgres::`,
//! `sqlx::postgres`, ...), and after the scan adds an evidence line naming those files to
//! every infrastructure finding about the same kind of server.

use liability_model::{Category, Evidence, FileFacts, Finding};

/// A source file importing a client of a server kind.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct ClientUse {
    pub subject: &'static str,
    pub path: String,
    pub line: u32,
    pub import: String,
}

/// Import path prefixes (segment-aware) and the server they talk to.
const CLIENTS: &[(&str, &str)] = &[
    ("tokio_postgres", "postgres"),
    ("postgres", "postgres"),
    ("deadpool_postgres", "postgres"),
    ("bb8_postgres", "postgres"),
    ("r2d2_postgres", "postgres"),
    ("sqlx::postgres", "postgres"),
    ("sqlx::PgPool", "postgres"),
    ("sqlx::PgConnection", "postgres"),
    ("diesel::pg", "postgres"),
    ("diesel::PgConnection", "postgres"),
    ("sea_orm::DatabaseBackend::Postgres", "postgres"),
    ("mysql", "mysql"),
    ("mysql_async", "mysql"),
    ("sqlx::mysql", "mysql"),
    ("sqlx::MySqlPool", "mysql"),
    ("diesel::mysql", "mysql"),
    ("mongodb", "mongodb"),
    ("redis", "redis"),
    ("deadpool_redis", "redis"),
    ("bb8_redis", "redis"),
    ("fred", "redis"),
    ("memcache", "memcached"),
    ("lapin", "rabbitmq"),
    ("amiquip", "rabbitmq"),
    ("rdkafka", "kafka"),
    ("kafka", "kafka"),
    ("async_nats", "nats"),
    ("nats", "nats"),
    ("elasticsearch", "elasticsearch"),
    ("opensearch", "opensearch"),
    ("rumqttc", "mosquitto"),
    ("lettre::transport::smtp", "smtp"),
    ("lettre::SmtpTransport", "smtp"),
    ("lettre::AsyncSmtpTransport", "smtp"),
];

/// The server client an import path names, if any.
pub fn client_subject(path: &str) -> Option<&'static str> {
    CLIENTS.iter().find_map(|&(prefix, subject)| {
        let hit =
            path == prefix || (path.starts_with(prefix) && path[prefix.len()..].starts_with("::"));
        hit.then_some(subject)
    })
}

/// The server-client imports of one file (first per server kind).
pub fn clients_of(facts: &FileFacts) -> Vec<ClientUse> {
    let mut out: Vec<ClientUse> = Vec::new();
    for import in &facts.imports {
        if let Some(subject) = client_subject(&import.path)
            && !out.iter().any(|c| c.subject == subject)
        {
            out.push(ClientUse {
                subject,
                path: facts.path.clone(),
                line: import.line,
                import: import.path.clone(),
            });
        }
    }
    out
}

/// Most files named per finding.
const MAX_LINKS: usize = 3;

/// Adds, to each self-managed-infra finding, evidence naming the files that use its server.
pub fn link_clients(findings: &mut [Finding], mut clients: Vec<ClientUse>) {
    clients.sort();
    for finding in findings
        .iter_mut()
        .filter(|f| f.category == Category::SelfManagedInfra)
    {
        let Some(subject) = finding.subject.as_deref() else {
            continue;
        };
        let users: Vec<&ClientUse> = clients.iter().filter(|c| c.subject == subject).collect();
        for user in users.iter().take(MAX_LINKS) {
            finding.evidence.push(Evidence {
                path: Some(user.path.clone()),
                line: user.line,
                rule: finding.rule,
                message: format!(
                    "the code that uses it: `{}` is imported in {}",
                    user.import, user.path
                ),
            });
        }
        if users.len() > MAX_LINKS {
            let last = users[MAX_LINKS];
            finding.evidence.push(Evidence {
                path: Some(last.path.clone()),
                line: last.line,
                rule: finding.rule,
                message: format!(
                    "and {} more files import a {subject} client",
                    users.len() - MAX_LINKS
                ),
            });
        }
        finding.evidence.sort();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn client_imports_are_segment_aware() {
        assert_eq!(client_subject("redis::AsyncCommands"), Some("redis"));
        assert_eq!(client_subject("deadpool_redis::Pool"), Some("redis"));
        assert_eq!(
            client_subject("sqlx::postgres::PgPoolOptions"),
            Some("postgres")
        );
        assert_eq!(client_subject("tokio_postgres::NoTls"), Some("postgres"));
        assert_eq!(client_subject("redis_like::x"), None);
        assert_eq!(client_subject("sqlx::sqlite::SqlitePool"), None);
    }
}
