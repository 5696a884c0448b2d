//! The one error type of the commands, and the exit code each kind of fault maps to.

use crate::dataset::DatasetError;
use crate::import::ImportError;
use crate::output::OutputError;
use crate::render::RenderError;
use crate::rules::RulesError;
use crate::stats::StatsError;

/// Anything that stops a bulletin being written; each maps to a documented exit code.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The dataset is wrong.
    #[error(transparent)]
    Dataset(#[from] DatasetError),
    /// An office's file cannot be imported.
    #[error(transparent)]
    Import(#[from] ImportError),
    /// The figures cannot be computed for the period.
    #[error(transparent)]
    Stats(#[from] StatsError),
    /// The rules are wrong.
    #[error(transparent)]
    Rules(#[from] RulesError),
    /// The templates are wrong, or a fact cannot be put into words.
    #[error(transparent)]
    Render(#[from] RenderError),
    /// The bulletin cannot be written.
    #[error(transparent)]
    Output(#[from] OutputError),
    /// The command line asks for something impossible.
    #[error("{0}")]
    Usage(String),
    /// Another run holds the output folder's lock.
    #[error("{0}")]
    Locked(String),
    /// A written bulletin states a figure the data does not give.
    #[error("{0}")]
    Verify(String),
    /// The data cannot be used as asked (a member id that cannot go into a file name).
    #[error("{0}")]
    Data(String),
}

/// Every exit code and what it means, in one place: the man page prints these, and a test holds
/// docs/src/exit-codes.md to them.
pub const EXIT_CODES: [(i32, &str); 7] = [
    (0, "success, or nothing to do: the bulletins exist and were written from the same inputs"),
    (
        2,
        "bad command line: an unknown option, a malformed month, options that do not go together \
         (--period with --from/--to), verify without a file or with one whose month or language it cannot tell",
    ),
    (
        3,
        "bad data: a dataset file that cannot be read, is not a regular file, is over its size limit, is wrong \
         or disagrees with itself; no data for the month, or none in the whole --from/--to range; inputs that \
         changed while the run read them; an id too long for a file name",
    ),
    (
        4,
        "bad rules or templates (a condition, a template or a chain of partials over its limit), or a fact \
         the templates cannot put into words (an amount too large to write)",
    ),
    (
        5,
        "the bulletin cannot be written: the output folder cannot be made or written, the disk is full, the \
         lock file is a link, or stdout is full; nothing of the month is written",
    ),
    (6, "another run holds the output folder's lock (an OS lock, released however that run ends)"),
    (
        7,
        "verify found a sentence whose figure or word the data does not give, or a JSON bulletin whose facts \
         are not the data's",
    ),
];

impl Error {
    /// The process exit code, as documented in docs/src/exit-codes.md.
    pub fn exit_code(&self) -> i32 {
        match self {
            Error::Usage(_) => 2,
            Error::Dataset(_) | Error::Import(_) | Error::Stats(_) | Error::Data(_) => 3,
            Error::Rules(_) | Error::Render(_) => 4,
            Error::Output(_) => 5,
            Error::Locked(_) => 6,
            Error::Verify(_) => 7,
        }
    }
}
