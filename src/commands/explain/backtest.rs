//! The backtest: the rules over every month of a range, and for each rule how often it fired,
//! was stated or was outranked, when, and about whom.

use super::{ExplainFormat, State, verdict};
use crate::Error;
use crate::dataset::Period;
use crate::history::{self, Scope};
use crate::pipeline::Loaded;
use serde_json::json;
use std::collections::{BTreeSet, HashMap};
use std::fmt::Write as _;
use std::path::Path;

/// How many of the members a rule chose most often the table shows; CSV and JSON give them all.
const SHOWN_MEMBERS: usize = 3;

/// What one rule did over a range, counted in bulletins (a month's, or each member's).
#[derive(Debug, Default, Clone)]
struct Tally {
    /// Its condition held for some member.
    fired: usize,
    /// ... and the bulletin states its fact.
    stated: usize,
    /// ... but a more salient rule of its group was stated instead.
    group: usize,
    /// ... but the plan left it out (its section full, or every subject said already).
    plan: usize,
    /// Its limit left out members that met its condition.
    limited: usize,
    /// The months it fired in.
    fired_months: BTreeSet<Period>,
    /// The months it was stated in.
    stated_months: BTreeSet<Period>,
    /// How many bulletins each member was chosen in.
    members: HashMap<String, usize>,
}

impl Tally {
    fn merge(&mut self, other: Tally) {
        self.fired += other.fired;
        self.stated += other.stated;
        self.group += other.group;
        self.plan += other.plan;
        self.limited += other.limited;
        self.fired_months.extend(other.fired_months);
        self.stated_months.extend(other.stated_months);
        for (m, n) in other.members {
            *self.members.entry(m).or_default() += n;
        }
    }

    /// The members it chose, most often first (the id breaks ties).
    fn top(&self) -> Vec<(&str, usize)> {
        let mut v: Vec<(&str, usize)> = self.members.iter().map(|(m, n)| (m.as_str(), *n)).collect();
        v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
        v
    }
}

/// Runs the rules over every month from `from` to `to` and reports, for each rule, what it did.
pub(super) fn backtest(
    run: &Loaded,
    data: &Path,
    scope: Scope,
    (from, to): (Period, Period),
    format: ExplainFormat,
) -> Result<String, Error> {
    let rules = &run.rules;
    let periods = history::months(from, to);
    let months = history::over_months(&run.ds, &periods, |stats| {
        let mut tallies = vec![Tally::default(); rules.rules.len()];
        let judged = history::judge(stats, rules, scope)?;
        for b in &judged {
            for (i, rule) in rules.rules.iter().enumerate() {
                let v = verdict(rule, &b.eval, &b.plan);
                let t = &mut tallies[i];
                t.limited += usize::from(v.limited);
                if v.state == State::NotFired {
                    continue;
                }
                t.fired += 1;
                t.fired_months.insert(stats.period);
                match v.state {
                    State::Stated => {
                        t.stated += 1;
                        t.stated_months.insert(stats.period);
                    }
                    State::Group(_) => t.group += 1,
                    State::Plan(_) => t.plan += 1,
                    State::NotFired => {}
                }
                for m in v.chosen {
                    *t.members.entry(m.to_string()).or_default() += 1;
                }
            }
        }
        Ok((tallies, judged.len()))
    })?;
    let mut tallies = vec![Tally::default(); rules.rules.len()];
    let mut bulletins = 0;
    let mut reported = 0;
    let mut passed_over = Vec::new();
    for (period, month) in months {
        match month {
            Some((month, n)) => {
                reported += 1;
                bulletins += n;
                for (t, m) in tallies.iter_mut().zip(month) {
                    t.merge(m);
                }
            }
            None => passed_over.push(period),
        }
    }
    let whose = match scope {
        Scope::Month => String::new(),
        Scope::Each { dimension, member: Some(m) } => format!(", the bulletins of {dimension} `{m}`"),
        Scope::Each { dimension, member: None } => format!(", a bulletin for each `{dimension}` member with a value"),
    };
    let summary = Summary { from, to, reported, bulletins, passed_over, whose };
    Ok(match format {
        ExplainFormat::Txt => table(run, data, &summary, &tallies),
        ExplainFormat::Csv => csv(run, &tallies),
        ExplainFormat::Json => to_json(run, data, scope, &summary, &tallies),
    })
}

/// The range as run: how many months had data and how many bulletins they made.
struct Summary {
    from: Period,
    to: Period,
    reported: usize,
    bulletins: usize,
    passed_over: Vec<Period>,
    whose: String,
}

impl Summary {
    fn line(&self) -> String {
        let mut s = format!(
            "{} to {}: {} months{}, {} bulletins",
            self.from, self.to, self.reported, self.whose, self.bulletins
        );
        match self.passed_over.as_slice() {
            [] => {}
            [one] => write!(s, " ({one} passed over: no total trade in the data)").unwrap(),
            [first, .., last] => write!(
                s,
                " ({} months passed over, the first {first} and the last {last}: no total trade in the data)",
                self.passed_over.len()
            )
            .unwrap(),
        }
        s
    }
}

