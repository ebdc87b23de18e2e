//! Shared vocabulary: which calls sleep, which remove, which count time. Kept as sorted
//! tables so that a new front-end only has to map its own spellings onto these names. Each
//! table holds every language's spelling (Rust, Python, JavaScript/TypeScript, Go); the
//! front-ends normalise what a table cannot express (JavaScript's
//! `new Promise(r => setTimeout(r, ms))` is a `sleep` call, `del d[k]` a `remove`).

use liability_model::{Call, Event, FileFacts, Function, Literal};

/// Calls that pause the current thread or task (matched on path suffix).
pub const SLEEP_CALLS: &[&str] = &[
    "Delay::new",
    "Timer::after",
    "delay_for",
    "sleep",
    "sleep_ms",
    "sleep_until",
    "time::After",
    "time::Sleep",
];

/// How the Python front-end's sleeps (`SLEEP_CALLS`) read in Python text: the words the
/// lexical tests of the retry loop and the job queue's poller look for in one function.
pub const PYTHON_SLEEPS: &[&str] = &[
    "sleep",
    "time.Sleep",
    "Delay.new",
    "Timer.after",
    "time.After",
    "delay_for",
];

/// Calls that remove an entry from a collection.
pub const REMOVE_CALLS: &[&str] = &[
    "Remove",
    "delete",
    "evict",
    "pop",
    "pop_back",
    "pop_first",
    "pop_front",
    "pop_last",
    "pop_lru",
    "popitem",
    "remove",
    "remove_entry",
    "remove_last",
    "remove_lru",
    "retain",
    "shift",
    "shift_remove",
    "swap_remove",
];

/// Calls that read a clock.
pub const CLOCK_CALLS: &[&str] = &[
    "Date::now",
    "Instant::now",
    "Local::now",
    "SystemTime::now",
    "Utc::now",
    "datetime::now",
    "datetime::utcnow",
    "elapsed",
    "monotonic",
    "performance::now",
    "time::Now",
    "time::Since",
    "time::time",
];

/// Calls that produce random numbers (jitter).
pub const RANDOM_CALLS: &[&str] = &[
    "Math::random",
    "fastrand::f64",
    "fastrand::u64",
    "gen",
    "gen_range",
    "rand",
    "rand::Float64",
    "rand::Int63n",
    "rand::Intn",
    "randint",
    "random",
    "random_range",
    "thread_rng",
    "uniform",
];

/// The whole process environment as a mapping, as operands render it (`os.environ`,
/// `process.env`).
pub const ENV_MAPPINGS: &[&str] = &["os.environ", "process.env"];

/// Calls that set one process environment variable (matched on path suffix).
pub const ENV_WRITE_CALLS: &[&str] = &[
    "env::set_var",
    "os::Setenv",
    "os::environ::setdefault",
    "os::putenv",
];

/// SQL clauses a query builder assembles queries from, as upper-case phrases.
pub const SQL_QUERY_CLAUSES: &[&str] = &[
    "FROM", "GROUP BY", "HAVING", "JOIN", "LIMIT", "OFFSET", "ORDER BY", "SELECT", "UNION", "WHERE",
];

/// SQL clauses a query builder assembles writes from, as upper-case phrases.
pub const SQL_WRITE_CLAUSES: &[&str] = &[
    "DELETE FROM",
    "INSERT INTO",
    "ON CONFLICT",
    "RETURNING",
    "SET",
    "UPDATE",
    "VALUES",
];

/// Upper-case SQL keywords: a literal made of these alone (and placeholders) is a fragment
/// of a statement being assembled, not a statement.
pub const SQL_KEYWORDS: &[&str] = &[
    "ALL",
    "AND",
    "AS",
    "ASC",
    "BY",
    "CONFLICT",
    "CROSS",
    "DELETE",
    "DESC",
    "DISTINCT",
    "DO",
    "EXCEPT",
    "EXISTS",
    "FROM",
    "FULL",
    "GROUP",
    "HAVING",
    "IGNORE",
    "IN",
    "INNER",
    "INSERT",
    "INTERSECT",
    "INTO",
    "IS",
    "JOIN",
    "LEFT",
    "LIKE",
    "LIMIT",
    "NOT",
    "NOTHING",
    "NULL",
    "OFFSET",
    "ON",
    "OR",
    "ORDER",
    "OUTER",
    "REPLACE",
    "RETURNING",
    "RIGHT",
    "SELECT",
    "SET",
    "UNION",
    "UPDATE",
    "USING",
    "VALUES",
    "WHERE",
    "WITH",
];

