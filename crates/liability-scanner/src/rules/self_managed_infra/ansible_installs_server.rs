//! An Ansible play or task file that installs or starts a server.

use crate::rules::{Sink, declare_rule};
use liability_model::{Category, FileFacts, InfraSource};

declare_rule! {
    /// ## What it does
    /// Reads Ansible playbooks and task files and reports the servers their tasks install
/// (`apt`, `yum`, `dnf`, `package`, `apk` with server packages, in list, loop or free
/// form) or manage (`service`, `systemd`), blocks included.
    ///
    /// ## Why is this a liability?
    /// A playbook that installs a database or a broker is a promise to keep those hosts patched,
/// backed up and upgraded, with the playbook itself to maintain as the OS moves on.
    ///
    /// ## Example
    /// ```yaml
/// - hosts: db
///   tasks:
///     - ansible.builtin.apt:
///         name: postgresql
///     - service: name=postgresql state=started
/// ```
    ///
    /// ## Use instead
    /// The managed service for each server (RDS / Aurora Serverless v2, ElastiCache Serverless,
/// Amazon MQ, MSK Serverless, OpenSearch Serverless); no hosts to configure.
    ///
    /// ## Known limits
    /// Roles are not followed from a play (their task files are read on their own when they are
/// in the repository). Package names from variables are not resolved.
    pub static ANSIBLE_INSTALLS_SERVER = {
        id: "ansible-installs-server",
        category: Category::SelfManagedInfra,
        summary: "an ansible play installs or runs a server on hosts the team manages",
        check: check,
        // Reads `facts.infra` only, which the Rust front-end never fills: an empty clause is never
        // satisfied, so the rule never runs on a Rust file.
        rust_needs: &[&[]],
        // Nor does the Python front-end: it never runs on a Python file either.
        python_needs: &[&[]],
        // Nor does the JavaScript and TypeScript front-end.
        javascript_needs: &[&[]],
    };
}

fn check(facts: &FileFacts, sink: &mut Sink<'_>) {
    super::report(facts, sink, InfraSource::Ansible, |_| true);
}

#[cfg(test)]
mod tests {
    use crate::rules::self_managed_infra::test_support::{assert_one_server, infra_findings};

    #[test]
    fn flags_a_self_managed_server() {
        assert_one_server(
            "playbook.yml",
            "- hosts: cache\n  tasks:\n    - apt:\n        name: memcached\n",
            "ansible-installs-server",
        );
    }

    #[test]
    fn managed_or_serverless_setup_is_silent() {
        let found = infra_findings(
            "playbook.yml",
            "- hosts: app\n  tasks:\n    - apt:\n        name:\n          - python3\n          - postgresql-client\n    - service: name=app state=started\n",
            "ansible-installs-server",
        );
        assert!(found.is_empty(), "{found:#?}");
    }
}
