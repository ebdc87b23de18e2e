//! A bounded YAML document tree built from `saphyr-parser` events, with line numbers.
//!
//! Why not a YAML loader: `saphyr`'s and `yaml-rust2`'s loaders deep-clone an anchor's subtree
//! at every alias, with no limit (saphyr issue #109), so a 300-byte "billion laughs" file
//! allocates billions of nodes; `serde_yaml` caps alias replay but is deprecated and its
//! `Value` carries no line numbers. Here the event parser (iterative, no recursion) feeds an
//! arena in which an alias is a *reference* to the anchored node, never a copy: the tree is
//! linear in the input. Lookups that follow aliases (and `<<` merge keys) draw on a budget
//! proportional to the tree's size, so walking a hostile tree stops early instead of
//! expanding it; `exhausted()` then tells the caller its reading is partial.

use saphyr_parser::{Event, Parser};
use std::cell::Cell;
use std::collections::HashMap;

/// Most nodes a file may have (events of a 1 MiB file stay well below this).
pub const MAX_NODES: usize = 500_000;
/// Deepest nesting of collections accepted.
pub const MAX_DEPTH: usize = 512;
/// Alias resolutions and merge steps allowed per node of the tree.
const BUDGET_PER_NODE: u64 = 16;

/// An index into the arena.
pub type NodeId = usize;

/// What a node holds.
#[derive(Debug, Clone)]
pub enum Kind {
    Scalar(String),
    Seq(Vec<NodeId>),
    Map(Vec<(NodeId, NodeId)>),
    /// A reference to an anchored node.
    Alias(NodeId),
    /// An alias to an unknown anchor.
    Null,
}

/// One node with its first and last line (1-based).
#[derive(Debug, Clone)]
pub struct Node {
    pub kind: Kind,
    pub line: u32,
    pub end: u32,
}

/// Every document of one YAML file.
#[derive(Debug)]
pub struct Yaml {
    nodes: Vec<Node>,
    /// The root node of each document.
    pub docs: Vec<NodeId>,
    budget: Cell<u64>,
    exhausted: Cell<bool>,
}

struct Frame {
    id: NodeId,
    pending_key: Option<NodeId>,
}

fn line_of(marker: &saphyr_parser::Marker) -> u32 {
    u32::try_from(marker.line()).unwrap_or(u32::MAX).max(1)
}

impl Yaml {
    /// Parses `text`. The error names the line and column.
    pub fn parse(text: &str) -> Result<Yaml, String> {
        let mut yaml = Yaml {
            nodes: Vec::new(),
            docs: Vec::new(),
            budget: Cell::new(0),
            exhausted: Cell::new(false),
        };
        let mut stack: Vec<Frame> = Vec::new();
        let mut anchors: HashMap<usize, NodeId> = HashMap::new();
        for event in Parser::new_from_str(text) {
            let (event, span) = event.map_err(|e| {
                format!(
                    "line {} column {}: {}",
                    e.marker().line(),
                    e.marker().col() + 1,
                    e.info()
                )
            })?;
            if yaml.nodes.len() >= MAX_NODES {
                return Err(format!("more than {MAX_NODES} nodes"));
            }
            let line = line_of(&span.start);
            let mut end = line_of(&span.end);
            if span.end.col() == 0 && end > line {
                end -= 1;
            }
            let (kind, anchor, opens) = match event {
                Event::Scalar(value, _, anchor, _) => {
                    (Kind::Scalar(value.into_owned()), anchor, false)
                }
                Event::Alias(id) => (
                    anchors.get(&id).map_or(Kind::Null, |&n| Kind::Alias(n)),
                    0,
                    false,
                ),
                Event::SequenceStart(anchor, _) => (Kind::Seq(Vec::new()), anchor, true),
                Event::MappingStart(anchor, _) => (Kind::Map(Vec::new()), anchor, true),
                Event::SequenceEnd | Event::MappingEnd => {
                    let Some(frame) = stack.pop() else {
                        return Err(format!("line {line}: unbalanced collection end"));
                    };
                    let node_end = yaml.nodes[frame.id].end;
                    yaml.attach(&mut stack, frame.id, node_end);
                    continue;
                }
                _ => continue,
            };
            let id = yaml.nodes.len();
            yaml.nodes.push(Node {
                kind,
                line,
                end: if opens { line } else { end.max(line) },
            });
            if anchor != 0 {
                anchors.insert(anchor, id);
            }
            if opens {
                if stack.len() >= MAX_DEPTH {
                    return Err(format!(
                        "line {line}: nesting deeper than {MAX_DEPTH} levels"
                    ));
                }
                stack.push(Frame {
                    id,
                    pending_key: None,
                });
            } else {
                let node_end = yaml.nodes[id].end;
                yaml.attach(&mut stack, id, node_end);
            }
        }
        let size = u64::try_from(yaml.nodes.len()).unwrap_or(u64::MAX);
        yaml.budget
            .set(size.saturating_mul(BUDGET_PER_NODE).saturating_add(1_000));
        Ok(yaml)
    }

