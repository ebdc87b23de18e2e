//! A map with a capacity or expiry that evicts entries: a cache written in-house.

use crate::rules::vocab::{
    CLOCK_CALLS, MAP_TYPES, ORDER_TYPES, REMOVE_CALLS, call_is, calls_any, compares, is_len,
};
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
        // Emits directly, so the words cover the whole condition: a struct with a map field
        // (`MAP_TYPES`) whose methods remove entries (`REMOVE_CALLS`, called as methods).
        rust_needs: &[
            &["struct"],
            &["Map", "Object", "dict", "map["],
            &[
                ".Remove", ".delete", ".evict", ".pop", ".remove", ".retain", ".shift",
                ".swap_remove",
            ],
        ],
        // And a bound or a clock (`bound_or_clock`).
        rust_text: bound_or_clock,
        // In Python: a class with a map field (`MAP_TYPES` in its annotation or value, or a
        // `{..}` literal, which types the field `dict`), a removal (`REMOVE_CALLS` as methods, or
        // `del m[k]`, read as `remove`) and what guards it: a length (`len(x)`, `.length` and
        // `.size` read as `x.len()`) or a size or count against a capacity, or a clock
        // (`CLOCK_CALLS` as the text spells them). The lexical test asks for the guard's
        // comparison in one logical line (`python_guard_text`).
        python_needs: &[
            &["class"],
            &["Map", "Object", "OrderedDict", "dict", "map[", "{"],
            &[
                ".Remove", ".delete", ".evict", ".pop", ".remove", ".retain", ".shift",
                ".swap_remove", "del ", "del\t",
            ],
            &[
                "len(", ".length", "size", "Size", "SIZE", "count", "Count", "COUNT", ".now",
                ".Now", "utcnow", "elapsed", "monotonic", ".Since", "time.time",
            ],
        ],
        python_text: python_guard_text,
        // In JavaScript: a class (or a constructor function: a capitalised `function` assigning
        // `this.x`) whose map field may be typed by a `{}` literal (`Object`), so no word marks
        // it; a removal (`REMOVE_CALLS` as methods, or `delete m[k]`, read as `delete`); and
        // what guards it: a length or size (`.length` and `.size` read as `x.len()`), a size or
        // count against a capacity, or a clock (`Date.now()`, `performance.now()`, ...).
        javascript_needs: &[
            &["class", "function"],
            &[".Remove", "delete", ".evict", ".pop", ".remove", ".retain", ".shift", ".swap_remove"],
            &["len(", ".length", "size", "Size", "SIZE", "count", "Count", "COUNT", ".now", ".Now", "utcnow", "elapsed", "monotonic", ".Since", "time.time"],
        ],
    };
}

