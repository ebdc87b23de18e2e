//! A server that accepts connections and speaks HTTP by hand.

use crate::rules::vocab::{ACCEPT_METHODS, LISTEN_CALLS, call_is};
use crate::rules::{Signal, Sink, declare_rule};
use liability_model::{Category, EventKind, FileFacts};

declare_rule! {
    /// ## What it does
    /// Finds code that accepts connections on a listening socket and handles HTTP itself:
    /// protocol version strings, header names, request-line parsing, a method-and-path router,
    /// CRLF framing.
    ///
    /// ## Why is this a liability?
    /// HTTP parsing is an attack surface (request smuggling, header injection, slow-loris,
    /// oversized bodies). A hand-written server must be patched, load-tested and hardened
    /// forever, and it still lacks TLS termination, HTTP/2, timeouts and observability that a
    /// managed front door gives for free.
    ///
    /// ## Example
    /// ```rust
    /// let listener = TcpListener::bind("0.0.0.0:8080")?;
    /// for stream in listener.incoming() {
    ///     let mut line = String::new();
    ///     reader.read_line(&mut line)?;
    ///     let mut parts = line.split_whitespace();
    ///     match (parts.next(), parts.next()) {
    ///         (Some("GET"), Some("/health")) => write!(stream, "HTTP/1.1 200 OK\r\n\r\n")?,
    ///         _ => write!(stream, "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n")?,
    ///     }
    /// }
    /// ```
    ///
    /// ## Use instead
    /// API Gateway HTTP API with Lambda, or Lambda Function URLs (Azure Functions HTTP trigger
    /// behind API Management; Cloud Run functions behind API Gateway). In-process, a
    /// well-kept framework: `axum` or `actix-web`.
    ///
    /// ## Known limits
    /// A hand-written HTTP *client* shares the protocol strings; the rule needs a listening
    /// socket or request-method routing before it reports: several methods compared in one
    /// function, or the method of a CGI or WSGI environment. A client checking or rewriting
    /// the one method of its own request (`HEAD` has no body, a 303 becomes a `GET`) is not
    /// routing. Files that import a well-kept
    /// server framework, and WebSocket handshakes (a realtime concern), are not reported.
    pub static HAND_ROLLED_HTTP_SERVER = {
        id: "hand-rolled-http-server",
        category: Category::HttpServer,
        summary: "a listening socket with hand-written HTTP handling",
        check: check,
        // Anchors only: a listener (`LISTEN_CALLS`) or an accept (`ACCEPT_METHODS`, a method), a
        // request method compared or matched as a string literal (`"GET"`), or `"HTTP/1.` in a
        // match arm.
        rust_needs: &[
            &[
                "Listener::bind", "net::Listen", "start_server", "createServer", "create_server",
                ".accept", ".Accept", ".incoming", "\"GET\"", "\"POST\"", "\"PUT\"", "\"DELETE\"",
                "\"HEAD\"", "\"OPTIONS\"", "\"PATCH\"", "\"HTTP/1.",
            ],
        ],
        // The supporting signals (files holding an anchor are admitted by `rust_needs`): a
        // protocol-line literal (`HTTP/1.`, `HTTP/2`), framing header names (any casing code
        // writes), or CRLF CRLF (as escapes or raw).
        rust_support: |text| crate::rules::has_words(
            text,
            &[
                &[
                    "HTTP/", "ontent-length", "ontent-Length", "ontent-LENGTH", "ONTENT-length",
                    "ONTENT-Length", "ONTENT-LENGTH", "ransfer-", "RANSFER-", "\\r\\n", "\\r\n",
                    "\\r\r\n", "\\r\\\n", "\\r\\\r\n", "\\r\\x0", "\\r\\u{", "\\x0d", "\\x0D", "\\u{d",
                    "\\u{D", "\\u{0", "\r\n\r\n",
                ],
            ],
        ),
        // In Python: a listener or an accept (`LISTEN_CALLS` as the text spells a module path,
        // `asyncio.start_server`), a request method compared or matched (a literal in single or
        // double quotes: rendered operands and `case` patterns read double quotes), or
        // `"HTTP/1.` in a `case` pattern.
        python_needs: &[
            &[
                "Listener.bind", "net.Listen", "start_server", "createServer", "create_server",
                ".accept", ".Accept", ".incoming", "\"GET\"", "\"POST\"", "\"PUT\"", "\"DELETE\"",
                "\"HEAD\"", "\"OPTIONS\"", "\"PATCH\"", "\"HTTP/1.", "'GET'", "'POST'", "'PUT'",
                "'DELETE'", "'HEAD'", "'OPTIONS'", "'PATCH'", "'HTTP/1.",
            ],
        ],
        python_text: python_anchor_text,
        // The supporting signals: a protocol-line literal, framing header names, or CRLF CRLF
        // (Python escapes `\r` as `\r` or `\x0d`; a string may continue over a line).
        python_support: |source| crate::rules::has_words(
            source.text(),
            &[&[
                "HTTP/", "ontent-length", "ontent-Length", "ontent-LENGTH", "ONTENT-length",
                "ONTENT-Length", "ONTENT-LENGTH", "ransfer-", "RANSFER-", "\\r\\n", "\\r\n",
                "\\r\r\n", "\\r\\\n", "\\r\\\r\n", "\\r\\x0", "\\x0d", "\\x0D", "\r\n\r\n",
            ]],
        ),
        // In JavaScript: a listener (`net.createServer`, or one imported by name) or an accept,
        // a request method compared or matched as a literal in any of the three quotes; the
        // supporting signals as in Rust.
        javascript_needs: &[
            &["Listener.bind", "net.Listen", "start_server", "createServer", "create_server", ".accept", ".Accept", ".incoming", "\"GET\"", "'GET'", "`GET`", "\"POST\"", "'POST'", "`POST`", "\"PUT\"", "'PUT'", "`PUT`", "\"DELETE\"", "'DELETE'", "`DELETE`", "\"HEAD\"", "'HEAD'", "`HEAD`", "\"OPTIONS\"", "'OPTIONS'", "`OPTIONS`", "\"PATCH\"", "'PATCH'", "`PATCH`", "\"HTTP/1.", "'HTTP/1.", "`HTTP/1."],
        ],
        javascript_support: |source| crate::rules::has_words(
            source.text(),
            &[&[
                "HTTP/", "ontent-length", "ontent-Length", "ontent-LENGTH", "ONTENT-length",
                "ONTENT-Length", "ONTENT-LENGTH", "ransfer-", "RANSFER-", "\\r\\n", "\\r\n",
                "\\r\r\n", "\\r\\\n", "\\r\\\r\n", "\\r\\x0", "\\r\\u", "\\x0d", "\\x0D",
                "\\u000d", "\\u000D", "\\u{d", "\\u{D", "\\u{0", "\r\n\r\n",
            ]],
        ),
    };
}

