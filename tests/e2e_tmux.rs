//! The real binary in a real terminal: tmux runs it, `send-keys` types, `capture-pane`
//! reads the screen. Skipped, with the reason printed, when tmux is not installed.
//! `TSLENS_E2E_TIMEOUT_MS` sets how long to wait for a screen (default 15 s).
#![allow(clippy::unwrap_used)]

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

struct Tmux {
    sock: PathBuf,
    _dir: tempfile::TempDir,
}

impl Tmux {
    /// A private tmux server, or `None` (with the reason printed) when tmux is missing.
    fn start(test: &str) -> Option<Tmux> {
        match Command::new("tmux").arg("-V").output() {
            Ok(o) if o.status.success() => {}
            _ => {
                println!("skipping {test}: tmux is not installed");
                return None;
            }
        }
        let dir = tempfile::tempdir().unwrap();
        let sock = dir.path().join("sock");
        Some(Tmux { sock, _dir: dir })
    }

    fn cmd(&self, args: &[&str]) -> String {
        let out = Command::new("tmux")
            .arg("-S")
            .arg(&self.sock)
            .arg("-f")
            .arg("/dev/null")
            .args(args)
            .output()
            .unwrap();
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// Runs `shell_cmd` in a new 120x40 session; the shell prints `EXIT=<status>` after it.
    fn run(&self, shell_cmd: &str) {
        // Sessions go to the test's own folder, never the user's.
        let data = self._dir.path().join("data");
        let full = format!(
            "export XDG_DATA_HOME='{}'; {shell_cmd}; echo EXIT=$?; sleep 60",
            data.display()
        );
        self.cmd(&[
            "new-session",
            "-d",
            "-x",
            "120",
            "-y",
            "40",
            "-s",
            "t",
            "sh",
            "-c",
            &full,
        ]);
        self.cmd(&["set-option", "-g", "status", "off"]);
    }

    fn keys(&self, keys: &[&str]) {
        let mut args = vec!["send-keys", "-t", "t"];
        args.extend_from_slice(keys);
        self.cmd(&args);
    }

    fn screen(&self) -> String {
        self.cmd(&["capture-pane", "-p", "-t", "t"])
    }

    /// Waits until the screen satisfies `pred` and has settled; panics with the last screen
    /// otherwise. A capture can land while a frame is half drawn, so the screen counts only
    /// when two captures 50 ms apart are the same.
    fn wait(&self, what: &str, pred: impl Fn(&str) -> bool) -> String {
        let ms = std::env::var("TSLENS_E2E_TIMEOUT_MS")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(15_000);
        let deadline = Instant::now() + Duration::from_millis(ms);
        let mut last = String::new();
        loop {
            let s = self.screen();
            if pred(&s) && s == last {
                return s;
            }
            last = s;
            if Instant::now() > deadline {
                panic!("timed out waiting for {what}; screen:\n{last}");
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    fn wait_for(&self, text: &str) -> String {
        self.wait(text, |s| s.contains(text))
    }

    fn alternate_screen_on(&self) -> bool {
        self.cmd(&["display-message", "-p", "-t", "t", "#{alternate_on}"])
            .trim()
            == "1"
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = Command::new("tmux")
            .arg("-S")
            .arg(&self.sock)
            .arg("kill-server")
            .output();
    }
}

fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_tslens")
}

fn sample(name: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("sample-logs")
        .join(name)
        .display()
        .to_string()
}

#[test]
fn open_fold_search_help_quit() {
    let Some(t) = Tmux::start("open_fold_search_help_quit") else {
        return;
    };
    t.run(&format!("{} {}", bin(), sample("naa-not-set.log")));
    // Open: the finding is in the panel with no key pressed.
    let s = t.wait_for("Finding 1/");
    assert!(s.contains("Network Access Account"), "{s}");
    assert!(t.alternate_screen_on());

    // Fold: the chain is one line; Enter opens it, Enter folds it again.
    t.keys(&["g", "c"]);
    t.wait("a folded chain row", |s| {
        s.lines()
            .any(|l| l.contains("▸") && l.contains("0x80040101"))
    });
    t.keys(&["Enter"]);
    t.wait("the chain's frames", |s| s.contains("HRESULT=80040101"));
    t.keys(&["Enter"]);
    t.wait("the chain folded again", |s| {
        !s.contains("HRESULT=80040101") && s.lines().any(|l| l.contains("▸"))
    });

    // Search: incremental, counted, then n.
    t.keys(&["g", "/"]);
    t.keys(&["-l", "network"]);
    t.wait("the match count", |s| {
        s.lines()
            .any(|l| l.starts_with("/network") && l.contains("matches"))
    });
    t.keys(&["Enter", "n"]);
    t.wait("the search in the status line", |s| {
        s.contains("/network 2/")
    });

    // Help overlay, closed by Esc.
    t.keys(&["?"]);
    t.wait_for("tslens keys");
    t.keys(&["Escape"]);
    t.wait("help closed", |s| !s.contains("tslens keys"));

    // Quit restores the terminal.
    t.keys(&["q"]);
    t.wait_for("EXIT=0");
    assert!(!t.alternate_screen_on());
}

#[test]
fn pipe_input_and_sigterm_restore_the_terminal() {
    let Some(t) = Tmux::start("pipe_input_and_sigterm_restore_the_terminal") else {
        return;
    };
    t.run(&format!(
        "cat {} | {} -",
        sample("signature-failure.log"),
        bin()
    ));
    t.wait_for("Finding 1/");
    t.wait_for("signature varification failed");
    // Keys still come from the terminal.
    t.keys(&["?"]);
    t.wait_for("tslens keys");
    t.keys(&["Escape"]);
    let pid = t
        .cmd(&["display-message", "-p", "-t", "t", "#{pane_pid}"])
        .trim()
        .to_string();
    // The pane runs `sh -c`; the explorer is its child.
    let out = Command::new("pgrep").args(["-P", &pid, "tslens"]).output();
    let Ok(out) = out else {
        println!("skipping the SIGTERM part: pgrep is not installed");
        return;
    };
    let child = String::from_utf8_lossy(&out.stdout)
        .split_whitespace()
        .next()
        .map(str::to_string);
    let Some(child) = child else {
        println!("skipping the SIGTERM part: the explorer's pid was not found");
        return;
    };
    Command::new("kill")
        .args(["-TERM", &child])
        .status()
        .unwrap();
    // 128 + SIGTERM (15), as a shell reports a process a signal ended.
    t.wait_for("EXIT=143");
    assert!(!t.alternate_screen_on());
}

#[test]
fn ctrl_c_quits_and_a_bad_theme_fails_before_the_screen() {
    let Some(t) = Tmux::start("ctrl_c_quits_and_a_bad_theme_fails_before_the_screen") else {
        return;
    };
    t.run(&format!("{} {}", bin(), sample("bare-metal-success.log")));
    t.wait_for("bare-metal-success.log");
    t.keys(&["C-c"]);
    t.wait_for("EXIT=0");
    assert!(!t.alternate_screen_on());

    let dir = tempfile::tempdir().unwrap();
    let theme = dir.path().join("bad.toml");
    std::fs::write(
        &theme,
        "name = \"bad\"\n[styles]\nerror = { fg = \"reddish\" }\n",
    )
    .unwrap();
    let out = Command::new(bin())
        .arg("--theme")
        .arg(&theme)
        .arg(sample("bare-metal-success.log"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("bad.toml:3"), "{err}");
    assert_eq!(err.trim().lines().count(), 1, "{err}");
}

/// CMTrace records `name 0`, `name 1`, ... for `range`.
fn live_records(name: &str, range: std::ops::Range<u32>) -> String {
    range
        .map(|i| {
            format!(
                "<![LOG[{name} {i}]LOG]!><time=\"10:15:{i:02}.000+000\" date=\"11-26-2026\" component=\"TSManager\" context=\"\" type=\"1\" thread=\"7\" file=\"t.cpp:1\">\r\n"
            )
        })
        .collect()
}

fn append_to(path: &Path, text: &str) {
    use std::io::Write;
    let mut f = std::fs::OpenOptions::new()
        .append(true)
        .create(true)
        .open(path)
        .unwrap();
    f.write_all(text.as_bytes()).unwrap();
}

#[test]
fn follow_shows_appends_across_a_rollover_once() {
    let Some(t) = Tmux::start("follow_shows_appends_across_a_rollover_once") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let live = dir.path().join("smsts.log");
    std::fs::write(&live, live_records("alpha", 0..3)).unwrap();
    t.run(&format!("{} --follow --poll 50 {}", bin(), live.display()));
    t.wait_for("alpha 2");

    append_to(&live, &live_records("alpha", 3..6));
    t.wait_for("alpha 5");

    // The task sequence rolls its log over and starts a new one under the same name.
    std::fs::rename(&live, dir.path().join("smsts-20261126-101500.log")).unwrap();
    std::fs::write(&live, live_records("bravo", 0..2)).unwrap();
    t.wait_for("bravo 1");
    append_to(&live, &live_records("bravo", 2..4));
    let s = t.wait_for("bravo 3");

    // Every record once: none lost across the rollover, none read twice. Only the log view
    // counts (left of the side panel, which repeats the selected record).
    let rows: Vec<&str> = s
        .lines()
        .map(|l| l.split('│').next().unwrap_or("").trim_end())
        .collect();
    for (name, n) in [("alpha", 6), ("bravo", 4)] {
        for i in 0..n {
            let needle = format!("{name} {i}");
            // A row may carry the explorer's note after its message (the rollover's).
            let count = rows
                .iter()
                .filter(|r| r.ends_with(&needle) || r.contains(&format!("{needle}  —")))
                .count();
            assert_eq!(count, 1, "{needle:?} in\n{s}");
        }
    }
    // The change of file is noted in the log view, on the first record after it.
    assert!(
        s.contains("rolled over") || s.contains("was replaced"),
        "no marker row in\n{s}"
    );
    assert!(s.contains("FOLLOW"), "{s}");
    t.keys(&["q"]);
    t.wait_for("EXIT=0");
    assert!(!t.alternate_screen_on());
}

/// `F` in a log opened without `--follow` follows its file from then on, as `less`'s `F`
/// does: what the task sequence writes next shows up, each record once, whether it was
/// written before the file was read again or after.
#[test]
fn f_follows_a_log_opened_without_follow() {
    for folder in [false, true] {
        let Some(t) = Tmux::start("f_follows_a_log_opened_without_follow") else {
            return;
        };
        let dir = tempfile::tempdir().unwrap();
        let live = dir.path().join("smsts.log");
        // Opened as a folder, its live smsts.log is the file followed.
        let opened = if folder { dir.path() } else { live.as_path() };
        f_follows(&t, &live, opened);
    }
}

fn f_follows(t: &Tmux, live: &Path, opened: &Path) {
    std::fs::write(live, live_records("alpha", 0..3)).unwrap();
    t.run(&format!("{} --poll 50 {}", bin(), opened.display()));
    t.wait_for("alpha 2");
    // Written while the log is only read: nothing shows it yet.
    append_to(live, &live_records("alpha", 3..4));
    t.keys(&["F"]);
    t.wait_for("alpha 3");
    append_to(live, &live_records("alpha", 4..7));
    let s = t.wait_for("alpha 6");
    let rows: Vec<&str> = s
        .lines()
        .map(|l| l.split('│').next().unwrap_or("").trim_end())
        .collect();
    for i in 0..7 {
        let needle = format!("alpha {i}");
        let count = rows.iter().filter(|r| r.ends_with(&needle)).count();
        assert_eq!(count, 1, "{needle:?} in\n{s}");
    }
    assert!(s.contains("FOLLOW"), "{s}");
    t.keys(&["q"]);
    t.wait_for("EXIT=0");
}

#[test]
fn a_log_truncated_under_the_explorer_is_said_and_reloaded() {
    let Some(t) = Tmux::start("a_log_truncated_under_the_explorer_is_said_and_reloaded") else {
        return;
    };
    // Larger than the size below which logs are copied: this one is memory-mapped.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("mapped.log");
    let line = "<![LOG[a line of the log]LOG]!><time=\"10:00:00.000+000\" date=\"01-01-2026\" component=\"C\" context=\"\" type=\"1\" thread=\"1\" file=\"\">\r\n";
    let count = (tslens::source::COPY_BELOW as usize + (4 << 20)) / line.len();
    std::fs::write(&path, line.repeat(count)).unwrap();
    t.run(&format!("{} {}", bin(), path.display()));
    // Loaded and analysed: the whole file is mapped and indexed.
    let total = format!("1/{count} ");
    t.wait("the whole log indexed", |s| {
        s.contains(&total) && !s.contains("analysing") && !s.contains("indexing")
    });
    // Another process truncates it (copytruncate); the end of the log is read again.
    std::fs::OpenOptions::new()
        .write(true)
        .open(&path)
        .unwrap()
        .set_len(4096)
        .unwrap();
    t.keys(&["G"]);
    t.wait_for("changed on disk");
    assert!(t.alternate_screen_on());
    // R reads it again: what is left of it.
    t.keys(&["R"]);
    t.wait("the reloaded log", |s| s.contains("32/32"));
    t.keys(&["q"]);
    t.wait_for("EXIT=0");
    assert!(!t.alternate_screen_on());
}

#[test]
fn a_panic_on_the_loading_worker_ends_the_program_with_the_terminal_restored() {
    let Some(t) = Tmux::start("a_panic_on_the_loading_worker_ends_the_program") else {
        return;
    };
    // Over the preview's size, so that the rest of the log is loaded on the worker.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("big.log");
    let line = "<![LOG[a line of the log]LOG]!><time=\"10:00:00.000+000\" date=\"01-01-2026\" component=\"C\" context=\"\" type=\"1\" thread=\"1\" file=\"\">\r\n";
    std::fs::write(&path, line.repeat((4 << 20) / line.len())).unwrap();
    t.run(&format!(
        "TSLENS_FAULT=worker-panic {} {}",
        bin(),
        path.display()
    ));
    // Ends by itself, with Rust's status for a panic: no key needed, the panic said on
    // the shell's screen, no alternate screen and no mouse capture left behind.
    let s = t.wait_for("EXIT=101");
    assert!(s.contains("worker-panic"), "{s}");
    assert!(!t.alternate_screen_on());
    assert_eq!(
        t.cmd(&["display-message", "-p", "-t", "t", "#{mouse_any_flag}"])
            .trim(),
        "0"
    );
}

impl Tmux {
    /// An interactive shell (job control on) in a new 120x40 session, for Ctrl-Z and `fg`.
    fn shell(&self) {
        let data = self._dir.path().join("data");
        let rc = self._dir.path().join("rc");
        std::fs::write(
            &rc,
            format!(
                "PS1='PROMPT$ '\nexport XDG_DATA_HOME='{}'\n",
                data.display()
            ),
        )
        .unwrap();
        let rc = rc.display().to_string();
        self.cmd(&[
            "new-session",
            "-d",
            "-x",
            "120",
            "-y",
            "40",
            "-s",
            "t",
            "bash",
            "--noprofile",
            "--rcfile",
            &rc,
            "-i",
        ]);
        self.cmd(&["set-option", "-g", "status", "off"]);
    }

    fn flag(&self, name: &str) -> String {
        self.cmd(&["display-message", "-p", "-t", "t", &format!("#{{{name}}}")])
            .trim()
            .to_string()
    }
}

#[test]
fn ctrl_z_suspends_and_fg_restores_the_screen() {
    let Some(t) = Tmux::start("ctrl_z_suspends_and_fg_restores_the_screen") else {
        return;
    };
    t.shell();
    t.wait_for("PROMPT$");
    let log = sample("signature-failure.log");
    t.keys(&[&format!("{} {log}", bin()), "Enter"]);
    t.wait_for("? help");
    assert!(t.alternate_screen_on());
    t.keys(&["C-z"]);
    // The shell's own screen: the job stopped, the prompt back, no alternate screen, no
    // mouse capture left behind, the terminal out of raw mode (the shell echoes).
    let s = t.wait("the shell after Ctrl-Z", |s| {
        s.contains("Stopped") && s.contains("PROMPT$")
    });
    assert!(!s.contains("? help"), "{s}");
    assert!(!t.alternate_screen_on());
    assert_eq!(t.flag("mouse_any_flag"), "0");
    t.keys(&["fg", "Enter"]);
    let s = t.wait_for("? help");
    assert!(t.alternate_screen_on(), "{s}");
    assert_eq!(t.flag("mouse_any_flag"), "1");
    // Keys work again, and q leaves cleanly.
    t.keys(&["?"]);
    t.wait_for("tslens keys");
    // Esc and q apart: together they read as Alt-q.
    t.keys(&["Escape"]);
    t.wait("the help closed", |s| !s.contains("tslens keys"));
    t.keys(&["q"]);
    t.wait("the prompt after quitting", |s| {
        !s.contains("? help") && s.contains("PROMPT$")
    });
    assert!(!t.alternate_screen_on());
}

#[test]
fn m_gives_the_mouse_to_the_terminal_and_takes_it_back() {
    let Some(t) = Tmux::start("m_gives_the_mouse_to_the_terminal_and_takes_it_back") else {
        return;
    };
    t.run(&format!("{} {}", bin(), sample("signature-failure.log")));
    t.wait_for("? help");
    assert_eq!(t.flag("mouse_any_flag"), "1");
    t.keys(&["M"]);
    t.wait_for("mouse left to the terminal");
    assert_eq!(t.flag("mouse_any_flag"), "0");
    t.keys(&["M"]);
    t.wait_for("mouse captured");
    assert_eq!(t.flag("mouse_any_flag"), "1");
    t.keys(&["q"]);
    t.wait_for("EXIT=0");
    assert_eq!(t.flag("mouse_any_flag"), "0");
}

#[test]
fn a_session_comes_back_when_the_log_is_opened_again() {
    let Some(t) = Tmux::start("a_session_comes_back_when_the_log_is_opened_again") else {
        return;
    };
    t.shell();
    t.wait_for("PROMPT$");
    let log = sample("signature-failure.log");
    t.keys(&[&format!("{} {log}", bin()), "Enter"]);
    t.wait_for("? help");
    t.keys(&["-", "Policy", "Enter"]);
    t.wait_for("/Policy/");
    t.keys(&["q"]);
    t.wait("the prompt", |s| {
        !s.contains("? help") && s.contains("PROMPT$")
    });
    t.keys(&["clear", "Enter"]);
    t.keys(&[&format!("{} {log}", bin()), "Enter"]);
    let s = t.wait_for("session restored");
    assert!(s.contains("/Policy/"), "{s}");
    // X starts clean, and the next opening has nothing to restore.
    t.keys(&["X", "q"]);
    t.wait("the prompt", |s| {
        !s.contains("? help") && s.contains("PROMPT$")
    });
    t.keys(&["clear", "Enter"]);
    t.keys(&[&format!("{} {log}", bin()), "Enter"]);
    let s = t.wait_for("? help");
    assert!(!s.contains("session restored"), "{s}");
    t.keys(&["q"]);
}

/// On a 16-colour terminal (the Linux console's `TERM=linux`) the colours go out as
/// `30-37`/`90-97` and `40-47`/`100-107`, never in the 256-colour form `38;5;N` such a
/// terminal would read as blink and hidden; a 256-colour terminal gets its palette.
#[test]
fn a_sixteen_colour_terminal_gets_the_old_colour_codes() {
    let Some(t) = Tmux::start("a_sixteen_colour_terminal_gets_the_old_colour_codes") else {
        return;
    };
    let colours = |term: &str| {
        t.run(&format!(
            "TERM={term} COLORTERM= {} {}",
            bin(),
            sample("fail-run-command-line.log")
        ));
        t.wait_for("? help");
        let coloured = t.cmd(&["capture-pane", "-e", "-p", "-t", "t"]);
        t.keys(&["q"]);
        t.wait_for("EXIT=0");
        // Renamed, not killed: killing the server's last session has it exit, and the next
        // run's session could reach that server as it goes.
        t.cmd(&["rename-session", "-t", "t", term]);
        coloured
    };
    let old = colours("linux");
    assert!(!old.contains("38;5;") && !old.contains("48;5;"), "{old:?}");
    assert!(
        old.contains("\x1b[90m") || old.contains("\x1b[37m"),
        "{old:?}"
    );
    let wide = colours("xterm-256color");
    assert!(wide.contains("38;5;"), "{wide:?}");
}

/// While a followed log grows, the explorer has the terminal scroll the log's rows (and the
/// side panel beside them) and writes only what then differs: the screen must still be the
/// one a full redraw (Ctrl-L) paints, rows, panel and status line alike.
#[test]
fn a_followed_log_scrolled_by_the_terminal_shows_what_a_redraw_shows() {
    let Some(t) = Tmux::start("a_followed_log_scrolled_by_the_terminal_shows_what_a_redraw_shows")
    else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let live = dir.path().join("smsts.log");
    std::fs::write(&live, live_records("alpha", 0..50)).unwrap();
    t.run(&format!("{} --follow --poll 50 {}", bin(), live.display()));
    t.wait_for("alpha 49");
    // A few rows at a time, more than a screen's worth at once, then a few again: the
    // screen is checked after rows were scrolled, not after one that rewrote them all.
    for (from, to) in [
        (50, 53),
        (53, 60),
        (60, 61),
        (61, 120),
        (120, 127),
        (127, 140),
    ] {
        append_to(&live, &live_records("alpha", from..to));
        t.wait_for(&format!("alpha {}", to - 1));
    }
    let scrolled = t.wait_for("alpha 139");
    t.keys(&["C-l"]);
    std::thread::sleep(Duration::from_millis(300));
    let redrawn = t.wait_for("alpha 139");
    assert_eq!(scrolled, redrawn);
    // The rows are the log's last ones, in order, each once.
    let rows: Vec<&str> = scrolled
        .lines()
        .filter_map(|l| l.split('│').next())
        .filter(|r| r.contains("alpha "))
        .collect();
    let last = rows.len() as u32;
    assert!(last > 20, "{scrolled}");
    for (i, r) in rows.iter().enumerate() {
        let want = format!("alpha {}", 140 - last + i as u32);
        assert!(
            r.trim_end().ends_with(&want),
            "row {i}: {r:?} in\n{scrolled}"
        );
    }
    t.keys(&["q"]);
    t.wait_for("EXIT=0");
}
