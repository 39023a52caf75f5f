//! The explorer fed by a follower, with no terminal: batches of records are appended, the
//! view stays pinned to the end while following, holds still (counting what arrives) when
//! the user has scrolled up, notes a truncation on the next record's row, and takes in a fresh
//! analysis that announces a new finding.

#![allow(clippy::unwrap_used)]

mod tui_support;

use ratatui::backend::TestBackend;
use ratatui::Terminal;
use tslens::follow::{Batch, FollowEvent};
use tslens::tui::theme::Theme;
use tslens::tui::{view, App, Loaded, Msg, Options};
use tui_support::*;

/// A batch as the follower would send it: `text` starts at `offset`, on line `line`.
fn batch(text: &str, line: u32, offset: u64) -> Batch {
    follow_batch(text, line, offset, false, false)
}

fn records(from: u32, to: u32) -> String {
    (from..to)
        .map(|i| rec(i, "TSManager", 1, 1, &format!("live record {i}")))
        .collect()
}

fn send(app: &mut App, stream: usize, event: FollowEvent) {
    app.update(Msg::Follow { stream, event });
}

fn append(app: &mut App, stream: usize, text: &str, line: u32, offset: u64) {
    let event = FollowEvent::Records {
        source: "smsts.log".into(),
        batch: batch(text, line, offset),
    };
    send(app, stream, event);
}

fn screen(app: &App) -> String {
    let mut t = Terminal::new(TestBackend::new(120, 40)).unwrap();
    t.draw(|f| view(app, f)).unwrap();
    let buf = t.backend().buffer();
    let mut s = String::new();
    for y in 0..buf.area.height {
        for x in 0..buf.area.width {
            s.push_str(buf[(x, y)].symbol());
        }
        s.push('\n');
    }
    s
}

fn following_app(text: &str) -> App {
    let loaded = Loaded::new(log_from("smsts.log", text), &rules());
    let theme = Theme::load("dark").unwrap();
    let mut app = App::new(loaded, theme, &Options { follow: true });
    app.update(Msg::Resize(120, 40));
    app
}

#[test]
fn batches_append_rows_and_the_view_follows_or_holds() {
    let first = records(0, 50);
    let mut app = following_app(&first);
    let stream = app.add_stream(Some(0), "smsts.log");
    assert_eq!(app.rows.len(), 50);

    // Following: every batch lands on screen with the cursor on the newest record.
    let more = records(50, 55);
    append(&mut app, stream, &more, 51, first.len() as u64);
    assert_eq!(app.rows.len(), 55);
    assert_eq!(app.view.cursor, 54);
    assert_eq!(current_message(&app), "live record 54");
    assert!(screen(&app).contains("live record 54"));
    assert_eq!(app.live.new_below, 0);

    // Scrolling up stops following; what arrives then is counted, the view holds still.
    keys(&mut app, "kk");
    assert!(!app.view.follow);
    let (cursor, top) = (app.view.cursor, app.view.top);
    let offset = (first.len() + more.len()) as u64;
    append(&mut app, stream, &records(55, 58), 56, offset);
    assert_eq!(app.rows.len(), 58);
    assert_eq!((app.view.cursor, app.view.top), (cursor, top));
    assert_eq!(app.live.new_below, 3);
    assert!(screen(&app).contains("3 new below"));

    // F follows again: straight to the end, nothing left to count.
    keys(&mut app, "F");
    assert!(app.view.follow);
    assert_eq!(app.view.cursor, 57);
    assert_eq!(app.live.new_below, 0);

    // A truncation is an annotation on the first record read after it, not a row of its
    // own: the file's records from line 1 follow.
    send(
        &mut app,
        stream,
        FollowEvent::Truncated {
            path: "smsts.log".into(),
        },
    );
    assert_eq!(app.log.len(), 58, "nothing is added to the log");
    append(&mut app, stream, &records(100, 102), 1, 0);
    assert_eq!(app.rows.len(), 60);
    assert_eq!(app.live.markers.len(), 1);
    let first = app.log.at(58);
    assert_eq!(app.log.message(first), "live record 100");
    assert_eq!(app.log.meta(first).line, 1);
    assert_eq!(
        app.live.markers.get(&first).map(String::as_str),
        Some("— smsts.log truncated: reading from the start —")
    );
    assert_eq!(current_message(&app), "live record 101");
    let s = screen(&app);
    let row = s
        .lines()
        .find(|l| l.contains("live record 100"))
        .unwrap_or_default();
    assert!(row.contains("— smsts.log truncat"), "{s}");
    assert!(s.contains("FOLLOW"));
}

#[test]
fn a_fresh_analysis_finds_chains_and_announces_a_finding() {
    // Start with the first line only, then stream the rest of a failing run.
    let text = synthetic();
    let cut = text.find('\n').unwrap() + 1;
    let mut app = following_app(&text[..cut]);
    let stream = app.add_stream(Some(0), "smsts.log");
    assert!(app.analysis.findings.is_empty());
    append(&mut app, stream, &text[cut..], 2, cut as u64);
    assert!(app.analysis_stale());
    let len = app.log.len();

    app.reanalyse(&rules());
    assert!(!app.analysis_stale());
    assert!(!app.analysis.chains.is_empty());
    assert!(!app.analysis.findings.is_empty());
    // Records that arrive after the analysis keep their rows.
    append(
        &mut app,
        stream,
        &records(900, 902),
        1000,
        text.len() as u64,
    );
    assert!(
        app.analysis_stale(),
        "the two late records are not analysed yet"
    );
    assert_eq!(app.log.len(), len + 2);
    let notice = app.notice.clone().unwrap_or_default();
    assert!(notice.starts_with("new finding:"), "{notice}");
    // The folded chain takes fewer rows than its records; the end is still pinned.
    assert!(app.rows.len() < app.log.len());
    assert_eq!(app.view.cursor, app.rows.len() - 1);
    assert_eq!(current_message(&app), "live record 901");

    // The same finding again is not news.
    app.notice = None;
    app.reanalyse(&rules());
    assert!(app.notice.is_none());
    assert!(!app.analysis_stale());
}

