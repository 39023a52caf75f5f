//! Frames of the explorer, drawn on ratatui's TestBackend and compared with the committed
//! snapshots in `tests/snapshots/` (CI runs with CI=true, so insta never writes them).

mod tui_support;

use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::style::Modifier;
use ratatui::Terminal;
use tslens::tui::theme::{Role, Theme};
use tslens::tui::{view, App, Msg};
use tui_support::*;

fn draw(app: &mut App, w: u16, h: u16) -> Terminal<TestBackend> {
    app.update(Msg::Resize(w, h));
    let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
    t.draw(|f| view(app, f)).unwrap();
    t
}

fn text(buf: &Buffer) -> String {
    let mut s = String::new();
    for y in 0..buf.area.height {
        for x in 0..buf.area.width {
            s.push_str(buf[(x, y)].symbol());
        }
        s.push('\n');
    }
    s
}

#[test]
fn first_screen() {
    let mut a = app();
    let t = draw(&mut a, 120, 40);
    insta::assert_snapshot!(t.backend());
}

#[test]
fn narrow_first_screen() {
    let mut a = app();
    let t = draw(&mut a, 80, 24);
    insta::assert_snapshot!(t.backend());
}

#[test]
fn unfolded_chain_marks_the_root_frame() {
    let mut a = app();
    keys(&mut a, "gc<ret>");
    let t = draw(&mut a, 120, 40);
    insta::assert_snapshot!(t.backend());
}

#[test]
fn help_overlay_lists_every_key() {
    let mut a = app();
    keys(&mut a, "?");
    let t = draw(&mut a, 120, 40);
    insta::assert_snapshot!(t.backend());
}

#[test]
fn help_overlay_at_80x24_wraps_and_says_there_is_more() {
    let mut a = app();
    keys(&mut a, "?");
    let t = draw(&mut a, 80, 24);
    let screen = text(t.backend().buffer());
    // The first key's text wraps under its column rather than being cut, and the bottom
    // border says the list goes on.
    assert!(screen.contains("next row (or item in the"), "{screen}");
    assert!(screen.contains("focused pane)"), "{screen}");
    assert!(screen.contains("↓ more (j)"), "{screen}");
    insta::assert_snapshot!(t.backend());
    // At the end of the list, nothing more is said to be below.
    keys(&mut a, &"j".repeat(200));
    let t = draw(&mut a, 80, 24);
    let screen = text(t.backend().buffer());
    assert!(screen.contains("suspend to the shell"), "{screen}");
    assert!(!screen.contains("↓ more"), "{screen}");
    // It stops at the end: one k back and there is more below again.
    keys(&mut a, "k");
    let t = draw(&mut a, 80, 24);
    assert!(text(t.backend().buffer()).contains("↓ more (j)"));
    // Space pages, as in less, and leaves the help open.
    keys(&mut a, "g<space>");
    let t = draw(&mut a, 80, 24);
    let screen = text(t.backend().buffer());
    assert!(a.help.is_some_and(|s| s > 1), "{screen}");
    assert!(!screen.contains("│ Move"), "{screen}");
}

#[test]
fn search_highlights_and_counts() {
    let mut a = app();
    keys(&mut a, "g/item 1");
    let t = draw(&mut a, 120, 40);
    insta::assert_snapshot!(t.backend());
    let buf = t.backend().buffer();
    let last = text(buf).lines().last().unwrap().to_string();
    assert!(last.starts_with("/item 1"), "{last}");
    assert!(last.contains("14 matches"), "{last}");
}

#[test]
fn invalid_search_shows_the_error() {
    let mut a = app();
    keys(&mut a, "/[abc");
    let t = draw(&mut a, 120, 40);
    let screen = text(t.backend().buffer());
    let last = screen.lines().last().unwrap();
    assert!(last.contains("unclosed character class"), "{last}");
}

#[test]
fn filtered_view_says_what_is_hidden() {
    let mut a = app();
    keys(&mut a, "vv");
    let t = draw(&mut a, 120, 40);
    insta::assert_snapshot!(t.backend());
    // At 80 columns, with more filters than the status line can list, how many records
    // they hide still shows: the list is what gets cut.
    keys(&mut a, "-Cleaning up<ret>-Reading policy<ret>-item<ret>");
    let t = draw(&mut a, 80, 24);
    let status = status_line(&t);
    assert!(
        status.contains(&format!("│ {} hidden by +errors", a.rows.filtered_count())),
        "{status}"
    );
}

