//! Colour themes loaded from TOML files.
//!
//! A theme maps each semantic [`Role`] (a part of the screen or a kind of text) to a ratatui
//! [`Style`]. Themes are TOML files; the built-in ones live in `themes/` and are embedded in the
//! binary. The file format is described in `docs/themes.md`:
//!
//! ```toml
//! name = "my-theme"
//! inherits = "dark"            # optional: a built-in name, or a path relative to this file
//!
//! [palette]                    # optional named colours
//! accent = "#88c0d0"
//!
//! [styles]                     # role names in kebab-case
//! error = { fg = "bright-red", modifiers = ["bold"] }
//! time = "accent"              # a bare string sets the foreground
//! ```
//!
//! Loading never falls back silently: every problem is a [`ThemeError`] naming the file, line
//! and column. A role a theme does not define takes the style of a more general role (see
//! [`Role::fallback`]), ending at [`Role::Normal`].

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

use ratatui::style::{Color, Modifier, Style};
use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::Deserialize;
use toml::Spanned;

use crate::sanitize::sanitize;

macro_rules! roles {
    (@fallback None) => { None };
    (@fallback $role:ident) => { Some(Role::$role) };
    ($( $(#[doc = $doc:literal])* $variant:ident = $key:literal, falls back to $fallback:ident; )+) => {
        /// A semantic part of the screen or kind of text that a theme gives a style to.
        ///
        /// In theme files each role is written in kebab-case ([`Role::key`]).
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Role {
            $( $(#[doc = $doc])* $variant, )+
        }

        impl Role {
            /// Every role, in declaration order.
            pub const ALL: &'static [Role] = &[ $( Role::$variant, )+ ];

            /// The role's name in theme files, e.g. `"chain-root"`.
            pub fn key(self) -> &'static str {
                match self { $( Role::$variant => $key, )+ }
            }

            /// The more general role whose style this one takes when a theme leaves it out;
            /// `None` only for [`Role::Normal`].
            pub fn fallback(self) -> Option<Role> {
                match self { $( Role::$variant => roles!(@fallback $fallback), )+ }
            }
        }
    };
}

roles! {
    /// Plain text, and the screen background: the UI fills its area with this style.
    Normal = "normal", falls back to None;
    /// De-emphasised text: secondary details.
    Dim = "dim", falls back to Normal;
    /// The timestamp column of the log view.
    Time = "time", falls back to Dim;
    /// The component column (e.g. `TSManager`).
    Component = "component", falls back to Normal;
    /// The thread column.
    Thread = "thread", falls back to Dim;
    /// The source-file column (e.g. `tsmanager.cpp:1234`).
    Source = "source", falls back to Dim;
    /// An informational record (CMTrace type 1).
    Info = "info", falls back to Normal;
    /// A warning record (CMTrace type 2).
    Warning = "warning", falls back to Normal;
    /// An error record (CMTrace type 3).
    Error = "error", falls back to Normal;
    /// A record that is part of an error chain (the cascade of lines one failure produces).
    ChainFrame = "chain-frame", falls back to Normal;
    /// The record at the root of an error chain: the first cause.
    ChainRoot = "chain-root", falls back to Error;
    /// The one-line summary shown for a folded chain.
    ChainFolded = "chain-folded", falls back to ChainFrame;
    /// The selected row; patched over the row's own style.
    Selection = "selection", falls back to Normal;
    /// Text matching the current search; patched over the row's style.
    SearchMatch = "search-match", falls back to Normal;
    /// The search match the cursor is on.
    SearchCurrent = "search-current", falls back to SearchMatch;
    /// The bookmark mark in the gutter.
    Bookmark = "bookmark", falls back to Marker;
    /// The status line.
    StatusBar = "status-bar", falls back to Normal;
    /// Highlighted items in the status line (follow state, counts of errors).
    StatusAccent = "status-accent", falls back to StatusBar;
    /// Borders of unfocused panels.
    Border = "border", falls back to Dim;
    /// Borders of the focused panel.
    BorderFocused = "border-focused", falls back to Border;
    /// Panel titles.
    Title = "title", falls back to Heading;
    /// Headings inside panels (side panel sections, help sections).
    Heading = "heading", falls back to Normal;
    /// Codes and literal values: error codes, exit codes, paths.
    Code = "code", falls back to Normal;
    /// A finding the knowledge base matched with high confidence.
    ConfidenceHigh = "confidence-high", falls back to Normal;
    /// A finding matched with medium confidence.
    ConfidenceMedium = "confidence-medium", falls back to Normal;
    /// A finding matched with low confidence.
    ConfidenceLow = "confidence-low", falls back to Dim;
    /// A task-sequence step that succeeded, in the step timeline.
    StepSucceeded = "step-succeeded", falls back to Info;
    /// A step that failed.
    StepFailed = "step-failed", falls back to Error;
    /// A step that was skipped (condition false, or disabled).
    StepSkipped = "step-skipped", falls back to Dim;
    /// A step still running (when following a live log).
    StepRunning = "step-running", falls back to Normal;
    /// The filter/search input line.
    Prompt = "prompt", falls back to Normal;
    /// The input line when its text is invalid (e.g. a bad regex).
    PromptError = "prompt-error", falls back to Error;
    /// Key names in the help overlay.
    HelpKey = "help-key", falls back to Heading;
    /// Descriptions in the help overlay.
    HelpText = "help-text", falls back to Normal;
    /// Gutter marks: the selection pointer, fold marks.
    Marker = "marker", falls back to Normal;
    /// Visible stand-ins for control characters in log text (see `sanitize::segments`).
    Inert = "inert", falls back to Dim;
    /// Line numbers in the gutter.
    LineNumber = "line-number", falls back to Dim;
    /// The symbolic name shown after a code in a row (`0x80070005 E_ACCESSDENIED`).
    CodeName = "code-name", falls back to Dim;
    /// The first highlight colour (`+`).
    Highlight1 = "highlight-1", falls back to SearchMatch;
    /// The second highlight colour.
    Highlight2 = "highlight-2", falls back to SearchMatch;
    /// The third highlight colour.
    Highlight3 = "highlight-3", falls back to SearchMatch;
    /// The fourth highlight colour.
    Highlight4 = "highlight-4", falls back to SearchMatch;
    /// The overview strip's background, where nothing is marked.
    Overview = "overview", falls back to Border;
    /// The part of the overview strip the screen shows.
    OverviewView = "overview-view", falls back to Selection;
}

/// Number of roles.
const ROLE_COUNT: usize = Role::ALL.len();

impl Role {
    /// The role named `key` in a theme file (kebab-case), if there is one.
    pub fn from_key(key: &str) -> Option<Role> {
        Role::ALL.iter().copied().find(|r| r.key() == key)
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.key())
    }
}

/// How many colours the terminal can show.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ColorDepth {
    /// No colour at all: styles use modifiers only.
    Mono,
    /// The 16 ANSI colours.
    Ansi16,
    /// The xterm 256-colour palette.
    Ansi256,
    /// 24-bit RGB.
    TrueColor,
}

/// Guesses the terminal's colour depth from environment variables, looked up through `env` so
/// that callers (and tests) decide where they come from:
///
/// - `NO_COLOR` present and not empty (<https://no-color.org>) -> [`ColorDepth::Mono`]
/// - `TERM=dumb` -> [`ColorDepth::Mono`]
/// - `COLORTERM` `truecolor` or `24bit` -> [`ColorDepth::TrueColor`]
/// - `TERM` ending in `-direct` (terminfo's truecolor entries) -> [`ColorDepth::TrueColor`]
/// - `TERM` containing `256color` -> [`ColorDepth::Ansi256`]
/// - `WT_SESSION` set (Windows Terminal, which sets no `TERM`) -> [`ColorDepth::TrueColor`]
/// - anything else -> [`ColorDepth::Ansi16`]
///
/// Terminals under-report often: `COLORTERM=truecolor` (or a `TERM` naming `256color`) in
/// the explorer's environment tells it more.
pub fn detect_color_depth(env: &dyn Fn(&str) -> Option<String>) -> ColorDepth {
    if env("NO_COLOR").is_some_and(|v| !v.is_empty()) {
        return ColorDepth::Mono;
    }
    let term = env("TERM").unwrap_or_default().to_ascii_lowercase();
    // DEC's terminals and their emulations (vt100, vt102, vt220) show no colour at all:
    // a colour escape there is noise, so they get the monochrome theme.
    if term == "dumb" || (term.starts_with("vt") && !term.contains("color")) {
        return ColorDepth::Mono;
    }
    let colorterm = env("COLORTERM").unwrap_or_default().to_ascii_lowercase();
    if colorterm == "truecolor" || colorterm == "24bit" || term.ends_with("-direct") {
        return ColorDepth::TrueColor;
    }
    if term.contains("256color") {
        return ColorDepth::Ansi256;
    }
    if term.is_empty() && env("WT_SESSION").is_some() {
        return ColorDepth::TrueColor;
    }
    ColorDepth::Ansi16
}

/// What went wrong in a theme file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ThemeErrorKind {
    /// The file is not valid TOML, has an unknown key, or a value of the wrong type.
    Syntax,
    /// A key under `[styles]` that is not a role.
    UnknownRole,
    /// A colour that is neither a colour name, `#rrggbb`, `ansi:N` nor a palette name.
    BadColor,
    /// A modifier that is not one of the known ones.
    BadModifier,
    /// A `[palette]` entry that is invalid (its value is not a literal colour, or its name is a
    /// colour name).
    BadPalette,
    /// An `inherits` that is a cycle, names no theme, cannot be read, or nests too deep.
    Inherits,
}