/// Issue 17 item 8: a record whose writer paused past the grace period shows as it
/// stands, then, when the rest arrives, as one row: not two rows for good. The analysis
/// waits for it to be whole.
#[test]
fn a_record_cut_by_a_pause_becomes_one_row_when_the_rest_arrives() {
    let first = records(0, 10);
    let mut app = following_app(&first);
    let stream = app.add_stream(Some(0), "smsts.log");
    let whole = rec(
        10,
        "TSManager",
        3,
        1,
        "live record 10 failed with 0x80070002",
    );
    let (head, tail) = whole.split_at(30);
    let at = first.len() as u64;
    send(
        &mut app,
        stream,
        FollowEvent::Records {
            source: "smsts.log".into(),
            batch: follow_batch(head, 11, at, true, false),
        },
    );
    assert_eq!(app.log.len(), 11);
    assert_eq!(app.rows.len(), 11);
    assert!(
        !app.analysis_stale(),
        "a provisional record is not analysed"
    );
    // The rest, and the next record: the provisional row is replaced, not followed.
    let rest = format!("{whole}{}", records(11, 12));
    assert!(rest.starts_with(head) && rest[head.len()..].starts_with(tail));
    send(
        &mut app,
        stream,
        FollowEvent::Records {
            source: "smsts.log".into(),
            batch: follow_batch(&rest, 11, at, false, true),
        },
    );
    assert_eq!(app.log.len(), 12);
    assert_eq!(app.rows.len(), 12);
    assert_eq!(
        app.log.message(app.log.at(10)),
        "live record 10 failed with 0x80070002"
    );
    assert_eq!(app.log.meta(app.log.at(11)).line, 12);
    assert_eq!(app.index.errors, vec![10], "the error is counted once");
    assert_eq!(current_message(&app), "live record 11");
    assert!(app.analysis_stale());
    app.reanalyse(&rules());
    assert!(!app.analysis_stale());
    let s = screen(&app);
    assert!(s.contains("live record 10 failed with 0x80070002"), "{s}");
}

/// Issue 17 item 9: a pipe is followed like a file while the view is at its end; moving
/// up stops it and the count of new records below goes up as they arrive; when the pipe
/// ends, the view goes to the top finding as for a loaded file.
#[test]
fn a_pipe_is_followed_while_the_view_is_at_its_end() {
    let loaded = Loaded::new(log_from("-", ""), &rules());
    let theme = Theme::load("dark").unwrap();
    let mut app = App::new(loaded, theme, &Options { follow: false });
    app.update(Msg::Resize(120, 40));
    let stream = app.add_stream(None, "-");
    app.follow_pipe();
    assert!(app.view.follow);
    let text = synthetic();
    let cut = text.len() / 2;
    let cut = text[..cut].rfind("<![LOG[").unwrap();
    append(&mut app, stream, &text[..cut], 1, 0);
    assert_eq!(
        app.view.cursor,
        app.rows.len() - 1,
        "the view stays at the end"
    );
    let s = screen(&app);
    assert!(s.contains("FOLLOW") && !s.contains("new below"), "{s}");

    // Moving up stops following; what arrives then is counted, and the count updates.
    keys(&mut app, "k");
    assert!(!app.view.follow);
    append(&mut app, stream, &records(500, 540), 2000, 1 << 20);
    let first = app.live.new_below;
    assert!(first > 0);
    assert!(screen(&app).contains(&format!("{first} new below (F follows)")));
    append(&mut app, stream, &records(540, 550), 2100, 2 << 20);
    assert_eq!(app.live.new_below, first + 10);
    assert!(screen(&app).contains(&format!("{} new below (F follows)", first + 10)));
    // Back at the end (G), what arrives is followed again, as lnav does.
    keys(&mut app, "G");
    append(&mut app, stream, &records(550, 560), 2200, 3 << 20);
    assert!(app.view.follow, "G at the end of a pipe follows it again");
    assert_eq!(app.view.cursor, app.rows.len() - 1);
    let s = screen(&app);
    assert!(s.contains("FOLLOW") && !s.contains("new below"), "{s}");
    // F stops it for good: at the end, what arrives is counted, not followed.
    keys(&mut app, "F");
    assert!(!app.view.follow);
    append(&mut app, stream, &records(560, 570), 2300, 4 << 20);
    assert!(!app.view.follow);
    assert_eq!(app.live.new_below, 10);
    keys(&mut app, "F");
    assert!(app.view.follow && app.live.new_below == 0);

    // A pipe followed by default that ends shows its top finding, as a file does.
    let mut app2 = App::new(
        Loaded::new(log_from("-", ""), &rules()),
        Theme::load("dark").unwrap(),
        &Options { follow: false },
    );
    app2.update(Msg::Resize(120, 40));
    let s2 = app2.add_stream(None, "-");
    app2.follow_pipe();
    append(&mut app2, s2, &text, 1, 0);
    send(
        &mut app2,
        s2,
        FollowEvent::EndOfStream { source: "-".into() },
    );
    assert!(!app2.view.follow);
    app2.reanalyse(&rules());
    assert!(!app2.analysis.findings.is_empty());
    assert_eq!(app2.panel.finding, Some(0), "the top finding is open");
}
