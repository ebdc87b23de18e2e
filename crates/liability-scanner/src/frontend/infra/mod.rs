//! The infrastructure front-end: Dockerfiles, compose files, Kubernetes manifests, Helm charts,
//! Terraform, systemd units, crontabs and Ansible playbooks in, `InfraServer` facts out.
//!
//! Each file kind has its own reader; all of them produce the servers the team runs itself
//! (one `InfraServer` per declaration and server kind) for the `self-managed-infra` rules.
//! Infrastructure files are counted on their own `infrastructure` language line and are not
//! part of the code lines the build cost is priced from.

pub mod catalogue;
pub mod dockerfile;
pub mod manifests;
pub mod terraform;
pub mod units;
pub mod yaml;

use crate::lines;
use crate::source::Rejected;
use liability_model::{FileFacts, InfraServer, InfraSource, Language, LineSpan};

/// The servers found in one file, in order of first sight.
#[derive(Debug, Clone)]
pub struct Servers {
    pub source: InfraSource,
    pub list: Vec<InfraServer>,
}

impl Servers {
    pub fn new(source: InfraSource) -> Self {
        Servers {
            source,
            list: Vec::new(),
        }
    }

    /// Adds a signal to the unnamed server `subject`.
    pub fn add(&mut self, subject: &str, line: u32, message: String) {
        self.add_at("", subject, LineSpan::new(line, line), line, message);
    }

    /// Adds a signal at `line` to server `subject` of declaration `name`, whose lines cover
    /// `span`.
    pub fn add_at(
        &mut self,
        name: &str,
        subject: &str,
        span: LineSpan,
        line: u32,
        message: String,
    ) {
        let span = span.union(LineSpan::new(line, line));
        if let Some(server) = self
            .list
            .iter_mut()
            .find(|s| s.name == name && s.subject == subject)
        {
            server.span = server.span.union(span);
            if !server.signals.iter().any(|(_, m)| *m == message) {
                server.signals.push((line, message));
            }
            return;
        }
        self.list.push(InfraServer {
            source: self.source,
            subject: subject.to_owned(),
            name: name.to_owned(),
            span,
            signals: vec![(line, message)],
        });
    }
}

/// The kinds of infrastructure file, from the name alone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InfraKind {
    Dockerfile,
    Yaml,
    Terraform,
    SystemdUnit,
    Crontab,
}

/// The infrastructure kind of a file name, if any.
pub fn kind_of(path: &std::path::Path) -> Option<InfraKind> {
    let name = path.file_name()?.to_str()?.to_ascii_lowercase();
    let ext = name.rsplit_once('.').map(|(_, e)| e);
    if matches!(ext, Some("md" | "txt" | "rs" | "json")) && !name.ends_with(".dockerfile") {
        return None;
    }
    if name == "dockerfile"
        || name == "containerfile"
        || name.starts_with("dockerfile.")
        || name.starts_with("containerfile.")
        || name.ends_with(".dockerfile")
        || name.ends_with(".containerfile")
    {
        return Some(InfraKind::Dockerfile);
    }
    match ext {
        Some("yml" | "yaml") => return Some(InfraKind::Yaml),
        Some("tf") => return Some(InfraKind::Terraform),
        Some("service" | "timer") => return Some(InfraKind::SystemdUnit),
        Some("crontab" | "cron") => return Some(InfraKind::Crontab),
        _ => {}
    }
    let in_cron_d = path
        .parent()
        .and_then(|p| p.file_name())
        .and_then(|n| n.to_str())
        == Some("cron.d");
    if name == "crontab" || (in_cron_d && ext.is_none()) {
        return Some(InfraKind::Crontab);
    }
    None
}

/// What reading one infrastructure file gave.
pub struct Read {
    pub facts: FileFacts,
    /// Set when only part of the file could be read (the reason).
    pub partial: Option<String>,
    /// False for a YAML file that is none of the infrastructure kinds (not counted).
    pub counted: bool,
}

/// Reads one infrastructure file.
pub fn extract(kind: InfraKind, rel_path: &str, text: &str) -> Result<Read, Rejected> {
    let syntax = if kind == InfraKind::Terraform {
        &lines::HCL
    } else {
        &lines::HASH
    };
    let (counts, prefix) = lines::count(text, syntax);
    let file_name = rel_path.rsplit('/').next().unwrap_or(rel_path);
    let mut partial = None;
    let mut counted = true;
    let servers = match kind {
        InfraKind::Dockerfile => dockerfile::extract(text).list,
        InfraKind::Terraform => terraform::extract(text)?.list,
        InfraKind::SystemdUnit => units::systemd(file_name, text).list,
        InfraKind::Crontab => units::crontab(file_name, text).list,
        InfraKind::Yaml => {
            let read = manifests::extract(rel_path, text)?;
            partial = read.partial;
            counted = read.kind.is_some();
            read.servers
        }
    };
    let mut infra = servers;
    infra.sort_by(|a, b| (a.span, &a.subject, &a.name).cmp(&(b.span, &b.subject, &b.name)));
    let mut facts = FileFacts::new(rel_path, Language::Infrastructure, counts, prefix);
    facts.infra = infra;
    Ok(Read {
        facts,
        partial,
        counted,
    })
}

/// Line numbers (1-based) of byte offsets in a text.
pub struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    pub fn new(text: &str) -> Self {
        let mut starts = vec![0];
        starts.extend(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1));
        LineIndex { starts }
    }

    /// The line of byte `offset`.
    pub fn line(&self, offset: usize) -> u32 {
        let idx = self.starts.partition_point(|&s| s <= offset);
        u32::try_from(idx).unwrap_or(u32::MAX).max(1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    #[test]
    fn kinds_from_names() {
        let k = |p: &str| kind_of(Path::new(p));
        assert_eq!(k("Dockerfile"), Some(InfraKind::Dockerfile));
        assert_eq!(k("docker/Dockerfile.prod"), Some(InfraKind::Dockerfile));
        assert_eq!(k("api.dockerfile"), Some(InfraKind::Dockerfile));
        assert_eq!(k("Containerfile"), Some(InfraKind::Dockerfile));
        assert_eq!(k("compose.yaml"), Some(InfraKind::Yaml));
        assert_eq!(k("infra/main.tf"), Some(InfraKind::Terraform));
        assert_eq!(k("deploy/app.service"), Some(InfraKind::SystemdUnit));
        assert_eq!(k("etc/cron.d/backup"), Some(InfraKind::Crontab));
        assert_eq!(k("crontab"), Some(InfraKind::Crontab));
        assert_eq!(k("src/main.rs"), None);
        assert_eq!(k("docs/Dockerfile.md"), None);
        assert_eq!(k("etc/cron.d/README.md"), None);
    }

    #[test]
    fn line_index() {
        let idx = LineIndex::new("a\nbc\n\nd");
        assert_eq!(idx.line(0), 1);
        assert_eq!(idx.line(2), 2);
        assert_eq!(idx.line(5), 3);
        assert_eq!(idx.line(6), 4);
    }
}
