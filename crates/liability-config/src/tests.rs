//! Tests of parsing, validation, discovery and the template.

use super::*;

fn err(text: &str) -> String {
    parse(text, "liability.toml").unwrap_err().to_string()
}

#[test]
fn template_is_accepted_and_holds_the_defaults() {
    let o = parse(TEMPLATE, "template").unwrap();
    let scan = o.scan.unwrap();
    assert_eq!(scan.max_file_size, Some(1024 * 1024));
    assert_eq!(scan.min_confidence.as_deref(), Some("low"));
    let cost = o.cost.unwrap();
    assert_eq!(cost.average_wage, Some(56_286.0));
    assert_eq!(cost.overhead, Some(2.4));
    let gate = o.gate.unwrap();
    assert_eq!(
        (gate.grow_lines, gate.grow_ratio, gate.tolerance_ratio),
        (Some(20), Some(0.25), Some(0.05))
    );
    assert!(o.ignore.is_empty() && o.concern.is_empty());
}

#[test]
fn every_section_and_key_of_the_schema_is_in_the_template() {
    for key in [
        "[scan]",
        "include",
        "exclude",
        "max_file_size",
        "follow_links",
        "threads",
        "min_confidence",
        "history",
        "[scan.languages]",
        "[report]",
        "format",
        "cloud",
        "color",
        "[levels]",
        "[cost]",
        "cocomo",
        "eaf",
        "average_wage",
        "overhead",
        "currency",
        "working_hours_per_year",
        "maintenance_fraction",
        "window_days",
        "migration_hours_per_line",
        "[cost.category.auth]",
        "ops_hours_per_year",
        "retirable_share",
        "migration_base_hours",
        "[gate]",
        "baseline",
        "fail_on_new",
        "grow_lines",
        "grow_ratio",
        "tolerance",
        "tolerance_ratio",
        "[gate.limits]",
        "[[ignore]]",
        "path",
        "rule",
        "reason",
        "[[concern]]",
        "name",
        "category",
        "paths",
        "modules",
        "imports",
    ] {
        assert!(
            TEMPLATE.contains(key),
            "the template does not mention `{key}`"
        );
    }
}

#[test]
fn unknown_key_names_file_line_and_key() {
    let e = err("[scan]\nmax_file_size = 10\nfial_on = true\n");
    assert!(e.starts_with("liability.toml: "), "{e}");
    assert!(e.contains("line 3"), "{e}");
    assert!(e.contains("fial_on"), "{e}");
}

#[test]
fn wrong_types_and_bad_values_are_errors_with_locations() {
    let e = err("[scan]\nthreads = \"two\"\n");
    assert!(e.contains("line 2") && e.contains("threads"), "{e}");
    let e = err("[levels]\nretry = \"loud\"\n");
    assert!(e.contains("line 2") && e.contains("loud"), "{e}");
    let e = err("[levels]\ngold-plating = \"deny\"\n");
    assert!(e.contains("line 2") && e.contains("gold-plating"), "{e}");
    let e = err("[scan]\nexclude = [\"src/[a\"]\n");
    assert!(e.contains("line 2") && e.contains("bad glob"), "{e}");
    let e = err("[report]\ncloud = \"ibm\"\n");
    assert!(e.contains("line 2") && e.contains("ibm"), "{e}");
    let e = err("[cost]\noverhead = -1.0\n");
    assert!(e.contains("positive"), "{e}");
    let e = err("[cost.category.cach]\nops_hours_per_year = 1.0\n");
    assert!(e.contains("unknown category `cach`"), "{e}");
    let e = err("[gate.limits]\nauthn = 10.0\n");
    assert!(e.contains("unknown category `authn`"), "{e}");
}

#[test]
fn suppressions_need_a_reason_and_one_target() {
    let e = err("[[ignore]]\npath = \"src/**\"\nreason = \"  \"\n");
    assert!(
        e.contains("ignore[0]") && e.contains("needs a reason"),
        "{e}"
    );
    let e = err("[[ignore]]\npath = \"src/**\"\n");
    assert!(e.contains("reason"), "{e}");
    let e = err(
        "[[ignore]]\npath = \"a\"\nrule = \"polling-job-queue\"\ncategory = \"retry\"\nreason = \"r\"\n",
    );
    assert!(e.contains("not both"), "{e}");
    let e = err("[[ignore]]\npath = \"a\"\nrule = \"gold-plating\"\nreason = \"r\"\n");
    assert!(e.contains("unknown rule `gold-plating`"), "{e}");
}

#[test]
fn concerns_need_a_known_category_and_a_selector() {
    let e = err("[[concern]]\nname = \"p\"\ncategory = \"platform\"\npaths = [\"x\"]\n");
    assert!(e.contains("unknown category `platform`"), "{e}");
    let e = err("[[concern]]\nname = \"p\"\ncategory = \"framework\"\n");
    assert!(e.contains("needs paths, modules or imports"), "{e}");
    let ok = parse(
        "[[concern]]\nname = \"p\"\ncategory = \"framework\"\nimports = [\"acme\"]\n",
        "x",
    )
    .unwrap();
    assert_eq!(ok.concern[0].imports, ["acme"]);
}

#[test]
fn discovery_walks_up_to_the_repository_root_and_prefers_liability_toml() {
    let dir = tempfile::tempdir().unwrap();
    let repo = dir.path().join("repo");
    let sub = repo.join("services/api");
    std::fs::create_dir_all(&sub).unwrap();
    std::fs::create_dir_all(repo.join(".git")).unwrap();
    // Above the repository: must never be read.
    std::fs::write(dir.path().join("liability.toml"), "[scan]\nthreads = 9\n").unwrap();
    assert_eq!(discover(&sub).unwrap(), None);
    std::fs::write(
        repo.join("pyproject.toml"),
        "[tool.liability.scan]\nthreads = 3\n",
    )
    .unwrap();
    let found = discover(&sub).unwrap().unwrap();
    assert!(found.path.ends_with("repo/pyproject.toml"));
    assert_eq!(found.options.scan.unwrap().threads, Some(3));
    std::fs::write(repo.join("liability.toml"), "[scan]\nthreads = 2\n").unwrap();
    let found = discover(&sub).unwrap().unwrap();
    assert!(found.path.ends_with("repo/liability.toml"));
    // A pyproject without [tool.liability] is not a configuration.
    std::fs::write(sub.join("pyproject.toml"), "[project]\nname = \"api\"\n").unwrap();
    assert!(
        discover(&sub)
            .unwrap()
            .unwrap()
            .path
            .ends_with("repo/liability.toml")
    );
}

#[test]
fn outside_a_repository_only_the_scanned_folder_counts() {
    let dir = tempfile::tempdir().unwrap();
    let sub = dir.path().join("a");
    std::fs::create_dir_all(&sub).unwrap();
    std::fs::write(dir.path().join("liability.toml"), "[scan]\nthreads = 9\n").unwrap();
    assert_eq!(discover(&sub).unwrap(), None);
    std::fs::write(sub.join(".liability.toml"), "[scan]\nthreads = 1\n").unwrap();
    assert_eq!(
        discover(&sub)
            .unwrap()
            .unwrap()
            .options
            .scan
            .unwrap()
            .threads,
        Some(1)
    );
}

#[test]
fn pyproject_errors_name_the_table() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("pyproject.toml");
    std::fs::write(&p, "[tool.liability.scan]\nthreadz = 3\n").unwrap();
    let e = load(&p).unwrap_err().to_string();
    assert!(
        e.contains("[tool.liability]") && e.contains("threadz"),
        "{e}"
    );
}
