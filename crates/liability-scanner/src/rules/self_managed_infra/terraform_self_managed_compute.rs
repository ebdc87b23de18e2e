//! Terraform that declares machines the team runs, and the servers their start-up scripts install.

use crate::rules::{Sink, declare_rule};
use liability_model::{Category, FileFacts, InfraSource};

declare_rule! {
    /// ## What it does
    /// Reads Terraform (`*.tf`, parsed with hcl-edit) and reports resources that are machines or
/// fleets of machines: `aws_instance`, `aws_launch_template`, `aws_autoscaling_group`,
/// `aws_eks_node_group`, `aws_ecs_capacity_provider`, `google_compute_instance`,
/// `azurerm_linux_virtual_machine` and their kin. When the resource's start-up script
/// (`user_data`, `metadata_startup_script`, `custom_data`) installs or starts a server, or
/// installs cron jobs, the finding names that server; otherwise it is a compute fleet.
/// Managed services (`aws_db_instance`, `aws_elasticache_*`) and serverless resources
/// (`aws_lambda_function`, `aws_sqs_queue`, `aws_dynamodb_table`, ...) stay silent.
    ///
    /// ## Why is this a liability?
    /// Every machine is an operating system to patch, an AMI to rebuild, disks to watch, agents
/// to keep running and capacity to plan, whatever it runs; the servers installed on it by a
/// start-up script add their own backups, upgrades and on-call.
    ///
    /// ## Example
    /// ```hcl
/// resource "aws_instance" "worker" {
///   ami       = "ami-0abc"
///   user_data = <<-EOF
///     apt-get install -y cron
///   EOF
/// }
/// ```
    ///
    /// ## Use instead
    /// Lambda or ECS/EKS on Fargate instead of instances; EventBridge Scheduler instead of a
/// cron host; the managed service of any server the script installs (RDS / Aurora
/// Serverless v2, ElastiCache Serverless, ...). Azure: Functions, Container Apps; GCP: Cloud
/// Run.
    ///
    /// ## Known limits
    /// Start-up scripts kept in separate files (`file("user_data.sh")`, `templatefile(...)`) are
/// not followed, so such a machine is reported as a compute fleet. Modules are not expanded:
/// an instance declared inside a registry module is missed. A scaling group is not reported
/// when its launch template is declared in the same file (the template is).
    pub static TERRAFORM_SELF_MANAGED_COMPUTE = {
        id: "terraform-self-managed-compute",
        category: Category::SelfManagedInfra,
        summary: "terraform declares virtual machines or node fleets the team patches and runs",
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
    super::report(facts, sink, InfraSource::Terraform, |_| true);
}

#[cfg(test)]
mod tests {
    use crate::rules::self_managed_infra::test_support::{assert_one_server, infra_findings};

    #[test]
    fn flags_a_self_managed_server() {
        assert_one_server(
            "main.tf",
            "resource \"aws_instance\" \"bastion\" {\n  ami           = \"ami-1\"\n  instance_type = \"t3.micro\"\n}\n",
            "terraform-self-managed-compute",
        );
    }

    #[test]
    fn managed_or_serverless_setup_is_silent() {
        let found = infra_findings(
            "main.tf",
            "resource \"aws_lambda_function\" \"f\" {\n  function_name = \"f\"\n  runtime       = \"provided.al2023\"\n}\nresource \"aws_sqs_queue\" \"q\" {\n  name = \"q\"\n}\nresource \"aws_db_instance\" \"db\" {\n  engine = \"postgres\"\n}\n",
            "terraform-self-managed-compute",
        );
        assert!(found.is_empty(), "{found:#?}");
    }
}
