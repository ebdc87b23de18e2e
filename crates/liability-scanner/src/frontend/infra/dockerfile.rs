//! Dockerfiles and Containerfiles: which servers the image that runs (the final stage) is.
//!
//! A line parser that follows the Dockerfile grammar far enough: the `# escape=` directive,
//! line continuations (with comment and blank lines inside them dropped, as BuildKit does),
//! heredocs (`RUN <<EOF`), `FROM [--platform=..] image [AS name]` with stages inheriting from
//! named stages, and the JSON (exec) and shell forms of `CMD`/`ENTRYPOINT`.

use super::Servers;
use super::catalogue::{
    binary_subject, image_subject, installed_packages, is_port_of, started_services,
};
use liability_model::InfraSource;

/// One instruction, its continuation lines joined.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Instruction {
    pub keyword: String,
    pub args: String,
    pub line: u32,
    pub end: u32,
}

/// Splits a Dockerfile into instructions.
pub fn instructions(text: &str) -> Vec<Instruction> {
    let lines: Vec<&str> = text.lines().collect();
    let mut escape = '\\';
    // Parser directives: only at the very top, before any other line.
    for line in &lines {
        let t = line.trim();
        let Some(directive) = t.strip_prefix('#') else {
            break;
        };
        let directive = directive.trim().to_ascii_lowercase();
        if let Some(value) = directive.strip_prefix("escape=") {
            if value.trim() == "`" {
                escape = '`';
            }
        } else if !directive.starts_with("syntax=") && !directive.starts_with("check=") {
            break;
        }
    }
    let mut out = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let start = i;
        let t = lines[i].trim();
        i += 1;
        if t.is_empty() || t.starts_with('#') {
            continue;
        }
        let mut joined = String::new();
        let mut current = lines[start].trim_end();
        let mut end = start;
        loop {
            if let Some(body) = current.strip_suffix(escape) {
                joined.push_str(body);
                joined.push(' ');
                // The next line that is neither blank nor a comment continues the instruction.
                let mut next = None;
                while i < lines.len() {
                    let n = lines[i].trim();
                    i += 1;
                    if n.is_empty() || n.starts_with('#') {
                        continue;
                    }
                    next = Some(i - 1);
                    break;
                }
                match next {
                    Some(n) => {
                        current = lines[n].trim_end();
                        end = n;
                    }
                    None => break,
                }
            } else {
                joined.push_str(current);
                break;
            }
        }
        let joined = joined.trim();
        let (keyword, args) = joined
            .split_once(char::is_whitespace)
            .unwrap_or((joined, ""));
        let mut args = args.trim().to_owned();
        let keyword = keyword.to_ascii_uppercase();
        // Heredocs: `RUN <<EOF` / `<<-"EOF"` bodies run until the delimiter line.
        for word in args.clone().split_whitespace() {
            let Some(delim) = word.strip_prefix("<<") else {
                continue;
            };
            let delim = delim.trim_start_matches('-').trim_matches(['"', '\'']);
            if delim.is_empty() || !delim.chars().all(|c| c.is_alphanumeric() || c == '_') {
                continue;
            }
            while i < lines.len() {
                let body = lines[i];
                i += 1;
                end = i - 1;
                if body.trim() == delim {
                    break;
                }
                args.push('\n');
                args.push_str(body);
            }
        }
        out.push(Instruction {
            keyword,
            args,
            line: u32::try_from(start + 1).unwrap_or(u32::MAX),
            end: u32::try_from(end + 1).unwrap_or(u32::MAX),
        });
    }
    out
}

/// The words of a `CMD`/`ENTRYPOINT`/`RUN` argument, exec form (`["a", "b"]`) or shell form.
pub fn command_words(args: &str) -> Vec<String> {
    let t = args.trim();
    if t.starts_with('[') && t.ends_with(']') {
        t[1..t.len() - 1]
            .split(',')
            .map(|w| w.trim().trim_matches('"').to_owned())
            .filter(|w| !w.is_empty())
            .collect()
    } else {
        t.split_whitespace().map(str::to_owned).collect()
    }
}

struct Stage {
    name: Option<String>,
    image: String,
    line: u32,
    servers: Servers,
}

