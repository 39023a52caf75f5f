//! One frame of the explorer, with the overview strip and inline code names, drawn on
//! ratatui's TestBackend at several positions of a big log (issue 17's target and the
//! figures are in docs/explorer.md).
//!
//! The log is `TSLENS_BENCH_LOG` when set (e.g. the file from
//! `gen_smsts.py --size 1G --out /tmp/smsts-1g.log`), else a synthetic 20 MB log built here.

use std::path::PathBuf;
use std::sync::{LazyLock, Mutex};

use ratatui::backend::TestBackend;
use ratatui::Terminal;
use tslens::kb::RuleSet;
use tslens::log::{Log, Source};
use tslens::source::{Input, SourceText};
use tslens::tui::theme::Theme;
use tslens::tui::{view, App, Loaded, Msg, Options};

mod support;

fn main() {
    divan::main();
}

static APP: LazyLock<Mutex<App>> = LazyLock::new(|| {
    let log = match std::env::var_os("TSLENS_BENCH_LOG") {
        Some(p) => Log::open(&[Input::File(PathBuf::from(p))]).expect("cannot open the log"),
        None => Log::from_sources(vec![Source::index(SourceText::from_vec(
            "bench.log".into(),
            support::synthetic(20 << 20),
        ))]),
    };
    let loaded = Loaded::new(log, &RuleSet::builtin());
    let theme = Theme::load("dark").expect("built-in theme");
    let mut app = App::new(loaded, theme, &Options::default());
    app.update(Msg::Resize(200, 50));
    Mutex::new(app)
});

/// A frame with the cursor at a fraction of the log.
#[divan::bench(args = [0.0, 0.25, 0.5, 0.75, 1.0])]
fn frame(bencher: divan::Bencher, at: f64) {
    let mut app = APP.lock().expect("lock");
    app.prompt.search = None;
    let row = ((app.rows.len().saturating_sub(1)) as f64 * at) as usize;
    app.set_cursor(row, true);
    let mut term = Terminal::new(TestBackend::new(200, 50)).expect("terminal");
    bencher.bench_local(|| {
        // A fresh buffer each time, so that every frame is drawn whole, not diffed away.
        term.clear().expect("clear");
        term.draw(|f| view(&app, f)).expect("draw");
    });
}

/// A frame with a search highlighting matches on screen.
#[divan::bench]
fn frame_with_search(bencher: divan::Bencher) {
    let mut app = APP.lock().expect("lock");
    let row = app.rows.len() / 2;
    app.set_cursor(row, true);
    app.prompt.search = Some(tslens::tui::search::Search::new(
        tslens::tui::search::Pattern::new("variable").expect("pattern"),
    ));
    let mut term = Terminal::new(TestBackend::new(200, 50)).expect("terminal");
    bencher.bench_local(|| {
        term.clear().expect("clear");
        term.draw(|f| view(&app, f)).expect("draw");
    });
    app.prompt.search = None;
}
