//! `minxin bench advancement`: builds a programme the size of a large city's (by default
//! 1,000 projects with five years of signed letters, 20,000 commitments, 1.2 million
//! progress reports and 50,000 action items of joint meetings) in a database of its own, serves the platform on it, and times the pages
//! the office and the departments open most: the supervision board, a project's page and a
//! department's view of the board. Figures are printed, never asserted.

use std::time::{Duration, Instant};

use anyhow::{anyhow, Context, Result};
use clap::Args;
use indicatif::{ProgressBar, ProgressStyle};
use minxin_domain::access::Role;
use minxin_domain::advancement::letter::{
    Commitments, DistrictShare, MilestoneCommitment, TargetCommitment,
};
use minxin_domain::advancement::lights::LightSettings;
use minxin_domain::advancement::progress::{
    MilestoneReport, MilestoneStatus, ReportContent, ReportStatus, TargetReport,
};
use minxin_domain::advancement::register::{
    Participant, Register, RegisterDepartment, RegisteredProject, Steering,
};
use minxin_domain::advancement::supervision::{BoardQuery, ItemQuery, LightClock};
use minxin_domain::calendar::{Day, WorkingDays};
use minxin_domain::organisation::{Assignment, Scope};
use minxin_domain::platform::{
    Account, AccountStore, Attribution, LetterStore, OrganisationStore, ProgressStore,
    RegisterStore,
};
use minxin_domain::Configuration;
use minxin_storage::bench_load::ReportToLoad;
use minxin_storage::{AnyStore, StoreUrl};
use minxin_web::app::identity::RespondentSecret;
use minxin_web::AppState;

/// Arguments of `minxin bench advancement`.
#[derive(Debug, Args)]
pub struct AdvancementArgs {
    /// The database to build in: a `postgres://` URL of an empty database, or a SQLite file
    /// that does not exist yet; without it, a SQLite file in a temporary folder.
    #[arg(long, value_name = "URL")]
    pub database: Option<String>,
    /// Projects in the programme.
    #[arg(long, default_value_t = 1_000)]
    pub projects: usize,
    /// Years of signed letters, ending with the current one.
    #[arg(long, default_value_t = 5)]
    pub years: i32,
    /// Departments reporting on each letter besides its districts (the lead one and
    /// participating ones): with the 16 districts, 20 units report every month.
    #[arg(long, default_value_t = 4)]
    pub departments_reporting: usize,
    /// Action items of joint meetings in the current year (fifty a meeting).
    #[arg(long, default_value_t = 50_000)]
    pub action_items: usize,
    /// Requests timed per page (after three to warm up).
    #[arg(long, default_value_t = 50)]
    pub requests: usize,
    /// Time the programme an earlier run built in `--database` instead of building one.
    #[arg(long, requires = "database")]
    pub reuse: bool,
}

/// The departments of the generated programme.
const DEPARTMENTS: usize = 40;

/// The account every timed request is made as, and its password.
const PASSWORD: &str = "bench-password-42";

/// Who builds the programme.
fn by() -> Attribution {
    Attribution {
        actor: "bench".into(),
        at_ms: minxin_web::app::clock::now_ms(),
    }
}

/// Department `k`'s code.
fn department(k: usize) -> String {
    format!("bench-department-{:02}", k % DEPARTMENTS)
}