/// Calls that read one process environment variable (matched on path suffix).
pub const ENV_READ_CALLS: &[&str] = &[
    "env::var",
    "env::var_os",
    "os::Getenv",
    "os::LookupEnv",
    "os::environ::get",
    "os::getenv",
];

/// Names of the strategies a retry controller consults to decide whether to give up
/// (`self.stop(state)`), matched on a field called as a method.
pub const RETRY_STOP_STRATEGIES: &[&str] = &[
    "give_up",
    "should_give_up",
    "should_retry",
    "should_stop",
    "stop",
];

/// Names of the strategies a retry controller consults for the next delay
/// (`self.wait(state)`), matched on a field called as a method.
pub const RETRY_WAIT_STRATEGIES: &[&str] = &["backoff", "delay", "next_delay", "wait", "wait_time"];

/// Map types, matched as a substring of a field's type (`HashMap<K,V>`, `map[string]*entry`,
/// Python `dict`/`OrderedDict`, JavaScript `Map` and `{}` rendered `Object`).
pub const MAP_TYPES: &[&str] = &[
    "AHashMap",
    "BTreeMap",
    "DashMap",
    "FxHashMap",
    "HashMap",
    "IndexMap",
    "LinkedHashMap",
    "Map",
    "Object",
    "OrderedDict",
    "dict",
    "map[",
];

/// Types that keep an order of entries (for eviction), matched as a substring.
pub const ORDER_TYPES: &[&str] = &[
    "*const",
    "*mut",
    "BinaryHeap",
    "LinkedList",
    "NonNull",
    "VecDeque",
    "deque",
    "heapq",
    "list.List",
];

/// Calls that open a listening socket by hand (path suffixes). The standard library's HTTP
/// servers (`http.ListenAndServe`, Node's `http.createServer`) are the well-kept choice and
/// are deliberately absent.
pub const LISTEN_CALLS: &[&str] = &[
    "TcpListener::bind",
    "UnixListener::bind",
    "asyncio::start_server",
    "net::Listen",
    "net::ListenTCP",
    "net::createServer",
    "socket::create_server",
];

/// Methods that take the next connection from a listening socket.
pub const ACCEPT_METHODS: &[&str] = &["Accept", "AcceptTCP", "accept", "incoming"];

/// Calls that add an item to a list (Go's `append` is a function whose first argument is the
/// list).
pub const APPEND_CALLS: &[&str] = &["add", "append", "push", "push_back", "unshift"];

/// Methods that invoke a function value (`fn.call(ctx, ..)`, `fn.apply(ctx, args)`,
/// `reflect.Value.Call`).
pub const INVOKE_METHODS: &[&str] = &["Call", "apply", "call"];

/// Whether an operand rendering is one element of a keyed collection held in a field
/// (`self.handlers[]`, `emitter._events[]`, `self.subs.get()`, Python's
/// `self.subs.setdefault()`, also with a fallback: `self.handlers[]||[]`), and the field's
/// name.
pub fn keyed_field(operand: &str) -> Option<&str> {
    let operand = operand.split("||").next().unwrap_or(operand);
    let operand = operand.split("??").next().unwrap_or(operand);
    let base = operand
        .strip_suffix("[]")
        .or_else(|| operand.strip_suffix(".get()"))
        .or_else(|| operand.strip_suffix(".setdefault()"))?;
    let (owner, field) = base.rsplit_once('.')?;
    let plain = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_alphanumeric() || c == '_');
    (plain(owner) && plain(field)).then_some(field)
}

/// The words of an identifier or rendered operand, lowercase: split at every character that
/// is not a letter or digit and where a lowercase letter or digit meets an uppercase one
/// (`onExit` → `on`, `exit`; `roleItem.$extend` → `role`, `item`, `extend`).
pub fn ident_words(s: &str) -> Vec<String> {
    ident_word_slices(s)
        .map(|w| w.chars().flat_map(char::to_lowercase).collect())
        .collect()
}

