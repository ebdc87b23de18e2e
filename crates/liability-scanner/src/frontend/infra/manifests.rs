//! YAML infrastructure: compose files, Kubernetes manifests (and operator resources), Helm
//! charts (templates, `values.yaml`, `Chart.yaml`) and Ansible playbooks.
//!
//! Which of these a YAML file is gets decided cheaply: first by name (`compose.yaml`,
//! `Chart.yaml`, `values.yaml`, a `templates/` folder), then by the shape of its documents
//! (`apiVersion` + `kind`, a `services` map, a list of plays with `hosts`). Other YAML files
//! (CI workflows, OpenAPI documents, app configuration) produce nothing and are not counted.

use super::Servers;
use super::catalogue::{binary_subject, image_subject, is_port_of, package_subject};
use super::yaml::{NodeId, Yaml};
use crate::source::Rejected;
use liability_model::{InfraSource, LineSpan, SkipReason};

/// The YAML infrastructure kinds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum YamlKind {
    Compose,
    Kubernetes,
    HelmTemplate,
    HelmValues,
    HelmChart,
    Ansible,
}

/// What reading a YAML file gave.
pub struct YamlRead {
    pub kind: Option<YamlKind>,
    pub servers: Vec<liability_model::InfraServer>,
    pub partial: Option<String>,
}

/// Operators' custom resources that declare a server cluster: (API group, kind, subject).
const OPERATORS: &[(&str, &str, &str)] = &[
    ("acid.zalan.do", "postgresql", "postgres"),
    (
        "postgres-operator.crunchydata.com",
        "PostgresCluster",
        "postgres",
    ),
    ("postgresql.cnpg.io", "Cluster", "postgres"),
    ("kafka.strimzi.io", "Kafka", "kafka"),
    ("rabbitmq.com", "RabbitmqCluster", "rabbitmq"),
    (
        "elasticsearch.k8s.elastic.co",
        "Elasticsearch",
        "elasticsearch",
    ),
    ("opensearch.opster.io", "OpenSearchCluster", "opensearch"),
    (
        "mongodbcommunity.mongodb.com",
        "MongoDBCommunity",
        "mongodb",
    ),
    ("psmdb.percona.com", "PerconaServerMongoDB", "mongodb"),
    ("databases.spotahome.com", "RedisFailover", "redis"),
    ("redis.redis.opstreelabs.in", "Redis", "redis"),
    ("redis.redis.opstreelabs.in", "RedisCluster", "redis"),
    ("mysql.oracle.com", "InnoDBCluster", "mysql"),
    ("pxc.percona.com", "PerconaXtraDBCluster", "mysql"),
    ("k8s.mariadb.com", "MariaDB", "mariadb"),
    ("minio.min.io", "Tenant", "minio"),
];

/// Workload kinds whose pods run containers.
const WORKLOADS: &[&str] = &[
    "Deployment",
    "StatefulSet",
    "DaemonSet",
    "ReplicaSet",
    "ReplicationController",
    "Pod",
    "CronJob",
];

