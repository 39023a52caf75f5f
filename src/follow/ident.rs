//! Telling files apart: is the file behind a path still the one a handle has open?
//!
//! On Unix the device and inode numbers say it exactly. Windows offers no stable file index
//! through `std`, so there the creation time is compared along with the file's first bytes
//! and its size. The creation time alone is not enough: NTFS "tunnelling" gives a file
//! created under a name that was just renamed away the creation time of the old one, which is
//! precisely what a log rotation does.

use std::fs::{File, Metadata};
use std::io::{self, Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};

/// How many of a file's first bytes are kept to recognise it (and to notice that it was
/// truncated and rewritten): enough to cover the first record and its timestamp.
pub(crate) const HEAD_LEN: usize = 512;

/// What identifies a file while it is open.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct FileId(u64, u64);

/// The identity of the file `meta` describes.
#[cfg(unix)]
pub(crate) fn file_id(meta: &Metadata) -> FileId {
    use std::os::unix::fs::MetadataExt;
    FileId(meta.dev(), meta.ino())
}

/// The identity of the file `meta` describes (its creation time; see the module notes).
#[cfg(windows)]
pub(crate) fn file_id(meta: &Metadata) -> FileId {
    use std::os::windows::fs::MetadataExt;
    FileId(meta.creation_time(), 0)
}

/// Without a platform identity, every file looks the same; size and first bytes decide.
#[cfg(not(any(unix, windows)))]
pub(crate) fn file_id(_meta: &Metadata) -> FileId {
    FileId(0, 0)
}

/// True where [`FileId`] alone tells files apart.
const EXACT_ID: bool = cfg!(unix);

/// Opens a followed file. On Linux, where the file allows it (the owner's files), without
/// updating its access time: a file that keeps being written has its access time written
/// back by every read of it otherwise.
pub(crate) fn open(path: &Path) -> io::Result<File> {
    #[cfg(target_os = "linux")]
    {
        use std::os::unix::fs::OpenOptionsExt;
        let quiet = std::fs::OpenOptions::new()
            .read(true)
            .custom_flags(libc::O_NOATIME)
            .open(path);
        match quiet {
            Err(e) if e.kind() == io::ErrorKind::PermissionDenied => {}
            other => return other,
        }
    }
    File::open(path)
}

/// Reads into `buf` from offset `at` of `file`, in one call where the platform has one.
pub(crate) fn read_at(file: &mut File, buf: &mut [u8], at: u64) -> io::Result<usize> {
    #[cfg(unix)]
    {
        std::os::unix::fs::FileExt::read_at(file, buf, at)
    }
    #[cfg(windows)]
    {
        std::os::windows::fs::FileExt::seek_read(file, buf, at)
    }
    #[cfg(not(any(unix, windows)))]
    {
        file.seek(SeekFrom::Start(at))?;
        file.read(buf)
    }
}

/// Reads up to `n` bytes from the start of `file`.
pub(crate) fn read_head(file: &mut File, n: usize) -> io::Result<Vec<u8>> {
    file.seek(SeekFrom::Start(0))?;
    let mut out = Vec::with_capacity(n);
    file.take(n as u64).read_to_end(&mut out)?;
    Ok(out)
}

/// The open file as last seen: its identity, current length and first bytes.
pub(crate) struct Seen<'a> {
    pub id: FileId,
    pub len: u64,
    pub head: &'a [u8],
}

/// Is the file at `path` (described by `meta`) the open file `seen`? `seen.len` must be
/// measured before `meta`, so that a file that only grows cannot look smaller through the
/// path than through the handle.
pub(crate) fn same_file(seen: &Seen<'_>, path: &Path, meta: &Metadata) -> bool {
    if file_id(meta) != seen.id {
        return false;
    }
    if EXACT_ID {
        return true;
    }
    if meta.len() < seen.len {
        return false;
    }
    let Ok(mut f) = File::open(path) else {
        return true;
    };
    match read_head(&mut f, seen.head.len()) {
        Ok(h) => seen.head.starts_with(&h),
        Err(_) => true,
    }
}

/// Looks in `dir` for the file that `seen` describes under another name than `except`:
/// where a rotated log went. Names that start like `except`'s stem are tried first.
pub(crate) fn find_renamed(dir: &Path, except: &Path, seen: &Seen<'_>) -> Option<PathBuf> {
    let stem = except
        .file_stem()
        .map(|s| s.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    let mut names: Vec<PathBuf> = std::fs::read_dir(dir)
        .ok()?
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.file_name() != except.file_name())
        .collect();
    names.sort_by_key(|p| {
        let n = p
            .file_name()
            .map(|s| s.to_string_lossy().to_ascii_lowercase())
            .unwrap_or_default();
        !n.starts_with(&stem)
    });
    names.into_iter().find(|p| {
        std::fs::metadata(p).is_ok_and(|m| {
            m.is_file() && same_file(seen, p, &m) && {
                // Outside Unix, the size must match too: a rolled file no longer grows.
                EXACT_ID || m.len() == seen.len
            }
        })
    })
}