/// Variables a function assigns a method literal to: a client that rewrites the method of its
/// own request (`method = "GET"` after a 303) compares the same variable.
fn rewrites(f: &liability_model::Function) -> Vec<&str> {
    f.events
        .iter()
        .filter_map(|e| match &e.kind {
            EventKind::Assign { target, value }
                if METHODS.iter().any(|m| *value == format!("\"{m}\"")) =>
            {
                Some(target.as_str())
            }
            _ => None,
        })
        .collect()
}

/// Server frameworks whose use is the right choice.
/// Server frameworks (Rust crates, Python and JavaScript packages) by import path prefix.
/// Go's `net/http` is not here: it is also what a router built by hand imports.
const FRAMEWORKS: &[&str] = &[
    "@hapi",
    "@nestjs",
    "actix_web",
    "aiohttp",
    "axum",
    "django",
    "express",
    "fastapi",
    "fastify",
    "flask",
    "hyper",
    "koa",
    "poem",
    "rocket",
    "salvo",
    "starlette",
    "tide",
    "tornado",
    "warp",
];

const HEADERS: &[&str] = &[
    "connection",
    "content-length",
    "content-type",
    "host",
    "keep-alive",
    "transfer-encoding",
    "expect",
];

const METHODS: &[&str] = &["GET", "POST", "PUT", "DELETE", "HEAD", "OPTIONS", "PATCH"];