/// The Python lexical test, per class and method (`prepass::PythonText`: both guards read one
/// method of a class with a map field): a class naming a map type (`MAP_TYPES`) or assigning a
/// `{..}` literal (a field typed `dict`), and in one of its functions a removal
/// (`REMOVE_CALLS` as methods, or `del`) and a logical line comparing (`<`, `>`, `==`, `!=`,
/// `is`) a length with a field of the instance (`len(self.data) >= self.maxsize`; `.length`
/// and `.size` read as lengths too) or a size, count or length with a capacity (`max..`,
/// `..capacity..`, `..limit`), as `capacity_eviction` needs; or a clock read (`CLOCK_CALLS` as
/// the text spells them) and a line comparing an age or deadline (`elapsed`, `now`, `expire`,
/// `ttl`, `deadline`), as `expiry` needs. Case is ignored where the rule ignores it.
fn python_guard_text(source: &crate::prepass::Source<'_>) -> bool {
    let has = |text: &str, words: &[&str]| crate::prepass::has_any(text, words);
    let maps: Vec<&crate::prepass::PythonBlock<'_>> = source
        .python_classes()
        .iter()
        .filter(|c| {
            has(source.python().code_of(c), MAP_TYPES)
                || assigns_dict_literal(source.python().code_of(c))
        })
        .collect();
    if maps.is_empty() {
        return false;
    }
    source.python_functions().iter().any(|f| {
        if !maps.iter().any(|c| c.holds(f)) {
            return false;
        }
        let removes = has(
            source.python().code_of(f),
            &[
                ".Remove",
                ".delete",
                ".evict",
                ".pop",
                ".remove",
                ".retain",
                ".shift",
                ".swap_remove",
                "del ",
                "del\t",
            ],
        );
        if !removes {
            return false;
        }
        let clock = has(
            source.python().code_of(f),
            &[
                ".now",
                ".Now",
                "utcnow",
                "elapsed",
                "monotonic",
                ".Since",
                "time.time",
            ],
        );
        source
            .python()
            .code_statements_in(f.statements.clone())
            .any(|line| {
                if !crate::rules::vocab::python_line_compares(line) {
                    return false;
                }
                let lower = line.to_ascii_lowercase();
                let length =
                    lower.contains("len(") || lower.contains(".length") || lower.contains(".size");
                // `other.starts_with("self.")`: a comparison's operand is a field.
                let field = compares_field(line);
                // `names_size`: a length, or a size or count.
                let size = length || lower.contains("size") || lower.contains("count");
                let capacity =
                    lower.contains("max") || lower.contains("capacity") || lower.contains("limit");
                let age = clock
                    && ["elapsed", "now", "expire", "ttl", "deadline"]
                        .iter()
                        .any(|w| line.contains(w));
                (length && field) || (size && capacity) || age
            })
    })
}

/// Whether a comparison (`<`, `>`, `<=`, `>=`, `==`, `!=`, `is`) in `line` has an operand that
/// starts with a field of the instance (`self.`, or `this.`, which renders `self`), as
/// `capacity_eviction`'s `other.starts_with("self.")` reads it: the operand after the
/// operator, or the one before it (`left_operand`), past white space, `(`, a sign and `not`.
fn compares_field(line: &str) -> bool {
    let bytes = line.as_bytes();
    let field = |s: &str| {
        let s = s.trim_start_matches(|c: char| {
            c.is_whitespace() || matches!(c, '(' | '\\' | '-' | '+' | '~')
        });
        let s = s
            .strip_prefix("not")
            .filter(|a| a.starts_with(char::is_whitespace))
            .map_or(s, |a| {
                a.trim_start_matches(|c: char| c.is_whitespace() || c == '(')
            });
        s.starts_with("self.") || s.starts_with("this.")
    };
    let mut i = 0;
    while i < bytes.len() {
        let op_len = match (bytes[i], bytes.get(i + 1).copied()) {
            (b'=' | b'!' | b'<' | b'>', Some(b'=')) => 2,
            (b'<' | b'>', next) => {
                let prev = i.checked_sub(1).map(|p| bytes[p]);
                if next == Some(bytes[i]) || prev == Some(bytes[i]) || prev == Some(b'-') {
                    i += 1;
                    continue;
                }
                1
            }
            (b'i', Some(b's')) if word_at(bytes, i, 2) => 2,
            _ => {
                i += 1;
                continue;
            }
        };
        if field(&line[i + op_len..]) || field(left_operand(line, i)) {
            return true;
        }
        i += op_len;
    }
    false
}

/// Whether `bytes[at..at + len]` is a whole word (no name character on either side).
fn word_at(bytes: &[u8], at: usize, len: usize) -> bool {
    let name = |c: &u8| c.is_ascii_alphanumeric() || *c == b'_';
    (at == 0 || !name(&bytes[at - 1])) && bytes.get(at + len).is_none_or(|c| !name(c))
}

