//! The front door's first half: what the user named (files, folders searched to any depth,
//! zip bundles and the zips inside them, standard input) resolved into [`Input`]s, and each
//! input read into a [`SourceText`]. Nothing else in the crate opens a log file: `report`,
//! `scan`, the explorer (its preview and its worker) and the follower's first read all come
//! through here, and [`crate::engine`] turns what is read into a log and its analysis.

pub mod bundle;
pub mod machines;
pub mod preview;

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use crate::source::{SourceError, SourceText};

pub use bundle::Entry;

/// One log to read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Input {
    /// A file on disk.
    File(PathBuf),
    /// Standard input.
    Stdin,
    /// A log inside a zip bundle (or a zip inside one).
    Entry(Entry),
}

impl Input {
    /// The name shown for it: the path as given, `-`, or `bundle.zip!path/in/zip.log`.
    pub fn name(&self) -> String {
        match self {
            Input::File(p) => p.display().to_string(),
            Input::Stdin => "-".into(),
            Input::Entry(e) => e.name().to_string(),
        }
    }

    /// Its size in bytes, where known without reading it (for progress).
    pub fn size_hint(&self) -> u64 {
        match self {
            Input::File(p) => std::fs::metadata(p).map_or(0, |m| m.len()),
            Input::Stdin => 0,
            Input::Entry(e) => e.size(),
        }
    }

    /// Reads it whole (a file is memory-mapped, a zip entry decompressed).
    pub fn read(&self) -> Result<SourceText, SourceError> {
        let text = match self {
            Input::File(p) => SourceText::open(p)?,
            Input::Stdin => SourceText::stdin()?,
            Input::Entry(e) => e.read()?,
        };
        text.check_lines()?;
        Ok(text)
    }

    /// True for an entry of a bundle: one that cannot be read is skipped, not fatal.
    pub fn in_bundle(&self) -> bool {
        matches!(self, Input::Entry(_))
    }
}

/// How paths are expanded.
#[derive(Clone, Copy, Debug)]
pub struct Options {
    /// A named `X.log` brings its rolled siblings beside it (`X-YYYYMMDD-HHMMSS.log`,
    /// `X.lo_`) into the merge.
    pub siblings: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options { siblings: true }
    }
}

/// The inputs the command line names, and what was skipped on the way (one line each).
#[derive(Debug, Default)]
pub struct Resolved {
    /// Logs to read, in order: rolled copies before the live file.
    pub inputs: Vec<Input>,
    /// Entries of bundles that could not be listed or read, one line each.
    pub skipped: Vec<String>,
}

/// Folders are searched this deep: deeper than any real log tree, shallow enough that a
/// link loop ends.
pub(crate) const MAX_DEPTH: usize = 12;

/// Expands the command line's paths: folders become every `*.log` and `*.lo_` beneath them
/// (and the logs of every zip there), zips the logs they hold, a named `X.log` also brings
/// its rolled siblings when `opts.siblings`. A path that cannot be read, a folder with no
/// log, a corrupt or encrypted zip: an error naming it. The same file named twice (or by a
/// folder and by name) is read once.
pub fn resolve(args: &[String], opts: Options) -> Result<Resolved, SourceError> {
    let mut out = Resolved::default();
    let mut seen = HashSet::new();
    for arg in args {
        if arg == "-" {
            out.inputs.push(Input::Stdin);
            continue;
        }
        let path = PathBuf::from(arg);
        let meta = std::fs::metadata(&path).map_err(|e| SourceError::open(&path, &e))?;
        let mut found = Vec::new();
        if meta.is_dir() {
            walk(&path, 0, &mut found, &mut out.skipped)?;
            if found.is_empty() {
                return Err(SourceError::EmptyDir {
                    path: path.display().to_string(),
                });
            }
        } else if is_zip(&path) {
            bundle::expand_file(&path, &mut found, &mut out.skipped)?;
        } else {
            if opts.siblings {
                found.extend(rolled_siblings(&path).into_iter().map(Input::File));
            }
            found.push(Input::File(path));
        }
        for input in found {
            let key = match &input {
                Input::File(p) => std::fs::canonicalize(p).unwrap_or_else(|_| p.clone()),
                _ => PathBuf::from(input.name()),
            };
            if seen.insert(key) {
                out.inputs.push(input);
            }
        }
    }
    Ok(out)
}

/// [`resolve`] with the default options, dropping the list of skipped entries.
pub fn resolve_inputs(args: &[String]) -> Result<Vec<Input>, SourceError> {
    Ok(resolve(args, Options::default())?.inputs)
}

/// True for a log's name: `*.log` or `*.lo_` (CCM's previous generation).
pub fn is_log_name(p: &Path) -> bool {
    p.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("log") || e.eq_ignore_ascii_case("lo_"))
}

