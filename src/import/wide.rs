//! Wide tables: one row per member, one column per month (in any order), the member's place in
//! the hierarchy shown by indentation, by codes or by a parent column.

use super::ImportError;
use super::layout::{FlowSpec, HierarchyBy, Layout};
use super::months::{self, FORMS, Label};
use super::read::{Grid, Row};
use super::rows::{At, Raw, column, file_flow, find_row, header_row, squash, value};
use crate::dataset::{Basis, Flow, Period, TOTAL_DIMENSION};
use std::collections::HashMap;

/// Reads the values of a wide table into `out`.
pub fn read(grid: &Grid, file: usize, layout: &Layout, out: &mut Vec<Raw>) -> Result<(), ImportError> {
    let h = header_row(grid, &layout.header)?;
    let header = &grid.rows[h];
    let end = layout.end.as_ref().and_then(|e| find_row(grid, e, h + 1)).unwrap_or(grid.rows.len());
    let label_col = column(grid, header, &layout.member.column, "member")?;
    let code_col = layout.member.code.as_deref().map(|c| column(grid, header, c, "member: code")).transpose()?;
    let parent_col = match &layout.hierarchy {
        Some(hier) if hier.by == HierarchyBy::Parent => {
            Some(column(grid, header, hier.column.as_deref().unwrap_or_default(), "hierarchy: column")?)
        }
        _ => None,
    };
    let flow_col = match &layout.flow {
        FlowSpec::Rule(r) => r.column.as_deref().map(|c| column(grid, header, c, "flow: column")).transpose()?,
        FlowSpec::Fixed(_) => None,
    };
    let fixed_flow = file_flow(grid, layout, h)?;
    let not_months = [Some(label_col), code_col, parent_col, flow_col];

    let mut month_cols: Vec<(usize, Label)> = Vec::new();
    for (j, cell) in header.cells.iter().enumerate() {
        if not_months.contains(&Some(j))
            || cell.is_empty()
            || layout.months.ignore.iter().any(|i| squash(i) == squash(&cell.text))
        {
            continue;
        }
        let label = cell.month.map(Label::Month).or_else(|| months::parse(&cell.text, layout.months.format.as_deref()));
        let label = label.ok_or_else(|| {
            grid.error(
                header.line,
                j,
                format!(
                    "`{}` is not a month label ({FORMS}); list it under `months: ignore:` if the column is not a month",
                    cell.text.trim()
                ),
            )
        })?;
        if let Some((k, _)) = month_cols.iter().find(|(_, l)| *l == label) {
            return Err(grid.error(
                header.line,
                j,
                format!("`{}` again (first in column {})", cell.text.trim(), k + 1),
            ));
        }
        month_cols.push((j, label));
    }
    if month_cols.is_empty() {
        return Err(grid.error(header.line, 0, "the header has no month columns".into()));
    }

    let rows: Vec<&Row> = grid.rows[h + 1..end].iter().filter(|r| !r.is_blank()).collect();
    let levels = levels(grid, layout, &rows, label_col, code_col, parent_col)?;
    for (row, level) in rows.iter().zip(levels) {
        let label = row.cell(label_col).text.trim().to_string();
        let code = code_col.map(|c| row.cell(c).text.trim().to_string()).filter(|c| !c.is_empty());
        let has_values = month_cols.iter().any(|(j, _)| !row.cell(*j).is_empty());
        if label.is_empty() && code.is_none() {
            if has_values {
                return Err(grid.error(row.line, label_col, "a row with values but no member name".into()));
            }
            continue;
        }
        let dimension = match (&layout.hierarchy, level) {
            (Some(hier), Some(level)) => match hier.levels.get(level) {
                Some(d) if d == "skip" => continue,
                Some(d) => d.clone(),
                None => {
                    return Err(grid.error(
                        row.line,
                        label_col,
                        format!(
                            "`{label}` is at level {} of the hierarchy, but `levels` names {}",
                            level + 1,
                            hier.levels.len()
                        ),
                    ));
                }
            },
            _ if is_total(layout, &label, code.as_deref()) => TOTAL_DIMENSION.to_string(),
            _ => layout.dimension.clone(),
        };
        let flow = match (fixed_flow, flow_col, &layout.flow) {
            (Some(f), _, _) => f,
            (None, Some(c), FlowSpec::Rule(rule)) => match row_flow(grid, row, c, rule)? {
                Some(f) => f,
                None => continue,
            },
            _ => unreachable!("a flow is fixed, per file or per row"),
        };
        for (j, label_of_month) in &month_cols {
            let Some(v) = value(grid, row, *j, layout)? else { continue };
            let (period, basis) = match label_of_month {
                Label::Month(p) => (*p, layout.basis),
                Label::Year(y) => (Period::new(*y, 12).expect("a year checked when read"), Basis::Ytd),
            };
            out.push(Raw {
                label: label.clone(),
                code: code.clone(),
                dimension: dimension.clone(),
                flow,
                basis,
                period,
                value: v,
                at: At { file, line: row.line, column: *j },
            });
        }
    }
    Ok(())
}

