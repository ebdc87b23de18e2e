//! A Kubernetes CronJob: scheduled work on a cluster the team runs.

use crate::rules::{Sink, declare_rule};
use liability_model::{Category, FileFacts, InfraSource};

declare_rule! {
    /// ## What it does
    /// Reports each `CronJob` of a Kubernetes manifest (or a Helm template), with its schedule.
    ///
    /// ## Why is this a liability?
    /// A CronJob needs a cluster kept up to run a few minutes of work: missed runs when the
/// cluster is down or full, concurrency policies, retries and history clean-up are the
/// team's to get right and to watch.
    ///
    /// ## Example
    /// ```yaml
/// apiVersion: batch/v1
/// kind: CronJob
/// metadata:
///   name: nightly-report
/// spec:
///   schedule: "0 3 * * *"
/// ```
    ///
    /// ## Use instead
    /// EventBridge Scheduler invoking a Lambda function or an ECS Fargate task (Azure Functions
/// timer trigger, Cloud Scheduler with Cloud Run jobs).
    ///
    /// ## Known limits
    /// Reported whatever the cluster: when the cluster stays for other reasons, the CronJob is
/// a small part of its cost.
    pub static KUBERNETES_CRONJOB = {
        id: "kubernetes-cronjob",
        category: Category::SelfManagedInfra,
        summary: "a kubernetes cronjob schedules work on a cluster the team runs",
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
    super::report(facts, sink, InfraSource::Kubernetes, |s| {
        s.name.starts_with("CronJob ")
    });
}

#[cfg(test)]
mod tests {
    use crate::rules::self_managed_infra::test_support::{assert_one_server, infra_findings};

    #[test]
    fn flags_a_self_managed_server() {
        assert_one_server(
            "k8s/cron.yaml",
            "apiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: nightly\nspec:\n  schedule: \"0 3 * * *\"\n",
            "kubernetes-cronjob",
        );
    }

    #[test]
    fn managed_or_serverless_setup_is_silent() {
        let found = infra_findings(
            "k8s/job.yaml",
            "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: migrate\nspec:\n  template:\n    spec:\n      containers:\n        - name: m\n          image: ghcr.io/acme/migrate:1\n",
            "kubernetes-cronjob",
        );
        assert!(found.is_empty(), "{found:#?}");
    }
}
