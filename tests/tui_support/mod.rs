//! Shared by the explorer's tests: a small synthetic task-sequence log, a rule that matches
//! it, and a driver that types keys into the app.
#![allow(dead_code, clippy::unwrap_used)]

use std::path::PathBuf;

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use tslens::kb::RuleSet;
use tslens::log::{Log, Source};
use tslens::source::{Input, SourceText};
use tslens::tui::theme::Theme;
use tslens::tui::{App, Effect, Loaded, Msg, Options};

/// One CMTrace record.
pub fn rec(sec: u32, comp: &str, kind: u8, thread: u32, msg: &str) -> String {
    format!(
        "<![LOG[{msg}]LOG]!><time=\"10:{:02}:{:02}.{:03}+000\" date=\"03-10-2026\" component=\"{comp}\" context=\"\" type=\"{kind}\" thread=\"{thread}\" file=\"t.cpp:1\">\r\n",
        sec / 60,
        sec % 60,
        sec % 1000
    )
}

/// A task sequence with a passing step, a failing step whose failure climbs a chain of
/// three frames (with another thread's record between them), a warning, a multi-line
/// record, and a message full of terminal escapes.
pub fn synthetic() -> String {
    let mut s = String::new();
    let mut t = 0;
    let mut push = |s: &mut String, comp: &str, kind: u8, thread: u32, msg: &str| {
        s.push_str(&rec(t, comp, kind, thread, msg));
        t += 1;
    };
    push(&mut s, "TSManager", 1, 100, "Task sequence engine started");
    for i in 0..12 {
        push(
            &mut s,
            "TSManager",
            1,
            100,
            &format!("Reading policy item {i}"),
        );
    }
    push(
        &mut s,
        "TSManager",
        1,
        100,
        "Start executing an instruction. Instruction name: Partition Disk. Instruction pointer: 1",
    );
    push(
        &mut s,
        "OSDDiskPart",
        1,
        300,
        "Formatting volume C: as NTFS",
    );
    push(
        &mut s,
        "OSDDiskPart",
        2,
        300,
        "Volume label is not set; using default",
    );
    push(
        &mut s,
        "TSManager",
        1,
        100,
        "Successfully completed the action (Partition Disk) with the exit win32 code 0",
    );
    push(
        &mut s,
        "TSManager",
        1,
        100,
        "Start executing an instruction. Instruction name: Install App. Instruction pointer: 2",
    );
    push(&mut s, "InstallSoftware", 1, 200, "Command line: setup.exe /quiet\r\nWorking directory: C:\\_SMSTaskSequence\\Packages\\P0100001");
    push(
        &mut s,
        "InstallSoftware",
        3,
        200,
        "Access is denied writing C:\\Program Files\\App",
    );
    push(
        &mut s,
        "InstallSoftware",
        3,
        200,
        "CreateDirectory(sPath), HRESULT=80070005 (e:\\src\\install.cpp,210)",
    );
    push(
        &mut s,
        "TSManager",
        1,
        100,
        "Waiting for the action to finish",
    );
    push(
        &mut s,
        "InstallSoftware",
        3,
        200,
        "InstallPackage(), HRESULT=80070005 (e:\\src\\install.cpp,455)",
    );
    push(
        &mut s,
        "InstallSoftware",
        3,
        200,
        "Run(), HRESULT=80004005 (e:\\src\\main.cpp,88)",
    );
    push(
        &mut s,
        "InstallSoftware",
        3,
        200,
        "Failed to install the package. Code(0x80004005)",
    );
    push(
        &mut s,
        "TSManager",
        3,
        100,
        "Failed to run the action: Install App. Error -2147467259",
    );
    push(
        &mut s,
        "TSManager",
        1,
        100,
        "evil \x1b]52;c;ZWNobyBwd25lZA==\x07 and \x1b[2J title \x1b]0;pwned\x07 \u{202e}txt.exe",
    );
    push(
        &mut s,
        "TSManager",
        3,
        100,
        "Task sequence execution failed with error code 80004005",
    );
    for i in 0..40 {
        push(
            &mut s,
            "TSManager",
            1,
            100,
            &format!("Cleaning up item {i}"),
        );
    }
    s
}

/// The rule the synthetic log breaks.
pub const RULE: &str = r#"
[[rule]]
id = "test-access-denied"
title = "The installer cannot write its folder"
priority = 50
confidence = "high"
references = ["Test article 1"]

[[rule.signal]]
message = 'Access is denied'

[[rule.signal]]
code = "0x80070005"
optional = true

[[rule.cause]]
text = "The folder is read-only or held by another program."
fix = ["Make the folder writable.", "Exclude it from scanning, then run the step again."]
"#;

