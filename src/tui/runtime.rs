//! The terminal side: setting it up and always restoring it, the input and signal threads,
//! the loading worker, and the loop that feeds messages to the app and draws when needed.

use std::io::{IsTerminal, Stdout, Write};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};
use crossbeam_channel::{bounded, never, select_biased, unbounded, Receiver, Sender};
use ratatui::backend::CrosstermBackend;
use ratatui::crossterm::cursor::Show;
use ratatui::crossterm::event::{self, Event};
use ratatui::crossterm::terminal::{
    self, BeginSynchronizedUpdate, EndSynchronizedUpdate, EnterAlternateScreen,
    LeaveAlternateScreen,
};
use ratatui::crossterm::{execute, queue};
use ratatui::Terminal;

use crate::cli::ExploreArgs;
use crate::kb::RuleSet;
use crate::source::{resolve_inputs, Input};
use crate::theme::{detect_color_depth, Theme};

use super::app::{App, Effect, Msg, Options};
use super::load::{self, LoadMsg, Loaded, PREVIEW_BYTES};
use super::view::view;

/// At most this many frames per second: more is invisible and costs a slow link.
const FRAME_GAP: Duration = Duration::from_millis(33);
/// Work slices between checks for input.
const WORK_SLICE: Duration = Duration::from_millis(8);

/// Mouse reporting: button presses and the wheel only (1000), in SGR encoding (1006). Any-
/// motion tracking (1003) would flood a slow link with events nobody uses.
const MOUSE_ON: &str = "\x1b[?1000h\x1b[?1006h";
const MOUSE_OFF: &str = "\x1b[?1006l\x1b[?1000l";

/// True while the terminal is in the explorer's modes.
static ACTIVE: AtomicBool = AtomicBool::new(false);

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
        }));
        terminal::enable_raw_mode().context("cannot put the terminal in raw mode")?;
        ACTIVE.store(true, Ordering::SeqCst);
        let mut out = std::io::stdout();
        execute!(out, EnterAlternateScreen).context("cannot open the alternate screen")?;
        let _ = write!(out, "{MOUSE_ON}");
        let _ = out.flush();
        Ok(Guard)
    }
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

/// Loads the theme as the terminal can show it.
fn load_theme(name: Option<&str>) -> Result<Theme> {
    let depth = detect_color_depth(&|k| std::env::var(k).ok());
    let theme = match name {
        Some(n) => Theme::load(n)?,
        None => Theme::default(),
    };
    Ok(theme.for_depth(depth))
}

/// Opens the explorer on the inputs and runs it until the user quits.
pub fn run(args: &ExploreArgs, rules: RuleSet) -> Result<()> {
    // Everything that can fail on bad input fails here, before the screen opens.
    let theme = load_theme(args.theme.as_deref())?;
    if !std::io::stdout().is_terminal() {
        bail!("standard output is not a terminal; `tslens report FILE` prints the diagnosis");
    }
    let inputs = resolve_inputs(&args.paths)?;
    if inputs.contains(&Input::Stdin) && std::io::stdin().is_terminal() {
        bail!("`-` reads a log from standard input, which is a terminal here: pipe one in");
    }
    let opts = Options {
        follow: args.follow,
    };
    let preview = load::preview(&inputs, args.follow, PREVIEW_BYTES)?;
    let (load_tx, load_rx) = unbounded();
    // The worker waits for the first frame: on a small machine it would otherwise take the
    // cores the first screen needs.
    let (go_tx, go_rx) = bounded::<()>(1);
    let mut app = if preview.complete {
        App::new(Loaded::new(preview.log, &rules), theme, &opts)
    } else {
        let app = App::from_preview(preview, theme, &opts);
        std::thread::spawn(move || {
            if go_rx.recv().is_ok() {
                load::load_full(&inputs, &rules, &load_tx);
            }
        });
        app
    };

    let guard = Guard::enter()?;
    let mut terminal = Terminal::new(CrosstermBackend::new(std::io::stdout()))
        .context("cannot open the terminal")?;
    let size = terminal.size().context("cannot read the terminal size")?;
    app.update(Msg::Resize(size.width, size.height));
    let result = event_loop(&mut terminal, &mut app, load_rx, go_tx);
    drop(terminal);
    drop(guard);
    result
}

fn draw(terminal: &mut Terminal<CrosstermBackend<Stdout>>, app: &App) -> Result<()> {
    // One synchronized update per frame: the terminal shows it whole or not at all.
    queue!(terminal.backend_mut(), BeginSynchronizedUpdate)?;
    terminal.draw(|f| view(app, f))?;
    execute!(terminal.backend_mut(), EndSynchronizedUpdate)?;
    Ok(())
}

fn event_loop(
    terminal: &mut Terminal<CrosstermBackend<Stdout>>,
    app: &mut App,
    load_rx: Receiver<LoadMsg>,
    go: Sender<()>,
) -> Result<()> {
    let input_rx = spawn_input();
    let signal_rx = spawn_signals()?;
    let mut load_rx = load_rx;
    draw(terminal, app)?;
    app.dirty = false;
    let _ = go.send(());
    let mut last_draw = Instant::now();
    loop {
        let timeout = if app.busy() {
            Duration::ZERO
        } else if app.dirty {
            FRAME_GAP.saturating_sub(last_draw.elapsed())
        } else {
            Duration::from_secs(3600)
        };
        let mut msgs: Vec<Msg> = Vec::new();
        select_biased! {
            recv(input_rx) -> m => match m {
                Ok(i) => msgs.extend(input_msg(i)),
                Err(_) => msgs.push(Msg::Quit),
            },
            recv(signal_rx) -> _ => msgs.push(Msg::Quit),
            recv(load_rx) -> m => match m {
                Ok(l) => msgs.push(Msg::Load(l)),
                // The worker is done: stop listening rather than wake on a closed channel.
                Err(_) => load_rx = never(),
            },
            default(timeout) => {},
        }
        // Drain what else is queued, so that a burst of keys costs one frame.
        while let Ok(i) = input_rx.try_recv() {
            msgs.extend(input_msg(i));
        }
        while let Ok(l) = load_rx.try_recv() {
            msgs.push(Msg::Load(l));
        }
        if signal_rx.try_recv().is_ok() {
            msgs.push(Msg::Quit);
        }
        for msg in msgs {
            let gone = matches!(msg, Msg::Quit);
            for fx in app.update(msg) {
                match fx {
                    Effect::Quit => return Ok(()),
                    Effect::Copy(text) => copy(terminal, &text),
                }
            }
            if gone {
                return Ok(());
            }
        }
        if app.busy() {
            app.work(WORK_SLICE);
        }
        if app.dirty && last_draw.elapsed() >= FRAME_GAP {
            draw(terminal, app)?;
            app.dirty = false;
            last_draw = Instant::now();
        }
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
fn copy(terminal: &mut Terminal<CrosstermBackend<Stdout>>, text: &str) {
    use ratatui::crossterm::clipboard::CopyToClipboard;
    let _ = execute!(
        terminal.backend_mut(),
        CopyToClipboard::to_clipboard_from(text.as_bytes())
    );
}