/// The generated register: `projects` projects, each led by one of 40 departments with
/// `participants` participating ones, delivered in every district.
fn register(projects: usize, participants: usize, first_year: i32) -> Register {
    let departments = (0..DEPARTMENTS)
        .map(|k| RegisterDepartment {
            code: department(k),
            zh: format!("示例委办局{k:02}"),
            en: format!("Department {k:02}"),
        })
        .collect();
    let projects = (0..projects)
        .map(|p| RegisteredProject {
            code: format!("bench-{p:04}"),
            name_zh: format!("示例民心工程{p:04}"),
            name_en: format!("Project {p:04}"),
            summary_zh: "基准测试生成的项目。".into(),
            summary_en: "A project generated for the benchmark.".into(),
            description_zh: String::new(),
            description_en: String::new(),
            leader_zh: "分管副市长（示例）".into(),
            leader_en: "Vice-mayor (illustrative)".into(),
            steering: Steering::TaskForce,
            steering_zh: "工作专班（示例）".into(),
            steering_en: "Task force (illustrative)".into(),
            lead_department: department(p),
            participants: (1..=participants)
                .map(|k| Participant {
                    department: department(p + k * 7),
                    duty_zh: "配合推进".into(),
                    duty_en: "Takes part".into(),
                })
                .collect(),
            districts: vec![minxin_domain::advancement::register::ALL_DISTRICTS.into()],
            start_year: first_year,
        })
        .collect();
    Register {
        departments,
        projects,
    }
}

/// A letter's four commitments: a target shared among the districts, one the lead department
/// delivers whole, a milestone of the lead department's and one of a participating one's.
fn commitments(project: &RegisteredProject, year: i32, districts: &[String]) -> Commitments {
    let per_district = 10.0;
    let milestone = |id: &str, kind: &str, due: &str, unit: &str| MilestoneCommitment {
        id: id.into(),
        title_zh: format!("{}节点{id}", project.name_zh),
        title_en: String::new(),
        kind: kind.into(),
        due: format!("{year}-{due}"),
        unit: unit.into(),
        person: "联络员（示例）".into(),
    };
    let participant = project
        .participants
        .first()
        .map_or(project.lead_department.clone(), |p| p.department.clone());
    Commitments {
        milestones: vec![
            milestone("m1", "engagement", "04-30", &project.lead_department),
            milestone("m2", "delivery", "09-30", &participant),
        ],
        targets: vec![
            TargetCommitment {
                id: "t1".into(),
                title_zh: "分区建设任务".into(),
                title_en: "Built in the districts".into(),
                measure_zh: "处".into(),
                measure_en: "sites".into(),
                quantity: per_district * districts.len() as f64,
                due: format!("{year}-12-31"),
                unit: project.lead_department.clone(),
                shares: districts
                    .iter()
                    .map(|district| DistrictShare {
                        district: district.clone(),
                        quantity: per_district,
                    })
                    .collect(),
                weight: Some(0.7),
            },
            TargetCommitment {
                id: "t2".into(),
                title_zh: "全市统一任务".into(),
                title_en: "Delivered city-wide".into(),
                measure_zh: "项".into(),
                measure_en: "items".into(),
                quantity: 12.0,
                due: format!("{year}-11-30"),
                unit: project.lead_department.clone(),
                shares: Vec::new(),
                weight: Some(0.3),
            },
        ],
        phases: Vec::new(),
    }
}

/// A small reproducible generator (SplitMix64).
struct Dice(u64);

impl Dice {
    fn below(&mut self, bound: u64) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        (z ^ (z >> 31)) % bound
    }
}

