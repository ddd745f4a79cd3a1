//! The demo's advancement side (synthetic): a plan for each of the 16 projects for 2021, each
//! moved through preparation into implementation by the office's signed decisions (freezing
//! its plan as the baseline), one modification approved (the elevators' period, extended) and
//! one awaiting the office (the parking budget).

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

/// Loads the advancement side of the demo, attributed to the demo's office user.
pub async fn load<S: Store>(
    state: &AppState<S>,
    office: (&str, &str),
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
    Ok(())
}
