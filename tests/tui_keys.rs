//! The explorer's state and keys, driven without a terminal.

mod tui_support;

use tslens::parse::Severity;
use tslens::tui::app::{LoadState, Pane, PromptKind};
use tslens::tui::rows::Row;
use tslens::tui::{Effect, Msg};
use tui_support::*;

use tslens::tui::filters::FilterKind;

/// True when a filter that is on tests this.
fn has(a: &tslens::tui::App, pred: impl Fn(&FilterKind) -> bool) -> bool {
    a.filter.stack.list.iter().any(|f| f.on && pred(&f.kind))
}

#[test]
fn first_screen_shows_the_top_finding_on_its_evidence() {
    let app = app();
    assert_eq!(app.load.state, LoadState::Ready);
    assert_eq!(app.panel.finding, Some(0));
    assert_eq!(app.analysis.findings[0].id, "test-access-denied");
    let ev = app.analysis.findings[0].evidence[0].index;
    assert_eq!(app.current_pos(), Some(ev));
    assert!(current_message(&app).starts_with("Access is denied"));
    // On screen.
    assert!(app.view.cursor >= app.view.top && app.view.cursor < app.view.top + app.page());
}

#[test]
fn moving_like_less() {
    let mut a = app();
    keys(&mut a, "g");
    assert_eq!(a.view.cursor, 0);
    keys(&mut a, "jjj");
    assert_eq!(a.view.cursor, 3);
    keys(&mut a, "k<down><up><up>");
    assert_eq!(a.view.cursor, 1);
    keys(&mut a, "G");
    assert_eq!(a.view.cursor, a.rows.len() - 1);
    keys(&mut a, "<c-u>");
    assert_eq!(a.view.cursor, a.rows.len() - 1 - a.page() / 2);
    keys(&mut a, "g<pgdn>");
    assert_eq!(a.view.cursor, a.page());
    keys(&mut a, "<c-d>g");
    assert_eq!(a.view.cursor, 0);
    assert_eq!(a.view.top, 0);
    // Never beyond the ends.
    keys(&mut a, "kkk");
    assert_eq!(a.view.cursor, 0);
}

#[test]
fn chain_is_folded_to_one_row_and_toggles() {
    let mut a = app();
    let chain = &a.analysis.chains[0];
    assert_eq!(chain.frames.len(), 3);
    assert_eq!(chain.root, 0x8007_0005);
    let total = a.log.len();
    // Folded by default: 3 frames and the summary line make one row.
    assert_eq!(a.rows.len(), total - 3);
    keys(&mut a, "gc");
    assert!(matches!(a.current_row(), Some(Row::Chain { chain: 0, .. })));
    keys(&mut a, "<ret>");
    assert_eq!(a.rows.len(), total);
    assert!(matches!(a.current_row(), Some(Row::Record(_))));
    assert!(current_message(&a).contains("HRESULT=80070005"));
    // The other thread's record between the frames stays in its place.
    keys(&mut a, "j");
    assert_eq!(current_message(&a), "Waiting for the action to finish");
    keys(&mut a, "<space>");
    assert_eq!(
        a.notice.as_deref(),
        Some("no chain here (c / C move between chains)")
    );
    keys(&mut a, "jj<space>");
    assert_eq!(a.rows.len(), total - 3);
    assert!(matches!(a.current_row(), Some(Row::Chain { .. })));
    keys(&mut a, "Z");
    assert_eq!(a.rows.len(), total);
    keys(&mut a, "Z");
    assert_eq!(a.rows.len(), total - 3);
}

#[test]
fn incremental_search_counts_and_moves() {
    let mut a = app();
    keys(&mut a, "g/clean");
    // While typing: the first match is under the cursor, and every match is counted.
    assert!(a.prompt.line.is_some());
    assert!(current_message(&a).starts_with("Cleaning up item 0"));
    assert_eq!(a.prompt.search.as_ref().unwrap().matches.len(), 40);
    keys(&mut a, "<ret>");
    assert!(a.prompt.line.is_none());
    assert_eq!(a.match_ordinal(), Some(1));
    keys(&mut a, "nn");
    assert_eq!(current_message(&a), "Cleaning up item 2");
    keys(&mut a, "N");
    assert_eq!(current_message(&a), "Cleaning up item 1");
    keys(&mut a, "G");
    keys(&mut a, "n");
    assert_eq!(current_message(&a), "Cleaning up item 0");
    assert_eq!(a.notice.as_deref(), Some("search wrapped"));
    keys(&mut a, "<esc>");
    assert!(a.prompt.search.is_none());
}

