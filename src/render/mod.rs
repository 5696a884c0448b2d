//! Stage 5: the words. Fills handlebars templates, one partial per fact template and one layout
//! per output format, with the press-office helpers.

pub mod chart;
mod context;
mod guard;
mod heading;
pub mod helpers;
pub mod html;
mod mention;

use crate::plan::{Plan, PlannedFact, Stated};
use context::FiguresCache;
pub use context::ZH_LABELS;
use handlebars::Handlebars;
use serde::Serialize;
use serde_json::{Value as Json, json};
use std::collections::HashMap;
use std::path::Path;

/// The languages with built-in templates and helpers.
pub const LANGUAGES: [&str; 2] = ["en", "zh"];

mod builtin {
    include!(concat!(env!("OUT_DIR"), "/templates.rs"));
}

/// Every built-in template as (path under `templates/`, contents): what `eject` writes out.
pub fn builtin_files() -> &'static [(&'static str, &'static str)] {
    builtin::BUILTIN
}

/// Why a bulletin could not be written.
#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    /// A template file could not be read or parsed.
    #[error("{path}: {message}")]
    Template {
        /// The template file.
        path: String,
        /// What is wrong.
        message: String,
    },
    /// A fact needs a template that does not exist.
    #[error("{origin}: rule `{rule}` names template `{template}`, but there is no {path}")]
    MissingTemplate {
        /// Where the rule is written.
        origin: String,
        /// The rule.
        rule: String,
        /// The template it names.
        template: String,
        /// Where the template should be.
        path: String,
    },
    /// A section's heading template does not exist.
    #[error("{origin}: section `{section}` names heading `{template}`, but there is no {path}")]
    MissingHeading {
        /// The rules file.
        origin: String,
        /// The section.
        section: String,
        /// The template it names.
        template: String,
        /// Where the template should be.
        path: String,
    },
    /// Filling a template failed: a missing field, a figure that is absent, a bad helper call.
    #[error("template {template}{fact}: {message}")]
    Fill {
        /// The template.
        template: String,
        /// " (rule `x`)" where a fact was being written.
        fact: String,
        /// What went wrong.
        message: String,
    },
    /// The language has no templates.
    #[error("no templates for language `{0}`")]
    Language(String),
}

/// Output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    /// Markdown.
    Md,
    /// Plain text.
    Txt,
    /// A standalone web page with a key-figures table and charts: the monthly trend, and the
    /// growth of the members of each dimension the bulletin speaks of.
    Html,
    /// The facts, the figures and the text, each sentence with what is behind it.
    Json,
}

impl Format {
    /// The file extension.
    pub fn ext(self) -> &'static str {
        match self {
            Format::Md => "md",
            Format::Txt => "txt",
            Format::Html => "html",
            Format::Json => "json",
        }
    }
}

/// One sentence and what it says.
#[derive(Debug, Clone, Serialize)]
pub struct Sentence {
    /// The text.
    pub text: String,
    /// The rule whose fact it states.
    pub rule: String,
    /// The members it names.
    pub subjects: Vec<String>,
    /// The data rows behind its figures, as `file:line`.
    pub rows: Vec<String>,
}

/// A paragraph: one section's sentences.
#[derive(Debug, Clone, Serialize)]
pub struct Paragraph {
    /// The section id.
    pub section: String,
    /// Its one-line verdict, where the rules give the section a heading and it has something to say.
    pub heading: Option<String>,
    /// Its sentences.
    pub sentences: Vec<Sentence>,
}

/// A written bulletin in one language.
#[derive(Debug, Clone, Serialize)]
pub struct Bulletin {
    /// The language.
    pub lang: String,
    /// The headline.
    pub headline: String,
    /// The body.
    pub paragraphs: Vec<Paragraph>,
    /// The line that announces the numbered sections ("The details are as follows."), where
    /// a paragraph has a heading.
    pub announcement: Option<String>,
    /// The credit line.
    pub source: String,
}

/// Fills templates for one language.
pub struct Renderer {
    hb: Handlebars<'static>,
    lang: String,
    /// Template name to the file it came from, for messages: an override names its own file.
    files: HashMap<String, String>,
    /// Every template registered, as (name, text): what a bulletin's fingerprint records.
    sources: Vec<(String, String)>,
}