/// Reads one YAML file.
pub fn extract(rel_path: &str, text: &str) -> Result<YamlRead, Rejected> {
    let lower = rel_path.to_ascii_lowercase();
    let file = lower.rsplit('/').next().unwrap_or(&lower);
    let in_templates = lower.starts_with("templates/") || lower.contains("/templates/");
    let by_name = if file.starts_with("docker-compose") || file.starts_with("compose") {
        Some(YamlKind::Compose)
    } else if file == "chart.yaml" {
        Some(YamlKind::HelmChart)
    } else if file == "values.yaml" || (file.starts_with("values-") && file.ends_with(".yaml")) {
        Some(YamlKind::HelmValues)
    } else if in_templates && text.contains("{{") {
        Some(YamlKind::HelmTemplate)
    } else {
        None
    };
    if by_name.is_none() && !looks_like_infra(text) {
        return Ok(YamlRead {
            kind: None,
            servers: Vec::new(),
            partial: None,
        });
    }
    if by_name == Some(YamlKind::HelmTemplate) {
        return Ok(helm_template(text));
    }
    let yaml = Yaml::parse(text).map_err(|detail| Rejected {
        reason: SkipReason::ParseError,
        detail,
    })?;
    let kind = by_name.or_else(|| classify(&yaml, &lower));
    let mut servers = match kind {
        Some(YamlKind::Compose) => compose(&yaml),
        Some(YamlKind::Kubernetes) => kubernetes(&yaml, InfraSource::Kubernetes),
        Some(YamlKind::HelmValues) => helm_values(&yaml),
        Some(YamlKind::HelmChart) => helm_chart(&yaml),
        Some(YamlKind::Ansible) => ansible(&yaml),
        Some(YamlKind::HelmTemplate) | None => Servers::new(InfraSource::Kubernetes),
    };
    let partial = yaml.exhausted().then(|| {
        "partly read: alias references exceed the expansion budget (an alias bomb?)".to_owned()
    });
    Ok(YamlRead {
        kind,
        servers: std::mem::take(&mut servers.list),
        partial,
    })
}

/// A cheap look at the text before parsing: the keys every infrastructure kind has.
fn looks_like_infra(text: &str) -> bool {
    text.lines().any(|l| {
        let t = l.trim_start_matches([' ', '-']);
        [
            "apiVersion:",
            "kind:",
            "services:",
            "hosts:",
            "tasks:",
            "image:",
        ]
        .iter()
        .any(|k| t.starts_with(k))
    })
}

fn classify(yaml: &Yaml, path: &str) -> Option<YamlKind> {
    let ansible_path = ["tasks/", "handlers/", "playbook", "roles/", "ansible"]
        .iter()
        .any(|p| path.contains(p));
    for &doc in &yaml.docs {
        if yaml.path_str(doc, &["apiVersion"]).is_some() && yaml.path_str(doc, &["kind"]).is_some()
        {
            return Some(YamlKind::Kubernetes);
        }
        if yaml.get(doc, "services").is_some_and(|s| yaml.is_map(s)) {
            return Some(YamlKind::Compose);
        }
        let items = yaml.seq(doc);
        if items.iter().any(|&p| yaml.get(p, "hosts").is_some())
            || (ansible_path && items.iter().any(|&t| yaml.is_map(t)))
        {
            return Some(YamlKind::Ansible);
        }
    }
    None
}

/// Compose: each service whose image (or command) is a server.
fn compose(yaml: &Yaml) -> Servers {
    let mut out = Servers::new(InfraSource::Compose);
    for &doc in &yaml.docs {
        let Some(services) = yaml.get(doc, "services") else {
            continue;
        };
        for (name, key, service) in yaml.entries(services) {
            let span = LineSpan::new(yaml.line(key), yaml.end(service));
            let id = format!("service {name}");
            let image_node = yaml.get(service, "image");
            let image = image_node.and_then(|n| yaml.str(n));
            let from_image = image.and_then(image_subject);
            let command = yaml.get(service, "command").and_then(|c| {
                yaml.str(c)
                    .map(|s| s.split_whitespace().next().unwrap_or_default().to_owned())
                    .or_else(|| {
                        yaml.seq(c)
                            .first()
                            .and_then(|&w| yaml.str(w))
                            .map(str::to_owned)
                    })
            });
            let from_command = command.as_deref().and_then(binary_subject);
            let Some(subject) = from_image.or(from_command) else {
                continue;
            };
            match (image, image_node) {
                (Some(image), Some(node)) if from_image.is_some() => out.add_at(
                    &id,
                    subject,
                    span,
                    yaml.line(node),
                    format!("service `{name}` runs the server image `{image}`"),
                ),
                _ => out.add_at(
                    &id,
                    subject,
                    span,
                    yaml.line(key),
                    format!("service `{name}` runs `{}`", command.unwrap_or_default()),
                ),
            }
            if let Some(volumes) = yaml.get(service, "volumes") {
                for &v in yaml.seq(volumes) {
                    let text = yaml
                        .str(v)
                        .map(str::to_owned)
                        .or_else(|| {
                            let source = yaml.path_str(v, &["source"]).unwrap_or_default();
                            let target = yaml.path_str(v, &["target"])?;
                            Some(format!("{source}:{target}"))
                        })
                        .unwrap_or_default();
                    if !text.is_empty() {
                        out.add_at(
                            &id,
                            subject,
                            span,
                            yaml.line(v),
                            format!("keeps state in the volume `{text}` (backups are yours)"),
                        );
                        break;
                    }
                }
            }
            if let Some(ports) = yaml.get(service, "ports") {
                for &p in yaml.seq(ports) {
                    let text = yaml.str(p).unwrap_or_default();
                    let container = text
                        .rsplit(':')
                        .next()
                        .unwrap_or_default()
                        .split('/')
                        .next()
                        .unwrap_or_default();
                    if container
                        .parse::<u16>()
                        .is_ok_and(|port| is_port_of(port, subject))
                    {
                        out.add_at(
                            &id,
                            subject,
                            span,
                            yaml.line(p),
                            format!("publishes port `{text}`"),
                        );
                        break;
                    }
                }
            }
        }
    }
    out
}

