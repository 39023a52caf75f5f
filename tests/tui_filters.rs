//! Stacked filters, the filter pane, highlights, time and the other keys of issue 17,
//! driven without a terminal.

mod tui_support;

use tslens::tui::app::{Pane, PromptKind};
use tslens::tui::filters::FilterKind;
use tslens::tui::Effect;
use tui_support::*;

fn messages(app: &tslens::tui::App) -> Vec<String> {
    (0..app.rows.len())
        .filter_map(|r| app.rows.pos(r))
        .map(|p| app.log.message(app.log.at(p)).into_owned())
        .collect()
}

#[test]
fn includes_of_one_kind_add_up_and_excludes_take_away() {
    let mut a = app();
    keys(&mut a, "&Cleaning up<ret>");
    assert_eq!(a.rows.len(), 40);
    // A second regex include widens: either pattern.
    keys(&mut a, "&Reading policy<ret>");
    assert_eq!(a.rows.len(), 52);
    assert_eq!(a.filter.stack.list.len(), 2);
    // An exclude narrows, whatever the includes say.
    keys(&mut a, "-item 1<ret>");
    let shown = messages(&a);
    assert!(shown.iter().all(|m| !m.contains("item 1")), "{shown:?}");
    // item 1, 10..19 of the cleaning, item 1, 10, 11 of the policy.
    assert_eq!(a.rows.len(), 52 - 11 - 3);
    // Includes of different kinds must both hold: a component include on top.
    keys(&mut a, "g");
    keys(&mut a, "o");
    assert_eq!(a.rows.len(), 52 - 11 - 3);
    keys(&mut a, "x");
    assert!(!a.filter.stack.active());
}

#[test]
fn hiding_the_noise_with_look_around() {
    let mut a = app();
    let total = a.rows.len();
    // Hide every "Cleaning up" line but item 7: a negative look-ahead.
    keys(&mut a, r"-^Cleaning up item (?!7\b)<ret>");
    assert!(
        a.prompt.line.is_none(),
        "{:?}",
        a.prompt.line.as_ref().and_then(|p| p.error.clone())
    );
    let shown = messages(&a);
    assert_eq!(a.rows.len(), total - 39);
    assert!(shown.iter().any(|m| m == "Cleaning up item 7"));
    // Search takes look-around too.
    keys(&mut a, r"g/policy item (?=1\d)<ret>");
    assert!(a
        .prompt
        .search
        .as_ref()
        .is_some_and(|s| s.matches.len() == 2));
}

#[test]
fn hide_a_component_then_flip_switch_and_remove_it_in_the_pane() {
    let mut a = app();
    let total = a.rows.len();
    keys(&mut a, "g");
    keys(&mut a, "O");
    // TSManager hidden: what is left is the other components.
    let shown = messages(&a);
    assert!(shown.len() < total / 2, "{}", shown.len());
    assert!(matches!(
        &a.filter.stack.list[0],
        f if f.exclude && matches!(&f.kind, FilterKind::Component(c) if c == "TSManager")
    ));
    let hidden = a.rows.len();
    // The pane: f focuses it, Space switches the filter off and on.
    keys(&mut a, "f");
    assert_eq!(a.focus, Pane::Filters);
    keys(&mut a, "<space>");
    assert!(!a.filter.stack.list[0].on);
    assert_eq!(a.rows.len(), total);
    keys(&mut a, "<space>");
    assert_eq!(a.rows.len(), hidden);
    // ! turns it into "only TSManager".
    keys(&mut a, "!");
    assert!(!a.filter.stack.list[0].exclude);
    let only = messages(&a);
    assert!(only.iter().all(|m| !m.starts_with("Formatting")));
    assert!(only.iter().any(|m| m == "Task sequence engine started"));
    // d removes it; the pane gives the focus back when empty.
    keys(&mut a, "d");
    assert!(a.filter.stack.list.is_empty());
    assert_eq!(a.rows.len(), total);
    assert_eq!(a.focus, Pane::Log);
}