/// The Python lexical test: a listener (`LISTEN_CALLS` as the text spells them), an accept
/// (`ACCEPT_METHODS` called as a method: `.accept(`), two request methods as whole literals in
/// one function (or one beside a literal `REQUEST_METHOD`: `prepass::PythonText::
/// literal_values_in`), as `routing` needs, or `HTTP/1.` quoted in a `case` pattern.
fn python_anchor_text(source: &crate::prepass::Source<'_>) -> bool {
    let text = source.python_code();
    // A file importing a server framework is never reported (`check` returns first).
    if python_imports_framework(source) {
        return false;
    }
    let has = |words: &[&str]| crate::prepass::has_any(text, words);
    let ident = |c: char| c.is_alphanumeric() || c == '_';
    // A listener called (not `create_server_side_cursor`), or `HTTP/1.` quoted.
    let listens = [
        "Listener.bind",
        "net.Listen",
        "start_server",
        "createServer",
        "create_server",
    ]
    .iter()
    .any(|w| {
        text.match_indices(w)
            .any(|(i, _)| !text[i + w.len()..].starts_with(ident))
    });
    if listens || has(&["\"HTTP/1.", "'HTTP/1."]) {
        return true;
    }
    let accepts = ACCEPT_METHODS.iter().any(|m| {
        text.match_indices(m).any(|(i, _)| {
            let after = &text[i + m.len()..];
            text[..i].ends_with('.')
                && !after.starts_with(ident)
                && after.trim_start().starts_with('(')
        })
    });
    // `routing` reads one function.
    let python = source.python();
    let routes = || {
        source.python_functions().iter().any(|f| {
            let mut methods: Vec<&str> = Vec::new();
            let mut cgi = false;
            for value in python.literal_values_in(f) {
                if let Some(m) = METHODS.iter().find(|m| value == **m)
                    && !methods.contains(m)
                {
                    methods.push(m);
                }
                cgi |= value == "REQUEST_METHOD";
            }
            methods.len() >= 2 || (methods.len() == 1 && cgi)
        })
    };
    accepts || routes()
}

/// Whether a logical line of the code (`prepass::PythonText`: not a string's or a comment's
/// text) imports a server framework (`FRAMEWORKS`): `import flask`, `from django.http import
/// ..`, as `FileFacts::imports_any` reads the paths.
fn python_imports_framework(source: &crate::prepass::Source<'_>) -> bool {
    let module = |rest: &str| -> bool {
        let rest = rest.trim_start_matches(|c: char| c.is_whitespace() || c == '\\');
        let end = rest
            .find(|c: char| !(c.is_alphanumeric() || c == '_'))
            .unwrap_or(rest.len());
        FRAMEWORKS.contains(&&rest[..end])
    };
    source.python().code_statement_texts().any(|line| {
        let line = line.trim_start();
        if let Some(rest) = line.strip_prefix("from") {
            rest.starts_with(char::is_whitespace) && module(rest)
        } else if let Some(rest) = line.strip_prefix("import") {
            rest.starts_with(char::is_whitespace) && rest.split(',').any(module)
        } else {
            false
        }
    })
}

