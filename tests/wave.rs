//! Zip bundles, folders and rolled siblings as inputs, and `tslens scan` over a generated
//! wave of machines with known outcomes, checked in every format.
#![allow(clippy::unwrap_used)]

use std::io::Write;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use serde_json::Value;

fn tslens() -> Command {
    Command::cargo_bin("tslens").unwrap()
}

fn sample(name: &str) -> Vec<u8> {
    std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("sample-logs")
            .join(name),
    )
    .unwrap()
}

/// A zip of `(name, bytes)` entries, deflated.
fn zip_bytes(entries: &[(&str, Vec<u8>)]) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, bytes) in entries {
        w.start_file(*name, opts).unwrap();
        w.write_all(bytes).unwrap();
    }
    w.finish().unwrap().into_inner()
}

/// A zip whose entries are stored, not compressed (their bytes can be found and changed).
fn stored_zip(entries: &[(&str, Vec<u8>)]) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    for (name, bytes) in entries {
        w.start_file(*name, opts).unwrap();
        w.write_all(bytes).unwrap();
    }
    w.finish().unwrap().into_inner()
}

/// Marks every entry encrypted, as a password-protected zip's are (general purpose flag
/// bit 0, in the local headers and the central directory).
fn mark_encrypted(mut z: Vec<u8>) -> Vec<u8> {
    let mut i = 0;
    while i + 10 < z.len() {
        if z[i..].starts_with(b"PK\x03\x04") {
            z[i + 6] |= 1;
        } else if z[i..].starts_with(b"PK\x01\x02") {
            z[i + 8] |= 1;
        }
        i += 1;
    }
    z
}

fn utf16le(text: &[u8]) -> Vec<u8> {
    let s = String::from_utf8_lossy(text);
    let mut out = vec![0xFF, 0xFE];
    out.extend(s.encode_utf16().flat_map(|u| u.to_le_bytes()));
    out
}

fn write(path: &Path, bytes: &[u8]) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, bytes).unwrap();
}

fn report_json(args: &[&str], path: &Path) -> (Value, String) {
    let out = tslens()
        .args(["report", "--format", "json"])
        .args(args)
        .arg(path)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr).to_string();
    assert!(out.status.success(), "{}: {err}", path.display());
    (serde_json::from_slice(&out.stdout).unwrap(), err)
}

