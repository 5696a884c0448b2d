//! Limits on templates, checked when they load so that no template can exhaust the stack when it
//! is parsed or filled: block nesting and subexpression depth bounded, partials named literally
//! and never including themselves, directly or through others; the overrides folder walked only
//! so deep; and handlebars' messages with plain values.

use super::RenderError;
use handlebars::template::{Parameter, Template, TemplateElement};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};

/// How deeply blocks (`{{#if}}`, `{{#each}}`, ...) may nest in one template, and subexpressions
/// (`(helper (helper x))`) in one tag.
pub const MAX_NESTING: usize = 24;
/// How long a chain of partials (`{{> a}}` in a template that is itself included) may be.
pub const MAX_PARTIAL_DEPTH: usize = 8;

/// Checks a template's text before it is parsed: the parser and the renderer recurse once a
/// level, and a few thousand levels overflow the stack.
pub fn check_nesting(text: &str) -> Result<(), String> {
    let bytes = text.as_bytes();
    let (mut blocks, mut i) = (0usize, 0);
    while let Some(at) = text[i..].find("{{").map(|a| a + i) {
        let end = text[at..].find("}}").map_or(bytes.len(), |e| at + e);
        let tag = text[at + 2..end].trim_start_matches('{').trim_start_matches('~').trim_start();
        match tag.as_bytes().first() {
            Some(b'#') => blocks += 1,
            // `{{^}}` is `else`; `{{^name}}` opens an inverse block.
            Some(b'^') if !tag[1..].trim_start_matches('~').trim().is_empty() => blocks += 1,
            Some(b'/') => blocks = blocks.saturating_sub(1),
            _ => {}
        }
        if blocks > MAX_NESTING {
            return Err(format!("blocks nest more than {MAX_NESTING} deep (line {})", line_of(text, at)));
        }
        let mut parens = 0usize;
        for (k, b) in tag.bytes().enumerate() {
            match b {
                b'(' => parens += 1,
                b')' => parens = parens.saturating_sub(1),
                _ => {}
            }
            if parens > MAX_NESTING {
                let offset = end - tag.len() + k;
                return Err(format!(
                    "subexpressions nest more than {MAX_NESTING} deep (line {})",
                    line_of(text, offset.min(bytes.len()))
                ));
            }
        }
        i = (end + 2).min(bytes.len());
    }
    Ok(())
}

fn line_of(text: &str, offset: usize) -> usize {
    text[..offset].bytes().filter(|b| *b == b'\n').count() + 1
}