#[test]
fn search_is_smart_case_and_esc_restores() {
    let mut a = app();
    keys(&mut a, "g");
    keys(&mut a, "/Cleaning");
    assert_eq!(a.prompt.search.as_ref().unwrap().matches.len(), 40);
    keys(&mut a, "<esc>");
    assert_eq!(a.view.cursor, 0);
    assert!(a.prompt.search.is_none());
    keys(&mut a, "/CLEANING<ret>");
    assert_eq!(a.prompt.search.as_ref().unwrap().matches.len(), 0);
    assert_eq!(a.view.cursor, 0);
}

#[test]
fn invalid_pattern_shows_its_error_in_the_prompt() {
    let mut a = app();
    keys(&mut a, "/(abc");
    let p = a.prompt.line.as_ref().unwrap();
    assert_eq!(p.kind, PromptKind::Search);
    let err = p.error.as_deref().unwrap();
    assert!(err.contains("unclosed group"), "{err}");
    // Enter keeps the prompt open on an invalid pattern; fixing it clears the error.
    keys(&mut a, "<ret>");
    assert!(a.prompt.line.is_some());
    keys(&mut a, ")");
    assert!(a.prompt.line.as_ref().unwrap().error.is_none());
    keys(&mut a, "<ret>");
    assert!(a.prompt.line.is_none());
}

#[test]
fn filters_compose_and_count_hidden_records() {
    let mut a = app();
    let total = a.log.len();
    keys(&mut a, "v");
    assert!(has(&a, |k| matches!(
        k,
        FilterKind::Severity(Severity::Warning)
    )));
    let warn_or_worse = a.rows.len();
    assert!(warn_or_worse < total);
    assert!(a.rows.filtered_count() > 0);
    keys(&mut a, "v");
    assert!(has(&a, |k| matches!(
        k,
        FilterKind::Severity(Severity::Error)
    )));
    // Add a text filter on top: only errors mentioning HRESULT, but the folded chain row
    // stands for its frames.
    keys(&mut a, "&denied<ret>");
    assert_eq!(a.rows.len(), 1);
    assert!(current_message(&a).starts_with("Access is denied"));
    // Analysis still sees every record.
    assert_eq!(a.analysis.chains.len(), 1);
    assert_eq!(a.index.errors.len(), 7);
    keys(&mut a, "x");
    assert!(!a.filter.stack.active());
    assert_eq!(a.rows.len(), total - 3);
    assert!(current_message(&a).starts_with("Access is denied"));
}

#[test]
fn component_and_thread_filters_take_the_current_record() {
    let mut a = app();
    keys(&mut a, "g");
    keys(&mut a, "/Formatting<ret>");
    keys(&mut a, "o");
    assert!(has(
        &a,
        |k| matches!(k, FilterKind::Component(c) if c == "OSDDiskPart")
    ));
    assert_eq!(a.rows.len(), 2);
    keys(&mut a, "oT");
    assert!(has(&a, |k| matches!(k, FilterKind::Thread(300))));
    assert_eq!(a.rows.len(), 2);
    keys(&mut a, "T");
    assert!(!a.filter.stack.active());
}

#[test]
fn next_error_warning_chain_step_and_finding() {
    let mut a = app();
    keys(&mut a, "g");
    keys(&mut a, "w");
    assert_eq!(
        a.current_pos().map(|p| a.log.meta(a.log.at(p)).severity()),
        Some(Severity::Warning)
    );
    keys(&mut a, "e");
    assert!(current_message(&a).starts_with("Access is denied"));
    keys(&mut a, "e");
    // The next error is the folded chain (its frames are errors).
    assert!(matches!(a.current_row(), Some(Row::Chain { .. })));
    keys(&mut a, "e");
    assert!(current_message(&a).starts_with("Failed to run the action"));
    keys(&mut a, "E");
    assert!(matches!(a.current_row(), Some(Row::Chain { .. })));
    keys(&mut a, "g");
    keys(&mut a, "s");
    assert!(current_message(&a).contains("Partition Disk"));
    keys(&mut a, "s");
    assert!(current_message(&a).contains("Install App"));
    keys(&mut a, "S");
    assert!(current_message(&a).contains("Partition Disk"));
    keys(&mut a, "G");
    // Finding 0 is open from the start: i goes on to the next, I comes back.
    let n = a.analysis.findings.len();
    keys(&mut a, "i");
    assert_eq!(a.panel.finding, Some(1 % n));
    keys(&mut a, "I");
    assert_eq!(a.panel.finding, Some(0));
    assert!(current_message(&a).starts_with("Access is denied"));
    keys(&mut a, "e");
    keys(&mut a, "g");
    keys(&mut a, "e");
    assert!(a.notice.is_none() || a.notice.as_deref() != Some("no error below"));
}

