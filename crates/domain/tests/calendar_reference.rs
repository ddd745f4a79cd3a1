//! The working-day calendar agrees with an independent transcription of the State Council's
//! holiday notices (the chinesecalendar package; `reference/calendar_reference.py` made the
//! fixture): every day from 2018 to 2026, and deadlines counted from a spread of start dates.

use minxin_domain::calendar::{Day, WorkingDays};

#[test]
fn every_day_and_deadline_matches_the_reference() {
    let reference: serde_json::Value =
        serde_json::from_str(include_str!("fixtures/calendar-reference.json")).unwrap();
    let calendar = WorkingDays::shipped();
    let mut day = Day::parse(reference["first"].as_str().unwrap()).unwrap();
    let mut differences = Vec::new();
    for expected in reference["working"].as_str().unwrap().chars() {
        let working = calendar.is_working_day(day).unwrap();
        if working != (expected == '1') {
            differences.push(day.to_string());
        }
        day = day.next();
    }
    assert_eq!(
        day.to_string(),
        "2027-01-01",
        "every day up to 2026 was compared"
    );
    assert!(
        differences.is_empty(),
        "days classified differently: {differences:?}"
    );
    let deadlines = reference["deadlines"].as_array().unwrap();
    assert!(deadlines.len() > 300);
    for deadline in deadlines {
        let from = Day::parse(deadline["from"].as_str().unwrap()).unwrap();
        let n = deadline["working_days"].as_u64().unwrap() as u32;
        assert_eq!(
            calendar.working_days_after(from, n).unwrap().to_string(),
            deadline["due"].as_str().unwrap(),
            "{n} working days after {from}"
        );
    }
}
