//! The scan as one self-contained HTML page (styles inline, no script, no external
//! reference), for attaching to a ticket: the groups with a bar each, then every machine
//! with its outcome, failing step and finding.

use super::Scan;

/// Escapes text for HTML element content and attribute values.
fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            // Control characters from a log would show as boxes, or not at all.
            c if c.is_control() && c != '\n' && c != '\t' => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

const STYLE: &str = "body{font:14px/1.4 system-ui,sans-serif;margin:2em;color:#222}\
h1{font-size:1.4em}table{border-collapse:collapse;width:100%;margin-bottom:2em}\
th,td{text-align:left;padding:4px 8px;border-bottom:1px solid #ddd;vertical-align:top}\
th{background:#f4f4f4}.bar{background:#c0392b;height:14px;min-width:2px}\
.barcell{width:30%}.failed{color:#c0392b;font-weight:bold}.succeeded{color:#1e8449}\
.unreadable{color:#7d3c98}.n{text-align:right}code{font-size:.9em}";

/// The scan as an HTML page.
pub fn render_html(scan: &Scan) -> String {
    let t = &scan.summary;
    let mut s = String::new();
    s += "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
          <title>tslens scan</title><style>";
    s += STYLE;
    s += "</style></head><body>\n<h1>tslens scan</h1>\n";
    s += &format!(
        "<p id=\"summary\">{} machines: {} succeeded, <span class=\"failed\">{} failed</span>, \
         {} running, {} unknown, {} could not be read.</p>\n",
        t.machines, t.succeeded, t.failed, t.running, t.unknown, t.unreadable
    );
    if !scan.groups.is_empty() {
        s += "<h2>Failures by cause</h2>\n<table id=\"groups\"><tr><th class=\"n\">Machines</th>\
              <th></th><th>Cause</th><th>Machines</th></tr>\n";
        let top = scan.groups.first().map_or(1, |g| g.count.max(1));
        for g in &scan.groups {
            let width = g.count * 100 / top;
            let names: Vec<&str> = g.machines.iter().take(20).map(String::as_str).collect();
            let more = g.machines.len().saturating_sub(names.len());
            s += &format!(
                "<tr class=\"group\"><td class=\"n\">{}</td><td class=\"barcell\">\
                 <div class=\"bar\" style=\"width:{width}%\"></div></td>\
                 <td>{}<br><code>{}</code>{}</td><td>{}{}</td></tr>\n",
                g.count,
                esc(&g.title),
                esc(&g.cause),
                g.read_first.as_ref().map_or(String::new(), |r| format!(
                    "<br><i>read first:</i> {}",
                    esc(&r.text)
                )),
                esc(&names.join(", ")),
                if more > 0 {
                    format!(" and {more} more")
                } else {
                    String::new()
                }
            );
        }
        s += "</table>\n";
    }
    s += "<h2>Machines</h2>\n<table id=\"machines\"><tr><th>Machine</th><th>Outcome</th>\
          <th>Failing step</th><th>Root code</th><th>Finding</th></tr>\n";
    for m in &scan.machines {
        let finding = match (m.findings.first(), &m.error) {
            (_, Some(e)) => esc(e),
            (Some(f), None) => format!("{} <code>{}</code>", esc(&f.title), esc(&f.id)),
            (None, None) => match &m.read_first {
                Some(r) => format!(
                    "<i>read first:</i> <code>{}:{}</code> {}{}",
                    esc(&r.source),
                    r.line,
                    r.code
                        .as_deref()
                        .map(|c| format!("<code>{}</code> ", esc(c)))
                        .unwrap_or_default(),
                    esc(&r.text)
                ),
                None => String::new(),
            },
        };
        s += &format!(
            "<tr><td>{}</td><td class=\"{}\">{}</td><td>{}</td><td><code>{}</code></td><td>{}</td></tr>\n",
            esc(&m.machine),
            m.outcome,
            m.outcome,
            esc(m.failing_step.as_deref().unwrap_or("")),
            esc(m.root_code.as_deref().unwrap_or("")),
            finding
        );
    }
    s += "</table>\n</body></html>\n";
    s
}