/// The pod spec of a workload document.
fn pod_spec(yaml: &Yaml, doc: NodeId, kind: &str) -> Option<NodeId> {
    match kind {
        "Pod" => yaml.get(doc, "spec"),
        "CronJob" => yaml.path(doc, &["spec", "jobTemplate", "spec", "template", "spec"]),
        _ => yaml.path(doc, &["spec", "template", "spec"]),
    }
}

/// Kubernetes manifests (also rendered-enough Helm templates).
fn kubernetes(yaml: &Yaml, source: InfraSource) -> Servers {
    let mut out = Servers::new(source);
    let mut claims = Vec::new();
    for &doc in &yaml.docs {
        let Some(kind) = yaml.path_str(doc, &["kind"]) else {
            continue;
        };
        let api = yaml.path_str(doc, &["apiVersion"]).unwrap_or_default();
        let name = yaml
            .path_str(doc, &["metadata", "name"])
            .unwrap_or("(unnamed)");
        let span = LineSpan::new(yaml.line(doc), yaml.end(doc));
        let kind_line = yaml.get(doc, "kind").map_or(span.start, |k| yaml.line(k));
        let id = format!("{kind} {name}");
        if kind == "PersistentVolumeClaim" {
            claims.push((kind_line, name.to_owned()));
            continue;
        }
        if let Some(&(_, _, subject)) = OPERATORS
            .iter()
            .find(|(group, k, _)| *k == kind && api.split('/').next() == Some(*group))
        {
            out.add_at(
                &id,
                subject,
                span,
                kind_line,
                format!("declares a `{kind}` cluster through its operator ({api})"),
            );
            continue;
        }
        if !WORKLOADS.contains(&kind) {
            continue;
        }
        if kind == "CronJob" {
            let schedule = yaml.path(doc, &["spec", "schedule"]);
            let line = schedule.map_or(kind_line, |s| yaml.line(s));
            let when = schedule.and_then(|s| yaml.str(s)).unwrap_or("?");
            out.add_at(
                &id,
                "cron",
                span,
                line,
                format!("CronJob `{name}` runs pods on the schedule `{when}`"),
            );
            continue;
        }
        let Some(spec) = pod_spec(yaml, doc, kind) else {
            continue;
        };
        let Some(containers) = yaml.get(spec, "containers") else {
            continue;
        };
        for &c in yaml.seq(containers) {
            let image_node = yaml.get(c, "image");
            let image = image_node.and_then(|n| yaml.str(n)).unwrap_or_default();
            let command = yaml
                .get(c, "command")
                .and_then(|cmd| yaml.seq(cmd).first().and_then(|&w| yaml.str(w)));
            let Some(subject) = image_subject(image).or_else(|| command.and_then(binary_subject))
            else {
                continue;
            };
            let line = image_node.map_or(kind_line, |n| yaml.line(n));
            out.add_at(
                &id,
                subject,
                span,
                line,
                format!("{kind} `{name}` runs the server image `{image}`"),
            );
            if kind == "StatefulSet" || kind == "DaemonSet" {
                out.add_at(
                    &id,
                    subject,
                    span,
                    kind_line,
                    format!("runs as a {kind}, pinned to nodes or volumes the team looks after"),
                );
            }
            if let Some(ports) = yaml.get(c, "ports") {
                for &p in yaml.seq(ports) {
                    let port = yaml.path_str(p, &["containerPort"]).unwrap_or_default();
                    if port
                        .parse::<u16>()
                        .is_ok_and(|port| is_port_of(port, subject))
                    {
                        out.add_at(
                            &id,
                            subject,
                            span,
                            yaml.line(p),
                            format!("listens on port {port}"),
                        );
                        break;
                    }
                }
            }
            if let Some(claims) = yaml.path(doc, &["spec", "volumeClaimTemplates"]) {
                out.add_at(
                    &id,
                    subject,
                    span,
                    yaml.line(claims),
                    "claims persistent volumes (volumeClaimTemplates)".to_owned(),
                );
            }
        }
    }
    // Claims in the same file are the state of its stateful servers.
    if let Some((line, claim)) = claims.first() {
        for server in &mut out.list {
            if server.subject != "cron" && server.subject != "nginx" {
                server.signals.push((
                    *line,
                    format!("the file claims the persistent volume `{claim}`"),
                ));
            }
        }
    }
    out
}

