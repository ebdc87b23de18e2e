//! A Dockerfile whose image is a server: a database, broker, cache, proxy, cron or mail host.

use crate::rules::{Sink, declare_rule};
use liability_model::{Category, FileFacts, InfraSource};

declare_rule! {
    /// ## What it does
    /// Reads Dockerfiles and Containerfiles (continuations, comments, heredocs, `# escape=` and
/// multi-stage builds included) and reports the servers the final stage runs: a server base
/// image (`FROM postgres:16`), server packages installed by `RUN apt-get/apk/yum/dnf install`
/// (`postgresql-16`, `redis-server`, `nginx`, `cron`, `postfix`), services enabled in `RUN`,
/// server executables in `CMD`/`ENTRYPOINT`, and the `EXPOSE`d ports of those servers. One
/// finding per server kind.
    ///
    /// ## Why is this a liability?
    /// An image that *is* a database or a broker makes the team its operator: patching the server
/// and its OS layer, backups of the data it writes, upgrades across major versions, failover,
/// and the pager when it falls over. A cron or mail daemon baked into an app image is a host
/// to keep alive for a job a managed scheduler or mail service runs for you.
    ///
    /// ## Example
    /// ```dockerfile
/// FROM ubuntu:24.04
/// RUN apt-get update && apt-get install -y postgresql-16 cron
/// EXPOSE 5432
/// CMD ["cron", "-f"]
/// ```
    ///
    /// ## Use instead
    /// The managed equivalent of each server: RDS or Aurora Serverless v2 for Postgres/MySQL,
/// ElastiCache Serverless for Redis/Memcached, Amazon MQ or SQS/SNS for RabbitMQ, MSK
/// Serverless for Kafka, OpenSearch Serverless, CloudFront/API Gateway for a proxy,
/// EventBridge Scheduler for cron, SES for mail (Azure and GCP equivalents alike). Ship the
/// application alone, on Lambda or Fargate.
    ///
    /// ## Known limits
    /// Only the final stage counts (a `--target` build of another stage is missed). Packages
/// installed by a script copied into the image, or images built `FROM ${ARG}`, are not
/// followed. An image used only for tests or local development is reported too.
    pub static CONTAINER_IMAGE_RUNS_SERVER = {
        id: "container-image-runs-server",
        category: Category::SelfManagedInfra,
        summary: "a dockerfile builds an image that runs a server the team operates",
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
    super::report(facts, sink, InfraSource::Dockerfile, |_| true);
}

#[cfg(test)]
mod tests {
    use crate::rules::self_managed_infra::test_support::{assert_one_server, infra_findings};

    #[test]
    fn flags_a_self_managed_server() {
        assert_one_server(
            "Dockerfile",
            "FROM debian:12\nRUN apt-get update \\\n && apt-get install -y redis-server\nEXPOSE 6379\nCMD [\"redis-server\"]\n",
            "container-image-runs-server",
        );
    }

    #[test]
    fn managed_or_serverless_setup_is_silent() {
        let found = infra_findings(
            "Dockerfile",
            "FROM public.ecr.aws/lambda/provided:al2023\nRUN dnf install -y postgresql15\nCOPY bootstrap ${LAMBDA_RUNTIME_DIR}\nCMD [\"handler\"]\n",
            "container-image-runs-server",
        );
        assert!(found.is_empty(), "{found:#?}");
    }
}
