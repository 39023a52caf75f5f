//! The explorer's share of a follow cycle, as it runs while a task sequence writes: a batch
//! of records appended to a followed log, and the frame that shows them (drawn, compared
//! with the screen, its bytes gathered), the way the runtime does it. Pane 200x50, as
//! `../shared/bench/tail_latency.sh` uses. Made to be counted by callgrind, whose
//! instruction counts do not depend on the machine's other work:
//!
//! ```text
//! cargo bench --bench follow_cycle --no-run
//! valgrind --tool=callgrind target/release/deps/follow_cycle-* 0 3
//! valgrind --tool=callgrind target/release/deps/follow_cycle-* 1000 3
//! ```
//!
//! Arguments: the cycles to run (the difference between two counts is what that many
//! cycles cost, the set-up left out), the records per batch (3 at a 3 ms read pace and
//! 1,000 records a second), and `whole` to draw every frame whole (nothing kept from the
//! screen: what a frame cost before the screen kept rows). The live analysis runs every 80 cycles, as it would every
//! 250 ms. The log is `TSLENS_BENCH_LOG` when set (e.g. `gen_smsts.py --size 8M`), else a
//! synthetic one; its first 64 KB are loaded, the rest is appended.

use ratatui::layout::Rect;
use tslens::follow::{Batch, FollowEvent};
use tslens::kb::RuleSet;
use tslens::log::{Log, Source};
use tslens::parse;
use tslens::source::{Encoding, SourceText};
use tslens::tui::screen::Screen;
use tslens::tui::theme::Theme;
use tslens::tui::{App, Loaded, Msg, Options};

mod support;

const COLS: u16 = 200;
const ROWS: u16 = 50;
/// Cycles between two runs of the live analysis.
const ANALYSIS_EVERY: usize = 80;

fn main() {
    let mut args = std::env::args().skip(1).filter(|a| !a.starts_with('-'));
    let cycles: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(1000);
    let per: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(3).max(1);
    let whole = args.next().is_some_and(|a| a == "whole");
    let text = match std::env::var_os("TSLENS_BENCH_LOG") {
        Some(p) => std::fs::read(p).expect("cannot read TSLENS_BENCH_LOG"),
        None => support::synthetic(8 << 20),
    };
    let framed = parse::frame(&text, 0, text.len(), 1, true);
    let cut = framed
        .records
        .iter()
        .position(|r| r.start >= 64 << 10)
        .expect("more than 64 KB of records");
    let mut batches = Vec::new();
    let mut i = cut;
    while i < framed.records.len() && batches.len() <= cycles {
        let j = (i + per).min(framed.records.len());
        let start = framed.records[i].start as usize;
        let end = framed
            .records
            .get(j)
            .map_or(text.len(), |n| n.start as usize);
        let bytes = text[start..end].to_vec();
        let line = framed.records[i].line;
        let records = parse::frame(&bytes, 0, bytes.len(), line, true).records;
        batches.push(Batch {
            text: bytes,
            records,
            first_line: line,
            offset: start as u64,
            encoding: Encoding::Utf8,
            provisional: false,
            replaces: false,
        });
        i = j;
    }
    assert!(
        batches.len() > cycles,
        "the log is too short for {cycles} cycles"
    );
    batches.reverse();
    let head = framed.records[cut].start as usize;
    let log = Log::from_sources(vec![Source::index(SourceText::from_vec(
        "smsts.log".into(),
        text[..head].to_vec(),
    ))]);
    let rules = RuleSet::builtin();
    let loaded = Loaded::new(log, &rules);
    let theme = Theme::load("dark").expect("built-in theme");
    let mut app = App::new(loaded, theme, &Options { follow: true });
    app.update(Msg::Resize(COLS, ROWS));
    let stream = app.add_stream(Some(0), "smsts.log");
    let mut screen = Screen::new(Rect::new(0, 0, COLS, ROWS));
    let mut bytes = screen.frame(&app).bytes.len();
    for c in 0..cycles {
        let Some(batch) = batches.pop() else {
            break;
        };
        app.update(Msg::Follow {
            stream,
            event: FollowEvent::Records {
                source: "smsts.log".into(),
                batch,
            },
        });
        if c % ANALYSIS_EVERY == ANALYSIS_EVERY - 1 {
            app.reanalyse(&rules);
        }
        if whole {
            // As if anything had changed: no row is kept.
            app.view_gen += 1;
        }
        bytes += screen.frame(&app).bytes.len();
    }
    eprintln!("{cycles} cycles of {per} records: {bytes} bytes written");
}
