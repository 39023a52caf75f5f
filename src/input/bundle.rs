//! Zip bundles: ConfigMgr's "Collect client logs" zips (the whole CCM\Logs tree), Intune's
//! "Collect diagnostics" zips (numbered folders, zips inside), SMSTSLog folders zipped by
//! hand. Their logs are read in place, named `bundle.zip!Windows/CCM/Logs/smsts.log`.
//!
//! Listing reads only the central directory; an entry is decompressed when it is read. A
//! zip inside a zip is decompressed once, when it is listed, and kept in memory for its
//! entries (Intune's inner zips are small).

use std::fs::File;
use std::io::{BufReader, Cursor, Read, Seek};
use std::path::Path;
use std::sync::Arc;

use crate::source::{SourceError, SourceText};

use super::Input;

/// A zip inside a zip larger than this is skipped: it would be held in memory whole.
const MAX_INNER_ZIP: u64 = 1 << 30;
/// Zips inside zips inside zips... stop here.
const MAX_NESTING: usize = 4;

/// Where a zip's bytes are.
#[derive(Debug)]
enum Backing {
    File(std::path::PathBuf),
    Bytes(Vec<u8>),
}

/// One zip archive, on disk or (inside another) in memory.
#[derive(Debug)]
struct Archive {
    /// Its name as shown: the path as given, or `outer.zip!inner.zip`.
    name: String,
    backing: Backing,
}

impl Archive {
    /// Calls `f` with the archive opened for reading.
    fn with<R>(
        &self,
        f: impl FnOnce(&mut dyn ZipRead) -> Result<R, SourceError>,
    ) -> Result<R, SourceError> {
        match &self.backing {
            Backing::File(p) => {
                let file = File::open(p).map_err(|e| SourceError::open(p, &e))?;
                let mut zip = zip::ZipArchive::new(BufReader::new(file))
                    .map_err(|e| not_a_zip(&self.name, &e))?;
                f(&mut zip)
            }
            Backing::Bytes(b) => {
                let mut zip = zip::ZipArchive::new(Cursor::new(b.as_slice()))
                    .map_err(|e| not_a_zip(&self.name, &e))?;
                f(&mut zip)
            }
        }
    }
}

/// What this module needs of a `ZipArchive`, whatever it reads from.
trait ZipRead {
    fn count(&self) -> usize;
    /// Name, size, folder, encrypted: read from the central directory only.
    fn meta(&mut self, i: usize) -> zip::result::ZipResult<(String, u64, bool, bool)>;
    /// The entry's bytes, decompressed and checked against its CRC.
    fn bytes(&mut self, i: usize, limit: u64) -> zip::result::ZipResult<Vec<u8>>;
}

impl<R: Read + Seek> ZipRead for zip::ZipArchive<R> {
    fn count(&self) -> usize {
        self.len()
    }

    fn meta(&mut self, i: usize) -> zip::result::ZipResult<(String, u64, bool, bool)> {
        let f = self.by_index_raw(i)?;
        Ok((f.name().to_string(), f.size(), f.is_dir(), f.encrypted()))
    }

    fn bytes(&mut self, i: usize, limit: u64) -> zip::result::ZipResult<Vec<u8>> {
        let f = self.by_index(i)?;
        let mut buf = Vec::with_capacity(f.size().min(limit) as usize);
        // Read to the end: the CRC is checked there.
        f.take(limit).read_to_end(&mut buf)?;
        Ok(buf)
    }
}

fn not_a_zip(name: &str, e: &zip::result::ZipError) -> SourceError {
    SourceError::Zip {
        path: name.to_string(),
        reason: format!("not a readable zip archive ({e})"),
    }
}

fn entry_error(name: &str, e: &zip::result::ZipError) -> SourceError {
    let reason = match e {
        zip::result::ZipError::UnsupportedArchive(m)
            if *m == zip::result::ZipError::PASSWORD_REQUIRED =>
        {
            "encrypted (password-protected)".to_string()
        }
        zip::result::ZipError::Io(io) => format!("damaged ({io})"),
        other => format!("damaged ({other})"),
    };
    SourceError::Entry {
        path: name.to_string(),
        reason,
    }
}