#[test]
fn pane_keys_outside_the_pane_say_what_to_do() {
    let mut a = app();
    keys(&mut a, "!");
    assert_eq!(a.notice.as_deref(), Some("f selects a filter first"));
    keys(&mut a, "f");
    assert!(a
        .notice
        .as_deref()
        .is_some_and(|n| n.starts_with("no filter yet")));
}

#[test]
fn go_to_a_time_and_refuse_what_is_not_one() {
    let mut a = app();
    keys(&mut a, "g:10:00:28<ret>");
    assert!(a.prompt.line.is_none());
    assert_eq!(current_message(&a), "Cleaning up item 0");
    keys(&mut a, ":2026-03-10 10:00:13<ret>");
    assert!(
        current_message(&a).contains("Partition Disk"),
        "{}",
        current_message(&a)
    );
    // A line number still works.
    keys(&mut a, ":1<ret>");
    assert_eq!(a.view.cursor, 0);
    // Past the end: said, and the prompt is closed.
    keys(&mut a, ":23:00<ret>");
    assert!(a.prompt.line.is_none());
    assert_eq!(a.notice.as_deref(), Some("the log ends before that time"));
    // Not a line nor a time: an error, the prompt closed, the next key works again.
    keys(&mut a, ":zz<ret>");
    assert!(a.prompt.line.is_none());
    assert!(a
        .notice
        .as_deref()
        .is_some_and(|n| n.starts_with("not a line or a time")));
    keys(&mut a, "G");
    assert_eq!(a.view.cursor, a.rows.len() - 1);
}

#[test]
fn time_windows_by_clock_and_before_the_selected_record() {
    let mut a = app();
    keys(&mut a, "@10:00:28 to 10:00:32<ret>");
    assert_eq!(
        messages(&a),
        (0..5)
            .map(|i| format!("Cleaning up item {i}"))
            .collect::<Vec<_>>()
    );
    keys(&mut a, "x");
    // The 3 seconds up to the failure of the run (the cursor on it).
    keys(&mut a, "g/Failed to run the action<ret>");
    keys(&mut a, "@-3s<ret>");
    assert!(a.filter.stack.active());
    let shown = messages(&a);
    assert!(shown
        .last()
        .is_some_and(|m| m.starts_with("Failed to run the action")));
    assert!(shown.len() <= 4, "{shown:?}");
    assert!(
        matches!(&a.filter.stack.list[0].kind, FilterKind::Window { label, .. } if label.contains("(-3s)"))
    );
    keys(&mut a, "x@soon<ret>");
    assert!(a.notice.as_deref().is_some_and(|n| n.contains("e.g.")));
    assert!(!a.filter.stack.active());
}

#[test]
fn the_minutes_before_the_failure_wherever_the_cursor_is() {
    let mut a = app();
    keys(&mut a, "g/Failed to run the action<ret>@-3s<ret>");
    let from_the_failure = messages(&a);
    assert!(from_the_failure.len() > 1, "{from_the_failure:?}");
    // At the top of the log, far from the failure: the same window.
    keys(&mut a, "x<esc>g@-3s failure<ret>");
    assert_eq!(messages(&a), from_the_failure);
    assert!(
        matches!(&a.filter.stack.list[0].kind, FilterKind::Window { label, .. } if label.contains("(-3s failure)"))
    );
    // A clock window has no failure to count from; a log without a failure says so.
    keys(&mut a, "x@10:00 to 10:01 failure<ret>");
    assert!(a
        .notice
        .as_deref()
        .is_some_and(|n| n.contains("'failure' goes with")));
    let mut ok = app_with(
        log_from(
            "ok.log",
            &rec(0, "TSManager", 1, 1, "Task sequence engine started"),
        ),
        120,
        40,
    );
    keys(&mut ok, "@-5m failure<ret>");
    assert_eq!(
        ok.notice.as_deref(),
        Some("time window -5m failure: no failure in this log to count from")
    );
}

