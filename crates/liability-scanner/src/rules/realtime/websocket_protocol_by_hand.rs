//! The WebSocket opening handshake and frame coding, written by hand.

use crate::rules::vocab::{all_events, find_literal};
use crate::rules::{Signal, Sink, declare_rule};
use liability_model::Category;
use liability_model::{BinOp, EventKind, FileFacts, Function, TypeKind};

declare_rule! {
    /// ## What it does
    /// Finds code that implements the WebSocket protocol (RFC 6455) itself: the accept-key
    /// derivation with the protocol GUID, the `Sec-WebSocket-Key` / `Sec-WebSocket-Accept`
    /// handshake headers, frame opcodes (text, binary, ping, pong, close), the frame header
    /// decoded by hand (the 7-bit payload length masked with `0x7F` and its 126 and 127
    /// extended-length escapes, the FIN and MASK bits tested with `0x80`) and the XOR payload
    /// mask.
    ///
    /// ## Why is this a liability?
    /// A WebSocket stack owns long-lived connections: fan-out, back-pressure, heartbeats,
    /// reconnects, fragmentation and control frames, and per-instance connection state that
    /// does not survive a deploy or scale-out. Protocol bugs here are denial-of-service bugs.
    ///
    /// ## Example
    /// ```rust
    /// const GUID: &str = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
    /// fn accept(key: &str) -> String { base64(sha1(format!("{key}{GUID}"))) }
    /// fn unmask(buf: &mut [u8], mask: [u8; 4]) {
    ///     for (i, b) in buf.iter_mut().enumerate() { *b ^= mask[i % 4]; }
    /// }
    /// ```
    ///
    /// ## Use instead
    /// API Gateway WebSocket APIs or AppSync Events (Azure Web PubSub; Firebase Realtime
    /// Database). In-process, `tokio-tungstenite` or `axum`'s WebSocket support.
    ///
    /// ## Known limits
    /// A client that only sends the handshake headers through an HTTP library is reported
    /// when it also codes frames; applications that use a WebSocket crate show none of these.
    pub static WEBSOCKET_PROTOCOL_BY_HAND = {
        id: "websocket-protocol-by-hand",
        category: Category::Realtime,
        summary: "the websocket handshake or frame coding written by hand",
        check: check,
        // Anchors only: the RFC 6455 GUID, or a `Sec-WebSocket-Key`/`-Accept` literal (compared
        // case-insensitively: the casings code writes).
        // Or a frame header decoded by hand (`frame_header`): compared with both 126 and 127,
        // and masked with `0x7F` or `127` (the lexical test, `handshake_or_length_mask`).
        rust_needs: &[
            &["258EAFA5", "ebSocket-", "ebsocket-", "EBSOCKET-", "126"],
            &["258EAFA5", "ebSocket-", "ebsocket-", "EBSOCKET-", "127"],
        ],
        rust_text: handshake_or_length_mask,
        // The same in Python, whose lexical test also reads the operators Python renders like
        // `&` (`python_handshake_or_length_mask`).
        python_needs: &[
            &["258EAFA5", "ebSocket-", "ebsocket-", "EBSOCKET-", "126"],
            &["258EAFA5", "ebSocket-", "ebsocket-", "EBSOCKET-", "127"],
        ],
        python_text: python_handshake_or_length_mask,
        // The same in JavaScript.
        javascript_needs: &[
            &["258EAFA5", "ebSocket-", "ebsocket-", "EBSOCKET-", "126"],
            &["258EAFA5", "ebSocket-", "ebsocket-", "EBSOCKET-", "127"],
        ],
    };
}

const GUID: &str = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

/// The Rust pre-pass test (`rust_text`): the GUID or a handshake header, or a length masked
/// with `0x7F`/`127` by `&` or `|` (the literal next to the operator, past white space and
/// parentheses), as `frame_header` needs.
fn handshake_or_length_mask(text: &str) -> bool {
    handshake(text) || length_mask(text, b"&|", &[])
}