/// Whether a member is the reporter's total, by its label or code.
pub fn is_total(layout: &Layout, label: &str, code: Option<&str>) -> bool {
    layout.total.iter().any(|t| squash(t) == squash(label) || code.is_some_and(|c| c.trim() == t.trim()))
}

/// A row's flow from its flow column; `None` for a value the layout ignores.
pub fn row_flow(grid: &Grid, row: &Row, c: usize, rule: &super::layout::FlowRule) -> Result<Option<Flow>, ImportError> {
    let text = row.cell(c).text.trim();
    if rule.ignore.iter().any(|i| i.trim() == text) {
        return Ok(None);
    }
    match rule.values.get(text) {
        Some(f) => Ok(Some(*f)),
        None => {
            let known: Vec<&str> = rule.values.keys().chain(&rule.ignore).map(String::as_str).collect();
            Err(grid.error(
                row.line,
                c,
                format!(
                    "`{text}` is not a flow the layout knows ({}): add it to `values` or `ignore`",
                    known.join(", ")
                ),
            ))
        }
    }
}

/// Each row's level in the hierarchy, from 0 at the top; `None` throughout without one.
fn levels(
    grid: &Grid,
    layout: &Layout,
    rows: &[&Row],
    label_col: usize,
    code_col: Option<usize>,
    parent_col: Option<usize>,
) -> Result<Vec<Option<usize>>, ImportError> {
    let Some(hier) = &layout.hierarchy else { return Ok(vec![None; rows.len()]) };
    let label = |r: &Row| r.cell(label_col).text.clone();
    Ok(match hier.by {
        HierarchyBy::Indent => {
            // Each distinct indentation is a level: the least indented rows are the top.
            let widths: Vec<usize> = rows.iter().map(|r| indent(&label(r))).collect();
            let mut distinct = widths.clone();
            distinct.sort_unstable();
            distinct.dedup();
            widths.iter().map(|w| distinct.iter().position(|d| d == w)).collect()
        }
        HierarchyBy::Code => {
            let code = |r: &Row| r.cell(code_col.expect("checked when the layout loads")).text.trim().to_string();
            let codes: std::collections::HashSet<String> = rows.iter().map(|r| code(r)).collect();
            rows.iter()
                .map(|r| {
                    let c = code(r);
                    let ancestors = (1..c.len()).filter(|k| c.is_char_boundary(*k) && codes.contains(&c[..*k])).count();
                    Some(ancestors)
                })
                .collect()
        }
        HierarchyBy::Parent => {
            let parent_col = parent_col.expect("checked when the layout loads");
            let key = |r: &Row| squash(&label(r));
            let index: HashMap<String, usize> = rows.iter().enumerate().map(|(i, r)| (key(r), i)).collect();
            let mut out = Vec::with_capacity(rows.len());
            for r in rows {
                let mut depth = 0;
                let mut at = *r;
                loop {
                    let parent = squash(&at.cell(parent_col).text);
                    if parent.is_empty() {
                        break;
                    }
                    let Some(&p) = index.get(&parent) else {
                        return Err(grid.error(
                            at.line,
                            parent_col,
                            format!("no row is `{}`, named as the parent", at.cell(parent_col).text.trim()),
                        ));
                    };
                    depth += 1;
                    if depth > rows.len() {
                        return Err(grid.error(r.line, parent_col, "the parents go round in a circle".into()));
                    }
                    at = rows[p];
                }
                out.push(Some(depth));
            }
            out
        }
    })
}

/// The width of a label's indentation: spaces, no-break spaces, a tab as four.
fn indent(label: &str) -> usize {
    label
        .chars()
        .take_while(|c| c.is_whitespace())
        .map(|c| match c {
            '\t' => 4,
            '\u{3000}' => 2,
            _ => 1,
        })
        .sum()
}
