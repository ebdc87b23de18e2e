//! The replacement catalogue: for each category, what replaces it on each cloud, and the
//! suggestion a finding carries in every format.
//!
//! The data lives in `data/replacements.toml` (derived from `docs/taxonomy.md`), embedded with
//! `include_str!` and parsed once. Tests check that its keys and `Category::ALL` agree, that
//! every category has an offer for every provider, and that every `self-managed-infra` subject
//! the scanner knows has its own entry.

use liability_model::{Category, Finding};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;
use std::sync::OnceLock;

/// The catalogue's source text.
pub const CATALOGUE_TOML: &str = include_str!("../data/replacements.toml");

/// The cloud whose services are suggested.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Cloud {
    #[default]
    Aws,
    Azure,
    Gcp,
}

impl Cloud {
    pub const ALL: [Cloud; 3] = [Cloud::Aws, Cloud::Azure, Cloud::Gcp];

    pub const fn id(self) -> &'static str {
        match self {
            Cloud::Aws => "aws",
            Cloud::Azure => "azure",
            Cloud::Gcp => "gcp",
        }
    }

    pub const fn title(self) -> &'static str {
        match self {
            Cloud::Aws => "AWS",
            Cloud::Azure => "Azure",
            Cloud::Gcp => "Google Cloud",
        }
    }
}

impl fmt::Display for Cloud {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

impl FromStr for Cloud {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Cloud::ALL
            .into_iter()
            .find(|c| c.id() == s)
            .ok_or_else(|| format!("unknown cloud `{s}` (expected aws, azure or gcp)"))
    }
}

/// What one provider offers for a concern.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Offer {
    pub services: Vec<String>,
    pub why: String,
    pub steps: Vec<String>,
    pub effort: String,
    pub docs: Vec<String>,
}

/// Advice for one rule or one kind of evidence, per provider.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct Tip {
    #[serde(default)]
    rules: Vec<String>,
    #[serde(default)]
    evidence: Vec<String>,
    aws: String,
    azure: String,
    gcp: String,
}

/// The replacement of one kind of self-managed server.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct Server {
    subjects: Vec<String>,
    name: String,
    aws: Offer,
    azure: Offer,
    gcp: Offer,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct Entry {
    library: String,
    aws: Offer,
    azure: Offer,
    gcp: Offer,
    #[serde(default)]
    tips: Vec<Tip>,
    #[serde(default)]
    servers: Vec<Server>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Raw {
    category: BTreeMap<String, Entry>,
}

/// The parsed catalogue, indexed by category.
#[derive(Debug)]
pub struct Catalogue {
    entries: BTreeMap<Category, Entry>,
}

fn pick<'a>(cloud: Cloud, aws: &'a Offer, azure: &'a Offer, gcp: &'a Offer) -> &'a Offer {
    match cloud {
        Cloud::Aws => aws,
        Cloud::Azure => azure,
        Cloud::Gcp => gcp,
    }
}

impl Catalogue {
    /// Parses catalogue text; every key must be a category id.
    pub fn parse(text: &str) -> Result<Catalogue, String> {
        let raw: Raw = toml::from_str(text).map_err(|e| e.to_string())?;
        let mut entries = BTreeMap::new();
        for (id, entry) in raw.category {
            let category: Category = id.parse().map_err(|e| format!("{e}"))?;
            entries.insert(category, entry);
        }
        Ok(Catalogue { entries })
    }

