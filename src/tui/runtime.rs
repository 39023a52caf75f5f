//! The terminal side: setting it up and always restoring it, the input and signal threads,
//! the loading worker, and the loop that feeds messages to the app and draws when needed.

use std::io::{BufWriter, IsTerminal, Stdout, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};
use crossbeam_channel::{bounded, never, select_biased, unbounded, Receiver, Sender};
use ratatui::backend::{Backend, CrosstermBackend};
use ratatui::crossterm::cursor::Show;
use ratatui::crossterm::event::{self, Event};
use ratatui::crossterm::execute;
use ratatui::crossterm::terminal::{
    self, EndSynchronizedUpdate, EnterAlternateScreen, LeaveAlternateScreen,
};
use ratatui::layout::Rect;
use ratatui::{Terminal, TerminalOptions, Viewport};

use crate::cli::ExploreArgs;
use crate::engine::Engine;
use crate::follow::{FollowEvent, FollowOptions, FollowTarget, Follower, Start, DEFAULT_POLL};
use crate::input::{self, Input};
use crate::kb::RuleSet;
use crate::source::SourceError;
use crate::tui::theme::{detect_color_depth, ColorDepth, Theme};

use super::app::{App, Effect, Msg, Options};
use super::load::{self, LoadMsg, Loaded, PREVIEW_BYTES};
use super::session;

/// The longest wait between two frames while something changes: a frame at least every
/// 33 ms, however costly frames are.
const FRAME_GAP: Duration = Duration::from_millis(33);
/// The shortest wait between two frames. A followed file's records come in batches paced
/// by its follower (see `follow::tail::BURST_PAUSE`); frames this close let each batch be
/// drawn as soon as it arrives.
const MIN_FRAME_GAP: Duration = Duration::from_millis(2);
/// The wait after a frame is at least this many times the CPU time frames take to draw and
/// write (a smoothed figure), so that drawing takes at most a tenth of a core whatever
/// feeds it. A link slow to take a frame (SSH) blocks the loop in its write meanwhile, and
/// what arrives then goes into the next frame.
const FRAME_SHARE: u32 = 10;
/// Bytes of a frame gathered before they go to the terminal: a frame leaves in one write,
/// not in one per colour change.
const OUT_BUFFER: usize = 256 << 10;
/// Work slices between checks for input.
const WORK_SLICE: Duration = Duration::from_millis(8);
/// While records arrive, the analysis is brought up to date at most this often: chains,
/// steps and findings stay current, and each run searches only the records that arrived.
const ANALYSIS_GAP: Duration = Duration::from_millis(250);
/// A run of the live analysis re-evaluates the rules over every record kept for them, which
/// grows with the log: the next run waits this many times as long as the last took, so the
/// analysis takes a bounded share of a core however long the log grows.
const ANALYSIS_SHARE: u32 = 20;
/// Follower events handled per turn of the loop, so that a flood still lets keys through.
const EVENTS_PER_TURN: usize = 64;

/// Mouse reporting: button presses and the wheel only (1000), in SGR encoding (1006). Any-
/// motion tracking (1003) would flood a slow link with events nobody uses.
const MOUSE_ON: &str = "\x1b[?1000h\x1b[?1006h";
const MOUSE_OFF: &str = "\x1b[?1006l\x1b[?1000l";

/// Exit status after a panic, as Rust's own runtime uses for a panicking main thread.
const PANIC_STATUS: i32 = 101;

/// True while the terminal is in the explorer's modes.
static ACTIVE: AtomicBool = AtomicBool::new(false);
/// True while the explorer captures the mouse (M gives it to the terminal).
static MOUSE: AtomicBool = AtomicBool::new(true);

/// Puts the terminal back as it was. Safe to call from anywhere, any number of times.
pub fn restore() {
    if !ACTIVE.swap(false, Ordering::SeqCst) {
        return;
    }
    let mut out = std::io::stdout();
    let _ = write!(out, "{MOUSE_OFF}");
    let _ = execute!(out, EndSynchronizedUpdate, LeaveAlternateScreen, Show);
    let _ = terminal::disable_raw_mode();
    let _ = out.flush();
}

/// Restores the terminal when dropped, whatever path leaves the explorer.
struct Guard;