/// The words `ident_words` reads in `s`, as slices of it in their own case.
pub fn ident_word_slices(s: &str) -> impl Iterator<Item = &str> {
    let mut chars = s.char_indices().peekable();
    std::iter::from_fn(move || {
        // Skip to a letter or digit.
        while let Some(&(_, c)) = chars.peek() {
            if c.is_alphanumeric() {
                break;
            }
            chars.next();
        }
        let (start, first) = chars.next()?;
        let mut prev_lower = first.is_lowercase() || first.is_ascii_digit();
        let mut end = start + first.len_utf8();
        while let Some(&(i, c)) = chars.peek() {
            if !c.is_alphanumeric() || (c.is_uppercase() && prev_lower) {
                break;
            }
            prev_lower = c.is_lowercase() || c.is_ascii_digit();
            end = i + c.len_utf8();
            chars.next();
        }
        Some(&s[start..end])
    })
}

/// Severity names of log levels, lowercase (`PanicLevel`, `LOG_WARN` and `"WARNING"` are
/// read as these once case, `_` and a `level`/`log` prefix or suffix are taken off).
pub const SEVERITY_LEVELS: &[&str] = &[
    "critical", "debug", "error", "fatal", "info", "notice", "panic", "trace", "warn", "warning",
];

/// The severity a name spells, if any (`PanicLevel` → `panic`, `LOG_WARN` → `warn`). Without
/// allocating: the lexical pre-pass asks it of many tokens.
pub fn severity_of(name: &str) -> Option<&'static str> {
    // The longest spelling read: a severity (8 letters) with both affixes (`level`, `log`).
    let mut buf = [0u8; 16];
    let mut n = 0;
    for b in name.bytes().filter(|b| *b != b'_') {
        *buf.get_mut(n)? = b.to_ascii_lowercase();
        n += 1;
    }
    let core = [&b"level"[..], b"log"].iter().fold(&buf[..n], |s, affix| {
        s.strip_prefix(*affix)
            .or_else(|| s.strip_suffix(*affix))
            .unwrap_or(s)
    });
    SEVERITY_LEVELS
        .iter()
        .copied()
        .find(|l| l.as_bytes() == core)
}

/// File operations of a filesystem API, lowercase without `_` (`OpenFile`, `make_dirs` and
/// `MkdirAll` are compared in that form).
pub const FILE_OPS: &[&str] = &[
    "chmod",
    "chown",
    "chtimes",
    "create",
    "createdir",
    "createdirall",
    "lstat",
    "makedirs",
    "mkdir",
    "mkdirall",
    "open",
    "openfile",
    "readdir",
    "readfile",
    "remove",
    "removeall",
    "removedir",
    "removefile",
    "rename",
    "rmdir",
    "stat",
    "truncate",
    "unlink",
    "writefile",
];

/// Whether a method name is a file operation (`FILE_OPS`), lower-cased without `_`. Without
/// allocating: the lexical pre-pass asks it of every `def`.
pub fn is_file_op(name: &str) -> bool {
    let mut buf = [0u8; 12];
    let mut n = 0;
    for b in name.bytes().filter(|b| *b != b'_') {
        // Longer than every operation (`createdirall`).
        let Some(slot) = buf.get_mut(n) else {
            return false;
        };
        *slot = b.to_ascii_lowercase();
        n += 1;
    }
    FILE_OPS.iter().any(|op| op.as_bytes() == &buf[..n])
}

/// Whether `call` ends with one of `names` on a path-segment boundary.
pub fn call_is(call: &Call, names: &[&str]) -> bool {
    names.iter().any(|n| call.ends_with(n))
}

/// The line of the first call in `f` matching `names`, if any.
pub fn first_call(f: &Function, names: &[&str]) -> Option<u32> {
    f.calls()
        .find(|(_, c)| call_is(c, names))
        .map(|(e, _)| e.line)
}

/// Whether an operand rendering reads a length (`x.len()`).
pub fn is_len(operand: &str) -> bool {
    operand.ends_with(".len()") || operand == "len()"
}

/// Every event of every function in `facts`, with its function.
pub fn all_events(facts: &FileFacts) -> impl Iterator<Item = (&Function, &Event)> {
    facts
        .functions
        .iter()
        .flat_map(|f| f.events.iter().map(move |e| (f, e)))
}

/// The first literal of `facts` that `pred` accepts.
pub fn find_literal(facts: &FileFacts, pred: impl Fn(&str) -> bool) -> Option<&Literal> {
    facts.literals.iter().find(|l| pred(&l.value))
}

/// The first literal of `facts` used in code (inside a function body, not a `const` table)
/// that `pred` accepts.
pub fn find_code_literal(facts: &FileFacts, pred: impl Fn(&str) -> bool) -> Option<&Literal> {
    facts.literals.iter().find(|l| l.in_body && pred(&l.value))
}

