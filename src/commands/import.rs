//! `import`: an office's published files turned into a dataset folder, through a layout.

use crate::Error;
use crate::import::{CENSUS, census, load_layout, write};
use std::path::{Path, PathBuf};

/// Imports `files` through the layout `layout` (a built-in name or a YAML file) into `out`, and
/// says what it wrote.
pub fn import(layout: &str, files: &[PathBuf], out: &Path) -> Result<String, Error> {
    if layout == CENSUS {
        let [file] = files else {
            return Err(Error::Usage(format!("the {CENSUS} layout reads one file (country.csv), not {}", files.len())));
        };
        let done = census::import(file, out)?;
        return Ok(format!(
            "wrote {} rows through {} to {} and {}",
            done.rows,
            done.latest,
            done.csv.display(),
            done.yaml.display()
        ));
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