impl Guard {
    fn enter() -> Result<Guard> {
        let prev = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            // The message must land on the normal screen, not the alternate one.
            restore();
            prev(info);
            // A panic on any thread (the loading worker, a follower) ends the program: the
            // screen would otherwise wait forever for a result that will never come, with
            // the terminal already given back.
            std::process::exit(PANIC_STATUS);
        }));
        terminal::enable_raw_mode().context("cannot put the terminal in raw mode")?;
        ACTIVE.store(true, Ordering::SeqCst);
        enter_modes()?;
        Ok(Guard)
    }
}

/// The alternate screen, and the mouse when it is captured (raw mode is set apart).
fn enter_modes() -> Result<()> {
    let mut out = std::io::stdout();
    execute!(out, EnterAlternateScreen).context("cannot open the alternate screen")?;
    if MOUSE.load(Ordering::SeqCst) {
        let _ = write!(out, "{MOUSE_ON}");
    }
    let _ = out.flush();
    Ok(())
}

/// Ctrl-Z: the shell's screen back, the process stopped as the shell expects; when `fg`
/// continues it, the explorer's modes again.
#[cfg(unix)]
fn suspend() -> Result<()> {
    restore();
    signal_hook::low_level::raise(signal_hook::consts::SIGTSTP)
        .context("cannot stop the process")?;
    // Here once continued.
    terminal::enable_raw_mode().context("cannot put the terminal in raw mode")?;
    ACTIVE.store(true, Ordering::SeqCst);
    enter_modes()
}

/// Windows consoles have no job control: say so instead.
#[cfg(not(unix))]
fn suspend() -> Result<()> {
    anyhow::bail!("this console has no job control")
}

impl Drop for Guard {
    fn drop(&mut self) {
        restore();
    }
}

/// What the other threads send to the loop.
enum FromTerminal {
    Event(Event),
    Gone,
}

fn spawn_input() -> Receiver<FromTerminal> {
    let (tx, rx) = unbounded();
    std::thread::spawn(move || loop {
        match event::read() {
            Ok(ev) => {
                if tx.send(FromTerminal::Event(ev)).is_err() {
                    break;
                }
            }
            Err(_) => {
                // The terminal is gone (an SSH drop): say so once and stop reading, rather
                // than spin on a dead descriptor.
                let _ = tx.send(FromTerminal::Gone);
                break;
            }
        }
    });
    rx
}

#[cfg(unix)]
fn spawn_signals() -> Result<Receiver<i32>> {
    use signal_hook::consts::{SIGHUP, SIGINT, SIGQUIT, SIGTERM};
    let mut signals = signal_hook::iterator::Signals::new([SIGTERM, SIGHUP, SIGINT, SIGQUIT])
        .context("cannot install signal handlers")?;
    let (tx, rx) = unbounded();
    std::thread::spawn(move || {
        if let Some(sig) = signals.forever().next() {
            let _ = tx.send(sig);
            // If the loop cannot answer (stuck writing to a dead terminal), leave anyway.
            std::thread::sleep(Duration::from_secs(2));
            restore();
            std::process::exit(128 + sig);
        }
    });
    Ok(rx)
}

#[cfg(not(unix))]
fn spawn_signals() -> Result<Receiver<i32>> {
    // On Windows, Ctrl-C arrives as a key in raw mode; closing the console ends the process.
    Ok(never())
}

/// What the explorer writes its frames to: standard output, with the 16 colours in their
/// old codes on a 16-colour terminal (see [`ansi16`](super::ansi16)).
type Out = Frames<super::ansi16::Ansi16<Stdout>>;

/// Bytes given to the terminal since the last frame (for `TSLENS_TIMINGS`).
static WRITTEN: AtomicUsize = AtomicUsize::new(0);

/// Bytes for the terminal, gathered until a flush (a frame is gathered whole before it
/// comes here, so that it leaves in one write).
struct Frames<W: Write> {
    buf: BufWriter<W>,
}

impl<W: Write> Write for Frames<W> {
    fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
        let n = self.buf.write(b)?;
        WRITTEN.fetch_add(n, Ordering::Relaxed);
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.buf.flush()
    }
}

/// Loads the theme as the terminal can show it.
fn load_theme(name: Option<&str>) -> Result<Theme> {
    let depth = terminal_depth();
    let theme = match name {
        Some(n) => {
            // A bare name that is not built in may be one of the user's own themes.
            let user = crate::config::user_theme_dir()
                .map(|d| d.join(format!("{n}.toml")))
                .filter(|p| !n.contains(['/', '\\']) && p.is_file());
            match user {
                Some(p) if !Theme::builtin_names().contains(&n) => {
                    Theme::load(&p.to_string_lossy())?
                }
                _ => Theme::load(n)?,
            }
        }
        None => Theme::default(),
    };
    Ok(theme.for_depth(depth))
}

