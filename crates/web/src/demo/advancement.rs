//! The demo's advancement side (synthetic): a plan for each of the 16 projects for 2021, each
//! moved through preparation into implementation by the office's signed decisions (freezing
//! its plan as the baseline), one modification approved (the elevators' period, extended) and
//! one awaiting the office (the parking budget); and each project's 2021 responsibility letter
//! with its milestones, a target shared among its districts and a roadmap; then the joint
//! meeting of [`super::meeting`]; and the office's decisions publishing the delivery of every
//! project but parking.

use minxin_domain::advancement::letter::{
    Commitments, DistrictShare, MilestoneCommitment, Phase, TargetCommitment,
};
use minxin_domain::advancement::stage::{ModificationKind, ProjectPlan, ProjectStatus};
use minxin_domain::decision::{DecisionKind, NewDecision};
use minxin_domain::platform::{Attribution, Store};
use minxin_domain::subject::Subject;

use crate::app::error::ApiError;
use crate::app::state::AppState;

/// Each project's 2021 budget in 万元 (synthetic) and what it is to deliver.
const PLANS: [(&str, i64, &str); 16] = [
    (
        "old-district",
        500_000,
        "完成中心城区成片二级旧里以下房屋改造（合成演示数据）。",
    ),
    (
        "huangpu-river",
        80_000,
        "贯通提升滨江公共空间（合成演示数据）。",
    ),
    (
        "suzhou-creek",
        60_000,
        "贯通苏州河中心城区段岸线（合成演示数据）。",
    ),
    ("breakfast", 12_000, "新增早餐网点（合成演示数据）。"),
    (
        "parking",
        30_000,
        "新增公共泊位和错峰共享泊位（合成演示数据）。",
    ),
    (
        "elderly-care",
        40_000,
        "新建社区综合为老服务中心和长者照护之家（合成演示数据）。",
    ),
    ("medical", 25_000, "推进便捷就医服务（合成演示数据）。"),
    (
        "elevators",
        50_000,
        "既有多层住宅加装电梯（合成演示数据）。",
    ),
    ("preschool", 20_000, "新增托育托位（合成演示数据）。"),
    (
        "after-school",
        8_000,
        "小学生校内课后服务全覆盖（合成演示数据）。",
    ),
    (
        "school-sports",
        5_000,
        "学校体育场馆向社会开放（合成演示数据）。",
    ),
    ("rural", 60_000, "农村人居环境整治（合成演示数据）。"),
    (
        "urban-village",
        150_000,
        "启动城中村改造项目（合成演示数据）。",
    ),
    (
        "overhead-lines",
        70_000,
        "架空线入地和合杆整治（合成演示数据）。",
    ),
    (
        "yrd-services",
        6_000,
        "长三角政务服务跨省通办事项（合成演示数据）。",
    ),
    ("red-culture", 10_000, "红色文化场馆提升（合成演示数据）。"),
];

/// Each project's 2021 target (synthetic): title, unit of measure in Chinese and English, and
/// quantity.
const TARGETS: [(&str, &str, &str, &str, u32); 16] = [
    ("old-district", "完成旧里改造", "户", "households", 48_000),
    ("huangpu-river", "新增贯通滨江岸线", "公里", "km", 12),
    ("suzhou-creek", "新增贯通岸线", "公里", "km", 16),
    ("breakfast", "新增早餐网点", "个", "outlets", 1_600),
    ("parking", "新增公共泊位", "个", "spaces", 32_000),
    (
        "elderly-care",
        "新建社区养老服务设施",
        "处",
        "facilities",
        320,
    ),
    ("medical", "新增便民就医服务点", "个", "points", 160),
    ("elevators", "完成加装电梯", "台", "elevators", 3_200),
    ("preschool", "新增托育托位", "个", "places", 4_800),
    ("after-school", "开设课后服务学校", "所", "schools", 800),
    ("school-sports", "开放学校体育场地", "所", "schools", 480),
    ("rural", "完成村庄改造", "个", "villages", 90),
    ("urban-village", "启动城中村改造项目", "个", "projects", 14),
    ("overhead-lines", "完成架空线入地", "公里", "km", 160),
    ("yrd-services", "新增跨省通办事项", "项", "services", 64),
    ("red-culture", "提升红色文化场馆", "处", "sites", 48),
];

/// `total` split as evenly as whole numbers allow over `parts` (the first ones one more).
fn split(total: u32, parts: usize) -> Vec<u32> {
    let parts = parts.max(1) as u32;
    (0..parts)
        .map(|i| total / parts + u32::from(i < total % parts))
        .collect()
}

