//! The demo's joint meeting (synthetic): the office convenes the 2021 mid-year meeting on two
//! projects, signs its minutes with two decisions and three action items (one reported done by
//! Huangpu, two overdue and red on the board), and sends the one supervision notice, on the
//! overdue item of the breakfast project, which the commerce commission answers.

use minxin_domain::advancement::meeting::{
    action_code, AgendaItem, Attendee, MeetingCall, MeetingMinutes, NewActionItem,
    NewMeetingDecision,
};
use minxin_domain::advancement::notice::NoticeItem;
use minxin_domain::platform::{Attribution, Store};

use crate::app::error::ApiError;
use crate::app::state::AppState;

/// Loads the meeting, its follow-up and the notice; `office` convenes and signs (with its
/// name), `department` is the breakfast project's lead department's demo account and
/// `district` Huangpu's.
pub async fn load<S: Store>(
    state: &AppState<S>,
    office: (&Attribution, &str),
    department: &Attribution,
    district: &Attribution,
) -> Result<(), ApiError> {
    let register = state.store.register().await?;
    let lead_of = |code: &str| {
        register
            .project(code)
            .map(|p| p.lead_department.clone())
            .ok_or_else(|| ApiError::Internal(format!("the demo register has no {code}")))
    };
    let breakfast = lead_of("breakfast")?;
    let elevators = lead_of("elevators")?;
    let attendee = |unit: &str, person: &str| Attendee {
        unit: unit.to_string(),
        person: person.to_string(),
    };
    let call = MeetingCall {
        title: "2021年第二次民心工程联席会议（演示）".into(),
        held_on: "2021-06-18".into(),
        venue: "市政府第一会议室".into(),
        chair: "市政府副秘书长（演示）".into(),
        attendees: vec![
            attendee(&breakfast, "分管副主任（演示）"),
            attendee(&elevators, "分管副局长（演示）"),
            attendee("310101", "副区长（演示）"),
            attendee("310104", "副区长（演示）"),
        ],
        agenda: vec![
            AgendaItem {
                project: Some("breakfast".into()),
                topic: "早餐网点布局推进情况".into(),
            },
            AgendaItem {
                project: Some("elevators".into()),
                topic: "既有多层住宅加装电梯审批提速".into(),
            },
            AgendaItem {
                project: None,
                topic: "下半年工作安排".into(),
            },
        ],
    };
    let meeting = state.store.convene_meeting(&call, office.0).await?;
    let action = |project: &str, department: &str, title: &str, due: &str| NewActionItem {
        project: project.to_string(),
        department: department.to_string(),
        title: title.to_string(),
        due: due.to_string(),
    };
    let minutes = MeetingMinutes {
        minutes: "会议听取了早餐工程和加装电梯工程上半年推进情况汇报，研究了存在的问题。\n\
                  会议要求各责任单位对照责任书倒排时间，确保年底前完成年度任务。"
            .into(),
        decisions: vec![
            NewMeetingDecision {
                project: Some("breakfast".into()),
                text: "早餐网点选址优先利用社区服务中心和菜市场存量空间。".into(),
                supersedes: None,
            },
            NewMeetingDecision {
                project: Some("elevators".into()),
                text: "加装电梯实行联合审批，审批时限压缩至20个工作日。".into(),
                supersedes: None,
            },
        ],
        actions: vec![
            action(
                "breakfast",
                &breakfast,
                "制定早餐网点选址导则",
                "2021-07-30",
            ),
            action(
                "breakfast",
                "310101",
                "完成黄浦区早餐网点点位排摸",
                "2021-09-30",
            ),
            action(
                "elevators",
                &elevators,
                "出台加装电梯联合审批办法",
                "2021-12-31",
            ),
        ],
    };
    let meeting = state
        .store
        .record_minutes(meeting.id, &minutes, office.1, office.0)
        .await?;
    state
        .store
        .complete_action(
            meeting.id,
            2,
            "已完成点位排摸，形成点位清单（演示）。",
            district,
        )
        .await?;
    let about = NoticeItem {
        project: "breakfast".into(),
        year: 2021,
        kind: "action".into(),
        item: action_code(meeting.id, 1),
        owner: breakfast,
    };
    let notice = state
        .store
        .issue_notice(
            &about,
            "请于五个工作日内说明逾期原因并报送完成时间（演示）。",
            office.0,
        )
        .await?;
    state
        .store
        .answer_notice(
            notice.id,
            "导则涉及规划、市场监管等多部门意见，征求意见时间较长（演示）。",
            "2021-08-31",
            department,
        )
        .await?;
    Ok(())
}