fn source_paths(v: &Value) -> Vec<String> {
    v["sources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["path"].as_str().unwrap().to_string())
        .collect()
}

/// A first line that rolled copies can be told apart by.
fn tiny_log(msg: &str, hh: u32) -> Vec<u8> {
    format!("<![LOG[{msg}]LOG]!><time=\"{hh:02}:00:00.000+000\" date=\"06-01-2026\" component=\"TSManager\" context=\"\" type=\"1\" thread=\"1\" file=\"x.cpp:1\">\r\n").into_bytes()
}

#[test]
fn a_collect_logs_bundle_opens_in_place() {
    let dir = tempfile::tempdir().unwrap();
    let zip = dir.path().join("bundle.zip");
    let z = zip_bytes(&[
        (
            "Windows/CCM/Logs/smsts.log",
            sample("fail-hash-mismatch.log"),
        ),
        (
            "Windows/CCM/Logs/smsts-20260601-050000.log",
            tiny_log("rolled earlier", 5),
        ),
        ("Windows/CCM/Logs/readme.txt", b"not a log".to_vec()),
        (
            "Windows/CCM/Logs/SMSTSLog/ccmexec.lo_",
            tiny_log("previous generation", 4),
        ),
        (
            "Windows/CCM/Logs/wide.log",
            utf16le(&tiny_log("wide entry", 3)),
        ),
        ("Windows/CCM/Logs/empty/", Vec::new()),
    ]);
    write(&zip, &z);
    let (v, _) = report_json(&[], &zip);
    let name = zip.display().to_string();
    let paths = source_paths(&v);
    assert_eq!(
        paths,
        [
            format!("{name}!Windows/CCM/Logs/smsts-20260601-050000.log"),
            format!("{name}!Windows/CCM/Logs/smsts.log"),
            format!("{name}!Windows/CCM/Logs/wide.log"),
            format!("{name}!Windows/CCM/Logs/SMSTSLog/ccmexec.lo_"),
        ]
    );
    let wide = &v["sources"][2];
    assert_eq!(wide["encoding"], "utf-16le");
    assert_eq!(wide["records"], 1);
    assert_eq!(v["summary"]["outcome"], "failed");
    assert_eq!(v["findings"][0]["id"], "hash-mismatch-extended-characters");
    // Evidence names the entry it came from.
    let ev = v["findings"][0]["evidence"][0]["source"].as_str().unwrap();
    assert_eq!(ev, format!("{name}!Windows/CCM/Logs/smsts.log"));
}

#[test]
fn a_zip_inside_a_zip_is_opened_too() {
    let dir = tempfile::tempdir().unwrap();
    let inner = zip_bytes(&[("SMSTSLog/smsts.log", sample("fail-domain-join.log"))]);
    let outer = zip_bytes(&[("1/logs.zip", inner), ("2/notes.txt", b"x".to_vec())]);
    let zip = dir.path().join("intune.zip");
    write(&zip, &outer);
    let (v, _) = report_json(&[], &zip);
    assert_eq!(
        source_paths(&v),
        [format!("{}!1/logs.zip!SMSTSLog/smsts.log", zip.display())]
    );
    assert_eq!(v["findings"][0]["id"], "domain-join-dc-not-found");
}

#[test]
fn corrupt_and_encrypted_zips_fail_in_one_line() {
    let dir = tempfile::tempdir().unwrap();
    let corrupt = dir.path().join("corrupt.zip");
    write(&corrupt, b"PK\x03\x04 this is not really a zip");
    let enc = dir.path().join("locked.zip");
    write(
        &enc,
        &mark_encrypted(stored_zip(&[("smsts.log", tiny_log("secret", 1))])),
    );
    for (path, why) in [(&corrupt, "not a readable zip"), (&enc, "encrypted")] {
        for sub in [&["report"][..], &["scan", "--fail-on", "failed"][..]] {
            let out = tslens().args(sub).arg(path).output().unwrap();
            let err = String::from_utf8_lossy(&out.stderr);
            let name = path.display().to_string();
            if sub[0] == "report" {
                assert_eq!(out.status.code(), Some(2), "{err}");
                assert_eq!(err.lines().count(), 1, "{err}");
            } else {
                // In a wave, an unreadable machine is named and counted; the wave goes on.
                assert_eq!(out.status.code(), Some(1), "{err}");
                let text = String::from_utf8_lossy(&out.stdout);
                assert!(text.contains("1 could not be read"), "{text}");
            }
            assert!(err.contains(&name) && err.contains(why), "{err}");
            assert!(!err.contains("panick"), "{err}");
        }
    }
}

#[test]
fn a_damaged_entry_is_skipped_and_the_rest_read() {
    let dir = tempfile::tempdir().unwrap();
    let good = sample("fail-domain-join.log");
    let bad = tiny_log("THIS ENTRY WILL BE DAMAGED", 2);
    let mut z = stored_zip(&[("logs/bad.log", bad), ("logs/smsts.log", good)]);
    let at = z
        .windows(7)
        .position(|w| w == b"DAMAGED")
        .expect("stored bytes");
    z[at] = b'X';
    let zip = dir.path().join("b.zip");
    write(&zip, &z);
    let (v, err) = report_json(&[], &zip);
    assert_eq!(
        source_paths(&v),
        [format!("{}!logs/smsts.log", zip.display())]
    );
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.contains("b.zip!logs/bad.log") && err.contains("skipped"),
        "{err}"
    );
}