/// The servers the final stage of a Dockerfile runs.
pub fn extract(text: &str) -> Servers {
    let mut stages: Vec<Stage> = Vec::new();
    let mut exposes: Vec<(u32, u16)> = Vec::new();
    for ins in instructions(text) {
        match ins.keyword.as_str() {
            "FROM" => {
                let words: Vec<&str> = ins
                    .args
                    .split_whitespace()
                    .filter(|w| !w.starts_with("--"))
                    .collect();
                let image = words.first().copied().unwrap_or_default().to_owned();
                let name = match words.as_slice() {
                    [_, as_, name, ..] if as_.eq_ignore_ascii_case("as") => {
                        Some(name.to_ascii_lowercase())
                    }
                    _ => None,
                };
                let mut servers = Servers::new(InfraSource::Dockerfile);
                let parent = stages
                    .iter()
                    .rev()
                    .find(|s| s.name.as_deref() == Some(image.to_ascii_lowercase().as_str()));
                if let Some(parent) = parent {
                    for server in &parent.servers.list {
                        servers.add(
                            &server.subject,
                            ins.line,
                            format!("built on stage `{image}`, which runs {}", server.subject),
                        );
                        for &(line, ref message) in &server.signals {
                            servers.add(&server.subject, line, message.clone());
                        }
                    }
                } else if let Some(subject) = image_subject(&image) {
                    servers.add(
                        subject,
                        ins.line,
                        format!("based on the server image `{image}`"),
                    );
                }
                exposes.clear();
                stages.push(Stage {
                    name,
                    image,
                    line: ins.line,
                    servers,
                });
            }
            "RUN" => {
                let Some(stage) = stages.last_mut() else {
                    continue;
                };
                for (subject, package) in installed_packages(&ins.args) {
                    stage.servers.add(
                        subject,
                        ins.line,
                        format!("installs the server package `{package}`"),
                    );
                }
                for (subject, service) in started_services(&ins.args) {
                    stage.servers.add(
                        subject,
                        ins.line,
                        format!("enables the service `{service}`"),
                    );
                }
            }
            "CMD" | "ENTRYPOINT" => {
                let Some(stage) = stages.last_mut() else {
                    continue;
                };
                for word in command_words(&ins.args) {
                    if let Some(subject) = binary_subject(&word) {
                        stage.servers.add(
                            subject,
                            ins.line,
                            format!("runs `{word}` as its {}", ins.keyword.to_ascii_lowercase()),
                        );
                    }
                }
                for (subject, service) in started_services(&ins.args) {
                    stage
                        .servers
                        .add(subject, ins.line, format!("starts the service `{service}`"));
                }
            }
            "EXPOSE" => {
                for word in ins.args.split_whitespace() {
                    let port = word.split('/').next().unwrap_or(word);
                    if let Ok(port) = port.parse::<u16>() {
                        exposes.push((ins.line, port));
                    }
                }
                if let Some(stage) = stages.last_mut() {
                    for &(line, port) in &exposes {
                        let subjects: Vec<String> = stage
                            .servers
                            .list
                            .iter()
                            .filter(|s| is_port_of(port, &s.subject))
                            .map(|s| s.subject.clone())
                            .collect();
                        for subject in subjects {
                            stage
                                .servers
                                .add(&subject, line, format!("exposes port {port}"));
                        }
                    }
                }
                exposes.clear();
            }
            _ => {}
        }
    }
    let Some(last) = stages.pop() else {
        return Servers::new(InfraSource::Dockerfile);
    };
    let mut out = last.servers;
    let stage_name = last.name.map_or_else(
        || format!("image from `{}`", last.image),
        |n| format!("stage {n}"),
    );
    for server in &mut out.list {
        server.name = format!("{stage_name} (line {})", last.line);
        server.span = server
            .span
            .union(liability_model::LineSpan::new(last.line, last.line));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn subjects(text: &str) -> Vec<String> {
        extract(text).list.into_iter().map(|s| s.subject).collect()
    }

    #[test]
    fn joins_continuations_and_drops_comments_inside_them() {
        let ins = instructions(
            "FROM debian:12\n# comment\nRUN apt-get update \\\n  # a comment inside\n  && apt-get install -y \\\n     postgresql-16\nEXPOSE 5432\n",
        );
        assert_eq!(ins.len(), 3);
        assert_eq!((ins[1].line, ins[1].end), (3, 6));
        assert!(ins[1].args.contains("postgresql-16"));
    }

    #[test]
    fn escape_directive_and_heredoc() {
        let ins = instructions(
            "# escape=`\nFROM alpine\nRUN apk add `\n  nginx\nRUN <<EOF\napk add redis\nEOF\nCMD [\"nginx\"]\n",
        );
        assert_eq!(ins.len(), 4);
        assert!(ins[1].args.contains("nginx"));
        assert!(ins[2].args.contains("apk add redis"));
        assert_eq!(ins[3].line, 8);
    }

    #[test]
    fn server_image_and_installed_packages() {
        assert_eq!(
            subjects("FROM postgres:16-alpine\nEXPOSE 5432\n"),
            ["postgres"]
        );
        let s = extract(
            "FROM ubuntu:24.04\nRUN apt-get update && apt-get install -y nginx cron \\\n    && rm -rf /var/lib/apt/lists/*\nEXPOSE 80\nCMD cron && nginx -g 'daemon off;'\n",
        );
        let names: Vec<_> = s.list.iter().map(|s| s.subject.as_str()).collect();
        assert_eq!(names, ["nginx", "cron"]);
        assert!(
            s.list[0]
                .signals
                .iter()
                .any(|(l, m)| *l == 4 && m.contains("80"))
        );
        assert!(s.list[1].signals.iter().any(|(l, _)| *l == 5));
    }

    #[test]
    fn only_the_final_stage_counts_and_stages_inherit() {
        assert!(
            subjects("FROM nginx AS proxy\nFROM rust:1.90 AS build\nFROM gcr.io/distroless/cc\n")
                .is_empty()
        );
        assert_eq!(
            subjects("FROM nginx:1.27 AS base\nFROM base\nCOPY site /usr/share/nginx/html\n"),
            ["nginx"]
        );
    }

    #[test]
    fn app_images_and_client_packages_are_silent() {
        assert!(subjects("FROM public.ecr.aws/lambda/provided:al2023\nRUN dnf install -y postgresql15 libpq\nCMD [\"bootstrap\"]\n").is_empty());
        assert!(subjects("FROM debian:12-slim\nRUN apt-get install -y postgresql-client redis-tools\nENTRYPOINT [\"/app/server\"]\n").is_empty());
    }
}
