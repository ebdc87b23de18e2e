//! What names a server: container images, OS packages, executables and ports, mapped to the
//! server `subject` ids of `liability_model::SUBJECTS`.

/// Image repository names (the last path segment, no tag) and the server they run.
const IMAGES: &[(&str, &str)] = &[
    ("postgres", "postgres"),
    ("postgresql", "postgres"),
    ("postgis", "postgres"),
    ("timescaledb", "postgres"),
    ("timescaledb-ha", "postgres"),
    ("spilo", "postgres"),
    ("mysql", "mysql"),
    ("mysql-server", "mysql"),
    ("percona-server", "mysql"),
    ("mariadb", "mariadb"),
    ("mongo", "mongodb"),
    ("mongodb", "mongodb"),
    ("mongodb-community-server", "mongodb"),
    ("cassandra", "cassandra"),
    ("couchdb", "couchdb"),
    ("clickhouse-server", "clickhouse"),
    ("influxdb", "influxdb"),
    ("neo4j", "neo4j"),
    ("redis", "redis"),
    ("redis-stack", "redis"),
    ("redis-stack-server", "redis"),
    ("keydb", "redis"),
    ("valkey", "valkey"),
    ("memcached", "memcached"),
    ("rabbitmq", "rabbitmq"),
    ("kafka", "kafka"),
    ("cp-kafka", "kafka"),
    ("redpanda", "kafka"),
    ("zookeeper", "zookeeper"),
    ("cp-zookeeper", "zookeeper"),
    ("nats", "nats"),
    ("activemq", "activemq"),
    ("activemq-artemis", "activemq"),
    ("eclipse-mosquitto", "mosquitto"),
    ("elasticsearch", "elasticsearch"),
    ("opensearch", "opensearch"),
    ("solr", "solr"),
    ("nginx", "nginx"),
    ("nginx-unprivileged", "nginx"),
    ("openresty", "nginx"),
    ("controller", "nginx"), // registry.k8s.io/ingress-nginx/controller; checked with its path
    ("haproxy", "haproxy"),
    ("haproxy-ingress", "haproxy"),
    ("traefik", "traefik"),
    ("envoy", "envoy"),
    ("httpd", "httpd"),
    ("postfix", "smtp"),
    ("exim4", "smtp"),
    ("docker-mailserver", "smtp"),
    ("minio", "minio"),
];

/// OS packages (apt, apk, yum, dnf, zypper, Ansible) that install a server.
const PACKAGES: &[(&str, &str)] = &[
    ("postgresql", "postgres"),
    ("postgresql-server", "postgres"),
    ("postgresql-contrib", "postgres"),
    ("mysql-server", "mysql"),
    ("mysql-community-server", "mysql"),
    ("percona-server-server", "mysql"),
    ("mariadb-server", "mariadb"),
    ("mariadb", "mariadb"),
    ("mongodb-org", "mongodb"),
    ("mongodb-org-server", "mongodb"),
    ("mongodb-server", "mongodb"),
    ("cassandra", "cassandra"),
    ("couchdb", "couchdb"),
    ("clickhouse-server", "clickhouse"),
    ("influxdb", "influxdb"),
    ("influxdb2", "influxdb"),
    ("neo4j", "neo4j"),
    ("redis", "redis"),
    ("redis-server", "redis"),
    ("valkey", "valkey"),
    ("valkey-server", "valkey"),
    ("memcached", "memcached"),
    ("rabbitmq-server", "rabbitmq"),
    ("kafka", "kafka"),
    ("zookeeper", "zookeeper"),
    ("zookeeperd", "zookeeper"),
    ("nats-server", "nats"),
    ("activemq", "activemq"),
    ("mosquitto", "mosquitto"),
    ("elasticsearch", "elasticsearch"),
    ("opensearch", "opensearch"),
    ("solr", "solr"),
    ("nginx", "nginx"),
    ("nginx-full", "nginx"),
    ("nginx-light", "nginx"),
    ("nginx-extras", "nginx"),
    ("openresty", "nginx"),
    ("haproxy", "haproxy"),
    ("traefik", "traefik"),
    ("envoy", "envoy"),
    ("apache2", "httpd"),
    ("httpd", "httpd"),
    ("cron", "cron"),
    ("cronie", "cron"),
    ("dcron", "cron"),
    ("busybox-cron", "cron"),
    ("postfix", "smtp"),
    ("exim4", "smtp"),
    ("exim", "smtp"),
    ("exim4-daemon-light", "smtp"),
    ("sendmail", "smtp"),
    ("opensmtpd", "smtp"),
    ("minio", "minio"),
];