#[test]
fn folders_are_searched_and_rolled_siblings_come_along() {
    let dir = tempfile::tempdir().unwrap();
    let logs = dir.path().join("CCM/Logs");
    write(&logs.join("SMSTSLog/smsts.log"), &tiny_log("live", 9));
    write(
        &logs.join("SMSTSLog/smsts-20260601-070000.log"),
        &tiny_log("rolled 7", 7),
    );
    write(
        &logs.join("SMSTSLog/smsts-20260601-060000.log"),
        &tiny_log("rolled 6", 6),
    );
    write(&logs.join("ccmsetup.log"), &tiny_log("ccmsetup", 5));
    // A folder: every log beneath it.
    let (v, _) = report_json(&[], dir.path());
    assert_eq!(v["sources"].as_array().unwrap().len(), 4);
    // smsts.log named alone brings its rolled siblings, oldest first...
    let live = logs.join("SMSTSLog/smsts.log");
    let (v, _) = report_json(&[], &live);
    let paths = source_paths(&v);
    assert_eq!(paths.len(), 3, "{paths:?}");
    assert!(paths[0].ends_with("smsts-20260601-060000.log"), "{paths:?}");
    assert!(paths[2].ends_with("SMSTSLog/smsts.log"), "{paths:?}");
    // ...unless told not to.
    let (v, _) = report_json(&["--no-siblings"], &live);
    assert_eq!(source_paths(&v).len(), 1);
}

/// A generated wave: machines as folders, zips and a lone log, with known outcomes.
struct Wave {
    _dir: tempfile::TempDir,
    root: PathBuf,
}

fn wave() -> Wave {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("wave");
    let join = sample("fail-domain-join.log");
    let hash = sample("fail-hash-mismatch.log");
    let ok = sample("bare-metal-success.log");
    for i in 0..3 {
        write(&root.join(format!("site-a/PC-JOIN-{i}/smsts.log")), &join);
    }
    for i in 0..2 {
        let z = zip_bytes(&[("Windows/CCM/Logs/smsts.log", hash.clone())]);
        write(&root.join(format!("site-b/PC-HASH-{i}.zip")), &z);
    }
    for i in 0..4 {
        write(
            &root.join(format!("site-a/PC-OK-{i}/CCM/Logs/SMSTSLog/smsts.log")),
            &ok,
        );
    }
    // An Intune bundle: a zip inside a zip.
    let inner = zip_bytes(&[("smsts.log", ok.clone())]);
    write(
        &root.join("site-b/PC-INTUNE.zip"),
        &zip_bytes(&[("1/logs.zip", inner)]),
    );
    write(&root.join("site-b/PC-BROKEN.zip"), b"not a zip at all");
    Wave { _dir: dir, root }
}

fn scan(args: &[&str], w: &Wave) -> (std::process::Output, String) {
    let out = tslens()
        .arg("scan")
        .args(args)
        .arg(&w.root)
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout).to_string();
    (out, text)
}