/// Whether a line of `text` calls `rev(` where a `for` or `while` loop starts: a loop over a
/// reversed sequence, as rules that read `rev` on a loop's first line need it (lexical test).
pub fn rev_on_loop_line(text: &str) -> bool {
    text.lines()
        .any(|l| l.contains("rev(") && (l.contains("for ") || l.contains("while ")))
}

/// Whether `text` calls one of `names` as a callee path ending on a segment boundary (what
/// `call_is` matches), lexically: the name whole (not continuing an identifier before or
/// after it), then optional white space and `(` or a turbofish `::<` (lexical test).
pub fn calls_any(text: &str, names: &[&str]) -> bool {
    let bytes = text.as_bytes();
    let ident = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
    names.iter().any(|name| {
        text.match_indices(name).any(|(i, _)| {
            let end = i + name.len();
            if (i > 0 && ident(bytes[i - 1])) || bytes.get(end).is_some_and(|&b| ident(b)) {
                return false;
            }
            let rest = text[end..].trim_start();
            rest.starts_with('(') || rest.starts_with("::<")
        })
    })
}

/// Whether a JavaScript or TypeScript `text` may sleep as the front-end records it (lexical
/// test): `setTimeout` after a `new Promise` (the front-end reads `setTimeout` anywhere in the
/// promise's text) or awaited (`await setTimeout(..)` from `timers/promises`); a `SLEEP_CALLS`
/// name called (`sleep`, `sleep_ms`, `sleep_until` whole, then `(`, a type argument's `<`, an
/// optional call's `?.` or a template); `new Delay(..)` or `Delay.new(..)` (`Delay::new`);
/// or the words of the others.
pub fn javascript_sleeps(text: &str) -> bool {
    let bytes = text.as_bytes();
    let ident = |b: u8| b.is_ascii_alphanumeric() || b == b'_' || b == b'$';
    let promised = text.match_indices("Promise").any(|(i, m)| {
        let before = text[..i].trim_end();
        before.len() < i
            && before.ends_with("new")
            && !before[..before.len() - 3].ends_with(|c: char| c.is_ascii() && ident(c as u8))
            && text[i + m.len()..].contains("setTimeout")
    });
    let awaited = text.match_indices("setTimeout").any(|(i, _)| {
        let before = text[..i].trim_end();
        before.len() < i && before.ends_with("await")
    });
    let called = ["sleep", "sleep_ms", "sleep_until"].iter().any(|name| {
        text.match_indices(name).any(|(i, _)| {
            let end = i + name.len();
            if (i > 0 && ident(bytes[i - 1])) || bytes.get(end).is_some_and(|&b| ident(b)) {
                return false;
            }
            let rest = text[end..].trim_start();
            rest.starts_with(['(', '<', '`']) || rest.starts_with("?.")
        })
    });
    // `new Delay(..)` or `Delay.new(..)`: `Delay::new`.
    let delay = text.match_indices("Delay").any(|(i, m)| {
        let before = text[..i].trim_end();
        (before.len() < i && before.ends_with("new") && !(i > 0 && ident(bytes[i - 1])))
            || text[i + m.len()..].trim_start().starts_with(".new")
    });
    promised
        || awaited
        || called
        || delay
        || crate::prepass::has_any(text, &["Timer.after", "time.After", "delay_for"])
}

/// Whether `text` holds `first`, then only white space or `\\` (a string continued on the
/// next line), then `second`, both in any casing: two words of an SQL or a command string
/// (lexical test).
pub fn words_in_any_case(text: &str, first: &str, second: &str) -> bool {
    let bytes = text.as_bytes();
    let Some(&lead) = first.as_bytes().first() else {
        return false;
    };
    bytes.iter().enumerate().any(|(i, b)| {
        b.eq_ignore_ascii_case(&lead)
            && bytes
                .get(i..i + first.len())
                .is_some_and(|w| w.eq_ignore_ascii_case(first.as_bytes()))
            && {
                let rest = &bytes[i + first.len()..];
                let gap = rest
                    .iter()
                    .position(|b| !(b.is_ascii_whitespace() || *b == b'\\'))
                    .unwrap_or(rest.len());
                gap > 0
                    && rest[gap..]
                        .get(..second.len())
                        .is_some_and(|w| w.eq_ignore_ascii_case(second.as_bytes()))
            }
    })
}