impl Renderer {
    /// The built-in templates for `lang`, with any file under `overrides/<lang>/` replacing its namesake.
    pub fn new(lang: &str, overrides: Option<&Path>) -> Result<Renderer, RenderError> {
        Renderer::with_only(lang, overrides, &|_| true)
    }

    /// [`Renderer::new`] with only the fact and headline templates `keep` names (as
    /// `facts/<name>` or `headlines/<name>`), and every other (layouts, the headline's frame).
    /// Compiling a template takes about 0.15 ms, and a rules file uses half of them.
    pub fn with_only(
        lang: &str,
        overrides: Option<&Path>,
        keep: &dyn Fn(&str) -> bool,
    ) -> Result<Renderer, RenderError> {
        let mut hb = Handlebars::new();
        hb.set_strict_mode(true);
        hb.register_escape_fn(handlebars::no_escape);
        if !helpers::register(&mut hb, lang) {
            return Err(RenderError::Language(lang.into()));
        }
        let prefix = format!("{lang}/");
        let mut files = HashMap::new();
        let mut sources = Vec::new();
        let wanted = |path: &str| {
            let name = path.strip_prefix(&prefix).unwrap_or(path);
            let name = name.strip_suffix(".hbs").unwrap_or(name);
            !(name.starts_with("facts/") || name.starts_with("headlines/")) || keep(name)
        };
        for (path, text) in builtin::BUILTIN.iter().filter(|(p, _)| p.starts_with(&prefix) && wanted(p)) {
            register(&mut hb, &mut files, path, text, &format!("templates/{path}"))?;
            sources.push((path.to_string(), text.to_string()));
        }
        if let Some(dir) = overrides {
            if !dir.is_dir() {
                return Err(RenderError::Template {
                    path: dir.display().to_string(),
                    message: "the templates folder does not exist".into(),
                });
            }
            let mut found = Vec::new();
            guard::collect(&dir.join(lang), &mut found);
            for file in found {
                let rel = file.strip_prefix(dir).unwrap_or(&file).to_string_lossy().replace('\\', "/");
                if !wanted(&rel) {
                    continue;
                }
                // Regular files only, and small: a FIFO would hang the run, /dev/zero never ends.
                let text = crate::input::read_text(&file, crate::input::MAX_TEMPLATE_BYTES).map_err(|e| {
                    RenderError::Template { path: file.display().to_string(), message: format!("cannot read: {e}") }
                })?;
                register(&mut hb, &mut files, &rel, &text, &file.display().to_string())?;
                sources.retain(|(name, _)| *name != rel);
                sources.push((rel, text));
            }
        }
        guard::check_partials(hb.get_templates(), &files)?;
        sources.sort();
        Ok(Renderer { hb, lang: lang.into(), files, sources })
    }

    /// Whether a template exists: `kind` is `facts` or `headlines`. A missing one is reported as
    /// [`RenderError::MissingTemplate`] by the caller, who knows which rule named it.
    pub fn has_template(&self, kind: &str, name: &str) -> bool {
        self.hb.has_template(&format!("{}/{kind}/{name}", self.lang))
    }

    /// Every template this renderer fills, as (path under templates/, text), sorted.
    pub fn sources(&self) -> &[(String, String)] {
        &self.sources
    }

    /// The language.
    pub fn lang(&self) -> &str {
        &self.lang
    }

    /// Writes the plan's sentences.
    pub fn write(&self, plan: &Plan) -> Result<Bulletin, RenderError> {
        self.write_with(plan, true)
    }

