//! Reading the small files a user names besides logs (themes, rule files): regular files
//! only, and only up to a size. A FIFO with no writer would block the open for ever, and
//! `/dev/zero` would be read until memory runs out; neither is a theme or a rule file.

use std::fs::{File, OpenOptions};
use std::io::{self, Read};
use std::path::Path;

/// Largest theme file read: the built-in ones are a few KiB.
pub(crate) const THEME_LIMIT: u64 = 1 << 20;
/// Largest rule file read: the built-in families are tens of KiB, and a generated file of
/// thousands of rules a few MiB.
pub(crate) const RULE_LIMIT: u64 = 16 << 20;

/// Reads the whole of `path`, which must be a regular file of at most `limit` bytes. The
/// error says which condition failed, in words fit for a one-line message after the path.
pub(crate) fn read_capped(path: &Path, limit: u64) -> io::Result<Vec<u8>> {
    // stat first: opening a FIFO blocks until a writer comes.
    let meta = std::fs::metadata(path)?;
    if !meta.is_file() {
        return Err(not_regular(&meta));
    }
    let file = open_nonblocking(path)?;
    // The name may have been swapped for something else between the two looks.
    let meta = file.metadata()?;
    if !meta.is_file() {
        return Err(not_regular(&meta));
    }
    if meta.len() > limit {
        return Err(too_large(limit));
    }
    let mut buf = Vec::with_capacity(usize::try_from(meta.len()).unwrap_or(0));
    // A file that grows while read still stops one byte past the limit.
    file.take(limit + 1).read_to_end(&mut buf)?;
    if buf.len() as u64 > limit {
        return Err(too_large(limit));
    }
    Ok(buf)
}

/// [`read_capped`] for text: a UTF-8 BOM is dropped, invalid UTF-8 is an error.
pub(crate) fn read_capped_text(path: &Path, limit: u64) -> io::Result<String> {
    let bytes = read_capped(path, limit)?;
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
    String::from_utf8(body.to_vec())
        .map_err(|_| io::Error::new(io::ErrorKind::InvalidData, "not valid UTF-8"))
}

#[cfg(unix)]
fn open_nonblocking(path: &Path) -> io::Result<File> {
    use std::os::unix::fs::OpenOptionsExt;
    // O_NONBLOCK only matters for a FIFO swapped in after the stat: the open returns at
    // once, and the fstat that follows refuses it. Regular files ignore the flag.
    OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK)
        .open(path)
}

#[cfg(not(unix))]
fn open_nonblocking(path: &Path) -> io::Result<File> {
    OpenOptions::new().read(true).open(path)
}

fn not_regular(meta: &std::fs::Metadata) -> io::Error {
    let what = if meta.is_dir() {
        "a folder"
    } else {
        special_kind(meta)
    };
    io::Error::new(
        io::ErrorKind::InvalidInput,
        format!("not a regular file ({what})"),
    )
}

#[cfg(unix)]
fn special_kind(meta: &std::fs::Metadata) -> &'static str {
    use std::os::unix::fs::FileTypeExt;
    let t = meta.file_type();
    if t.is_fifo() {
        "a FIFO"
    } else if t.is_char_device() || t.is_block_device() {
        "a device"
    } else if t.is_socket() {
        "a socket"
    } else {
        "a special file"
    }
}

#[cfg(not(unix))]
fn special_kind(_meta: &std::fs::Metadata) -> &'static str {
    "a special file"
}

fn too_large(limit: u64) -> io::Error {
    io::Error::new(
        io::ErrorKind::InvalidData,
        format!(
            "larger than {} KiB, the limit for this kind of file",
            limit >> 10
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_devices_fifos_and_large_files() {
        if Path::new("/dev/zero").exists() {
            let e = read_capped(Path::new("/dev/zero"), 1024).unwrap_err();
            assert!(e.to_string().contains("not a regular file"), "{e}");
        }
        let dir = tempfile::tempdir().unwrap();
        let big = dir.path().join("big.toml");
        std::fs::write(&big, vec![b'#'; 2048]).unwrap();
        let e = read_capped(&big, 1024).unwrap_err();
        assert!(e.to_string().contains("larger than 1 KiB"), "{e}");
        assert_eq!(read_capped(&big, 4096).unwrap().len(), 2048);
        #[cfg(unix)]
        {
            let fifo = dir.path().join("fifo.toml");
            let made = std::process::Command::new("mkfifo").arg(&fifo).status();
            if made.is_ok_and(|s| s.success()) {
                // Returns at once, with no writer on the FIFO.
                let e = read_capped(&fifo, 1024).unwrap_err();
                assert!(e.to_string().contains("a FIFO"), "{e}");
            }
        }
    }
}
