//! Tests of every formula, monotonicity properties and agreement with scc.

use super::*;

fn inputs(lines: u32) -> Inputs {
    Inputs {
        subject: None,
        category: Category::Retry,
        code_lines: lines,
        complexity: Complexity {
            functions: 2,
            cyclomatic_sum: lines / 10,
            cyclomatic_max: 5,
            cognitive_sum: 4,
            cognitive_max: 3,
            ..Complexity::default()
        },
        history_code_lines: lines,
        history: Ok(HistoryFigures {
            window_days: 365,
            commits: 10,
            lines_added: u64::from(lines),
            lines_removed: 0,
            authors: 2,
            top_author_share: 0.75,
            top_author_active: true,
            first_change: 0,
            last_change: 0,
        }),
    }
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-6 * b.abs().max(1.0)
}

#[test]
fn repository_build_cost_matches_scc_formula() {
    // scc: effort = 2.4 × KLOC^1.05 × EAF; cost = effort × 56286 / 12 × 2.4.
    let p = Params::default();
    for lines in [1_u64, 999, 10_000, 147_837, 2_000_000] {
        let scc_effort = 2.4 * (lines as f64 / 1000.0).powf(1.05) * 1.0;
        let scc_cost = scc_effort * 56_286.0 / 12.0 * 2.4;
        let ours = p.cocomo.build(lines, &p);
        assert!(
            close(ours.effort_months, scc_effort) && close(ours.cost, scc_cost),
            "{lines}"
        );
    }
}

#[test]
fn components_split_the_repository_cost_in_proportion() {
    let p = Params::default();
    let repo = 10_000;
    let parts = [1_000_u32, 3_000, 6_000];
    let total: f64 = parts
        .iter()
        .map(|&l| price(&inputs(l), repo, &p).build_cost)
        .sum();
    assert!(close(total, p.cocomo.build(repo, &p).cost));
}

#[test]
fn worked_example_from_the_docs() {
    // docs/liability-model.md: a 100-line retry helper in a 1,000-line repository.
    let p = Params::default();
    let l = price(&inputs(100), 1_000, &p);
    let repo_cost = 2.4 * 56_286.0 / 12.0 * 2.4; // 1 KLOC → 2.4 person-months
    assert!(close(l.build_cost, repo_cost / 10.0));
    let rate = 56_286.0 * 2.4 / 1_760.0;
    assert!(close(l.build_hours, repo_cost / 10.0 / rate));
    // churn: 100 changed / 100 lines → 1 + 0.5 × 1 = 1.5; complexity: (10/100)/0.1 = 1;
    // concentration: 1 + 0.3 × (0.75-0.5)/0.5 = 1.15.
    assert!(
        close(l.factors.churn, 1.5)
            && close(l.factors.complexity, 1.0)
            && close(l.factors.concentration, 1.15)
    );
    let central = 0.15 * l.build_hours * 1.5 * 1.0 * 1.15 + 4.0;
    assert!(close(l.yearly_hours.central, central));
    assert!(close(l.yearly_hours.low, central * 0.6) && close(l.yearly_hours.high, central * 1.7));
    assert!(close(l.yearly_cost.central, central * rate));
    assert!(close(l.retirable_yearly_cost, 0.9 * central * rate));
    assert!(close(l.migration_hours, 4.0 + 0.05 * 100.0));
    assert_eq!(l.migration_points, 3);
}

#[test]
fn missing_history_widens_the_range_and_neutralises_factors() {
    let p = Params::default();
    let mut i = inputs(200);
    i.history = Err("not a git repository".into());
    let l = price(&i, 2_000, &p);
    assert_eq!((l.factors.churn, l.factors.concentration), (1.0, 1.0));
    assert!(close(l.yearly_hours.low, l.yearly_hours.central * 0.5));
    assert!(close(l.yearly_hours.high, l.yearly_hours.central * 2.0));
}

#[test]
fn story_points_follow_the_konveyor_scale() {
    let points: Vec<u8> = [1.0, 4.0, 4.1, 16.0, 30.0, 41.0, 80.0, 81.0, 1e6]
        .iter()
        .map(|&h| story_points(h))
        .collect();
    assert_eq!(points, [1, 1, 3, 3, 5, 7, 7, 13, 13]);
}

/// A small deterministic generator, so the property sweep needs no extra crate.
struct Lcg(u64);
impl Lcg {
    fn next(&mut self, max: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) % max.max(1)
    }
}