#[test]
fn tiny_windows_show_a_short_message() {
    let mut a = app();
    let t = draw(&mut a, 20, 6);
    insta::assert_snapshot!(t.backend());
    for (w, h) in [(1, 1), (2, 1), (39, 8), (40, 7), (40, 8), (20, 5)] {
        let _ = draw(&mut a, w, h);
    }
}

#[test]
fn log_text_cannot_drive_the_terminal() {
    let mut a = app();
    keys(&mut a, "g/evil<ret>");
    let t = draw(&mut a, 200, 40);
    let screen = text(t.backend().buffer());
    assert!(
        screen.contains("evil ␛]52;c;ZWNobyBwd25lZA==␇ and ␛[2J title ␛]0;pwned␇ ⟨U+202E⟩txt.exe")
    );
    for c in screen.chars() {
        assert!(
            c == '\n' || !c.is_control(),
            "control {:#x} on screen",
            c as u32
        );
        assert!(!('\u{202a}'..='\u{202e}').contains(&c));
    }
}

#[test]
fn colours_follow_the_theme() {
    let mut a = app();
    let t = draw(&mut a, 120, 40);
    let buf = t.backend().buffer();
    let screen = text(buf);
    let theme = Theme::load("dark").unwrap();
    // The "Volume label" warning row: its message cells take the warning style.
    let (y, line) = screen
        .lines()
        .enumerate()
        .find(|(_, l)| l.contains("Volume label"))
        .unwrap();
    let x = line.find("Volume label").unwrap();
    let x = line[..x].chars().count() as u16;
    assert_eq!(
        buf[(x, y as u16)].fg,
        theme.style(Role::Warning).fg.unwrap_or_default()
    );
}

#[test]
fn mono_theme_still_shows_the_selection() {
    let mut a = app();
    a.theme = Theme::load("mono").unwrap();
    let t = draw(&mut a, 120, 40);
    let buf = t.backend().buffer();
    let y = (1 + a.view.cursor - a.view.top) as u16;
    let cell = &buf[(30, y)];
    assert!(cell.fg == ratatui::style::Color::Reset || cell.fg == ratatui::style::Color::default());
    assert!(
        cell.modifier
            .intersects(Modifier::REVERSED | Modifier::BOLD | Modifier::UNDERLINED),
        "{:?}",
        cell
    );
}

#[test]
fn sixteen_colour_terminals_get_sixteen_colours() {
    use ratatui::style::Color;
    let mut a = app();
    a.theme = Theme::default().for_depth(tslens::tui::theme::ColorDepth::Ansi16);
    let t = draw(&mut a, 120, 40);
    for cell in t.backend().buffer().content() {
        for c in [cell.fg, cell.bg] {
            assert!(
                !matches!(c, Color::Rgb(..) | Color::Indexed(16..)),
                "{c:?} is not one of the 16 colours"
            );
        }
    }
}

#[test]
fn every_theme_draws() {
    for name in Theme::builtin_names() {
        let mut a = app();
        a.theme = Theme::load(name).unwrap();
        let _ = draw(&mut a, 120, 40);
    }
}

#[test]
fn founding_case_first_screen() {
    let mut a = sample("naa-not-set.log");
    let t = draw(&mut a, 140, 40);
    let screen = text(t.backend().buffer());
    assert!(screen.contains("Finding 1/"), "{screen}");
    assert!(screen.contains("Network Access Account"), "{screen}");
    assert!(screen.contains("0x80040101"), "{screen}");
    let ev = a.analysis.findings[0].evidence[0].index;
    assert_eq!(a.rows.row_of(ev, &a.index), Some(a.view.cursor));
}

#[test]
fn resize_keeps_the_cursor_on_screen() {
    let mut a = app();
    for (w, h) in [(120, 40), (60, 10), (200, 60), (41, 9)] {
        let _ = draw(&mut a, w, h);
        assert!(
            a.view.cursor >= a.view.top && a.view.cursor < a.view.top + a.page(),
            "{w}x{h}"
        );
    }
}