/// Whether `text` holds `word` in any ASCII casing as a whole name: not continuing an ASCII
/// name before or after it (a lexical test for a name compared case-insensitively, such as
/// an enum's variant).
pub fn has_ident_any_case(text: &str, word: &str) -> bool {
    let Some(&lead) = word.as_bytes().first() else {
        return false;
    };
    let bytes = text.as_bytes();
    let ident = |b: &u8| b.is_ascii_alphanumeric() || *b == b'_';
    memchr::memchr2_iter(lead.to_ascii_lowercase(), lead.to_ascii_uppercase(), bytes).any(|i| {
        let end = i + word.len();
        bytes
            .get(i..end)
            .is_some_and(|w| w.eq_ignore_ascii_case(word.as_bytes()))
            && !(i > 0 && ident(&bytes[i - 1]))
            && !bytes.get(end).is_some_and(ident)
    })
}

/// Whether a Python logical line compares: `<`, `>`, `==`, `!=`, or the word `is`.
pub fn python_line_compares(line: &str) -> bool {
    line.contains(['<', '>'])
        || line.contains("==")
        || line.contains("!=")
        || line
            .split(|c: char| !(c.is_alphanumeric() || c == '_'))
            .any(|w| w == "is")
}

/// Whether `text` holds a comparison (`<`, `<=`, `>`, `>=`, `==`, `!=`) whose operands pass
/// `test(lhs, operator, rhs)`, read lexically: an operand is the run of names, paths, field
/// accesses and bracketed groups (calls, indexes) next to the operator, white space and line
/// breaks around it skipped. Arrows, shifts and generics are not told apart from comparisons
/// (`Vec<u8>` reads as `Vec < u8>`): the test errs towards holding.
pub fn compares(text: &str, test: impl Fn(&str, &str, &str) -> bool) -> bool {
    let bytes = text.as_bytes();
    let operand =
        |b: u8| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b':' | b'&' | b'*');
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        let next = bytes.get(i + 1).copied();
        let prev = i.checked_sub(1).map(|p| bytes[p]);
        let width = match b {
            b'=' | b'!' if next == Some(b'=') => 2,
            b'<' | b'>' if next == Some(b'=') => 2,
            b'<' if next != Some(b'<') && prev != Some(b'<') => 1,
            b'>' if next != Some(b'>') && !matches!(prev, Some(b'>' | b'-' | b'=')) => 1,
            _ => {
                i += 1;
                continue;
            }
        };
        // The left operand: back from the operator over white space, then over operand bytes
        // and whole bracketed groups.
        let mut start = text[..i].trim_end().len();
        let end = start;
        while start > 0 {
            let c = bytes[start - 1];
            if c == b')' || c == b']' {
                match matching_open(bytes, start - 1) {
                    Some(open) => start = open,
                    None => break,
                }
            } else if operand(c) {
                start -= 1;
            } else {
                break;
            }
        }
        let lhs = &text[start..end];
        // The right operand: forward from the operator likewise.
        let from = i + width;
        let begin = from + (text[from..].len() - text[from..].trim_start().len());
        let mut stop = begin;
        while stop < bytes.len() {
            let c = bytes[stop];
            if c == b'(' || c == b'[' {
                match matching_close(bytes, stop) {
                    Some(close) => stop = close + 1,
                    None => break,
                }
            } else if operand(c) {
                stop += 1;
            } else {
                break;
            }
        }
        if test(lhs, &text[i..i + width], &text[begin..stop]) {
            return true;
        }
        i += width;
    }
    false
}

/// The `(` or `[` that the `)` or `]` at `close` closes, within the line or the few before.
fn matching_open(bytes: &[u8], close: usize) -> Option<usize> {
    let mut depth = 0usize;
    for j in (close.saturating_sub(2000)..=close).rev() {
        match bytes[j] {
            b')' | b']' => depth += 1,
            b'(' | b'[' => {
                depth -= 1;
                if depth == 0 {
                    return Some(j);
                }
            }
            _ => {}
        }
    }
    None
}

/// The `)` or `]` that closes the `(` or `[` at `open`, within a few lines.
fn matching_close(bytes: &[u8], open: usize) -> Option<usize> {
    let mut depth = 0usize;
    for (j, b) in bytes.iter().enumerate().skip(open).take(2000) {
        match b {
            b'(' | b'[' => depth += 1,
            b')' | b']' => {
                depth -= 1;
                if depth == 0 {
                    return Some(j);
                }
            }
            _ => {}
        }
    }
    None
}

