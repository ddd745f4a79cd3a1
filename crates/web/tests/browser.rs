//! In headless Chromium on a phone-sized screen: a citizen answers the questionnaire and the
//! coordination office, signed in, sees the dashboard's count and charts change; a lead
//! department signs in and sees its own project's figures but not another department's, nor
//! the unpublished rankings, nor the audit trail. Driven through ChromeDriver's W3C WebDriver
//! protocol with a few lines of plain HTTP (no client library needed for a few commands).
//!
//! Needs Debian's `chromium` and `chromium-driver` (`.ci/run` installs them); the test fails,
//! never skips, when they are missing.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use minxin_storage::SqliteStore;
use minxin_web::app::identity::RespondentSecret;
use minxin_web::{application, AppState};
use serde_json::{json, Value};

/// A W3C WebDriver session over plain HTTP.
struct Browser {
    driver: Child,
    address: String,
    session: String,
}

const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn request(address: &str, method: &str, path: &str, body: Option<&Value>) -> Value {
    let mut stream = TcpStream::connect(address).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(60)))
        .unwrap();
    let body = body.map(Value::to_string).unwrap_or_default();
    write!(
        stream,
        "{method} {path} HTTP/1.1\r\nHost: {address}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    // Read the head, then exactly Content-Length bytes (the driver may keep the connection open).
    let mut received = Vec::new();
    let mut buffer = [0u8; 8192];
    let head_end = loop {
        let read = stream.read(&mut buffer).unwrap();
        assert!(read > 0, "WebDriver closed the connection");
        received.extend_from_slice(&buffer[..read]);
        if let Some(end) = received.windows(4).position(|w| w == b"\r\n\r\n") {
            break end + 4;
        }
    };
    let head = String::from_utf8_lossy(&received[..head_end]).to_ascii_lowercase();
    let length: usize = head
        .lines()
        .find_map(|line| line.strip_prefix("content-length:"))
        .map(|value| value.trim().parse().unwrap())
        .expect("WebDriver answers with a Content-Length");
    while received.len() < head_end + length {
        let read = stream.read(&mut buffer).unwrap();
        assert!(read > 0, "WebDriver closed the connection early");
        received.extend_from_slice(&buffer[..read]);
    }
    let body = &received[head_end..head_end + length];
    serde_json::from_slice(body).unwrap_or_else(|e| {
        panic!(
            "WebDriver answered {:?}: {e}",
            String::from_utf8_lossy(body)
        )
    })
}