/// The terminal's colour depth, from the environment.
fn terminal_depth() -> ColorDepth {
    detect_color_depth(&|k| std::env::var(k).ok())
}

/// What the command line asks to follow, split from what is only read.
struct Plan {
    /// Inputs read (and indexed) before following starts, in log source order.
    load: Vec<Input>,
    /// Per input of `load`: followed from where loading stopped.
    followed: Vec<bool>,
    /// Per input of `load`: a file named on the command line (or a folder's live
    /// `smsts.log`), which `F` follows in a log opened without `--follow`.
    followable: Vec<bool>,
    /// Folders whose live `smsts.log` is followed (given with `--follow`).
    dirs: Vec<PathBuf>,
    /// Files named with `--follow` that do not exist yet: followed from their first byte
    /// once they appear.
    waiting: Vec<PathBuf>,
    /// Standard input streams into the log.
    stdin: bool,
    /// The stat poll interval.
    poll: Duration,
    /// Bundle entries left out, one line each.
    skipped: Vec<String>,
}

impl Plan {
    fn any(&self) -> bool {
        self.stdin
            || !self.dirs.is_empty()
            || !self.waiting.is_empty()
            || self.followed.iter().any(|f| *f)
    }
}

/// True for a folder's live task-sequence log, which a folder follower reads itself.
fn is_live_smsts(path: &Path) -> bool {
    path.file_name()
        .is_some_and(|n| n.to_string_lossy().eq_ignore_ascii_case("smsts.log"))
}

fn plan(args: &ExploreArgs) -> Result<Plan> {
    let mut p = Plan {
        load: Vec::new(),
        followed: Vec::new(),
        followable: Vec::new(),
        dirs: Vec::new(),
        waiting: Vec::new(),
        stdin: false,
        poll: args
            .poll
            .map_or(DEFAULT_POLL, |ms| Duration::from_millis(ms.max(10))),
        skipped: Vec::new(),
    };
    let opts = input::Options {
        siblings: !args.no_siblings,
    };
    for arg in &args.paths {
        if arg == "-" {
            // Standard input always streams: a pipe may never end.
            p.stdin = true;
            continue;
        }
        let one = std::slice::from_ref(arg);
        let path = Path::new(arg);
        if args.follow && !path.exists() {
            // A task sequence that has not started yet: wait for its log or its folder.
            if input::names_a_folder(arg) {
                p.dirs.push(PathBuf::from(arg));
            } else {
                p.waiting.push(PathBuf::from(arg));
            }
            continue;
        }
        if args.follow && path.is_dir() {
            p.dirs.push(PathBuf::from(arg));
            // The folder's other logs (rolled copies, other components) are read once; a
            // folder with none yet is fine, its smsts.log is waited for.
            let files = match input::resolve(one, opts) {
                Ok(r) => {
                    p.skipped.extend(r.skipped);
                    r.inputs
                }
                Err(SourceError::EmptyDir { .. }) => Vec::new(),
                Err(e) => return Err(e.into()),
            };
            for f in files {
                if !matches!(&f, Input::File(path) if is_live_smsts(path)) {
                    p.load.push(f);
                    p.followed.push(false);
                    p.followable.push(false);
                }
            }
            continue;
        }
        let resolved = input::resolve(one, opts)?;
        p.skipped.extend(resolved.skipped);
        for f in resolved.inputs {
            // Only the file named is followed: its rolled siblings and bundles are read once.
            // A FIFO or `<(cmd)` cannot be reopened and followed by name: it is read as the
            // stream it is, to its end.
            let named = matches!(&f, Input::File(q) if q == path && q.is_file());
            // `F` on a folder opened without `--follow` follows the smsts.log in it.
            let live_in_folder = path.is_dir()
                && matches!(&f, Input::File(q) if is_live_smsts(q) && q.parent() == Some(path) && q.is_file());
            p.load.push(f);
            p.followed.push(args.follow && named);
            p.followable.push(named || live_in_folder);
        }
    }
    Ok(p)
}