/// True for a path that does not exist yet but names a folder: it ends with a separator, or
/// its last part has no log's extension.
pub fn names_a_folder(arg: &str) -> bool {
    arg.ends_with(['/', '\\']) || !is_log_name(Path::new(arg))
}

/// True for a zip's name.
pub fn is_zip(p: &Path) -> bool {
    p.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("zip"))
}

/// Every log beneath `dir`, each folder's in log order, then its subfolders by name.
/// Zips found on the way are opened; one that cannot be read is skipped with a line in
/// `skipped` (the folder's other logs still count).
fn walk(
    dir: &Path,
    depth: usize,
    out: &mut Vec<Input>,
    skipped: &mut Vec<String>,
) -> Result<(), SourceError> {
    let rd = std::fs::read_dir(dir).map_err(|e| SourceError::open(dir, &e))?;
    let (mut logs, mut zips, mut dirs) = (Vec::new(), Vec::new(), Vec::new());
    for entry in rd.flatten() {
        let p = entry.path();
        // Not following links to folders: a link loop would never end.
        let Ok(kind) = entry.file_type() else {
            continue;
        };
        if kind.is_dir() {
            dirs.push(p);
        } else if p.is_file() {
            if is_log_name(&p) {
                logs.push(p);
            } else if is_zip(&p) {
                zips.push(p);
            }
        }
    }
    logs.sort_by_key(|a| log_sort_key(a));
    zips.sort();
    dirs.sort();
    out.extend(logs.into_iter().map(Input::File));
    for z in zips {
        let mut found = Vec::new();
        match bundle::expand_file(&z, &mut found, skipped) {
            Ok(()) => out.extend(found),
            Err(e) => skipped.push(e.to_string()),
        }
    }
    if depth < MAX_DEPTH {
        for d in dirs {
            walk(&d, depth + 1, out, skipped)?;
        }
    }
    Ok(())
}

/// The rolled copies of a named log beside it, oldest first: `X-YYYYMMDD-HHMMSS.log`
/// (smsts.log rolls this way) and `X.lo_` (the other CCM logs).
pub fn rolled_siblings(path: &Path) -> Vec<PathBuf> {
    let Some(name) = path
        .file_name()
        .map(|n| n.to_string_lossy().to_ascii_lowercase())
    else {
        return Vec::new();
    };
    let Some(base) = name.strip_suffix(".log") else {
        return Vec::new();
    };
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let Ok(rd) = std::fs::read_dir(&dir) else {
        return Vec::new();
    };
    let mut out: Vec<PathBuf> = rd
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            let n = p
                .file_name()
                .map(|n| n.to_string_lossy().to_ascii_lowercase())
                .unwrap_or_default();
            let rolled = n
                .strip_suffix(".log")
                .and_then(split_rolled)
                .is_some_and(|(b, _)| b == base);
            (rolled || n == format!("{base}.lo_")) && p.is_file()
        })
        .map(|p| {
            // Named as the user would: beside the path as given.
            match (path.parent(), p.file_name()) {
                (Some(d), Some(n)) => d.join(n),
                _ => p,
            }
        })
        .collect();
    out.sort_by_key(|a| log_sort_key(a));
    out
}

/// Orders a folder's logs: by base name (smsts, ccmsetup, ...), then rolled copies by the
/// time in their names, then the live file, which is the newest.
pub(crate) fn log_sort_key(p: &Path) -> (String, u8, String) {
    let name = p
        .file_name()
        .map(|n| n.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    name_sort_key(&name)
}

/// [`log_sort_key`] of a lower-case file name.
pub(crate) fn name_sort_key(name: &str) -> (String, u8, String) {
    let stem = name
        .rsplit_once('.')
        .map(|(s, _)| s.to_string())
        .unwrap_or_else(|| name.to_string());
    if let Some((base, stamp)) = split_rolled(&stem) {
        return (base.to_string(), 0, stamp.to_string());
    }
    // A `.lo_` is the previous generation of the `.log` with the same name.
    let rank = if name.ends_with(".lo_") { 0 } else { 1 };
    (stem, rank, String::new())
}

/// `smsts-20261112-101502` -> (`smsts`, `20261112-101502`).
pub(crate) fn split_rolled(stem: &str) -> Option<(&str, &str)> {
    let (base, stamp) = stem.split_at_checked(stem.len().checked_sub(15)?)?;
    let base = base.strip_suffix('-')?;
    let b = stamp.as_bytes();
    let ok = b.len() == 15
        && b[8] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 8 || c.is_ascii_digit());
    ok.then_some((base, stamp))
}

/// Reads standard input to its end, calling `progress(bytes_read)` as it goes.
pub fn read_stdin(progress: &mut dyn FnMut(u64)) -> Result<SourceText, SourceError> {
    SourceText::read_stream("-".into(), std::io::stdin().lock(), progress)
}

#[cfg(test)]
mod tests;
