//! The explorer's answers on a big log, driven headless the way the runtime drives it:
//! loading (framing; the first frame of the whole log with the overview strip, before the
//! analysis; the analysis and its frame), a time jump, a filter change, an exclude filter
//! and a filter switched off in the pane.
//!
//! "Answer" is from the key to the next frame drawn (on ratatui's TestBackend): `update`
//! plus one draw. Filtering goes on after the answer in time-boxed slices between keys;
//! "done" is when the last slice ends and "longest slice" bounds how long a key typed
//! meanwhile waits. Medians over `TSLENS_BENCH_RUNS` (default 5) repeats.
//!
//! `TSLENS_BENCH_LOG=/tmp/smsts-1g.log cargo bench --bench explorer` (the file from
//! `gen_smsts.py --size 1G`); without it, a synthetic 50 MB log built here.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use tslens::engine::Engine;
use tslens::kb::RuleSet;
use tslens::source::Input;
use tslens::tui::load::{load_full, LoadMsg};
use tslens::tui::theme::Theme;
use tslens::tui::{view, App, Loaded, Msg, Options};

mod support;

/// The runtime's slice of background work between two looks at the keyboard.
const WORK_SLICE: Duration = Duration::from_millis(8);

fn main() {
    let runs: usize = std::env::var("TSLENS_BENCH_RUNS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(5);
    let (path, _keep) = match std::env::var_os("TSLENS_BENCH_LOG") {
        Some(p) => (PathBuf::from(p), None),
        None => {
            let dir = tempfile::tempdir().expect("temporary folder");
            let p = dir.path().join("bench.log");
            std::fs::write(&p, support::synthetic(50 << 20)).expect("write the log");
            (p, Some(dir))
        }
    };
    println!("log: {} ({} MB)", path.display(), size_mb(&path));
    let engine = Engine::new(RuleSet::builtin());

    // Loading, as the explorer's worker does it; the first load warms the page cache.
    let mut index = Vec::new();
    let mut overview = Vec::new();
    let mut loaded_at = Vec::new();
    let mut analysed = Vec::new();
    let mut app = None;
    for run in 0..runs.min(3) + 1 {
        let l = load(&engine, &path);
        if run > 0 {
            index.push(l.indexed);
            overview.push(l.overview);
            loaded_at.push(l.loaded);
            analysed.push(l.analysed);
        }
        app = Some(l.app);
    }
    let Some(mut app) = app else { return };
    let mut term = Terminal::new(TestBackend::new(200, 50)).expect("terminal");
    println!("records: {}", app.log.len());
    report("load: indexed", &index);
    report(
        "load: first frame of the whole log with the overview (errors, warnings)",
        &overview,
    );
    report("load: analysed, tables built", &loaded_at);
    report(
        "load: frame with the analysis (chains, findings, steps on the overview)",
        &analysed,
    );
    ratio("overview ready / indexed", &overview, &index);
    ratio("analysis in / indexed", &analysed, &index);

    // Time jumps across the log, on the clock of its records.
    let times = clock_times(&app, runs.max(5));
    let mut jump = Vec::new();
    for t in &times {
        typed(&mut app, &format!(":{t}"));
        jump.push(answer(&mut app, &mut term, enter()));
    }
    report("time jump (: then a clock time)", &jump);

    // A filter added, an exclude added, each then dropped with x; a filter switched off
    // and on again in the pane.
    for (name, spec) in [
        ("include filter (&Instruction name)", "&Instruction name"),
        (
            "exclude filter (-^Set a global environment variable)",
            "-^Set a global environment variable",
        ),
        (
            "exclude with look-ahead (fancy-regex)",
            "-^Set a global environment variable (?!_SMSTSAdvertID)",
        ),
    ] {
        let (mut ans, mut done, mut slice, mut clear) = (vec![], vec![], vec![], vec![]);
        for _ in 0..runs {
            typed(&mut app, spec);
            let t0 = Instant::now();
            ans.push(answer(&mut app, &mut term, enter()));
            let longest = drain(&mut app);
            done.push(t0.elapsed());
            slice.push(longest);
            clear.push(answer(&mut app, &mut term, ch('x')));
            drain(&mut app);
        }
        report(&format!("{name}: answer"), &ans);
        report(&format!("{name}: done"), &done);
        report(&format!("{name}: longest slice"), &slice);
        report(&format!("{name}: x drops it, answer"), &clear);
    }
    typed(&mut app, "-^Set a global environment variable");
    answer(&mut app, &mut term, enter());
    drain(&mut app);
    answer(&mut app, &mut term, ch('f'));
    let (mut off, mut on) = (vec![], vec![]);
    for _ in 0..runs {
        off.push(answer(&mut app, &mut term, ch(' ')));
        drain(&mut app);
        on.push(answer(&mut app, &mut term, ch(' ')));
        drain(&mut app);
    }
    report("pane: Space switches the exclude off, answer", &off);
    report("pane: Space switches it on again, answer", &on);
}

fn size_mb(path: &PathBuf) -> u64 {
    std::fs::metadata(path).map_or(0, |m| m.len() >> 20)
}

/// What loading took, from the start: framing done, the first frame of the whole log
/// ([`LoadMsg::Indexed`] drawn), the analysis arrived, and its frame drawn.
struct Load {
    indexed: Duration,
    overview: Duration,
    loaded: Duration,
    analysed: Duration,
    app: App,
}

/// Loads the log on a worker as the explorer does, drawing a frame for each of the
/// worker's two deliveries as the runtime would.
fn load(engine: &Engine, path: &std::path::Path) -> Load {
    let (tx, rx) = crossbeam_channel::unbounded();
    let inputs = vec![Input::File(path.to_path_buf())];
    let t0 = Instant::now();
    let mut term = Terminal::new(TestBackend::new(200, 50)).expect("terminal");
    std::thread::scope(|s| {
        s.spawn(|| load_full(&inputs, engine, &tx, &[]));
        let mut indexed = None;
        let mut overview = None;
        let mut app: Option<App> = None;
        loop {
            match rx.recv() {
                Ok(LoadMsg::Analysing) => indexed = Some(t0.elapsed()),
                Ok(LoadMsg::Progress { .. }) => {}
                Ok(LoadMsg::Indexed(l)) => {
                    let theme = Theme::load("dark").expect("built-in theme");
                    let mut a = App::new(*l, theme, &Options::default());
                    a.update(Msg::Resize(200, 50));
                    term.draw(|f| view(&a, f)).expect("draw");
                    overview = Some(t0.elapsed());
                    app = Some(a);
                }
                Ok(LoadMsg::Done(l)) => {
                    let loaded = t0.elapsed();
                    let mut a = match app.take() {
                        Some(a) => a,
                        None => App::new(
                            Loaded::new(
                                tslens::log::Log::from_sources(Vec::new()),
                                &RuleSet::empty(),
                            ),
                            Theme::load("dark").expect("built-in theme"),
                            &Options::default(),
                        ),
                    };
                    a.update(Msg::Load(LoadMsg::Done(l)));
                    a.update(Msg::Resize(200, 50));
                    term.draw(|f| view(&a, f)).expect("draw");
                    let analysed = t0.elapsed();
                    return Load {
                        indexed: indexed.unwrap_or(loaded),
                        overview: overview.unwrap_or(analysed),
                        loaded,
                        analysed,
                        app: a,
                    };
                }
                Ok(LoadMsg::Failed(e)) => panic!("load failed: {e}"),
                Err(_) => panic!("the loader stopped"),
            }
        }
    })
}

fn ch(c: char) -> KeyEvent {
    KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE)
}

