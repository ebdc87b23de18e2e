//! A map with a capacity or expiry that evicts entries: a cache written in-house.

use crate::rules::vocab::{CLOCK_CALLS, MAP_TYPES, ORDER_TYPES, REMOVE_CALLS, call_is, is_len};
use crate::rules::{Component, Signal, Sink, declare_rule};
use liability_model::{Category, EventKind, FileFacts, Function, TypeDef, TypeKind};

declare_rule! {
    /// ## What it does
    /// Finds a type that keeps entries in a map and evicts them: when the map reaches a
    /// capacity it removes an entry (LRU, FIFO, ...), or it drops entries whose time-to-live
    /// has passed. An ordering structure (a linked list, a deque, raw node pointers) beside
    /// the map is further evidence.
    ///
    /// ## Why is this a liability?
    /// Caches are where correctness bugs hide: stale reads, unbounded growth, races between
    /// check and insert, invalidation that misses a path. An in-process cache is also per
    /// instance, so every replica warms its own copy and they disagree.
    ///
    /// ## Example
    /// ```rust
    /// struct Store { map: HashMap<String, Vec<u8>>, order: VecDeque<String>, cap: usize }
    /// impl Store {
    ///     fn put(&mut self, k: String, v: Vec<u8>) {
    ///         if self.map.len() >= self.cap {
    ///             if let Some(old) = self.order.pop_front() { self.map.remove(&old); }
    ///         }
    ///         self.order.push_back(k.clone());
    ///         self.map.insert(k, v);
    ///     }
    /// }
    /// ```
    ///
    /// ## Use instead
    /// ElastiCache Serverless or DAX (Azure Cache for Redis; Memorystore), or CloudFront in
    /// front of the origin. In-process, the `moka` or `lru` crates.
    ///
    /// ## Known limits
    /// A bounded map used as a plain data structure (a symbol table with a size limit) is
    /// reported too; the rule needs a removal guarded by a length or time check.
    pub static IN_MEMORY_EVICTION_CACHE = {
        id: "in-memory-eviction-cache",
        category: Category::Cache,
        summary: "a map with capacity or time-to-live eviction",
        check: check,
    };
}

fn check(facts: &FileFacts, sink: &mut Sink<'_>) {
    for ty in facts.types.iter().filter(|t| t.kind == TypeKind::Struct) {
        let Some(map) = ty
            .fields
            .iter()
            .find(|f| MAP_TYPES.iter().any(|m| f.ty.contains(m)))
        else {
            continue;
        };
        let methods: Vec<&Function> = facts.methods_of(&ty.name).collect();
        let evict = methods.iter().find_map(|f| capacity_eviction(f, ty));
        let expire = methods.iter().find_map(|f| expiry(f));
        if evict.is_none() && expire.is_none() {
            continue;
        }
        let mut signals = vec![Signal::new(
            ty.span.start,
            format!("keeps entries in a map (`{}`)", map.name),
        )];
        if let Some(line) = evict {
            signals.push(Signal::new(
                line,
                "removes an entry when the map reaches its capacity",
            ));
        }
        if let Some(line) = expire {
            signals.push(Signal::new(
                line,
                "drops entries whose time-to-live has passed",
            ));
        }
        if let Some(order) = ty
            .fields
            .iter()
            .find(|f| f.name != map.name && ORDER_TYPES.iter().any(|o| f.ty.contains(o)))
        {
            signals.push(Signal::new(
                ty.span.start,
                format!("tracks eviction order in `{}`", order.name),
            ));
        }
        if let Some(component) = Component::of_type(facts, &ty.name) {
            sink.emit(component, signals);
        }
    }
}