impl Browser {
    fn start() -> Browser {
        let port = free_port();
        let driver = Command::new("chromedriver")
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver must be installed (Debian package chromium-driver; .ci/run installs it)");
        let address = format!("127.0.0.1:{port}");
        let deadline = Instant::now() + Duration::from_secs(20);
        while TcpStream::connect(&address).is_err() {
            assert!(Instant::now() < deadline, "chromedriver did not start");
            std::thread::sleep(Duration::from_millis(100));
        }
        let capabilities = json!({"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {
                "binary": "/usr/bin/chromium",
                "args": ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                         "--disable-component-update", "--disable-sync", "--no-first-run", "--window-size=390,844"]
            }
        }}});
        let created = request(&address, "POST", "/session", Some(&capabilities));
        let session = created["value"]["sessionId"]
            .as_str()
            .unwrap_or_else(|| panic!("no session: {created}"))
            .to_string();
        Browser {
            driver,
            address,
            session,
        }
    }

    fn command(&self, method: &str, path: &str, body: Option<Value>) -> Value {
        let value = request(
            &self.address,
            method,
            &format!("/session/{}{path}", self.session),
            body.as_ref(),
        );
        assert!(
            value["value"].get("error").is_none(),
            "{method} {path}: {value}"
        );
        value["value"].clone()
    }

    fn open(&self, url: &str) {
        self.command("POST", "/url", Some(json!({"url": url})));
    }

    fn find(&self, css: &str) -> String {
        let found = self.command(
            "POST",
            "/element",
            Some(json!({"using": "css selector", "value": css})),
        );
        found[ELEMENT].as_str().unwrap().to_string()
    }

    fn click(&self, css: &str) {
        let element = self.find(css);
        self.command(
            "POST",
            &format!("/element/{element}/click"),
            Some(json!({})),
        );
    }

    fn type_into(&self, css: &str, text: &str) {
        let element = self.find(css);
        self.command(
            "POST",
            &format!("/element/{element}/value"),
            Some(json!({"text": text})),
        );
    }

    fn page(&self) -> String {
        self.command("GET", "/source", None)
            .as_str()
            .unwrap()
            .to_string()
    }

    /// The page source once it contains `text` (a click may return before the next page has
    /// loaded); fails after ten seconds.
    fn wait_for(&self, text: &str) -> String {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let page = self.page();
            if page.contains(text) {
                return page;
            }
            assert!(
                Instant::now() < deadline,
                "the page never showed {text:?}:\n{page}"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// Whether the radio button or checkbox `css` is chosen.
    fn is_selected(&self, css: &str) -> bool {
        let element = self.find(css);
        self.command("GET", &format!("/element/{element}/selected"), None)
            .as_bool()
            .unwrap()
    }

    fn window_width(&self) -> i64 {
        self.command(
            "POST",
            "/execute/sync",
            Some(json!({"script": "return window.innerWidth", "args": []})),
        )
        .as_i64()
        .unwrap()
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = request(
            &self.address,
            "DELETE",
            &format!("/session/{}", self.session),
            None,
        );
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

/// The demo served on a free port: its address and the open wave's id.
fn serve_demo(runtime: &tokio::runtime::Runtime, folder: &std::path::Path) -> (String, i64) {
    runtime.block_on(async {
        let store = SqliteStore::open(&folder.join("minxin.db")).await.unwrap();
        let state = AppState::start(store, RespondentSecret::new(vec![9; 32]).unwrap())
            .await
            .unwrap()
            .with_portal_keys(minxin_web::app::portal::PortalKeys::demo());
        minxin_web::demo::load_demo(&state, 2021).await.unwrap();
        let open_wave = state
            .waves()
            .iter()
            .find(|w| w.status() == minxin_domain::platform::WaveStatus::Open)
            .unwrap()
            .id();
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let address = listener.local_addr().unwrap().to_string();
        tokio::spawn(async move { axum::serve(listener, application(state)).await.unwrap() });
        (address, open_wave)
    })
}

/// The built-in instrument's item codes, as the questionnaire names its answers.
const ITEMS: [&str; 8] = [
    "awareness",
    "relevance",
    "need_fit",
    "quality",
    "value",
    "satisfaction",
    "trust_delivery",
    "trust_improvement",
];

/// One browser at a time: several Chromiums at once on a small machine make each slow enough
/// to miss its deadlines. The guard is held for a whole test.
fn one_at_a_time() -> std::sync::MutexGuard<'static, ()> {
    static TURN: std::sync::Mutex<()> = std::sync::Mutex::new(());
    TURN.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// The demo served on a free port and a phone-sized browser, for one test: tests take turns,
/// and the server stops when the test ends.
struct DemoOnPhone {
    browser: Browser,
    /// Where the demo is served, `http://127.0.0.1:port`.
    base: String,
    /// The open demo wave.
    wave: i64,
    runtime: Option<tokio::runtime::Runtime>,
    _folder: tempfile::TempDir,
    _turn: std::sync::MutexGuard<'static, ()>,
}

impl DemoOnPhone {
    fn start() -> DemoOnPhone {
        let turn = one_at_a_time();
        let folder = tempfile::tempdir().unwrap();
        let runtime = tokio::runtime::Runtime::new().unwrap();
        let (address, wave) = serve_demo(&runtime, folder.path());
        DemoOnPhone {
            browser: phone(),
            base: format!("http://{address}"),
            wave,
            runtime: Some(runtime),
            _folder: folder,
            _turn: turn,
        }
    }
}

impl Drop for DemoOnPhone {
    fn drop(&mut self) {
        if let Some(runtime) = self.runtime.take() {
            runtime.shutdown_timeout(Duration::from_secs(1));
        }
    }
}

/// A browser on a phone-sized window. A busy machine may apply the size late, so it is set
/// again until the page is as wide as a phone.
fn phone() -> Browser {
    let browser = Browser::start();
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        browser.command(
            "POST",
            "/window/rect",
            Some(json!({"width": 390, "height": 844})),
        );
        let width = browser.window_width();
        if width <= 400 {
            return browser;
        }
        assert!(
            Instant::now() < deadline,
            "a phone-sized window, got {width} px"
        );
        std::thread::sleep(Duration::from_millis(250));
    }
}

impl Browser {
    /// Fills in the sign-in form the browser is on and submits it.
    fn sign_in(&self, name: &str) {
        self.wait_for("id=\"password\"");
        self.type_into("input#name", name);
        self.type_into("input#password", minxin_web::demo::DEMO_PASSWORD);
        self.click("button[type=submit]");
    }
}

#[test]
fn a_citizen_answers_on_a_phone_and_the_dashboard_changes() {
    let demo = DemoOnPhone::start();
    let browser = &demo.browser;
    let base = &demo.base;
    let wave = demo.wave;

    // The open wave's results are not published: a visitor is sent to the sign-in page.
    browser.open(&format!("{base}/waves/{wave}"));
    browser.wait_for("工作人员登录");

    // The welcome page says who asks and what happens to the answers; then the projects the
    // citizen knows, one page per project, and the page about the citizen.
    let token = minxin_web::app::portal::PortalKeys::demo()
        .sign(
            "app",
            wave,
            "phone-citizen-1",
            minxin_web::app::clock::now_ms() / 1000 + 3600,
        )
        .unwrap();
    browser.open(&format!("{base}/waves/{wave}/survey?token={token}"));
    browser.wait_for("个人信息保护");
    browser.click("button[value=next]");
    browser.wait_for("您知道以下哪些工程");
    browser.click("input[name=project][value=parking]");
    browser.click("input[name=project][value=medical]");
    browser.click("button[value=next]");
    // The first project (catalogue order): two answers, then forward, which is refused with
    // the unanswered questions named, the two answers kept.
    browser.wait_for("第 2 步，共 4 步");
    browser.click("input[name='a.parking.awareness'][value='5']");
    browser.click("input[name='a.parking.satisfaction'][value='2']");
    browser.click("button[value=next]");
    browser.wait_for("还有 6 题没有作答");
    assert!(browser.is_selected("input[name='a.parking.awareness'][value='5']"));
    for item in ITEMS {
        if item != "awareness" && item != "satisfaction" {
            browser.click(&format!("input[name='a.parking.{item}'][value='dk']"));
        }
    }
    browser.click("button[value=next]");
    browser.wait_for("第 3 步，共 4 步");
    // Back to the first project: its answers are still there.
    browser.click("button[value=back]");
    browser.wait_for("第 2 步，共 4 步");
    assert!(browser.is_selected("input[name='a.parking.satisfaction'][value='2']"));
    browser.click("button[value=next]");
    browser.wait_for("第 3 步，共 4 步");
    for item in ITEMS {
        let value = if item == "quality" { "4" } else { "dk" };
        browser.click(&format!("input[name='a.medical.{item}'][value='{value}']"));
    }
    browser.click("button[value=next]");
    browser.wait_for("关于您");
    browser.click("select#district option[value='310104']");
    browser.type_into("input#age", "41");
    browser.click("button[value=next]");
    let thanks = browser.wait_for("您的答卷已保存");
    assert!(thanks.contains("感谢您的参与"));
    // The wave is not published: the citizen is told when results appear, and is not sent
    // to a dashboard that would ask them to sign in.
    assert!(
        thanks.contains("返回首页") && !thanks.contains(&format!("href=\"/waves/{wave}\"")),
        "{thanks}"
    );

    // The coordination office signs in and finds the response counted and charted.
    browser.open(&format!("{base}/waves/{wave}"));
    browser.sign_in("office");
    let dashboard = browser.wait_for("答卷 <strong>1</strong>");
    assert!(
        dashboard.contains("<svg") && dashboard.contains("停车难综合治理"),
        "the charts show the rated projects"
    );
    assert!(
        dashboard.contains("市协调办 演示用户"),
        "who is signed in is shown"
    );
    // Signing out ends the session: the dashboard asks for a sign-in again.
    browser.sign_out();
    browser.open(&format!("{base}/waves/{wave}"));
    browser.wait_for("工作人员登录");
}

#[test]
fn a_lead_department_sees_its_own_project_and_nothing_restricted() {
    let demo = DemoOnPhone::start();
    let browser = &demo.browser;
    let base = &demo.base;
    let wave = demo.wave;

    browser.open(&format!("{base}/sign-in"));
    browser.sign_in("commerce");
    let home = browser.wait_for("市商务委 演示用户");
    assert!(
        home.contains("结果尚未发布") && !home.contains("href=\"/audit"),
        "the unpublished wave offers no dashboard, and no audit trail link"
    );

    // Its own project in the running wave, linked from the home page: internal figures it
    // may follow.
    browser.click("a[href$='/projects/breakfast']");
    let own = browser.wait_for("早餐工程");
    assert!(!own.contains("无权访问"));
    // Another department's project, the unpublished rankings, the audit trail: refused.
    for refused in [
        format!("{base}/waves/{wave}/projects/parking"),
        format!("{base}/waves/{wave}"),
        format!("{base}/audit"),
        format!("{base}/organisation"),
    ] {
        browser.open(&refused);
        browser.wait_for("无权访问");
    }
    // The published wave is public.
    browser.open(&format!("{base}/"));
    browser.click("a.dashboard");
    let published = browser.wait_for("结果发布");
    assert!(published.contains("结果已发布"));
}

impl Browser {
    /// Runs `script` in the page and returns its value.
    fn script(&self, script: &str) -> Value {
        self.command(
            "POST",
            "/execute/sync",
            Some(json!({"script": script, "args": []})),
        )
    }

    /// How wide the page's content is, in CSS pixels (wider than the window: it scrolls
    /// sideways).
    fn content_width(&self) -> i64 {
        self.script("return document.documentElement.scrollWidth")
            .as_i64()
            .unwrap()
    }

    /// The smallest text of the page's charts as drawn, in CSS pixels (a chart scaled down to
    /// a phone's width shrinks its text with it); 1000 when the page has no chart text.
    fn smallest_chart_text(&self) -> f64 {
        self.script(
            "let smallest = 1000;\
             for (const svg of document.querySelectorAll('svg')) {\
               const box = svg.viewBox.baseVal;\
               if (!box || !box.width) continue;\
               const scale = svg.getBoundingClientRect().width / box.width;\
               for (const text of svg.querySelectorAll('text')) {\
                 smallest = Math.min(smallest, parseFloat(getComputedStyle(text).fontSize) * scale);\
               }\
             }\
             return smallest;",
        )
        .as_f64()
        .unwrap()
    }

    /// The targets of the links within the platform of the page's part `css`.
    fn local_links(&self, css: &str) -> Vec<String> {
        self.script(&format!(
            "return Array.from(document.querySelectorAll(\"{css} a[href]\")).map(a => a.getAttribute('href'))"
        ))
        .as_array()
        .unwrap()
        .iter()
        .filter_map(Value::as_str)
        .filter(|href| href.starts_with('/') && !href.starts_with("//"))
        .map(String::from)
        .collect()
    }

    /// Signs out from any page that has the sign-out button, and waits until it has gone.
    fn sign_out(&self) {
        self.click("form[action='/sign-out'] button");
        let deadline = Instant::now() + Duration::from_secs(10);
        while self.page().contains("action=\"/sign-out\"") {
            assert!(Instant::now() < deadline, "signing out did not finish");
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

#[test]
fn the_office_creates_opens_closes_and_publishes_a_wave_on_a_phone() {
    let demo = DemoOnPhone::start();
    let browser = &demo.browser;
    let base = &demo.base;

    browser.open(&format!("{base}/sign-in"));
    browser.sign_in("office");
    browser.wait_for("我的工作台");
    browser.click("a[href='/waves/new']");
    browser.wait_for("新建一轮评价");
    browser.type_into("input#name", "2027 春季评价");
    browser.type_into("input[name='quota.310104']", "50");
    browser.click("button[type=submit]");
    let manage = browser.wait_for("下一步");
    assert!(manage.contains("筹备中") && manage.contains("2027 春季评价"));

    // Opening asks first, then the wave takes responses.
    browser.click("a[href$='/status?to=open']");
    browser.wait_for("开始收集答卷？");
    browser.click("button[type=submit]");
    let open = browser.wait_for("进行中");
    assert!(open.contains("结束收集答卷"));
    browser.click("a[href$='/status?to=closed']");
    browser.wait_for("结束收集答卷？");
    browser.click("button[type=submit]");
    browser.wait_for("已结束");

    // Publishing says what becomes public and, with no respondent at all, warns until the
    // office acknowledges it.
    browser.click("a[href$='/publication']");
    let decide = browser.wait_for("发布后向公众公开的内容");
    assert!(decide.contains("所有工程的答卷都不足"));
    browser.type_into("input#statement", "按计划发布");
    browser.click("input[name=acknowledged]");
    browser.click("button[type=submit]");
    let dashboard = browser.wait_for("结果已发布");
    assert!(
        dashboard.contains("按计划发布"),
        "the decision's reasons are shown"
    );
}

#[test]
fn each_role_lands_on_its_workbench_on_a_phone() {
    let demo = DemoOnPhone::start();
    let browser = &demo.browser;
    let base = &demo.base;
    for (account, shown_as, _, _) in minxin_web::demo::DEMO_USERS {
        browser.open(&format!("{base}/sign-in"));
        browser.sign_in(account);
        let home = browser.wait_for(shown_as);
        assert!(home.contains("我的工作台"), "{account}: {home}");
        // Every link of the workbench opens a page, not a refusal.
        let links = browser.local_links(".workbench");
        assert!(!links.is_empty(), "{account} has somewhere to go");
        for link in links {
            browser.open(&format!("{base}{link}"));
            let page = browser.page();
            assert!(
                !page.contains("无权访问") && !page.contains("找不到该页面"),
                "{account}: {link}"
            );
        }
        browser.open(&format!("{base}/"));
        browser.sign_out();
    }
}

/// The kind of page `href` is: one project's or district's page stands for all of them.
fn shape(href: &str) -> String {
    for kind in ["/projects/", "/districts/"] {
        if let Some(at) = href.find(kind) {
            return format!("{}*", &href[..at + kind.len()]);
        }
    }
    href.to_string()
}

/// Whether a crawl follows `href`: pages, not downloads, the API or the same page in English.
fn crawled(href: &str) -> bool {
    let path = href.split('?').next().unwrap_or(href);
    !href.starts_with("/api/")
        && !href.contains("lang=en")
        && ![".csv", ".xlsx", ".json"]
            .iter()
            .any(|extension| path.ends_with(extension))
        && !path.ends_with("/microdata")
}

#[test]
fn no_page_of_the_demo_is_wider_than_a_phone_nor_its_charts_unreadable() {
    let demo = DemoOnPhone::start();
    let browser = &demo.browser;
    let base = &demo.base;
    let wave = demo.wave;
    let window = browser.window_width();
    let mut too_wide = Vec::new();
    let mut too_small = Vec::new();
    let mut visited = std::collections::BTreeSet::new();

    // The citizen's questionnaire, step by step.
    browser.open(&format!("{base}/waves/{wave}/survey"));
    for (step, shows) in [
        ("welcome", "个人信息保护"),
        ("choose", "您知道以下哪些工程"),
        ("project", "第 2 步"),
        ("profile", "关于您"),
    ] {
        browser.wait_for(shows);
        let width = browser.content_width();
        if width > window {
            too_wide.push(format!("the questionnaire's {step} step ({width} px)"));
        }
        match step {
            "choose" => browser.click("input[name=project][value=elevators]"),
            "project" => {
                for item in ITEMS {
                    browser.click(&format!("input[name='a.elevators.{item}'][value='dk']"));
                }
            }
            _ => {}
        }
        if step != "profile" {
            browser.click("button[value=next]");
        }
    }

    // Every kind of page the coordination office can reach from the home page (and the
    // sign-in page, before).
    browser.open(&format!("{base}/sign-in"));
    if browser.content_width() > window {
        too_wide.push(format!("/sign-in ({} px)", browser.content_width()));
    }
    browser.sign_in("office");
    browser.wait_for("我的工作台");
    let mut queue = vec!["/".to_string()];
    while let Some(href) = queue.pop() {
        if visited.len() >= 60 || !visited.insert(shape(&href)) {
            continue;
        }
        browser.open(&format!("{base}{href}"));
        let width = browser.content_width();
        if width > window {
            too_wide.push(format!("{href} ({width} px)"));
        }
        let text = browser.smallest_chart_text();
        if text < 9.95 {
            too_small.push(format!("{href} ({text:.1} px)"));
        }
        for link in browser.local_links("body") {
            if crawled(&link) && !visited.contains(&shape(&link)) {
                queue.push(link);
            }
        }
    }
    assert!(
        visited.len() > 15 && visited.len() < 60,
        "the crawl reached every kind of page: {visited:?}"
    );
    assert!(
        too_wide.is_empty(),
        "wider than the {window} px window: {too_wide:#?}"
    );
    assert!(
        too_small.is_empty(),
        "chart text under 10 px on a phone: {too_small:#?}"
    );
}

#[test]
fn the_printable_report_prints_on_a4_with_a_title_page() {
    use base64::Engine;
    let demo = DemoOnPhone::start();
    let browser = &demo.browser;
    // The published demo wave's report is public.
    browser.open(&format!("{}/waves/1/report", demo.base));
    browser.wait_for("目录");
    let printed = browser.command(
        "POST",
        "/print",
        Some(json!({"page": {"width": 21.0, "height": 29.7}, "background": true})),
    );
    let pdf = base64::engine::general_purpose::STANDARD
        .decode(printed.as_str().unwrap())
        .unwrap();
    let text = String::from_utf8_lossy(&pdf);
    let pages = text.matches("/Type /Page").count() - text.matches("/Type /Pages").count();
    assert!(
        pages >= 4,
        "the title page, then the report over several A4 pages: {pages}"
    );
}

#[test]
fn a_district_officer_reports_a_months_progress_on_a_phone() {
    let demo = DemoOnPhone::start();
    let browser = &demo.browser;
    let base = &demo.base;
    let window = browser.window_width();

    browser.open(&format!("{base}/sign-in"));
    browser.sign_in("huangpu");
    browser.wait_for("黄浦区 演示用户");
    // From the project's page to its letter's progress, as an officer would go.
    browser.open(&format!("{base}/projects/breakfast"));
    browser.click("a[href$='/letters/2021']");
    browser.click("a[href$='/letters/2021/progress']");
    let form = browser.wait_for("报送本月进展");
    assert!(form.contains("name=\"t.t1.310101\""), "its own share");
    assert!(
        !form.contains("name=\"t.t1.310104\""),
        "and no other district's"
    );
    assert!(
        browser.content_width() <= window,
        "the report form fits a phone"
    );
    browser.type_into("input[name='t.t1.310101']", "35");
    browser.type_into("textarea[name=note]", "已完成35个网点。");
    browser.click("section#report button[type=submit]");
    let reported = browser.wait_for("已报送");
    assert!(reported.contains("已完成35个网点。"));
    assert!(
        reported.contains("<td>35</td>"),
        "the district's figure in the targets' table"
    );
    assert!(
        browser.content_width() <= window,
        "the progress page fits a phone"
    );
}