    /// The embedded catalogue. Its validity is a test (`embedded_catalogue_is_complete`); if
    /// it were ever broken, suggestions fall back to the category title.
    pub fn embedded() -> &'static Catalogue {
        static CATALOGUE: OnceLock<Catalogue> = OnceLock::new();
        CATALOGUE.get_or_init(|| {
            Catalogue::parse(CATALOGUE_TOML).unwrap_or_else(|_| Catalogue {
                entries: BTreeMap::new(),
            })
        })
    }

    /// The categories the catalogue covers.
    pub fn categories(&self) -> impl Iterator<Item = Category> + '_ {
        self.entries.keys().copied()
    }

    /// The suggestion for `finding` on `cloud`.
    pub fn suggest(&self, finding: &Finding, cloud: Cloud) -> Suggestion {
        let Some(entry) = self.entries.get(&finding.category) else {
            return Suggestion::fallback(finding.category, cloud);
        };
        let server = finding.subject.as_deref().and_then(|subject| {
            entry
                .servers
                .iter()
                .find(|s| s.subjects.iter().any(|x| x == subject))
        });
        let (offer, server_name) = match server {
            Some(s) => (pick(cloud, &s.aws, &s.azure, &s.gcp), Some(s.name.clone())),
            None => (pick(cloud, &entry.aws, &entry.azure, &entry.gcp), None),
        };
        let tip = entry
            .tips
            .iter()
            .find(|t| {
                t.rules.iter().any(|r| r == finding.rule)
                    || t.evidence.iter().any(|needle| {
                        finding
                            .evidence
                            .iter()
                            .any(|e| e.message.to_lowercase().contains(needle.as_str()))
                    })
            })
            .map(|t| match cloud {
                Cloud::Aws => t.aws.clone(),
                Cloud::Azure => t.azure.clone(),
                Cloud::Gcp => t.gcp.clone(),
            });
        Suggestion {
            cloud,
            category: finding.category,
            server: server_name,
            services: offer.services.clone(),
            why: offer.why.clone(),
            tip,
            steps: offer.steps.clone(),
            effort: offer.effort.clone(),
            docs: offer.docs.clone(),
            library: entry.library.clone(),
        }
    }
}

/// What to replace a finding with, on one cloud: the service, why it fits, the first steps.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Suggestion {
    pub cloud: Cloud,
    pub category: Category,
    /// The kind of server, for `self-managed-infra` findings with a known subject.
    pub server: Option<String>,
    /// Service names, serverless-first.
    pub services: Vec<String>,
    /// Why it fits, one line.
    pub why: String,
    /// Advice specific to the finding's rule or evidence, if the catalogue has some.
    pub tip: Option<String>,
    /// First migration steps.
    pub steps: Vec<String>,
    /// Typical migration effort, in words.
    pub effort: String,
    /// Documentation links (https).
    pub docs: Vec<String>,
    /// A well-kept library, when the code must stay in-process.
    pub library: String,
}

impl Suggestion {
    fn fallback(category: Category, cloud: Cloud) -> Suggestion {
        Suggestion {
            cloud,
            category,
            server: None,
            services: vec![format!(
                "a managed {} service",
                category.title().to_lowercase()
            )],
            why: "a provider already runs this capability".to_owned(),
            tip: None,
            steps: Vec::new(),
            effort: String::new(),
            docs: Vec::new(),
            library: String::new(),
        }
    }

    /// The services joined for a headline: `API Gateway HTTP API + AWS Lambda`.
    pub fn headline(&self) -> String {
        self.services.join(" + ")
    }