/// The text of the left operand of an operator at `op` in `line`: back to the nearest
/// boundary of the expression (an unmatched opening bracket, `,`, `;`, `:`, an assignment's
/// `=`, another comparison, or a keyword such as `if`, `and`, `not`, `return`), skipping over
/// bracketed groups. Comparisons bind looser than arithmetic, calls and attributes, so the
/// operand is all of it.
fn left_operand(line: &str, op: usize) -> &str {
    const BOUNDARY_WORDS: &[&str] = &[
        "and", "assert", "await", "elif", "else", "if", "in", "is", "lambda", "not", "or",
        "return", "while", "yield",
    ];
    let bytes = line.as_bytes();
    let mut j = op;
    while j > 0 {
        let c = bytes[j - 1];
        match c {
            b')' | b']' | b'}' => {
                let open = match c {
                    b')' => b'(',
                    b']' => b'[',
                    _ => b'{',
                };
                let mut depth = 0usize;
                let mut k = j;
                while k > 0 {
                    k -= 1;
                    if bytes[k] == c {
                        depth += 1;
                    } else if bytes[k] == open {
                        depth -= 1;
                        if depth == 0 {
                            break;
                        }
                    }
                }
                j = k;
            }
            b'(' | b'[' | b'{' | b',' | b';' | b':' | b'<' | b'>' | b'!' => break,
            b'=' => break,
            c if c.is_ascii_alphabetic() => {
                let end = j;
                while j > 0 && (bytes[j - 1].is_ascii_alphanumeric() || bytes[j - 1] == b'_') {
                    j -= 1;
                }
                if BOUNDARY_WORDS.contains(&&line[j..end]) && word_at(bytes, j, end - j) {
                    return &line[end..op];
                }
            }
            _ => j -= 1,
        }
    }
    &line[j..op]
}

