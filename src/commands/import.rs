//! `import`: an office's published files turned into a dataset folder, through a layout.

use crate::Error;
use crate::import::{CENSUS, GACC, Imported, census, gacc, load_layout, write};
use std::path::{Path, PathBuf};

/// Imports `files` through the layout `layout` (a built-in name or a YAML file) into `out`, and
/// says what it wrote. `year` is for the `gacc` importer only: the year of its tables to import.
pub fn import(layout: &str, files: &[PathBuf], out: &Path, year: Option<i32>) -> Result<String, Error> {
    if year.is_some() && layout != GACC {
        return Err(Error::Usage(format!("--year is for the {GACC} importer, not {layout}")));
    }
    if layout == GACC {
        let ([sources], Some(year)) = (files, year) else {
            return Err(Error::Usage(format!(
                "the {GACC} importer reads one folder (holding gacc-2019/, gacc-enterprise-regime/ and gacc-commodities/) and needs --year"
            )));
        };
        let done = gacc::import(sources, year, out)?;
        return Ok(wrote(&done));
    }
    if layout == CENSUS {
        let [file] = files else {
            return Err(Error::Usage(format!("the {CENSUS} layout reads one file (country.csv), not {}", files.len())));
        };
        let done = census::import(file, out)?;
        return Ok(wrote(&done));
    }
    let (_, parsed) = load_layout(layout)?;
    let done = write::import(&parsed, &format!("tradescribe import {layout}"), files, out)?;
    let yaml = if done.wrote_yaml {
        format!("wrote {}: check its names, fill in the `zh` ones and decide `complete`", done.yaml.display())
    } else {
        format!("kept {}", done.yaml.display())
    };
    Ok(format!(
        "wrote {} rows, {} members, {} to {}, to {}; {yaml}",
        done.rows,
        done.members,
        done.first,
        done.latest,
        done.csv.display()
    ))
}

/// The log line of an importer written as code.
fn wrote(done: &Imported) -> String {
    format!("wrote {} rows through {} to {} and {}", done.rows, done.latest, done.csv.display(), done.yaml.display())
}
