//! [`SourceError`]: the operational failures of this crate (a path that cannot be read, a
//! Python that cannot be run). Hostile or malformed *content* is never an error here: it
//! becomes a finding in the artifact.

use std::path::PathBuf;

/// An input could not be read at all. Each variant names the operation and the path.
///
/// Modelled on uv's `uv-extract` errors. I/O errors come from `fs-err`, whose message already
/// says which operation failed on which path (`failed to open file `x``), with the OS error
/// as the source.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SourceError {
    /// A filesystem operation failed (the message names the operation and the path).
    #[error(transparent)]
    Io(#[from] std::io::Error),
    /// Walking a directory failed.
    #[error("failed to walk directory `{}`", path.display())]
    Walk {
        /// The directory being walked.
        path: PathBuf,
        /// The walk error (it names the entry that failed).
        #[source]
        source: walkdir::Error,
    },
    /// A directory holds more files than `discover` walks.
    #[error("`{}` holds more than {limit} files; not walked", path.display())]
    TooManyFiles {
        /// The directory.
        path: PathBuf,
        /// The bound that was hit.
        limit: usize,
    },
    /// The input is not of the kind requested (e.g. a directory given as an archive).
    #[error("`{}` is not {expected}", path.display())]
    WrongKind {
        /// The path.
        path: PathBuf,
        /// What it should have been ("a regular file", "a directory").
        expected: &'static str,
    },
    /// The Python interpreter could not be started.
    #[error("failed to run Python interpreter `{}`", python.display())]
    PythonSpawn {
        /// The interpreter as given.
        python: PathBuf,
        /// Why it could not be started.
        #[source]
        source: std::io::Error,
    },
    /// The interpreter did not answer in time and was killed.
    #[error("Python interpreter `{}` did not answer within {seconds} s (killed)", python.display())]
    PythonTimeout {
        /// The interpreter as given.
        python: PathBuf,
        /// The timeout.
        seconds: u64,
    },
    /// The interpreter exited unsuccessfully.
    #[error("Python interpreter `{}` failed ({status}): {stderr}", python.display())]
    PythonFailed {
        /// The interpreter as given.
        python: PathBuf,
        /// Its exit status.
        status: String,
        /// The end of its standard error.
        stderr: String,
    },
    /// The interpreter's answer could not be understood.
    #[error("Python interpreter `{}` gave an unexpected answer: {reason}", python.display())]
    PythonOutput {
        /// The interpreter as given.
        python: PathBuf,
        /// What was wrong with it.
        reason: String,
    },
}
