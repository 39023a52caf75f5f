//! The machines of a wave: what `scan` finds under the paths it is given. A machine is a
//! folder that holds logs (all logs beneath it are its own: `CCM\Logs` with its
//! `SMSTSLog` folder), a zip bundle, or a lone log named on the command line. A folder with
//! no log of its own is searched for machines.

use std::path::{Path, PathBuf};

use crate::source::SourceError;

use super::{is_log_name, is_zip, MAX_DEPTH};

/// One machine to analyse.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Machine {
    /// Its name: the folder's or zip's path below the path given (the path given itself when
    /// it is the machine), or the log's path as given.
    pub name: String,
    /// What to read: the folder, zip or log.
    pub path: PathBuf,
}

/// The machines under `paths`, in order of name within each path. A path that does not
/// exist fails; a folder that cannot be listed below the top is named in `unreadable`.
pub fn discover(
    paths: &[String],
    unreadable: &mut Vec<(String, String)>,
) -> Result<Vec<Machine>, SourceError> {
    let mut out = Vec::new();
    for arg in paths {
        let path = PathBuf::from(arg);
        let meta = std::fs::metadata(&path).map_err(|e| SourceError::open(&path, &e))?;
        if !meta.is_dir() {
            out.push(Machine {
                name: arg.trim_end_matches(['/', '\\']).to_string(),
                path,
            });
            continue;
        }
        let mut found = Vec::new();
        walk(&path, &path, arg, 0, &mut found, unreadable)?;
        found.sort_by(|a, b| a.name.cmp(&b.name));
        out.extend(found);
    }
    Ok(out)
}

/// A folder's entries, sorted, each with whether it is a folder. Links to folders are not
/// followed: a loop would never end.
fn list(dir: &Path) -> Result<Vec<(PathBuf, bool)>, SourceError> {
    let rd = std::fs::read_dir(dir).map_err(|e| SourceError::open(dir, &e))?;
    let mut entries: Vec<(PathBuf, bool)> = rd
        .flatten()
        .filter_map(|e| Some((e.path(), e.file_type().ok()?.is_dir())))
        .collect();
    entries.sort();
    Ok(entries)
}

/// True when a folder holds a log file itself.
fn holds_logs(entries: &[(PathBuf, bool)]) -> bool {
    entries.iter().any(|(p, dir)| !dir && is_log_name(p))
}

fn walk(
    root: &Path,
    dir: &Path,
    arg: &str,
    depth: usize,
    out: &mut Vec<Machine>,
    unreadable: &mut Vec<(String, String)>,
) -> Result<(), SourceError> {
    let name_of = |p: &Path| -> String {
        match p.strip_prefix(root) {
            Ok(rel) if !rel.as_os_str().is_empty() => rel.to_string_lossy().replace('\\', "/"),
            _ => arg.trim_end_matches(['/', '\\']).to_string(),
        }
    };
    // A machine copied with its tree (`PC001/Windows/CCM/Logs/...`) is named by the top of
    // the tree: folders that hold nothing but one folder are passed through.
    let mut entries = match list(dir) {
        Ok(e) => e,
        Err(e) if depth > 0 => {
            unreadable.push((name_of(dir), e.to_string()));
            return Ok(());
        }
        Err(e) => return Err(e),
    };
    let mut through = 0;
    while let [(only, true)] = entries.as_slice() {
        if through >= MAX_DEPTH {
            break;
        }
        through += 1;
        match list(only) {
            Ok(e) => entries = e,
            Err(e) => {
                unreadable.push((name_of(dir), e.to_string()));
                return Ok(());
            }
        }
    }
    if holds_logs(&entries) {
        out.push(Machine {
            name: name_of(dir),
            path: dir.to_path_buf(),
        });
        return Ok(());
    }
    for (p, is_dir) in entries {
        if is_dir {
            if depth < MAX_DEPTH {
                walk(root, &p, arg, depth + 1, out, unreadable)?;
            }
        } else if is_zip(&p) && p.is_file() {
            out.push(Machine {
                name: name_of(&p),
                path: p,
            });
        }
    }
    Ok(())
}