/// Checks the partials of every registered template: each is named literally (`{{> name}}`, not
/// `{{> (lookup ...)}}`), no template includes itself through any chain of partials, and no chain
/// is longer than [`MAX_PARTIAL_DEPTH`]. Inline partials (`{{#*inline "x"}}`) count as templates
/// of their own name; a name that could be either is taken as both. `files` gives the file each
/// template came from, for messages.
pub fn check_partials(
    templates: &HashMap<String, Template>,
    files: &HashMap<String, String>,
) -> Result<(), RenderError> {
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut inline_names = BTreeSet::new();
    for (name, t) in templates {
        let shown = files.get(name).cloned().unwrap_or_else(|| name.clone());
        let mut walk = Walk { graph: &mut graph, inline_names: &mut inline_names };
        walk.template(name, t).map_err(|message| RenderError::Template { path: shown, message })?;
    }
    // A name refers to the registered template of that name and to any inline one.
    let targets = |name: &str| -> Vec<String> {
        let mut v = Vec::new();
        if templates.contains_key(name) {
            v.push(name.to_string());
        }
        if inline_names.contains(name) {
            v.push(format!("inline {name}"));
        }
        v
    };
    // Depth-first from every template: a name met again on the path is a cycle.
    let mut done: BTreeMap<String, usize> = BTreeMap::new();
    fn visit(
        node: &str,
        path: &mut Vec<String>,
        graph: &BTreeMap<String, BTreeSet<String>>,
        targets: &dyn Fn(&str) -> Vec<String>,
        done: &mut BTreeMap<String, usize>,
    ) -> Result<usize, Vec<String>> {
        if let Some(at) = path.iter().position(|p| p == node) {
            let mut cycle = path[at..].to_vec();
            cycle.push(node.to_string());
            return Err(cycle);
        }
        if let Some(depth) = done.get(node) {
            return Ok(*depth);
        }
        path.push(node.to_string());
        let mut depth = 0;
        for name in graph.get(node).into_iter().flatten() {
            for target in targets(name) {
                depth = depth.max(1 + visit(&target, path, graph, targets, done)?);
            }
        }
        path.pop();
        done.insert(node.to_string(), depth);
        Ok(depth)
    }
    for name in graph.keys() {
        let shown = |n: &str| files.get(n).cloned().unwrap_or_else(|| n.to_string());
        match visit(name, &mut Vec::new(), &graph, &targets, &mut done) {
            Err(cycle) => {
                return Err(RenderError::Template {
                    path: shown(&cycle[0]),
                    message: format!(
                        "partials include each other in a cycle ({}), which would never end",
                        cycle.iter().map(|c| format!("`{c}`")).collect::<Vec<_>>().join(" -> ")
                    ),
                });
            }
            Ok(depth) if depth > MAX_PARTIAL_DEPTH => {
                return Err(RenderError::Template {
                    path: shown(name),
                    message: format!("partials include partials more than {MAX_PARTIAL_DEPTH} deep"),
                });
            }
            Ok(_) => {}
        }
    }
    Ok(())
}

/// Gathers, for each template and inline partial, the partials it names.
struct Walk<'a> {
    graph: &'a mut BTreeMap<String, BTreeSet<String>>,
    inline_names: &'a mut BTreeSet<String>,
}

impl Walk<'_> {
    fn template(&mut self, node: &str, t: &Template) -> Result<(), String> {
        self.graph.entry(node.to_string()).or_default();
        for e in &t.elements {
            self.element(node, e)?;
        }
        Ok(())
    }

    fn element(&mut self, node: &str, e: &TemplateElement) -> Result<(), String> {
        match e {
            TemplateElement::HelperBlock(h) | TemplateElement::Expression(h) | TemplateElement::HtmlExpression(h) => {
                for t in h.template.iter().chain(h.inverse.iter()) {
                    self.template(node, t)?;
                }
            }
            TemplateElement::DecoratorBlock(d) | TemplateElement::DecoratorExpression(d) => {
                let inline = matches!(&d.name, Parameter::Name(n) if n == "inline");
                match (inline, d.params.first(), &d.template) {
                    (true, Some(p), Some(body)) => {
                        let name = literal(p).ok_or("an inline partial needs a literal name")?;
                        self.inline_names.insert(name.clone());
                        self.template(&format!("inline {name}"), body)?;
                    }
                    (_, _, Some(body)) => self.template(node, body)?,
                    _ => {}
                }
            }
            TemplateElement::PartialExpression(d) | TemplateElement::PartialBlock(d) => {
                let name = literal(&d.name).ok_or(
                    "a partial must be named literally ({{> name}}), so that templates can be checked for recursion",
                )?;
                if name != "@partial-block" {
                    self.graph.entry(node.to_string()).or_default().insert(name);
                }
                if let Some(body) = &d.template {
                    self.template(node, body)?;
                }
            }
            _ => {}
        }
        Ok(())
    }
}

/// The name a parameter gives literally, if it does.
fn literal(p: &Parameter) -> Option<String> {
    match p {
        Parameter::Literal(json) => Some(handlebars::JsonRender::render(json)),
        other => other.as_name().map(String::from),
    }
}