#[test]
fn scan_counts_and_groups_a_wave_in_every_format() {
    let w = wave();
    // Text: the counts, then the causes, largest first, with example machines.
    let (out, text) = scan(&[], &w);
    assert_eq!(out.status.code(), Some(0));
    assert!(
        text.starts_with(
            "11 machines: 5 succeeded, 5 failed, 0 running, 0 unknown, 1 could not be read"
        ),
        "{text}"
    );
    let join = text.find("domain-join-dc-not-found").expect("join group");
    let hash = text
        .find("hash-mismatch-extended-characters")
        .expect("hash group");
    assert!(join < hash, "largest group first: {text}");
    assert!(text.contains("site-a/PC-JOIN-0, site-a/PC-JOIN-1, site-a/PC-JOIN-2"));
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("PC-BROKEN.zip"), "{err}");

    // JSON.
    let (_, text) = scan(&["--format", "json"], &w);
    let v: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(v["summary"]["machines"], 11);
    assert_eq!(v["summary"]["failed"], 5);
    assert_eq!(v["summary"]["unreadable"], 1);
    let groups = v["groups"].as_array().unwrap();
    assert_eq!(groups.len(), 2);
    assert_eq!(groups[0]["cause"], "domain-join-dc-not-found");
    assert_eq!(groups[0]["count"], 3);
    assert_eq!(groups[1]["cause"], "hash-mismatch-extended-characters");
    assert_eq!(groups[1]["machines"][0], "site-b/PC-HASH-0.zip");
    let machines = v["machines"].as_array().unwrap();
    assert_eq!(machines.len(), 11);
    let intune = machines
        .iter()
        .find(|m| m["machine"] == "site-b/PC-INTUNE.zip")
        .unwrap();
    assert_eq!(intune["outcome"], "succeeded");
    let ok = machines
        .iter()
        .find(|m| m["machine"] == "site-a/PC-OK-0")
        .unwrap();
    assert_eq!(ok["sources"].as_array().unwrap().len(), 1);

    // CSV: a header and a row per machine.
    let (_, text) = scan(&["--format", "csv"], &w);
    let rows: Vec<&str> = text.lines().collect();
    assert_eq!(rows.len(), 12);
    assert!(rows[0].starts_with("machine,path,outcome,failing_step"));
    assert_eq!(rows.iter().filter(|r| r.contains(",failed,")).count(), 5);
    assert_eq!(
        rows.iter().filter(|r| r.contains(",unreadable,")).count(),
        1
    );

    // NDJSON: a record per machine, then one per finding.
    let (_, text) = scan(&["--format", "ndjson"], &w);
    let recs: Vec<Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let kind = |k: &str| recs.iter().filter(|r| r["kind"] == k).count();
    assert_eq!(kind("machine"), 11);
    assert!(kind("finding") >= 5);
    assert!(recs.iter().all(|r| r["schema"] == 1));
    let failed_by_cause = |c: &str| {
        recs.iter()
            .filter(|r| r["kind"] == "machine" && r["cause"] == c)
            .count()
    };
    assert_eq!(failed_by_cause("domain-join-dc-not-found"), 3);
    assert_eq!(failed_by_cause("hash-mismatch-extended-characters"), 2);

    // HTML: one self-contained page with the groups and every machine.
    let (_, html) = scan(&["--format", "html"], &w);
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert_eq!(html.matches("<tr class=\"group\">").count(), 2);
    assert!(html.contains("domain-join-dc-not-found") && html.contains("site-b/PC-BROKEN.zip"));
    for external in ["http:", "https:", "src=", "<link", "<script", "url("] {
        assert!(!html.contains(external), "external reference {external}");
    }

    // For scripts.
    let (out, _) = scan(&["--fail-on", "failed"], &w);
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn without_findings_failures_group_by_step_and_root_code() {
    let w = wave();
    let out = tslens()
        .env("TSLENS_NO_BUILTIN_KB", "1")
        .env("HOME", w.root.join("no-home"))
        .env("APPDATA", w.root.join("no-home"))
        .args(["scan", "--format", "json"])
        .arg(&w.root)
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let groups = v["groups"].as_array().unwrap();
    let causes: Vec<&str> = groups
        .iter()
        .map(|g| g["cause"].as_str().unwrap())
        .collect();
    assert_eq!(
        causes,
        [
            "step:Join Domain or Workgroup:0x8007054B",
            "step:Apply Operating System:0x80091007"
        ],
        "{v:#}"
    );
    assert_eq!(groups[0]["kind"], "step");
    // The group no known problem names says what to read first: the hash line, not the
    // step's wrapper.
    let read = &groups[1]["read_first"];
    assert!(
        read["text"]
            .as_str()
            .unwrap()
            .starts_with("Hash could not be matched for the downloaded content"),
        "{read:#}"
    );
    assert!(read["source"].as_str().unwrap().ends_with("smsts.log"));
    // Nothing fails a script on findings when there are none, but failures still do.
    let out = tslens()
        .env("TSLENS_NO_BUILTIN_KB", "1")
        .args(["scan", "--fail-on", "finding"])
        .arg(w.root.join("site-a/PC-OK-0"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
}

/// A log that does not say how its run ended (a setupact.log, here the real one of
/// tests/real/setup-windows/jctech-unattend-password-encoding-8030000b) is no failure to
/// group, but every format still names its error to read first, decoded.
#[test]
fn machines_no_rule_explains_say_what_to_read_first() {
    let dir = tempfile::tempdir().unwrap();
    let real = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/real/setup-windows/jctech-unattend-password-encoding-8030000b.log");
    write(
        &dir.path().join("PC-UNATTEND/Panther/setupact.log"),
        &std::fs::read(real).unwrap(),
    );
    write(
        &dir.path().join("PC-OK/smsts.log"),
        &sample("bare-metal-success.log"),
    );
    let run = |format: &str| {
        let out = tslens()
            .args(["scan", "--format", format])
            .arg(dir.path())
            .output()
            .unwrap();
        String::from_utf8(out.stdout).unwrap()
    };
    let text = run("text");
    assert!(
        text.contains("PC-UNATTEND (unknown): ")
            && text.contains(
                "setupact.log:7 [0x8007000D ERROR_INVALID_DATA] [Shell Unattend] Failed to decode password (0x8007000d)"
            ),
        "{text}"
    );
    let recs: Vec<Value> = (run("ndjson").lines())
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let rec = recs.iter().find(|r| r["machine"] == "PC-UNATTEND").unwrap();
    assert_eq!(rec["outcome"], "unknown");
    assert_eq!(rec["read_first_line"], 7);
    assert_eq!(rec["read_first_code"], "0x8007000D ERROR_INVALID_DATA");
    assert_eq!(
        rec["read_first"],
        "[Shell Unattend] Failed to decode password (0x8007000d)"
    );
    let csv = run("csv");
    assert!(csv.lines().next().unwrap().ends_with(",read_first"));
    assert!(csv.contains(
        ",7,0x8007000D ERROR_INVALID_DATA,[Shell Unattend] Failed to decode password (0x8007000d)"
    ));
    let html = run("html");
    assert!(html.contains("[Shell Unattend] Failed to decode password (0x8007000d)"));
    // A machine that succeeded has nothing to read first.
    let ok = recs.iter().find(|r| r["machine"] == "PC-OK").unwrap();
    assert_eq!(ok["outcome"], "succeeded");
    assert!(ok["read_first"].is_null());
    assert!(!text.contains("PC-OK ("), "{text}");
}

/// The ClickHouse binaries: Debian's `clickhouse-server` and `clickhouse-client`, or the
/// single `clickhouse` binary of newer packages.
fn clickhouse() -> Option<(Vec<String>, Vec<String>)> {
    let on_path = |name: &str| -> Option<PathBuf> {
        let path = std::env::var_os("PATH")?;
        std::env::split_paths(&path)
            .chain([PathBuf::from("/usr/sbin"), PathBuf::from("/usr/bin")])
            .map(|d| d.join(name))
            .find(|p| p.is_file())
    };
    let s = |p: PathBuf| p.display().to_string();
    if let (Some(server), Some(client)) =
        (on_path("clickhouse-server"), on_path("clickhouse-client"))
    {
        return Some((vec![s(server)], vec![s(client)]));
    }
    let one = on_path("clickhouse")?;
    Some((
        vec![s(one.clone()), "server".into()],
        vec![s(one), "client".into()],
    ))
}

/// A ClickHouse server of the test's own, on loopback ports, with its data in a temporary
/// folder; stopped when dropped.
struct Server {
    child: std::process::Child,
    client: Vec<String>,
    port: u16,
    _dir: tempfile::TempDir,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

impl Server {
    fn start(server: &[String], client: Vec<String>) -> Server {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path().display().to_string();
        let (port, http) = (free_port(), free_port());
        let config = format!(
            r#"<?xml version="1.0"?>
<yandex>
  <logger><level>warning</level><log>{d}/server.log</log><errorlog>{d}/error.log</errorlog></logger>
  <tcp_port>{port}</tcp_port>
  <http_port>{http}</http_port>
  <listen_host>127.0.0.1</listen_host>
  <path>{d}/data/</path>
  <tmp_path>{d}/tmp/</tmp_path>
  <user_files_path>{d}/user_files/</user_files_path>
  <format_schema_path>{d}/format_schemas/</format_schema_path>
  <users_config>{d}/users.xml</users_config>
  <default_profile>default</default_profile>
  <default_database>default</default_database>
  <mark_cache_size>268435456</mark_cache_size>
</yandex>
"#
        );
        let users = r#"<?xml version="1.0"?>
<yandex>
  <profiles><default></default></profiles>
  <users><default><password></password><networks><ip>127.0.0.1</ip></networks>
    <profile>default</profile><quota>default</quota></default></users>
  <quotas><default></default></quotas>
</yandex>
"#;
        std::fs::write(dir.path().join("config.xml"), config).unwrap();
        std::fs::write(dir.path().join("users.xml"), users).unwrap();
        let child = std::process::Command::new(&server[0])
            .args(&server[1..])
            .arg(format!("--config-file={d}/config.xml"))
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        let s = Server {
            child,
            client,
            port,
            _dir: dir,
        };
        // Up to 60 s for the server to answer.
        for _ in 0..120 {
            if s.try_query("SELECT 1", None).is_ok() {
                return s;
            }
            std::thread::sleep(std::time::Duration::from_millis(500));
        }
        let log = std::fs::read_to_string(format!("{d}/error.log")).unwrap_or_default();
        panic!("clickhouse-server did not answer: {log}");
    }

    fn try_query(&self, sql: &str, input: Option<&[u8]>) -> Result<String, String> {
        let mut cmd = std::process::Command::new(&self.client[0]);
        cmd.args(&self.client[1..])
            .args(["--host", "127.0.0.1", "--port", &self.port.to_string()])
            .args(["--query", sql])
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped());
        let mut child = cmd.spawn().map_err(|e| e.to_string())?;
        let mut stdin = child.stdin.take().unwrap();
        stdin
            .write_all(input.unwrap_or_default())
            .map_err(|e| e.to_string())?;
        drop(stdin);
        let out = child.wait_with_output().map_err(|e| e.to_string())?;
        if out.status.success() {
            Ok(String::from_utf8_lossy(&out.stdout).to_string())
        } else {
            Err(String::from_utf8_lossy(&out.stderr).to_string())
        }
    }

    fn query(&self, sql: &str, input: Option<&[u8]>) -> String {
        self.try_query(sql, input)
            .unwrap_or_else(|e| panic!("{sql}: {e}"))
    }
}

/// The SQL blocks of docs/ndjson.md: the table, then the example queries.
fn documented_sql() -> Vec<String> {
    let doc = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/ndjson.md"))
        .unwrap();
    doc.split("```sql\n")
        .skip(1)
        .map(|b| b.split("```").next().unwrap().trim().to_string())
        .collect()
}

#[test]
fn a_scan_loads_into_clickhouse_and_counts_per_cause() {
    let Some((server, client)) = clickhouse() else {
        eprintln!(
            "skipped: no clickhouse-server/clickhouse-client (Debian package clickhouse-server; .ci/run installs it as root)"
        );
        return;
    };
    let w = wave();
    let (out, ndjson) = scan(&["--format", "ndjson"], &w);
    assert_eq!(out.status.code(), Some(0));
    let ch = Server::start(&server, client);
    let sql = documented_sql();
    assert!(
        sql.len() >= 4 && sql[0].starts_with("CREATE TABLE tslens"),
        "{sql:?}"
    );
    ch.query(&sql[0], None);
    ch.query(
        "INSERT INTO tslens FORMAT JSONEachRow",
        Some(ndjson.as_bytes()),
    );
    let per_cause = ch.query(
        "SELECT cause, count() FROM tslens WHERE kind = 'machine' AND outcome = 'failed' \
         GROUP BY cause ORDER BY cause FORMAT TSV",
        None,
    );
    assert_eq!(
        per_cause,
        "domain-join-dc-not-found\t3\nhash-mismatch-extended-characters\t2\n"
    );
    let outcomes = ch.query(
        "SELECT outcome, count() FROM tslens WHERE kind = 'machine' GROUP BY outcome \
         ORDER BY outcome FORMAT TSV",
        None,
    );
    assert_eq!(outcomes, "failed\t5\nsucceeded\t5\nunreadable\t1\n");
    // A machine no rule explains, whose log does not say how its run ended (the real
    // setupact.log of tests/real/setup-windows/jctech-unattend-password-encoding-8030000b),
    // loads with its error to read first.
    let more = tempfile::tempdir().unwrap();
    write(
        &more.path().join("PC-UNATTEND/setupact.log"),
        &std::fs::read(
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("tests/real/setup-windows/jctech-unattend-password-encoding-8030000b.log"),
        )
        .unwrap(),
    );
    write(
        &more.path().join("PC-OK/smsts.log"),
        &sample("bare-metal-success.log"),
    );
    let out = tslens()
        .args(["scan", "--format", "ndjson"])
        .arg(more.path())
        .output()
        .unwrap();
    ch.query("INSERT INTO tslens FORMAT JSONEachRow", Some(&out.stdout));
    let read = ch.query(
        "SELECT machine, read_first_line, read_first_code FROM tslens \
         WHERE read_first IS NOT NULL FORMAT TSV",
        None,
    );
    assert_eq!(read, "PC-UNATTEND\t7\t0x8007000D ERROR_INVALID_DATA\n");
    // Every documented query runs, and the first answers as the count above did.
    let first = ch.query(&format!("{} FORMAT TSV", sql[1]), None);
    assert_eq!(
        first,
        "domain-join-dc-not-found\t3\nhash-mismatch-extended-characters\t2\n"
    );
    for q in &sql[2..] {
        let rows = ch.query(&format!("{q} FORMAT TSV"), None);
        assert!(!rows.is_empty(), "{q}");
    }
    let days = ch.query(&format!("{} FORMAT TSV", sql[3]), None);
    let failed: usize = days
        .lines()
        .map(|l| l.split('\t').nth(1).unwrap().parse::<usize>().unwrap())
        .sum();
    assert_eq!(failed, 5, "{days}");
}

#[test]
fn report_follow_streams_findings_as_a_log_appears_and_grows() {
    use std::io::BufRead;
    let dir = tempfile::tempdir().unwrap();
    // The log does not exist yet: it is waited for.
    let path = dir.path().join("smsts.log");
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("tslens"))
        .args(["report", "--follow", "--format", "ndjson", "--poll", "50"])
        .arg(&path)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in std::io::BufReader::new(stdout).lines() {
            let Ok(line) = line else { break };
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    std::thread::sleep(std::time::Duration::from_millis(500));
    let log = sample("fail-domain-join.log");
    let (head, tail) = log.split_at(30_000);
    write(&path, head);
    let mut lines: Vec<Value> = Vec::new();
    let until = |lines: &mut Vec<Value>, what: &dyn Fn(&Value) -> bool| {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
        while std::time::Instant::now() < deadline {
            if let Ok(l) = rx.recv_timeout(std::time::Duration::from_millis(200)) {
                lines.push(serde_json::from_str(&l).unwrap());
                if lines.last().is_some_and(what) {
                    return true;
                }
            }
        }
        false
    };
    // The first part: a run under way.
    assert!(until(&mut lines, &|v| v["kind"] == "machine"
        && v["outcome"] == "running"));
    std::fs::OpenOptions::new()
        .append(true)
        .open(&path)
        .unwrap()
        .write_all(tail)
        .unwrap();
    // The rest: the failure and its finding, each once.
    let found = until(&mut lines, &|v| {
        v["kind"] == "finding" && v["finding_id"] == "domain-join-dc-not-found"
    });
    let _ = child.kill();
    let _ = child.wait();
    assert!(found, "{lines:#?}");
    assert!(lines
        .iter()
        .any(|v| v["kind"] == "machine" && v["outcome"] == "failed"));
    let ids: Vec<&Value> = lines.iter().map(|v| &v["finding_id"]).collect();
    let once = lines
        .iter()
        .filter(|v| v["kind"] == "finding" && v["finding_id"] == "domain-join-dc-not-found")
        .count();
    assert_eq!(once, 1, "{ids:?}");
}