#[test]
fn evidence_in_the_panel_jumps() {
    let mut a = app();
    keys(&mut a, "<tab>");
    assert_eq!(a.focus, Pane::Panel);
    let n = a.analysis.findings[0].evidence.len();
    assert!(n >= 1);
    keys(&mut a, "G");
    assert_eq!(a.panel.evidence_sel, n - 1);
    keys(&mut a, "<ret>");
    let ev = a.analysis.findings[0].evidence[n - 1].index;
    assert_eq!(a.current_pos(), Some(ev));
    keys(&mut a, "<esc>");
    assert_eq!(a.focus, Pane::Log);
}

#[test]
fn steps_pane_jumps_to_a_step() {
    let mut a = app();
    keys(&mut a, "<tab><tab>");
    assert_eq!(a.focus, Pane::Steps);
    keys(&mut a, "g<ret>");
    assert!(current_message(&a).contains("Partition Disk"));
    keys(&mut a, "j<ret>");
    assert!(current_message(&a).contains("Install App"));
    keys(&mut a, "<s-tab>");
    assert_eq!(a.focus, Pane::Panel);
}

#[test]
fn bookmarks_and_go_to_line() {
    let mut a = app();
    keys(&mut a, ":5<ret>");
    assert_eq!(a.log.meta(a.current_ref().unwrap()).line, 5);
    keys(&mut a, "m");
    keys(&mut a, ":30<ret>m");
    let l30 = a.log.meta(a.current_ref().unwrap()).line;
    keys(&mut a, "G");
    keys(&mut a, "b");
    assert_eq!(a.notice.as_deref(), Some("no bookmark below"));
    keys(&mut a, "B");
    assert_eq!(a.log.meta(a.current_ref().unwrap()).line, l30);
    keys(&mut a, "B");
    assert_eq!(a.log.meta(a.current_ref().unwrap()).line, 5);
    keys(&mut a, "b");
    assert_eq!(a.log.meta(a.current_ref().unwrap()).line, l30);
    keys(&mut a, "B");
    keys(&mut a, "m");
    assert_eq!(a.bookmarks.len(), 1);
    keys(&mut a, ":abc");
    assert!(a.prompt.line.as_ref().unwrap().error.is_some());
    keys(&mut a, "<esc>");
    assert!(a.prompt.line.is_none());
}

#[test]
fn copy_goes_out_as_an_effect() {
    let mut a = app();
    let fx = keys(&mut a, "y");
    match &fx[..] {
        [Effect::Copy(text)] => assert!(text.contains("<![LOG[Access is denied")),
        other => panic!("{other:?}"),
    }
    let fx = keys(&mut a, "Y");
    match &fx[..] {
        [Effect::Copy(text)] => {
            assert!(text.contains("The installer cannot write its folder"));
            assert!(text.contains("1. Make the folder writable."));
            assert!(text.contains("smsts.log:"));
        }
        other => panic!("{other:?}"),
    }
    // A folded chain copies all of its records.
    let fx = keys(&mut a, "gcy");
    match &fx[..] {
        [Effect::Copy(text)] => assert_eq!(text.matches("HRESULT=").count(), 3),
        other => panic!("{other:?}"),
    }
}

#[test]
fn help_esc_and_quit() {
    let mut a = app();
    keys(&mut a, "?");
    assert!(a.help.is_some());
    keys(&mut a, "j");
    assert_eq!(a.help, Some(1));
    keys(&mut a, "<esc>");
    assert!(a.help.is_none());
    assert_eq!(keys(&mut a, "q"), vec![Effect::Quit]);
    assert_eq!(keys(&mut a, "<c-c>"), vec![Effect::Quit]);
    assert_eq!(a.update(Msg::Quit), vec![Effect::Quit]);
    // In a prompt, q is text.
    assert!(keys(&mut a, "/q").is_empty());
}

#[test]
fn follow_goes_to_the_end_and_moving_up_stops_it() {
    let mut a = app();
    keys(&mut a, "F");
    assert!(a.view.follow);
    assert_eq!(a.view.cursor, a.rows.len() - 1);
    keys(&mut a, "k");
    assert!(!a.view.follow);
}