/// The test rule set.
pub fn rules() -> RuleSet {
    rules_from(RULE)
}

/// A rule set from the text of a rule file.
pub fn rules_from(text: &str) -> RuleSet {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("test.toml");
    std::fs::write(&path, text).unwrap();
    RuleSet::from_rules(RuleSet::load_file(&path).unwrap()).unwrap()
}

/// A log from text, named `name`.
pub fn log_from(name: &str, text: &str) -> Log {
    let src = Source::index(SourceText::from_vec(
        name.to_string(),
        text.as_bytes().to_vec(),
    ));
    Log::from_sources(vec![src])
}

/// The app over the synthetic log, on a 120x40 screen, dark theme.
pub fn app() -> App {
    app_with(log_from("smsts.log", &synthetic()), 120, 40)
}

/// The app over any log.
pub fn app_with(log: Log, w: u16, h: u16) -> App {
    app_with_rules(log, &rules(), w, h)
}

/// The app over any log, with any rules.
pub fn app_with_rules(log: Log, rules: &RuleSet, w: u16, h: u16) -> App {
    let loaded = Loaded::new(log, rules);
    let theme = Theme::load("dark").unwrap();
    let mut app = App::new(loaded, theme, &Options::default());
    app.update(Msg::Resize(w, h));
    app
}

/// The app over a file of the repository's sample logs, with the built-in rules.
pub fn sample(name: &str) -> App {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("sample-logs")
        .join(name);
    let log = Log::open(&[Input::File(path)]).unwrap();
    let loaded = Loaded::new(log, &RuleSet::builtin());
    let mut app = App::new(loaded, Theme::load("dark").unwrap(), &Options::default());
    app.update(Msg::Resize(120, 40));
    app
}

fn key(code: KeyCode, mods: KeyModifiers) -> KeyEvent {
    KeyEvent::new(code, mods)
}

/// Types keys: plain characters, and `<ret>`, `<esc>`, `<tab>`, `<s-tab>`, `<bs>`,
/// `<space>`, `<up>`, `<down>`, `<pgdn>`, `<pgup>`, `<c-X>`. Returns the effects.
pub fn keys(app: &mut App, spec: &str) -> Vec<Effect> {
    let mut fx = Vec::new();
    let mut chars = spec.chars().peekable();
    while let Some(c) = chars.next() {
        let ev = if c == '<' && spec.contains('>') {
            let mut name = String::new();
            for n in chars.by_ref() {
                if n == '>' {
                    break;
                }
                name.push(n);
            }
            match name.as_str() {
                "ret" => key(KeyCode::Enter, KeyModifiers::NONE),
                "esc" => key(KeyCode::Esc, KeyModifiers::NONE),
                "tab" => key(KeyCode::Tab, KeyModifiers::NONE),
                "s-tab" => key(KeyCode::BackTab, KeyModifiers::SHIFT),
                "bs" => key(KeyCode::Backspace, KeyModifiers::NONE),
                "space" => key(KeyCode::Char(' '), KeyModifiers::NONE),
                "up" => key(KeyCode::Up, KeyModifiers::NONE),
                "down" => key(KeyCode::Down, KeyModifiers::NONE),
                "pgdn" => key(KeyCode::PageDown, KeyModifiers::NONE),
                "pgup" => key(KeyCode::PageUp, KeyModifiers::NONE),
                "lt" => key(KeyCode::Char('<'), KeyModifiers::NONE),
                n if n.starts_with("c-") => key(
                    KeyCode::Char(n.chars().last().unwrap()),
                    KeyModifiers::CONTROL,
                ),
                n => panic!("unknown key <{n}>"),
            }
        } else {
            key(KeyCode::Char(c), KeyModifiers::NONE)
        };
        fx.extend(app.update(Msg::Key(ev)));
        app.finish_work();
    }
    fx
}

/// The message of the record under the cursor.
pub fn current_message(app: &App) -> String {
    app.current_ref()
        .map(|r| app.log.message(r).into_owned())
        .unwrap_or_default()
}

/// A batch as the follower would send it: `text` starts at `offset`, on line `line`; cut by
/// the follower's grace period (`provisional`), or bringing the rest of such a batch
/// (`replaces`).
pub fn follow_batch(
    text: &str,
    line: u32,
    offset: u64,
    provisional: bool,
    replaces: bool,
) -> tslens::follow::Batch {
    let framed = tslens::parse::frame(text.as_bytes(), 0, text.len(), line, true);
    tslens::follow::Batch {
        text: text.as_bytes().to_vec(),
        records: framed.records,
        first_line: line,
        offset,
        encoding: tslens::source::Encoding::Utf8,
        provisional,
        replaces,
    }
}