/// Opens the explorer on the inputs and runs it until the user quits. Returns the exit
/// status: 0, or 128 + n after signal n, as a shell reports a process a signal ended.
pub fn run(args: &ExploreArgs, rules: RuleSet) -> Result<u8> {
    let engine = Arc::new(Engine::new(rules));
    // Everything that can fail on bad input fails here, before the screen opens.
    let theme = load_theme(args.theme.as_deref())?;
    if !std::io::stdout().is_terminal() {
        bail!("standard output is not a terminal; `tslens report FILE` prints the diagnosis");
    }
    let plan = plan(args)?;
    if plan.stdin && std::io::stdin().is_terminal() {
        bail!("`-` reads a log from standard input, which is a terminal here: pipe one in");
    }
    let opts = Options {
        follow: args.follow,
    };
    let preview = load::preview(&plan.load, args.follow, PREVIEW_BYTES)?;
    let (load_tx, load_rx) = unbounded();
    // The worker waits for the first frame: on a small machine it would otherwise take the
    // cores the first screen needs.
    let (go_tx, go_rx) = bounded::<()>(1);
    // A followed file is loaded by the worker in any case: it must be read into memory,
    // not mapped, and cut where its follower takes over.
    let needs_worker = !preview.complete || plan.followed.iter().any(|f| *f);
    let mut app = if needs_worker {
        let app = App::from_preview(preview, theme, &opts);
        let inputs = plan.load.clone();
        let followed = plan.followed.clone();
        let engine = engine.clone();
        std::thread::spawn(move || {
            if go_rx.recv().is_ok() {
                load::load_full(&inputs, &engine, &load_tx, &followed);
            }
        });
        app
    } else {
        App::new(Loaded::with(preview.log, &engine), theme, &opts)
    };
    let files: Vec<PathBuf> = plan
        .load
        .iter()
        .filter_map(|i| match i {
            Input::File(p) => Some(p.clone()),
            _ => None,
        })
        .collect();
    // A session belongs to files; a pipe or a followed folder has none to come back to.
    let session_path = if plan.stdin || !plan.dirs.is_empty() {
        None
    } else {
        session::path_for(&files)
    };
    if let Some(saved) = session_path.as_deref().and_then(session::load) {
        if needs_worker {
            app.load.session_pending = Some(saved);
        } else {
            app.restore(&saved);
        }
    }
    if let Some(notice) = super::app::skipped_notice(&plan.skipped) {
        app.notice = Some(notice);
    }
    // What `R` reads again, and `F` follows: the files opened without following.
    let reload = (!plan.any()).then(|| (plan.load.clone(), plan.followable.clone(), plan.poll));
    let mut live = Live::new(plan, engine.clone());
    if !needs_worker {
        // Nothing to wait for: the streams start with the screen.
        live.start(&mut app, &[]);
    }

    let guard = Guard::enter()?;
    let out = Frames {
        buf: BufWriter::with_capacity(
            OUT_BUFFER,
            super::ansi16::Ansi16::new(std::io::stdout(), terminal_depth() == ColorDepth::Ansi16),
        ),
    };
    let backend = CrosstermBackend::new(out);
    let size = backend.size().context("cannot read the terminal size")?;
    // A fixed viewport, resized when the terminal says it changed: a full-screen one asks
    // the terminal for its size before every frame (opening /dev/tty each time).
    let mut terminal = Terminal::with_options(
        backend,
        TerminalOptions {
            viewport: Viewport::Fixed(Rect::new(0, 0, size.width, size.height)),
        },
    )
    .context("cannot open the terminal")?;
    app.update(Msg::Resize(size.width, size.height));
    let mut screen = Screen::new(Rect::new(0, 0, size.width, size.height));
    let mut reloader = Reloader {
        inputs: reload,
        engine,
    };
    let result = event_loop(
        &mut terminal,
        &mut screen,
        &mut app,
        load_rx,
        go_tx,
        &mut live,
        &mut reloader,
    );
    drop(terminal);
    drop(guard);
    screen.times.report();
    if let Some(path) = &session_path {
        // A session the loader never got to put back is kept as it was.
        let keep = app
            .load
            .session_pending
            .take()
            .unwrap_or_else(|| app.session());
        if let Err(e) = session::save(path, &keep) {
            eprintln!(
                "tslens: cannot save the session to {}: {}",
                crate::sanitize::one_line(&path.display().to_string()),
                e
            );
        }
    }
    Ok(match result? {
        Some(sig) => u8::try_from(128 + sig).unwrap_or(u8::MAX),
        None => 0,
    })
}

/// The followers and when the live analysis last ran.
struct Live {
    plan: Option<Plan>,
    engine: Arc<Engine>,
    followers: Vec<Follower>,
    /// Every follower's events, tagged with the app's stream number.
    events: Receiver<(usize, FollowEvent)>,
    events_tx: Sender<(usize, FollowEvent)>,
    /// Following has started: the live analysis runs.
    started: bool,
    last_run: Option<Instant>,
    /// The wait between two runs ([`ANALYSIS_GAP`], or more after a costly run).
    gap: Duration,
}