/// Why a theme could not be loaded. Displayed on one line.
#[derive(Debug, thiserror::Error)]
pub enum ThemeError {
    /// A problem at a place in a theme file.
    #[error("{origin}:{line}:{col}: {reason}")]
    Invalid {
        /// The file (or built-in theme file) the problem is in.
        origin: String,
        /// 1-based line.
        line: usize,
        /// 1-based column, in characters.
        col: usize,
        /// The kind of problem.
        kind: ThemeErrorKind,
        /// What is wrong, on one line.
        reason: String,
    },
    /// A name that is neither a built-in theme nor a theme file.
    #[error("unknown theme '{name}' (built-in: {builtins})")]
    Unknown {
        /// The name asked for.
        name: String,
        /// The built-in names, comma-separated.
        builtins: String,
    },
    /// A theme file that could not be read.
    #[error("{path}: cannot read theme file: {error}")]
    Read {
        /// The path as given.
        path: String,
        /// The I/O error (in the message, not a `source`: a chain printed with `{:#}`
        /// would say it twice).
        error: std::io::Error,
    },
}

impl ThemeError {
    /// The kind of problem, for errors inside a theme file.
    pub fn kind(&self) -> Option<ThemeErrorKind> {
        match self {
            ThemeError::Invalid { kind, .. } => Some(*kind),
            _ => None,
        }
    }
}

/// The built-in themes, embedded from `themes/`.
const BUILTINS: &[(&str, &str)] = &[
    ("dark", include_str!("../../themes/dark.toml")),
    ("light", include_str!("../../themes/light.toml")),
    ("cmtrace", include_str!("../../themes/cmtrace.toml")),
    (
        "high-contrast",
        include_str!("../../themes/high-contrast.toml"),
    ),
    ("mono", include_str!("../../themes/mono.toml")),
];

const BUILTIN_NAMES: &[&str] = &["dark", "light", "cmtrace", "high-contrast", "mono"];

/// Longest `inherits` chain accepted; deeper chains are almost certainly a mistake.
const MAX_INHERITS_DEPTH: usize = 16;

fn builtin_text(name: &str) -> Option<&'static str> {
    BUILTINS.iter().find(|(n, _)| *n == name).map(|(_, t)| *t)
}

/// A loaded theme: a style for every [`Role`].
#[derive(Clone, Debug, PartialEq)]
pub struct Theme {
    name: String,
    styles: [Style; ROLE_COUNT],
    /// Which roles the theme's files set themselves (the rest came from [`Role::fallback`]).
    defined: [bool; ROLE_COUNT],
}

impl Default for Theme {
    /// The `dark` built-in theme.
    fn default() -> Self {
        Theme::builtin("dark").unwrap_or_else(|_| Theme::plain("dark"))
    }
}

impl Theme {
    /// The style for `role`.
    pub fn style(&self, role: Role) -> Style {
        self.styles.get(role as usize).copied().unwrap_or_default()
    }

    /// True when the theme (or a theme it inherits) sets `role` itself, rather than taking the
    /// style of [`Role::fallback`].
    pub fn defines(&self, role: Role) -> bool {
        self.defined.get(role as usize).copied().unwrap_or(false)
    }