/// A length compared with the instance's own limit, and a removal from the entries (the
/// instance itself, one of its collections, or the collection whose length was compared),
/// in one method.
fn capacity_eviction(f: &Function, ty: &TypeDef) -> Option<u32> {
    let mut bounded = Vec::new();
    let line = f.events.iter().find_map(|e| match &e.kind {
        EventKind::Binary { op, lhs, rhs } if op.is_comparison() => {
            let bound = |len: &str, other: &str| {
                (is_len(len) && other.starts_with("self.") && !is_len(other))
                    || (names_size(len) && names_capacity(other))
            };
            for (len, other) in [(lhs, rhs), (rhs, lhs)] {
                if bound(len, other) {
                    bounded.push(len.trim_end_matches(".len()").to_owned());
                }
            }
            (!bounded.is_empty()).then_some(e.line)
        }
        _ => None,
    })?;
    let collection = |receiver: &str| {
        receiver == "self"
            || bounded.iter().any(|b| b == receiver)
            || receiver.strip_prefix("self.").is_some_and(|name| {
                ty.field(name).is_some_and(|fd| {
                    MAP_TYPES
                        .iter()
                        .chain(ORDER_TYPES)
                        .any(|t| fd.ty.contains(t))
                })
            })
    };
    f.calls()
        .any(|(_, c)| c.is_method && call_is(c, REMOVE_CALLS) && collection(&c.receiver))
        .then_some(line)
}

/// A clock read compared with an age or deadline, and a removal, in one method.
/// A running size (`self.currsize + n`, `this.length`) compared with a capacity.
fn names_size(operand: &str) -> bool {
    let o = operand.to_ascii_lowercase();
    is_len(operand) || ((o.contains("size") || o.contains("count")) && !names_capacity(operand))
}

/// A capacity bound: `maxsize`, `self.max_entries`, `capacity`, `limit`.
fn names_capacity(operand: &str) -> bool {
    let o = operand.to_ascii_lowercase();
    let last = o.rsplit('.').next().unwrap_or(&o);
    last.starts_with("max") || last.contains("capacity") || last.ends_with("limit")
}

fn expiry(f: &Function) -> Option<u32> {
    let clock = f
        .calls()
        .find(|(_, c)| call_is(c, CLOCK_CALLS))
        .map(|(e, _)| e.line)?;
    let compares_time = f.events.iter().any(|e| {
        matches!(&e.kind, EventKind::Binary { op, lhs, rhs } if op.is_comparison()
            && [lhs, rhs].iter().any(|s| s.contains("elapsed") || s.contains("now") || s.contains("expire") || s.contains("ttl") || s.contains("deadline")))
    });
    let removes = f
        .calls()
        .any(|(_, c)| c.is_method && call_is(c, REMOVE_CALLS));
    (compares_time && removes).then_some(clock)
}

#[cfg(test)]
mod tests {
    use crate::test_support::findings_for;

    #[test]
    fn flags_capacity_bounded_map_under_any_name() {
        let src = "struct Store { map: HashMap<String, u8>, order: VecDeque<String>, cap: usize }\nimpl Store {\n    fn put(&mut self, k: String) {\n        if self.map.len() >= self.cap {\n            if let Some(o) = self.order.pop_front() { self.map.remove(&o); }\n        }\n    }\n}\n";
        let found = findings_for(src, "in-memory-eviction-cache");
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].evidence.len(), 3);
    }

    #[test]
    fn removal_from_an_unrelated_list_is_silent() {
        let src = "class Conn {\n  constructor() { this.auth = new Map(); this.rest = ''; }\n  onData(data) {\n    if (this.rest.length > this.maxSize) { return; }\n    const lines = data.split('\\n');\n    this.rest = lines.pop();\n  }\n}\n";
        assert!(
            crate::test_support::findings_in(
                liability_model::Language::JavaScript,
                "t.js",
                src,
                "in-memory-eviction-cache"
            )
            .is_empty()
        );
    }

    #[test]
    fn map_named_cache_without_eviction_is_silent() {
        let src = "struct Cache { map: HashMap<String, u8> }\nimpl Cache {\n    fn get(&self, k: &str) -> Option<&u8> { self.map.get(k) }\n    fn put(&mut self, k: String, v: u8) { self.map.insert(k, v); }\n}\n";
        assert!(findings_for(src, "in-memory-eviction-cache").is_empty());
    }
}