/// Loads each project's 2021 letter: three milestones, one target shared among its
/// districts, a three-phase roadmap; issued by the office and signed for the lead department
/// (by the demo's lead-department user, `signer`: account, name and department, for its
/// department's project; by the demo loader for the others), but the
/// parking letter, which awaits its signature.
async fn load_letters<S: Store>(
    state: &AppState<S>,
    office: &Attribution,
    signer: (&str, &str, &str),
) -> Result<(), ApiError> {
    let register = state.store.register().await?;
    for (code, title, measure_zh, measure_en, quantity) in TARGETS {
        let Some(project) = register.project(code) else {
            continue;
        };
        let lead = project.lead_department.clone();
        let lead_name = register
            .department(&lead)
            .map_or(lead.clone(), |d| d.zh.clone());
        let milestone = |id: &str, title: &str, kind: &str, due: &str| MilestoneCommitment {
            id: id.into(),
            title_zh: title.into(),
            title_en: String::new(),
            kind: kind.into(),
            due: due.into(),
            unit: lead.clone(),
            person: "联络员（示例）".into(),
        };
        let shares = if project.districts.len() > 1 {
            project
                .districts
                .iter()
                .zip(split(quantity, project.districts.len()))
                .map(|(district, quantity)| DistrictShare {
                    district: district.clone(),
                    quantity: f64::from(quantity),
                })
                .collect()
        } else {
            Vec::new()
        };
        let commitments = Commitments {
            milestones: vec![
                milestone("m1", "印发实施方案", "approval", "2021-03-31"),
                milestone("m2", "全面开工", "delivery", "2021-06-30"),
                milestone("m3", "完成年度任务并现场验收", "assessment", "2021-12-15"),
            ],
            targets: vec![TargetCommitment {
                id: "t1".into(),
                title_zh: title.into(),
                title_en: String::new(),
                measure_zh: measure_zh.into(),
                measure_en: measure_en.into(),
                quantity: f64::from(quantity),
                due: "2021-12-31".into(),
                unit: lead.clone(),
                shares,
                weight: Some(1.0),
            }],
            phases: ["准备", "实施", "验收"]
                .iter()
                .zip(["m1", "m2", "m3"])
                .map(|(title, id)| Phase {
                    title_zh: title.to_string(),
                    title_en: String::new(),
                    milestones: vec![id.to_string()],
                })
                .collect(),
        };
        state.store.create_letter(code, 2021, office).await?;
        state
            .store
            .put_commitments(code, 2021, &commitments, office)
            .await?;
        state
            .store
            .issue_letter(code, 2021, true, "", office)
            .await?;
        if code == "parking" {
            continue;
        }
        let (by, name) = if lead == signer.2 {
            (
                Attribution {
                    actor: signer.0.to_string(),
                    at_ms: office.at_ms,
                },
                signer.1.to_string(),
            )
        } else {
            (
                Attribution {
                    actor: "system:demo".into(),
                    at_ms: office.at_ms,
                },
                format!("{lead_name}（演示签收）"),
            )
        };
        state.store.accept_letter(code, 2021, &name, &by).await?;
    }
    Ok(())
}

/// Loads the advancement side of the demo, attributed to the demo's office user.
pub async fn load<S: Store>(
    state: &AppState<S>,
    office: (&str, &str),
    signer: (&str, &str, &str),
    at_ms: i64,
) -> Result<(), ApiError> {
    let by = Attribution {
        actor: office.0.to_string(),
        at_ms,
    };
    for (code, budget_wan, scope) in PLANS {
        let plan = ProjectPlan {
            period_start: Some("2021-01-01".into()),
            period_end: Some("2021-12-31".into()),
            budget_yuan: Some(budget_wan * 10_000),
            scope_zh: scope.to_string(),
            scope_en: String::new(),
        };
        state.store.set_plan(code, &plan, &by).await?;
        let mut supersedes = None;
        for (to, statement) in [
            (
                ProjectStatus::Preparation,
                "演示：纳入年度民心工程，开展前期准备。",
            ),
            (
                ProjectStatus::Implementation,
                "演示：计划已审定，转入实施，计划冻结为基线。",
            ),
        ] {
            let decision = state
                .move_stage(&NewDecision {
                    kind: DecisionKind::MoveStage(to),
                    subject: Subject::ProjectStage(code.to_string()),
                    decided_by: office.0.to_string(),
                    decided_by_name: office.1.to_string(),
                    decided_at_ms: at_ms,
                    statement: statement.to_string(),
                    supersedes,
                })
                .await?;
            supersedes = Some(decision.id);
        }
    }
    let longer = ProjectPlan {
        period_end: Some("2022-06-30".into()),
        ..state.store.standing("elevators").await?.plan
    };
    let extended = state
        .store
        .propose_modification(
            "elevators",
            ModificationKind::Duration,
            "演示：部分小区居民意见尚未统一，申请延长工期半年。",
            &longer,
            &by,
        )
        .await?;
    state
        .store
        .decide_modification(extended.id, true, "演示：同意延期，按季度报告进展。", &by)
        .await?;
    let dearer = ProjectPlan {
        budget_yuan: Some(36_000 * 10_000),
        ..ProjectPlan::default()
    };
    state
        .store
        .propose_modification(
            "parking",
            ModificationKind::Value,
            "演示：新增两处立体停车库，申请追加投资。",
            &dearer,
            &by,
        )
        .await?;
    load_letters(state, &by, signer).await?;
    let department = Attribution {
        actor: signer.0.to_string(),
        at_ms,
    };
    let district = Attribution {
        actor: super::DEMO_USERS[3].0.to_string(),
        at_ms,
    };
    super::meeting::load(state, (&by, office.1), &department, &district).await?;
    // The office publishes the delivery of every project but parking, whose letter awaits
    // its signature.
    for (code, _, _) in PLANS.iter().filter(|(code, _, _)| *code != "parking") {
        state
            .record_decision(&NewDecision {
                kind: DecisionKind::PublishResults,
                subject: Subject::Project(code.to_string()),
                decided_by: office.0.to_string(),
                decided_by_name: office.1.to_string(),
                decided_at_ms: at_ms,
                statement: "演示：责任书已签收，向社会公开推进情况。".to_string(),
                supersedes: None,
            })
            .await?;
    }
    Ok(())
}