/// A log inside a zip.
#[derive(Clone, Debug)]
pub struct Entry {
    archive: Arc<Archive>,
    index: usize,
    name: String,
    size: u64,
}

impl PartialEq for Entry {
    fn eq(&self, other: &Self) -> bool {
        self.name == other.name
    }
}
impl Eq for Entry {}

impl Entry {
    /// `bundle.zip!Windows/CCM/Logs/smsts.log`.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Decompressed size, as the zip says.
    pub fn size(&self) -> u64 {
        self.size
    }

    /// Decompresses the entry and reads it as text.
    pub fn read(&self) -> Result<SourceText, SourceError> {
        let bytes = self.archive.with(|z| {
            z.bytes(self.index, u64::MAX)
                .map_err(|e| entry_error(&self.name, &e))
        })?;
        Ok(SourceText::from_vec(self.name.clone(), bytes))
    }
}

/// The logs of the zip at `path`, in log order (folder by folder, rolled copies before the
/// live file), zips inside it opened too. An entry that cannot be listed or a zip inside
/// that cannot be opened is named in `skipped` and left out. Fails, naming the zip, when
/// it is not a readable zip, when every log in it is encrypted, or when it holds no log.
pub fn expand_file(
    path: &Path,
    out: &mut Vec<Input>,
    skipped: &mut Vec<String>,
) -> Result<(), SourceError> {
    let archive = Arc::new(Archive {
        name: path.display().to_string(),
        backing: Backing::File(path.to_path_buf()),
    });
    expand(archive, 0, out, skipped)
}

/// The logs of one archive (see [`expand_file`]).
fn expand(
    archive: Arc<Archive>,
    depth: usize,
    out: &mut Vec<Input>,
    skipped: &mut Vec<String>,
) -> Result<(), SourceError> {
    let (mut logs, inner, encrypted) = archive.with(|z| {
        let mut logs = Vec::new();
        let mut inner = Vec::new();
        let mut encrypted = 0usize;
        for i in 0..z.count() {
            let (raw, size, dir, enc) = match z.meta(i) {
                Ok(m) => m,
                Err(e) => {
                    skipped.push(format!("{}: entry {i}: skipped: {e}", archive.name));
                    continue;
                }
            };
            // Windows tools sometimes write `\` between folders.
            let name = raw.replace('\\', "/");
            let p = Path::new(&name);
            if dir || !(super::is_log_name(p) || super::is_zip(p)) {
                continue;
            }
            let full = format!("{}!{name}", archive.name);
            if enc {
                encrypted += 1;
                skipped.push(format!("{full}: skipped: encrypted (password-protected)"));
                continue;
            }
            if super::is_zip(p) {
                if depth >= MAX_NESTING || size > MAX_INNER_ZIP {
                    skipped.push(format!("{full}: skipped: zip nested too deep or too large"));
                    continue;
                }
                match z.bytes(i, MAX_INNER_ZIP) {
                    Ok(b) => inner.push((full, b)),
                    Err(e) => skipped.push(format!("{}: skipped", entry_error(&full, &e))),
                }
                continue;
            }
            let sort = (
                name.rsplit_once('/')
                    .map_or("", |(d, _)| d)
                    .to_ascii_lowercase(),
                super::name_sort_key(&name.rsplit('/').next().unwrap_or("").to_ascii_lowercase()),
            );
            logs.push((sort, i, full, size));
        }
        Ok((logs, inner, encrypted))
    })?;
    logs.sort_by(|a, b| a.0.cmp(&b.0));
    let before = out.len();
    out.extend(logs.drain(..).map(|(_, index, name, size)| {
        Input::Entry(Entry {
            archive: archive.clone(),
            index,
            name,
            size,
        })
    }));
    for (name, bytes) in inner {
        let nested = Arc::new(Archive {
            name,
            backing: Backing::Bytes(bytes),
        });
        if let Err(e) = expand(nested, depth + 1, out, skipped) {
            skipped.push(format!("{e}: skipped"));
        }
    }
    if out.len() == before && depth == 0 {
        let reason = if encrypted > 0 {
            "encrypted (password-protected): no log in it can be read"
        } else {
            "no .log or .lo_ files in this zip"
        };
        return Err(SourceError::Zip {
            path: archive.name.clone(),
            reason: reason.into(),
        });
    }
    Ok(())
}