/// The table for people: a row per rule, in the file's order, and what the columns mean.
fn table(run: &Loaded, data: &Path, summary: &Summary, tallies: &[Tally]) -> String {
    let rules = &run.rules;
    let mut out = format!("Rules {} on {}, {}\n\n", rules.path.display(), data.display(), summary.line());
    let id_width = rules.rules.iter().map(|r| r.id.len()).max().unwrap_or(4).max(4);
    let month = |p: Option<&Period>| p.map_or("-".to_string(), Period::to_string);
    writeln!(
        out,
        "{:<id_width$}  {:>6}  {:>6}  {:>6}  {:>6}  {:>6}  {:<7}  {:<7}  chose most often",
        "rule", "fired", "stated", "group", "plan", "limit", "first", "last"
    )
    .unwrap();
    for (rule, t) in rules.rules.iter().zip(tallies) {
        let top = t.top();
        let mut most: Vec<String> = top.iter().take(SHOWN_MEMBERS).map(|(m, n)| format!("{m} {n}")).collect();
        if top.len() > SHOWN_MEMBERS {
            most.push(format!("+{} more", top.len() - SHOWN_MEMBERS));
        }
        writeln!(
            out,
            "{:<id_width$}  {:>6}  {:>6}  {:>6}  {:>6}  {:>6}  {:<7}  {:<7}  {}",
            rule.id,
            t.fired,
            t.stated,
            t.group,
            t.plan,
            t.limited,
            month(t.fired_months.first()),
            month(t.fired_months.last()),
            most.join(", "),
        )
        .unwrap();
        // No member chosen: no trailing spaces.
        let trimmed = out.trim_end().len();
        out.truncate(trimmed);
        out.push('\n');
    }
    out.push_str(
        "\nCounted in bulletins. fired: its condition held for a member; stated: the bulletin states it; \
         group: it fired, but a more salient rule of its group was stated instead; plan: it fired, but the \
         plan left it out (its section full, or its members said already); limit: its limit left out members \
         that met the condition; first, last: the months it first and last fired; chose most often: the \
         members it chose, with the bulletins they were chosen in.\n",
    );
    out
}

/// A row per rule for a spreadsheet; `members` is `id:bulletins` for every member it chose,
/// most often first, separated by `;`.
fn csv(run: &Loaded, tallies: &[Tally]) -> String {
    let mut out = "rule,section,salience,fired,stated,group,plan,limit,first,last,members\n".to_string();
    let month = |p: Option<&Period>| p.map_or(String::new(), Period::to_string);
    for (rule, t) in run.rules.rules.iter().zip(tallies) {
        let members: Vec<String> = t.top().iter().map(|(m, n)| format!("{m}:{n}")).collect();
        writeln!(
            out,
            "{},{},{},{},{},{},{},{},{},{},{}",
            cell(&rule.id),
            cell(&rule.section),
            rule.salience,
            t.fired,
            t.stated,
            t.group,
            t.plan,
            t.limited,
            month(t.fired_months.first()),
            month(t.fired_months.last()),
            cell(&members.join(";")),
        )
        .unwrap();
    }
    out
}

/// A CSV field, quoted where it must be.
pub(super) fn cell(text: &str) -> String {
    if text.contains([',', '"', '\n', '\r']) { format!("\"{}\"", text.replace('"', "\"\"")) } else { text.to_string() }
}

/// Everything, for tools: the counts, and the months each rule fired and was stated in.
fn to_json(run: &Loaded, data: &Path, scope: Scope, summary: &Summary, tallies: &[Tally]) -> String {
    let (each, member) = match scope {
        Scope::Month => (None, None),
        Scope::Each { dimension, member } => (Some(dimension), member),
    };
    let rules: Vec<_> = run
        .rules
        .rules
        .iter()
        .zip(tallies)
        .map(|(rule, t)| {
            json!({
                "rule": rule.id,
                "origin": rule.origin,
                "section": rule.section,
                "salience": rule.salience,
                "fired": t.fired,
                "stated": t.stated,
                "group": t.group,
                "plan": t.plan,
                "limit": t.limited,
                "first": t.fired_months.first(),
                "last": t.fired_months.last(),
                "fired_months": t.fired_months,
                "stated_months": t.stated_months,
                "members": t.top().iter().map(|(m, n)| json!({"member": m, "bulletins": n})).collect::<Vec<_>>(),
            })
        })
        .collect();
    let doc = json!({
        "data": data.display().to_string(),
        "rules": run.rules.path.display().to_string(),
        "from": summary.from,
        "to": summary.to,
        "each": each,
        "member": member,
        "months": summary.reported,
        "bulletins": summary.bulletins,
        "passed_over": summary.passed_over,
        "params": run.rules.params,
        "backtest": rules,
    });
    serde_json::to_string_pretty(&doc).expect("plain data serialises") + "\n"
}