/// The state the issue-17 snapshots show: the chain unfolded (codes named inline), the
/// "Cleaning up" noise hidden, a highlight, the filter pane focused, a bookmark for the
/// overview.
fn triage_state() -> App {
    let mut a = app();
    keys(&mut a, "gc<ret>");
    keys(&mut a, "-Cleaning up<ret>+denied<ret>");
    keys(&mut a, "gmG");
    keys(&mut a, "f");
    a
}

#[test]
fn filter_pane_overview_and_code_names_200x50() {
    let mut a = triage_state();
    let t = draw(&mut a, 200, 50);
    let screen = text(t.backend().buffer());
    // Codes carry their names inline; the exclude and the highlight are listed.
    assert!(
        screen.contains("HRESULT=80070005 E_ACCESSDENIED"),
        "{screen}"
    );
    assert!(screen.contains("Error -2147467259 E_FAIL"), "{screen}");
    assert!(screen.contains("hide /Cleaning up/"), "{screen}");
    assert!(screen.contains("mark /denied/"), "{screen}");
    // The step timeline names its codes too: in its title, and beside each step's.
    assert!(
        screen.contains("at step \"Install App\" · 0x80004005 E_FAIL ─"),
        "{screen}"
    );
    assert!(
        screen.contains("failed    0x80004005 E_FAIL ◀ failing"),
        "{screen}"
    );
    insta::assert_snapshot!(t.backend());
}

#[test]
fn filter_pane_overview_and_code_names_80x24() {
    let mut a = triage_state();
    let t = draw(&mut a, 80, 24);
    insta::assert_snapshot!(t.backend());
}

/// A triage of the install failure with a filter of every kind stacked: the "Cleaning up"
/// noise hidden by a regex, warnings and errors, a time window, the installer's component and
/// thread, and a HRESULT regex switched off again, on which the focused pane's selection
/// rests. The chain is unfolded, so its codes are named inline.
fn every_kind_of_filter() -> App {
    let mut a = app();
    keys(&mut a, "gc<ret>");
    keys(&mut a, "-Cleaning up<ret>v");
    keys(&mut a, "@10:00:15 to 10:00:26<ret>");
    keys(&mut a, ":22<ret>oT");
    keys(&mut a, "&HRESULT<ret>");
    keys(&mut a, "fG<space>");
    a
}

/// The lines of the filter pane on `screen`, from its title on.
fn pane_lines(a: &App, screen: &str) -> Vec<String> {
    let Some(r) = a.layout().filters else {
        panic!("no filter pane at {:?}", a.size);
    };
    screen
        .lines()
        .skip(r.y as usize)
        .take(r.height as usize)
        .map(|l| {
            l.chars()
                .skip(r.x as usize)
                .take(r.width as usize)
                .collect::<String>()
        })
        .map(|l| l.trim_end().to_string())
        .collect()
}

fn check_every_kind_of_filter(w: u16, h: u16) -> Terminal<TestBackend> {
    let mut a = every_kind_of_filter();
    let t = draw(&mut a, w, h);
    let screen = text(t.backend().buffer());
    let pane = pane_lines(&a, &screen);
    // Six filters: at 80x24 in five rows, the pane keeps the selection, the last one, in
    // sight and says one is out of it; at 200x50 it grows to show all six.
    let first = if h >= 50 { 2 } else { 1 };
    assert_eq!(pane[0].ends_with("↑1 more"), h < 50, "{screen}");
    assert_eq!(
        &pane[first..],
        [
            " [x] only warnings and errors",
            " [x] only time 10:00:15 to 10:00:26",
            " [x] only component InstallSoftware",
            " [x] only thread 200",
            "▶[ ] only /HRESULT/",
        ],
        "{screen}"
    );
    // What passes: the installer's errors in the window, codes named.
    let shown: Vec<usize> = (0..a.rows.len())
        .filter_map(|r| a.rows.pos(r))
        .map(|p| a.log.meta(a.log.at(p)).line as usize)
        .collect();
    assert_eq!(shown, [21, 22, 24, 25, 26], "{screen}");
    assert!(screen.contains("HRESULT=80004005 E_FAIL"), "{screen}");
    // At the top of the list the first filter, the hidden noise, comes back into sight.
    keys(&mut a, "g");
    let top = draw(&mut a, w, h);
    let pane = pane_lines(&a, &text(top.backend().buffer()));
    assert_eq!(pane[1], "▶[x] hide /Cleaning up/");
    assert_eq!(pane[0].ends_with("↓1 more"), h < 50, "{pane:#?}");
    t
}

