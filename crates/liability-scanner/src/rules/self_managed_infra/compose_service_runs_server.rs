//! A compose service that runs a server image.

use crate::rules::{Sink, declare_rule};
use liability_model::{Category, FileFacts, InfraSource};

declare_rule! {
    /// ## What it does
    /// Reads `docker-compose*.yml`, `compose*.yaml` (and any YAML with a `services` map) and
/// reports each service whose image is a server (`postgres`, `mysql`, `redis`, `rabbitmq`,
/// `kafka`, `elasticsearch`, `nginx`, `minio`, ...), or whose `command` runs one. Its
/// volumes (state to back up) and published server ports are added as evidence. `<<` merge
/// keys and anchors are followed.
    ///
    /// ## Why is this a liability?
    /// A compose file that runs the production database or cache on a host makes the team its
/// DBA and on-call: the volume is the only copy of the data unless someone backs it up,
/// and upgrades, failover and patching are by hand.
    ///
    /// ## Example
    /// ```yaml
/// services:
///   db:
///     image: postgres:16
///     volumes:
///       - pgdata:/var/lib/postgresql/data
///   cache:
///     image: redis:7
/// ```
    ///
    /// ## Use instead
    /// RDS / Aurora Serverless v2 (Azure Database for PostgreSQL, Cloud SQL), ElastiCache
/// Serverless (Azure Cache for Redis, Memorystore), Amazon MQ / SQS, MSK Serverless,
/// OpenSearch Serverless; run the application on Fargate or Lambda. Keep compose for local
/// development only.
    ///
    /// ## Known limits
    /// Compose is often only the local development setup; the finding cannot tell, so read
/// it as "this server is part of the system" and check where production runs it. Services
/// built from a local Dockerfile are judged by that Dockerfile instead.
    pub static COMPOSE_SERVICE_RUNS_SERVER = {
        id: "compose-service-runs-server",
        category: Category::SelfManagedInfra,
        summary: "a compose service runs a database, broker, cache or proxy server",
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
    super::report(facts, sink, InfraSource::Compose, |_| true);
}

#[cfg(test)]
mod tests {
    use crate::rules::self_managed_infra::test_support::{assert_one_server, infra_findings};

    #[test]
    fn flags_a_self_managed_server() {
        assert_one_server(
            "docker-compose.yml",
            "services:\n  db:\n    image: postgres:16\n    volumes:\n      - pgdata:/var/lib/postgresql/data\n",
            "compose-service-runs-server",
        );
    }

    #[test]
    fn managed_or_serverless_setup_is_silent() {
        let found = infra_findings(
            "compose.yaml",
            "services:\n  api:\n    build: .\n    environment:\n      DATABASE_URL: postgres://rds.example/app\n      QUEUE_URL: https://sqs.eu-west-1.amazonaws.com/1/q\n",
            "compose-service-runs-server",
        );
        assert!(found.is_empty(), "{found:#?}");
    }
}
