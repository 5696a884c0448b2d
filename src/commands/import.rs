//! `import`: an office's published file turned into a dataset folder.

use crate::Error;
use crate::import::census;
use std::path::Path;

/// Imports a U.S. Census `country.csv` into a dataset folder.
pub fn import_census(file: &Path, out: &Path) -> Result<census::Imported, Error> {
    Ok(census::import(file, out)?)
}