#[test]
fn every_kind_of_filter_200x50() {
    let t = check_every_kind_of_filter(200, 50);
    insta::assert_snapshot!(t.backend());
}

#[test]
fn every_kind_of_filter_80x24() {
    let t = check_every_kind_of_filter(80, 24);
    insta::assert_snapshot!(t.backend());
}

/// Nine excludes and two highlights, the pane focused on the first: more entries than the
/// pane has rows at 80x24.
fn long_stack() -> App {
    let mut a = app();
    for i in 1..=9 {
        keys(&mut a, &format!("-item {i}$<ret>"));
    }
    keys(&mut a, "+denied<ret>+HRESULT<ret>");
    keys(&mut a, "fg");
    a
}

/// The pane's entry the selection marker is on.
fn selected_entry(pane: &[String]) -> String {
    let sel: Vec<&String> = pane.iter().filter(|l| l.starts_with('▶')).collect();
    assert_eq!(sel.len(), 1, "{pane:#?}");
    sel[0].clone()
}

#[test]
fn a_long_filter_stack_scrolls_in_its_pane_and_says_what_is_out_of_sight_80x24() {
    use ratatui::crossterm::event::{KeyModifiers, MouseButton, MouseEvent, MouseEventKind};
    let mut a = long_stack();
    let t = draw(&mut a, 80, 24);
    let pane = pane_lines(&a, &text(t.backend().buffer()));
    assert_eq!(pane.len(), 6, "{pane:#?}");
    assert!(pane[0].ends_with("↓6 more"), "{pane:#?}");
    assert_eq!(pane[1], "▶[x] hide /item 1$/");
    // Every entry can be selected and is on screen when it is.
    let names: Vec<String> = (1..=9)
        .map(|i| format!("hide /item {i}$/"))
        .chain(["mark /denied/".into(), "mark /HRESULT/".into()])
        .collect();
    for (i, name) in names.iter().enumerate() {
        if i > 0 {
            keys(&mut a, "j");
        }
        let t = draw(&mut a, 80, 24);
        let pane = pane_lines(&a, &text(t.backend().buffer()));
        assert!(
            selected_entry(&pane).ends_with(name.as_str()),
            "{i}: {pane:#?}"
        );
    }
    let t = draw(&mut a, 80, 24);
    let pane = pane_lines(&a, &text(t.backend().buffer()));
    assert!(pane[0].ends_with("↑6 more"), "{pane:#?}");
    // Moving up within the rows shown does not scroll them.
    keys(&mut a, "kk");
    let t = draw(&mut a, 80, 24);
    let up = pane_lines(&a, &text(t.backend().buffer()));
    let unmarked = |p: &[String]| -> Vec<String> {
        p[1..].iter().map(|l| l.chars().skip(1).collect()).collect()
    };
    assert_eq!(unmarked(&up), unmarked(&pane));
    assert!(selected_entry(&up).ends_with("hide /item 9$/"), "{up:#?}");
    // Space switches the entry scrolled into sight, d removes it.
    keys(&mut a, "<space>");
    assert!(!a.filter.stack.list[8].on);
    keys(&mut a, "d");
    assert_eq!(a.filter.stack.list.len(), 8);
    // A click selects the entry under it (the first row shown, under the title).
    keys(&mut a, "k");
    let r = a.layout().filters.unwrap();
    a.update(Msg::Mouse(MouseEvent {
        kind: MouseEventKind::Down(MouseButton::Left),
        column: r.x + 5,
        row: r.y + 1,
        modifiers: KeyModifiers::NONE,
    }));
    let t = draw(&mut a, 80, 24);
    let pane = pane_lines(&a, &text(t.backend().buffer()));
    assert_eq!(selected_entry(&pane), pane[1], "{pane:#?}");
    assert_eq!(a.focus, tslens::tui::app::Pane::Filters);
    insta::assert_snapshot!(t.backend());
}

