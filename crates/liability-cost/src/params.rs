//! Every constant of the liability model, with its source or rationale.
//!
//! `Params::default()` is the documented model; the configuration file can override any
//! field. Where a value is a judgement rather than a published figure, the comment says so,
//! and the report shows ranges rather than single numbers for that reason.

use crate::Cocomo;
use liability_model::{Category, ServerClass};

/// Per-category parameters.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CategoryParams {
    /// Hours a year of operations and security upkeep a home-grown component of this kind
    /// carries whatever its size: patching, security review, incident handling, upgrades.
    pub ops_hours_per_year: f64,
    /// Share (0–1) of the yearly cost that the suggested replacement removes; the rest is
    /// the glue and configuration that stays.
    pub retirable_share: f64,
    /// Fixed hours of a migration to the replacement: set-up, infrastructure as code,
    /// rollout, before any per-line work.
    pub migration_base_hours: f64,
}

/// The model's parameters.
#[derive(Debug, Clone, PartialEq)]
pub struct Params {
    /// COCOMO coefficients; organic by default, as in scc.
    pub cocomo: Cocomo,
    /// Average yearly wage; scc's default (`--avg-wage 56286`).
    pub average_wage: f64,
    /// Overhead multiplier on wages (office, management, benefits); scc's default 2.4.
    pub overhead: f64,
    /// Working hours in a year, to turn money into hours: 44 weeks × 40 hours.
    pub working_hours_per_year: f64,
    /// ISO currency code the money figures are in (scc's wage is in US dollars).
    pub currency: String,
    /// Share of the build cost spent every year just keeping code working. Industry rules of
    /// thumb put annual maintenance at 15–25% of development cost; the model takes the low end
    /// because the factors below add the rest where the evidence shows it.
    pub maintenance_fraction: f64,
    /// Decisions (cyclomatic points) per code line considered typical: code at this density
    /// has a complexity factor of 1. Judgement, from typical application code (~1 decision
    /// every 10 lines).
    pub reference_decision_density: f64,
    /// Bounds of the complexity factor.
    pub complexity_min: f64,
    pub complexity_max: f64,
    /// Churn factor = 1 + `churn_weight` × min(lines changed in the window / code lines,
    /// `churn_cap`): code rewritten once a year costs 50% more to keep. Judgement.
    pub churn_weight: f64,
    pub churn_cap: f64,
    /// Concentration factor = 1 + `concentration_weight` × how far the top author's share of
    /// commits exceeds one half (0 at 50%, 1 at 100%), plus `inactive_author_penalty` when that
    /// author has not committed for `active_days`. Judgement: a bus factor of one makes every
    /// change slower and riskier.
    pub concentration_weight: f64,
    pub inactive_author_penalty: f64,
    pub active_days: u32,
    /// History window in days.
    pub window_days: u32,
    /// Range multipliers (low, high) on the central yearly figure, with and without history.
    /// Basic COCOMO is itself only within a factor of two of actuals most of the time, so the
    /// range is wide on purpose.
    pub range_with_history: (f64, f64),
    pub range_without_history: (f64, f64),
    /// Hours of migration work per code line of the component (reading it, moving callers,
    /// deleting it): judgement, 3 minutes a line.
    pub migration_hours_per_line: f64,
    /// Coupling factor of a framework = 1 + `coupling_weight` × min(code lines that depend on
    /// it / its own code lines, `coupling_cap`): every plug-in, handler and caller follows its
    /// conventions, so each change to it ripples through them. Judgement: dependents as large
    /// as the framework add a quarter to its upkeep, capped at twice.
    pub coupling_weight: f64,
    pub coupling_cap: f64,
    /// Hours of migration work per dependent code line (moving a plug-in or handler off the
    /// framework): judgement, 36 seconds a line, a fifth of writing it.
    pub migration_hours_per_dependent_line: f64,
    categories: [CategoryParams; Category::ALL.len()],
    /// Operations load (hours a year) of one self-managed server, by kind: patching the server
    /// and its host, backups and restore tests, major-version upgrades, capacity and on-call.
    /// Replaces the category's `ops_hours_per_year` for a `self-managed-infra` finding whose
    /// subject names the server. Judgement (see `docs/liability-model.md`).
    server_ops_hours: [f64; ServerClass::ALL.len()],
}

