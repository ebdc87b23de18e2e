//! A Helm chart that deploys a server: templates, values and chart dependencies.

use crate::rules::{Sink, declare_rule};
use liability_model::{Category, FileFacts, InfraSource};

declare_rule! {
    /// ## What it does
    /// Reads Helm charts: `templates/*.yaml` after neutralising `{{ }}` actions line by line (a
/// template that is still not YAML is read for its `kind:` and `image:` lines only and
/// listed as partly read), `values*.yaml` images (`image:` strings or `repository:` under
/// `image`) and bundled server sub-charts switched on (`postgresql.enabled: true`), and
/// `Chart.yaml` dependencies on server charts (bitnami `postgresql`, `redis`, `kafka`, ...).
    ///
    /// ## Why is this a liability?
    /// A chart that brings its own database or cache makes every installation of it a server to
/// patch, back up and upgrade, usually with defaults nobody revisits.
    ///
    /// ## Example
    /// ```yaml
/// # Chart.yaml
/// dependencies:
///   - name: postgresql
///     repository: oci://registry-1.docker.io/bitnamicharts
/// ```
    ///
    /// ## Use instead
    /// Point the chart at managed services (RDS / Aurora Serverless v2, ElastiCache Serverless,
/// MSK Serverless, Amazon MQ, OpenSearch Serverless) through values, and drop the bundled
/// sub-charts.
    ///
    /// ## Known limits
    /// Templates are not rendered: values that pick the image at install time are read from
/// `values.yaml` only, and a sub-chart switched on by a condition other than `enabled` is
/// missed. Images are matched by repository name.
    pub static HELM_CHART_RUNS_SERVER = {
        id: "helm-chart-runs-server",
        category: Category::SelfManagedInfra,
        summary: "a helm chart deploys a database, broker, cache or proxy server",
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
    super::report(facts, sink, InfraSource::Helm, |s| {
        !s.name.starts_with("CronJob ")
    });
}

#[cfg(test)]
mod tests {
    use crate::rules::self_managed_infra::test_support::{assert_one_server, infra_findings};

    #[test]
    fn flags_a_self_managed_server() {
        assert_one_server(
            "chart/Chart.yaml",
            "apiVersion: v2\nname: app\ndependencies:\n  - name: redis\n    repository: oci://registry-1.docker.io/bitnamicharts\n",
            "helm-chart-runs-server",
        );
    }

    #[test]
    fn managed_or_serverless_setup_is_silent() {
        let found = infra_findings(
            "chart/values.yaml",
            "image:\n  repository: ghcr.io/acme/api\n  tag: 1.0.0\npostgresql:\n  enabled: false\ndatabase:\n  host: app.cluster-xyz.eu-west-1.rds.amazonaws.com\n",
            "helm-chart-runs-server",
        );
        assert!(found.is_empty(), "{found:#?}");
    }
}