    /// Writes the plan's sentences; with `rows`, each with the data rows behind it (which only
    /// the JSON output shows: a batch of Markdown bulletins need not gather them).
    pub fn write_with(&self, plan: &Plan, with_rows: bool) -> Result<Bulletin, RenderError> {
        let cited;
        let plan = if with_rows {
            cited = plan.with_rows();
            &cited
        } else {
            plan
        };
        let cache = &mut FiguresCache::new();
        let headline = match &plan.headline {
            Some(pf) => {
                let name = pf.fact.headline.as_deref().unwrap_or_default();
                let at = Neighbours { position: 0, previous: None, next: None, stated: &[] };
                // A headline's figures are the lede's too: the lede states them again.
                let unsaid = &mut Stated::default();
                self.sentence(&format!("headlines/{name}"), plan, pf, at, &self.reporter(plan), cache, unsaid)?
            }
            None => self.fill("headline", json!({ "reporter": self.reporter(plan) }))?,
        };
        let mut paragraphs = Vec::new();
        let mut position = 0;
        let full = self.reporter(plan);
        let mut named = false;
        // Every figure an earlier sentence printed: a later sentence is told which (`said`), and
        // for each subject whether its value was given (`stated`), so it need not repeat them.
        let mut said = Stated::default();
        for section in &plan.sections {
            let mut sentences = Vec::new();
            // The verdict is written before the section's sentences, so it names the reporter as
            // they would at this point.
            let reporter = if named { self.later_reporter(&full, false) } else { full.clone() };
            let heading = match &section.heading {
                Some(name) => Some(self.heading(name, plan, section, &reporter, cache)?).filter(|h| !h.is_empty()),
                None => None,
            };
            for (i, pf) in section.facts.iter().enumerate() {
                position += 1;
                // The reporter is named in full once; after that it is "the country" (我 in
                // Chinese), except, in English, in a sentence about partners, where "the country"
                // could be the partner.
                let about_total = pf.fact.over.dimension == crate::dataset::TOTAL_DIMENSION;
                let reporter = if named { self.later_reporter(&full, about_total) } else { full.clone() };
                // The neighbouring sentences' templates, so that one can run on into the next
                // (Chinese lists exports, imports and the balance in one sentence).
                let previous = i.checked_sub(1).and_then(|j| section.facts.get(j)).map(|f| f.fact.template.as_str());
                let next = section.facts.get(i + 1).map(|f| f.fact.template.as_str());
                let (flow, basis) = (pf.fact.over.flow, pf.fact.over.basis);
                let stated: Vec<bool> = pf
                    .fact
                    .subjects
                    .iter()
                    .map(|s| said.of(&s.dimension, &s.member, flow, basis).contains(&"value"))
                    .collect();
                let text = self.sentence(
                    &format!("facts/{}", pf.fact.template),
                    plan,
                    pf,
                    Neighbours { position, previous, next, stated: &stated },
                    &reporter,
                    cache,
                    &mut said,
                )?;
                // A template may find nothing to say (every subject was stated already).
                if text.is_empty() {
                    continue;
                }
                // Sentence case may have capitalised the name ("The United States'").
                let lower = text.to_lowercase();
                named |= ["name", "possessive"]
                    .iter()
                    .any(|k| full[k].as_str().is_some_and(|n| lower.contains(&n.to_lowercase())));
                // The subjects' rows and the total's, which shares and gaps are computed against.
                // With the runner-up a sentence names beside its subject ("level with").
                let cited: Vec<&crate::rules::Subject> = pf
                    .fact
                    .subjects
                    .iter()
                    .chain(pf.notes.iter().filter_map(|n| n.level_with.as_ref().map(|r| &r.subject)))
                    .collect();
                let mut rows: Vec<&String> = cited
                    .iter()
                    .flat_map(|s| s.flows.values())
                    .chain(pf.fact.total.values())
                    .flat_map(|f| f.rows.iter())
                    .filter(|_| with_rows)
                    .collect();
                rows.sort_by_cached_key(|r| row_order(r));
                rows.dedup();
                let rows = rows.into_iter().cloned().collect();
                sentences.push(Sentence {
                    text,
                    rule: pf.fact.rule.clone(),
                    subjects: cited.iter().map(|s| format!("{}/{}", s.dimension, s.member)).collect(),
                    rows,
                });
            }
            if !sentences.is_empty() {
                paragraphs.push(Paragraph { section: section.id.clone(), heading, sentences });
            }
        }
        let announcement = if paragraphs.iter().any(|p| p.heading.is_some()) {
            Some(self.announcement(plan, &self.later_reporter(&full, false))?).filter(|a| !a.is_empty())
        } else {
            None
        };
        let source =
            plan.meta.source.get(&self.lang).or_else(|| plan.meta.source.get("en")).cloned().unwrap_or_default();
        Ok(Bulletin { lang: self.lang.clone(), headline, paragraphs, announcement, source })
    }