#[test]
fn a_long_filter_stack_grows_its_pane_where_there_is_room_200x50() {
    let mut a = long_stack();
    let t = draw(&mut a, 200, 50);
    let pane = pane_lines(&a, &text(t.backend().buffer()));
    // Eleven entries, every one in sight, nothing said to be out of it.
    assert_eq!(pane.len(), 12, "{pane:#?}");
    assert!(!pane[0].contains("more"), "{pane:#?}");
    assert_eq!(pane[11], " [x] mark /HRESULT/");
    insta::assert_snapshot!(t.backend());
}

/// The status line of `t`.
fn status_line(t: &Terminal<TestBackend>) -> String {
    let screen = text(t.backend().buffer());
    screen.lines().last().unwrap_or_default().trim().to_string()
}

#[test]
fn a_notice_is_read_whole_on_an_80_column_status_line() {
    let mut a = app();
    // A wrong go-to entry: what was wrong and what would do, not cut by the file's name.
    keys(&mut a, ":zz9<ret>");
    let t = draw(&mut a, 80, 24);
    assert_eq!(
        status_line(&t),
        "line 21 │ not a line or a time: zz9 (try line, 10:42:03 or 2026-03-10 10:42)"
    );
    // n into a folded chain says it opened it.
    keys(&mut a, "g/HRESULT=<ret>n");
    let t = draw(&mut a, 80, 24);
    assert!(
        status_line(&t).contains("│ the match is in a folded chain: opened it │"),
        "{}",
        status_line(&t)
    );
    // Without a notice, the file's name leads as before.
    keys(&mut a, "j");
    let t = draw(&mut a, 80, 24);
    assert!(
        status_line(&t).starts_with("smsts.log │"),
        "{}",
        status_line(&t)
    );
}

#[test]
fn code_names_are_dimmed_and_highlights_coloured() {
    let mut a = triage_state();
    keys(&mut a, "<esc>g");
    let t = draw(&mut a, 200, 50);
    let buf = t.backend().buffer();
    let screen = text(buf);
    let log_width = a.layout().log.width as usize;
    // Only the log view: the side panel quotes the same text.
    let find = |needle: &str| {
        screen.lines().enumerate().find_map(|(y, l)| {
            let left: String = l.chars().take(log_width).collect();
            left.find(needle)
                .map(|i| (left[..i].chars().count() as u16, y as u16))
        })
    };
    let (x, y) = find("E_ACCESSDENIED").unwrap();
    assert_eq!(buf[(x, y)].fg, a.theme.style(Role::CodeName).fg.unwrap());
    let (x, y) = find("denied").unwrap();
    assert_eq!(buf[(x, y)].bg, a.theme.style(Role::Highlight1).bg.unwrap());
}

#[test]
fn overview_marks_errors_and_the_view() {
    // A log long enough that the strip is a summary: errors near the end only.
    let mut text_log = String::new();
    for i in 0..2000 {
        let kind = if i > 1800 && i % 50 == 0 { 3 } else { 1 };
        text_log.push_str(&rec(i, "Comp", kind, 1, &format!("record {i}")));
    }
    let mut a = app_with(log_from("long.log", &text_log), 120, 40);
    keys(&mut a, "g");
    let t = draw(&mut a, 120, 40);
    let buf = t.backend().buffer();
    let lay = a.layout();
    let strip = lay.overview.unwrap();
    let cells: Vec<&str> = (strip.y..strip.y + strip.height)
        .map(|y| buf[(strip.x, y)].symbol())
        .collect();
    let marked: Vec<usize> = cells
        .iter()
        .enumerate()
        .filter(|(_, c)| **c == "█")
        .map(|(i, _)| i)
        .collect();
    assert!(!marked.is_empty());
    assert!(
        marked.iter().all(|&i| i * 10 >= cells.len() * 8),
        "{cells:?}"
    );
    // The view is at the top: the first cell is drawn in the view's style.
    let view = a.theme.style(Role::OverviewView);
    assert_eq!(buf[(strip.x, strip.y)].bg, view.bg.unwrap());
    // A click on the strip goes to that part of the log.
    use ratatui::crossterm::event::{MouseButton, MouseEvent, MouseEventKind};
    a.update(Msg::Mouse(MouseEvent {
        kind: MouseEventKind::Down(MouseButton::Left),
        column: strip.x,
        row: strip.y + marked[0] as u16,
        modifiers: ratatui::crossterm::event::KeyModifiers::NONE,
    }));
    let pos = a.current_pos().unwrap();
    assert!(pos >= 1700, "{pos}");
}

