//! Terraform: resources that are machines the team runs (instances, scaling groups, node
//! pools), and the servers their start-up scripts install.
//!
//! Parsed with `hcl-edit` (the parser under `hcl-rs`), which keeps byte spans and refuses
//! nesting deeper than 64 levels instead of overflowing the stack. Managed services
//! (`aws_db_instance`, `aws_elasticache_*`, ...) and serverless resources (`aws_lambda_function`,
//! `aws_sqs_queue`, `aws_dynamodb_table`, ...) are not machines and produce nothing.

use super::catalogue::{installed_packages, started_services};
use super::units::cron_job;
use super::{LineIndex, Servers};
use crate::source::Rejected;
use hcl_edit::Span;
use liability_model::{InfraSource, LineSpan, SkipReason};

/// Resource types that are servers or fleets of servers the team patches and runs.
const COMPUTE: &[&str] = &[
    "aws_instance",
    "aws_spot_instance_request",
    "aws_spot_fleet_request",
    "aws_ec2_fleet",
    "aws_launch_template",
    "aws_launch_configuration",
    "aws_autoscaling_group",
    "aws_eks_node_group",
    "aws_ecs_capacity_provider",
    "aws_lightsail_instance",
    "google_compute_instance",
    "google_compute_instance_template",
    "google_compute_instance_group_manager",
    "google_compute_region_instance_group_manager",
    "google_container_node_pool",
    "azurerm_linux_virtual_machine",
    "azurerm_windows_virtual_machine",
    "azurerm_virtual_machine",
    "azurerm_linux_virtual_machine_scale_set",
    "azurerm_windows_virtual_machine_scale_set",
    "azurerm_kubernetes_cluster_node_pool",
    "digitalocean_droplet",
    "hcloud_server",
    "linode_instance",
];

/// Group resources whose machines come from a template declared alongside (the template is
/// reported, the group would count it twice).
const GROUPS: &[(&str, &[&str])] = &[
    (
        "aws_autoscaling_group",
        &["aws_launch_template", "aws_launch_configuration"],
    ),
    (
        "google_compute_instance_group_manager",
        &["google_compute_instance_template"],
    ),
    (
        "google_compute_region_instance_group_manager",
        &["google_compute_instance_template"],
    ),
];

/// The servers declared by a Terraform file.
pub fn extract(text: &str) -> Result<Servers, Rejected> {
    let body = hcl_edit::parser::parse_body(text).map_err(|e| Rejected {
        reason: SkipReason::ParseError,
        detail: format!(
            "line {} column {}: {}",
            e.location().line(),
            e.location().column(),
            e.message()
        ),
    })?;
    let index = LineIndex::new(text);
    let resources: Vec<(&str, &str, std::ops::Range<usize>)> = body
        .get_blocks("resource")
        .filter_map(|b| {
            let ty = b.labels.first()?.as_str();
            let name = b.labels.get(1).map_or("", |l| l.as_str());
            Some((ty, name, b.span()?))
        })
        .collect();
    let mut out = Servers::new(InfraSource::Terraform);
    for (ty, name, range) in &resources {
        if !COMPUTE.contains(ty) {
            continue;
        }
        if let Some((_, templates)) = GROUPS.iter().find(|(g, _)| g == ty)
            && resources.iter().any(|(t, _, _)| templates.contains(t))
        {
            continue;
        }
        let Some(block) = text.get(range.clone()) else {
            continue;
        };
        let start = index.line(range.start);
        let end = index.line(range.end.saturating_sub(1));
        let span = LineSpan::new(start, end);
        let id = format!("{ty}.{name}");
        let mut found = false;
        for (offset, raw) in line_offsets(block) {
            let line = index.line(range.start + offset);
            let installs = installed_packages(raw)
                .into_iter()
                .map(|(subject, package)| {
                    (subject, format!("its start-up script installs `{package}`"))
                });
            let starts = started_services(raw).into_iter().map(|(subject, service)| {
                (subject, format!("its start-up script starts `{service}`"))
            });
            for (subject, message) in installs.chain(starts) {
                found = true;
                out.add_at(
                    &id,
                    subject,
                    span,
                    start,
                    format!("declares the machine `{id}`"),
                );
                out.add_at(&id, subject, span, line, message);
            }
            let t = raw.trim().trim_start_matches(['"', '\'', '-', ' ']);
            if cron_job(t).is_some() || raw.contains("/etc/cron") || raw.contains("crontab ") {
                found = true;
                out.add_at(
                    &id,
                    "cron",
                    span,
                    start,
                    format!("declares the machine `{id}`"),
                );
                out.add_at(
                    &id,
                    "cron",
                    span,
                    line,
                    "its start-up script installs cron jobs".to_owned(),
                );
            }
        }
        if !found {
            out.add_at(
                &id,
                "compute-fleet",
                span,
                start,
                format!("declares self-managed compute `{id}` ({ty})"),
            );
        }
    }
    Ok(out)
}

/// The lines of `text` with their byte offsets.
fn line_offsets(text: &str) -> impl Iterator<Item = (usize, &str)> {
    let mut offset = 0;
    text.split_inclusive('\n').map(move |l| {
        let at = offset;
        offset += l.len();
        (at, l.trim_end_matches(['\n', '\r']))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn subjects(text: &str) -> Vec<(String, String)> {
        extract(text)
            .unwrap()
            .list
            .into_iter()
            .map(|s| (s.name, s.subject))
            .collect()
    }

    #[test]
    fn instance_with_user_data_installing_servers() {
        let tf = "resource \"aws_instance\" \"worker\" {\n  ami = \"ami-1\"\n  user_data = <<-EOF\n    #!/bin/bash\n    apt-get install -y redis-server\n    echo '*/5 * * * * root /opt/sync' > /etc/cron.d/sync\n  EOF\n}\n";
        let found = extract(tf).unwrap().list;
        let names: Vec<_> = found.iter().map(|s| s.subject.as_str()).collect();
        assert_eq!(names, ["redis", "cron"]);
        assert_eq!(found[0].span, LineSpan::new(1, 8));
        assert!(found[0].signals.iter().any(|(l, _)| *l == 5));
    }

    #[test]
    fn bare_instances_are_compute_and_groups_are_not_counted_twice() {
        let tf = "resource \"aws_launch_template\" \"lt\" {\n  image_id = \"ami-1\"\n}\nresource \"aws_autoscaling_group\" \"asg\" {\n  launch_template { id = aws_launch_template.lt.id }\n}\n";
        assert_eq!(
            subjects(tf),
            [(
                "aws_launch_template.lt".to_owned(),
                "compute-fleet".to_owned()
            )]
        );
    }

    #[test]
    fn managed_and_serverless_resources_are_silent() {
        let tf = "resource \"aws_db_instance\" \"db\" {\n  engine = \"postgres\"\n}\nresource \"aws_lambda_function\" \"f\" {\n  function_name = \"f\"\n}\nresource \"aws_sqs_queue\" \"q\" {}\nresource \"aws_dynamodb_table\" \"t\" {\n  name = \"t\"\n}\n";
        assert!(subjects(tf).is_empty());
    }

    #[test]
    fn invalid_and_deeply_nested_hcl_are_rejected() {
        assert!(extract("resource \"aws_instance\" {\n  ami = \n").is_err());
        let deep = format!("x = {}1{}\n", "[".repeat(500), "]".repeat(500));
        assert!(extract(&deep).is_err());
    }
}