/// Helm `values.yaml`: images set for the chart, and bundled server sub-charts switched on.
fn helm_values(yaml: &Yaml) -> Servers {
    let mut out = Servers::new(InfraSource::Helm);
    for &doc in &yaml.docs {
        for (top, key, value) in yaml.entries(doc) {
            let span = LineSpan::new(yaml.line(key), yaml.end(value));
            let id = format!("values {top}");
            // `postgresql: {enabled: true}`: a bundled sub-chart.
            if let Some(subject) = image_subject(top)
                && yaml.path_str(value, &["enabled"]) == Some("true")
            {
                out.add_at(
                    &id,
                    subject,
                    span,
                    yaml.line(key),
                    format!("enables the bundled `{top}` sub-chart"),
                );
            }
            let mut found = Vec::new();
            yaml.walk(value, 16, &mut |k, v| {
                if (k == "image" || k == "repository")
                    && let Some(image) = yaml.str(v)
                    && let Some(subject) = image_subject(image)
                {
                    found.push((subject, yaml.line(v), image.to_owned()));
                }
            });
            if top == "image"
                && let Some(image) = yaml
                    .str(value)
                    .or_else(|| yaml.path_str(value, &["repository"]))
                && let Some(subject) = image_subject(image)
            {
                found.push((subject, yaml.line(value), image.to_owned()));
            }
            for (subject, line, image) in found {
                out.add_at(
                    &id,
                    subject,
                    span,
                    line,
                    format!("sets the server image `{image}`"),
                );
            }
        }
    }
    out
}

/// `Chart.yaml`: dependencies on server charts (bitnami/postgresql, redis, ...).
fn helm_chart(yaml: &Yaml) -> Servers {
    let mut out = Servers::new(InfraSource::Helm);
    for &doc in &yaml.docs {
        let Some(deps) = yaml.get(doc, "dependencies") else {
            continue;
        };
        for &dep in yaml.seq(deps) {
            let Some(name) = yaml.path_str(dep, &["name"]) else {
                continue;
            };
            let Some(subject) = image_subject(name) else {
                continue;
            };
            let span = LineSpan::new(yaml.line(dep), yaml.end(dep));
            let repo = yaml.path_str(dep, &["repository"]).unwrap_or("?");
            out.add_at(
                &format!("dependency {name}"),
                subject,
                span,
                span.start,
                format!("depends on the server chart `{name}` from {repo}"),
            );
        }
    }
    out
}