    /// One line: the services, then the tip (or why).
    pub fn one_line(&self) -> String {
        format!(
            "{} — {}",
            self.headline(),
            self.tip.as_deref().unwrap_or(&self.why)
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use liability_model::{Complexity, Confidence, Evidence, LineSpan};

    pub(crate) fn finding(category: Category, rule: &'static str) -> Finding {
        Finding {
            rule,
            category,
            path: "src/a.rs".into(),
            span: LineSpan::new(1, 10),
            component: "fn a".into(),
            definition: String::new(),
            subject: None,
            confidence: Confidence::High,
            evidence: vec![Evidence {
                path: None,
                line: 2,
                rule,
                message: "loops".into(),
            }],
            code_lines: 8,
            file_code_lines: 8,
            complexity: Complexity::default(),
            liability: None,
            snippet: Vec::new(),
            line_hash: None,
        }
    }

    #[test]
    fn embedded_catalogue_is_complete() {
        let catalogue = Catalogue::parse(CATALOGUE_TOML).expect("the catalogue parses");
        let keys: Vec<Category> = catalogue.categories().collect();
        assert_eq!(
            keys,
            Category::ALL.to_vec(),
            "catalogue keys != Category::ALL"
        );
        for (category, entry) in &catalogue.entries {
            assert!(!entry.library.is_empty(), "{category}: no library fallback");
            let mut offers = vec![(None, &entry.aws), (None, &entry.azure), (None, &entry.gcp)];
            for s in &entry.servers {
                offers.extend([
                    (Some(&s.name), &s.aws),
                    (Some(&s.name), &s.azure),
                    (Some(&s.name), &s.gcp),
                ]);
            }
            for (server, offer) in offers {
                let at = format!("{category} {server:?}");
                assert!(!offer.services.is_empty(), "{at}: no services");
                assert!(!offer.why.is_empty() && !offer.effort.is_empty(), "{at}");
                assert!((2..=5).contains(&offer.steps.len()), "{at}: steps");
                assert!(!offer.docs.is_empty(), "{at}: no docs");
                for url in &offer.docs {
                    assert!(url.starts_with("https://"), "{at}: {url}");
                }
            }
            for tip in &entry.tips {
                assert!(!tip.rules.is_empty() || !tip.evidence.is_empty());
                assert!(!tip.aws.is_empty() && !tip.azure.is_empty() && !tip.gcp.is_empty());
                for needle in &tip.evidence {
                    assert_eq!(
                        needle,
                        &needle.to_lowercase(),
                        "evidence needles are lowercase"
                    );
                }
            }
        }
    }

    #[test]
    fn every_server_subject_has_its_own_entry() {
        // The subjects of `liability_model`'s infrastructure scanner (kept in sync by hand).
        const SUBJECTS: &[&str] = &[
            "postgres",
            "mysql",
            "mariadb",
            "mongodb",
            "cassandra",
            "couchdb",
            "clickhouse",
            "influxdb",
            "neo4j",
            "redis",
            "valkey",
            "memcached",
            "rabbitmq",
            "kafka",
            "zookeeper",
            "nats",
            "activemq",
            "mosquitto",
            "elasticsearch",
            "opensearch",
            "solr",
            "nginx",
            "haproxy",
            "traefik",
            "envoy",
            "httpd",
            "cron",
            "smtp",
            "minio",
            "compute-fleet",
        ];
        let catalogue = Catalogue::embedded();
        for subject in SUBJECTS {
            let mut f = finding(Category::SelfManagedInfra, "self-managed-server");
            f.subject = Some((*subject).to_owned());
            for cloud in Cloud::ALL {
                let s = catalogue.suggest(&f, cloud);
                assert!(s.server.is_some(), "no entry for subject {subject}");
            }
        }
        let mut seen = std::collections::BTreeSet::new();
        for server in &catalogue.entries[&Category::SelfManagedInfra].servers {
            for s in &server.subjects {
                assert!(seen.insert(s.clone()), "subject {s} listed twice");
            }
        }
    }

    #[test]
    fn suggestions_follow_cloud_rule_and_subject() {
        let c = Catalogue::embedded();
        let retry = finding(Category::Retry, "hand-rolled-retry-loop");
        let aws = c.suggest(&retry, Cloud::Aws);
        assert!(
            aws.tip
                .as_deref()
                .is_some_and(|t| t.contains("SDK already retries"))
        );
        assert!(c.suggest(&retry, Cloud::Azure).headline().contains("Azure"));
        let ws = finding(Category::Realtime, "websocket-protocol-by-hand");
        assert!(
            c.suggest(&ws, Cloud::Aws)
                .headline()
                .contains("WebSocket APIs")
        );
        let mut pg = finding(Category::SelfManagedInfra, "x");
        pg.subject = Some("postgres".into());
        assert!(c.suggest(&pg, Cloud::Aws).headline().contains("Aurora"));
        assert!(c.suggest(&pg, Cloud::Gcp).headline().contains("Cloud SQL"));
        let mut http = finding(Category::HttpServer, "hand-rolled-http-server");
        http.evidence[0].message = "answers the Sec-WebSocket-Key handshake".into();
        assert!(c.suggest(&http, Cloud::Aws).tip.is_some());
    }

    #[test]
    fn cloud_ids_round_trip() {
        for c in Cloud::ALL {
            assert_eq!(c.id().parse::<Cloud>(), Ok(c));
        }
        assert!("ibm".parse::<Cloud>().is_err());
    }
}