/// A log of 2,000 made-up records, quiet but for two warnings in its first half and errors
/// near its end, with a bookmark at the start: the strip is a summary, one cell for dozens of
/// records.
fn long_quiet_log() -> App {
    let mut text_log = String::new();
    for i in 0..2000 {
        let kind = match i {
            500 | 1000 => 2,
            i if i > 1800 && i % 50 == 0 => 3,
            _ => 1,
        };
        text_log.push_str(&rec(i, "Comp", kind, 1, &format!("record {i}")));
    }
    let mut a = app_with(log_from("long.log", &text_log), 120, 40);
    keys(&mut a, "gm");
    a
}

fn check_overview_of_a_long_log(w: u16, h: u16) -> Terminal<TestBackend> {
    let mut a = long_quiet_log();
    let t = draw(&mut a, w, h);
    let buf = t.backend().buffer();
    let Some(strip) = a.layout().overview else {
        panic!("no overview strip at {w}x{h}");
    };
    let cells: String = (strip.y..strip.y + strip.height)
        .map(|y| buf[(strip.x, y)].symbol())
        .collect();
    let n = cells.chars().count();
    let at = |c: char| -> Vec<usize> {
        cells
            .chars()
            .enumerate()
            .filter(|(_, x)| *x == c)
            .map(|(i, _)| i)
            .collect()
    };
    // The bookmark on the first cell, the warnings a quarter and half way down, the
    // errors in the last tenth; nothing else marked.
    assert_eq!(at('●'), [0], "{cells}");
    assert_eq!(at('▒'), [n / 4, n / 2], "{cells}");
    let errors = at('█');
    assert!(
        !errors.is_empty() && errors.iter().all(|&i| i * 10 >= n * 9),
        "{cells}"
    );
    assert_eq!(at('│').len(), n - 3 - errors.len(), "{cells}");
    t
}

#[test]
fn overview_of_a_long_log_200x50() {
    let t = check_overview_of_a_long_log(200, 50);
    insta::assert_snapshot!(t.backend());
}

#[test]
fn overview_of_a_long_log_80x24() {
    let t = check_overview_of_a_long_log(80, 24);
    insta::assert_snapshot!(t.backend());
}

/// Each of a finding's causes is its own numbered paragraph in the panel, and a cause whose
/// text holds " 2. " stays whole (the panel used to split a joined "1. a 2. b" there). The
/// rule and the log line are made up for this test.
#[test]
fn the_panel_lists_a_findings_causes_whole() {
    let set = rules_from(
        r#"[[rule]]
id = "two-causes"
title = "The copy was refused"
[[rule.signal]]
message = 'copy refused'
[[rule.cause]]
text = "Disk 2. is offline."
fix = ["Bring it online."]
[[rule.cause]]
text = "The cable is loose."
fix = ["Plug it in."]
"#,
    );
    let log = log_from("x.log", &rec(0, "Copy", 3, 1, "copy refused"));
    let mut a = app_with_rules(log, &set, 120, 40);
    let t = draw(&mut a, 120, 40);
    let screen = text(t.backend().buffer());
    let lines: Vec<&str> = screen.lines().map(str::trim_end).collect();
    let at = |needle: &str| {
        lines
            .iter()
            .position(|l| l.ends_with(needle))
            .unwrap_or_else(|| panic!("no line ends with {needle:?}:\n{screen}"))
    };
    let heading = at("Causes, most likely first");
    assert_eq!(at("1. Disk 2. is offline."), heading + 1);
    assert_eq!(at("2. The cable is loose."), heading + 2);
}