/// Whether `text` names `needed` distinct members of a set or more (`bit` gives a name's
/// bit, 0 for none) among the names in one enum's body, or as whole string literals
/// (`"warn"`): a lexical test for tables of levels or states.
pub fn enum_or_quoted_set(text: &str, bit: impl Fn(&str) -> u32, needed: u32) -> bool {
    let bytes = text.as_bytes();
    let ident = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
    let run_end = |from: usize| {
        bytes[from..]
            .iter()
            .position(|&b| !ident(b))
            .map_or(bytes.len(), |n| from + n)
    };
    // Whole string literals: a quote, a name, a quote.
    let mut quoted = 0u32;
    for open in memchr::memchr_iter(b'"', bytes) {
        let end = run_end(open + 1);
        if end > open + 1 && bytes.get(end) == Some(&b'"') {
            quoted |= bit(&text[open + 1..end]);
            if quoted.count_ones() >= needed {
                return true;
            }
        }
    }
    // The names in each enum's body, from its `{` to the matching `}`.
    for (at, _) in text.match_indices("enum") {
        if (at > 0 && ident(bytes[at - 1])) || bytes.get(at + 4).is_some_and(|&b| ident(b)) {
            continue;
        }
        let Some(open) = memchr::memchr2(b'{', b';', &bytes[at..]).map(|o| at + o) else {
            break;
        };
        if bytes[open] == b';' {
            continue;
        }
        let mut depth = 0;
        let mut variants = 0u32;
        let mut j = open;
        while j < bytes.len() {
            match bytes[j] {
                b'{' => depth += 1,
                b'}' => {
                    depth -= 1;
                    if depth == 0 {
                        break;
                    }
                }
                b if ident(b) && !ident(bytes[j - 1]) => {
                    let end = run_end(j);
                    variants |= bit(&text[j..end]);
                    j = end;
                    continue;
                }
                _ => {}
            }
            j += 1;
        }
        if variants.count_ones() >= needed {
            return true;
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::{calls_any, compares, python_line_compares, words_in_any_case};

    #[test]
    fn python_line_compares_reads_operators_and_is() {
        assert!(python_line_compares("if idle > timeout:"));
        assert!(python_line_compares("if x is None:"));
        assert!(python_line_compares("a != b"));
        assert!(!python_line_compares("this = island"));
        assert!(!python_line_compares("x = 1"));
    }

    #[test]
    fn calls_are_told_from_names_and_prose() {
        let sleeps = |text| calls_any(text, &["sleep", "Delay::new"]);
        assert!(sleeps("std::thread::sleep(d);"));
        assert!(sleeps("tokio::time::sleep (d).await"));
        assert!(sleeps("x.sleep::<u8>()"));
        assert!(sleeps("tokio_timer::Delay::new(at)"));
        assert!(!sleeps("// we sleep here\nfn sleep_ms(n: u64) {}"));
        assert!(!sleeps("MyDelay::new(at); let sleep = 3;"));
    }

    #[test]
    fn comparisons_are_read_with_their_operands() {
        let seen = |text: &str| {
            let mut all = Vec::new();
            let found = std::cell::RefCell::new(&mut all);
            compares(text, |l, op, r| {
                found.borrow_mut().push(format!("{l} {op} {r}"));
                false
            });
            all
        };
        assert_eq!(
            seen("if self.map.len() >= self.cap {"),
            ["self.map.len() >= self.cap"]
        );
        // Bracketed groups are whole, white space inside them included; line breaks are skipped.
        assert_eq!(
            seen("if self.get(a, b).len()\n    > self.limits[i] {"),
            ["self.get(a, b).len() > self.limits[i]"]
        );
        assert_eq!(seen("a == b && c != d"), ["a == b", "c != d"]);
        // Arrows and shifts are no comparisons.
        assert!(seen("fn f() -> u8 { x >> 2 } match a { _ => 1 }").is_empty());
    }

    #[test]
    fn words_in_any_case_across_continued_lines() {
        assert!(words_in_any_case(
            "FOR UPDATE Skip \\\n   Locked",
            "skip",
            "locked"
        ));
        assert!(!words_in_any_case("skipped; locked", "skip", "locked"));
        assert!(!words_in_any_case("the lock is locked", "skip", "locked"));
    }
}
