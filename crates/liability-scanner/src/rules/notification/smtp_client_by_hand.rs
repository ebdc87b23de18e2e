//! An SMTP client that speaks the mail dialogue and builds MIME by hand.

use crate::rules::vocab::{find_code_literal, find_literal};
use crate::rules::{Signal, Sink, declare_rule};
use liability_model::{Category, FileFacts};

declare_rule! {
    /// ## What it does
    /// Finds code that speaks the SMTP dialogue itself (`EHLO`/`HELO`, `MAIL FROM:`,
    /// `RCPT TO:`, `DATA`, `STARTTLS`, `AUTH`) and builds MIME messages by hand (multipart
    /// boundaries, `Content-Transfer-Encoding`, `MIME-Version`).
    ///
    /// ## Why is this a liability?
    /// Delivering mail is a reputation business: bounces, complaints, SPF/DKIM/DMARC, retries
    /// with back-off, throttling by receiving providers, suppression lists. A hand-written
    /// SMTP client handles none of that and its MIME encoder is a source of broken mails.
    ///
    /// ## Example
    /// ```rust
    /// write!(stream, "EHLO {host}\r\n")?;
    /// write!(stream, "MAIL FROM:<{from}>\r\n")?;
    /// write!(stream, "RCPT TO:<{to}>\r\n")?;
    /// write!(stream, "DATA\r\n")?;
    /// ```
    ///
    /// ## Use instead
    /// Amazon SES (Azure Communication Services Email; a provider API from Google Cloud
    /// Marketplace), SNS or End User Messaging for SMS and push. In-process, `lettre`.
    ///
    /// ## Known limits
    /// An SMTP *server* or a test double speaks the same verbs and is reported too. MIME
    /// building alone, without the dialogue, is not reported.
    pub static SMTP_CLIENT_BY_HAND = {
        id: "smtp-client-by-hand",
        category: Category::Notification,
        summary: "the smtp dialogue or mime encoding written by hand",
        check: check,
        // The anchor is two SMTP verbs starting code literals: each clause leaves out one.
        rust_needs: &[
            &["EHLO", "HELO", "MAIL FROM", "RCPT TO", "STARTTLS"],
            &["EHLO", "HELO", "MAIL FROM", "RCPT TO", "AUTH "],
        ],
        // The same in Python: the verbs are literals' text whatever the language.
        python_needs: &[
            &["EHLO", "HELO", "MAIL FROM", "RCPT TO", "STARTTLS"],
            &["EHLO", "HELO", "MAIL FROM", "RCPT TO", "AUTH "],
        ],
        // The same in JavaScript.
        javascript_needs: &[
            &["EHLO", "HELO", "MAIL FROM", "RCPT TO", "STARTTLS"],
            &["EHLO", "HELO", "MAIL FROM", "RCPT TO", "AUTH "],
        ],
    };
}

/// SMTP command verbs, as the start of a command line.
const VERBS: &[&str] = &[
    "EHLO",
    "HELO",
    "MAIL FROM:",
    "RCPT TO:",
    "STARTTLS",
    "AUTH ",
];

/// MIME framing headers and parameters.
const MIME: &[&str] = &[
    "content-transfer-encoding",
    "mime-version",
    "quoted-printable",
    "boundary=",
    "multipart/",
];

fn check(facts: &FileFacts, sink: &mut Sink<'_>) {
    let mut signals = Vec::new();
    let verbs: Vec<_> = VERBS
        .iter()
        .filter_map(|v| {
            find_code_literal(facts, |l| {
                l.starts_with(v)
                    && (v.ends_with([':', ' ']) || !l[v.len()..].starts_with(char::is_alphanumeric))
            })
            .map(|l| (v.trim_end_matches([':', ' ']), l.line))
        })
        .collect();
    if let Some(&(_, line)) = verbs.first() {
        let names: Vec<&str> = verbs.iter().map(|(v, _)| *v).collect();
        // One verb alone is a string; the dialogue needs two.
        let signal = format!("speaks the SMTP dialogue ({})", names.join(", "));
        signals.push(if verbs.len() >= 2 {
            Signal::anchor(line, signal)
        } else {
            Signal::new(line, signal)
        });
    }
    if let Some(l) = find_code_literal(facts, |v| {
        let v = v.to_ascii_lowercase();
        MIME.iter().any(|m| v.contains(m))
    }) {
        signals.push(Signal::new(l.line, "builds MIME framing by hand"));
    }
    if let Some(l) = find_literal(facts, |v| {
        let v = v.trim_end_matches(['\r', '\n']);
        v == "." || v == "\r\n.\r\n" || v == "DATA" || v == "QUIT"
    }) {
        signals.push(Signal::new(l.line, "ends or closes the mail transaction"));
    }
    sink.emit_or_defer(signals);
}

#[cfg(test)]
mod tests {
    use crate::test_support::findings_for;

    #[test]
    fn flags_smtp_dialogue() {
        let src = "fn send(s: &mut TcpStream) {\n    write!(s, \"EHLO {}\\r\\n\", host);\n    write!(s, \"MAIL FROM:<{}>\\r\\n\", from);\n    write!(s, \"RCPT TO:<{}>\\r\\n\", to);\n    s.write_all(b\"DATA\\r\\n\");\n}\n";
        assert_eq!(findings_for(src, "smtp-client-by-hand").len(), 1);
    }

    #[test]
    fn mail_library_user_is_silent() {
        let src = "use lettre::Message;\nfn send() {\n    let m = Message::builder().from(\"a@b.c\".parse().unwrap()).subject(\"Hello\").body(String::from(\"Hi\"));\n    let h = \"Content-Transfer-Encoding\";\n}\n";
        assert!(findings_for(src, "smtp-client-by-hand").is_empty());
    }
}