impl Live {
    fn new(plan: Plan, engine: Arc<Engine>) -> Live {
        // Bounded: a screen that falls behind slows the followers, which slow their reads.
        let (events_tx, events) = bounded(EVENTS_PER_TURN);
        Live {
            plan: plan.any().then_some(plan),
            engine,
            followers: Vec::new(),
            events,
            events_tx,
            started: false,
            last_run: None,
            gap: ANALYSIS_GAP,
        }
    }

    /// Starts following, once the log is loaded: each followed file from where loading
    /// stopped (`resume`, per source), folders and standard input from their start.
    fn start(&mut self, app: &mut App, resume: &[Option<(u64, u32)>]) {
        let Some(plan) = self.plan.take() else {
            return;
        };
        let base = FollowOptions {
            poll: plan.poll,
            ..FollowOptions::default()
        };
        let mut targets = Vec::new();
        for (i, input) in plan.load.iter().enumerate() {
            let (Input::File(path), true) = (input, plan.followed.get(i).copied() == Some(true))
            else {
                continue;
            };
            // Without a resume point (loading failed) the file is not followed: starting
            // anywhere else could show records twice or skip some.
            let Some(&Some((offset, line))) = resume.get(i) else {
                continue;
            };
            let stream = app.add_stream(Some(i), &path.display().to_string());
            let opts = FollowOptions {
                start: Start::At { offset, line },
                ..base
            };
            targets.push((stream, FollowTarget::File(path.clone()), opts));
        }
        for path in &plan.waiting {
            let stream = app.add_stream(None, &path.display().to_string());
            targets.push((stream, FollowTarget::File(path.clone()), base));
        }
        if !plan.dirs.is_empty() {
            let name = plan.dirs[0].join("smsts.log").display().to_string();
            let stream = app.add_stream(None, &name);
            targets.push((stream, FollowTarget::Dirs(plan.dirs.clone()), base));
        }
        if plan.stdin {
            let stream = app.add_stream(None, "-");
            app.follow_pipe();
            targets.push((stream, FollowTarget::Stdin, base));
        }
        for (stream, target, opts) in targets {
            let tx = self.events_tx.clone();
            self.followers
                .push(Follower::spawn_into(target, opts, tx, stream));
        }
        self.started = true;
    }

    /// How long until a new analysis is due, if one is needed.
    fn analysis_due(&self, app: &App) -> Option<Duration> {
        if !self.started || !app.analysis_stale() {
            return None;
        }
        Some(
            self.last_run
                .map_or(Duration::ZERO, |t| self.gap.saturating_sub(t.elapsed())),
        )
    }

    /// Brings the analysis up to date when one is due: only the records that arrived since
    /// the last run are searched (see [`crate::analysis::Incremental`]).
    fn analyse_if_due(&mut self, app: &mut App) {
        if self.analysis_due(app) != Some(Duration::ZERO) {
            return;
        }
        let t = Instant::now();
        app.reanalyse(self.engine.rules());
        self.gap = ANALYSIS_GAP.max(t.elapsed() * ANALYSIS_SHARE);
        self.last_run = Some(Instant::now());
    }
}

/// The screen as the terminal shows it (see [`super::screen`]), and what its frames cost.
struct Screen {
    cells: super::screen::Screen,
    times: FrameTimes,
}

impl Screen {
    fn new(area: Rect) -> Screen {
        Screen {
            cells: super::screen::Screen::new(area),
            times: FrameTimes::default(),
        }
    }

    /// Clears the screen and makes the next frame write every cell. Not `Terminal::clear`:
    /// that asks the terminal where its cursor is and waits for the answer, which the input
    /// thread takes first, so it fails after a timeout and redraws nothing.
    fn full_redraw(&mut self, terminal: &mut Terminal<CrosstermBackend<Out>>) {
        let _ = execute!(
            terminal.backend_mut(),
            ratatui::crossterm::terminal::Clear(ratatui::crossterm::terminal::ClearType::All)
        );
        self.cells.forget();
    }

    /// The terminal's new size.
    fn resize(&mut self, terminal: &mut Terminal<CrosstermBackend<Out>>, w: u16, h: u16) {
        let area = Rect::new(0, 0, w, h);
        if self.cells.resize(area) {
            // Clears the screen too.
            let _ = terminal.resize(area);
        }
    }