#[test]
fn more_code_churn_or_concentration_never_lowers_liability() {
    let p = Params::default();
    let mut rng = Lcg(42);
    for _ in 0..2_000 {
        let lines = 1 + rng.next(5_000) as u32;
        let repo = u64::from(lines) + rng.next(100_000);
        let mut base = inputs(lines);
        base.complexity.cyclomatic_sum = rng.next(u64::from(lines)) as u32;
        if let Ok(h) = &mut base.history {
            h.lines_added = rng.next(20_000);
            h.top_author_share = rng.next(101) as f64 / 100.0;
            h.top_author_active = rng.next(2) == 0;
        }
        let before = price(&base, repo, &p).yearly_cost.central;

        let extra = 1 + rng.next(1_000) as u32;
        let mut bigger = base.clone();
        bigger.code_lines += extra;
        bigger.history_code_lines += extra;
        bigger.complexity.cyclomatic_sum += extra / 10 + 1;
        let grown = price(&bigger, repo + u64::from(extra), &p)
            .yearly_cost
            .central;
        assert!(
            grown >= before - 1e-9,
            "more code lowered liability: {base:?}"
        );

        let mut churned = base.clone();
        if let Ok(h) = &mut churned.history {
            h.lines_removed += 1 + rng.next(5_000);
        }
        assert!(
            price(&churned, repo, &p).yearly_cost.central >= before - 1e-9,
            "more churn lowered it"
        );

        let mut concentrated = base.clone();
        if let Ok(h) = &mut concentrated.history {
            h.top_author_share = (h.top_author_share + 0.1).min(1.0);
            h.authors = h.authors.saturating_sub(1).max(1);
        }
        assert!(
            price(&concentrated, repo, &p).yearly_cost.central >= before - 1e-9,
            "fewer authors lowered it"
        );

        let mut inactive = base.clone();
        if let Ok(h) = &mut inactive.history {
            h.top_author_active = false;
        }
        assert!(
            price(&inactive, repo, &p).yearly_cost.central >= before - 1e-9,
            "an inactive owner lowered it"
        );
    }
}

#[test]
fn repo_totals_add_up() {
    let p = Params::default();
    let a = price(&inputs(100), 1_000, &p);
    let b = price(&inputs(300), 1_000, &p);
    let t = repo_totals(1_000, [&a, &b], &p, None);
    assert!(close(
        t.yearly_cost.central,
        a.yearly_cost.central + b.yearly_cost.central
    ));
    assert!(close(
        t.retirable_yearly_cost,
        a.retirable_yearly_cost + b.retirable_yearly_cost
    ));
    assert!(close(t.build_cost, p.cocomo.build(1_000, &p).cost));
}

#[test]
fn derivation_lists_every_step() {
    let d = derive(&inputs(100), 1_000, &Params::default());
    assert_eq!(d.steps.len(), 10, "{:#?}", d.steps);
    assert!(d.steps[0].starts_with("repository build cost = 2.4 × (1.000 KLOC)^1.05"));
}

#[test]
fn self_managed_server_is_priced_by_its_kind_with_no_code_lines() {
    let params = Params::default();
    let mut i = inputs(0);
    i.category = Category::SelfManagedInfra;
    i.complexity = Complexity::default();
    i.subject = Some("postgres".to_owned());
    let db = price(&i, 10_000, &params);
    assert_eq!(db.build_cost, 0.0);
    assert_eq!(db.ops_hours, 80.0);
    assert!((db.yearly_hours.central - 80.0).abs() < 1e-9);
    assert!(db.yearly_cost.central.is_finite() && db.yearly_cost.central > 0.0);
    i.subject = Some("cron".to_owned());
    assert_eq!(price(&i, 0, &params).ops_hours, 16.0);
    i.subject = Some("unknown-server".to_owned());
    assert_eq!(
        price(&i, 0, &params).ops_hours,
        params
            .category(Category::SelfManagedInfra)
            .ops_hours_per_year
    );
}

#[test]
fn dependents_raise_a_framework_upkeep_and_migration() {
    let p = Params::default();
    let alone = price(&inputs(1_000), 10_000, &p);
    let mut coupled = inputs(1_000);
    coupled.complexity.dependents = 5;
    coupled.complexity.dependent_code_lines = 2_000;
    let d = derive(&coupled, 10_000, &p);
    let l = &d.liability;
    assert!(l.yearly_cost.central > alone.yearly_cost.central);
    assert!(close(l.migration_hours, alone.migration_hours + 20.0));
    assert!(
        d.steps
            .iter()
            .any(|s| s.starts_with("coupling factor = 1 + 0.25 × min(2000"))
    );
    // The factor is capped: dependents 100 times its size weigh like 4 times.
    coupled.complexity.dependent_code_lines = 100_000;
    let capped = price(&coupled, 10_000, &p);
    coupled.complexity.dependent_code_lines = 4_000;
    let at_cap = price(&coupled, 10_000, &p);
    assert!(close(
        capped.yearly_hours.central - capped.ops_hours,
        at_cap.yearly_hours.central - at_cap.ops_hours
    ));
}