    /// The theme's name: its `name` key, or else its file name without `.toml`.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The names of the built-in themes; the first, `dark`, is the default.
    pub fn builtin_names() -> &'static [&'static str] {
        BUILTIN_NAMES
    }

    /// Loads a built-in theme by name, or else a theme file by path.
    pub fn load(name_or_path: &str) -> Result<Theme, ThemeError> {
        if builtin_text(name_or_path).is_some() {
            return Theme::builtin(name_or_path);
        }
        let path = Path::new(name_or_path);
        let looks_like_path = name_or_path.contains(['/', '\\'])
            || path
                .extension()
                .is_some_and(|e| e.eq_ignore_ascii_case("toml"));
        if !looks_like_path && !path.is_file() {
            return Err(ThemeError::Unknown {
                name: sanitize(name_or_path).into_owned(),
                builtins: BUILTIN_NAMES.join(", "),
            });
        }
        let text = read_theme_file(path).map_err(|error| ThemeError::Read {
            path: sanitize(name_or_path).into_owned(),
            error,
        })?;
        Theme::from_toml(&text, name_or_path)
    }

    /// Parses a theme from TOML `text`. `origin` names it in error messages and is the base for
    /// a relative `inherits` path (when it is a file path).
    pub fn from_toml(text: &str, origin: &str) -> Result<Theme, ThemeError> {
        let path = Path::new(origin);
        let key = match path.canonicalize() {
            Ok(p) if path.is_file() => format!("file:{}", p.display()),
            _ => format!("text:{origin}"),
        };
        let layer = Layer::parse(text.to_owned(), origin.to_owned(), key, false)?;
        build(layer)
    }

    fn builtin(name: &str) -> Result<Theme, ThemeError> {
        let Some(text) = builtin_text(name) else {
            return Err(ThemeError::Unknown {
                name: sanitize(name).into_owned(),
                builtins: BUILTIN_NAMES.join(", "),
            });
        };
        let layer = Layer::parse(
            text.to_owned(),
            format!("themes/{name}.toml"),
            format!("builtin:{name}"),
            true,
        )?;
        build(layer)
    }

    /// A theme with no colours and no modifiers; only a last resort.
    fn plain(name: &str) -> Theme {
        Theme {
            name: name.to_owned(),
            styles: [Style::new(); ROLE_COUNT],
            defined: [false; ROLE_COUNT],
        }
    }

    /// The theme as the terminal can show it: colours beyond `depth` are replaced by the nearest
    /// it has (truecolor -> 256 -> 16). For [`ColorDepth::Mono`] the result is the built-in
    /// `mono` theme, whose styles use modifiers only, because without colour the meaning must
    /// still show (and under `NO_COLOR` crossterm drops every colour anyway).
    pub fn for_depth(self, depth: ColorDepth) -> Theme {
        match depth {
            ColorDepth::TrueColor => self,
            ColorDepth::Mono => Theme::builtin("mono").unwrap_or_else(|_| self.without_colors()),
            ColorDepth::Ansi256 | ColorDepth::Ansi16 => {
                let mut out = self;
                for style in out.styles.iter_mut() {
                    *style = downgrade_style(*style, depth);
                }
                out
            }
        }
    }

    fn without_colors(mut self) -> Theme {
        for style in self.styles.iter_mut() {
            style.fg = None;
            style.bg = None;
        }
        self
    }
}

// ---------------------------------------------------------------------------------------------
// Parsing

/// A theme file as written.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTheme {
    name: Option<String>,
    inherits: Option<Spanned<String>>,
    #[serde(default)]
    palette: BTreeMap<Spanned<String>, Spanned<String>>,
    #[serde(default)]
    styles: BTreeMap<Spanned<String>, Spanned<RawStyle>>,
}

/// A style as written: a bare colour string (the foreground) or a table.
enum RawStyle {
    Fg(String),
    Table(RawStyleTable),
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawStyleTable {
    fg: Option<Spanned<String>>,
    bg: Option<Spanned<String>>,
    #[serde(default)]
    modifiers: Vec<Spanned<String>>,
}

impl<'de> Deserialize<'de> for RawStyle {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct StyleVisitor;
        impl<'de> Visitor<'de> for StyleVisitor {
            type Value = RawStyle;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a colour string or a table { fg, bg, modifiers }")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<RawStyle, E> {
                Ok(RawStyle::Fg(v.to_owned()))
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<RawStyle, A::Error> {
                // Hand the same map to the derived table so its keys keep their spans.
                RawStyleTable::deserialize(de::value::MapAccessDeserializer::new(map))
                    .map(RawStyle::Table)
            }
        }
        deserializer.deserialize_any(StyleVisitor)
    }
}

/// One theme file in an `inherits` chain.
struct Layer {
    origin: String,
    /// Identity for cycle detection: `builtin:NAME`, `file:CANONICAL-PATH` or `text:ORIGIN`.
    key: String,
    text: String,
    builtin: bool,
    raw: RawTheme,
}

impl Layer {
    fn parse(
        text: String,
        origin: String,
        key: String,
        builtin: bool,
    ) -> Result<Layer, ThemeError> {
        match toml::from_str::<RawTheme>(&text) {
            Ok(raw) => Ok(Layer {
                origin,
                key,
                text,
                builtin,
                raw,
            }),
            Err(e) => {
                let offset = e.span().map_or(0, |s| s.start);
                let reason = e
                    .message()
                    .lines()
                    .map(str::trim)
                    .filter(|l| !l.is_empty())
                    .collect::<Vec<_>>()
                    .join("; ");
                Err(error_at(
                    &origin,
                    &text,
                    offset,
                    ThemeErrorKind::Syntax,
                    &reason,
                ))
            }
        }
    }

    fn error(&self, offset: usize, kind: ThemeErrorKind, reason: &str) -> ThemeError {
        error_at(&self.origin, &self.text, offset, kind, reason)
    }

    /// The name for messages about cycles: the file name, or the built-in's name.
    fn short_name(&self) -> String {
        Path::new(&self.origin)
            .file_name()
            .map_or_else(|| self.origin.clone(), |n| n.to_string_lossy().into_owned())
    }
}

/// Builds the error for byte `offset` of `text`, with a 1-based line and character column.
fn error_at(
    origin: &str,
    text: &str,
    offset: usize,
    kind: ThemeErrorKind,
    reason: &str,
) -> ThemeError {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = text.get(..offset).unwrap_or("");
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let col = before.get(line_start..).unwrap_or("").chars().count() + 1;
    ThemeError::Invalid {
        origin: sanitize(origin).into_owned(),
        line,
        col,
        kind,
        // A reason can quote text from the file; keep it inert and on one line.
        reason: sanitize(reason).into_owned(),
    }
}

