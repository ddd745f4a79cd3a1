//! Black-box tests of the `minxin` binary: every flag of `evaluate` and `demo`, and every kind of
//! bad input, through the real process.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

const HEADER: &str = "respondent_id,wave,district,gender,age,education,occupation,channel,project,\
awareness,relevance,need_fit,quality,value,satisfaction,trust_delivery,trust_improvement";

fn minxin(args: &[&str], folder: &Path) -> Output {
    minxin_with_password(args, folder, None)
}

/// Runs the binary with `MINXIN_PASSWORD` set (or removed).
fn minxin_with_password(args: &[&str], folder: &Path, password: Option<&str>) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_minxin"));
    // What $USER says never attributes a change (the audit trail names the real user).
    command
        .args(args)
        .current_dir(folder)
        .env("USER", "spoofed-user");
    match password {
        Some(password) => command.env("MINXIN_PASSWORD", password),
        None => command.env_remove("MINXIN_PASSWORD"),
    };
    command.output().expect("the binary runs")
}

/// A child process killed when the test ends, even when it fails.
struct KillOnDrop(std::process::Child);

impl Drop for KillOnDrop {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn write(folder: &Path, name: &str, text: &str) -> PathBuf {
    let path = folder.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

/// A small valid file: 3 respondents rating parking and medical.
fn small_file(extra_rows: &[&str]) -> String {
    let mut text = format!("{HEADER}\n");
    for id in ["A", "B", "C"] {
        for project in ["parking", "medical"] {
            text.push_str(&format!(
                "{id},w1,310104,female,40,bachelor,office_staff,portal,{project},5,4,4,3,3,2,4,4\n"
            ));
        }
    }
    for row in extra_rows {
        text.push_str(row);
        text.push('\n');
    }
    text
}

/// Asserts that the command failed and said `message` on standard error.
fn assert_fails_with(output: &Output, message: &str) {
    assert!(!output.status.success(), "expected a failure");
    assert!(
        stderr(output).contains(message),
        "expected {message:?} in: {}",
        stderr(output)
    );
}

fn json(output: &Output) -> Value {
    assert!(output.status.success(), "{}", stderr(output));
    serde_json::from_slice(&output.stdout).expect("valid JSON")
}

#[test]
fn evaluates_to_json_with_the_documented_fields() {
    let folder = tempfile::tempdir().unwrap();
    write(folder.path(), "r.csv", &small_file(&[]));
    let value = json(&minxin(
        &[
            "evaluate",
            "r.csv",
            "--format",
            "json",
            "--min-respondents",
            "2",
        ],
        folder.path(),
    ));
    assert!(value["cut_points"]["recognition"].is_number());
    assert!(value["cut_points"]["satisfaction"].is_number());
    assert_eq!(value["profile"]["respondents"], 3);
    let parking = value["projects"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["code"] == "parking")
        .unwrap();
    for field in [
        "n",
        "reliable",
        "recognition",
        "satisfaction",
        "quadrant",
        "rank_recognition",
        "rank_satisfaction",
        "dimensions",
        "items",
        "gap",
    ] {
        assert!(
            !parking[field].is_null(),
            "field {field} missing: {parking}"
        );
    }
    assert_eq!(parking["n"], 3);
    // awareness 5 for all: 100 points.
    assert_eq!(parking["items"]["awareness"]["mean"], 100.0);
    assert_eq!(parking["dimensions"]["need_fit"], 75.0);
    for field in ["mean", "ci_low", "ci_high", "notable"] {
        assert!(parking["gap"].get(field).is_some(), "gap.{field}");
    }
}

#[test]
fn default_mode_skips_bad_rows_lists_them_and_writes_the_rejection_file() {
    let folder = tempfile::tempdir().unwrap();
    write(
        folder.path(),
        "r.csv",
        &small_file(&[
            "D,w1,310104,female,40,bachelor,office_staff,portal,parking,5,4,4,3,9,2,4,4",
        ]),
    );
    let output = minxin(
        &[
            "evaluate",
            "r.csv",
            "--format",
            "json",
            "--out",
            "report.json",
        ],
        folder.path(),
    );
    assert!(output.status.success(), "{}", stderr(&output));
    let messages = stderr(&output);
    assert!(
        messages.contains("r.csv: row 8, column value: answer 9 is outside the scale 1..=5"),
        "{messages}"
    );
    assert!(
        messages.contains("7 rows read, 6 used, 1 rejected"),
        "{messages}"
    );
    let rejected = std::fs::read_to_string(folder.path().join("report.rejected.csv")).unwrap();
    let lines: Vec<&str> = rejected.lines().collect();
    assert_eq!(lines.len(), 2);
    assert!(lines[0].starts_with("row,column,reason,respondent_id,wave"));
    assert!(lines[1].starts_with("8,value,answer 9 is outside the scale 1..=5,D,w1"));
    let report: Value =
        serde_json::from_str(&std::fs::read_to_string(folder.path().join("report.json")).unwrap())
            .unwrap();
    assert_eq!(report["rows"]["rejected"], 1);
    assert_eq!(report["profile"]["respondents"], 3);
}

#[test]
fn strict_mode_fails_on_the_first_bad_row() {
    let folder = tempfile::tempdir().unwrap();
    write(
        folder.path(),
        "r.csv",
        &small_file(&[
            "D,w1,310104,female,4x,bachelor,office_staff,portal,parking,5,4,4,3,3,2,4,4",
        ]),
    );
    let output = minxin(
        &["evaluate", "r.csv", "--strict", "--out", "out.txt"],
        folder.path(),
    );
    assert!(!output.status.success());
    let messages = stderr(&output);
    assert!(
        messages.contains("r.csv: row 8, column age: age \"4x\" is not a whole number"),
        "{messages}"
    );
    assert!(
        !folder.path().join("out.txt").exists(),
        "no output is written on failure"
    );
    assert!(!folder.path().join("out.rejected.csv").exists());
}

#[test]
fn header_errors_name_the_column() {
    let folder = tempfile::tempdir().unwrap();
    write(
        folder.path(),
        "r.csv",
        &small_file(&[]).replacen("need_fit", "needfit", 1),
    );
    let output = minxin(&["evaluate", "r.csv"], folder.path());
    assert_fails_with(&output, "unknown column \"needfit\" at position 12");
}

#[test]
fn several_waves_need_a_choice() {
    let folder = tempfile::tempdir().unwrap();
    let text =
        small_file(&["Z,w2,310104,female,40,bachelor,office_staff,portal,parking,5,4,4,3,3,2,4,4"]);
    write(folder.path(), "r.csv", &text);
    let output = minxin(&["evaluate", "r.csv"], folder.path());
    assert_fails_with(&output, "more than one wave");
    let value = json(&minxin(
        &["evaluate", "r.csv", "--wave", "w2", "--format", "json"],
        folder.path(),
    ));
    assert_eq!(value["wave"], "w2");
    assert_eq!(value["rows"]["other_waves"], 6);
    assert_eq!(value["profile"]["respondents"], 1);
}

#[test]
fn xlsx_input_gives_the_same_evaluation_as_csv() {
    let folder = tempfile::tempdir().unwrap();
    let text = small_file(&[]);
    write(folder.path(), "r.csv", &text);
    let mut workbook = rust_xlsxwriter::Workbook::new();
    let sheet = workbook.add_worksheet();
    for (r, line) in text.lines().enumerate() {
        for (c, cell) in line.split(',').enumerate() {
            match cell.parse::<f64>() {
                Ok(number) if r > 0 => sheet.write_number(r as u32, c as u16, number).unwrap(),
                _ => sheet.write_string(r as u32, c as u16, cell).unwrap(),
            };
        }
    }
    workbook.save(folder.path().join("r.xlsx")).unwrap();
    let from_csv = json(&minxin(
        &["evaluate", "r.csv", "--format", "json"],
        folder.path(),
    ));
    let from_xlsx = json(&minxin(
        &["evaluate", "r.xlsx", "--format", "json"],
        folder.path(),
    ));
    assert_eq!(from_csv, from_xlsx);
}

#[test]
fn html_report_has_both_figures_in_either_language() {
    let folder = tempfile::tempdir().unwrap();
    write(folder.path(), "r.csv", &small_file(&[]));
    let output = minxin(
        &[
            "evaluate",
            "r.csv",
            "--format",
            "html",
            "--min-respondents",
            "2",
        ],
        folder.path(),
    );
    let html = String::from_utf8(output.stdout).unwrap();
    assert!(html.starts_with("<!DOCTYPE html><html lang=\"zh-CN\">"));
    assert_eq!(html.matches("<svg").count(), 2);
    assert!(html.contains("图2 认可度—满意度四象限分布"));
    let output = minxin(
        &["evaluate", "r.csv", "--format", "html", "--lang", "en"],
        folder.path(),
    );
    let html = String::from_utf8(output.stdout).unwrap();
    assert!(
        html.contains("<html lang=\"en\">")
            && html.contains("Figure 2. Recognition–satisfaction quadrants")
    );
    assert!(
        !minxin(&["evaluate", "r.csv", "--lang", "fr"], folder.path())
            .status
            .success()
    );
}

#[test]
fn table_is_the_default_format() {
    let folder = tempfile::tempdir().unwrap();
    write(folder.path(), "r.csv", &small_file(&[]));
    let output = minxin(
        &[
            "evaluate",
            "r.csv",
            "--min-respondents",
            "2",
            "--lang",
            "en",
        ],
        folder.path(),
    );
    let table = String::from_utf8(output.stdout).unwrap();
    assert!(
        table.contains("Cut points (rule: the median of the reliable projects' scores)"),
        "{table}"
    );
    assert!(table.contains("Parking difficulty"));
}

#[test]
fn min_respondents_decides_reliability() {
    let folder = tempfile::tempdir().unwrap();
    write(folder.path(), "r.csv", &small_file(&[]));
    let value = json(&minxin(
        &["evaluate", "r.csv", "--format", "json"],
        folder.path(),
    ));
    assert_eq!(value["projects"][4]["reliable"], false);
    assert!(value["cut_points"]["recognition"].is_null());
    let value = json(&minxin(
        &[
            "evaluate",
            "r.csv",
            "--format",
            "json",
            "--min-respondents",
            "3",
        ],
        folder.path(),
    ));
    assert_eq!(value["projects"][4]["reliable"], true);
}

#[test]
fn a_user_catalogue_replaces_the_projects() {
    let folder = tempfile::tempdir().unwrap();
    write(
        folder.path(),
        "r.csv",
        &small_file(&[]).replace("medical", "bridges"),
    );
    write(folder.path(), "c.toml", "[[project]]\ncode = \"parking\"\nzh = \"停车\"\nen = \"Parking\"\n[[project]]\ncode = \"bridges\"\nzh = \"桥\"\nen = \"Bridges\"\n");
    let value = json(&minxin(
        &[
            "evaluate",
            "r.csv",
            "--format",
            "json",
            "--catalogue",
            "c.toml",
        ],
        folder.path(),
    ));
    assert_eq!(value["projects"].as_array().unwrap().len(), 2);
    assert_eq!(value["projects"][1]["n"], 3);
    write(
        folder.path(),
        "bad.toml",
        "[[project]]\ncode = \"a,b\"\nzh = \"x\"\nen = \"x\"\n",
    );
    let output = minxin(
        &["evaluate", "r.csv", "--catalogue", "bad.toml"],
        folder.path(),
    );
    assert!(
        stderr(&output).contains("bad.toml: project code \"a,b\""),
        "{}",
        stderr(&output)
    );
}

#[test]
fn missing_file_is_a_clear_error() {
    let folder = tempfile::tempdir().unwrap();
    let output = minxin(&["evaluate", "nope.csv"], folder.path());
    assert_fails_with(&output, "cannot open nope.csv");
}

#[test]
fn demo_writes_data_and_reports_that_reproduce_the_paper() {
    let folder = tempfile::tempdir().unwrap();
    let output = minxin(&["demo", "--out", "d", "--seed", "7"], folder.path());
    assert!(output.status.success(), "{}", stderr(&output));
    let d = folder.path().join("d");
    for name in [
        "minxin-demo-synthetic.csv",
        "report.html",
        "report.en.html",
        "report.json",
    ] {
        assert!(d.join(name).exists(), "{name}");
    }
    let html = std::fs::read_to_string(d.join("report.html")).unwrap();
    assert!(
        html.contains("合成数据"),
        "the report says the data are synthetic"
    );
    // The written file, evaluated by `evaluate`, gives the demo's own report.
    let value = json(&minxin(
        &[
            "evaluate",
            "d/minxin-demo-synthetic.csv",
            "--cut-points",
            "pooled-median",
            "--format",
            "json",
        ],
        folder.path(),
    ));
    let report: Value =
        serde_json::from_str(&std::fs::read_to_string(d.join("report.json")).unwrap()).unwrap();
    assert_eq!(value, report);
    assert!(
        stderr(&output).contains("--cut-points pooled-median"),
        "the demo says how to evaluate its file as it did: {}",
        stderr(&output)
    );
    assert_eq!(value["settings"]["cut_points"]["rule"], "pooled-median");
    assert_eq!(value["synthetic"], true);
    assert_eq!(value["profile"]["respondents"], 600);
    let quadrant = |code: &str| {
        value["projects"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["code"] == code)
            .unwrap()["quadrant"]
            .clone()
    };
    assert_eq!(quadrant("parking"), "HL");
    assert_eq!(quadrant("red-culture"), "LH");
    assert_eq!(
        quadrant("elevators"),
        "LL",
        "published LL, reproduced by the pooled median"
    );
}

/// The demo file repeated with distinct respondent identifiers per copy, so it is big enough
/// to cut into pieces.
fn large_file(folder: &Path, copies: usize) -> String {
    let output = minxin(&["demo", "--out", "d"], folder);
    assert!(output.status.success(), "{}", stderr(&output));
    let demo = std::fs::read_to_string(folder.join("d/minxin-demo-synthetic.csv")).unwrap();
    let mut lines = demo.lines();
    let mut text = format!("{}\n", lines.next().unwrap());
    let body: Vec<&str> = lines.collect();
    for copy in 0..copies {
        for line in &body {
            text.push_str(&line.replacen("SYN-", &format!("SYN{copy}-"), 1));
            text.push('\n');
        }
    }
    text
}

#[test]
fn reading_on_several_threads_gives_the_same_evaluation() {
    let folder = tempfile::tempdir().unwrap();
    let text = large_file(folder.path(), 4);
    write(folder.path(), "big.csv", &text);
    let one = json(&minxin(
        &["evaluate", "big.csv", "--format", "json", "--threads", "1"],
        folder.path(),
    ));
    for threads in ["2", "3", "7"] {
        let output = minxin(
            &[
                "evaluate",
                "big.csv",
                "--format",
                "json",
                "--threads",
                threads,
            ],
            folder.path(),
        );
        assert!(
            stderr(&output).contains(&format!("on {threads} threads")),
            "{}",
            stderr(&output)
        );
        assert_eq!(one, json(&output), "{threads} threads");
    }
    assert_eq!(one["profile"]["respondents"], 2400);
}

#[test]
fn several_threads_fall_back_to_one_pass_for_rows_that_need_a_message() {
    let folder = tempfile::tempdir().unwrap();
    let clean = large_file(folder.path(), 3);
    let lines: Vec<&str> = clean.lines().collect();
    let near_end = lines.len() - 5;
    // A bad answer near the end, a quoted field, and a respondent's row repeated across pieces.
    let with_line = |replace: &dyn Fn(&str) -> String| -> Vec<String> {
        lines
            .iter()
            .enumerate()
            .map(|(i, line)| {
                if i == near_end {
                    replace(line)
                } else {
                    line.to_string()
                }
            })
            .collect()
    };
    let mut repeated: Vec<String> = lines.iter().map(|l| l.to_string()).collect();
    repeated.push(lines[1].to_string());
    let cases = [
        (
            "bad answer",
            with_line(&|line| format!("{},9", line.rsplit_once(',').unwrap().0)),
        ),
        (
            "quote",
            with_line(&|line| {
                line.replacen("SYN", "\"SYN", 1)
                    .replacen(",2021", "\",2021", 1)
            }),
        ),
        ("repeat", repeated),
    ];
    for (name, case) in cases {
        let text = case.join("\n") + "\n";
        write(folder.path(), "case.csv", &text);
        let one = minxin(
            &[
                "evaluate",
                "case.csv",
                "--format",
                "json",
                "--threads",
                "1",
                "--rejected",
                "one.csv",
            ],
            folder.path(),
        );
        let two = minxin(
            &[
                "evaluate",
                "case.csv",
                "--format",
                "json",
                "--threads",
                "2",
                "--rejected",
                "two.csv",
            ],
            folder.path(),
        );
        assert_eq!(json(&one), json(&two), "{name}");
        assert!(
            !stderr(&two).contains("threads"),
            "{name}: the file was read in one pass"
        );
        assert_eq!(
            stderr(&one).replace("one.csv", "X"),
            stderr(&two).replace("two.csv", "X"),
            "{name}"
        );
        let rejected_one = std::fs::read_to_string(folder.path().join("one.csv")).ok();
        let rejected_two = std::fs::read_to_string(folder.path().join("two.csv")).ok();
        assert_eq!(rejected_one, rejected_two, "{name}");
        if name != "quote" {
            assert!(rejected_one.is_some(), "{name}: a row was rejected");
        }
    }
}

#[test]
fn bench_generates_and_measures() {
    let folder = tempfile::tempdir().unwrap();
    let output = minxin(
        &["bench", "generate", "--out", "b.csv", "--respondents", "50"],
        folder.path(),
    );
    assert!(output.status.success(), "{}", stderr(&output));
    let text = std::fs::read_to_string(folder.path().join("b.csv")).unwrap();
    let rows = text.lines().count() - 1;
    assert!(
        (350..=650).contains(&rows),
        "50 respondents rate 7 to 13 projects each: {rows}"
    );
    // The generated file is valid: a strict evaluation accepts every row.
    let value = json(&minxin(
        &["evaluate", "b.csv", "--strict", "--format", "json"],
        folder.path(),
    ));
    assert_eq!(value["profile"]["respondents"], 50);
    let output = minxin(
        &[
            "bench",
            "evaluate",
            "--file",
            "b.csv",
            "--repeat",
            "2",
            "--threads",
            "2",
        ],
        folder.path(),
    );
    assert!(output.status.success(), "{}", stderr(&output));
    let report = String::from_utf8(output.stdout).unwrap();
    assert!(
        report.contains(&format!("{rows} rows"))
            && report.contains("rows/s")
            && report.contains("peak resident memory"),
        "{report}"
    );
}

#[test]
fn migrate_creates_the_embedded_database() {
    let folder = tempfile::tempdir().unwrap();
    let output = minxin(&["migrate", "--data-dir", "data"], folder.path());
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(folder.path().join("data/minxin.db").exists());
    assert!(stderr(&output).contains("is up to date"));
}

#[test]
fn audit_verify_finds_an_altered_entry_and_names_it() {
    use minxin_domain::audit::NewAuditEntry;
    use minxin_domain::platform::AuditStore;
    let folder = tempfile::tempdir().unwrap();
    let path = folder.path().join("data/minxin.db");
    let verify = || minxin(&["audit", "verify", "--data-dir", "data"], folder.path());
    assert!(minxin(&["migrate", "--data-dir", "data"], folder.path())
        .status
        .success());
    let fresh = verify();
    assert!(fresh.status.success(), "{}", stderr(&fresh));
    assert!(String::from_utf8_lossy(&fresh.stdout).contains("intact: 0 entries"));
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async {
        let store = minxin_storage::SqliteStore::open(&path).await.unwrap();
        for k in 1..=3 {
            store
                .append_audit(NewAuditEntry {
                    at_ms: k,
                    actor: "coordinator".into(),
                    action: "wave.open".into(),
                    subject: format!("wave/{k}"),
                    before: None,
                    after: Some("{}".into()),
                })
                .await
                .unwrap();
        }
    });
    assert!(String::from_utf8_lossy(&verify().stdout).contains("intact: 3 entries"));
    runtime.block_on(minxin_storage::testing::tamper_with_sqlite_audit_log(
        &path,
        "UPDATE audit_log SET subject = 'wave/9' WHERE sequence = 2",
    ));
    let broken = verify();
    assert!(!broken.status.success());
    assert!(
        stderr(&broken).contains("entry 2 was altered"),
        "{}",
        stderr(&broken)
    );
}

/// One HTTP/1.1 request over a plain socket; returns the status line and the body.
fn http_get(address: &str, path: &str) -> (String, String) {
    use std::io::{Read, Write};
    let mut stream = std::net::TcpStream::connect(address).unwrap();
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    let (head, body) = response.split_once("\r\n\r\n").unwrap();
    (head.lines().next().unwrap().to_string(), body.to_string())
}

#[test]
fn serve_answers_on_a_real_socket_with_the_demo_loaded() {
    use std::io::BufRead;
    let folder = tempfile::tempdir().unwrap();
    let config = write(
        folder.path(),
        "minxin.toml",
        "demo = true\nbind = \"127.0.0.1:0\"\n",
    );
    let mut child = Command::new(env!("CARGO_BIN_EXE_minxin"))
        .args([
            "serve",
            "--config",
            config.to_str().unwrap(),
            "--data-dir",
            "data",
        ])
        .current_dir(folder.path())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = std::io::BufReader::new(child.stderr.take().unwrap()).lines();
    let child = KillOnDrop(child);
    let mut administrator_password = None;
    let address = loop {
        let line = lines
            .next()
            .expect("the server printed its address")
            .unwrap();
        if line.starts_with("first start: administrator account \"admin\"") {
            administrator_password = line.rsplit(": ").next().map(str::to_string);
        }
        if let Some(rest) = line.strip_prefix("Minxin is serving http://") {
            break rest.split_whitespace().next().unwrap().to_string();
        }
    };
    // The first start made an administrator whose password was printed once and stored hashed.
    let administrator_password =
        administrator_password.expect("the first start printed a password");
    let administrator = tokio::runtime::Runtime::new().unwrap().block_on(async {
        use minxin_domain::platform::AccountStore;
        let store = minxin_storage::SqliteStore::open(&folder.path().join("data/minxin.db"))
            .await
            .unwrap();
        store.account("admin").await.unwrap().unwrap()
    });
    assert!(minxin_web::app::accounts::verify_password(
        &administrator.password_hash,
        &administrator_password
    ));
    let (status, body) = http_get(&address, "/api/v1/waves");
    let (page_status, page) = http_get(&address, "/");

    // `minxin import` posts a file to the running platform: a bad row stops the whole import
    // unless the valid rows are kept; the open demo wave is number 2.
    let server = format!("http://{address}");
    let file = write(
        folder.path(),
        "paper.csv",
        &small_file(&[
            "D,w1,310104,female,40,bachelor,office_staff,portal,parking,9,4,4,3,3,2,4,4",
        ]),
    );
    let import_as = |user: &str, password: &str, wave: &str, extra: &[&str]| {
        let mut args = vec![
            "import",
            file.to_str().unwrap(),
            "--wave",
            wave,
            "--server",
            &server,
            "--user",
            user,
        ];
        args.extend_from_slice(extra);
        minxin_with_password(&args, folder.path(), Some(password))
    };
    let demo = minxin_web::demo::DEMO_PASSWORD;
    let import = |wave: &str, extra: &[&str]| import_as("office", demo, wave, extra);
    let wrong_password = import_as("office", "not-the-password", "2", &[]);
    let not_permitted = import_as("commerce", demo, "2", &[]);
    let refused = import("2", &[]);
    assert_fails_with(&refused, "1 rows were rejected; nothing was imported");
    assert!(
        stderr(&refused).contains("row 8, column awareness"),
        "{}",
        stderr(&refused)
    );
    let (_, unchanged) = http_get(&address, "/api/v1/waves/2");
    let kept = import("2", &["--keep-valid"]);
    let (_, after) = http_get(&address, "/api/v1/waves/2");
    let closed = import("1", &[]);
    let unreachable = minxin(
        &[
            "import",
            file.to_str().unwrap(),
            "--wave",
            "2",
            "--server",
            "http://127.0.0.1:9",
            "--user",
            "office",
        ],
        folder.path(),
    );
    drop(child);
    assert_fails_with(&wrong_password, "cannot sign in as office");
    assert_fails_with(&not_permitted, "your roles do not permit this");
    assert!(status.contains("200"), "{status}");
    assert!(
        body.contains("合成演示数据") && body.contains("\"responses\":600"),
        "{body}"
    );
    assert!(page_status.contains("200") && page.contains("<html lang=\"zh-CN\">"));
    assert!(unchanged.contains("\"responses\":0"), "{unchanged}");
    assert!(kept.status.success(), "{}", stderr(&kept));
    assert!(
        String::from_utf8_lossy(&kept.stdout).contains("6 rows, 3 respondents (3 new"),
        "{}",
        String::from_utf8_lossy(&kept.stdout)
    );
    assert!(after.contains("\"responses\":3"), "{after}");
    assert_fails_with(&closed, "not open");
    assert_fails_with(
        &unreachable,
        "cannot reach the platform at http://127.0.0.1:9",
    );
}

#[test]
fn evaluate_adds_a_weighted_evaluation_with_quadrant_probabilities() {
    let folder = tempfile::tempdir().unwrap();
    let output = minxin(&["demo", "--out", "d"], folder.path());
    assert!(output.status.success(), "{}", stderr(&output));
    let data = "d/minxin-demo-synthetic.csv";
    let run = |extra: &[&str]| {
        let mut args = vec!["evaluate", data, "--format", "json"];
        args.extend_from_slice(extra);
        json(&minxin(&args, folder.path()))
    };
    let report = run(&["--replicates", "200", "--seed", "3"]);
    let weighted = &report["weighted"];
    assert_eq!(
        weighted["weighting"]["margins"], "Shanghai 2020 census (district, sex)",
        "--replicates alone weights to the census"
    );
    assert_eq!(
        weighted["weighting"]["variables"],
        serde_json::json!(["district", "gender"])
    );
    let deff = weighted["weighting"]["design_effect"].as_f64().unwrap();
    assert!(
        deff > 1.0,
        "the demo sample is not the census mix: deff {deff}"
    );
    assert_eq!(weighted["replicates"], 200);
    let projects = weighted["projects"].as_array().unwrap();
    assert_eq!(projects.len(), 16);
    for project in projects {
        let probabilities: Vec<f64> = project["quadrant_probabilities"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p.as_f64().unwrap())
            .collect();
        assert!((probabilities.iter().sum::<f64>() - 1.0).abs() < 1e-9);
        let most = probabilities.iter().cloned().fold(0.0, f64::max);
        assert_eq!(project["uncertain"].as_bool().unwrap(), most < 0.8);
        let rank = &project["rank_recognition"];
        assert!(rank["best"].as_u64() <= rank["rank"].as_u64());
        assert!(rank["rank"].as_u64() <= rank["worst"].as_u64());
    }
    // The same seed repeats; equal weights leave the scores of the unweighted evaluation.
    assert_eq!(report, run(&["--replicates", "200", "--seed", "3"]));
    let equal = run(&["--margins", "none"]);
    for (plain, weighted) in equal["projects"]
        .as_array()
        .unwrap()
        .iter()
        .zip(equal["weighted"]["projects"].as_array().unwrap())
    {
        let (a, b) = (
            plain["recognition"].as_f64().unwrap(),
            weighted["recognition"]["score"].as_f64().unwrap(),
        );
        assert!((a - b).abs() < 1e-9, "{a} vs {b}");
    }
    // Trimming bounds the weights, keeps their total and lowers the design effect.
    let trimmed = run(&["--margins", "census", "--trim", "1.5"]);
    let cells = |report: &Value| -> Vec<(f64, f64)> {
        report["weighted"]["weighting"]["cells"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| {
                (
                    c["weight"].as_f64().unwrap(),
                    c["respondents"].as_f64().unwrap(),
                )
            })
            .collect()
    };
    let total = |cells: &[(f64, f64)]| cells.iter().map(|(w, n)| w * n).sum::<f64>();
    let untrimmed = run(&["--margins", "census"]);
    assert!((total(&cells(&trimmed)) / total(&cells(&untrimmed)) - 1.0).abs() < 1e-9);
    let trimming = &trimmed["weighted"]["weighting"]["trimming"];
    let (lower, upper) = (
        trimming["lower"].as_f64().unwrap(),
        trimming["upper"].as_f64().unwrap(),
    );
    assert!(cells(&trimmed)
        .iter()
        .all(|(w, _)| *w >= lower * (1.0 - 1e-9) && *w <= upper * (1.0 + 1e-9)));
    assert!(trimming["cells_at_bounds"].as_u64().unwrap() > 0);
    assert!(
        trimmed["weighted"]["weighting"]["design_effect"].as_f64()
            < untrimmed["weighted"]["weighting"]["design_effect"].as_f64()
    );
    assert_fails_with(
        &minxin(
            &["evaluate", data, "--margins", "census", "--trim", "0.5"],
            folder.path(),
        ),
        "trim",
    );
    // The structural model with equal weights is the evaluation's own, now with bootstrap
    // intervals for its paths and drivers.
    let equal_boot = run(&["--margins", "none", "--replicates", "200"]);
    let model = &equal_boot["weighted"]["model"];
    let plain_paths = equal_boot["satisfaction_model"]["paths"]
        .as_array()
        .unwrap();
    let boot_paths = model["paths"].as_array().unwrap();
    assert_eq!(plain_paths.len(), boot_paths.len());
    for (plain, boot) in plain_paths.iter().zip(boot_paths) {
        let (a, b) = (
            plain["coefficient"].as_f64().unwrap(),
            boot["estimate"].as_f64().unwrap(),
        );
        assert!((a - b).abs() < 1e-9, "{}: {a} vs {b}", boot["name"]);
        assert!(boot["se"].as_f64().unwrap() > 0.0);
        assert!(boot["ci_low"].as_f64().unwrap() < b && b < boot["ci_high"].as_f64().unwrap());
    }
    for driver in model["drivers"].as_array().unwrap() {
        let plain = equal_boot["satisfaction_model"]["drivers"]
            .as_array()
            .unwrap()
            .iter()
            .find(|d| d["construct"] == driver["name"])
            .unwrap();
        let (a, b) = (
            plain["total_effect"].as_f64().unwrap(),
            driver["estimate"].as_f64().unwrap(),
        );
        assert!((a - b).abs() < 1e-9, "{}: {a} vs {b}", driver["name"]);
    }
    assert_eq!(model["replicates"], 200);
    // Reports in every format show it.
    let html = minxin(
        &[
            "evaluate",
            data,
            "--format",
            "html",
            "--replicates",
            "100",
            "--lang",
            "en",
        ],
        folder.path(),
    );
    let html = String::from_utf8(html.stdout).unwrap();
    assert!(html.contains("Weighted evaluation and robustness"));
    assert!(html.contains("id=\"quadrant-probabilities-title\""));
    assert!(html.contains("id=\"drivers-title\""), "the drivers chart");
    // The default satisfaction model, and a model of one's own.
    let drivers = report["satisfaction_model"]["drivers"].as_array().unwrap();
    assert_eq!(
        drivers.len(),
        5,
        "every dimension upstream of satisfaction drives it"
    );
    write(
        folder.path(),
        "model.toml",
        "[constructs.q]\nindicators = [\"quality\"]\n[constructs.satisfaction]\n\
         indicators = [\"satisfaction\"]\n[[paths]]\nfrom = \"q\"\nto = \"satisfaction\"\n",
    );
    let own = run(&["--model", "model.toml"]);
    let model = &own["satisfaction_model"];
    assert_eq!(model["drivers"].as_array().unwrap().len(), 1);
    let coefficient = model["paths"][0]["coefficient"].as_f64().unwrap();
    let r2 = model["r_squared"]["satisfaction"].as_f64().unwrap();
    assert!(
        (coefficient * coefficient - r2).abs() < 1e-12,
        "one predecessor: R² = β²"
    );
    write(
        folder.path(),
        "bad-model.toml",
        "[constructs.q]\nindicators = [\"speed\"]\n[[paths]]\nfrom = \"q\"\nto = \"q\"\n",
    );
    assert_fails_with(
        &minxin(
            &["evaluate", data, "--model", "bad-model.toml"],
            folder.path(),
        ),
        "\"speed\" is not an item",
    );
    let table = minxin(&["evaluate", data, "--replicates", "100"], folder.path());
    assert!(String::from_utf8(table.stdout)
        .unwrap()
        .contains("象限概率"));
    // A margins file with a code that is not in the configuration is refused by name.
    write(
        folder.path(),
        "margins.toml",
        "[margins.gender]\nmale = 10\nfemale = 10\nother = 1\n",
    );
    assert_fails_with(
        &minxin(
            &["evaluate", data, "--margins", "margins.toml"],
            folder.path(),
        ),
        "margins.gender.other",
    );
    assert_fails_with(
        &minxin(&["evaluate", data, "--replicates", "1"], folder.path()),
        "--replicates must be 0 or at least 2",
    );
}

#[test]
fn compare_gives_weighted_changes_with_the_waves_own_bootstrap_errors() {
    let folder = tempfile::tempdir().unwrap();
    for (out, seed) in [("a", "2021"), ("b", "7")] {
        let output = minxin(&["demo", "--out", out, "--seed", seed], folder.path());
        assert!(output.status.success(), "{}", stderr(&output));
    }
    let (before, after) = ("a/minxin-demo-synthetic.csv", "b/minxin-demo-synthetic.csv");
    let weighted = |file: &str| {
        json(&minxin(
            &[
                "evaluate",
                file,
                "--format",
                "json",
                "--replicates",
                "300",
                "--seed",
                "5",
            ],
            folder.path(),
        ))["weighted"]["projects"]
            .clone()
    };
    let (b, a) = (weighted(before), weighted(after));
    let comparison = json(&minxin(
        &[
            "compare",
            before,
            after,
            "--margins",
            "census",
            "--replicates",
            "300",
            "--seed",
            "5",
            "--format",
            "json",
        ],
        folder.path(),
    ));
    assert_eq!(comparison["weighting"]["margins"], "census");
    let projects = comparison["comparison"]["projects"].as_array().unwrap();
    assert_eq!(projects.len(), 16);
    for (k, project) in projects.iter().enumerate() {
        let change = &project["recognition"];
        let (rb, ra) = (&b[k]["recognition"], &a[k]["recognition"]);
        let expected_change = ra["score"].as_f64().unwrap() - rb["score"].as_f64().unwrap();
        assert!((change["change"].as_f64().unwrap() - expected_change).abs() < 1e-9);
        let se = (rb["se"].as_f64().unwrap().powi(2) + ra["se"].as_f64().unwrap().powi(2)).sqrt();
        assert!(
            (change["se"].as_f64().unwrap() - se).abs() < 1e-9,
            "{}",
            project["code"]
        );
        let (low, high) = (
            change["ci_low"].as_f64().unwrap(),
            change["ci_high"].as_f64().unwrap(),
        );
        assert_eq!(
            change["significant"].as_bool().unwrap(),
            low > 0.0 || high < 0.0
        );
        assert_eq!(project["quadrant_after"], a[k]["quadrant"]);
    }
    // Unweighted, the changes are those of the plain evaluations.
    let plain = json(&minxin(
        &["compare", before, after, "--format", "json"],
        folder.path(),
    ));
    assert!(plain["weighting"].is_null());
    let first = |file: &str| {
        json(&minxin(
            &["evaluate", file, "--format", "json"],
            folder.path(),
        ))["projects"][0]["satisfaction"]
            .as_f64()
            .unwrap()
    };
    let change = plain["comparison"]["projects"][0]["satisfaction"]["change"]
        .as_f64()
        .unwrap();
    assert!((change - (first(after) - first(before))).abs() < 1e-9);
    let table = minxin(&["compare", before, after, "--lang", "en"], folder.path());
    assert!(String::from_utf8(table.stdout)
        .unwrap()
        .contains("Comparison of waves"));
}

#[test]
fn user_accounts_are_created_disabled_and_reset_with_an_audit_trail() {
    use minxin_domain::platform::{AccountStore, AuditStore};
    let folder = tempfile::tempdir().unwrap();
    let db = ["--data-dir", "data"];
    let run = |args: &[&str]| {
        let mut all = args.to_vec();
        all.extend(db);
        minxin(&all, folder.path())
    };
    let added = run(&["user", "add", "li.wei", "--display-name", "李伟"]);
    assert!(added.status.success(), "{}", stderr(&added));
    let text = String::from_utf8_lossy(&added.stdout).into_owned();
    let password = text.rsplit(": ").next().unwrap().trim().to_string();
    assert_eq!(password.len(), 20);
    assert_fails_with(
        &run(&["user", "add", "li.wei", "--display-name", "Again"]),
        "exists already",
    );
    assert_fails_with(
        &run(&["user", "add", "Li Wei", "--display-name", "x"]),
        "account \"Li Wei\"",
    );
    let account = |name: &str| {
        tokio::runtime::Runtime::new().unwrap().block_on(async {
            let store = minxin_storage::SqliteStore::open(&folder.path().join("data/minxin.db"))
                .await
                .unwrap();
            (
                store.account(name).await.unwrap(),
                store.audit_log().await.unwrap(),
            )
        })
    };
    let (stored, _) = account("li.wei");
    let stored = stored.unwrap();
    assert_eq!(stored.display_name, "李伟");
    assert!(
        !stored.password_hash.contains(&password),
        "only the hash is stored"
    );
    assert!(minxin_web::app::accounts::verify_password(
        &stored.password_hash,
        &password
    ));

    assert!(run(&["user", "disable", "li.wei"]).status.success());
    assert!(account("li.wei").0.unwrap().disabled);
    let reset = run(&["user", "reset", "li.wei"]);
    assert!(reset.status.success());
    let new_password = String::from_utf8_lossy(&reset.stdout)
        .rsplit(": ")
        .next()
        .unwrap()
        .trim()
        .to_string();
    let (after, (trail, head)) = account("li.wei");
    let after = after.unwrap();
    assert!(!after.disabled, "a reset enables the account again");
    assert!(minxin_web::app::accounts::verify_password(
        &after.password_hash,
        &new_password
    ));
    assert!(!minxin_web::app::accounts::verify_password(
        &after.password_hash,
        &password
    ));
    assert_fails_with(
        &run(&["user", "disable", "nobody"]),
        "no account named \"nobody\"",
    );

    // Every change is in the audit trail, attributed, without password hashes.
    let actions: Vec<&str> = trail.iter().map(|e| e.change.action.as_str()).collect();
    assert_eq!(
        actions,
        ["account.create", "account.disable", "account.reset"]
    );
    assert!(trail.iter().all(|e| e.change.actor.starts_with("cli:")));
    assert!(
        trail
            .iter()
            .all(|e| !e.change.actor.contains("spoofed-user") && e.change.actor.contains("uid ")),
        "{:?}",
        trail.iter().map(|e| &e.change.actor).collect::<Vec<_>>()
    );
    assert!(trail
        .iter()
        .all(|e| !e.change.after.as_deref().unwrap_or("").contains("argon2")));
    assert_eq!(minxin_domain::audit::verify(&trail, head), Ok(3));
    let verified = run(&["audit", "verify"]);
    assert!(String::from_utf8_lossy(&verified.stdout).contains("intact: 3 entries"));
}

#[test]
fn the_organisation_and_roles_are_managed_from_the_command_line_with_an_audit_trail() {
    use minxin_domain::platform::{AuditStore, OrganisationStore};
    let folder = tempfile::tempdir().unwrap();
    let run = |args: &[&str]| {
        let mut all = args.to_vec();
        all.extend(["--data-dir", "data"]);
        minxin(&all, folder.path())
    };
    let ok = |output: Output| {
        assert!(output.status.success(), "{}", stderr(&output));
        String::from_utf8_lossy(&output.stdout).into_owned()
    };
    ok(run(&[
        "org",
        "unit",
        "commerce",
        "--kind",
        "department",
        "--zh",
        "市商务委",
        "--en",
        "Commerce",
    ]));
    ok(run(&[
        "org",
        "unit",
        "310101",
        "--kind",
        "district",
        "--zh",
        "黄浦区",
        "--en",
        "Huangpu",
    ]));
    ok(run(&[
        "org",
        "unit",
        "nanjing-east",
        "--kind",
        "street",
        "--zh",
        "南京东路街道",
        "--en",
        "East Nanjing Road",
        "--parent",
        "310101",
    ]));
    assert_fails_with(
        &run(&[
            "org", "unit", "x", "--kind", "street", "--zh", "x", "--en", "x", "--parent",
            "commerce",
        ]),
        "is not a district",
    );
    assert_fails_with(
        &run(&[
            "org", "unit", "commerce", "--kind", "district", "--zh", "x", "--en", "x",
        ]),
        "only its names can change",
    );
    ok(run(&["org", "project", "commerce", "breakfast"]));
    assert_fails_with(
        &run(&["org", "project", "commerce", "nope"]),
        "no project \"nope\"",
    );
    assert_fails_with(
        &run(&["org", "project", "310101", "breakfast"]),
        "is a district, not a department",
    );
    ok(run(&["user", "add", "li.wei", "--display-name", "李伟"]));
    ok(run(&[
        "user",
        "grant",
        "li.wei",
        "lead_department",
        "--scope",
        "commerce",
    ]));
    ok(run(&[
        "user",
        "grant",
        "li.wei",
        "district_officer",
        "--scope",
        "nanjing-east",
    ]));
    assert_fails_with(
        &run(&["user", "grant", "li.wei", "auditor", "--scope", "commerce"]),
        "is held for the whole city",
    );
    assert_fails_with(
        &run(&["user", "grant", "li.wei", "lead_department"]),
        "is held for a department",
    );
    assert_fails_with(
        &run(&["user", "grant", "li.wei", "mayor"]),
        "unknown role \"mayor\"",
    );
    assert_fails_with(
        &run(&["user", "grant", "nobody", "auditor"]),
        "no account named \"nobody\"",
    );
    ok(run(&[
        "user",
        "revoke",
        "li.wei",
        "district_officer",
        "--scope",
        "nanjing-east",
    ]));
    assert_fails_with(
        &run(&[
            "user",
            "revoke",
            "li.wei",
            "district_officer",
            "--scope",
            "nanjing-east",
        ]),
        "does not hold",
    );
    let shown = ok(run(&["org", "show"]));
    assert!(
        shown.contains("breakfast (lead)") && shown.contains("lead_department (commerce)"),
        "{shown}"
    );

    let (assignments, trail, head) = tokio::runtime::Runtime::new().unwrap().block_on(async {
        let store = minxin_storage::SqliteStore::open(&folder.path().join("data/minxin.db"))
            .await
            .unwrap();
        let (trail, head) = store.audit_log().await.unwrap();
        (store.assignments().await.unwrap(), trail, head)
    });
    assert_eq!(assignments.len(), 1);
    let actions: Vec<&str> = trail.iter().map(|e| e.change.action.as_str()).collect();
    assert_eq!(
        actions,
        [
            "unit.put",
            "unit.put",
            "unit.put",
            "project_department.set",
            "account.create",
            "role.grant",
            "role.grant",
            "role.revoke"
        ]
    );
    assert!(trail.iter().all(|e| e.change.actor.starts_with("cli:")));
    assert_eq!(minxin_domain::audit::verify(&trail, head), Ok(8));

    // The head as an anchor: recorded now, checked later.
    let anchor = ok(run(&["audit", "head"])).trim().to_string();
    assert!(anchor.starts_with("8:"), "{anchor}");
    ok(run(&["user", "add", "wang.fang", "--display-name", "王芳"]));
    let verified = ok(run(&["audit", "verify", "--anchor", &anchor]));
    assert!(verified.contains("intact: 9 entries"), "{verified}");
    let forged = format!("8:{}", "0".repeat(64));
    assert_fails_with(
        &run(&["audit", "verify", "--anchor", &forged]),
        "entry 8 does not match the anchor",
    );
    assert_fails_with(
        &run(&["audit", "verify", "--anchor", "12:00"]),
        "an anchor is COUNT:HASH",
    );
}

#[test]
fn a_configured_first_administrator_needs_a_hash_made_by_hash_password() {
    use std::io::Write as _;
    let folder = tempfile::tempdir().unwrap();
    let mut hashing = Command::new(env!("CARGO_BIN_EXE_minxin"))
        .args(["user", "hash-password"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    hashing
        .stdin
        .take()
        .unwrap()
        .write_all(b"a configured password\n")
        .unwrap();
    let hashed = hashing.wait_with_output().unwrap();
    let hash = String::from_utf8_lossy(&hashed.stdout).trim().to_string();
    assert!(hash.starts_with("$argon2id$"), "{hash}");
    assert!(minxin_web::app::accounts::verify_password(
        &hash,
        "a configured password"
    ));
    // Half a configuration is refused before anything is created.
    write(folder.path(), "half.toml", "first_admin = \"zhang.wei\"\n");
    assert_fails_with(
        &minxin(
            &["serve", "--config", "half.toml", "--data-dir", "data"],
            folder.path(),
        ),
        "needs both first_admin and first_admin_password_hash",
    );
}

/// `minxin portal-token` signs as a portal does: with the demo's key under `--demo`, with a
/// configured key from the file or `MINXIN_PORTAL_KEYS`, and refuses without any key.
#[test]
fn portal_token_signs_with_the_configured_key() {
    use minxin_web::app::portal::PortalKeys;
    let folder = tempfile::tempdir().unwrap();
    let now = minxin_web::app::clock::now_ms() / 1000;
    let demo = minxin(
        &["portal-token", "--wave", "2", "--subject", "p-1", "--demo"],
        folder.path(),
    );
    assert!(demo.status.success(), "{}", stderr(&demo));
    let token = String::from_utf8_lossy(&demo.stdout).trim().to_string();
    let verified = PortalKeys::demo().verify(&token, 2, now).unwrap();
    assert_eq!(
        (verified.channel.as_str(), verified.subject.as_str()),
        ("app", "p-1")
    );
    assert!(
        PortalKeys::demo()
            .verify(&token, 2, now + 25 * 3600)
            .is_err(),
        "a day by default"
    );

    let key = "0f".repeat(32);
    write(
        folder.path(),
        "keys.toml",
        &format!("[portal_keys]\nportal = \"{key}\"\n"),
    );
    let configured = minxin(
        &[
            "portal-token",
            "--config",
            "keys.toml",
            "--wave",
            "7",
            "--subject",
            "p-2",
        ],
        folder.path(),
    );
    assert!(configured.status.success(), "{}", stderr(&configured));
    let token = String::from_utf8_lossy(&configured.stdout)
        .trim()
        .to_string();
    let keys = PortalKeys::parse_list(&format!("portal={key}")).unwrap();
    assert_eq!(keys.verify(&token, 7, now).unwrap().channel, "portal");
    assert!(!stderr(&configured).contains(&key));

    assert_fails_with(
        &minxin(
            &["portal-token", "--wave", "7", "--subject", "p-3"],
            folder.path(),
        ),
        "no portal key is configured",
    );
    assert_fails_with(
        &minxin(
            &[
                "portal-token",
                "--wave",
                "7",
                "--subject",
                "not a subject",
                "--demo",
            ],
            folder.path(),
        ),
        "a subject is 1 to 64",
    );
    write(
        folder.path(),
        "unknown.toml",
        &format!("[portal_keys]\nwechat = \"{key}\"\n"),
    );
    assert_fails_with(
        &minxin(
            &[
                "portal-token",
                "--config",
                "unknown.toml",
                "--wave",
                "7",
                "--subject",
                "p-5",
            ],
            folder.path(),
        ),
        "not a channel code",
    );
    write(
        folder.path(),
        "bad.toml",
        "[portal_keys]\nportal = \"1234\"\n",
    );
    let bad = minxin(
        &[
            "portal-token",
            "--config",
            "bad.toml",
            "--wave",
            "7",
            "--subject",
            "p-4",
        ],
        folder.path(),
    );
    assert_fails_with(&bad, "must be 64 hex digits");
    assert!(!stderr(&bad).contains("1234"), "the key is not printed");
}

/// The cut-point rule is a setting: the median (default), the mean, or fixed targets; the
/// quadrants follow it, and every report says which rule made them.
#[test]
fn cut_points_follow_the_chosen_rule() {
    let folder = tempfile::tempdir().unwrap();
    write(folder.path(), "demo.csv", &large_file(folder.path(), 1));
    let data = "demo.csv";
    let evaluate = |rule: &str| {
        json(&minxin(
            &["evaluate", data, "--format", "json", "--cut-points", rule],
            folder.path(),
        ))
    };
    let reliable_scores = |value: &Value, index: &str| -> Vec<f64> {
        value["projects"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|p| p["reliable"] == true)
            .map(|p| p[index].as_f64().unwrap())
            .collect()
    };
    let median = evaluate("median");
    assert_eq!(median["settings"]["cut_points"]["rule"], "median");
    let mean = evaluate("mean");
    assert_eq!(mean["settings"]["cut_points"]["rule"], "mean");
    let scores = reliable_scores(&mean, "recognition");
    assert!(scores.len() >= 2);
    let expected = scores.iter().sum::<f64>() / scores.len() as f64;
    assert!((mean["cut_points"]["recognition"].as_f64().unwrap() - expected).abs() < 1e-9);
    let fixed = evaluate("99,1");
    assert_eq!(fixed["cut_points"]["recognition"], 99.0);
    assert_eq!(fixed["cut_points"]["satisfaction"], 1.0);
    assert_eq!(
        fixed["settings"]["cut_points"],
        serde_json::json!({"rule": "fixed", "recognition": 99.0, "satisfaction": 1.0})
    );
    for project in fixed["projects"].as_array().unwrap() {
        if project["reliable"] == true {
            // Nobody reaches 99 recognition, everybody 1 satisfaction: low recognition, high
            // satisfaction.
            assert_eq!(project["quadrant"], "LH", "{}", project["code"]);
        }
    }
    let table = minxin(&["evaluate", data, "--cut-points", "mean"], folder.path());
    assert!(
        String::from_utf8_lossy(&table.stdout).contains("可靠工程得分的平均数"),
        "{}",
        String::from_utf8_lossy(&table.stdout)
    );
    assert_fails_with(
        &minxin(&["evaluate", data, "--cut-points", "middle"], folder.path()),
        "unknown cut-point rule",
    );
}

/// The pooled median is the median of every rating's own index score (the mean of its
/// answered items of the index, 0–100) over the reliable projects, computed here straight
/// from the file.
#[test]
fn the_pooled_median_is_the_median_of_the_ratings_own_scores() {
    let folder = tempfile::tempdir().unwrap();
    let text = large_file(folder.path(), 1);
    write(folder.path(), "demo.csv", &text);
    let value = json(&minxin(
        &[
            "evaluate",
            "demo.csv",
            "--format",
            "json",
            "--cut-points",
            "pooled-median",
        ],
        folder.path(),
    ));
    assert_eq!(value["settings"]["cut_points"]["rule"], "pooled-median");
    let reliable: std::collections::BTreeSet<String> = value["projects"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["reliable"] == true)
        .map(|p| p["code"].as_str().unwrap().to_string())
        .collect();
    let header: Vec<&str> = text.lines().next().unwrap().split(',').collect();
    let column = |name: &str| header.iter().position(|h| *h == name).unwrap();
    let median_of = |items: &[&str]| -> f64 {
        let mut scores: Vec<f64> = Vec::new();
        for line in text.lines().skip(1) {
            let fields: Vec<&str> = line.split(',').collect();
            if !reliable.contains(fields[column("project")]) {
                continue;
            }
            let answered: Vec<f64> = items
                .iter()
                .filter_map(|item| fields[column(item)].parse::<f64>().ok())
                .collect();
            if !answered.is_empty() {
                let mean = answered.iter().sum::<f64>() / answered.len() as f64;
                scores.push((mean - 1.0) * 25.0);
            }
        }
        scores.sort_by(f64::total_cmp);
        let n = scores.len();
        (scores[(n - 1) / 2] + scores[n / 2]) / 2.0
    };
    let recognition = median_of(&["awareness", "relevance", "need_fit"]);
    let satisfaction = median_of(&[
        "quality",
        "value",
        "satisfaction",
        "trust_delivery",
        "trust_improvement",
    ]);
    let close = |a: &Value, b: f64| (a.as_f64().unwrap() - b).abs() < 1e-9;
    assert!(
        close(&value["cut_points"]["recognition"], recognition),
        "{} vs {recognition}",
        value["cut_points"]
    );
    assert!(
        close(&value["cut_points"]["satisfaction"], satisfaction),
        "{} vs {satisfaction}",
        value["cut_points"]
    );
    // The quadrants follow those cut points.
    for project in value["projects"].as_array().unwrap() {
        if project["reliable"] == true {
            let high = |index: &str, cut: f64| project[index].as_f64().unwrap() >= cut;
            let expected = match (
                high("recognition", recognition),
                high("satisfaction", satisfaction),
            ) {
                (true, true) => "HH",
                (true, false) => "HL",
                (false, true) => "LH",
                (false, false) => "LL",
            };
            assert_eq!(project["quadrant"], expected, "{}", project["code"]);
        }
    }
}

#[test]
fn calendar_counts_working_days_and_refuses_a_year_without_a_notice() {
    let folder = tempfile::tempdir().unwrap();
    // After Friday 27 September 2024: Sunday the 29th is worked, then National Day's week off.
    let due = minxin(&["calendar", "due", "2024-09-27", "3"], folder.path());
    assert!(due.status.success(), "{}", stderr(&due));
    assert_eq!(String::from_utf8_lossy(&due.stdout).trim(), "2024-10-08");
    let json = minxin(
        &["calendar", "due", "2024-09-27", "1", "--format", "json"],
        folder.path(),
    );
    let value: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(value["due"], "2024-09-29");
    let sunday = minxin(&["calendar", "working-day", "2024-09-29"], folder.path());
    assert!(String::from_utf8_lossy(&sunday.stdout).contains("is a working day"));
    let holiday = minxin(
        &["calendar", "working-day", "2024-10-01", "--format", "json"],
        folder.path(),
    );
    let value: serde_json::Value = serde_json::from_slice(&holiday.stdout).unwrap();
    assert_eq!(value["working_day"], false);
    assert_fails_with(
        &minxin(&["calendar", "due", "2026-12-28", "10"], folder.path()),
        "no holiday notice for 2027",
    );
    assert_fails_with(
        &minxin(&["calendar", "working-day", "2026-02-30"], folder.path()),
        "\"2026-02-30\" is not a date",
    );
}

#[test]
fn a_register_loads_from_toml_round_trips_through_xlsx_and_refuses_a_bad_file_whole() {
    let folder = tempfile::tempdir().unwrap();
    let db = folder.path().join("register.db");
    let db = db.to_str().unwrap();
    let shipped = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../domain/defaults/register.toml"
    );
    let loaded = minxin(&["register", "load", shipped, "--db", db], folder.path());
    assert!(loaded.status.success(), "{}", stderr(&loaded));
    assert!(String::from_utf8_lossy(&loaded.stdout).contains("16 added"));
    let workbook = folder.path().join("register.xlsx");
    let exported = minxin(
        &["register", "export", workbook.to_str().unwrap(), "--db", db],
        folder.path(),
    );
    assert!(exported.status.success(), "{}", stderr(&exported));
    let again = minxin(
        &["register", "load", workbook.to_str().unwrap(), "--db", db],
        folder.path(),
    );
    assert!(
        String::from_utf8_lossy(&again.stdout).contains("0 changed, 16 unchanged"),
        "{}",
        stderr(&again)
    );
    let text = std::fs::read_to_string(shipped).unwrap();
    let bad = write(
        folder.path(),
        "bad.toml",
        &text.replacen("start_year = 2020", "start_year = 1800", 1),
    );
    assert_fails_with(
        &minxin(
            &["register", "load", bad.to_str().unwrap(), "--db", db],
            folder.path(),
        ),
        "project[0].start_year: 项目“旧区改造”的启动年份1800",
    );
    let shown = minxin(
        &["register", "show", "--format", "json", "--db", db],
        folder.path(),
    );
    let register = json(&shown);
    assert_eq!(register["project"].as_array().unwrap().len(), 16);
    assert_eq!(
        register["project"][0]["start_year"], 2020,
        "the refused file stored nothing"
    );
}
