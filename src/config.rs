//! Where the user's own files live: `$XDG_CONFIG_HOME/tslens` (or `~/.config/tslens`) on
//! Linux and macOS, `%APPDATA%\tslens` on Windows.

use std::path::PathBuf;

/// The user's tslens configuration folder, when the environment names one.
pub fn config_dir() -> Option<PathBuf> {
    if cfg!(windows) {
        return std::env::var_os("APPDATA").map(|a| PathBuf::from(a).join("tslens"));
    }
    if let Some(x) = std::env::var_os("XDG_CONFIG_HOME").filter(|x| !x.is_empty()) {
        return Some(PathBuf::from(x).join("tslens"));
    }
    std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".config").join("tslens"))
}

/// The folder of the user's own known-problem rules (`<config>/kb`).
pub fn user_kb_dir() -> Option<PathBuf> {
    config_dir().map(|d| d.join("kb"))
}

/// The folder of the user's own themes (`<config>/themes`).
pub fn user_theme_dir() -> Option<PathBuf> {
    config_dir().map(|d| d.join("themes"))
}
