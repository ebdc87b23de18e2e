//! systemd units and crontabs: line formats, read line by line.

use super::Servers;
use super::catalogue::{binary_subject, image_subject};
use liability_model::{InfraSource, LineSpan};

fn last_line(text: &str) -> u32 {
    u32::try_from(text.lines().count())
        .unwrap_or(u32::MAX)
        .max(1)
}

/// A systemd unit: a `.service` whose `ExecStart=` runs a server, or a `.timer` (a cron host
/// in all but name).
pub fn systemd(file_name: &str, text: &str) -> Servers {
    let mut out = Servers::new(InfraSource::Systemd);
    let span = LineSpan::new(1, last_line(text));
    let name = format!("unit {file_name}");
    let mut section = String::new();
    for (i, raw) in text.lines().enumerate() {
        let line = u32::try_from(i + 1).unwrap_or(u32::MAX);
        let t = raw.trim();
        if t.starts_with('#') || t.starts_with(';') || t.is_empty() {
            continue;
        }
        if t.starts_with('[') && t.ends_with(']') {
            section = t[1..t.len() - 1].to_ascii_lowercase();
            continue;
        }
        let Some((key, value)) = t.split_once('=') else {
            continue;
        };
        let (key, value) = (key.trim(), value.trim());
        match (section.as_str(), key) {
            ("service", "ExecStart") => {
                let value = value.trim_start_matches(['-', '@', ':', '+', '!']);
                let words: Vec<&str> = value.split_whitespace().collect();
                let Some(first) = words.first() else {
                    continue;
                };
                if let Some(subject) = binary_subject(first) {
                    out.add_at(
                        &name,
                        subject,
                        span,
                        line,
                        format!("runs `{first}` as a long-running service (ExecStart)"),
                    );
                } else if first.ends_with("docker") || first.ends_with("podman") {
                    // `docker run ... postgres:16`: the image is a later word.
                    if let Some((image, subject)) = words
                        .iter()
                        .skip(2)
                        .filter(|w| !w.starts_with('-'))
                        .find_map(|w| image_subject(w).map(|s| (*w, s)))
                    {
                        out.add_at(
                            &name,
                            subject,
                            span,
                            line,
                            format!("runs the server image `{image}` as a service (ExecStart)"),
                        );
                    }
                }
            }
            ("timer", "OnCalendar" | "OnUnitActiveSec" | "OnBootSec") => {
                out.add_at(
                    &name,
                    "cron",
                    span,
                    line,
                    format!("schedules work on the host (`{key}={value}`)"),
                );
            }
            _ => {}
        }
    }
    out
}

/// Whether a crontab field is a time field (`*/5`, `1-5`, `0,30`, `mon`, `jan`).
fn time_field(field: &str) -> bool {
    !field.is_empty()
        && field
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '*' | '/' | ',' | '-' | '?'))
        && (field.chars().any(|c| c.is_ascii_digit() || c == '*') || field.len() == 3)
}

/// The schedule and command of a crontab job line, if it is one.
pub fn cron_job(line: &str) -> Option<(String, String)> {
    let t = line.trim();
    if t.is_empty() || t.starts_with('#') {
        return None;
    }
    if let Some(rest) = t.strip_prefix('@') {
        let (macro_, command) = rest.split_once(char::is_whitespace)?;
        return matches!(
            macro_,
            "reboot"
                | "yearly"
                | "annually"
                | "monthly"
                | "weekly"
                | "daily"
                | "midnight"
                | "hourly"
        )
        .then(|| (format!("@{macro_}"), command.trim().to_owned()));
    }
    let fields: Vec<&str> = t.split_whitespace().collect();
    if fields.len() < 6 || !fields[..5].iter().all(|f| time_field(f)) {
        return None;
    }
    Some((fields[..5].join(" "), fields[5..].join(" ")))
}

/// A crontab: every job line is evidence of a host that runs scheduled work.
pub fn crontab(file_name: &str, text: &str) -> Servers {
    let mut out = Servers::new(InfraSource::Crontab);
    let name = format!("crontab {file_name}");
    let mut jobs = 0;
    for (i, raw) in text.lines().enumerate() {
        let line = u32::try_from(i + 1).unwrap_or(u32::MAX);
        let Some((schedule, command)) = cron_job(raw) else {
            continue;
        };
        jobs += 1;
        let short: String = command.chars().take(60).collect();
        let message = if jobs <= 5 {
            format!("runs `{short}` at `{schedule}`")
        } else {
            "runs more scheduled jobs".to_owned()
        };
        out.add_at(&name, "cron", LineSpan::new(line, line), line, message);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn service_running_a_server_and_timer() {
        let s = systemd(
            "redis.service",
            "[Unit]\nDescription=Redis\n[Service]\nExecStart=/usr/bin/redis-server /etc/redis.conf\n",
        );
        assert_eq!(s.list[0].subject, "redis");
        assert_eq!(s.list[0].signals[0].0, 4);
        let t = systemd("backup.timer", "[Timer]\nOnCalendar=daily\n");
        assert_eq!(t.list[0].subject, "cron");
        let d = systemd(
            "db.service",
            "[Service]\nExecStart=/usr/bin/docker run --rm --name db postgres:16\n",
        );
        assert_eq!(d.list[0].subject, "postgres");
    }

    #[test]
    fn app_service_is_silent() {
        assert!(
            systemd(
                "app.service",
                "[Service]\nExecStart=/opt/app/bin/server --port 8080\n"
            )
            .list
            .is_empty()
        );
    }

    #[test]
    fn crontab_jobs_and_non_jobs() {
        assert!(cron_job("*/5 * * * * /usr/local/bin/sync").is_some());
        assert!(cron_job("0 3 * * mon root /backup.sh").is_some());
        assert!(cron_job("@daily /cleanup").is_some());
        assert!(cron_job("SHELL=/bin/sh").is_none());
        assert!(cron_job("# 0 3 * * * old").is_none());
        assert!(cron_job("this is not a cron line at all").is_none());
        let s = crontab(
            "jobs",
            "MAILTO=ops\n# nightly\n0 3 * * * /backup.sh\n*/5 * * * * /sync\n",
        );
        assert_eq!(s.list.len(), 1);
        assert_eq!(s.list[0].span, LineSpan::new(3, 4));
        assert!(crontab("empty", "# nothing\n").list.is_empty());
    }
}
