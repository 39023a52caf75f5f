//! One frame while following: a record is appended to a followed log and the screen drawn
//! through crossterm, as the explorer does ~30 to 250 times a second while a task sequence
//! writes (`../shared/bench/tail_latency.sh` measures the whole path). Split into what it
//! costs to build the frame (the view into a buffer), to find what changed, and to write it
//! out, so that a change to one shows in its own figure. Pane 200x50, as the harness uses.
//!
//! `cargo bench --bench follow_frame`

use std::cell::Cell;
use std::io::{self, Write};
use std::rc::Rc;
use std::sync::{LazyLock, Mutex};

use ratatui::backend::{Backend, CrosstermBackend, TestBackend};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::Terminal;
use tslens::follow::{Batch, FollowEvent};
use tslens::kb::RuleSet;
use tslens::log::{Log, Source};
use tslens::parse;
use tslens::source::{Encoding, SourceText};
use tslens::tui::theme::Theme;
use tslens::tui::{view, App, Loaded, Msg, Options};

mod support;

const COLS: u16 = 200;
const ROWS: u16 = 50;

fn main() {
    divan::main();
}

/// A followed app on 64 KB of records, and the records still to come, one batch each.
struct Live {
    app: App,
    stream: usize,
    next: Vec<Batch>,
}

static LIVE: LazyLock<Mutex<Live>> = LazyLock::new(|| {
    let text = support::synthetic(8 << 20);
    let framed = parse::frame(&text, 0, text.len(), 1, true);
    let cut = framed
        .records
        .iter()
        .position(|r| r.start >= 64 << 10)
        .expect("more than 64 KB of records");
    let head = framed.records[cut].start as usize;
    let mut next = Vec::new();
    for (i, r) in framed.records.iter().enumerate().skip(cut) {
        let start = r.start as usize;
        let end = framed
            .records
            .get(i + 1)
            .map_or(text.len(), |n| n.start as usize);
        let bytes = text[start..end].to_vec();
        let records = parse::frame(&bytes, 0, bytes.len(), r.line, true).records;
        next.push(Batch {
            text: bytes,
            records,
            first_line: r.line,
            offset: start as u64,
            encoding: Encoding::Utf8,
            provisional: false,
            replaces: false,
        });
    }
    next.reverse();
    let log = Log::from_sources(vec![Source::index(SourceText::from_vec(
        "smsts.log".into(),
        text[..head].to_vec(),
    ))]);
    let loaded = Loaded::new(log, &RuleSet::builtin());
    let theme = Theme::load("dark").expect("built-in theme");
    let mut app = App::new(loaded, theme, &Options { follow: true });
    app.update(Msg::Resize(COLS, ROWS));
    let stream = app.add_stream(Some(0), "smsts.log");
    Mutex::new(Live { app, stream, next })
});

impl Live {
    /// Appends the next record, as one follower event.
    fn step(&mut self) {
        let Some(batch) = self.next.pop() else {
            return;
        };
        self.app.update(Msg::Follow {
            stream: self.stream,
            event: FollowEvent::Records {
                source: "smsts.log".into(),
                batch,
            },
        });
    }
}

/// Counts what a frame writes to the terminal.
#[derive(Default)]
struct Count(Rc<Cell<usize>>);

impl Write for Count {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0.set(self.0.get() + buf.len());
        Ok(buf.len())
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// The whole frame: a record appended, the view drawn, what changed written through
/// crossterm (to a byte counter instead of a terminal).
#[divan::bench]
fn append_and_draw(bencher: divan::Bencher) {
    let mut live = LIVE.lock().expect("lock");
    let mut term = Terminal::new(CrosstermBackend::new(Count::default())).expect("terminal");
    term.resize(Rect::new(0, 0, COLS, ROWS)).expect("resize");
    bencher.bench_local(|| {
        live.step();
        term.draw(|f| view(&live.app, f)).expect("draw");
    });
}

/// Building the frame alone: the view into a buffer, nothing compared or written.
#[divan::bench]
fn view_only(bencher: divan::Bencher) {
    let mut live = LIVE.lock().expect("lock");
    let mut term = Terminal::new(TestBackend::new(COLS, ROWS)).expect("terminal");
    bencher.bench_local(|| {
        live.step();
        let mut frame = term.get_frame();
        view(&live.app, &mut frame);
    });
}

/// Finding what changed between two following frames, and writing it through crossterm.
#[divan::bench]
fn diff_and_write(bencher: divan::Bencher) {
    let mut live = LIVE.lock().expect("lock");
    let mut term = Terminal::new(TestBackend::new(COLS, ROWS)).expect("terminal");
    let mut frames: Vec<Buffer> = Vec::new();
    for _ in 0..2 {
        live.step();
        term.draw(|f| view(&live.app, f)).expect("draw");
        frames.push(term.backend().buffer().clone());
    }
    let count = Count::default();
    let bytes = count.0.clone();
    let mut out = CrosstermBackend::new(count);
    out.draw(frames[0].diff(&frames[1]).into_iter())
        .expect("write");
    eprintln!("bytes written for one following frame: {}", bytes.get());
    bencher.bench_local(|| {
        let diff = frames[0].diff(&frames[1]);
        out.draw(diff.into_iter()).expect("write");
    });
}

/// Appending a record alone, nothing drawn.
#[divan::bench]
fn append_only(bencher: divan::Bencher) {
    let mut live = LIVE.lock().expect("lock");
    bencher.bench_local(|| live.step());
}