/// The `.hbs` files under `dir`, in order. Templates sit at most two folders down
/// (`en/facts/x.hbs`); deeper ones are not looked for, and a link to a folder is not followed, so
/// a link back up cannot send the walk round for ever.
pub fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    collect_to(dir, out, 3)
}

fn collect_to(dir: &Path, out: &mut Vec<PathBuf>, depth: usize) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<(PathBuf, bool)> =
        entries.flatten().map(|e| (e.path(), e.file_type().is_ok_and(|t| t.is_dir()))).collect();
    entries.sort();
    for (p, is_dir) in entries {
        if is_dir {
            if depth > 1 {
                collect_to(&p, out, depth - 1);
            }
        } else if p.extension().is_some_and(|x| x == "hbs") {
            out.push(p);
        }
    }
}

/// handlebars' message for a failed fill, with a missing field named plainly: its own message
/// shows Rust's debug text (`Some("name")`).
pub fn fill_message(e: &handlebars::RenderError) -> String {
    let text = e.to_string();
    match e.reason() {
        handlebars::RenderErrorReason::MissingVariable(name) => {
            let plain = match name {
                Some(n) => format!("Failed to access variable `{n}` in strict mode (it is not in the context)"),
                None => "Failed to access a variable in strict mode (it is not in the context)".to_string(),
            };
            text.replace(&e.reason().to_string(), &plain)
        }
        _ => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn registry(templates: &[(&str, &str)]) -> Result<(), String> {
        let mut hb = handlebars::Handlebars::new();
        for (name, text) in templates {
            check_nesting(text)?;
            hb.register_template_string(name, text).map_err(|e| e.to_string())?;
        }
        check_partials(hb.get_templates(), &HashMap::new()).map_err(|e| e.to_string())
    }

    #[test]
    fn partials_that_include_each_other_are_refused() {
        let e = registry(&[("a", "x {{> b}}"), ("b", "{{#if y}}{{> a}}{{/if}}")]).unwrap_err();
        assert!(e.contains("partials include each other in a cycle") && e.contains("`a` -> `b` -> `a`"), "{e}");
        let e = registry(&[("a", "{{> a}}")]).unwrap_err();
        assert!(e.contains("(`a` -> `a`)"), "{e}");
        let e = registry(&[("a", "{{#*inline \"x\"}}{{> x}}{{/inline}}{{> x}}")]).unwrap_err();
        assert!(e.contains("`inline x` -> `inline x`"), "{e}");
        let e = registry(&[("a", "{{> (lookup this \"p\")}}")]).unwrap_err();
        assert!(e.contains("a partial must be named literally"), "{e}");
        assert!(registry(&[("a", "{{> b}} {{> b}}"), ("b", "{{> c}}"), ("c", "z")]).is_ok());
    }

    #[test]
    fn long_chains_and_deep_nesting_are_refused() {
        let chain: Vec<(String, String)> =
            (0..12).map(|i| (format!("p{i}"), format!("{{{{> p{}}}}}", i + 1))).collect();
        let chain: Vec<(&str, &str)> = chain.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
        let e = registry(&chain).unwrap_err();
        assert!(e.contains("more than 8 deep"), "{e}");
        let deep = format!("{}x{}", "{{#if a}}".repeat(25), "{{/if}}".repeat(25));
        assert_eq!(check_nesting(&deep).unwrap_err(), "blocks nest more than 24 deep (line 1)");
        let ok = format!("{}x{}", "{{#if a}}".repeat(24), "{{/if}}".repeat(24));
        assert!(check_nesting(&ok).is_ok());
        let parens = format!("{{{{x {}y{}}}}}", "(h ".repeat(25), ")".repeat(25));
        assert!(check_nesting(&parens).unwrap_err().starts_with("subexpressions nest more than 24 deep"));
        assert!(check_nesting("{{#if a}}b{{^}}c{{/if}} {{^if d}}e{{/if}} (not (a tag))").is_ok());
    }
}