/// Modules that install packages, and those that start services (with or without the
/// `ansible.builtin.` prefix).
const INSTALL_MODULES: &[&str] = &[
    "apt", "yum", "dnf", "package", "apk", "zypper", "pacman", "homebrew",
];
const SERVICE_MODULES: &[&str] = &["service", "systemd", "systemd_service"];

/// Ansible: plays and task files whose tasks install or start servers.
fn ansible(yaml: &Yaml) -> Servers {
    let mut out = Servers::new(InfraSource::Ansible);
    for &doc in &yaml.docs {
        for &item in yaml.seq(doc) {
            if let Some(hosts) = yaml.path_str(item, &["hosts"]) {
                let id = format!("play on `{hosts}`");
                for section in ["pre_tasks", "tasks", "post_tasks", "handlers"] {
                    if let Some(tasks) = yaml.get(item, section) {
                        for &task in yaml.seq(tasks) {
                            ansible_task(yaml, task, &id, 0, &mut out);
                        }
                    }
                }
            } else {
                ansible_task(yaml, item, "tasks", 0, &mut out);
            }
        }
    }
    out
}

fn ansible_task(yaml: &Yaml, task: NodeId, id: &str, depth: u32, out: &mut Servers) {
    if depth > 8 {
        return;
    }
    let span = LineSpan::new(yaml.line(task), yaml.end(task));
    let entries = yaml.entries(task);
    let loop_items: Vec<NodeId> = entries
        .iter()
        .find(|(k, _, _)| *k == "loop" || *k == "with_items")
        .map(|&(_, _, v)| yaml.seq(v).to_vec())
        .unwrap_or_default();
    for &(key, _, value) in &entries {
        if matches!(key, "block" | "rescue" | "always") {
            for &inner in yaml.seq(value) {
                ansible_task(yaml, inner, id, depth + 1, out);
            }
            continue;
        }
        let module = key.rsplit('.').next().unwrap_or(key);
        let install = INSTALL_MODULES.contains(&module);
        let service = SERVICE_MODULES.contains(&module);
        if !install && !service {
            continue;
        }
        // Package names: `name:` as a string, a list, or `{{ item }}` over the loop;
        // or the free form `apt: name=postgresql state=present`.
        let mut names: Vec<(String, u32)> = Vec::new();
        if let Some(free) = yaml.str(value)
            && let Some(n) = free
                .split_whitespace()
                .find_map(|w| w.strip_prefix("name="))
        {
            if n.contains("{{") {
                names.extend(
                    loop_items
                        .iter()
                        .filter_map(|&i| yaml.str(i).map(|s| (s.to_owned(), yaml.line(i)))),
                );
            } else {
                names.extend(n.split(',').map(|p| (p.to_owned(), yaml.line(value))));
            }
        }
        for field in ["name", "pkg"] {
            let Some(n) = yaml.get(value, field) else {
                continue;
            };
            if let Some(s) = yaml.str(n) {
                if s.contains("{{") {
                    names.extend(
                        loop_items
                            .iter()
                            .filter_map(|&i| yaml.str(i).map(|s| (s.to_owned(), yaml.line(i)))),
                    );
                } else {
                    names.extend(s.split(',').map(|p| (p.trim().to_owned(), yaml.line(n))));
                }
            }
            names.extend(
                yaml.seq(n)
                    .iter()
                    .filter_map(|&i| yaml.str(i).map(|s| (s.to_owned(), yaml.line(i)))),
            );
        }
        for (name, line) in names {
            let subject = if install {
                package_subject(&name)
            } else {
                package_subject(&name).or_else(|| binary_subject(&name))
            };
            let Some(subject) = subject else {
                continue;
            };
            let message = if install {
                format!("installs the server package `{name}` ({module})")
            } else {
                format!("manages the service `{name}` ({module})")
            };
            out.add_at(id, subject, span, line, message);
        }
    }
}