/// A year of monthly reports on a letter, through `last_month`: each district on its share
/// (about one in thirty falls behind for good), the lead department on the city-wide target
/// and its milestone, a participating department on its milestone, the others in words.
fn reports(
    project: &RegisteredProject,
    year: i32,
    last_month: u8,
    districts: &[String],
    reporting: usize,
    dice: &mut Dice,
) -> Vec<ReportToLoad> {
    let mut loaded = Vec::new();
    let stalled: Vec<bool> = districts.iter().map(|_| dice.below(30) == 0).collect();
    let slow: Vec<bool> = districts.iter().map(|_| dice.below(4) == 0).collect();
    let epoch = Day::parse("1970-01-01").expect("a date");
    let at = |month: u8| {
        Day::parse(&format!("{year}-{month:02}-28"))
            .map_or(0, |day| epoch.days_until(day) * 86_400_000)
    };
    let participant = project
        .participants
        .first()
        .map_or(project.lead_department.clone(), |p| p.department.clone());
    for month in 1..=last_month {
        let label = format!("{year}-{month:02}");
        let status = |dice: &mut Dice| match dice.below(50) {
            0 => ReportStatus::Returned,
            1..=10 => ReportStatus::Submitted,
            11..=20 => ReportStatus::Reviewed,
            _ => ReportStatus::Accepted,
        };
        // Most districts a little ahead of the pro-rata schedule, one in four a little behind.
        let share_done = |k: usize| {
            let ahead = if slow[k] { 0.0 } else { 0.5 };
            let pace = (10.0 * (f64::from(month) + ahead) / 12.0).min(10.0);
            if stalled[k] {
                pace.min(6.0)
            } else {
                pace
            }
        };
        for (k, district) in districts.iter().enumerate() {
            loaded.push(ReportToLoad {
                month: label.clone(),
                unit: district.clone(),
                status: status(dice),
                content: ReportContent {
                    targets: vec![TargetReport {
                        target: "t1".into(),
                        district: Some(district.clone()),
                        achieved: (share_done(k) * 100.0).round() / 100.0,
                    }],
                    ..ReportContent::default()
                },
                submitted: (format!("bench.{district}"), at(month)),
            });
        }
        let milestone_status = |due_month: u8| {
            if month >= due_month {
                MilestoneStatus::Met
            } else if month + 2 >= due_month {
                MilestoneStatus::PartiallyMet
            } else {
                MilestoneStatus::Scheduled
            }
        };
        loaded.push(ReportToLoad {
            month: label.clone(),
            unit: project.lead_department.clone(),
            status: status(dice),
            content: ReportContent {
                targets: vec![TargetReport {
                    target: "t2".into(),
                    district: None,
                    achieved: f64::from(month.min(11)) + 1.0,
                }],
                milestones: vec![MilestoneReport {
                    milestone: "m1".into(),
                    status: milestone_status(4),
                }],
                physical_percent: Some(f64::from(month) * 8.0),
                financial_percent: Some(f64::from(month) * 7.5),
                ..ReportContent::default()
            },
            submitted: (format!("bench.{}", project.lead_department), at(month)),
        });
        for k in 1..reporting {
            let unit = project
                .participants
                .get(k - 1)
                .map_or(project.lead_department.clone(), |p| p.department.clone());
            let milestones = if unit == participant {
                vec![MilestoneReport {
                    milestone: "m2".into(),
                    status: milestone_status(9),
                }]
            } else {
                Vec::new()
            };
            loaded.push(ReportToLoad {
                month: label.clone(),
                unit: unit.clone(),
                status: status(dice),
                content: ReportContent {
                    milestones,
                    note: "按计划推进。".into(),
                    ..ReportContent::default()
                },
                submitted: (format!("bench.{unit}"), at(month)),
            });
        }
    }
    loaded
}

/// A bar for `total` steps of `what`.
fn bar(total: u64, what: &str) -> ProgressBar {
    let bar = ProgressBar::new(total);
    bar.set_style(
        ProgressStyle::with_template("{msg:>10} [{bar:40}] {pos}/{len} ({elapsed}, {eta} left)")
            .expect("the template is valid")
            .progress_chars("=> "),
    );
    bar.set_message(what.to_string());
    bar
}

