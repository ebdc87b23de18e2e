//! A systemd unit that runs a server, or a timer that makes a host a scheduler.

use crate::rules::{Sink, declare_rule};
use liability_model::{Category, FileFacts, InfraSource};

declare_rule! {
    /// ## What it does
    /// Reads systemd `.service` units whose `ExecStart=` runs a server executable (`redis-server`,
/// `postgres`, `nginx`, `mongod`, ...) or `docker run`s a server image, and `.timer` units
/// (`OnCalendar=`), which turn the host into a scheduler.
    ///
    /// ## Why is this a liability?
    /// A unit file means a host the team set up by hand or by script: the server on it, the
/// host's OS, its disks and its timers are all the team's to patch and watch.
    ///
    /// ## Example
    /// ```ini
/// [Service]
/// ExecStart=/usr/bin/redis-server /etc/redis/redis.conf
/// Restart=always
/// ```
    ///
    /// ## Use instead
    /// The managed service for the server (ElastiCache Serverless, RDS / Aurora Serverless v2,
/// ...); EventBridge Scheduler with Lambda or Fargate instead of timers.
    ///
    /// ## Known limits
    /// `ExecStart=` of a wrapper script is not followed. The unit of the application itself is
/// not reported (it is the team's code, not a server).
    pub static SYSTEMD_UNIT_RUNS_SERVER = {
        id: "systemd-unit-runs-server",
        category: Category::SelfManagedInfra,
        summary: "a systemd unit runs a server or schedules work on a host",
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
    super::report(facts, sink, InfraSource::Systemd, |_| true);
}

#[cfg(test)]
mod tests {
    use crate::rules::self_managed_infra::test_support::{assert_one_server, infra_findings};

    #[test]
    fn flags_a_self_managed_server() {
        assert_one_server(
            "deploy/redis.service",
            "[Unit]\nDescription=cache\n[Service]\nExecStart=/usr/bin/redis-server /etc/redis.conf\n",
            "systemd-unit-runs-server",
        );
    }

    #[test]
    fn managed_or_serverless_setup_is_silent() {
        let found = infra_findings(
            "deploy/app.service",
            "[Unit]\nDescription=api\n[Service]\nExecStart=/opt/api/bin/api --port 8080\n",
            "systemd-unit-runs-server",
        );
        assert!(found.is_empty(), "{found:#?}");
    }
}