/// Follows `inherits` from `first` to the root, returning the layers root first.
fn collect_layers(first: Layer) -> Result<Vec<Layer>, ThemeError> {
    let mut layers = vec![first];
    while let Some(current) = layers.last() {
        let Some(inherits) = current.raw.inherits.as_ref() else {
            break;
        };
        let at = inherits.span().start;
        let wanted = inherits.get_ref().as_str();
        if layers.len() > MAX_INHERITS_DEPTH {
            return Err(current.error(
                at,
                ThemeErrorKind::Inherits,
                &format!("inherits chain is deeper than {MAX_INHERITS_DEPTH} themes"),
            ));
        }
        let (key, origin, text, builtin) = if let Some(text) = builtin_text(wanted) {
            (
                format!("builtin:{wanted}"),
                format!("themes/{wanted}.toml"),
                text.to_owned(),
                true,
            )
        } else if current.builtin {
            return Err(current.error(
                at,
                ThemeErrorKind::Inherits,
                &format!(
                    "inherits '{wanted}', which is not a built-in theme ({})",
                    BUILTIN_NAMES.join(", ")
                ),
            ));
        } else {
            let base = Path::new(&current.origin)
                .parent()
                .map_or_else(PathBuf::new, Path::to_path_buf);
            let path = base.join(wanted);
            let text = read_theme_file(&path).map_err(|e| {
                current.error(
                    at,
                    ThemeErrorKind::Inherits,
                    &format!(
                        "inherits '{wanted}', which is neither a built-in theme ({}) nor a readable file ({e})",
                        BUILTIN_NAMES.join(", ")
                    ),
                )
            })?;
            let canonical = path.canonicalize().unwrap_or_else(|_| path.clone());
            (
                format!("file:{}", canonical.display()),
                path.display().to_string(),
                text,
                false,
            )
        };
        if let Some(pos) = layers.iter().position(|l| l.key == key) {
            let mut names: Vec<String> = layers[pos..].iter().map(Layer::short_name).collect();
            names.push(layers[pos].short_name());
            return Err(current.error(
                at,
                ThemeErrorKind::Inherits,
                &format!("inherits cycle: {}", names.join(" -> ")),
            ));
        }
        let parent = Layer::parse(text, origin, key, builtin)?;
        layers.push(parent);
    }
    layers.reverse();
    Ok(layers)
}

/// A style entry with the layer it came from, for error positions.
struct Entry<'a> {
    layer: &'a Layer,
    style: &'a Spanned<RawStyle>,
}

fn build(first: Layer) -> Result<Theme, ThemeError> {
    let layers = collect_layers(first)?;

    // Merge root first so that children override: palettes by name, styles by whole role.
    let mut palette: BTreeMap<&str, Color> = BTreeMap::new();
    let mut entries: BTreeMap<Role, Entry<'_>> = BTreeMap::new();
    for layer in &layers {
        for (name, value) in &layer.raw.palette {
            let name_str = name.get_ref().as_str();
            if parse_color_literal(name_str).is_some() {
                return Err(layer.error(
                    name.span().start,
                    ThemeErrorKind::BadPalette,
                    &format!("palette name '{name_str}' is already a colour; choose another name"),
                ));
            }
            let Some(color) = parse_color_literal(value.get_ref()) else {
                return Err(layer.error(
                    value.span().start,
                    ThemeErrorKind::BadPalette,
                    &format!(
                        "bad colour '{}' for palette entry '{name_str}' (palette colours must be a colour name, '#rrggbb' or 'ansi:N')",
                        value.get_ref()
                    ),
                ));
            };
            palette.insert(name_str, color);
        }
        for (key, style) in &layer.raw.styles {
            let key_str = key.get_ref().as_str();
            let Some(role) = Role::from_key(key_str) else {
                return Err(layer.error(
                    key.span().start,
                    ThemeErrorKind::UnknownRole,
                    &unknown_role_reason(key_str),
                ));
            };
            entries.insert(role, Entry { layer, style });
        }
    }

    let mut styles = [Style::new(); ROLE_COUNT];
    let mut defined = [false; ROLE_COUNT];
    for (role, entry) in &entries {
        let idx = *role as usize;
        if let (Some(slot), Some(flag)) = (styles.get_mut(idx), defined.get_mut(idx)) {
            *slot = resolve_style(entry, *role, &palette)?;
            *flag = true;
        }
    }
    // Roles left out take their fallback's style; fallbacks form a tree rooted at Normal, and
    // the walk is bounded in case that ever stops being true.
    let explicit = styles;
    for &role in Role::ALL {
        let mut source = role;
        for _ in 0..ROLE_COUNT {
            if defined.get(source as usize).copied().unwrap_or(false) {
                break;
            }
            match source.fallback() {
                Some(next) => source = next,
                None => break,
            }
        }
        if let (Some(slot), Some(style)) =
            (styles.get_mut(role as usize), explicit.get(source as usize))
        {
            *slot = *style;
        }
    }

    let root_name = layers.last().and_then(|l| l.raw.name.clone());
    let name = root_name.unwrap_or_else(|| {
        layers.last().map_or_else(String::new, |l| {
            Path::new(&l.origin)
                .file_stem()
                .map_or_else(|| l.origin.clone(), |s| s.to_string_lossy().into_owned())
        })
    });
    Ok(Theme {
        name,
        styles,
        defined,
    })
}