/// Builds the programme in `store`.
async fn build(
    store: &AnyStore,
    args: &AdvancementArgs,
    this_year: i32,
    this_month: u8,
) -> Result<()> {
    let districts: Vec<String> = Configuration::defaults()
        .districts
        .entries()
        .iter()
        .map(|d| d.code.clone())
        .collect();
    let first_year = this_year - args.years + 1;
    let register = register(
        args.projects,
        args.departments_reporting.saturating_sub(1),
        first_year,
    );
    store
        .load_register(&register, &by())
        .await
        .map_err(|e| anyhow!("loading the register: {e}"))?;
    let letters = register.projects.len() as u64 * u64::try_from(args.years).unwrap_or(0);
    let signing = bar(letters, "letters");
    for project in &register.projects {
        for year in first_year..=this_year {
            let commitments = commitments(project, year, &districts);
            store.create_letter(&project.code, year, &by()).await?;
            store
                .put_commitments(&project.code, year, &commitments, &by())
                .await?;
            store
                .issue_letter(&project.code, year, true, "", &by())
                .await?;
            store
                .accept_letter(&project.code, year, "负责人（示例）", &by())
                .await?;
            signing.inc(1);
        }
    }
    signing.finish();
    let loading = bar(letters, "reports");
    let mut dice = Dice(2026);
    let mut count = 0;
    for project in &register.projects {
        for year in first_year..=this_year {
            let last = if year == this_year {
                this_month.saturating_sub(1).max(1)
            } else {
                12
            };
            let reports = reports(
                project,
                year,
                last,
                &districts,
                args.departments_reporting,
                &mut dice,
            );
            count += store
                .bench_load_reports(&project.code, year, &reports)
                .await?;
            loading.inc(1);
        }
    }
    loading.finish();
    let meetings = super::bench_meetings::build_meetings(
        store,
        register.projects.len(),
        args.action_items,
        this_year,
        department,
        by,
        &bar(args.action_items as u64, "action items"),
    )
    .await?;
    eprintln!(
        "built {} projects, {} letters, {} commitments, {count} reports, {meetings} meetings with {} action items",
        register.projects.len(),
        letters,
        letters * 4,
        args.action_items
    );
    Ok(())
}

/// Creates account `name` holding `role` within `scope` and returns a bearer token for it.
async fn token(store: &AnyStore, name: &str, role: Role, scope: &str) -> Result<String> {
    let hash = minxin_web::app::accounts::hash_password(PASSWORD).map_err(|e| anyhow!(e))?;
    if store.account(name).await?.is_none() {
        store
            .create_account(
                &Account {
                    name: name.into(),
                    display_name: name.into(),
                    password_hash: hash,
                    disabled: false,
                    created_at_ms: minxin_web::app::clock::now_ms(),
                    failed_sign_ins: 0,
                    locked_until_ms: 0,
                },
                &by(),
            )
            .await?;
    }
    let assignment = Assignment {
        role,
        scope: Scope::from_code(scope),
    };
    store.grant(name, &assignment, &by()).await?;
    let session = minxin_web::app::session::sign_in(store, name, PASSWORD)
        .await
        .map_err(|e| anyhow!("signing in as {name}: {e:?}"))?;
    Ok(session.token)
}

/// Times the store's reading of the open items alone, for the whole city and for one
/// department, to tell the database's share of a page's time from the platform's.
async fn time_store(store: &AnyStore, department: &str, requests: usize) -> Result<()> {
    for (label, query) in [
        (
            "store: open items (city)",
            ItemQuery {
                signed_only: true,
                open_only: true,
                ..ItemQuery::default()
            },
        ),
        (
            "store: open items (a department)",
            ItemQuery {
                signed_only: true,
                open_only: true,
                department: Some(department.to_string()),
                ..ItemQuery::default()
            },
        ),
    ] {
        let mut timings = Vec::with_capacity(requests);
        let mut rows = 0;
        for _ in 0..requests.max(1) + 3 {
            let started = Instant::now();
            rows = store.commitment_states(&query).await?.len();
            timings.push(started.elapsed());
        }
        print_timings(label, timings.split_off(3), &format!("{rows} rows"));
    }
    // The store's lights against the domain's, on every open item.
    let calendar = WorkingDays::shipped();
    let settings = LightSettings::default();
    let today = Day::in_beijing(minxin_web::app::clock::now_ms());
    let clock = LightClock::new(today, &calendar, settings)?;
    let all = ItemQuery {
        signed_only: true,
        open_only: true,
        ..ItemQuery::default()
    };
    let mut timings = Vec::with_capacity(requests);
    let mut slice = None;
    for _ in 0..requests.max(1) + 3 {
        let started = Instant::now();
        slice = Some(
            store
                .board_slice(&BoardQuery {
                    items: all.clone(),
                    lead: None,
                    light: None,
                    clock,
                    offset: 0,
                    limit: 100,
                })
                .await?,
        );
        timings.push(started.elapsed());
    }
    let counts = slice.map(|s| s.counts).unwrap_or_default();
    print_timings(
        "store: board's first page (city)",
        timings.split_off(3),
        &format!(
            "{} red, {} yellow, {} blue, {} on track",
            counts.red, counts.yellow, counts.blue, counts.on_track
        ),
    );
    let lit = store
        .board_slice(&BoardQuery {
            items: all.clone(),
            lead: None,
            light: None,
            clock,
            offset: 0,
            limit: usize::MAX,
        })
        .await?;
    let mut expected = std::collections::BTreeMap::new();
    for item in store.commitment_states(&all).await? {
        let light = item.light(today, &calendar, settings)?;
        expected.insert((item.project, item.year, item.item, item.owner), light);
    }
    let disagreeing = lit
        .items
        .iter()
        .filter(|(i, light)| {
            expected.get(&(i.project.clone(), i.year, i.item.clone(), i.owner.clone()))
                != Some(light)
        })
        .count();
    if disagreeing > 0 || lit.items.len() != expected.len() {
        return Err(anyhow!(
            "the store's lights disagree with the domain's on {disagreeing} of {} items",
            expected.len()
        ));
    }
    println!(
        "the store's lights agree with the domain's on all {} open items",
        expected.len()
    );
    Ok(())
}