    /// Lays a written bulletin out as Markdown, text or HTML.
    pub fn layout(&self, bulletin: &Bulletin, plan: &Plan, format: Format) -> Result<String, RenderError> {
        // `body` has the paragraphs with their headings; `paragraphs`, their text alone, is kept
        // for layouts written before there were headings.
        let body = heading::paragraph_context(bulletin, &self.lang);
        let paragraphs: Vec<Json> = body.as_array().into_iter().flatten().map(|p| p["text"].clone()).collect();
        let mut ctx =
            json!({ "headline": bulletin.headline, "body": body, "paragraphs": paragraphs, "source": bulletin.source });
        if format == Format::Html {
            // The page's text is escaped here, once, and the layout inserts it as it is: a member
            // named `<b>` prints as `&lt;b&gt;`, never as markup.
            ctx = escape_all(&ctx);
            ctx["lang"] = json!(self.lang);
            let (span, rows) = html::key_figures(plan, &self.lang);
            ctx["key_figures"] = rows;
            ctx["key_figures_span"] = json!(span);
            ctx["charts"] = json!(html::charts(plan, &self.lang));
        }
        let name = format!("{}/layout.{}", self.lang, format.ext());
        self.hb.render(&name, &ctx).map_err(|e| RenderError::Fill {
            template: format!("templates/{name}.hbs"),
            fact: String::new(),
            message: guard::fill_message(&e),
        })
    }

    fn fill(&self, name: &str, ctx: Json) -> Result<String, RenderError> {
        let full = format!("{}/{name}", self.lang);
        // Handed over whole: `render` would copy the context first.
        self.hb.render_with_context(&full, &handlebars::Context::from(ctx)).map(|t| tidy(&t, &self.lang)).map_err(|e| {
            RenderError::Fill {
                template: self.files.get(&full).cloned().unwrap_or_else(|| format!("templates/{full}.hbs")),
                fact: String::new(),
                message: guard::fill_message(&e),
            }
        })
    }

    /// What a fact's template reads, for a section's verdict: as a sentence would, with nothing
    /// stated before it.
    fn fact_context(&self, plan: &Plan, pf: &PlannedFact, cache: &mut FiguresCache) -> Json {
        context::fact_context(&self.lang, self.reporter(plan), plan, pf, cache, &Stated::default())
    }

    #[allow(clippy::too_many_arguments)]
    fn sentence(
        &self,
        name: &str,
        plan: &Plan,
        pf: &PlannedFact,
        Neighbours { position, previous, next, stated }: Neighbours,
        reporter: &Json,
        cache: &mut FiguresCache,
        said: &mut Stated,
    ) -> Result<String, RenderError> {
        let mut ctx = context::fact_context(&self.lang, self.reporter(plan), plan, pf, cache, said);
        ctx["reporter"] = reporter.clone();
        ctx["previous"] = json!(previous);
        ctx["next"] = json!(next);
        if let Some(subjects) = ctx["subjects"].as_array_mut() {
            for (s, &told) in subjects.iter_mut().zip(stated) {
                s["stated"] = json!(told);
            }
        }
        if let Some(&told) = stated.first() {
            ctx["first"]["stated"] = json!(told);
        }
        // The subjects no earlier sentence spoke of, for a template to list alone.
        let fresh: Vec<Json> = ctx["subjects"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|s| s["stated"] != Json::Bool(true))
            .cloned()
            .collect();
        ctx["fresh"] = json!(fresh);
        // The reporter by its name even where `reporter` has become "the country": in a member's
        // bulletin, "the country" could be the member.
        ctx["reporter_full"] = self.reporter(plan);
        // Variation is chosen, never random: by the month and the rule (`seed`, for the phrasing)
        // and by the month and the sentence's place (`position`, for verbs), so a re-run gives the
        // same text, consecutive months move on by one, and neighbouring sentences differ.
        let month = pf.fact.period.year as u64 * 12 + pf.fact.period.month as u64;
        ctx["seed"] = json!(month + stable_hash(&pf.fact.rule) % 997);
        ctx["position"] = json!(month + position);
        let (text, printed) = helpers::printing(|| self.fill(name, ctx));
        let text = text.map_err(|e| match e {
            RenderError::Fill { template, message, .. } => RenderError::Fill {
                template,
                fact: format!(" (rule `{}` at {})", pf.fact.rule, pf.fact.origin),
                message,
            },
            other => other,
        })?;
        for path in &printed {
            if let Some((dimension, member, flow, figure)) = context::figure_at(pf, path) {
                said.add(dimension, member, flow, pf.fact.over.basis, figure);
            }
        }
        Ok(text)
    }
}