fn check(facts: &FileFacts, sink: &mut Sink<'_>) {
    // A WebSocket handshake speaks HTTP on the way in; it belongs to the realtime rules.
    if facts.imports_any(FRAMEWORKS)
        || facts.literals.iter().any(|l| {
            l.value.eq_ignore_ascii_case("Sec-WebSocket-Key")
                || l.value.eq_ignore_ascii_case("Sec-WebSocket-Accept")
        })
    {
        return;
    }
    let mut signals = Vec::new();
    let listener = facts
        .functions
        .iter()
        .flat_map(|f| &f.events)
        .find_map(|e| match &e.kind {
            EventKind::Call(c) if call_is(c, LISTEN_CALLS) => {
                Some((e.line, "binds a listening socket"))
            }
            EventKind::Call(c)
                if c.is_method && ACCEPT_METHODS.contains(&c.name()) && !c.receiver.is_empty() =>
            {
                Some((e.line, "accepts incoming connections"))
            }
            _ => None,
        });
    // A router dispatches among several methods; a client checks one on its own request
    // (`if method == "HEAD"`: no body to read; a 303 turns into a GET). The method of a CGI or
    // WSGI environment (`environ["REQUEST_METHOD"]`) is always the incoming request's.
    let cgi_lines: Vec<u32> = facts
        .literals
        .iter()
        .filter(|l| l.value == "REQUEST_METHOD")
        .map(|l| l.line)
        .collect();
    let routing = facts.functions.iter().find_map(|f| {
        let rewritten = rewrites(f);
        let mut seen: Vec<&str> = Vec::new();
        let mut first = None;
        let mut incoming = false;
        for e in &f.events {
            let hit: Vec<&str> = match &e.kind {
                EventKind::Match { arms, .. } => METHODS
                    .iter()
                    .copied()
                    .filter(|m| arms.iter().any(|a| a.contains(&format!("\"{m}\""))))
                    .collect(),
                EventKind::Binary { op, lhs, rhs }
                    if op.is_comparison()
                        && !rewritten.contains(&lhs.as_str())
                        && !rewritten.contains(&rhs.as_str()) =>
                {
                    METHODS
                        .iter()
                        .copied()
                        .filter(|m| *lhs == format!("\"{m}\"") || *rhs == format!("\"{m}\""))
                        .collect()
                }
                _ => continue,
            };
            if !hit.is_empty() {
                first.get_or_insert(e.line);
                incoming |= cgi_lines.contains(&e.line);
                seen.extend(hit);
            }
        }
        seen.sort_unstable();
        seen.dedup();
        first.filter(|_| seen.len() >= 2 || incoming)
    });
    if let Some((line, message)) = listener {
        signals.push(Signal::anchor(line, message));
    }
    if let Some(line) = routing {
        signals.push(Signal::anchor(
            line,
            "dispatches on the HTTP request method",
        ));
    }
    let version = facts
        .functions
        .iter()
        .flat_map(|f| &f.events)
        .find_map(|e| match &e.kind {
            EventKind::Match { arms, .. } if arms.iter().any(|a| a.contains("\"HTTP/1.")) => {
                Some(e.line)
            }
            _ => None,
        });
    if let Some(line) = version {
        signals.push(Signal::anchor(
            line,
            "parses the HTTP version of incoming requests",
        ));
    }
    if let Some(lit) = facts
        .literals
        .iter()
        .find(|l| l.value.contains("HTTP/1.") || l.value.starts_with("HTTP/2"))
    {
        signals.push(Signal::new(
            lit.line,
            format!("writes or parses the protocol line `{}`", short(&lit.value)),
        ));
    }
    let headers: Vec<_> = HEADERS
        .iter()
        .filter_map(|h| {
            facts
                .literals
                .iter()
                .find(|l| l.in_body && l.value.trim_end_matches([':', ' ']).eq_ignore_ascii_case(h))
        })
        .collect();
    // Framing headers are the specific ones; `Host` or `Connection` alone are common words.
    let framing = headers.iter().any(|l| {
        let v = l.value.trim_end_matches([':', ' ']);
        v.eq_ignore_ascii_case("content-length") || v.eq_ignore_ascii_case("transfer-encoding")
    });
    if headers.len() >= 2 && framing {
        let line = headers.iter().map(|l| l.line).min().unwrap_or(1);
        signals.push(Signal::new(
            line,
            format!("handles {} HTTP header names by hand", headers.len()),
        ));
    }
    // The blank line ending a header block; other line protocols (Redis, SMTP) use CRLF too.
    if let Some(lit) = facts.literals.iter().find(|l| l.value.contains("\r\n\r\n")) {
        signals.push(Signal::new(
            lit.line,
            "ends a header block with CRLF CRLF by hand",
        ));
    }
    sink.emit_or_defer(signals);
}