impl Default for Params {
    fn default() -> Self {
        Params {
            cocomo: Cocomo::ORGANIC,
            average_wage: 56_286.0,
            overhead: 2.4,
            working_hours_per_year: 1_760.0,
            currency: "USD".to_owned(),
            maintenance_fraction: 0.15,
            coupling_weight: 0.25,
            coupling_cap: 4.0,
            migration_hours_per_dependent_line: 0.01,
            reference_decision_density: 0.10,
            complexity_min: 0.8,
            complexity_max: 1.5,
            churn_weight: 0.5,
            churn_cap: 2.0,
            concentration_weight: 0.3,
            inactive_author_penalty: 0.2,
            active_days: 180,
            window_days: 365,
            range_with_history: (0.6, 1.7),
            range_without_history: (0.5, 2.0),
            migration_hours_per_line: 0.05,
            categories: Category::ALL.map(default_category),
            server_ops_hours: ServerClass::ALL.map(default_server_ops_hours),
        }
    }
}

impl Params {
    /// The parameters of `category`.
    pub fn category(&self, category: Category) -> CategoryParams {
        self.categories[category as usize]
    }

    /// Replaces the parameters of `category`.
    pub fn set_category(&mut self, category: Category, params: CategoryParams) {
        self.categories[category as usize] = params;
    }

    /// Hours a year of operations one self-managed server of `class` takes.
    pub fn server_ops_hours(&self, class: ServerClass) -> f64 {
        self.server_ops_hours[class as usize]
    }

    /// Replaces the operations load of servers of `class`.
    pub fn set_server_ops_hours(&mut self, class: ServerClass, hours: f64) {
        self.server_ops_hours[class as usize] = hours;
    }

    /// The operations load of a finding: its server's when it is a self-managed server of a
    /// known kind, its category's otherwise.
    pub fn ops_hours(&self, category: Category, subject: Option<&str>) -> f64 {
        match (category, subject.and_then(ServerClass::of_subject)) {
            (Category::SelfManagedInfra, Some(class)) => self.server_ops_hours(class),
            _ => self.category(category).ops_hours_per_year,
        }
    }

    /// Money per hour of engineering: wage × overhead / working hours.
    pub fn hourly_rate(&self) -> f64 {
        self.average_wage * self.overhead / self.working_hours_per_year
    }
}

/// Judgement values, ordered by how much a home-grown version must be kept safe: security
/// boundaries (auth, crypto) and servers exposed to the network or holding data carry the most
/// operations load; in-process helpers (retry, config) the least.
const fn default_category(category: Category) -> CategoryParams {
    let (ops, retirable, base) = match category {
        Category::Auth => (40.0, 0.85, 40.0),
        Category::Crypto => (40.0, 0.9, 24.0),
        Category::Database => (40.0, 0.7, 80.0),
        Category::SelfManagedInfra => (60.0, 0.85, 40.0),
        Category::HttpServer => (24.0, 0.7, 24.0),
        Category::Queue => (24.0, 0.8, 24.0),
        Category::Realtime => (24.0, 0.75, 32.0),
        Category::Authz => (24.0, 0.7, 32.0),
        Category::Search => (24.0, 0.75, 32.0),
        Category::Storage => (16.0, 0.8, 16.0),
        Category::Notification => (16.0, 0.8, 16.0),
        Category::Workflow => (16.0, 0.7, 40.0),
        Category::Framework => (16.0, 0.5, 80.0),
        Category::Scheduler => (12.0, 0.85, 8.0),
        Category::EventBus => (12.0, 0.75, 16.0),
        Category::Cache => (12.0, 0.8, 8.0),
        Category::RateLimit => (12.0, 0.85, 8.0),
        Category::Observability => (12.0, 0.8, 16.0),
        Category::ConnectionPool => (8.0, 0.85, 8.0),
        Category::Config => (8.0, 0.8, 8.0),
        Category::Retry => (4.0, 0.9, 4.0),
    };
    CategoryParams {
        ops_hours_per_year: ops,
        retirable_share: retirable,
        migration_base_hours: base,
    }
}

/// Judgement values: a stateful server that holds the only copy of data (a database) needs
/// backups, restore tests, replication and major upgrades; a broker or a search cluster
/// nearly as much (state, partitions, rebalancing, JVM tuning); a mail server carries
/// deliverability and abuse handling; a cache, an object store and a compute fleet mostly
/// patching and capacity; a gateway its TLS and configuration; a cron host the least.
const fn default_server_ops_hours(class: ServerClass) -> f64 {
    match class {
        ServerClass::Database => 80.0,
        ServerClass::Broker => 60.0,
        ServerClass::Search => 60.0,
        ServerClass::MailServer => 40.0,
        ServerClass::ComputeFleet => 40.0,
        ServerClass::Cache => 30.0,
        ServerClass::ObjectStore => 30.0,
        ServerClass::Gateway => 24.0,
        ServerClass::SchedulerHost => 16.0,
    }
}