/// Where a sentence stands: its place in the bulletin, the templates of the sentences before and
/// after it in its paragraph, and for each subject whether an earlier sentence spoke of it on the
/// same flow and basis.
struct Neighbours<'a> {
    position: u64,
    previous: Option<&'a str>,
    next: Option<&'a str>,
    stated: &'a [bool],
}

/// Escapes text for HTML, attributes included.
pub fn html_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

fn escape_all(v: &Json) -> Json {
    match v {
        Json::String(s) => Json::String(html_escape(s)),
        Json::Array(a) => Json::Array(a.iter().map(escape_all).collect()),
        Json::Object(o) => Json::Object(o.iter().map(|(k, v)| (k.clone(), escape_all(v))).collect()),
        other => other.clone(),
    }
}

/// FNV-1a: a hash that is the same on every machine and every run, unlike the standard one.
fn stable_hash(s: &str) -> u64 {
    s.bytes().fold(0xcbf29ce484222325, |h, b| (h ^ b as u64).wrapping_mul(0x100000001b3))
}

/// Sorts `file:line` by file, then by line as a number (so `:9` comes before `:10`).
fn row_order(row: &str) -> (&str, u64) {
    match row.rsplit_once(':') {
        Some((file, line)) => (file, line.parse().unwrap_or(0)),
        None => (row, 0),
    }
}

fn register(
    hb: &mut Handlebars<'static>,
    files: &mut HashMap<String, String>,
    path: &str,
    text: &str,
    shown: &str,
) -> Result<(), RenderError> {
    let name = path.strip_suffix(".hbs").unwrap_or(path);
    files.insert(name.to_string(), shown.to_string());
    guard::check_nesting(text).map_err(|message| RenderError::Template { path: shown.into(), message })?;
    hb.register_template_string(name, text)
        .map_err(|e| RenderError::Template { path: shown.into(), message: e.to_string() })
}

/// What stands between two sentences: a space in English, nothing in Chinese.
fn sentence_gap(lang: &str) -> &'static str {
    if lang == "zh" { "" } else { " " }
}

/// Turns a filled template into a sentence: in Chinese the template's lines join with nothing
/// between them; in other languages the spacing collapses and the first letter is a capital.
pub fn tidy(text: &str, lang: &str) -> String {
    if lang == "zh" {
        return text.lines().map(str::trim).collect::<String>();
    }
    sentence_case(text)
}

/// Collapses the template's line breaks and spacing into prose and capitalises the first letter
/// of each sentence: one template may write two ("... 2.1 trillion yuan. exports to the US ...").
/// A full stop after a dotted capital ends an abbreviation (`U.S. exports`), not a sentence.
pub fn sentence_case(text: &str) -> String {
    let joined = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let joined = joined.replace(" ,", ",").replace(" .", ".").replace(" ;", ";");
    let mut out = String::with_capacity(joined.len());
    let mut capital = true;
    let mut prev = [' ', ' ', ' '];
    for c in joined.chars() {
        if capital && c.is_alphabetic() {
            out.extend(c.to_uppercase());
            capital = false;
        } else {
            out.push(c);
            if !c.is_whitespace() {
                capital = false;
            }
        }
        // ". " ends a sentence, except after an abbreviation's dotted capital ("U.S. ").
        if c == ' ' && prev[2] == '.' && !(prev[1].is_uppercase() && prev[0] == '.') {
            capital = true;
        }
        prev = [prev[1], prev[2], c];
    }
    out
}

/// Serialises the bulletin, the plan's facts and their figures for tools.
pub fn to_json(bulletin: &Bulletin, plan: &Plan, text: &str) -> String {
    let plan = &plan.with_rows();
    let doc = json!({
        "dataset": plan.meta.id,
        "period": plan.period,
        "lang": bulletin.lang,
        "headline": bulletin.headline,
        "text": text,
        "announcement": bulletin.announcement,
        "paragraphs": bulletin.paragraphs,
        "facts": plan.sections.iter().flat_map(|s| s.facts.iter().map(|f| &f.fact)).collect::<Vec<_>>(),
        "dropped": plan.dropped,
    });
    serde_json::to_string_pretty(&doc).expect("plain data serialises") + "\n"
}
