//! A crontab: a host kept alive to run scheduled jobs.

use crate::rules::{Sink, declare_rule};
use liability_model::{Category, FileFacts, InfraSource};

declare_rule! {
    /// ## What it does
    /// Reads crontab files (`crontab`, `*.crontab`, `*.cron`, files in a `cron.d/` folder) and
/// reports the host they schedule work on, with its jobs as evidence (schedules of five
/// fields or `@daily`-style macros; variables and comments are skipped).
    ///
    /// ## Why is this a liability?
    /// A cron host is a single point of failure nobody watches: a job that silently stops, runs
/// twice after a failover, or overlaps itself; no retries, no history, no alarms; and the
/// machine to patch for it.
    ///
    /// ## Example
    /// ```text
/// MAILTO=ops@example.com
/// 0 3 * * * /opt/app/bin/nightly-report
/// */5 * * * * /opt/app/bin/sync
/// ```
    ///
    /// ## Use instead
    /// EventBridge Scheduler invoking Lambda or Fargate tasks, with retries and a dead-letter
/// queue (Azure Functions timer trigger, Cloud Scheduler).
    ///
    /// ## Known limits
    /// Crontabs installed from scripts (`crontab -l | ...`) are found only when they are in a
/// Dockerfile or a Terraform start-up script.
    pub static CRONTAB_HOST = {
        id: "crontab-host",
        category: Category::SelfManagedInfra,
        summary: "a crontab makes a host the team runs into a job scheduler",
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
    super::report(facts, sink, InfraSource::Crontab, |_| true);
}

#[cfg(test)]
mod tests {
    use crate::rules::self_managed_infra::test_support::{assert_one_server, infra_findings};

    #[test]
    fn flags_a_self_managed_server() {
        assert_one_server(
            "ops/cron.d/reports",
            "SHELL=/bin/sh\n0 3 * * * app /opt/app/bin/report\n",
            "crontab-host",
        );
    }

    #[test]
    fn managed_or_serverless_setup_is_silent() {
        let found = infra_findings(
            "ops/cron.d/empty",
            "# all jobs moved to EventBridge Scheduler\nMAILTO=ops\n",
            "crontab-host",
        );
        assert!(found.is_empty(), "{found:#?}");
    }
}