    fn draw(&mut self, terminal: &mut Terminal<CrosstermBackend<Out>>, app: &App) -> Result<()> {
        let t = Instant::now();
        let frame = self.cells.frame(app);
        let (built, scrolled) = (frame.built, frame.scrolled);
        let written = terminal.backend_mut().write_all(frame.bytes);
        if scrolled {
            self.times.scrolls += 1;
        }
        if written.is_err() {
            // What reached the terminal is unknown.
            self.cells.forget();
        }
        written?;
        Backend::flush(terminal.backend_mut())?;
        let bytes = WRITTEN.swap(0, Ordering::Relaxed);
        self.times.frame(built, t.elapsed(), bytes);
        Ok(())
    }
}

/// Frame costs and waits for `TSLENS_TIMINGS`, printed when the explorer ends: where the
/// time between a record's arrival and its row on screen goes.
#[derive(Default)]
struct FrameTimes {
    /// Per frame: building it (the view), and building plus comparing and writing, in µs.
    build: Vec<u32>,
    total: Vec<u32>,
    bytes: Vec<u32>,
    /// Per frame that showed new records: from the first of them reaching the loop to the
    /// frame written, in µs.
    waits: Vec<u32>,
    scrolls: usize,
}

impl FrameTimes {
    fn frame(&mut self, built: Duration, total: Duration, bytes: usize) {
        if !crate::timing::enabled() {
            return;
        }
        let us = |d: Duration| u32::try_from(d.as_micros()).unwrap_or(u32::MAX);
        self.build.push(us(built));
        self.total.push(us(total));
        self.bytes.push(u32::try_from(bytes).unwrap_or(u32::MAX));
    }

    fn waited(&mut self, since: Instant) {
        if crate::timing::enabled() {
            self.waits
                .push(u32::try_from(since.elapsed().as_micros()).unwrap_or(u32::MAX));
        }
    }

    fn report(&mut self) {
        if self.total.is_empty() {
            return;
        }
        let n = self.total.len();
        crate::timing::note(format_args!(
            "frames {n}, scrolled {}; µs p50/p95: build {}, build+compare+write {}, \
             records waiting in the loop {}; bytes per frame p50/p95 {}",
            self.scrolls,
            pcts(&mut self.build),
            pcts(&mut self.total),
            pcts(&mut self.waits),
            pcts(&mut self.bytes),
        ));
    }
}

fn pcts(v: &mut [u32]) -> String {
    if v.is_empty() {
        return "-".into();
    }
    v.sort_unstable();
    let at = |q: usize| v[((v.len() - 1) * q) / 100];
    format!("{}/{}", at(50), at(95))
}

/// The CPU time this thread has used. What a frame costs is counted in it, not in wall time:
/// on a busy machine a frame preempted halfway took long on the clock without costing more,
/// and spacing frames by it held records back (a terminal slow to take a frame blocks the
/// loop in its write instead, and what arrives meanwhile goes into the next frame).
#[cfg(unix)]
fn thread_cpu() -> Duration {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `ts` is a valid timespec for the call to fill.
    if unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut ts) } != 0 {
        return Duration::ZERO;
    }
    Duration::new(
        u64::try_from(ts.tv_sec).unwrap_or(0),
        u32::try_from(ts.tv_nsec).unwrap_or(0),
    )
}

/// Without a thread clock, the time a frame took on the clock.
#[cfg(not(unix))]
fn thread_cpu() -> Duration {
    static START: std::sync::OnceLock<Instant> = std::sync::OnceLock::new();
    START.get_or_init(Instant::now).elapsed()
}

/// When the next frame may be drawn: a change after a quiet spell is drawn at once, and
/// while changes keep coming (a followed log) frames wait for one another in proportion to
/// what they cost (see [`FRAME_SHARE`]).
struct Pace {
    last: Instant,
    /// What a frame takes to draw and write, smoothed over the last few.
    cost: Duration,
}

impl Pace {
    fn new() -> Pace {
        Pace {
            last: Instant::now(),
            cost: Duration::ZERO,
        }
    }

    /// The wait between two frames, from what frames cost.
    fn gap(&self) -> Duration {
        (self.cost * FRAME_SHARE).clamp(MIN_FRAME_GAP, FRAME_GAP)
    }

    /// How long until a frame may be drawn.
    fn due_in(&self) -> Duration {
        self.gap().saturating_sub(self.last.elapsed())
    }

