//! Concern categories: the stable ids of `docs/taxonomy.md`.
//!
//! Ids are a contract: reports, baselines and configuration files refer to them, so an id is
//! never renamed. The enum order is the order of the taxonomy table and the order in which
//! reports list categories.

use std::fmt;
use std::str::FromStr;

/// A concern that a managed service or a well-kept library already covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Category {
    HttpServer,
    Queue,
    EventBus,
    Scheduler,
    Workflow,
    Retry,
    Cache,
    RateLimit,
    Auth,
    Authz,
    Storage,
    Database,
    Search,
    Notification,
    Observability,
    Config,
    ConnectionPool,
    Realtime,
    Crypto,
    Framework,
    SelfManagedInfra,
}

impl Category {
    /// Every category, in taxonomy order.
    pub const ALL: [Category; 21] = [
        Category::HttpServer,
        Category::Queue,
        Category::EventBus,
        Category::Scheduler,
        Category::Workflow,
        Category::Retry,
        Category::Cache,
        Category::RateLimit,
        Category::Auth,
        Category::Authz,
        Category::Storage,
        Category::Database,
        Category::Search,
        Category::Notification,
        Category::Observability,
        Category::Config,
        Category::ConnectionPool,
        Category::Realtime,
        Category::Crypto,
        Category::Framework,
        Category::SelfManagedInfra,
    ];

    /// The stable kebab-case id.
    pub const fn id(self) -> &'static str {
        match self {
            Category::HttpServer => "http-server",
            Category::Queue => "queue",
            Category::EventBus => "event-bus",
            Category::Scheduler => "scheduler",
            Category::Workflow => "workflow",
            Category::Retry => "retry",
            Category::Cache => "cache",
            Category::RateLimit => "rate-limit",
            Category::Auth => "auth",
            Category::Authz => "authz",
            Category::Storage => "storage",
            Category::Database => "database",
            Category::Search => "search",
            Category::Notification => "notification",
            Category::Observability => "observability",
            Category::Config => "config",
            Category::ConnectionPool => "connection-pool",
            Category::Realtime => "realtime",
            Category::Crypto => "crypto",
            Category::Framework => "framework",
            Category::SelfManagedInfra => "self-managed-infra",
        }
    }

    /// A short human title, for report headings.
    pub const fn title(self) -> &'static str {
        match self {
            Category::HttpServer => "HTTP server",
            Category::Queue => "Job queue",
            Category::EventBus => "Event bus",
            Category::Scheduler => "Scheduler",
            Category::Workflow => "Workflow engine",
            Category::Retry => "Retry / backoff",
            Category::Cache => "Cache",
            Category::RateLimit => "Rate limiter",
            Category::Auth => "Authentication",
            Category::Authz => "Authorisation",
            Category::Storage => "Blob storage",
            Category::Database => "Database",
            Category::Search => "Search",
            Category::Notification => "Notification",
            Category::Observability => "Observability",
            Category::Config => "Configuration",
            Category::ConnectionPool => "Connection pool",
            Category::Realtime => "Realtime",
            Category::Crypto => "Cryptography",
            Category::Framework => "In-house framework",
            Category::SelfManagedInfra => "Self-managed infrastructure",
        }
    }
}

impl fmt::Display for Category {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

/// The error of parsing a string that is not a category id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownCategory(pub String);

impl fmt::Display for UnknownCategory {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "unknown category `{}`", self.0)
    }
}

impl std::error::Error for UnknownCategory {}

impl FromStr for Category {
    type Err = UnknownCategory;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Category::ALL
            .into_iter()
            .find(|c| c.id() == s)
            .ok_or_else(|| UnknownCategory(s.to_owned()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_round_trip_and_are_unique() {
        let mut seen = std::collections::BTreeSet::new();
        for c in Category::ALL {
            assert_eq!(c.id().parse::<Category>(), Ok(c));
            assert!(seen.insert(c.id()), "duplicate id {}", c.id());
        }
        assert!("cachee".parse::<Category>().is_err());
    }

    #[test]
    fn all_is_in_declaration_order() {
        let mut sorted = Category::ALL;
        sorted.sort();
        assert_eq!(sorted, Category::ALL);
    }
}