/// A run whose first failure the sequence went past (continue on error) and whose later
/// step failed it: the explorer opens on the failure that ended the run, not on the
/// ignored one that a rule recognised, and the steps pane says skipped and ignored.
#[test]
fn opens_on_the_failure_that_ended_the_run_and_shows_skipped_and_ignored() {
    let mut s = String::new();
    let mut t = 0;
    let mut push = |comp: &str, kind: u8, msg: &str| {
        s.push_str(&rec(t, comp, kind, 100, msg));
        t += 1;
    };
    for i in 0..30 {
        push("TSManager", 1, &format!("Reading policy item {i}"));
    }
    push("TSManager", 1, "Start executing an instruction. Instruction name: Enable BitLocker. Instruction pointer: 1");
    push(
        "TSManager",
        1,
        "The action (Enable BitLocker) has been skipped because it is disabled",
    );
    push(
        "TSManager",
        1,
        "Start executing an instruction. Instruction name: Install App. Instruction pointer: 2",
    );
    push("InstallSoftware", 3, "Access is denied. 0x80070005");
    push("TSManager", 3, "Failed to run the action: Install App. Access is denied. (Error: 80070005; Source: Windows)");
    push("TSManager", 2, "The execution engine ignored the failure of the action (Install App) and continues execution");
    push(
        "TSManager",
        1,
        "Start executing an instruction. Instruction name: Apply Drivers. Instruction pointer: 3",
    );
    push(
        "OSDDriverClient",
        3,
        "Failed to find driver package P0100012, hr=0x80070490",
    );
    push("TSManager", 3, "Failed to run the action: Apply Drivers. Element not found. (Error: 80070490; Source: Windows)");
    push(
        "TSManager",
        3,
        "Task sequence execution failed with error code 80070490",
    );
    for i in 0..30 {
        push("TSManager", 1, &format!("Cleaning up item {i}"));
    }
    let mut a = app_with(log_from("smsts.log", &s), 140, 50);
    // The test rule recognises the ignored step's error and ranks first...
    assert_eq!(a.analysis.findings[0].id, "test-access-denied");
    // ...but the explorer opens on the finding about the failure that ended the run.
    let open = a.panel.finding.expect("a finding is open");
    assert_eq!(a.analysis.findings[open].id, "what-failed");
    assert!(
        current_message(&a).contains("P0100012"),
        "{}",
        current_message(&a)
    );
    keys(&mut a, "<tab><tab>");
    let t = draw(&mut a, 140, 50);
    let screen = text(t.backend().buffer());
    let row = |name: &str| {
        // The steps pane is under the log view: its row is the last with the name.
        screen
            .lines()
            .rev()
            .find(|l| l.contains(name))
            .unwrap_or_else(|| panic!("no row for {name}:\n{screen}"))
            .to_string()
    };
    assert!(row("Enable BitLocker").contains("skipped"), "{screen}");
    assert!(row("Install App").contains("ignored"), "{screen}");
    assert!(row("Apply Drivers").contains("failed"), "{screen}");
}

/// A log whose end tslens cannot read, with no rule matching (KB4018656's MP_ClientID.log
/// lines, tests/real, read without the knowledge base): the panel lists the errors to read, the telling one first and
/// selected, and the explorer opens on it rather than on line 1.
#[test]
fn panel_lists_the_errors_to_read_when_no_finding_explains() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/real/client/kb4018656-mp-spgetlockstate-execute-denied.log");
    let log = tslens::log::Log::open(&[tslens::source::Input::File(path)]).unwrap();
    let mut a = app_with_rules(log, &tslens::kb::RuleSet::empty(), 110, 24);
    assert!(a.analysis.findings.is_empty());
    assert_eq!(a.panel.finding, None);
    assert_eq!(a.current_pos(), Some(a.analysis.errors_to_read[0].index));
    let t = draw(&mut a, 110, 24);
    let screen = text(t.backend().buffer());
    assert!(screen.contains("Errors to read"), "{screen}");
    assert!(
        screen.contains(">    5 Error Description : The EXECUTE"),
        "{screen}"
    );
    insta::assert_snapshot!(t.backend());
}