    fn draw(
        &mut self,
        terminal: &mut Terminal<CrosstermBackend<Out>>,
        screen: &mut Screen,
        app: &App,
    ) -> Result<()> {
        let t = thread_cpu();
        screen.draw(terminal, app)?;
        let took = thread_cpu().saturating_sub(t);
        // A quarter of the new figure: one frame slowed by the machine's other work moves
        // the gap a little, a link that keeps blocking moves it all the way.
        self.cost = (self.cost * 3 + took) / 4;
        self.last = Instant::now();
        Ok(())
    }
}

fn event_loop(
    terminal: &mut Terminal<CrosstermBackend<Out>>,
    screen: &mut Screen,
    app: &mut App,
    load_rx: Receiver<LoadMsg>,
    go: Sender<()>,
    live: &mut Live,
    reloader: &mut Reloader,
) -> Result<Option<i32>> {
    let input_rx = spawn_input();
    let signal_rx = spawn_signals()?;
    let mut load_rx = load_rx;
    let mut pace = Pace::new();
    pace.draw(terminal, screen, app)?;
    // When the first follower event not yet drawn reached the loop (for TSLENS_TIMINGS).
    let mut undrawn: Option<Instant> = None;
    app.dirty = false;
    let _ = go.send(());
    // The signal that ended the loop, for the exit status.
    let mut signalled: Option<i32> = None;
    let no_events = never();
    loop {
        let mut timeout = if app.busy() {
            Duration::ZERO
        } else if app.dirty {
            pace.due_in()
        } else {
            Duration::from_secs(3600)
        };
        if let Some(due) = live.analysis_due(app) {
            timeout = timeout.min(due);
        }
        // While a frame is pending, records wait in the channel until it is due: they
        // would not be seen sooner, and waking for each (a thousand a second) costs more
        // than reading them all at once.
        let frame_pending = app.dirty && !app.busy() && !pace.due_in().is_zero();
        let events = if frame_pending {
            &no_events
        } else {
            &live.events
        };
        let mut msgs: Vec<Msg> = Vec::new();
        select_biased! {
            recv(input_rx) -> m => match m {
                Ok(i) => msgs.extend(input_msg(i)),
                Err(_) => msgs.push(Msg::Quit),
            },
            recv(signal_rx) -> s => {
                signalled = s.ok();
                msgs.push(Msg::Quit);
            },
            recv(load_rx) -> m => match m {
                Ok(l) => msgs.push(Msg::Load(l)),
                // The worker is done: stop listening rather than wake on a closed channel.
                Err(_) => load_rx = never(),
            },
            recv(events) -> m => {
                if let Ok((stream, event)) = m {
                    msgs.push(Msg::Follow { stream, event });
                }
            },
            default(timeout) => {},
        }
        // Drain what else is queued, so that a burst of keys (or of records) costs one frame.
        while let Ok(i) = input_rx.try_recv() {
            msgs.extend(input_msg(i));
        }
        while let Ok(l) = load_rx.try_recv() {
            msgs.push(Msg::Load(l));
        }
        for (stream, event) in live.events.try_iter().take(EVENTS_PER_TURN) {
            msgs.push(Msg::Follow { stream, event });
        }
        if let Ok(sig) = signal_rx.try_recv() {
            signalled = Some(sig);
            msgs.push(Msg::Quit);
        }
        if undrawn.is_none() && msgs.iter().any(|m| matches!(m, Msg::Follow { .. })) {
            undrawn = Some(Instant::now());
        }
        for msg in msgs {
            let gone = matches!(msg, Msg::Quit);
            if let Msg::Resize(w, h) = msg {
                screen.resize(terminal, w, h);
            }
            // Followers start once the full log is in: they take over where it stops.
            let loaded = match &msg {
                Msg::Load(LoadMsg::Done(l)) => Some(l.resume.clone()),
                Msg::Load(LoadMsg::Failed(_)) => Some(Vec::new()),
                _ => None,
            };
            for fx in app.update(msg) {
                match fx {
                    Effect::Quit => return Ok(signalled),
                    Effect::Copy(text) => copy(terminal, &text),
                    // ratatui draws only the cells that changed: clearing forgets what it
                    // believes is on screen, so the next frame writes every cell.
                    Effect::Redraw => screen.full_redraw(terminal),
                    Effect::Reload => match reloader.start() {
                        Some(rx) => load_rx = rx,
                        None => {
                            app.notice = Some(
                                "R reloads files opened without following; this log is followed"
                                    .into(),
                            );
                            app.dirty = true;
                        }
                    },
                    Effect::FollowFiles => match reloader.follow() {
                        Some((rx, plan)) => {
                            load_rx = rx;
                            live.plan = Some(plan);
                        }
                        None => {
                            app.notice = Some(
                                "F keeps to the end: none of these inputs is a file that can be followed"
                                    .into(),
                            );
                            app.dirty = true;
                        }
                    },
                    Effect::Mouse(on) => {
                        MOUSE.store(on, Ordering::SeqCst);
                        let mut out = std::io::stdout();
                        let _ = write!(out, "{}", if on { MOUSE_ON } else { MOUSE_OFF });
                        let _ = out.flush();
                    }
                    Effect::Suspend => {
                        if let Err(e) = suspend() {
                            app.notice = Some(format!("cannot suspend: {e}"));
                        }
                        // The terminal may have changed size while the process was stopped.
                        if let Ok(size) = terminal.backend().size() {
                            screen.resize(terminal, size.width, size.height);
                            app.update(Msg::Resize(size.width, size.height));
                        }
                        screen.full_redraw(terminal);
                        app.dirty = true;
                    }
                }
            }
            if gone {
                return Ok(signalled);
            }
            if let Some(resume) = loaded {
                live.start(app, &resume);
            }
        }
        if app.busy() {
            app.work(WORK_SLICE);
        }
        app.check_changed();
        live.analyse_if_due(app);
        if app.dirty && pace.due_in().is_zero() {
            pace.draw(terminal, screen, app)?;
            if let Some(t) = undrawn.take() {
                screen.times.waited(t);
            }
            app.dirty = false;
            // Drawing is what reads the text: a file truncated meanwhile shows up here.
            app.check_changed();
        }
    }
}

