//! A Kubernetes workload or operator resource that runs a server in the cluster.

use crate::rules::{Sink, declare_rule};
use liability_model::{Category, FileFacts, InfraSource};

declare_rule! {
    /// ## What it does
    /// Reads Kubernetes manifests (one or many documents per file) and reports Deployments,
/// StatefulSets, DaemonSets, ReplicaSets and Pods whose containers run a server image
/// (databases, brokers, caches, search, ingress controllers such as ingress-nginx or
/// HAProxy), and custom resources of database and broker operators (Zalando and Crunchy
/// `postgresql`, CloudNativePG `Cluster`, Strimzi `Kafka`, `RabbitmqCluster`, ECK
/// `Elasticsearch`, MongoDB, Redis, MySQL and MinIO operators). Container ports,
/// `volumeClaimTemplates` and PersistentVolumeClaims in the same file add evidence.
    ///
    /// ## Why is this a liability?
    /// A database in a StatefulSet, or an operator that runs one, leaves the team owning its
/// storage, backups, version upgrades, failover and the operator itself, on top of the
/// cluster's own upgrades. Stateful servers are the hardest workloads to run on Kubernetes.
    ///
    /// ## Example
    /// ```yaml
/// apiVersion: apps/v1
/// kind: StatefulSet
/// metadata:
///   name: postgres
/// spec:
///   template:
///     spec:
///       containers:
///         - name: postgres
///           image: postgres:16
/// ```
    ///
    /// ## Use instead
    /// The managed service for each server (RDS / Aurora Serverless v2, ElastiCache Serverless,
/// MSK Serverless, Amazon MQ, OpenSearch Serverless; Azure and GCP equivalents), reached
/// from the cluster through its endpoint; an ALB or API Gateway instead of an in-cluster
/// proxy. Keep the cluster for stateless work, or move that to Fargate or Lambda.
    ///
    /// ## Known limits
    /// Images are matched by repository name: a server image renamed in a private registry is
/// missed. An ingress controller that only configures a cloud load balancer (AWS Load
/// Balancer Controller) is not reported, and neither is an `Ingress` resource alone.
    pub static KUBERNETES_WORKLOAD_RUNS_SERVER = {
        id: "kubernetes-workload-runs-server",
        category: Category::SelfManagedInfra,
        summary: "a kubernetes workload or operator resource runs a server in the cluster",
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
        !s.name.starts_with("CronJob ")
    });
}

#[cfg(test)]
mod tests {
    use crate::rules::self_managed_infra::test_support::{assert_one_server, infra_findings};

    #[test]
    fn flags_a_self_managed_server() {
        assert_one_server(
            "k8s/redis.yaml",
            "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: cache\nspec:\n  template:\n    spec:\n      containers:\n        - name: redis\n          image: redis:7\n",
            "kubernetes-workload-runs-server",
        );
    }

    #[test]
    fn managed_or_serverless_setup_is_silent() {
        let found = infra_findings(
            "k8s/api.yaml",
            "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\nspec:\n  template:\n    spec:\n      containers:\n        - name: api\n          image: 123.dkr.ecr.eu-west-1.amazonaws.com/api:1\n          env:\n            - name: REDIS_URL\n              value: redis://cache.serverless.amazonaws.com\n",
            "kubernetes-workload-runs-server",
        );
        assert!(found.is_empty(), "{found:#?}");
    }
}
