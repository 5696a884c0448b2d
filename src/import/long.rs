//! Long tables: one value per row, with columns for the member, the period, the value and
//! perhaps the flow and the reporter (UN Comtrade's downloads).

use super::ImportError;
use super::layout::{FlowSpec, Layout, ReporterSpec};
use super::months::{self, FORMS, Label};
use super::read::Grid;
use super::rows::{At, Raw, column, file_flow, find_row, header_row, value};
use super::wide::{is_total, row_flow};
use crate::dataset::{Basis, Period, TOTAL_DIMENSION};

/// The reporter a long table names: (name, code) and where it was first read.
pub type Named = Option<((String, Option<String>), At)>;

/// Reads the values of a long table into `out`; the reporter it names into `reporter`.
pub fn read(
    grid: &Grid,
    file: usize,
    layout: &Layout,
    out: &mut Vec<Raw>,
    reporter: &mut Named,
) -> Result<(), ImportError> {
    let h = header_row(grid, &layout.header)?;
    let header = &grid.rows[h];
    let end = layout.end.as_ref().and_then(|e| find_row(grid, e, h + 1)).unwrap_or(grid.rows.len());
    let col = |name: &str, key: &str| column(grid, header, name, key);
    let label_col = col(&layout.member.column, "member")?;
    let code_col = layout.member.code.as_deref().map(|c| col(c, "member: code")).transpose()?;
    let period_col = col(layout.period.as_deref().unwrap_or_default(), "period")?;
    let value_col = col(layout.value.as_deref().unwrap_or_default(), "value")?;
    let flow_col = match &layout.flow {
        FlowSpec::Rule(r) => r.column.as_deref().map(|c| col(c, "flow: column")).transpose()?,
        FlowSpec::Fixed(_) => None,
    };
    let reporter_cols = match &layout.reporter {
        ReporterSpec::Column { column, code } => {
            Some((col(column, "reporter: column")?, code.as_deref().map(|c| col(c, "reporter: code")).transpose()?))
        }
        ReporterSpec::Name(_) => None,
    };
    let keep: Vec<(usize, &Vec<String>)> = layout
        .keep
        .iter()
        .map(|(name, values)| Ok((col(name, "where")?, values)))
        .collect::<Result<_, ImportError>>()?;
    let fixed_flow = file_flow(grid, layout, h)?;

    for row in grid.rows[h + 1..end].iter().filter(|r| !r.is_blank()) {
        if !keep.iter().all(|(c, values)| values.iter().any(|v| v.trim() == row.cell(*c).text.trim())) {
            continue;
        }
        let flow = match (fixed_flow, flow_col, &layout.flow) {
            (Some(f), _, _) => f,
            (None, Some(c), FlowSpec::Rule(rule)) => match row_flow(grid, row, c, rule)? {
                Some(f) => f,
                None => continue,
            },
            _ => unreachable!("a flow is fixed, per file or per row"),
        };
        let label = row.cell(label_col).text.trim().to_string();
        let code = code_col.map(|c| row.cell(c).text.trim().to_string()).filter(|c| !c.is_empty());
        if label.is_empty() && code.is_none() {
            return Err(grid.error(row.line, label_col, "a row with no member name".into()));
        }
        let dimension = if is_total(layout, &label, code.as_deref()) {
            TOTAL_DIMENSION.to_string()
        } else {
            layout.dimension.clone()
        };
        let cell = row.cell(period_col);
        let label_of_month =
            cell.month.map(Label::Month).or_else(|| months::parse(&cell.text, layout.months.format.as_deref()));
        let (period, basis) = match label_of_month {
            Some(Label::Month(p)) => (p, layout.basis),
            Some(Label::Year(y)) => (Period::new(y, 12).expect("a year checked when read"), Basis::Ytd),
            None => {
                return Err(grid.error(
                    row.line,
                    period_col,
                    format!("`{}` is not a month label ({FORMS})", cell.text.trim()),
                ));
            }
        };
        if let Some((name_col, code_col)) = reporter_cols {
            let this =
                (row.cell(name_col).text.trim().to_string(), code_col.map(|c| row.cell(c).text.trim().to_string()));
            match reporter {
                None => *reporter = Some((this, At { file, line: row.line, column: name_col })),
                Some((first, at)) if *first != this => {
                    return Err(grid.error(
                        row.line,
                        name_col,
                        format!(
                            "a second reporter, `{}` (the first, `{}`, is at line {} of file {}): import one reporter at a time",
                            this.0,
                            first.0,
                            at.line,
                            at.file + 1
                        ),
                    ));
                }
                Some(_) => {}
            }
        }
        let Some(v) = value(grid, row, value_col, layout)? else { continue };
        out.push(Raw {
            label,
            code,
            dimension,
            flow,
            basis,
            period,
            value: v,
            at: At { file, line: row.line, column: value_col },
        });
    }
    Ok(())
}