/// Executables that are the server process itself (`CMD`, `ExecStart=`, `command:`).
const BINARIES: &[(&str, &str)] = &[
    ("postgres", "postgres"),
    ("postmaster", "postgres"),
    ("pg_ctl", "postgres"),
    ("pg_ctlcluster", "postgres"),
    ("mysqld", "mysql"),
    ("mysqld_safe", "mysql"),
    ("mariadbd", "mariadb"),
    ("mongod", "mongodb"),
    ("redis-server", "redis"),
    ("valkey-server", "valkey"),
    ("memcached", "memcached"),
    ("rabbitmq-server", "rabbitmq"),
    ("kafka-server-start.sh", "kafka"),
    ("kafka-server-start", "kafka"),
    ("zookeeper-server-start.sh", "zookeeper"),
    ("zkServer.sh", "zookeeper"),
    ("nats-server", "nats"),
    ("mosquitto", "mosquitto"),
    ("elasticsearch", "elasticsearch"),
    ("opensearch", "opensearch"),
    ("solr", "solr"),
    ("nginx", "nginx"),
    ("openresty", "nginx"),
    ("haproxy", "haproxy"),
    ("traefik", "traefik"),
    ("envoy", "envoy"),
    ("httpd", "httpd"),
    ("apache2", "httpd"),
    ("apachectl", "httpd"),
    ("cron", "cron"),
    ("crond", "cron"),
    ("supercronic", "cron"),
    ("postfix", "smtp"),
    ("master", "smtp"), // /usr/lib/postfix/sbin/master, checked with its path
    ("exim", "smtp"),
    ("exim4", "smtp"),
    ("sendmail", "smtp"),
    ("minio", "minio"),
];

/// Well-known listening ports.
const PORTS: &[(u16, &str)] = &[
    (5432, "postgres"),
    (3306, "mysql"),
    (27017, "mongodb"),
    (9042, "cassandra"),
    (5984, "couchdb"),
    (8123, "clickhouse"),
    (8086, "influxdb"),
    (7687, "neo4j"),
    (6379, "redis"),
    (11211, "memcached"),
    (5672, "rabbitmq"),
    (15672, "rabbitmq"),
    (9092, "kafka"),
    (2181, "zookeeper"),
    (4222, "nats"),
    (61616, "activemq"),
    (1883, "mosquitto"),
    (9200, "elasticsearch"),
    (8983, "solr"),
    (80, "nginx"),
    (443, "nginx"),
    (25, "smtp"),
    (587, "smtp"),
    (9000, "minio"),
];

/// The server an image reference runs: `docker.io/library/postgres:16-alpine` → `postgres`,
/// `bitnami/redis@sha256:..` → `redis`. Registry, namespace, tag and digest are ignored; a
/// `-alpine`-style suffix on the name itself is not (no image is named that way).
pub fn image_subject(image: &str) -> Option<&'static str> {
    let image = image.trim().trim_matches(['"', '\'']);
    let without_digest = image.split('@').next().unwrap_or(image);
    let last = without_digest.rsplit('/').next().unwrap_or(without_digest);
    let name = last.split(':').next().unwrap_or(last).to_ascii_lowercase();
    let subject = IMAGES.iter().find(|(n, _)| *n == name).map(|&(_, s)| s)?;
    // `controller` alone is too generic: only ingress-nginx's.
    if name == "controller" && !without_digest.contains("ingress-nginx") {
        return None;
    }
    Some(subject)
}

/// The server an OS package installs: `postgresql-16` → `postgres`, `redis-server` → `redis`.
/// Client and library packages (`postgresql-client`, `libpq-dev`, `redis-tools`) are not
/// servers.
pub fn package_subject(package: &str) -> Option<&'static str> {
    let p = package.trim().to_ascii_lowercase();
    // Strip a version pin: `nginx=1.24*`, `redis-server>=7`, `postgresql@16`.
    let p = p
        .split(['=', '<', '>', '@'])
        .next()
        .unwrap_or_default()
        .trim_end_matches('*');
    if let Some(&(_, s)) = PACKAGES.iter().find(|(n, _)| *n == p) {
        return Some(s);
    }
    // Versioned server packages: `postgresql-16`, `postgresql16-server`, `mysql-server-8.0`.
    // Debian names the server `postgresql-16`; Red Hat and Amazon Linux name the *client*
    // `postgresql15` and the server `postgresql15-server`.
    let versioned =
        |rest: &str| !rest.is_empty() && rest.chars().all(|c| c.is_ascii_digit() || c == '.');
    for (base, subject) in [
        ("postgresql", "postgres"),
        ("mysql-server", "mysql"),
        ("mariadb-server", "mariadb"),
    ] {
        if let Some(rest) = p.strip_prefix(base) {
            if let Some(v) = rest.strip_prefix('-') {
                if versioned(v) || v.strip_suffix("-server").is_some_and(versioned) {
                    return Some(subject);
                }
            } else if rest.strip_suffix("-server").is_some_and(versioned) {
                return Some(subject);
            }
        }
    }
    None
}