/// The Python form of `handshake_or_length_mask`: besides `&` and `|`, the Python front-end
/// reads `**`, `@`, `in` and `not in` as the same operator (`BinOp::Other`), and a line may
/// continue after a backslash.
fn python_handshake_or_length_mask(source: &crate::prepass::Source<'_>) -> bool {
    let text = source.python_code();
    handshake(text) || length_mask(text, b"&|*@\\", &["in"])
}

/// The GUID or a handshake header name.
fn handshake(text: &str) -> bool {
    ["258EAFA5", "ebSocket-", "ebsocket-", "EBSOCKET-"]
        .iter()
        .any(|w| text.contains(w))
}

/// A length masked with `0x7F` or `127`: the literal next to one of `operators` or one of the
/// words `keywords`, past white space and parentheses (a backslash among the operators is
/// skipped too: it continues a line).
fn length_mask(text: &str, operators: &[u8], keywords: &[&str]) -> bool {
    let bytes = text.as_bytes();
    let word = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
    let skip = |b: u8| b.is_ascii_whitespace() || b == b'\\' && operators.contains(&b'\\');
    let operator = |at: Option<usize>, before: bool| {
        let Some(p) = at else { return false };
        operators.contains(&bytes[p])
            || keywords.iter().any(|k| {
                let (start, end) = if before {
                    (p + 1 - k.len().min(p + 1), p + 1)
                } else {
                    (p, p + k.len())
                };
                bytes.get(start..end) == Some(k.as_bytes())
                    && (start == 0 || !word(bytes[start - 1]))
                    && bytes.get(end).is_none_or(|b| !word(*b))
            })
    };
    ["0x7f", "0x7F", "0X7f", "0X7F", "127"].iter().any(|lit| {
        text.match_indices(lit).any(|(i, _)| {
            let end = i + lit.len();
            if (i > 0 && word(bytes[i - 1])) || bytes.get(end).is_some_and(|b| word(*b)) {
                return false;
            }
            let before = bytes[..i].iter().rposition(|b| !skip(*b) && *b != b'(');
            let after = bytes[end..]
                .iter()
                .position(|b| !skip(*b) && *b != b')')
                .map(|p| end + p);
            operator(before, true) || operator(after, false)
        })
    })
}
const OPCODES: &[&str] = &["Text", "Binary", "Ping", "Pong", "Close", "Continue"];

fn check(facts: &FileFacts, sink: &mut Sink<'_>) {
    let mut signals = Vec::new();
    // The GUID is data until the code hashes with it (or uses it inline).
    let hashes = all_events(facts).any(|(_, e)| {
        matches!(&e.kind, EventKind::Call(c) if c.callee.to_ascii_lowercase().contains("sha1"))
    });
    if let Some(l) = facts
        .literals
        .iter()
        .find(|l| (l.in_body || hashes) && l.value.contains(GUID))
    {
        signals.push(Signal::anchor(
            l.line,
            "derives the accept key with the RFC 6455 GUID",
        ));
    }
    if let Some(l) = find_literal(facts, |v| {
        let v = v.trim_end_matches([':', ' ']);
        v.eq_ignore_ascii_case("Sec-WebSocket-Key")
            || v.eq_ignore_ascii_case("Sec-WebSocket-Accept")
    }) {
        signals.push(Signal::anchor(
            l.line,
            "handles the WebSocket handshake headers",
        ));
    }
    if let Some(t) = facts.types.iter().find(|t| {
        t.kind == TypeKind::Enum
            && OPCODES
                .iter()
                .filter(|o| t.variants.iter().any(|v| v == *o))
                .count()
                >= 4
    }) {
        signals.push(Signal::new(
            t.span.start,
            format!("enumerates frame opcodes in `{}`", t.name),
        ));
    }
    if let Some((line, bits)) = facts.functions.iter().find_map(frame_header) {
        signals.push(Signal::anchor(
            line,
            "decodes the frame's 7-bit payload length and its 126/127 extensions",
        ));
        if let Some(bits) = bits {
            signals.push(Signal::new(
                bits,
                "tests the FIN or MASK bit of the frame header",
            ));
        }
    }
    let mask = all_events(facts).find_map(|(_, e)| match &e.kind {
        EventKind::AssignOp {
            op: BinOp::BitXor,
            rhs,
            ..
        }
        | EventKind::Binary {
            op: BinOp::BitXor,
            rhs,
            ..
        } if e.loop_id.is_some() && rhs.contains("mask") => Some(e.line),
        _ => None,
    });
    if let Some(line) = mask {
        signals.push(Signal::new(
            line,
            "applies the frame mask with XOR in a loop",
        ));
    }
    sink.emit_or_defer(signals);
}