/// Reads the inputs again on a worker, for `R`, or to follow them, for `F`.
struct Reloader {
    /// The files to read, which of them `F` follows, and the poll interval; `None` when
    /// the log is followed (its followers own it).
    inputs: Option<(Vec<Input>, Vec<bool>, Duration)>,
    engine: Arc<Engine>,
}

impl Reloader {
    /// Starts a reload; the receiver replaces the loop's loading channel.
    fn start(&self) -> Option<Receiver<LoadMsg>> {
        let (inputs, _, _) = self.inputs.clone()?;
        self.spawn(inputs, Vec::new())
    }

    /// Starts reading the files again to follow them: loading cuts each followed file
    /// where its follower takes over, so nothing is shown twice or skipped. The plan is
    /// the followers' to start once that load is in. From then on the log is followed.
    fn follow(&mut self) -> Option<(Receiver<LoadMsg>, Plan)> {
        let (inputs, followable, poll) = self.inputs.clone()?;
        if !followable.iter().any(|f| *f) {
            return None;
        }
        let rx = self.spawn(inputs.clone(), followable.clone())?;
        self.inputs = None;
        let plan = Plan {
            load: inputs,
            followed: followable.clone(),
            followable,
            dirs: Vec::new(),
            waiting: Vec::new(),
            stdin: false,
            poll,
            skipped: Vec::new(),
        };
        Some((rx, plan))
    }

    fn spawn(&self, inputs: Vec<Input>, follow: Vec<bool>) -> Option<Receiver<LoadMsg>> {
        let engine = self.engine.clone();
        let (tx, rx) = unbounded();
        std::thread::Builder::new()
            .name("tslens-reload".into())
            .spawn(move || load::load_full(&inputs, &engine, &tx, &follow))
            .ok()?;
        Some(rx)
    }
}

fn input_msg(i: FromTerminal) -> Option<Msg> {
    match i {
        FromTerminal::Event(Event::Key(k)) => Some(Msg::Key(k)),
        FromTerminal::Event(Event::Mouse(m)) => Some(Msg::Mouse(m)),
        FromTerminal::Event(Event::Resize(w, h)) => Some(Msg::Resize(w, h)),
        FromTerminal::Event(_) => None,
        FromTerminal::Gone => Some(Msg::Quit),
    }
}

/// Sends text to the terminal's clipboard with OSC 52; it travels over SSH with the screen.
fn copy(terminal: &mut Terminal<CrosstermBackend<Out>>, text: &str) {
    use ratatui::crossterm::clipboard::CopyToClipboard;
    let _ = execute!(
        terminal.backend_mut(),
        CopyToClipboard::to_clipboard_from(text.as_bytes())
    );
}