/// The server an executable is: `/usr/sbin/nginx` → `nginx`, `redis-server` → `redis`.
pub fn binary_subject(command: &str) -> Option<&'static str> {
    let command = command.trim().trim_matches(['"', '\'', '[', ']', ',']);
    let base = command.rsplit('/').next().unwrap_or(command);
    let subject = BINARIES.iter().find(|(n, _)| *n == base).map(|&(_, s)| s)?;
    if base == "master" && !command.contains("postfix") {
        return None;
    }
    Some(subject)
}

/// The server that usually listens on `port`.
pub fn port_subject(port: u16) -> Option<&'static str> {
    PORTS.iter().find(|(p, _)| *p == port).map(|&(_, s)| s)
}

/// Whether `port` is one `subject` usually listens on.
pub fn is_port_of(port: u16, subject: &str) -> bool {
    PORTS.iter().any(|&(p, s)| p == port && s == subject)
        || (subject == "mariadb" && port == 3306)
        || (subject == "valkey" && port == 6379)
        || (subject == "opensearch" && port == 9200)
        || (matches!(subject, "haproxy" | "traefik" | "envoy" | "httpd")
            && matches!(port, 80 | 443))
}

/// Servers installed by a shell command line: `apt-get install -y postgresql redis-server`,
/// `apk add --no-cache nginx`, `yum -y install mariadb-server`. Returns each package found.
pub fn installed_packages(shell: &str) -> Vec<(&'static str, String)> {
    let mut out = Vec::new();
    for command in shell.split(['&', ';', '|', '\n']) {
        let words: Vec<&str> = command.split_whitespace().collect();
        let Some(at) = words.iter().position(|w| {
            matches!(
                *w,
                "apt-get"
                    | "apt"
                    | "apk"
                    | "yum"
                    | "dnf"
                    | "microdnf"
                    | "zypper"
                    | "brew"
                    | "pacman"
            )
        }) else {
            continue;
        };
        let rest = &words[at + 1..];
        let Some(verb) = rest
            .iter()
            .position(|w| matches!(*w, "install" | "add" | "in" | "-S"))
        else {
            continue;
        };
        for word in &rest[verb + 1..] {
            if word.starts_with('-') || word.starts_with('$') {
                continue;
            }
            let word = word.trim_matches(['"', '\'', '\\']);
            if let Some(subject) = package_subject(word) {
                out.push((subject, word.to_owned()));
            }
        }
    }
    out
}

/// Servers started by a shell command line: `systemctl enable --now redis-server`,
/// `service postgresql start`, or a server executable run directly.
pub fn started_services(shell: &str) -> Vec<(&'static str, String)> {
    let mut out = Vec::new();
    for command in shell.split(['&', ';', '|', '\n']) {
        let words: Vec<&str> = command.split_whitespace().collect();
        if let Some(at) = words
            .iter()
            .position(|w| *w == "systemctl" || *w == "service" || *w == "rc-service")
        {
            for word in &words[at + 1..] {
                let word = word.trim_end_matches(".service");
                if let Some(subject) = package_subject(word).or_else(|| binary_subject(word)) {
                    out.push((subject, word.to_owned()));
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn images_ignore_registry_tag_and_digest() {
        assert_eq!(image_subject("postgres:16-alpine"), Some("postgres"));
        assert_eq!(
            image_subject("docker.io/library/redis:7@sha256:abc"),
            Some("redis")
        );
        assert_eq!(image_subject("bitnami/postgresql:15"), Some("postgres"));
        assert_eq!(
            image_subject("registry.k8s.io/ingress-nginx/controller:v1.9.4"),
            Some("nginx")
        );
        assert_eq!(image_subject("my.registry:5000/team/controller:1"), None);
        assert_eq!(image_subject("public.ecr.aws/lambda/provided:al2"), None);
        assert_eq!(image_subject("rust:1.90"), None);
    }

    #[test]
    fn packages_tell_servers_from_clients() {
        assert_eq!(package_subject("postgresql-16"), Some("postgres"));
        assert_eq!(package_subject("postgresql15-server"), Some("postgres"));
        assert_eq!(package_subject("nginx=1.24*"), Some("nginx"));
        assert_eq!(package_subject("postgresql-client"), None);
        assert_eq!(package_subject("postgresql-client-16"), None);
        assert_eq!(package_subject("libpq-dev"), None);
        assert_eq!(package_subject("postgresql15"), None);
        assert_eq!(package_subject("redis-tools"), None);
    }

    #[test]
    fn install_commands_are_split_and_read() {
        let found = installed_packages(
            "apt-get update && apt-get install -y --no-install-recommends postgresql-16 curl redis-server",
        );
        let subjects: Vec<_> = found.iter().map(|(s, _)| *s).collect();
        assert_eq!(subjects, ["postgres", "redis"]);
        assert!(installed_packages("pip install nginx").is_empty());
        assert_eq!(
            started_services("systemctl enable --now nginx.service")[0].0,
            "nginx"
        );
        assert_eq!(binary_subject("/usr/lib/postfix/sbin/master"), Some("smtp"));
        assert_eq!(binary_subject("/opt/app/master"), None);
    }
}