/// A frame header decoded in `f`: the payload length masked with `0x7F` and compared with
/// (or matched on) both 126 and 127. Returns the line of the mask and, when the function also
/// tests a header bit with `0x80`, that line.
fn frame_header(f: &Function) -> Option<(u32, Option<u32>)> {
    let is = |v: &str, hex: &str, dec: &str| v.eq_ignore_ascii_case(hex) || v == dec;
    let masked = |hex: &str, dec: &str| {
        f.events.iter().find_map(|e| match &e.kind {
            EventKind::Binary {
                op: BinOp::Other,
                lhs,
                rhs,
            } if is(rhs, hex, dec) || is(lhs, hex, dec) => Some(e.line),
            _ => None,
        })
    };
    let length = masked("0x7f", "127")?;
    let compared = |n: &str| {
        f.events.iter().any(|e| match &e.kind {
            EventKind::Binary { op, lhs, rhs } if op.is_comparison() => lhs == n || rhs == n,
            EventKind::Match { arms, .. } => arms.iter().any(|a| a.split('|').any(|p| p == n)),
            _ => false,
        })
    };
    (compared("126") && compared("127")).then(|| (length, masked("0x80", "128")))
}

#[cfg(test)]
mod tests {
    use crate::test_support::{findings_for, findings_in};
    use liability_model::Language;

    #[test]
    fn flags_handshake_and_masking() {
        let src = "const G: &[u8] = b\"258EAFA5-E914-47DA-95CA-C5AB0DC85B11\";\nfn accept(k: &[u8]) -> Vec<u8> { let mut h = Sha1::new(); h.update(k); h.update(G); h.finalize() }\nfn unmask(buf: &mut [u8], mask: [u8; 4]) {\n    for (i, b) in buf.iter_mut().enumerate() { *b ^= mask[i & 3]; }\n}\n";
        assert_eq!(findings_for(src, "websocket-protocol-by-hand").len(), 1);
    }

    #[test]
    fn flags_frame_decoding_without_handshake() {
        let src = "package ws\n\nfunc readFrame(h []byte, key [4]byte, p []byte) uint64 {\n\tfin := h[0]&0x80 != 0\n\tn := uint64(h[1] & 0x7f)\n\tif n == 126 {\n\t\tn = 2\n\t} else if n == 127 {\n\t\tn = 8\n\t}\n\t_ = fin\n\treturn n\n}\n";
        let found = findings_in(Language::Go, "ws.go", src, "websocket-protocol-by-hand");
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].evidence.len(), 2, "{:?}", found[0].evidence);
    }

    #[test]
    fn varint_decoding_is_silent() {
        let src = "def read_varint(buf):\n    shift = result = 0\n    for b in buf:\n        result |= (b & 0x7F) << shift\n        if not b & 0x80:\n            return result\n        shift += 7\n    raise ValueError\n";
        assert!(
            findings_in(Language::Python, "v.py", src, "websocket-protocol-by-hand").is_empty()
        );
    }

    #[test]
    fn library_user_is_silent() {
        let src = "use tokio_tungstenite::accept_async;\nasync fn serve(s: TcpStream) {\n    let ws = accept_async(s).await.unwrap();\n    let key = \"Sec-WebSocket-Key\";\n}\n";
        assert!(findings_for(src, "websocket-protocol-by-hand").is_empty());
    }
}