#[test]
fn several_sources_merge_by_time_and_narrow_to_one() {
    let a_text: String = (0..10)
        .map(|i| rec(i * 2, "A", 1, 1, &format!("from a {i}")))
        .collect();
    let b_text: String = (0..10)
        .map(|i| rec(i * 2 + 1, "B", 1, 2, &format!("from b {i}")))
        .collect();
    let sa = tslens::log::Source::index(tslens::source::SourceText::from_vec(
        "a.log".into(),
        a_text.into_bytes(),
    ));
    let sb = tslens::log::Source::index(tslens::source::SourceText::from_vec(
        "b.log".into(),
        b_text.into_bytes(),
    ));
    let log = tslens::log::Log::from_sources(vec![sa, sb]);
    let mut a = app_with(log, 120, 40);
    keys(&mut a, "g");
    assert_eq!(current_message(&a), "from a 0");
    keys(&mut a, "j");
    assert_eq!(current_message(&a), "from b 0");
    keys(&mut a, "u");
    assert!(has(&a, |k| matches!(k, FilterKind::Source(0))));
    assert_eq!(a.rows.len(), 10);
    keys(&mut a, "u");
    assert!(has(&a, |k| matches!(k, FilterKind::Source(1))));
    keys(&mut a, "g");
    assert_eq!(current_message(&a), "from b 0");
    keys(&mut a, "u");
    assert!(!has(&a, |k| matches!(k, FilterKind::Source(_))));
    assert_eq!(a.rows.len(), 20);
}

#[test]
fn empty_and_odd_inputs_do_not_panic() {
    for text in [
        "",
        "\n",
        "no format at all\r\n\x1b[31m",
        "<![LOG[never closed\n",
    ] {
        let mut a = app_with(log_from("x.log", text), 80, 24);
        keys(&mut a, "jkgGGeEwWcCiIsSnN<ret><space>Zmbb:1<ret>/x<ret>nN&x<ret>vvvxotTuy?<esc><tab><ret><tab><ret>");
        for (w, h) in [(1, 1), (20, 6), (0, 0), (300, 100)] {
            a.update(Msg::Resize(w, h));
            keys(&mut a, "jG<pgup>");
        }
    }
}

/// A big log is readable before its analysis ends: the loading worker sends the whole log
/// framed (every record a row, the overview's errors marked) first, then the analysis,
/// which folds the chains and opens the top finding without losing the user's place.
#[test]
fn the_whole_log_shows_before_its_analysis_then_the_finding() {
    use tslens::engine::Engine;
    use tslens::source::Input;
    use tslens::tui::load::{load_full, preview, LoadMsg};

    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("smsts.log");
    std::fs::write(&path, synthetic()).unwrap();
    let inputs = vec![Input::File(path)];
    // A preview of a few records, as the runtime shows first on a big file.
    let pre = preview(&inputs, false, 600).unwrap();
    assert!(!pre.complete);
    let theme = tslens::tui::theme::Theme::load("dark").unwrap();
    let mut a = tslens::tui::App::from_preview(pre, theme, &tslens::tui::Options::default());
    a.update(Msg::Resize(120, 40));
    let previewed = a.rows.len();

    let (tx, rx) = crossbeam_channel::unbounded();
    load_full(&inputs, &Engine::new(rules()), &tx, &[]);
    drop(tx);
    let msgs: Vec<LoadMsg> = rx.iter().collect();
    let at = |want: fn(&LoadMsg) -> bool| msgs.iter().position(want);
    let indexed = at(|m| matches!(m, LoadMsg::Indexed(_))).expect("the framed log is sent");
    let done = at(|m| matches!(m, LoadMsg::Done(_))).expect("then the analysed one");
    assert!(indexed < done);

    let mut msgs = msgs.into_iter();
    for m in msgs.by_ref().take(indexed + 1) {
        a.update(Msg::Load(m));
    }
    // Every record is a row (no chain folded yet), errors are known, nothing analysed.
    let full = a.log.len();
    assert!(full > previewed, "{full} records, {previewed} previewed");
    assert_eq!(a.rows.len(), full);
    assert!(!a.index.errors.is_empty());
    assert!(a.analysis.findings.is_empty() && a.analysis.chains.is_empty());
    assert_eq!(a.load.state, LoadState::Analysing);
    keys(&mut a, "G");
    assert_eq!(a.view.cursor, full - 1);

    for m in msgs {
        a.update(Msg::Load(m));
    }
    assert_eq!(a.load.state, LoadState::Ready);
    assert!(!a.analysis.chains.is_empty());
    assert!(a.rows.len() < full, "the chains fold");
    // The user moved meanwhile: the view stays at the end rather than jumping.
    assert_eq!(a.view.cursor, a.rows.len() - 1);
}