    /// Puts a finished node into its parent (or makes it a document root).
    fn attach(&mut self, stack: &mut [Frame], id: NodeId, end: u32) {
        let Some(parent) = stack.last_mut() else {
            self.docs.push(id);
            return;
        };
        let pid = parent.id;
        match &mut self.nodes[pid].kind {
            Kind::Seq(items) => items.push(id),
            Kind::Map(entries) => match parent.pending_key.take() {
                Some(key) => entries.push((key, id)),
                None => parent.pending_key = Some(id),
            },
            _ => {}
        }
        // A parent ends where its last child ends.
        for frame in stack.iter() {
            let node = &mut self.nodes[frame.id];
            node.end = node.end.max(end);
        }
    }

    /// Whether a lookup ran out of budget (the file is read only partly).
    pub fn exhausted(&self) -> bool {
        self.exhausted.get()
    }

    fn spend(&self) -> bool {
        let left = self.budget.get();
        if left == 0 {
            self.exhausted.set(true);
            return false;
        }
        self.budget.set(left - 1);
        true
    }

    /// The node, with aliases followed (each step costs budget).
    pub fn node(&self, id: NodeId) -> Option<&Node> {
        let mut id = id;
        for _ in 0..32 {
            let node = self.nodes.get(id)?;
            match node.kind {
                Kind::Alias(target) => {
                    if !self.spend() {
                        return None;
                    }
                    id = target;
                }
                Kind::Null => return None,
                _ => return Some(node),
            }
        }
        None
    }

    /// The first line of a node (of the alias itself, not its target).
    pub fn line(&self, id: NodeId) -> u32 {
        self.nodes.get(id).map_or(1, |n| n.line)
    }

    /// The last line of a node.
    pub fn end(&self, id: NodeId) -> u32 {
        self.nodes.get(id).map_or(1, |n| n.end)
    }

    /// The scalar text of a node.
    pub fn str(&self, id: NodeId) -> Option<&str> {
        match &self.node(id)?.kind {
            Kind::Scalar(s) => Some(s),
            _ => None,
        }
    }

    /// The items of a sequence (empty for anything else).
    pub fn seq(&self, id: NodeId) -> &[NodeId] {
        match self.node(id).map(|n| &n.kind) {
            Some(Kind::Seq(items)) => items,
            _ => &[],
        }
    }

    /// The entries of a mapping, `<<` merge keys expanded (own keys first), as
    /// (key text, key node, value node).
    pub fn entries(&self, id: NodeId) -> Vec<(&str, NodeId, NodeId)> {
        let mut out = Vec::new();
        self.collect_entries(id, 0, &mut out);
        out
    }

    fn collect_entries<'a>(
        &'a self,
        id: NodeId,
        depth: u32,
        out: &mut Vec<(&'a str, NodeId, NodeId)>,
    ) {
        if depth > 8 || !self.spend() {
            return;
        }
        let Some(Node {
            kind: Kind::Map(entries),
            ..
        }) = self.node(id)
        else {
            return;
        };
        let mut merges = Vec::new();
        for &(k, v) in entries {
            match self.str(k) {
                Some("<<") => merges.push(v),
                Some(key) if !out.iter().any(|(seen, _, _)| *seen == key) => {
                    out.push((key, k, v));
                }
                Some(_) => {}
                None => {}
            }
        }
        for m in merges {
            if self.seq(m).is_empty() {
                self.collect_entries(m, depth + 1, out);
            } else {
                for &item in self.seq(m) {
                    self.collect_entries(item, depth + 1, out);
                }
            }
        }
    }

