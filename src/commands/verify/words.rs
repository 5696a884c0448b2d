//! Reading a bulletin's words back: its units of text (headline, paragraphs, table rows, chart
//! labels, credit line), as written in Markdown, text, HTML or JSON, and their sentences.

use crate::render::Format;

/// The units of text of a bulletin as written: headline, paragraphs, table rows, chart labels
/// and the credit line, with the markup of its format taken away.
pub fn units(text: &str, format: Format) -> Vec<String> {
    match format {
        Format::Md | Format::Txt => paragraphs(text),
        Format::Html => html_units(text),
        Format::Json => {
            let Ok(doc) = serde_json::from_str::<serde_json::Value>(text) else { return Vec::new() };
            let mut out: Vec<String> = doc["headline"].as_str().map(|h| vec![h.to_string()]).unwrap_or_default();
            for p in doc["paragraphs"].as_array().into_iter().flatten() {
                for s in p["sentences"].as_array().into_iter().flatten() {
                    out.extend(s["text"].as_str().map(String::from));
                }
            }
            out.extend(doc["text"].as_str().map(paragraphs).unwrap_or_default());
            out
        }
    }
}

/// Paragraphs of Markdown or text, without heading marks and emphasis.
fn paragraphs(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for block in text.split("\n\n") {
        let joined: Vec<&str> = block.lines().map(str::trim).filter(|l| !l.is_empty()).collect();
        let mut p = joined.join(" ");
        while p.starts_with('#') {
            p.remove(0);
        }
        let p = p.trim().trim_matches(|c| c == '*' || c == '_').replace("**", "");
        if !p.trim().is_empty() {
            out.push(p.trim().to_string());
        }
    }
    out
}

/// The text of an HTML page by block: headings, paragraphs, table rows (cells joined by ` | `),
/// captions, chart labels, the footer.
fn html_units(html: &str) -> Vec<String> {
    const BREAKS: [&str; 14] = [
        "p",
        "h1",
        "h2",
        "h3",
        "title",
        "caption",
        "tr",
        "footer",
        "li",
        "text",
        "figcaption",
        "div",
        "article",
        "header",
    ];
    let mut out = Vec::new();
    let mut unit = String::new();
    let mut rest = html;
    let mut flush = |unit: &mut String| {
        let t = decode(unit.trim());
        let t = t.split_whitespace().collect::<Vec<_>>().join(" ");
        if !t.is_empty() {
            out.push(t);
        }
        unit.clear();
    };
    while let Some(lt) = rest.find('<') {
        unit.push_str(&rest[..lt]);
        let Some(gt) = rest[lt..].find('>') else { break };
        let tag = &rest[lt + 1..lt + gt];
        let name: String = tag
            .trim_start_matches('/')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect::<String>()
            .to_ascii_lowercase();
        rest = &rest[lt + gt + 1..];
        if !tag.starts_with('/') && (name == "style" || name == "script") {
            match rest.find(&format!("</{name}")) {
                Some(end) => rest = &rest[end..],
                None => rest = "",
            }
            continue;
        }
        if name == "td" || name == "th" {
            if tag.starts_with('/') {
                unit.push_str(" | ");
            }
        } else if BREAKS.contains(&name.as_str()) || name == "br" {
            flush(&mut unit);
        }
    }
    unit.push_str(rest);
    flush(&mut unit);
    out.into_iter().map(|u| u.trim_end_matches(" |").trim_end_matches('|').trim().to_string()).collect()
}

/// HTML entities as the layouts write them.
fn decode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        let end = rest.find(';').filter(|e| *e <= 10);
        let entity = end.map(|e| &rest[1..e]);
        let ch = match entity {
            Some("amp") => Some('&'),
            Some("lt") => Some('<'),
            Some("gt") => Some('>'),
            Some("quot") => Some('"'),
            Some("apos") => Some('\''),
            Some("nbsp") => Some(' '),
            Some(e) if e.starts_with("#x") => u32::from_str_radix(&e[2..], 16).ok().and_then(char::from_u32),
            Some(e) if e.starts_with('#') => e[1..].parse().ok().and_then(char::from_u32),
            _ => None,
        };
        match (ch, end) {
            (Some(c), Some(e)) => {
                out.push(c);
                rest = &rest[e + 1..];
            }
            _ => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// The sentences of a unit of text: English ends a sentence at `.`, `!` or `?` before a space and
/// a capital or a figure (not after an initial, as in "U.S."); Chinese at `。`, `！` or `？`.
pub fn sentences(unit: &str) -> Vec<String> {
    let chars: Vec<(usize, char)> = unit.char_indices().collect();
    let mut out = Vec::new();
    let mut start = 0;
    for (i, &(at, c)) in chars.iter().enumerate() {
        let end = at + c.len_utf8();
        let ends = match c {
            '。' | '！' | '？' => true,
            '.' | '!' | '?' => {
                let next = chars.get(i + 1).map(|x| x.1);
                let after = chars.get(i + 2).map(|x| x.1);
                // "U.S." and "e.g.": a letter alone before the stop is an initial.
                let initial = c == '.'
                    && i >= 1
                    && chars[i - 1].1.is_alphabetic()
                    && (i < 2 || !chars[i - 2].1.is_alphanumeric());
                next.is_some_and(char::is_whitespace)
                    && after.is_some_and(|a| a.is_uppercase() || a.is_ascii_digit() || a == '$' || a == '"')
                    && !initial
            }
            _ => false,
        };
        if ends {
            let s = unit[start..end].trim();
            if !s.is_empty() {
                out.push(s.to_string());
            }
            start = end;
        }
    }
    let s = unit[start..].trim();
    if !s.is_empty() {
        out.push(s.to_string());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sentences_and_units() {
        let s =
            sentences("Source: U.S. Census Bureau, U.S. Trade. Exports rose 1.0% to $2 billion. 2019 was a record.");
        assert_eq!(
            s,
            vec!["Source: U.S. Census Bureau, U.S. Trade.", "Exports rose 1.0% to $2 billion.", "2019 was a record."]
        );
        assert_eq!(sentences("出口增长6.7%。进口增长1.3%。"), vec!["出口增长6.7%。", "进口增长1.3%。"]);
        let html = "<html><head><title>T &amp; U</title><style>p{}</style></head><body><h1>Head</h1><p>One. Two.</p>\
                    <table><tr><td>Exports</td><td>$1 billion</td></tr></table><footer>Source: X</footer></body></html>";
        assert_eq!(units(html, Format::Html), vec!["T & U", "Head", "One. Two.", "Exports | $1 billion", "Source: X"]);
        assert_eq!(
            units("# Head\n\nOne.\nTwo.\n\n*Source: X.*\n", Format::Md),
            vec!["Head", "One. Two.", "Source: X."]
        );
    }
}
