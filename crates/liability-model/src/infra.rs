//! Infrastructure facts: the servers a repository's infrastructure files say the team runs.
//!
//! An infrastructure front-end (Dockerfile, compose, Kubernetes, Helm, Terraform, systemd,
//! crontab, Ansible) turns each file into `InfraServer` values; the `self-managed-infra` rules
//! report them. The catalogue of server kinds (`subject` ids and their `ServerClass`) lives here
//! so that the scanner and the liability model agree on it.

use crate::finding::LineSpan;

/// The kind of file an infrastructure fact was read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum InfraSource {
    Dockerfile,
    Compose,
    Kubernetes,
    Helm,
    Terraform,
    Systemd,
    Crontab,
    Ansible,
}

impl InfraSource {
    /// The stable lowercase id.
    pub const fn id(self) -> &'static str {
        match self {
            InfraSource::Dockerfile => "dockerfile",
            InfraSource::Compose => "compose",
            InfraSource::Kubernetes => "kubernetes",
            InfraSource::Helm => "helm",
            InfraSource::Terraform => "terraform",
            InfraSource::Systemd => "systemd",
            InfraSource::Crontab => "crontab",
            InfraSource::Ansible => "ansible",
        }
    }
}

/// What kind of server it is, which decides its operations load and its replacement.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ServerClass {
    Database,
    Broker,
    Cache,
    Search,
    Gateway,
    SchedulerHost,
    MailServer,
    ObjectStore,
    ComputeFleet,
}

impl ServerClass {
    /// Every class, in the order above.
    pub const ALL: [ServerClass; 9] = [
        ServerClass::Database,
        ServerClass::Broker,
        ServerClass::Cache,
        ServerClass::Search,
        ServerClass::Gateway,
        ServerClass::SchedulerHost,
        ServerClass::MailServer,
        ServerClass::ObjectStore,
        ServerClass::ComputeFleet,
    ];

    /// The stable kebab-case id.
    pub const fn id(self) -> &'static str {
        match self {
            ServerClass::Database => "database",
            ServerClass::Broker => "broker",
            ServerClass::Cache => "cache",
            ServerClass::Search => "search",
            ServerClass::Gateway => "gateway",
            ServerClass::SchedulerHost => "scheduler-host",
            ServerClass::MailServer => "mail-server",
            ServerClass::ObjectStore => "object-store",
            ServerClass::ComputeFleet => "compute-fleet",
        }
    }

    /// The class of a server `subject` id, `None` for an unknown subject.
    pub fn of_subject(subject: &str) -> Option<ServerClass> {
        SUBJECTS
            .iter()
            .find(|(s, _)| *s == subject)
            .map(|&(_, class)| class)
    }
}

/// Every server kind the scanner reports, with its class. Subjects are stable ids.
pub const SUBJECTS: &[(&str, ServerClass)] = &[
    ("postgres", ServerClass::Database),
    ("mysql", ServerClass::Database),
    ("mariadb", ServerClass::Database),
    ("mongodb", ServerClass::Database),
    ("cassandra", ServerClass::Database),
    ("couchdb", ServerClass::Database),
    ("clickhouse", ServerClass::Database),
    ("influxdb", ServerClass::Database),
    ("neo4j", ServerClass::Database),
    ("redis", ServerClass::Cache),
    ("valkey", ServerClass::Cache),
    ("memcached", ServerClass::Cache),
    ("rabbitmq", ServerClass::Broker),
    ("kafka", ServerClass::Broker),
    ("zookeeper", ServerClass::Broker),
    ("nats", ServerClass::Broker),
    ("activemq", ServerClass::Broker),
    ("mosquitto", ServerClass::Broker),
    ("elasticsearch", ServerClass::Search),
    ("opensearch", ServerClass::Search),
    ("solr", ServerClass::Search),
    ("nginx", ServerClass::Gateway),
    ("haproxy", ServerClass::Gateway),
    ("traefik", ServerClass::Gateway),
    ("envoy", ServerClass::Gateway),
    ("httpd", ServerClass::Gateway),
    ("cron", ServerClass::SchedulerHost),
    ("smtp", ServerClass::MailServer),
    ("minio", ServerClass::ObjectStore),
    ("compute-fleet", ServerClass::ComputeFleet),
];

/// One server an infrastructure file declares that the team runs itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InfraServer {
    pub source: InfraSource,
    /// The server kind, an id of `SUBJECTS`: `postgres`, `redis`, `cron`, `compute-fleet`.
    pub subject: String,
    /// What declares it: `service db`, `StatefulSet postgres`, `aws_instance.web`, `stage 2`.
    pub name: String,
    /// The lines of the declaration.
    pub span: LineSpan,
    /// What was seen, line by line, lowercase, no trailing period.
    pub signals: Vec<(u32, String)>,
}

impl InfraServer {
    /// The class of its subject (compute fleet for an unknown one).
    pub fn class(&self) -> ServerClass {
        ServerClass::of_subject(&self.subject).unwrap_or(ServerClass::ComputeFleet)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn subjects_are_unique_and_classed() {
        let mut seen = std::collections::BTreeSet::new();
        for (s, _) in SUBJECTS {
            assert!(seen.insert(*s), "duplicate subject {s}");
        }
        assert_eq!(ServerClass::of_subject("redis"), Some(ServerClass::Cache));
        assert_eq!(
            ServerClass::of_subject("cron"),
            Some(ServerClass::SchedulerHost)
        );
        assert_eq!(ServerClass::of_subject("nope"), None);
        for class in ServerClass::ALL {
            assert!(
                SUBJECTS.iter().any(|(_, c)| *c == class),
                "{class:?} unused"
            );
        }
    }
}