/// Times the write path with the programme in place: `requests` district reports submitted
/// for this month (each updating its letter's items in its transaction), then each of them
/// returned (its parts worked out again from the letter's reports).
async fn time_writes(store: &AnyStore, projects: usize, requests: usize) -> Result<()> {
    let (year, month, _) = Day::in_beijing(minxin_web::app::clock::now_ms()).civil();
    let label = format!("{year}-{month:02}");
    let district = Configuration::defaults()
        .districts
        .entries()
        .first()
        .map(|d| d.code.clone())
        .context("no district")?;
    let mut submitted = Vec::new();
    let mut timings = Vec::new();
    for p in 0..projects {
        if submitted.len() == requests.max(1) {
            break;
        }
        let content = ReportContent {
            targets: vec![TargetReport {
                target: "t1".into(),
                district: Some(district.clone()),
                achieved: 9.5,
            }],
            ..ReportContent::default()
        };
        let started = Instant::now();
        let year = i32::try_from(year).context("the year")?;
        match store
            .submit_report(
                &format!("bench-{p:04}"),
                year,
                &label,
                &district,
                &content,
                &by(),
            )
            .await
        {
            Ok(report) => {
                timings.push(started.elapsed());
                submitted.push(report.id);
            }
            // Reported by an earlier run on this database.
            Err(minxin_domain::platform::StoreError::Declined(_)) => continue,
            Err(other) => return Err(other.into()),
        }
    }
    print_timings(
        "store: submit a report",
        timings,
        &format!("{} reports", submitted.len()),
    );
    let mut timings = Vec::new();
    for id in &submitted {
        let started = Instant::now();
        store
            .decide_report(*id, false, "基准测试退回。", &by())
            .await?;
        timings.push(started.elapsed());
    }
    print_timings(
        "store: return a report",
        timings,
        &format!("{} reports", submitted.len()),
    );
    Ok(())
}

/// Prints p50, p95 and the worst of `timings`.
fn print_timings(label: &str, mut timings: Vec<Duration>, what: &str) {
    timings.sort();
    let at = |share: f64| {
        timings[((timings.len() as f64 * share).ceil() as usize).clamp(1, timings.len()) - 1]
    };
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    println!(
        "{label:<34} p50 {:>7.1} ms   p95 {:>7.1} ms   worst {:>7.1} ms   ({what})",
        ms(at(0.5)),
        ms(at(0.95)),
        ms(at(1.0)),
    );
}

