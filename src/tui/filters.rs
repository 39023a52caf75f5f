//! Which records are shown: a stack of include and exclude filters, each of which can be
//! switched off or removed without retyping it, and the highlights kept beside them.
//!
//! A record is shown when, for every kind of filter that has an include switched on, it
//! matches at least one of that kind's includes (two components: either; a component and a
//! regex: both), and it matches no exclude that is switched on.

use crate::log::Log;
use crate::parse::Severity;

use super::search::Pattern;
use crate::present::short_name;

/// What a filter tests.
#[derive(Clone, Debug)]
pub enum FilterKind {
    /// A regex over the message and component.
    Text(Pattern),
    /// A component, compared without case.
    Component(String),
    /// A thread.
    Thread(u32),
    /// At least this severity.
    Severity(Severity),
    /// One source of a merged log.
    Source(u32),
    /// A time window, as the merged positions it covers (`from..to`), with the text the
    /// user gave for it.
    Window {
        /// First position in the window.
        from: usize,
        /// First position after it.
        to: usize,
        /// How the user wrote it.
        label: String,
    },
}

impl FilterKind {
    /// A small number per kind, so that includes of one kind are or-ed.
    fn slot(&self) -> usize {
        match self {
            FilterKind::Text(_) => 0,
            FilterKind::Component(_) => 1,
            FilterKind::Thread(_) => 2,
            FilterKind::Severity(_) => 3,
            FilterKind::Source(_) => 4,
            FilterKind::Window { .. } => 5,
        }
    }

    fn needs_fields(&self) -> bool {
        matches!(
            self,
            FilterKind::Text(_) | FilterKind::Component(_) | FilterKind::Thread(_)
        )
    }

    /// The filter in a few words, without its include/exclude sign.
    pub fn describe(&self, log: &Log) -> String {
        match self {
            FilterKind::Text(p) => format!("/{}/", p.text),
            FilterKind::Component(c) => format!("component {c}"),
            FilterKind::Thread(t) => format!("thread {t}"),
            FilterKind::Severity(Severity::Error) => "errors".into(),
            FilterKind::Severity(_) => "warnings and errors".into(),
            FilterKind::Source(s) => {
                let name = log
                    .sources
                    .get(*s as usize)
                    .map(|s| short_name(&s.text.path))
                    .unwrap_or_default();
                format!("source {name}")
            }
            FilterKind::Window { label, .. } => format!("time {label}"),
        }
    }
}

/// One filter of the stack.
#[derive(Clone, Debug)]
pub struct Filter {
    /// What it tests.
    pub kind: FilterKind,
    /// Hides the records it matches instead of keeping only them.
    pub exclude: bool,
    /// Switched on.
    pub on: bool,
}

/// A highlight: records' text matching the pattern is coloured, whatever the filters show.
#[derive(Clone, Debug)]
pub struct Highlight {
    /// The pattern.
    pub pattern: Pattern,
    /// Which of the theme's highlight colours.
    pub colour: usize,
    /// Switched on.
    pub on: bool,
}

/// How many highlight colours the themes define.
pub const HIGHLIGHT_COLOURS: usize = 4;

/// The filter stack.
#[derive(Clone, Debug, Default)]
pub struct Filters {
    /// The filters, in the order they were added.
    pub list: Vec<Filter>,
}

impl Filters {
    /// True when any filter is switched on.
    pub fn active(&self) -> bool {
        self.list.iter().any(|f| f.on)
    }

    /// Adds a filter, switched on; the same filter given again is not added twice.
    pub fn add(&mut self, kind: FilterKind, exclude: bool) {
        if let Some(f) = self
            .list
            .iter_mut()
            .find(|f| f.exclude == exclude && same(&f.kind, &kind))
        {
            f.on = true;
            return;
        }
        self.list.push(Filter {
            kind,
            exclude,
            on: true,
        });
    }

    /// Removes the filters `pred` picks; true when one was removed.
    pub fn remove_where(&mut self, pred: impl Fn(&Filter) -> bool) -> bool {
        let n = self.list.len();
        self.list.retain(|f| !pred(f));
        self.list.len() != n
    }

    /// True when the record at `pos` passes the filters.
    pub fn pass(&self, log: &Log, pos: usize) -> bool {
        if pos >= log.len() {
            return false;
        }
        let r = log.at(pos);
        let meta = log.meta(r);
        let fields = if self.list.iter().any(|f| f.on && f.kind.needs_fields()) {
            Some(log.fields(r))
        } else {
            None
        };
        let test = |k: &FilterKind| -> bool {
            match k {
                FilterKind::Severity(min) => meta.severity() >= *min,
                FilterKind::Source(s) => r.source == *s,
                FilterKind::Window { from, to, .. } => (*from..*to).contains(&pos),
                FilterKind::Text(p) => fields.as_ref().is_some_and(|f| {
                    p.is_match_bytes(f.message) || f.component.is_some_and(|c| p.is_match_bytes(c))
                }),
                FilterKind::Component(c) => fields.as_ref().is_some_and(|f| {
                    f.component
                        .is_some_and(|fc| fc.eq_ignore_ascii_case(c.as_bytes()))
                }),
                FilterKind::Thread(t) => fields.as_ref().is_some_and(|f| f.thread == Some(*t)),
            }
        };
        let mut wanted = [false; 6];
        let mut met = [false; 6];
        for f in self.list.iter().filter(|f| f.on) {
            if f.exclude {
                if test(&f.kind) {
                    return false;
                }
            } else {
                let slot = f.kind.slot();
                wanted[slot] = true;
                if !met[slot] && test(&f.kind) {
                    met[slot] = true;
                }
            }
        }
        wanted.iter().zip(met).all(|(w, m)| !w || m)
    }

    /// A short description for the status line.
    pub fn describe(&self, log: &Log) -> String {
        self.list
            .iter()
            .filter(|f| f.on)
            .map(|f| {
                format!(
                    "{}{}",
                    if f.exclude { "-" } else { "+" },
                    f.kind.describe(log)
                )
            })
            .collect::<Vec<_>>()
            .join(" ")
    }
}

/// True when two filters test the same thing.
fn same(a: &FilterKind, b: &FilterKind) -> bool {
    match (a, b) {
        (FilterKind::Text(x), FilterKind::Text(y)) => x.text == y.text,
        (FilterKind::Component(x), FilterKind::Component(y)) => x.eq_ignore_ascii_case(y),
        (FilterKind::Thread(x), FilterKind::Thread(y)) => x == y,
        (FilterKind::Severity(x), FilterKind::Severity(y)) => x == y,
        (FilterKind::Source(x), FilterKind::Source(y)) => x == y,
        (FilterKind::Window { from: a, to: b, .. }, FilterKind::Window { from: c, to: d, .. }) => {
            a == c && b == d
        }
        _ => false,
    }
}