#[test]
fn lnav_commands_after_colon_do_what_the_keys_do() {
    let mut a = app();
    keys(&mut a, ":filter-out Cleaning up<ret>");
    let f = &a.filter.stack.list[0];
    assert!(f.exclude && matches!(&f.kind, FilterKind::Text(p) if p.text == "Cleaning up"));
    assert!(messages(&a).iter().all(|m| !m.contains("Cleaning up")));
    keys(&mut a, ":filter-in policy<ret>");
    let f = &a.filter.stack.list[1];
    assert!(!f.exclude && matches!(&f.kind, FilterKind::Text(p) if p.text == "policy"));
    keys(&mut a, ":highlight denied<ret>");
    assert_eq!(a.filter.highlights.len(), 1);
    keys(&mut a, "x:goto 3<ret>");
    assert_eq!(a.log.meta(a.current_ref().unwrap()).line, 3);
    // A bad regex opens the filter's own prompt with the error, to be fixed there.
    keys(&mut a, ":filter-out (abc<ret>");
    let p = a.prompt.line.as_ref().unwrap();
    assert_eq!((p.kind, p.input.as_str()), (PromptKind::Exclude, "(abc"));
    assert!(p.error.is_some());
}

#[test]
fn utc_toggle_moves_times_by_the_bias() {
    let text = "<![LOG[east]LOG]!><time=\"10:00:00.000-120\" date=\"03-10-2026\" component=\"A\" context=\"\" type=\"1\" thread=\"1\" file=\"\">\r\n\
                <![LOG[west]LOG]!><time=\"09:30:00.000+060\" date=\"03-10-2026\" component=\"B\" context=\"\" type=\"1\" thread=\"1\" file=\"\">\r\n";
    let mut a = app_with(log_from("tz.log", text), 120, 30);
    keys(&mut a, "U");
    assert!(a.utc);
    // 10:00 at UTC+2 is 08:00 UTC; 09:30 at UTC-1 is 10:30 UTC.
    keys(&mut a, "g:10:00<ret>");
    assert_eq!(current_message(&a), "west");
    keys(&mut a, "U");
    assert!(!a.utc);
    keys(&mut a, "g:09:45<ret>");
    assert_eq!(current_message(&a), "east");
}

#[test]
fn highlights_take_colours_in_turn_and_live_in_the_pane() {
    let mut a = app();
    keys(&mut a, "+denied<ret>+HRESULT<ret>");
    assert_eq!(a.filter.highlights.len(), 2);
    assert_ne!(a.filter.highlights[0].colour, a.filter.highlights[1].colour);
    // Highlights hide nothing.
    assert!(!a.filter.stack.active());
    keys(&mut a, "f<down><space>");
    assert!(!a.filter.highlights[1].on);
    keys(&mut a, "d");
    assert_eq!(a.filter.highlights.len(), 1);
    let bad = keys(&mut a, "<esc>+(x<ret>");
    assert!(bad.is_empty());
    assert_eq!(
        a.prompt.line.as_ref().map(|p| p.kind),
        Some(PromptKind::Highlight)
    );
}

#[test]
fn mouse_toggle_and_suspend_are_effects() {
    let mut a = app();
    assert!(a.mouse);
    assert_eq!(keys(&mut a, "M"), vec![Effect::Mouse(false)]);
    assert_eq!(keys(&mut a, "M"), vec![Effect::Mouse(true)]);
    assert_eq!(keys(&mut a, "<c-z>"), vec![Effect::Suspend]);
}

#[test]
fn steps_at_80x24_make_room_or_say_why() {
    let mut a = app_with(log_from("smsts.log", &synthetic()), 80, 24);
    assert!(a.layout().panel.is_some());
    assert!(a.layout().steps.is_none());
    keys(&mut a, "t");
    assert!(a.layout().steps.is_some(), "{:?}", a.notice);
    assert!(a.layout().panel.is_none());
    keys(&mut a, "p");
    assert!(a.layout().panel.is_some());
    keys(&mut a, "t");
    assert!(a.layout().steps.is_some());
    // Too short for any timeline: said.
    let mut a = app_with(log_from("smsts.log", &synthetic()), 80, 12);
    keys(&mut a, "t");
    assert!(a
        .notice
        .as_deref()
        .is_some_and(|n| n.starts_with("no room")));
}