/// Neutralises Helm template actions line by line so the manifest reads as YAML: a line that
/// holds only actions (`{{- if .Values.x }}`, `{{ include .. | nindent 4 }}`) becomes blank,
/// an action inside a value becomes the placeholder `HELM`. Line numbers are kept.
pub fn neutralise(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut in_action = false;
    for line in text.lines() {
        let mut kept = String::new();
        let mut rest = line;
        let mut had_action = false;
        loop {
            if in_action {
                match rest.find("}}") {
                    Some(i) => {
                        rest = &rest[i + 2..];
                        in_action = false;
                        had_action = true;
                    }
                    None => {
                        had_action = true;
                        break;
                    }
                }
            }
            match rest.find("{{") {
                Some(i) => {
                    kept.push_str(&rest[..i]);
                    rest = &rest[i + 2..];
                    in_action = true;
                    had_action = true;
                    if !kept.trim().is_empty() || rest.contains("}}") {
                        kept.push_str("HELM");
                    }
                }
                None => {
                    kept.push_str(rest);
                    break;
                }
            }
        }
        let only_actions = had_action && kept.replace("HELM", "").trim().is_empty();
        if !only_actions {
            out.push_str(&kept);
        }
        out.push('\n');
    }
    out
}

/// A Helm template: parsed after `neutralise`; when that is still not YAML, its `kind:` and
/// `image:` lines are read one by one and the reading is marked partial.
fn helm_template(text: &str) -> YamlRead {
    let plain = neutralise(text);
    match Yaml::parse(&plain) {
        Ok(yaml) => {
            let mut servers = kubernetes(&yaml, InfraSource::Helm);
            YamlRead {
                kind: Some(YamlKind::HelmTemplate),
                servers: std::mem::take(&mut servers.list),
                partial: yaml
                    .exhausted()
                    .then(|| "partly read: alias expansion budget exhausted".to_owned()),
            }
        }
        Err(error) => {
            let mut out = Servers::new(InfraSource::Helm);
            let mut kind: Option<(u32, String)> = None;
            for (i, line) in plain.lines().enumerate() {
                let n = u32::try_from(i + 1).unwrap_or(u32::MAX);
                let t = line.trim().trim_start_matches("- ");
                if let Some(k) = t.strip_prefix("kind:") {
                    kind = Some((n, k.trim().to_owned()));
                } else if let Some(image) = t.strip_prefix("image:") {
                    let image = image.trim().trim_matches(['"', '\'']);
                    if let (Some(subject), Some((at, k))) = (image_subject(image), &kind) {
                        out.add_at(
                            &format!("{k} (template)"),
                            subject,
                            LineSpan::new(*at, n),
                            n,
                            format!("{k} runs the server image `{image}`"),
                        );
                    }
                }
            }
            YamlRead {
                kind: Some(YamlKind::HelmTemplate),
                servers: out.list,
                partial: Some(format!(
                    "partly read: Helm template is not YAML once its actions are neutralised \
                     ({error}); only `kind:` and `image:` lines were read"
                )),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn servers(path: &str, text: &str) -> Vec<(String, String)> {
        extract(path, text)
            .unwrap()
            .servers
            .into_iter()
            .map(|s| (s.name, s.subject))
            .collect()
    }

    fn pair(a: &str, b: &str) -> (String, String) {
        (a.to_owned(), b.to_owned())
    }

    #[test]
    fn compose_services_with_server_images() {
        let text = "services:\n  app:\n    build: .\n  db:\n    image: postgres:16\n    volumes:\n      - pgdata:/var/lib/postgresql/data\n    ports:\n      - \"5432:5432\"\n  cache:\n    image: redis:7-alpine\nvolumes:\n  pgdata: {}\n";
        let read = extract("docker-compose.yml", text).unwrap();
        assert_eq!(read.kind, Some(YamlKind::Compose));
        let db = &read.servers[0];
        assert_eq!(
            (db.subject.as_str(), db.span),
            ("postgres", LineSpan::new(4, 9))
        );
        assert_eq!(db.signals.len(), 3);
        assert_eq!(read.servers[1].subject, "redis");
    }

    #[test]
    fn kubernetes_workloads_operators_and_cronjobs() {
        let text = "apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: pg\nspec:\n  template:\n    spec:\n      containers:\n        - name: pg\n          image: postgres:16\n          ports:\n            - containerPort: 5432\n---\napiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: nightly\nspec:\n  schedule: \"0 3 * * *\"\n---\napiVersion: kafka.strimzi.io/v1beta2\nkind: Kafka\nmetadata:\n  name: events\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\nspec:\n  template:\n    spec:\n      containers:\n        - name: api\n          image: ghcr.io/acme/api:1\n";
        assert_eq!(
            servers("k8s/app.yaml", text),
            [
                pair("StatefulSet pg", "postgres"),
                pair("CronJob nightly", "cron"),
                pair("Kafka events", "kafka")
            ]
        );
    }

    #[test]
    fn helm_values_chart_and_template() {
        assert_eq!(
            servers(
                "chart/values.yaml",
                "image:\n  repository: ghcr.io/acme/api\npostgresql:\n  enabled: true\ncache:\n  image:\n    repository: bitnami/redis\n    tag: 7\n"
            ),
            [
                pair("values postgresql", "postgres"),
                pair("values cache", "redis")
            ]
        );
        assert_eq!(
            servers(
                "chart/Chart.yaml",
                "apiVersion: v2\nname: app\ndependencies:\n  - name: postgresql\n    repository: oci://registry-1.docker.io/bitnamicharts\n"
            ),
            [pair("dependency postgresql", "postgres")]
        );
        let template = "{{- if .Values.redis.enabled }}\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ include \"app.fullname\" . }}-redis\n  labels:\n    {{- include \"app.labels\" . | nindent 4 }}\nspec:\n  template:\n    spec:\n      containers:\n        - name: redis\n          image: \"redis:{{ .Values.redis.tag }}\"\n{{- end }}\n";
        let read = extract("chart/templates/redis.yaml", template).unwrap();
        assert!(read.partial.is_none());
        assert_eq!(read.servers[0].subject, "redis");
        assert_eq!(read.servers[0].name, "Deployment HELM-redis");
    }

    #[test]
    fn unreadable_helm_template_is_partial_not_fatal() {
        let template = "apiVersion: v1\nkind: Pod\nspec:\n  containers:\n{{ range .Values.sidecars }}\n  - image: memcached:1.6\n   bad: [\n{{ end }}\n";
        let read = extract("c/templates/pod.yaml", template).unwrap();
        assert!(
            read.partial
                .as_deref()
                .is_some_and(|p| p.contains("partly read"))
        );
        assert_eq!(read.servers[0].subject, "memcached");
    }

    #[test]
    fn ansible_installs_and_services() {
        let text = "- hosts: db\n  become: true\n  tasks:\n    - name: install\n      ansible.builtin.apt:\n        name:\n          - postgresql\n          - python3-psycopg2\n    - name: start\n      service: name=postgresql state=started\n    - block:\n        - apt: name={{ item }}\n          loop: [nginx]\n";
        let read = extract("playbook.yml", text).unwrap();
        assert_eq!(read.kind, Some(YamlKind::Ansible));
        let subjects: Vec<_> = read.servers.iter().map(|s| s.subject.as_str()).collect();
        assert_eq!(subjects, ["postgres", "nginx"]);
        assert_eq!(read.servers[0].signals.len(), 2);
    }

    #[test]
    fn other_yaml_is_not_infrastructure() {
        let read = extract("config/app.yaml", "port: 8080\nlog: info\n").unwrap();
        assert!(read.kind.is_none() && read.servers.is_empty());
        // A serverless setup: SAM template, nothing self-managed.
        let sam = "AWSTemplateFormatVersion: '2010-09-09'\nTransform: AWS::Serverless-2016-10-31\nResources:\n  Fn:\n    Type: AWS::Serverless::Function\n";
        assert!(servers("template.yaml", sam).is_empty());
    }

    #[test]
    fn invalid_compose_is_a_parse_error() {
        let err = extract("compose.yaml", "services:\n  db: [\n")
            .err()
            .unwrap();
        assert_eq!(err.reason, SkipReason::ParseError);
    }
}