#[test]
fn a_focused_pane_that_leaves_the_screen_gives_the_keys_back_to_the_log() {
    let mut a = app();
    keys(&mut a, "g-item 1<ret>-item 2<ret>f");
    assert_eq!(a.focus, Pane::Filters);
    // Too short for the pane: j moves the log, not a selection no one can see.
    a.update(Msg::Resize(50, 10));
    assert!(a.layout().filters.is_none());
    let before = a.view.cursor;
    keys(&mut a, "j");
    assert_eq!(a.focus, Pane::Log);
    assert_eq!(a.view.cursor, before + 1);
    assert_eq!(a.filter.sel, 0);
    // The same for the side panel, hidden with p while focused.
    a.update(Msg::Resize(120, 40));
    keys(&mut a, "<tab>");
    assert_eq!(a.focus, Pane::Panel);
    a.update(Msg::Resize(60, 14));
    assert_eq!(a.focus, Pane::Log);
}

#[test]
fn over_the_help_the_wheel_scrolls_it_and_a_click_closes_it() {
    use ratatui::crossterm::event::{MouseButton, MouseEvent, MouseEventKind};
    let mut a = app();
    a.update(Msg::Resize(80, 24));
    let cursor = a.view.cursor;
    keys(&mut a, "?");
    let mouse = |kind| {
        Msg::Mouse(MouseEvent {
            kind,
            column: 10,
            row: 10,
            modifiers: ratatui::crossterm::event::KeyModifiers::NONE,
        })
    };
    a.update(mouse(MouseEventKind::ScrollDown));
    assert_eq!(a.help, Some(3));
    assert_eq!(a.view.cursor, cursor, "the log beneath stays");
    a.update(mouse(MouseEventKind::ScrollUp));
    assert_eq!(a.help, Some(0));
    a.update(mouse(MouseEventKind::Down(MouseButton::Left)));
    assert_eq!(a.help, None);
    assert_eq!(
        a.view.cursor, cursor,
        "the click closed the help, nothing else"
    );
}

#[test]
fn a_click_on_a_step_selects_it_and_enter_goes_there() {
    use ratatui::crossterm::event::{KeyModifiers, MouseButton, MouseEvent, MouseEventKind};
    let mut a = app();
    let r = a.layout().steps.expect("the timeline is shown");
    let click = |row| {
        Msg::Mouse(MouseEvent {
            kind: MouseEventKind::Down(MouseButton::Left),
            column: r.x + 10,
            row,
            modifiers: KeyModifiers::NONE,
        })
    };
    // The first row under the title is the first step.
    a.update(click(r.y + 1));
    assert_eq!(a.focus, Pane::Steps);
    assert_eq!(a.steps.sel, 0);
    keys(&mut a, "<ret>");
    assert_eq!(a.current_pos(), Some(a.analysis.steps.steps[0].span.0));
    a.update(click(r.y + 2));
    assert_eq!(a.steps.sel, 1);
}

/// With no finding, the errors to read in the panel jump like evidence (KB4018656's
/// MP_ClientID.log lines, tests/real, read without the knowledge base): Tab, down, Enter puts the cursor on the second.
#[test]
fn errors_to_read_in_the_panel_jump() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/real/client/kb4018656-mp-spgetlockstate-execute-denied.log");
    let log = tslens::log::Log::open(&[tslens::source::Input::File(path)]).unwrap();
    let mut a = app_with_rules(log, &tslens::kb::RuleSet::empty(), 110, 24);
    let errors = a.analysis.errors_to_read.clone();
    assert!(errors.len() >= 3);
    keys(&mut a, "<tab>");
    assert_eq!(a.focus, Pane::Panel);
    keys(&mut a, "j<ret>");
    assert_eq!(a.panel.evidence_sel, 1);
    assert_eq!(a.current_pos(), Some(errors[1].index));
    keys(&mut a, "G<ret>");
    assert_eq!(a.current_pos(), Some(errors[errors.len() - 1].index));
    assert_eq!(current_message(&a), "MPDB ERROR - EXTENDED INFORMATION");
}