fn enter() -> KeyEvent {
    KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE)
}

/// Types the characters of `s` (a prompt's opening key and its text).
fn typed(app: &mut App, s: &str) {
    for c in s.chars() {
        app.update(Msg::Key(ch(c)));
    }
}

/// From the key to the next frame.
fn answer(app: &mut App, term: &mut Terminal<TestBackend>, key: KeyEvent) -> Duration {
    let t0 = Instant::now();
    app.update(Msg::Key(key));
    term.draw(|f| view(app, f)).expect("draw");
    t0.elapsed()
}

/// Runs the pending work in the runtime's slices; returns the longest slice.
fn drain(app: &mut App) -> Duration {
    let mut longest = Duration::ZERO;
    loop {
        let t0 = Instant::now();
        let more = app.work(WORK_SLICE);
        longest = longest.max(t0.elapsed());
        if !more {
            return longest;
        }
    }
}

/// `n` clock times spread over the log, from its records' own times.
fn clock_times(app: &App, n: usize) -> Vec<String> {
    let len = app.log.len();
    (1..=n)
        .filter_map(|k| {
            let pos = len * k / (n + 1);
            let r = app.log.at(pos);
            app.log.fields(r).timestamp()
        })
        .map(|t| t.local.format("%H:%M:%S").to_string())
        .collect()
}

fn median(v: &[Duration]) -> Duration {
    let mut v = v.to_vec();
    v.sort();
    v.get(v.len() / 2).copied().unwrap_or_default()
}

/// The median of the runs' ratios `a / b`.
fn ratio(what: &str, a: &[Duration], b: &[Duration]) {
    let r: Vec<Duration> = a
        .iter()
        .zip(b)
        .map(|(a, b)| Duration::from_secs_f64(a.as_secs_f64() / b.as_secs_f64()))
        .collect();
    println!("  {what}: {:.2}x (median)", median(&r).as_secs_f64());
}

fn report(what: &str, v: &[Duration]) {
    let max = v.iter().max().copied().unwrap_or_default();
    println!(
        "  {what}: median {:.1} ms, max {:.1} ms ({} runs)",
        median(v).as_secs_f64() * 1e3,
        max.as_secs_f64() * 1e3,
        v.len()
    );
}
