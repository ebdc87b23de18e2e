//! Rules for the `self-managed-infra` category: servers the team runs itself, read from its
//! infrastructure files. One rule per kind of file; each reports one finding per server.

pub mod ansible_installs_server;
pub mod compose_service_runs_server;
pub mod container_image_runs_server;
pub mod crontab_host;
pub mod helm_chart_runs_server;
pub mod kubernetes_cronjob;
pub mod kubernetes_workload_runs_server;
pub mod systemd_unit_runs_server;
pub mod terraform_self_managed_compute;

use crate::rules::{Component, Signal, Sink};
use liability_model::{FileFacts, InfraServer, InfraSource};

/// Reports every server of `facts` read from `source` that `pick` accepts.
pub(super) fn report(
    facts: &FileFacts,
    sink: &mut Sink<'_>,
    source: InfraSource,
    pick: impl Fn(&InfraServer) -> bool,
) {
    for server in facts.infra.iter().filter(|s| s.source == source && pick(s)) {
        let signals = server
            .signals
            .iter()
            .map(|(line, message)| Signal::anchor(*line, message.clone()))
            .collect();
        let class = server.class().id();
        let kind = if class == server.subject {
            class.to_owned()
        } else {
            format!("{class} {}", server.subject)
        };
        let component = Component {
            name: format!("{}: {kind}", server.name),
            span: server.span,
        };
        sink.emit_about(component, signals, Some(server.subject.clone()));
    }
}

#[cfg(test)]
pub(crate) mod test_support {
    use crate::frontend::{self, FileKind};
    use crate::rules;
    use liability_model::Finding;

    /// The findings of rule `rule_id` on the infrastructure file `path` holding `text`.
    pub fn infra_findings(path: &str, text: &str, rule_id: &str) -> Vec<Finding> {
        let rule = rules::by_id(rule_id).unwrap_or_else(|| panic!("no rule `{rule_id}`"));
        let kind = frontend::kind_of(std::path::Path::new(path)).expect("an infrastructure file");
        assert!(matches!(kind, FileKind::Infra(_)));
        let facts = frontend::extract_file(kind, path, text)
            .unwrap_or_else(|e| panic!("parse: {e:?}"))
            .facts;
        rules::run(&facts, &[rule]).0
    }

    /// Asserts that rule `rule_id` reports exactly one server in `path`, named, with no code
    /// lines of its own (an infrastructure finding is priced by its operations load).
    pub fn assert_one_server(path: &str, text: &str, rule_id: &str) {
        let found = infra_findings(path, text, rule_id);
        assert_eq!(found.len(), 1, "{found:#?}");
        assert!(found[0].subject.is_some());
        assert_eq!(found[0].code_lines, 0);
    }
}