fn unknown_role_reason(key: &str) -> String {
    let guess = key
        .trim()
        .to_ascii_lowercase()
        .replace(['_', ' ', '.'], "-");
    match Role::from_key(&guess) {
        Some(role) => format!("unknown role '{key}' (did you mean '{role}'?)"),
        None => format!(
            "unknown role '{key}' (roles: {})",
            Role::ALL
                .iter()
                .map(|r| r.key())
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

fn resolve_style(
    entry: &Entry<'_>,
    role: Role,
    palette: &BTreeMap<&str, Color>,
) -> Result<Style, ThemeError> {
    let layer = entry.layer;
    let color = |text: &str, offset: usize| -> Result<Color, ThemeError> {
        resolve_color(text, palette).ok_or_else(|| {
            layer.error(
                offset,
                ThemeErrorKind::BadColor,
                &format!(
                    "bad colour '{text}' for role '{role}' (expected a colour name such as 'red' or 'bright-red', '#rrggbb', 'ansi:0'..'ansi:255', 'default', or a [palette] name)"
                ),
            )
        })
    };
    match entry.style.get_ref() {
        RawStyle::Fg(fg) => Ok(Style::new().fg(color(fg, entry.style.span().start)?)),
        RawStyle::Table(table) => {
            let mut style = Style::new();
            if let Some(fg) = &table.fg {
                style = style.fg(color(fg.get_ref(), fg.span().start)?);
            }
            if let Some(bg) = &table.bg {
                style = style.bg(color(bg.get_ref(), bg.span().start)?);
            }
            for m in &table.modifiers {
                let Some(modifier) = parse_modifier(m.get_ref()) else {
                    return Err(layer.error(
                        m.span().start,
                        ThemeErrorKind::BadModifier,
                        &format!(
                            "unknown modifier '{}' for role '{role}' (expected one of: {})",
                            m.get_ref(),
                            MODIFIER_NAMES.join(", ")
                        ),
                    ));
                };
                style = style.add_modifier(modifier);
            }
            Ok(style)
        }
    }
}

const MODIFIER_NAMES: &[&str] = &[
    "bold",
    "dim",
    "italic",
    "underlined",
    "reversed",
    "crossed-out",
];

fn parse_modifier(name: &str) -> Option<Modifier> {
    Some(match name {
        "bold" => Modifier::BOLD,
        "dim" => Modifier::DIM,
        "italic" => Modifier::ITALIC,
        "underlined" => Modifier::UNDERLINED,
        "reversed" => Modifier::REVERSED,
        "crossed-out" => Modifier::CROSSED_OUT,
        _ => return None,
    })
}

fn resolve_color(text: &str, palette: &BTreeMap<&str, Color>) -> Option<Color> {
    parse_color_literal(text).or_else(|| palette.get(text).copied())
}

/// Parses a colour written literally: a name, `#rrggbb`, `ansi:N`, or `default`.
fn parse_color_literal(text: &str) -> Option<Color> {
    if let Some(hex) = text.strip_prefix('#') {
        if hex.len() != 6 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
            return None;
        }
        let v = u32::from_str_radix(hex, 16).ok()?;
        let [_, r, g, b] = v.to_be_bytes();
        return Some(Color::Rgb(r, g, b));
    }
    if let Some(n) = text.strip_prefix("ansi:") {
        return n.parse::<u8>().ok().map(Color::Indexed);
    }
    Some(match text {
        "default" | "reset" => Color::Reset,
        "black" => Color::Black,
        "red" => Color::Red,
        "green" => Color::Green,
        "yellow" => Color::Yellow,
        "blue" => Color::Blue,
        "magenta" => Color::Magenta,
        "cyan" => Color::Cyan,
        // ANSI 7: the terminal's normal "white", which most palettes show as light grey.
        "gray" | "grey" => Color::Gray,
        // ANSI 8.
        "dark-gray" | "dark-grey" | "bright-black" => Color::DarkGray,
        "bright-red" => Color::LightRed,
        "bright-green" => Color::LightGreen,
        "bright-yellow" => Color::LightYellow,
        "bright-blue" => Color::LightBlue,
        "bright-magenta" => Color::LightMagenta,
        "bright-cyan" => Color::LightCyan,
        // ANSI 15: the brightest white.
        "white" | "bright-white" => Color::White,
        _ => return None,
    })
}

// ---------------------------------------------------------------------------------------------
// Colour depth

/// The 16 ANSI colours with the RGB values xterm uses for them, for nearest-colour matching.
const ANSI16: [(Color, (u8, u8, u8)); 16] = [
    (Color::Black, (0, 0, 0)),
    (Color::Red, (205, 0, 0)),
    (Color::Green, (0, 205, 0)),
    (Color::Yellow, (205, 205, 0)),
    (Color::Blue, (0, 0, 238)),
    (Color::Magenta, (205, 0, 205)),
    (Color::Cyan, (0, 205, 205)),
    (Color::Gray, (229, 229, 229)),
    (Color::DarkGray, (127, 127, 127)),
    (Color::LightRed, (255, 0, 0)),
    (Color::LightGreen, (0, 255, 0)),
    (Color::LightYellow, (255, 255, 0)),
    (Color::LightBlue, (92, 92, 255)),
    (Color::LightMagenta, (255, 0, 255)),
    (Color::LightCyan, (0, 255, 255)),
    (Color::White, (255, 255, 255)),
];

/// The six levels of each channel in the xterm 6x6x6 colour cube (indexes 16..=231).
const CUBE_LEVELS: [u8; 6] = [0, 95, 135, 175, 215, 255];

/// RGB of a 256-palette index, as xterm defines it.
fn indexed_rgb(i: u8) -> (u8, u8, u8) {
    match i {
        0..=15 => ANSI16
            .get(usize::from(i))
            .map_or((0, 0, 0), |(_, rgb)| *rgb),
        16..=231 => {
            let n = usize::from(i - 16);
            let level = |k: usize| CUBE_LEVELS.get(k % 6).copied().unwrap_or(0);
            (level(n / 36), level(n / 6), level(n))
        }
        232..=255 => {
            let v = 8 + (i - 232) * 10;
            (v, v, v)
        }
    }
}

/// Perceptual-ish distance ("redmean"), good enough to pick a nearest palette entry.
fn distance((r1, g1, b1): (u8, u8, u8), (r2, g2, b2): (u8, u8, u8)) -> u32 {
    let rmean = (u32::from(r1) + u32::from(r2)) / 2;
    let dr = u32::from(r1.abs_diff(r2));
    let dg = u32::from(g1.abs_diff(g2));
    let db = u32::from(b1.abs_diff(b2));
    (((512 + rmean) * dr * dr) >> 8) + 4 * dg * dg + (((767 - rmean) * db * db) >> 8)
}

fn nearest_ansi16(rgb: (u8, u8, u8)) -> Color {
    ANSI16
        .iter()
        .min_by_key(|(_, c)| distance(rgb, *c))
        .map_or(Color::Reset, |(color, _)| *color)
}

fn nearest_ansi256(rgb: (u8, u8, u8)) -> Color {
    // Only the cube and the grey ramp: entries 0..=15 vary between terminals.
    (16..=255u8)
        .min_by_key(|&i| distance(rgb, indexed_rgb(i)))
        .map_or(Color::Reset, Color::Indexed)
}

fn downgrade_color(color: Color, depth: ColorDepth) -> Color {
    match (color, depth) {
        (Color::Rgb(r, g, b), ColorDepth::Ansi256) => nearest_ansi256((r, g, b)),
        (Color::Rgb(r, g, b), ColorDepth::Ansi16) => nearest_ansi16((r, g, b)),
        (Color::Indexed(i), ColorDepth::Ansi16) => match ANSI16.get(usize::from(i)) {
            Some((named, _)) => *named,
            None => nearest_ansi16(indexed_rgb(i)),
        },
        (other, _) => other,
    }
}

fn rgb_of(color: Color) -> Option<(u8, u8, u8)> {
    match color {
        Color::Rgb(r, g, b) => Some((r, g, b)),
        Color::Indexed(i) => Some(indexed_rgb(i)),
        named => ANSI16
            .iter()
            .find(|(c, _)| *c == named)
            .map(|(_, rgb)| *rgb),
    }
}

fn downgrade_style(style: Style, depth: ColorDepth) -> Style {
    let mut out = style;
    out.fg = style.fg.map(|c| downgrade_color(c, depth));
    out.bg = style.bg.map(|c| downgrade_color(c, depth));
    // Two close colours can land on the same palette entry; keep the text readable.
    if let (Some(fg), Some(bg)) = (out.fg, out.bg) {
        if fg == bg && style.fg != style.bg {
            let light = rgb_of(bg).is_some_and(|(r, g, b)| {
                u32::from(r) * 299 + u32::from(g) * 587 + u32::from(b) * 114 > 128_000
            });
            out.fg = Some(if light { Color::Black } else { Color::White });
        }
    }
    out
}

/// A theme file's text: a regular file of bounded size (see `small_file`).
fn read_theme_file(path: &Path) -> std::io::Result<String> {
    crate::small_file::read_capped_text(path, crate::small_file::THEME_LIMIT)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn env_from(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let map: HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        move |k| map.get(k).cloned()
    }

    fn depth(pairs: &[(&str, &str)]) -> ColorDepth {
        detect_color_depth(&env_from(pairs))
    }

    fn themes_dir() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("themes")
    }

    fn invalid(err: ThemeError) -> (String, usize, usize, ThemeErrorKind, String) {
        let shown = err.to_string();
        match err {
            ThemeError::Invalid {
                origin,
                line,
                col,
                kind,
                ..
            } => (origin, line, col, kind, shown),
            other => panic!("expected an error at a place, got {other:?}"),
        }
    }

    #[test]
    fn every_builtin_loads_and_defines_every_role() {
        for name in Theme::builtin_names() {
            let theme = Theme::load(name).unwrap_or_else(|e| panic!("{name}: {e}"));
            assert_eq!(theme.name(), *name);
            for &role in Role::ALL {
                assert!(theme.defines(role), "theme {name} leaves out role {role}");
            }
        }
    }

    #[test]
    fn every_file_in_themes_is_embedded_and_loads() {
        let mut seen = Vec::new();
        for entry in std::fs::read_dir(themes_dir()).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().and_then(|e| e.to_str()) != Some("toml") {
                continue;
            }
            let stem = path.file_stem().unwrap().to_str().unwrap().to_owned();
            let on_disk = std::fs::read_to_string(&path).unwrap();
            assert_eq!(
                builtin_text(&stem),
                Some(on_disk.as_str()),
                "{} is not embedded",
                path.display()
            );
            let from_file = Theme::load(path.to_str().unwrap())
                .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            assert_eq!(from_file, Theme::load(&stem).unwrap());
            seen.push(stem);
        }
        seen.sort();
        let mut names: Vec<String> = BUILTIN_NAMES.iter().map(|s| s.to_string()).collect();
        names.sort();
        assert_eq!(seen, names);
    }

    #[test]
    fn role_keys_round_trip_and_fallbacks_end_at_normal() {
        for &role in Role::ALL {
            assert_eq!(Role::from_key(role.key()), Some(role));
            let mut r = role;
            let mut steps = 0;
            while let Some(next) = r.fallback() {
                r = next;
                steps += 1;
                assert!(steps < ROLE_COUNT, "fallback loop at {role}");
            }
            assert_eq!(r, Role::Normal);
        }
    }

    #[test]
    fn docs_list_every_role() {
        let docs =
            std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/themes.md"))
                .unwrap();
        for &role in Role::ALL {
            assert!(
                docs.contains(&format!("`{}`", role.key())),
                "docs/themes.md does not mention {role}"
            );
        }
    }

    #[test]
    fn styles_and_colours_parse() {
        let theme = Theme::from_toml(
            r##"
name = "t"
[palette]
accent = "#102030"
[styles]
normal = {}
error = { fg = "bright-red", bg = "ansi:52", modifiers = ["bold", "reversed"] }
time = "accent"
warning = "yellow"
selection = { bg = "default", modifiers = ["underlined", "italic", "dim", "crossed-out"] }
"##,
            "t.toml",
        )
        .unwrap();
        assert_eq!(theme.name(), "t");
        assert_eq!(
            theme.style(Role::Error),
            Style::new()
                .fg(Color::LightRed)
                .bg(Color::Indexed(52))
                .add_modifier(Modifier::BOLD | Modifier::REVERSED)
        );
        assert_eq!(
            theme.style(Role::Time),
            Style::new().fg(Color::Rgb(16, 32, 48))
        );
        assert_eq!(theme.style(Role::Warning), Style::new().fg(Color::Yellow));
        assert_eq!(
            theme.style(Role::Selection),
            Style::new().bg(Color::Reset).add_modifier(
                Modifier::UNDERLINED | Modifier::ITALIC | Modifier::DIM | Modifier::CROSSED_OUT
            )
        );
        // Left out: falls back to the more general role.
        assert!(!theme.defines(Role::ChainRoot));
        assert_eq!(theme.style(Role::ChainRoot), theme.style(Role::Error));
        assert_eq!(theme.style(Role::Thread), theme.style(Role::Normal));
    }

    #[test]
    fn name_defaults_to_file_stem() {
        let theme = Theme::from_toml("[styles]\nerror = \"red\"\n", "dir/mine.toml").unwrap();
        assert_eq!(theme.name(), "mine");
    }

    #[test]
    fn inherits_merges_palette_and_styles() {
        let dir = tempfile::tempdir().unwrap();
        let base = dir.path().join("base.toml");
        std::fs::write(
            &base,
            "name = \"base\"\n[palette]\nhot = \"#ff0000\"\n[styles]\nerror = \"hot\"\nwarning = \"yellow\"\n",
        )
        .unwrap();
        let child = dir.path().join("child.toml");
        std::fs::write(
            &child,
            "name = \"child\"\ninherits = \"base.toml\"\n[palette]\nhot = \"#ee0000\"\n[styles]\nwarning = { fg = \"blue\" }\n",
        )
        .unwrap();
        let theme = Theme::load(child.to_str().unwrap()).unwrap();
        assert_eq!(theme.name(), "child");
        // The parent's style picks up the child's palette.
        assert_eq!(
            theme.style(Role::Error),
            Style::new().fg(Color::Rgb(0xee, 0, 0))
        );
        assert_eq!(theme.style(Role::Warning), Style::new().fg(Color::Blue));

        let over_builtin = Theme::from_toml(
            "name = \"x\"\ninherits = \"dark\"\n[styles]\nerror = \"white\"\n",
            "x.toml",
        )
        .unwrap();
        let dark = Theme::load("dark").unwrap();
        assert_eq!(
            over_builtin.style(Role::Error),
            Style::new().fg(Color::White)
        );
        assert_eq!(over_builtin.style(Role::Time), dark.style(Role::Time));
        assert!(Role::ALL.iter().all(|&r| over_builtin.defines(r)));
    }

    #[test]
    fn bad_toml_names_file_and_line() {
        let err =
            Theme::from_toml("name = \"x\"\n[styles\nerror = \"red\"\n", "bad.toml").unwrap_err();
        let (origin, line, _, kind, shown) = invalid(err);
        assert_eq!(
            (origin.as_str(), line, kind),
            ("bad.toml", 2, ThemeErrorKind::Syntax)
        );
        assert!(shown.starts_with("bad.toml:2:"), "{shown}");
        assert!(!shown.contains('\n'), "{shown}");
    }

    #[test]
    fn unknown_top_level_key_names_file_and_line() {
        let err = Theme::from_toml("name = \"x\"\n\ncolours = 3\n", "k.toml").unwrap_err();
        let (_, line, col, kind, shown) = invalid(err);
        assert_eq!((line, col, kind), (3, 1, ThemeErrorKind::Syntax));
        assert!(shown.starts_with("k.toml:3:1: "), "{shown}");
        assert!(shown.contains("colours"), "{shown}");
    }

    #[test]
    fn unknown_style_key_names_file_and_line() {
        let err = Theme::from_toml(
            "[styles]\nnormal = {}\nerror = { fg = \"red\", blink = true }\n",
            "s.toml",
        )
        .unwrap_err();
        let (_, line, _, kind, shown) = invalid(err);
        assert_eq!((line, kind), (3, ThemeErrorKind::Syntax));
        assert!(shown.starts_with("s.toml:3:"), "{shown}");
        assert!(shown.contains("blink"), "{shown}");
    }

    #[test]
    fn unknown_role_names_file_and_line() {
        let err = Theme::from_toml("[styles]\nnormal = {}\nchain_root = \"red\"\n", "r.toml")
            .unwrap_err();
        let (_, line, col, kind, shown) = invalid(err);
        assert_eq!((line, col, kind), (3, 1, ThemeErrorKind::UnknownRole));
        assert!(shown.starts_with("r.toml:3:1: "), "{shown}");
        assert!(shown.contains("did you mean 'chain-root'"), "{shown}");

        let err = Theme::from_toml("[styles]\nfrobnicate = \"red\"\n", "r.toml").unwrap_err();
        assert!(err.to_string().contains("roles: normal, dim"), "{err}");
    }

    #[test]
    fn bad_colour_names_file_and_line() {
        let text =
            "name = \"c\"\n[styles]\nnormal = {}\nerror = { fg = \"red\", bg = \"#12345\" }\n";
        let err = Theme::from_toml(text, "c.toml").unwrap_err();
        let (_, line, col, kind, shown) = invalid(err);
        assert_eq!((line, kind), (4, ThemeErrorKind::BadColor));
        assert_eq!(col, 28);
        assert!(
            shown.starts_with("c.toml:4:28: bad colour '#12345'"),
            "{shown}"
        );

        for bad in ["ansi:256", "ansi:x", "#gggggg", "reddish", "Red", ""] {
            let text = format!("[styles]\nerror = \"{bad}\"\n");
            let err = Theme::from_toml(&text, "c.toml").unwrap_err();
            assert_eq!(err.kind(), Some(ThemeErrorKind::BadColor), "{bad}: {err}");
            assert!(err.to_string().starts_with("c.toml:2:9: "), "{err}");
        }
    }

    #[test]
    fn bad_modifier_and_palette_name_file_and_line() {
        let err = Theme::from_toml(
            "[styles]\nerror = { modifiers = [\"bold\", \"blink\"] }\n",
            "m.toml",
        )
        .unwrap_err();
        let (_, line, _, kind, shown) = invalid(err);
        assert_eq!((line, kind), (2, ThemeErrorKind::BadModifier));
        assert!(shown.contains("'blink'"), "{shown}");

        let err = Theme::from_toml("[palette]\nred = \"#ff0000\"\n", "p.toml").unwrap_err();
        let (_, line, _, kind, _) = invalid(err);
        assert_eq!((line, kind), (2, ThemeErrorKind::BadPalette));

        let err =
            Theme::from_toml("[palette]\na = \"#ff0000\"\nb = \"a\"\n", "p.toml").unwrap_err();
        let (_, line, _, kind, _) = invalid(err);
        assert_eq!((line, kind), (3, ThemeErrorKind::BadPalette));
    }

    #[test]
    fn inherits_cycle_names_file_and_line() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("a.toml");
        let b = dir.path().join("b.toml");
        std::fs::write(&a, "name = \"a\"\ninherits = \"b.toml\"\n").unwrap();
        std::fs::write(&b, "name = \"b\"\n\ninherits = \"a.toml\"\n").unwrap();
        let err = Theme::load(a.to_str().unwrap()).unwrap_err();
        let (origin, line, col, kind, shown) = invalid(err);
        assert_eq!(kind, ThemeErrorKind::Inherits);
        assert!(origin.ends_with("b.toml"), "{origin}");
        assert_eq!((line, col), (3, 12));
        assert!(
            shown.ends_with("inherits cycle: a.toml -> b.toml -> a.toml"),
            "{shown}"
        );

        let me = dir.path().join("me.toml");
        std::fs::write(&me, "inherits = \"me.toml\"\n").unwrap();
        let err = Theme::load(me.to_str().unwrap()).unwrap_err();
        assert!(
            err.to_string()
                .ends_with(":1:12: inherits cycle: me.toml -> me.toml"),
            "{err}"
        );
    }

    #[test]
    fn inherits_missing_parent_names_file_and_line() {
        let err = Theme::from_toml("name = \"x\"\ninherits = \"nope\"\n", "x.toml").unwrap_err();
        let (_, line, _, kind, shown) = invalid(err);
        assert_eq!((line, kind), (2, ThemeErrorKind::Inherits));
        assert!(shown.contains("'nope'"), "{shown}");
    }

    #[test]
    fn unknown_name_lists_builtins() {
        let err = Theme::load("solarized").unwrap_err();
        assert_eq!(
            err.to_string(),
            "unknown theme 'solarized' (built-in: dark, light, cmtrace, high-contrast, mono)"
        );
        let err = Theme::load("no/such/file.toml").unwrap_err();
        assert!(matches!(err, ThemeError::Read { .. }), "{err}");
        assert!(err
            .to_string()
            .starts_with("no/such/file.toml: cannot read theme file"));
    }

    #[test]
    fn errors_quote_file_text_inertly() {
        let err = Theme::from_toml("[styles]\n\"\\u001b]0;x\\u0007\" = \"red\"\n", "e\x1b.toml")
            .unwrap_err();
        let shown = err.to_string();
        assert!(!shown.chars().any(char::is_control), "{shown:?}");
    }

    #[test]
    fn color_depth_detection() {
        assert_eq!(depth(&[]), ColorDepth::Ansi16);
        assert_eq!(depth(&[("TERM", "vt100")]), ColorDepth::Mono);
        assert_eq!(depth(&[("TERM", "vt220")]), ColorDepth::Mono);
        assert_eq!(depth(&[("TERM", "linux")]), ColorDepth::Ansi16);
        assert_eq!(depth(&[("TERM", "xterm-color")]), ColorDepth::Ansi16);
        assert_eq!(depth(&[("NO_COLOR", "1")]), ColorDepth::Mono);
        assert_eq!(
            depth(&[("NO_COLOR", "0"), ("COLORTERM", "truecolor")]),
            ColorDepth::Mono
        );
        assert_eq!(
            depth(&[("NO_COLOR", ""), ("TERM", "xterm-256color")]),
            ColorDepth::Ansi256
        );
        assert_eq!(
            depth(&[("TERM", "dumb"), ("COLORTERM", "truecolor")]),
            ColorDepth::Mono
        );
        assert_eq!(depth(&[("COLORTERM", "truecolor")]), ColorDepth::TrueColor);
        assert_eq!(
            depth(&[("COLORTERM", "24bit"), ("TERM", "xterm")]),
            ColorDepth::TrueColor
        );
        assert_eq!(depth(&[("TERM", "xterm-direct")]), ColorDepth::TrueColor);
        assert_eq!(depth(&[("TERM", "screen-256color")]), ColorDepth::Ansi256);
        assert_eq!(depth(&[("TERM", "xterm")]), ColorDepth::Ansi16);
        assert_eq!(depth(&[("WT_SESSION", "abc")]), ColorDepth::TrueColor);
    }

    #[test]
    fn downgrading_colours() {
        assert_eq!(nearest_ansi256((255, 0, 0)), Color::Indexed(196));
        assert_eq!(nearest_ansi256((128, 128, 128)), Color::Indexed(244));
        assert_eq!(nearest_ansi16((250, 10, 10)), Color::LightRed);
        assert_eq!(nearest_ansi16((10, 10, 10)), Color::Black);
        assert_eq!(
            downgrade_color(Color::Indexed(9), ColorDepth::Ansi16),
            Color::LightRed
        );
        assert_eq!(
            downgrade_color(Color::Indexed(196), ColorDepth::Ansi16),
            Color::LightRed
        );
        assert_eq!(
            downgrade_color(Color::Blue, ColorDepth::Ansi16),
            Color::Blue
        );
        assert_eq!(
            downgrade_color(Color::Indexed(52), ColorDepth::Ansi256),
            Color::Indexed(52)
        );

        let theme = Theme::load("dark").unwrap();
        for (d, ok) in [
            (
                ColorDepth::Ansi256,
                &(|c: Color| !matches!(c, Color::Rgb(..))) as &dyn Fn(Color) -> bool,
            ),
            (ColorDepth::Ansi16, &|c: Color| {
                !matches!(c, Color::Rgb(..) | Color::Indexed(_))
            }),
        ] {
            let low = theme.clone().for_depth(d);
            for &role in Role::ALL {
                let s = low.style(role);
                assert!(
                    s.fg.is_none_or(ok) && s.bg.is_none_or(ok),
                    "{d:?} {role}: {s:?}"
                );
                assert_eq!(s.add_modifier, theme.style(role).add_modifier);
            }
        }
        assert_eq!(theme.clone().for_depth(ColorDepth::TrueColor), theme);
    }

    #[test]
    fn downgrading_keeps_text_readable() {
        let style = Style::new()
            .fg(Color::Rgb(250, 250, 250))
            .bg(Color::Rgb(255, 255, 255));
        let low = downgrade_style(style, ColorDepth::Ansi16);
        assert_eq!(low.bg, Some(Color::White));
        assert_eq!(low.fg, Some(Color::Black));
    }

    #[test]
    fn mono_has_no_colours_and_keeps_meaning() {
        let mono = Theme::load("cmtrace").unwrap().for_depth(ColorDepth::Mono);
        assert_eq!(mono.name(), "mono");
        for &role in Role::ALL {
            let s = mono.style(role);
            assert!(s.fg.is_none() && s.bg.is_none(), "{role}: {s:?}");
        }
        let m = |r: Role| mono.style(r).add_modifier;
        assert!(m(Role::Error).contains(Modifier::BOLD | Modifier::REVERSED));
        assert!(m(Role::Warning).contains(Modifier::BOLD));
        assert!(m(Role::Selection).contains(Modifier::REVERSED));
        assert_ne!(m(Role::Error), m(Role::Warning));
        assert_ne!(m(Role::Warning), m(Role::Info));
        assert_ne!(m(Role::ChainRoot), m(Role::Normal));
        assert_ne!(m(Role::SearchMatch), m(Role::Normal));
    }

    #[test]
    fn severities_differ_in_every_builtin() {
        for name in Theme::builtin_names() {
            let t = Theme::load(name).unwrap();
            let (i, w, e) = (
                t.style(Role::Info),
                t.style(Role::Warning),
                t.style(Role::Error),
            );
            assert!(i != w && w != e && i != e, "{name}");
            assert_ne!(t.style(Role::Selection), t.style(Role::Normal), "{name}");
        }
    }

    #[test]
    fn default_is_dark() {
        assert_eq!(Theme::default(), Theme::load("dark").unwrap());
        assert_eq!(Theme::builtin_names()[0], "dark");
    }
}