/// Whether `text` assigns a `{..}` literal (a dict, typing the field `dict`): an `=` that is no
/// comparison, then past white space a `{`.
fn assigns_dict_literal(text: &str) -> bool {
    let bytes = text.as_bytes();
    memchr::memchr_iter(b'=', bytes).any(|i| {
        !matches!(
            i.checked_sub(1).map(|p| bytes[p]),
            Some(b'=' | b'!' | b'<' | b'>')
        ) && bytes.get(i + 1) != Some(&b'=')
            && text[i + 1..]
                .trim_start_matches(|c: char| c.is_whitespace() || c == '\\')
                .starts_with('{')
    })
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
        let expire = methods.iter().find_map(|f| expiry(f, ty));
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

/// Whether `text` compares a length or size with a bound (`capacity_eviction`: a length
/// with a field, or a size or count with a capacity) or calls a clock (`expiry`), lexically.
fn bound_or_clock(text: &str) -> bool {
    let bounds = |len: &str, other: &str| {
        let len = len.trim_end_matches(')').to_ascii_lowercase();
        let other = other.trim_start_matches(['(', '&', '*']);
        (len.ends_with("len(") && other.starts_with("self."))
            || ((len.contains("size") || len.contains("count") || len.ends_with("len(")) && {
                let other = other.to_ascii_lowercase();
                ["max", "capacity", "limit"]
                    .iter()
                    .any(|w| other.contains(w))
            })
    };
    compares(text, |lhs, _, rhs| bounds(lhs, rhs) || bounds(rhs, lhs))
        || calls_any(text, CLOCK_CALLS)
}

/// A length compared with the instance's own limit, and a removal from the entries (the
/// instance itself, one of its maps or ordering fields, or the collection whose length was
/// compared unless it is a field of another type), in one method.
fn capacity_eviction(f: &Function, ty: &TypeDef) -> Option<u32> {
    // A field of a known type that is no map (a work stack, a render list) is not the
    // entries: trimming it when its length reaches a limit evicts nothing.
    let entries_or_unknown = |len: &str| {
        len.strip_prefix("self.")
            .and_then(|name| ty.field(name))
            .is_none_or(|_| entries(len, ty))
    };
    let mut bounded = Vec::new();
    let mut line = None;
    for e in &f.events {
        let EventKind::Binary { op, lhs, rhs } = &e.kind else {
            continue;
        };
        if !op.is_comparison() {
            continue;
        }
        let bound = |len: &str, other: &str| {
            (is_len(len) && other.starts_with("self.") && !is_len(other))
                || (names_size(len) && names_capacity(other))
        };
        for (len, other) in [(lhs, rhs), (rhs, lhs)] {
            let len_of = len.trim_end_matches(".len()");
            if bound(len, other) {
                bounded.push(len_of.to_owned());
                line.get_or_insert(e.line);
            }
        }
    }
    let line = line?;
    let collection = |receiver: &str| {
        entries(receiver, ty)
            || (bounded.iter().any(|b| b == receiver) && entries_or_unknown(receiver))
    };
    f.calls()
        .any(|(_, c)| c.is_method && call_is(c, REMOVE_CALLS) && collection(&c.receiver))
        .then_some(line)
}

/// The entries themselves: the instance, or one of its map or ordering fields.
fn entries(receiver: &str, ty: &TypeDef) -> bool {
    receiver == "self"
        || receiver.strip_prefix("self.").is_some_and(|name| {
            ty.field(name).is_some_and(|fd| {
                MAP_TYPES
                    .iter()
                    .chain(ORDER_TYPES)
                    .any(|t| fd.ty.contains(t))
            })
        })
}

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

/// A clock read compared with an age or deadline, and a removal from the entries (the
/// instance, one of its maps, or a local alias of them; not a database query's `delete()`),
/// in one method.
fn expiry(f: &Function, ty: &TypeDef) -> Option<u32> {
    let clock = f
        .calls()
        .find(|(_, c)| call_is(c, CLOCK_CALLS))
        .map(|(e, _)| e.line)?;
    let compares_time = f.events.iter().any(|e| {
        matches!(&e.kind, EventKind::Binary { op, lhs, rhs } if op.is_comparison()
            && [lhs, rhs].iter().any(|s| s.contains("elapsed") || s.contains("now") || s.contains("expire") || s.contains("ttl") || s.contains("deadline")))
    });
    let local = |r: &str| !r.is_empty() && r.chars().all(|c| c.is_alphanumeric() || c == '_');
    let removes = f.calls().any(|(_, c)| {
        c.is_method && call_is(c, REMOVE_CALLS) && (entries(&c.receiver, ty) || local(&c.receiver))
    });
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

    fn py(src: &str) -> Vec<liability_model::Finding> {
        crate::test_support::findings_in(
            liability_model::Language::Python,
            "t.py",
            src,
            "in-memory-eviction-cache",
        )
    }

    #[test]
    fn bounded_work_stack_beside_a_map_is_silent() {
        let src = "class T:\n    def __init__(self):\n        self.index = {}\n        self.stack = []\n    def run(self):\n        if len(self.stack) >= T.max_stack_size:\n            del self.stack[:]\n        self.stack.pop()\n";
        assert!(py(src).is_empty());
    }

    #[test]
    fn expired_rows_deleted_from_a_database_are_silent() {
        let src = "class B:\n    def __init__(self):\n        self.options = {}\n    def cleanup(self, s):\n        now = datetime.now()\n        s.query(X).filter(X.done < (now - self.expires)).delete()\n";
        assert!(py(src).is_empty());
    }

    #[test]
    fn python_lru_with_an_order_list_is_flagged() {
        let src = "class L:\n    def __init__(self, maxsize):\n        self.data = {}\n        self.order = []\n        self.maxsize = maxsize\n    def put(self, k, v):\n        if len(self.order) >= self.maxsize:\n            old = self.order.pop(0)\n            del self.data[old]\n        self.data[k] = v\n        self.order.append(k)\n";
        assert_eq!(py(src).len(), 1);
    }

    #[test]
    fn python_ttl_expiry_from_the_map_is_flagged() {
        let src = "class T:\n    def __init__(self):\n        self.data = {}\n    def get(self, k):\n        now = time.monotonic()\n        if self.data[k][1] < now:\n            self.data.pop(k)\n";
        assert_eq!(py(src).len(), 1);
    }

    #[test]
    fn lexical_test_asks_for_a_bound_compared_or_a_clock() {
        assert!(super::bound_or_clock(
            "if self.cap <= self.map.len() { evict() }"
        ));
        assert!(super::bound_or_clock("while total_size > MAX_BYTES {"));
        assert!(super::bound_or_clock("let t = Instant::now();"));
        assert!(!super::bound_or_clock(
            "if v.len() > 0 { self.map.remove(&k); }\nlet size = max(a, b);"
        ));
    }
}