#[test]
fn clean_start_drops_bookmarks_filters_and_highlights() {
    let mut a = app();
    keys(&mut a, "m&item<ret>+x<ret>");
    assert!(!a.bookmarks.is_empty());
    keys(&mut a, "X");
    assert!(a.bookmarks.is_empty() && a.filter.highlights.is_empty() && !a.filter.stack.active());
}

#[test]
fn copy_never_carries_the_logs_escapes() {
    let mut a = app();
    keys(&mut a, "g/evil<ret>");
    let fx = keys(&mut a, "y");
    let [Effect::Copy(text)] = &fx[..] else {
        panic!("{fx:?}");
    };
    assert!(text.contains("evil"));
    assert!(!text.contains('\x1b') && !text.contains('\x07') && !text.contains('\u{202e}'));
    // Line breaks of a multi-line record stay.
    keys(&mut a, "g/Command line<ret>");
    let fx = keys(&mut a, "y");
    let [Effect::Copy(text)] = &fx[..] else {
        panic!("{fx:?}");
    };
    assert!(text.contains("/quiet\nWorking directory"), "{text}");
}

#[test]
fn a_session_puts_bookmarks_filters_and_highlights_back() {
    let mut a = app();
    keys(&mut a, "gjjm");
    keys(&mut a, "-Cleaning up<ret>+denied<ret>vU");
    keys(&mut a, "f<space>");
    let saved = a.session();
    assert_eq!(saved.bookmarks.len(), 1);
    assert_eq!(saved.bookmarks[0].line, 3);
    assert_eq!(saved.filters.len(), 2);
    assert!(!saved.filters[0].on);
    // The same log opened again.
    let mut b = app();
    b.restore(&saved);
    b.finish_work();
    assert_eq!(b.bookmarks, a.bookmarks);
    assert_eq!(b.filter.stack.list.len(), 2);
    assert!(!b.filter.stack.list[0].on && b.filter.stack.list[0].exclude);
    assert_eq!(b.filter.highlights.len(), 1);
    assert!(b.utc);
    assert_eq!(b.rows.len(), a.rows.len());
    assert!(b
        .notice
        .as_deref()
        .is_some_and(|n| n.contains("X starts clean")));
    // What no longer fits is left out: a bookmark on a line the log no longer has.
    let mut gone = saved.clone();
    gone.bookmarks[0].line = 100_000;
    let mut c = app();
    c.restore(&gone);
    assert!(c.bookmarks.is_empty());
    // X empties the session: saving it removes the file.
    keys(&mut b, "X");
    assert!(b.session().is_empty());
}

#[test]
fn n_reaches_every_match_the_count_includes_opening_folds() {
    let mut a = app();
    keys(&mut a, "g/HRESULT=<ret>");
    assert_eq!(a.prompt.search.as_ref().map(|s| s.matches.len()), Some(3));
    // The first frame is the folded chain's row.
    assert!(matches!(
        a.current_row(),
        Some(tslens::tui::rows::Row::Chain { .. })
    ));
    keys(&mut a, "n");
    assert_eq!(
        a.notice.as_deref(),
        Some("the match is in a folded chain: opened it")
    );
    assert!(current_message(&a).starts_with("InstallPackage(), HRESULT=80070005"));
    assert_eq!(a.match_ordinal(), Some(2));
    keys(&mut a, "n");
    assert!(current_message(&a).starts_with("Run(), HRESULT=80004005"));
    assert_eq!(a.match_ordinal(), Some(3));
    keys(&mut a, "n");
    assert_eq!(a.notice.as_deref(), Some("search wrapped"));
    assert_eq!(a.match_ordinal(), Some(1));
    keys(&mut a, "N");
    assert_eq!(a.match_ordinal(), Some(3));
    // F3, CMTrace's find next, is n.
    use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
    a.update(tslens::tui::Msg::Key(KeyEvent::new(
        KeyCode::F(3),
        KeyModifiers::NONE,
    )));
    assert_eq!(a.match_ordinal(), Some(1));
}
