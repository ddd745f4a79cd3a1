//! The project register port: a register loaded whole, again without change, changed in part
//! (a project the file leaves out is kept), and refused whole when it names a district as a
//! department or a department nobody knows; every change audited with before and after.

use minxin_domain::advancement::register::{Participant, Register};
use minxin_domain::organisation::ProjectPart;
use minxin_domain::platform::{Store, StoreError};

use crate::by;

/// The register on a store whose organisation holds the department `commerce` and the
/// district `310101` (left by the organisation's contract).
pub(crate) async fn contract<S: Store>(store: &S) {
    assert!(store.register().await.unwrap().projects.is_empty());
    let shanghai = Register::shanghai();
    let (trail, _) = store.audit_log().await.unwrap();
    let load = store.load_register(&shanghai, &by()).await.unwrap();
    assert_eq!(load.added.len(), 16);
    assert!(load.changed.is_empty() && load.unchanged.is_empty() && load.kept.is_empty());
    let stored = store.register().await.unwrap();
    assert_eq!(
        stored.projects, shanghai.projects,
        "read back as loaded, in order"
    );
    assert_eq!(
        stored.department("commerce").map(|d| d.zh.as_str()),
        Some("市商务委（示例）"),
        "a declared department is renamed"
    );
    let (after_load, _) = store.audit_log().await.unwrap();
    let actions: Vec<&str> = after_load[trail.len()..]
        .iter()
        .map(|e| e.change.action.as_str())
        .collect();
    assert_eq!(
        actions.iter().filter(|a| **a == "project.register").count(),
        16
    );
    assert_eq!(
        actions.iter().filter(|a| **a == "unit.put").count(),
        shanghai.departments.len(),
        "every department added or renamed (commerce renamed, the others new)"
    );
    let organisation = store.organisation().await.unwrap();
    let breakfast: Vec<(&str, ProjectPart)> = organisation
        .project_departments
        .iter()
        .filter(|link| link.project == "breakfast")
        .map(|link| (link.department.as_str(), link.part))
        .collect();
    assert_eq!(
        breakfast,
        [
            ("commerce", ProjectPart::Lead),
            ("health", ProjectPart::Participating),
            ("planning", ProjectPart::Participating),
        ],
        "the register's parts are the organisation's, which scopes follow"
    );

    // Loading the same register again changes nothing and records nothing.
    let again = store.load_register(&shanghai, &by()).await.unwrap();
    assert_eq!(again.unchanged.len(), 16);
    assert!(again.added.is_empty() && again.changed.is_empty());
    assert_eq!(store.audit_log().await.unwrap().0.len(), after_load.len());

    // One project changed; the others, left out of the file, are kept.
    let mut breakfast = shanghai.project("breakfast").unwrap().clone();
    breakfast.participants = vec![Participant {
        department: "transport".into(),
        duty_zh: "保障早餐车停靠。".into(),
        duty_en: "Makes room for breakfast vans to stop.".into(),
    }];
    breakfast.districts = vec!["310104".into(), "310101".into()];
    let partial = Register {
        departments: Vec::new(),
        projects: vec![breakfast.clone()],
    };
    let changed = store.load_register(&partial, &by()).await.unwrap();
    assert_eq!(changed.changed, ["breakfast"]);
    assert_eq!(changed.kept.len(), 15);
    let stored = store.register().await.unwrap();
    assert_eq!(stored.projects.len(), 16);
    assert_eq!(stored.project("breakfast"), Some(&breakfast));
    assert_eq!(stored.project("parking"), shanghai.project("parking"));
    let (entries, _) = store.audit_log().await.unwrap();
    let last = &entries.last().unwrap().change;
    assert_eq!(
        (last.action.as_str(), last.subject.as_str()),
        ("project.register", "project/breakfast")
    );
    assert!(last.before.as_deref().unwrap().contains("health"));
    assert!(last.after.as_deref().unwrap().contains("transport"));

    // Refused whole: nothing written, nothing recorded.
    let mut district_as_department = shanghai.clone();
    district_as_department.departments[0].code = "310101".into();
    let mut unknown_department = partial.clone();
    unknown_department.projects[0].lead_department = "nobody".into();
    let mut nul = partial.clone();
    nul.projects[0].description_zh = "早餐\0工程".into();
    for refused in [district_as_department, unknown_department, nul] {
        let outcome = store.load_register(&refused, &by()).await;
        assert!(
            matches!(
                outcome,
                Err(StoreError::Refused(_) | StoreError::InvalidText(_))
            ),
            "{outcome:?}"
        );
        assert_eq!(store.register().await.unwrap(), stored);
        assert_eq!(store.audit_log().await.unwrap().0.len(), entries.len());
    }

    // A part of a register adds its new project after the others; a whole one sets the order.
    let mut night_market = breakfast.clone();
    night_market.code = "night-market".into();
    let added = store
        .load_register(
            &Register {
                departments: Vec::new(),
                projects: vec![night_market.clone()],
            },
            &by(),
        )
        .await
        .unwrap();
    assert_eq!(added.added, ["night-market"]);
    let codes = |register: &Register| -> Vec<String> {
        register.projects.iter().map(|p| p.code.clone()).collect()
    };
    let mut expected = codes(&shanghai);
    expected.push("night-market".into());
    assert_eq!(codes(&store.register().await.unwrap()), expected);
    let mut reordered = store.register().await.unwrap();
    reordered.departments.clear();
    reordered.projects.reverse();
    let moved = store.load_register(&reordered, &by()).await.unwrap();
    assert_eq!(
        moved.changed.len(),
        16,
        "every project but the middle one moved"
    );
    assert_eq!(moved.unchanged, ["preschool"]);
    expected.reverse();
    assert_eq!(codes(&store.register().await.unwrap()), expected);
}
