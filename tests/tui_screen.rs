//! The screen the explorer keeps of the terminal (`tui::screen`): a frame keeps the log
//! rows the terminal already shows instead of drawing them again, so after any sequence of
//! records, keys, analyses, replaced records, markers and resizes, what it believes the
//! terminal shows must be, cell for cell, the frame drawn whole from the same state.

#![allow(clippy::unwrap_used)]

mod tui_support;

use proptest::prelude::*;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::Terminal;
use tslens::follow::{Batch, FollowEvent};
use tslens::tui::screen::Screen;
use tslens::tui::theme::Theme;
use tslens::tui::{view, App, Loaded, Msg, Options};
use tui_support::*;

/// What happens between two frames.
#[derive(Clone, Debug)]
enum Step {
    /// Records appended, as one batch.
    Append(u32),
    /// A record shown provisionally, then the same record whole (`replaces`).
    CutRecord,
    /// Keys typed.
    Keys(&'static str),
    /// The live analysis brought up to date.
    Analyse,
    /// The followed file was truncated (a marker on the next record's row).
    Truncated,
    /// The terminal's new size.
    Resize(u16, u16),
}

const KEYS: &[&str] = &[
    "j",
    "k",
    "G",
    "g",
    "F",
    "m",
    "U",
    "<space>",
    "l",
    "h",
    "0",
    "i",
    "<esc>",
    "<pgup>",
    "<pgdn>",
    "<tab>",
    "p",
    "t",
    "v",
    "/record 1<ret>",
    "+live<ret>",
    "x",
    "Z",
    "e",
    "?",
    "<esc>",
];

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        6 => (1..6u32).prop_map(Step::Append),
        1 => Just(Step::CutRecord),
        4 => prop::sample::select(KEYS).prop_map(Step::Keys),
        1 => Just(Step::Analyse),
        1 => Just(Step::Truncated),
        1 => (60..200u16, 12..50u16).prop_map(|(w, h)| Step::Resize(w, h)),
    ]
}

/// The records a live task sequence adds: plain ones, errors with a code, warnings, wide
/// characters and long messages, so that rows differ in every column.
fn live_record(i: u32) -> String {
    match i % 7 {
        0 => rec(
            i,
            "TSManager",
            3,
            100,
            &format!("Failed to run step {i}, hr=0x80070005"),
        ),
        1 => rec(
            i,
            "OSDDiskPart",
            2,
            300,
            &format!("live record {i} retrying"),
        ),
        2 => rec(
            i,
            "TSManager",
            1,
            100,
            &format!("live record {i} 日本語 wide"),
        ),
        3 => rec(
            i,
            "InstallSoftware",
            1,
            4420,
            &format!("live record {i} {}", "long text ".repeat(30)),
        ),
        _ => rec(i, "TSManager", 1, 100, &format!("live record {i}")),
    }
}

/// A followed app and where its file stands.
struct Live {
    app: App,
    stream: usize,
    next: u32,
    line: u32,
    offset: u64,
}

impl Live {
    fn new() -> Live {
        let text = synthetic();
        let lines = text.matches('\n').count() as u32;
        let loaded = Loaded::new(log_from("smsts.log", &text), &rules());
        let theme = Theme::load("dark").unwrap();
        let mut app = App::new(loaded, theme, &Options { follow: true });
        app.update(Msg::Resize(120, 40));
        let stream = app.add_stream(Some(0), "smsts.log");
        Live {
            app,
            stream,
            next: 1000,
            line: lines + 1,
            offset: text.len() as u64,
        }
    }

    fn send(&mut self, batch: Batch) {
        self.app.update(Msg::Follow {
            stream: self.stream,
            event: FollowEvent::Records {
                source: "smsts.log".into(),
                batch,
            },
        });
    }

    fn apply(&mut self, step: &Step) {
        match step {
            Step::Append(n) => {
                let text: String = (self.next..self.next + n).map(live_record).collect();
                self.send(follow_batch(&text, self.line, self.offset, false, false));
                self.next += n;
                self.line += text.matches('\n').count() as u32;
                self.offset += text.len() as u64;
            }
            Step::CutRecord => {
                let text = live_record(self.next);
                let half = text.len() / 2;
                self.send(follow_batch(
                    &text[..half],
                    self.line,
                    self.offset,
                    true,
                    false,
                ));
                self.send(follow_batch(&text, self.line, self.offset, false, true));
                self.next += 1;
                self.line += text.matches('\n').count() as u32;
                self.offset += text.len() as u64;
            }
            Step::Keys(k) => {
                keys(&mut self.app, k);
            }
            Step::Analyse => self.app.reanalyse(&rules()),
            Step::Truncated => {
                self.app.update(Msg::Follow {
                    stream: self.stream,
                    event: FollowEvent::Truncated {
                        path: "smsts.log".into(),
                    },
                });
            }
            Step::Resize(w, h) => {
                self.app.update(Msg::Resize(*w, *h));
            }
        }
    }
}

/// The frame drawn whole into a blank buffer: what ratatui's terminal keeps as the screen
/// after a frame (not what its test backend received: a wide symbol's second cell is never
/// sent).
fn whole(app: &App, area: Rect) -> Buffer {
    let mut t = Terminal::new(TestBackend::new(area.width, area.height)).unwrap();
    let mut f = t.get_frame();
    view(app, &mut f);
    f.buffer_mut().clone()
}

fn text_of(b: &Buffer) -> String {
    let mut s = String::new();
    for y in 0..b.area.height {
        for x in 0..b.area.width {
            s.push_str(b[(x, y)].symbol());
        }
        s.push('\n');
    }
    s
}

fn check(steps: &[Step]) {
    let mut live = Live::new();
    let mut screen = Screen::new(Rect::new(0, 0, 120, 40));
    screen.frame(&live.app);
    for (i, s) in steps.iter().enumerate() {
        live.apply(s);
        if let Step::Resize(w, h) = s {
            screen.resize(Rect::new(0, 0, *w, *h));
        }
        screen.frame(&live.app);
        let want = whole(&live.app, screen.area());
        let got = &screen.shown();
        let first = (got.area == want.area)
            .then(|| {
                got.content
                    .iter()
                    .zip(&want.content)
                    .position(|(a, b)| a != b)
            })
            .flatten();
        assert!(
            *got == want,
            "after step {i} ({s:?}) of {steps:?}\nfirst cell that differs: {:?}\nkept:\n{}\nwhole:\n{}",
            first.map(|p| (p, &got.content[p], &want.content[p])),
            text_of(got),
            text_of(&want)
        );
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Whatever happens between frames, the screen is the frame drawn whole.
    #[test]
    fn the_screen_is_the_frame_drawn_whole(steps in prop::collection::vec(step(), 1..40)) {
        check(&steps);
    }
}

/// Following at the end: most rows are kept, and still each frame is the whole one.
#[test]
fn a_followed_log_keeps_its_rows_and_shows_every_record() {
    let mut steps = Vec::new();
    for i in 0..60 {
        steps.push(Step::Append(1 + i % 4));
        if i % 20 == 19 {
            steps.push(Step::Analyse);
        }
    }
    check(&steps);
}