/// Times `requests` GETs of `path` (after three to warm up) and prints p50, p95 and the worst.
fn time_page(address: &str, token: &str, label: &str, path: &str, requests: usize) -> Result<()> {
    let agent = ureq::Agent::new_with_defaults();
    let get = || -> Result<(Duration, usize)> {
        let started = Instant::now();
        let mut response = agent
            .get(format!("http://{address}{path}"))
            .header("Authorization", &format!("Bearer {token}"))
            .call()
            .with_context(|| format!("GET {path}"))?;
        let body = response.body_mut().read_to_string()?;
        Ok((started.elapsed(), body.len()))
    };
    for _ in 0..3 {
        get()?;
    }
    let mut timings = Vec::with_capacity(requests);
    let mut size = 0;
    for _ in 0..requests.max(1) {
        let (took, bytes) = get()?;
        timings.push(took);
        size = bytes;
    }
    print_timings(label, timings, &format!("{:.0} kB", size as f64 / 1e3));
    Ok(())
}

/// Runs `minxin bench advancement`.
pub fn run(args: AdvancementArgs) -> Result<()> {
    let folder = tempfile::tempdir()?;
    let url = match &args.database {
        Some(url) => StoreUrl::parse(url),
        None => StoreUrl::Sqlite(folder.path().join("bench.db").display().to_string()),
    };
    let (year, month, _) = Day::in_beijing(minxin_web::app::clock::now_ms()).civil();
    let this_year = i32::try_from(year).context("the year")?;
    let this_month = u8::try_from(month).context("the month")?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async {
        let store = AnyStore::open(&url)
            .await
            .map_err(|e| anyhow!("opening {url}: {e}"))?;
        let built = !store.register().await?.projects.is_empty();
        if built && !args.reuse {
            return Err(anyhow!(
                "{url} is not empty: the benchmark builds in a database of its own (or give --reuse)"
            ));
        }
        if !built {
            let started = Instant::now();
            build(&store, &args, this_year, this_month).await?;
            eprintln!("built in {:.0} s", started.elapsed().as_secs_f64());
        }
        let lead = department(0);
        let office = token(&store, "bench.office", Role::CoordinationOffice, "").await?;
        let department_token =
            token(&store, "bench.department", Role::LeadDepartment, &lead).await?;
        time_store(&store, &lead, args.requests).await?;
        time_writes(&store, args.projects, args.requests).await?;
        let state = AppState::start(store.clone(), RespondentSecret::generate())
            .await
            .map_err(|e| anyhow!("{e}"))?;
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        let address = listener.local_addr()?.to_string();
        let app = minxin_web::application(state);
        tokio::spawn(async move {
            minxin_web::app::server::serve(
                listener,
                app,
                minxin_web::app::server::ServerLimits::default(),
                std::future::pending::<()>(),
            )
            .await
        });
        let requests = args.requests;
        tokio::task::spawn_blocking(move || -> Result<()> {
            println!("database: {url}");
            time_page(
                &address,
                &office,
                "supervision board (office)",
                "/supervision",
                requests,
            )?;
            time_page(
                &address,
                &office,
                "board, red items (office)",
                "/supervision?light=red",
                requests,
            )?;
            time_page(
                &address,
                &office,
                "project page (office)",
                "/projects/bench-0001",
                requests,
            )?;
            time_page(
                &address,
                &department_token,
                "board (a lead department)",
                "/supervision",
                requests,
            )?;
            time_page(
                &address,
                &office,
                "board API (office, JSON)",
                "/api/v1/supervision",
                requests,
            )?;
            time_page(
                &address,
                &office,
                "a joint meeting's record (office)",
                "/meetings/1",
                requests,
            )?;
            time_page(
                &address,
                &office,
                "follow-up lists (office)",
                "/meetings/1/follow-up",
                requests,
            )?;
            time_page(
                &address,
                &office,
                "joint meetings list (office)",
                "/meetings",
                requests,
            )?;
            Ok(())
        })
        .await??;
        Ok(())
    })
}