    /// The value of `key` in mapping `id`.
    pub fn get(&self, id: NodeId, key: &str) -> Option<NodeId> {
        self.entries(id)
            .into_iter()
            .find(|(k, _, _)| *k == key)
            .map(|(_, _, v)| v)
    }

    /// The value at a path of keys.
    pub fn path(&self, id: NodeId, keys: &[&str]) -> Option<NodeId> {
        keys.iter().try_fold(id, |at, key| self.get(at, key))
    }

    /// The scalar at a path of keys.
    pub fn path_str(&self, id: NodeId, keys: &[&str]) -> Option<&str> {
        self.str(self.path(id, keys)?)
    }

    /// Whether a node is a mapping.
    pub fn is_map(&self, id: NodeId) -> bool {
        matches!(self.node(id).map(|n| &n.kind), Some(Kind::Map(_)))
    }

    /// Every (key, value) pair anywhere under `id`, depth first, up to `max_depth` levels;
    /// aliases are followed within the budget.
    pub fn walk(&self, id: NodeId, max_depth: u32, visit: &mut dyn FnMut(&str, NodeId)) {
        let mut stack = vec![(id, 0u32)];
        while let Some((at, depth)) = stack.pop() {
            if depth > max_depth || !self.spend() {
                continue;
            }
            match self.node(at).map(|n| &n.kind) {
                Some(Kind::Map(_)) => {
                    let entries = self.entries(at);
                    for (key, _, value) in entries.into_iter().rev() {
                        visit(key, value);
                        stack.push((value, depth + 1));
                    }
                }
                Some(Kind::Seq(items)) => {
                    for &item in items.iter().rev() {
                        stack.push((item, depth + 1));
                    }
                }
                _ => {}
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_maps_sequences_lines_and_merge_keys() {
        let y = Yaml::parse(
            "x-db: &db\n  image: postgres:16\n  restart: always\nservices:\n  db:\n    <<: *db\n    ports:\n      - 5432:5432\n",
        )
        .unwrap();
        let root = y.docs[0];
        let db = y.path(root, &["services", "db"]).unwrap();
        assert_eq!(y.path_str(db, &["image"]), Some("postgres:16"));
        let ports = y.get(db, "ports").unwrap();
        assert_eq!(y.str(y.seq(ports)[0]), Some("5432:5432"));
        assert_eq!(y.line(db), 6);
        assert_eq!(y.end(db), 8);
        assert!(!y.exhausted());
    }

    #[test]
    fn several_documents() {
        let y = Yaml::parse("a: 1\n---\nb: 2\n").unwrap();
        assert_eq!(y.docs.len(), 2);
        assert_eq!(y.line(y.docs[1]), 3);
    }

    #[test]
    fn invalid_yaml_is_an_error_with_a_line() {
        let err = Yaml::parse("a: [1, 2\nb: }\n").unwrap_err();
        assert!(err.starts_with("line "), "{err}");
    }

    /// The classic alias bomb: nine levels of nine aliases would be 9^9 nodes if expanded.
    #[test]
    fn billion_laughs_stays_small_and_fast() {
        let mut text = String::from(
            "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
        );
        let names = ["a", "b", "c", "d", "e", "f", "g", "h", "i", "j"];
        for pair in names.windows(2) {
            let refs = vec![format!("*{}", pair[0]); 9].join(",");
            text.push_str(&format!("{}: &{} [{refs}]\n", pair[1], pair[1]));
        }
        let started = std::time::Instant::now();
        let y = Yaml::parse(&text).unwrap();
        assert!(y.nodes.len() < 200, "{} nodes", y.nodes.len());
        let mut visited = 0u64;
        y.walk(y.docs[0], 64, &mut |_, _| visited += 1);
        y.walk(y.docs[0], 64, &mut |_, _| visited += 1);
        assert!(y.exhausted(), "the walk should run out of budget");
        assert!(visited < 10_000, "{visited} entries visited");
        assert!(started.elapsed() < std::time::Duration::from_secs(2));
    }

    #[test]
    fn deep_nesting_is_refused() {
        let text = format!(
            "{}{}",
            "[".repeat(MAX_DEPTH + 10),
            "]".repeat(MAX_DEPTH + 10)
        );
        let err = Yaml::parse(&text).unwrap_err();
        assert!(
            err.contains("nesting") || err.contains("recursion"),
            "{err}"
        );
    }
}