fn short(s: &str) -> String {
    let t: String = s.replace(['\r', '\n'], " ").chars().take(24).collect();
    t.trim().to_owned()
}

#[cfg(test)]
mod tests {
    use crate::test_support::findings_for;

    #[test]
    fn flags_listener_speaking_http() {
        let src = "fn serve() {\n    let l = TcpListener::bind(\"0.0.0.0:80\").unwrap();\n    for s in l.incoming() {\n        write!(s, \"HTTP/1.1 200 OK\\r\\nContent-Length: 0\\r\\n\\r\\n\");\n    }\n}\n";
        let found = findings_for(src, "hand-rolled-http-server");
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].component, "fn serve");
    }

    #[test]
    fn axum_app_is_silent() {
        let src = "use axum::Router;\nasync fn main() {\n    let l = tokio::net::TcpListener::bind(\"0.0.0.0:80\").await.unwrap();\n    let s = \"HTTP/1.1\";\n    axum::serve(l, app).await;\n}\n";
        assert!(findings_for(src, "hand-rolled-http-server").is_empty());
    }

    #[test]
    fn line_protocol_stub_is_silent() {
        let src = "fn stub() {\n    let l = TcpListener::bind(\"127.0.0.1:0\").unwrap();\n    for s in l.incoming() { s.write_all(b\"+PONG\\r\\n\"); write!(s, \"+OK\\r\\n\"); }\n}\n";
        assert!(findings_for(src, "hand-rolled-http-server").is_empty());
    }

    #[test]
    fn http_client_without_listener_or_routing_is_silent() {
        let src = "fn get(s: &mut TcpStream) {\n    write!(s, \"GET / HTTP/1.1\\r\\nHost: x\\r\\nConnection: close\\r\\n\\r\\n\");\n}\n";
        assert!(findings_for(src, "hand-rolled-http-server").is_empty());
    }

    fn py(src: &str) -> usize {
        crate::test_support::findings_in(
            liability_model::Language::Python,
            "h.py",
            src,
            "hand-rolled-http-server",
        )
        .len()
    }

    #[test]
    fn http_client_checking_one_method_is_silent() {
        let src = "class Redirects:\n    def rebuild_method(self, prepared, response):\n        method = prepared.method\n        if response.status_code == 303 and method != \"HEAD\":\n            method = \"GET\"\n        if response.status_code == 301 and method == \"POST\":\n            method = \"GET\"\n        prepared.headers.pop(\"Content-Length\", None)\n        prepared.headers.pop(\"Transfer-Encoding\", None)\n        prepared.headers[\"Host\"] = self.host\n        prepared.method = method\n";
        assert_eq!(py(src), 0);
    }

    #[test]
    fn a_router_or_a_wsgi_server_checking_the_method_is_flagged() {
        let router = "def handle(self, method, path):\n    h = {\"content-length\": 0, \"connection\": \"close\"}\n    if method == \"GET\":\n        return self.get(path)\n    elif method == \"POST\":\n        return self.post(path)\n";
        assert_eq!(py(router), 1);
        let wsgi = "def write(environ, headers):\n    keys = {\"content-length\", \"transfer-encoding\"}\n    if environ[\"REQUEST_METHOD\"] == \"HEAD\":\n        return\n";
        assert_eq!(py(wsgi), 1);
    }
}
