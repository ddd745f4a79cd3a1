//! Hand-computed cases, missing data, every rejection reason, and properties of the evaluation.

use super::*;
use crate::config::Configuration;
use proptest::prelude::*;

const HEADER: &str = "respondent_id,wave,district,gender,age,education,occupation,channel,project,\
awareness,relevance,need_fit,quality,value,satisfaction,trust_delivery,trust_improvement";

fn layout(configuration: &Configuration) -> ColumnLayout {
    let names: Vec<&str> = HEADER.split(',').collect();
    ColumnLayout::from_header(&names, &configuration.instrument).unwrap()
}

/// A row in canonical column order from a compact description.
fn row(id: &str, project: &str, answers: &str) -> Vec<String> {
    let mut fields: Vec<String> = vec![
        id.into(),
        "2021".into(),
        "310104".into(),
        "female".into(),
        "34".into(),
        "bachelor".into(),
        "office_staff".into(),
        "portal".into(),
        project.into(),
    ];
    fields.extend(answers.split(',').map(String::from));
    assert_eq!(fields.len(), 17, "test row must have 8 answers: {answers}");
    fields
}

fn evaluate_rows(
    rows: &[Vec<String>],
    options: EvaluationOptions,
) -> (Evaluation, Vec<RowOutcome>) {
    let configuration = Configuration::defaults();
    let mut evaluator = Evaluator::new(&configuration, layout(&configuration), options).unwrap();
    let outcomes = rows
        .iter()
        .enumerate()
        .map(|(i, fields)| evaluator.push(i as u64 + 2, fields.as_slice()).unwrap())
        .collect();
    (evaluator.finish(), outcomes)
}

fn evaluate(rows: &[Vec<String>]) -> Evaluation {
    evaluate_rows(rows, EvaluationOptions::default()).0
}

fn project<'e>(evaluation: &'e Evaluation, code: &str) -> &'e ProjectEvaluation {
    evaluation.projects.iter().find(|p| p.code == code).unwrap()
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-9
}

#[test]
fn hand_computed_scores_of_one_project() {
    // Two respondents rate "parking".
    // A: awareness 5, relevance 4, need_fit 3 | quality 2, value 2, satisfaction 1, trust 3, 3
    // B: awareness 4, relevance 4, need_fit 5 | quality 4, value 3, satisfaction 2, trust 4, ""
    let evaluation = evaluate(&[
        row("A", "parking", "5,4,3,2,2,1,3,3"),
        row("B", "parking", "4,4,5,4,3,2,4,"),
    ]);
    let parking = project(&evaluation, "parking");
    assert_eq!(parking.n, 2);
    // Item means: awareness (100+75)/2 = 87.5; relevance 75; need_fit (50+100)/2 = 75.
    assert_eq!(parking.items["awareness"].mean, Some(87.5));
    assert_eq!(parking.dimensions["need_fit"], Some(75.0));
    // Recognition = (87.5 + 75 + 75) / 3.
    assert!(close(parking.recognition.unwrap(), 237.5 / 3.0));
    // quality (25+75)/2 = 50; value (25+50)/2 = 37.5; satisfaction (0+25)/2 = 12.5;
    // trust_delivery (50+75)/2 = 62.5; trust_improvement 50 (one answer) -> trust 56.25.
    assert_eq!(parking.dimensions["trust"], Some(56.25));
    assert!(close(
        parking.satisfaction.unwrap(),
        (50.0 + 37.5 + 12.5 + 56.25) / 4.0
    ));
    // Item statistics: awareness scores 100 and 75: sd = 17.677..., se = 12.5, t(1) = 12.7062.
    let awareness = &parking.items["awareness"];
    assert!(close(awareness.sd.unwrap(), 12.5 * 2f64.sqrt()));
    assert!(close(awareness.se.unwrap(), 12.5));
    assert!(close(
        awareness.ci_low.unwrap(),
        87.5 - 12.706204736174694 * 12.5
    ));
    assert_eq!(awareness.counts, vec![0, 0, 0, 1, 1]);
    // trust_improvement: one answer, one don't-know; no spread.
    let trust = &parking.items["trust_improvement"];
    assert_eq!((trust.n, trust.dont_know, trust.sd), (1, 1, None));
    // Gaps: A: rec (100+75+50)/3 = 75, sat (25+25+0+50+50)/5 = 30 -> 45.
    //       B: rec (75+75+100)/3 = 83.33, sat (75+50+25+75)/4 = 56.25 -> 27.083...
    let gap_a = 45.0;
    let gap_b = 250.0 / 3.0 - 56.25;
    assert!(close(parking.gap.mean.unwrap(), (gap_a + gap_b) / 2.0));
    assert_eq!(parking.gap.n, 2);
    // Two respondents are below the minimum of 30: reported, not reliable, no quadrant.
    assert!(!parking.reliable);
    assert_eq!(parking.quadrant, None);
    assert_eq!(parking.rank_recognition, None);
}

/// Thirty respondents give the same answers, so every project has a known score.
fn uniform_project(
    project: &str,
    recognition_answer: u8,
    satisfaction_answer: u8,
    first_id: usize,
) -> Vec<Vec<String>> {
    let (r, s) = (recognition_answer, satisfaction_answer);
    (0..30)
        .map(|k| {
            row(
                &format!("R{}", first_id + k),
                project,
                &format!("{r},{r},{r},{s},{s},{s},{s},{s}"),
            )
        })
        .collect()
}

#[test]
fn cut_points_quadrants_and_ranks() {
    // Four reliable projects: recognition 100, 75, 50, 25; satisfaction 25, 100, 50, 75.
    let mut rows = uniform_project("old-district", 5, 2, 0);
    rows.extend(uniform_project("breakfast", 4, 5, 0));
    rows.extend(uniform_project("parking", 3, 3, 0));
    rows.extend(uniform_project("medical", 2, 4, 0));
    // A fifth project below the minimum does not move the cut points.
    rows.extend(uniform_project("rural", 1, 1, 100).into_iter().take(5));
    let evaluation = evaluate(&rows);
    assert_eq!(evaluation.cut_points.recognition, Some(62.5));
    assert_eq!(evaluation.cut_points.satisfaction, Some(62.5));
    let quadrant = |code| project(&evaluation, code).quadrant;
    assert_eq!(quadrant("old-district"), Some(Quadrant::HL));
    assert_eq!(quadrant("breakfast"), Some(Quadrant::HH));
    assert_eq!(quadrant("parking"), Some(Quadrant::LL));
    assert_eq!(quadrant("medical"), Some(Quadrant::LH));
    assert_eq!(quadrant("rural"), None);
    assert_eq!(
        project(&evaluation, "old-district").rank_recognition,
        Some(1)
    );
    assert_eq!(
        project(&evaluation, "old-district").rank_satisfaction,
        Some(4)
    );
    assert_eq!(project(&evaluation, "rural").rank_satisfaction, None);
    let hh = &evaluation.quadrants[0];
    assert_eq!(
        (hh.quadrant, hh.projects.clone()),
        (Quadrant::HH, vec!["breakfast".to_string()])
    );
    // 30 distinct respondents rated four projects each, plus five others.
    assert_eq!(evaluation.profile.respondents, 35);
    // Identical answers: the gap is exactly (75 - 25) for old-district with zero spread.
    let gap = &project(&evaluation, "old-district").gap;
    assert_eq!(gap.mean, Some(75.0));
    assert!(
        gap.notable,
        "a gap with zero spread and |mean| >= 5 is notable"
    );
    assert!(
        !project(&evaluation, "parking").gap.notable,
        "a zero gap is not notable"
    );
}

#[test]
fn score_at_cut_point_is_high() {
    // Three reliable projects: the median one sits exactly on both cut points.
    let mut rows = uniform_project("old-district", 5, 5, 0);
    rows.extend(uniform_project("breakfast", 3, 3, 0));
    rows.extend(uniform_project("parking", 1, 1, 0));
    let evaluation = evaluate(&rows);
    assert_eq!(evaluation.cut_points.recognition, Some(50.0));
    assert_eq!(
        project(&evaluation, "breakfast").quadrant,
        Some(Quadrant::HH)
    );
    assert_eq!(project(&evaluation, "parking").quadrant, Some(Quadrant::LL));
}

#[test]
fn missing_answers() {
    // A row with every item "don't know" counts as a row but not as a respondent of the project.
    let evaluation = evaluate(&[
        row("A", "medical", ",,,,,,,"),
        row("B", "medical", "5,,,,,,,"),
        row("C", "medical", ",,,3,,,,"),
    ]);
    let medical = project(&evaluation, "medical");
    assert_eq!((medical.rows, medical.n), (3, 2));
    // Recognition has only awareness: 100. Satisfaction has only quality: 50.
    assert_eq!(medical.recognition, Some(100.0));
    assert_eq!(medical.satisfaction, Some(50.0));
    assert_eq!(medical.dimensions["relevance"], None);
    // No respondent answered both indices: no gap.
    assert_eq!((medical.gap.n, medical.gap.mean), (0, None));
    assert_eq!(evaluation.profile.respondents, 3);
    // A project nobody rated has no scores.
    let rural = project(&evaluation, "rural");
    assert_eq!(
        (rural.n, rural.recognition, rural.reliable),
        (0, None, false)
    );
    assert_eq!(evaluation.cut_points.recognition, None);
}

#[test]
fn profile_counts_each_respondent_once() {
    let mut second = row("B", "parking", "3,3,3,3,3,3,3,3");
    second[2] = "310151".into();
    second[3] = "male".into();
    second[4] = "".into();
    second[6] = "".into();
    let evaluation = evaluate(&[
        row("A", "parking", "3,3,3,3,3,3,3,3"),
        row("A", "medical", "3,3,3,3,3,3,3,3"),
        second,
    ]);
    let profile = &evaluation.profile;
    assert_eq!(profile.respondents, 2);
    let count = |list: &[CategoryCount], code: Option<&str>| {
        list.iter()
            .find(|c| c.code.as_deref() == code)
            .and_then(|c| c.count)
    };
    assert_eq!(count(&profile.district, Some("310104")), Some(1));
    assert_eq!(count(&profile.district, Some("310151")), Some(1));
    assert_eq!(count(&profile.district, Some("310101")), Some(0));
    assert_eq!(count(&profile.gender, Some("female")), Some(1));
    assert_eq!(count(&profile.occupation, None), Some(1));
    assert_eq!(profile.age.n, 1);
    assert_eq!(profile.age.not_stated, 1);
    assert_eq!(profile.age.mean, Some(34.0));
    assert!(!evaluation.synthetic);
}

fn rejection_of(rows: Vec<Vec<String>>) -> Rejection {
    let (_, outcomes) = evaluate_rows(&rows, EvaluationOptions::default());
    match outcomes.last().unwrap() {
        RowOutcome::Rejected(rejection) => rejection.clone(),
        other => panic!("expected a rejection, got {other:?}"),
    }
}

fn with_field(index: usize, value: &str) -> Vec<String> {
    let mut fields = row("A", "parking", "3,3,3,3,3,3,3,3");
    fields[index] = value.into();
    fields
}

#[test]
fn rejects_wrong_column_count() {
    let mut fields = row("A", "parking", "3,3,3,3,3,3,3,3");
    fields.pop();
    let rejection = rejection_of(vec![fields]);
    assert_eq!(rejection.row, 2);
    assert_eq!(rejection.column, None);
    assert_eq!(
        rejection.reason,
        RejectionReason::WrongColumnCount {
            expected: 17,
            found: 16
        }
    );
}

#[test]
fn rejects_unknown_project() {
    let rejection = rejection_of(vec![with_field(8, "parkng")]);
    assert_eq!(rejection.column.as_deref(), Some("project"));
    assert_eq!(
        rejection.reason,
        RejectionReason::UnknownProject("parkng".into())
    );
    assert!(rejection
        .to_string()
        .starts_with("row 2, column project: unknown project \"parkng\""));
}

#[test]
fn rejects_unknown_district() {
    let rejection = rejection_of(vec![with_field(2, "Xuhui")]);
    assert_eq!(rejection.column.as_deref(), Some("district"));
    assert!(
        matches!(rejection.reason, RejectionReason::UnknownCode { ref value, .. } if value == "Xuhui")
    );
}

#[test]
fn rejects_empty_district() {
    let rejection = rejection_of(vec![with_field(2, "")]);
    assert_eq!(
        (rejection.column.as_deref(), rejection.reason),
        (Some("district"), RejectionReason::Empty)
    );
}

#[test]
fn rejects_unknown_profile_codes() {
    for (index, column) in [
        (3, "gender"),
        (5, "education"),
        (6, "occupation"),
        (7, "channel"),
    ] {
        let rejection = rejection_of(vec![with_field(index, "??")]);
        assert_eq!(rejection.column.as_deref(), Some(column));
    }
}

#[test]
fn rejects_answer_out_of_range() {
    let rejection = rejection_of(vec![row("A", "parking", "3,3,3,3,6,3,3,3")]);
    assert_eq!(rejection.column.as_deref(), Some("value"));
    assert_eq!(
        rejection.reason,
        RejectionReason::AnswerOutOfRange {
            value: "6".into(),
            levels: 5
        }
    );
}

#[test]
fn rejects_answer_not_an_integer() {
    let rejection = rejection_of(vec![row("A", "parking", "3,3,3,3,3,3,3,4.5")]);
    assert_eq!(rejection.column.as_deref(), Some("trust_improvement"));
    assert_eq!(
        rejection.reason,
        RejectionReason::AnswerNotInteger("4.5".into())
    );
}

#[test]
fn rejects_unparseable_age() {
    let rejection = rejection_of(vec![with_field(4, "3x")]);
    assert_eq!(
        (rejection.column.as_deref(), rejection.reason),
        (Some("age"), RejectionReason::AgeNotInteger("3x".into()))
    );
}

#[test]
fn rejects_age_out_of_range() {
    let rejection = rejection_of(vec![with_field(4, "200")]);
    assert_eq!(
        rejection.reason,
        RejectionReason::AgeOutOfRange("200".into())
    );
}

#[test]
fn rejects_empty_respondent_and_wave() {
    assert_eq!(
        rejection_of(vec![with_field(0, "")]).column.as_deref(),
        Some("respondent_id")
    );
    assert_eq!(
        rejection_of(vec![with_field(1, "")]).column.as_deref(),
        Some("wave")
    );
}

#[test]
fn rejects_overlong_respondent() {
    let rejection = rejection_of(vec![with_field(0, &"x".repeat(129))]);
    assert_eq!(rejection.reason, RejectionReason::TooLong { limit: 128 });
}

#[test]
fn rejects_repeated_respondent_project_and_keeps_the_first() {
    let (evaluation, outcomes) = evaluate_rows(
        &[
            row("A", "parking", "5,5,5,5,5,5,5,5"),
            row("A", "parking", "1,1,1,1,1,1,1,1"),
        ],
        EvaluationOptions::default(),
    );
    let RowOutcome::Rejected(rejection) = &outcomes[1] else {
        panic!("{outcomes:?}")
    };
    assert_eq!(rejection.row, 3);
    assert_eq!(rejection.column.as_deref(), Some("project"));
    assert!(matches!(
        rejection.reason,
        RejectionReason::DuplicateRespondentProject { first_row: 2, .. }
    ));
    assert_eq!(project(&evaluation, "parking").recognition, Some(100.0));
    assert_eq!(
        evaluation.rows,
        RowCounts {
            read: 2,
            used: 1,
            rejected: 1,
            other_waves: 0
        }
    );
}

#[test]
fn rejects_inconsistent_profile() {
    let mut other = row("A", "medical", "3,3,3,3,3,3,3,3");
    other[4] = "35".into();
    let rejection = rejection_of(vec![row("A", "parking", "3,3,3,3,3,3,3,3"), other]);
    assert_eq!(rejection.column.as_deref(), Some("age"));
    assert!(matches!(
        rejection.reason,
        RejectionReason::InconsistentProfile { first_row: 2, .. }
    ));
}

#[test]
fn a_repeated_respondent_is_checked_against_the_cached_row() {
    // Consecutive rows of one respondent take the cached profile; a change in any profile
    // column, or a repeated project, is still caught.
    let mut changed = row("A", "rural", "3,3,3,3,3,3,3,3");
    changed[7] = "app".into();
    let (evaluation, outcomes) = evaluate_rows(
        &[
            row("A", "parking", "3,3,3,3,3,3,3,3"),
            row("A", "medical", "3,3,3,3,3,3,3,3"),
            row("A", "parking", "3,3,3,3,3,3,3,3"),
            changed,
            row("A", "rural", "3,3,3,3,3,3,3,3"),
        ],
        EvaluationOptions::default(),
    );
    assert!(
        matches!(&outcomes[2], RowOutcome::Rejected(r) if r.column.as_deref() == Some("project"))
    );
    assert!(
        matches!(&outcomes[3], RowOutcome::Rejected(r) if r.column.as_deref() == Some("channel"))
    );
    assert_eq!(outcomes[4], RowOutcome::Used);
    assert_eq!(evaluation.rows.used, 3);
}

#[test]
fn a_rejected_row_counts_nothing() {
    let (evaluation, _) = evaluate_rows(
        &[row("A", "parking", "5,5,5,5,5,5,5,9")],
        EvaluationOptions::default(),
    );
    assert_eq!(project(&evaluation, "parking").rows, 0);
    assert_eq!(evaluation.profile.respondents, 0);
}

#[test]
fn several_waves_need_a_choice() {
    let mut later = row("B", "parking", "3,3,3,3,3,3,3,3");
    later[1] = "2022".into();
    let rows = [row("A", "parking", "3,3,3,3,3,3,3,3"), later];
    let configuration = Configuration::defaults();
    let mut evaluator = Evaluator::new(
        &configuration,
        layout(&configuration),
        EvaluationOptions::default(),
    )
    .unwrap();
    evaluator.push(2, rows[0].as_slice()).unwrap();
    let error = evaluator.push(3, rows[1].as_slice()).unwrap_err();
    assert!(matches!(
        error,
        EvaluationError::SeveralWaves { row: 3, .. }
    ));
    let options = EvaluationOptions {
        wave: Some("2022".into()),
        ..Default::default()
    };
    let (evaluation, outcomes) = evaluate_rows(&rows, options);
    assert_eq!(outcomes[0], RowOutcome::OtherWave);
    assert_eq!(evaluation.wave.as_deref(), Some("2022"));
    assert_eq!(evaluation.rows.other_waves, 1);
    assert_eq!(project(&evaluation, "parking").rows, 1);
}

#[test]
fn invalid_options_are_refused() {
    let configuration = Configuration::defaults();
    let options = EvaluationOptions {
        confidence: 1.5,
        ..Default::default()
    };
    assert!(Evaluator::new(&configuration, layout(&configuration), options).is_err());
}

/// Random rows over a few projects and respondents, with missing answers.
fn arbitrary_rows() -> impl Strategy<Value = Vec<Vec<String>>> {
    let projects = ["parking", "medical", "breakfast", "rural"];
    prop::collection::btree_map(
        (0usize..25, 0usize..4),
        prop::collection::vec(prop::option::weighted(0.85, 1u8..=5), 8),
        1..80,
    )
    .prop_map(move |cells| {
        cells
            .into_iter()
            .map(|((respondent, project), answers)| {
                let answers: Vec<String> = answers
                    .iter()
                    .map(|a| a.map(|a| a.to_string()).unwrap_or_default())
                    .collect();
                row(
                    &format!("R{respondent}"),
                    projects[project],
                    &answers.join(","),
                )
            })
            .collect()
    })
}

fn small_minimum() -> EvaluationOptions {
    EvaluationOptions {
        minimum_respondents: 3,
        ..Default::default()
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn row_order_does_not_change_results(rows in arbitrary_rows(), seed in any::<u64>()) {
        let (forward, _) = evaluate_rows(&rows, small_minimum());
        let mut shuffled = rows.clone();
        // A deterministic shuffle driven by the seed.
        let mut state = seed | 1;
        for i in (1..shuffled.len()).rev() {
            state ^= state << 13; state ^= state >> 7; state ^= state << 17;
            shuffled.swap(i, (state % (i as u64 + 1)) as usize);
        }
        let (backward, _) = evaluate_rows(&shuffled, small_minimum());
        prop_assert_eq!(forward.projects, backward.projects);
        prop_assert_eq!(forward.cut_points, backward.cut_points);
        prop_assert_eq!(forward.profile.respondents, backward.profile.respondents);
    }

    #[test]
    fn scores_stay_within_0_and_100(rows in arbitrary_rows()) {
        let (evaluation, _) = evaluate_rows(&rows, small_minimum());
        for project in &evaluation.projects {
            let scores = project.dimensions.values().flatten()
                .chain(project.recognition.iter())
                .chain(project.satisfaction.iter())
                .chain(project.items.values().filter_map(|i| i.mean.as_ref()));
            for score in scores {
                prop_assert!((0.0..=100.0).contains(score), "{} out of range", score);
            }
            if let Some(gap) = project.gap.mean {
                prop_assert!((-100.0..=100.0).contains(&gap));
            }
        }
    }

    #[test]
    fn a_project_ignores_other_projects_rows(rows in arbitrary_rows()) {
        let (all, _) = evaluate_rows(&rows, small_minimum());
        let parking_only: Vec<Vec<String>> = rows.iter().filter(|r| r[8] == "parking").cloned().collect();
        let (alone, _) = evaluate_rows(&parking_only, small_minimum());
        let mut with_others = project(&all, "parking").clone();
        let mut by_itself = project(&alone, "parking").clone();
        // Only quadrants and ranks depend on other projects, through the cut points.
        for p in [&mut with_others, &mut by_itself] {
            p.quadrant = None;
            p.rank_recognition = None;
            p.rank_satisfaction = None;
        }
        prop_assert_eq!(with_others, by_itself);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    /// Evaluating a file in two parts and merging gives the same result as one pass.
    #[test]
    fn merging_parts_equals_one_pass(rows in arbitrary_rows(), split in 0usize..80) {
        let configuration = Configuration::defaults();
        let split = split.min(rows.len());
        let run = |part: &[Vec<String>]| {
            let mut evaluator = Evaluator::new(&configuration, layout(&configuration), small_minimum()).unwrap();
            for (i, fields) in part.iter().enumerate() {
                evaluator.push(i as u64 + 2, fields.as_slice()).unwrap();
            }
            evaluator
        };
        let mut first = run(&rows[..split]);
        first.merge(run(&rows[split..])).unwrap();
        let merged = first.finish();
        let (whole, _) = evaluate_rows(&rows, small_minimum());
        prop_assert_eq!(merged, whole);
    }
}

#[test]
fn merging_detects_a_respondent_rating_a_project_in_both_parts() {
    let configuration = Configuration::defaults();
    let part = |rows: &[Vec<String>]| {
        let mut evaluator = Evaluator::new(
            &configuration,
            layout(&configuration),
            EvaluationOptions::default(),
        )
        .unwrap();
        for fields in rows {
            evaluator.push(2, fields.as_slice()).unwrap();
        }
        evaluator
    };
    let mut first = part(&[row("A", "parking", "3,3,3,3,3,3,3,3")]);
    let second = part(&[row("A", "parking", "4,4,4,4,4,4,4,4")]);
    assert_eq!(first.merge(second), Err(MergeConflict::SharedRespondent));
    let mut first = part(&[row("A", "parking", "3,3,3,3,3,3,3,3")]);
    let mut other_wave = row("B", "parking", "3,3,3,3,3,3,3,3");
    other_wave[1] = "2022".into();
    assert_eq!(
        first.merge(part(&[other_wave])),
        Err(MergeConflict::DifferentWaves)
    );
}

#[test]
fn tallies_take_back_what_they_added() {
    let configuration = Configuration::defaults();
    let plan = parse::ItemPlan::new(&configuration.instrument);
    let mut tallies = WaveTallies::new(&configuration);
    let first = [
        Some(5),
        Some(4),
        None,
        Some(2),
        Some(1),
        Some(3),
        Some(3),
        None,
    ];
    tallies.rating(&plan, 1, 2, &first, Change::Add);
    let before = tallies.clone();
    let second = [
        Some(1),
        None,
        Some(3),
        None,
        None,
        Some(5),
        Some(2),
        Some(4),
    ];
    tallies.rating(&plan, 1, 2, &second, Change::Add);
    tallies.rating(&plan, 1, 2, &second, Change::Remove);
    assert_eq!(tallies, before);
    let profile = registry::CompactProfile {
        district: 3,
        gender: 1,
        age: 40,
        ..Default::default()
    };
    tallies.respondent(&profile, Change::Add);
    assert_eq!(tallies.respondents(), 1);
    tallies.respondent(&profile, Change::Remove);
    assert_eq!(tallies.respondents(), 0);
}

#[test]
fn the_evaluation_is_a_function_of_the_tallies() {
    let configuration = Configuration::defaults();
    let rows = [
        row("A", "parking", "5,4,3,2,2,1,3,3"),
        row("B", "medical", "4,4,5,4,3,2,4,"),
    ];
    let mut evaluator =
        Evaluator::new(&configuration, layout(&configuration), small_minimum()).unwrap();
    for (i, fields) in rows.iter().enumerate() {
        evaluator.push(i as u64 + 2, fields.as_slice()).unwrap();
    }
    let tallies = evaluator.tallies().clone();
    let counts = evaluator.row_counts();
    let direct = evaluator.finish();
    let rebuilt = Evaluation::from_tallies(
        &configuration,
        &tallies,
        &small_minimum(),
        direct.wave.clone(),
        counts,
    );
    assert_eq!(direct, rebuilt);
    assert_eq!(tallies.respondents(), 2);
}

fn evaluator_over<'c>(configuration: &'c Configuration, rows: &[Vec<String>]) -> Evaluator<'c> {
    let mut evaluator =
        Evaluator::new(configuration, layout(configuration), small_minimum()).unwrap();
    for (i, fields) in rows.iter().enumerate() {
        evaluator.push(i as u64 + 2, fields.as_slice()).unwrap();
    }
    evaluator
}

#[test]
fn a_district_cell_scores_as_the_district_alone_would() {
    let configuration = Configuration::defaults();
    let in_district = |district: &str, id: usize, answers: &str| {
        let mut fields = row(&format!("{district}-{id}"), "parking", answers);
        fields[2] = district.into();
        fields
    };
    let answers = [
        "5,4,3,2,2,1,3,3",
        "4,,5,4,3,2,4,",
        "1,2,3,4,5,4,3,2",
        "3,3,,,2,2,5,5",
    ];
    let mut rows = Vec::new();
    for id in 0..40 {
        rows.push(in_district("310104", id, answers[id % 4]));
    }
    for id in 0..31 {
        rows.push(in_district("310115", id, answers[(id + 1) % 3]));
    }
    for id in 0..5 {
        rows.push(in_district("310101", id, answers[3]));
    }
    let whole = evaluator_over(&configuration, &rows);
    let parking = usize::from(configuration.catalogue.position(b"parking").unwrap());
    let unsuppressed = district_breakdown(&configuration, whole.tallies(), parking, 0, 0.95);
    let cells = district_breakdown(&configuration, whole.tallies(), parking, 30, 0.95);
    let cell = |code: &str| cells.iter().find(|c| c.code == code).unwrap();
    for district in ["310104", "310115", "310101"] {
        let shown = unsuppressed.iter().find(|c| c.code == district).unwrap();
        let alone: Vec<Vec<String>> = rows.iter().filter(|r| r[2] == district).cloned().collect();
        let evaluation = evaluator_over(&configuration, &alone).finish();
        let expected = project(&evaluation, "parking");
        assert_eq!(shown.n, Some(expected.n));
        assert_eq!(shown.recognition, expected.recognition);
        assert_eq!(shown.satisfaction, expected.satisfaction);
    }
    // Five respondents are too few; the next smallest (31) goes with them.
    assert!(cell("310101").suppressed && cell("310101").n.is_none());
    assert!(cell("310115").suppressed && cell("310115").recognition.is_none());
    assert!(!cell("310104").suppressed);
}

#[test]
fn index_intervals_shrink_with_more_respondents() {
    let configuration = Configuration::defaults();
    let answers = ["5,4,3,2,2,1,3,3", "4,,5,4,3,2,4,", "1,2,3,4,5,4,3,2"];
    let rows = |count: usize| -> Vec<Vec<String>> {
        (0..count)
            .map(|id| row(&format!("R{id}"), "parking", answers[id % 3]))
            .collect()
    };
    let small = evaluator_over(&configuration, &rows(30)).finish();
    let large = evaluator_over(&configuration, &rows(300)).finish();
    let se = |evaluation: &Evaluation| {
        project(evaluation, "parking")
            .satisfaction_interval
            .unwrap()
            .se
            .unwrap()
    };
    assert!(se(&large) < se(&small) / 3.0);
    let interval = project(&large, "parking").satisfaction_interval.unwrap();
    let value = project(&large, "parking").satisfaction.unwrap();
    assert!(interval.ci_low.unwrap() < value && value < interval.ci_high.unwrap());
}

/// A row of a respondent in `district` with `gender`.
fn profiled_row(
    id: &str,
    district: &str,
    gender: &str,
    project: &str,
    answers: &str,
) -> Vec<String> {
    let mut fields = row(id, project, answers);
    fields[2] = district.into();
    fields[3] = gender.into();
    fields
}

/// Evaluates with the sums a weighted evaluation needs, cells of `variables`.
fn evaluate_with_sums(
    rows: &[Vec<String>],
    variables: Vec<WeightingVariable>,
) -> (Evaluation, GroupSums) {
    let configuration = Configuration::defaults();
    let options = EvaluationOptions {
        minimum_respondents: 3,
        weighting_cells: Some(variables),
        ..Default::default()
    };
    let mut evaluator = Evaluator::new(&configuration, layout(&configuration), options).unwrap();
    for (i, fields) in rows.iter().enumerate() {
        evaluator.push(i as u64 + 2, fields.as_slice()).unwrap();
    }
    let (evaluation, sums) = evaluator.finish_with_sums();
    (evaluation, sums.unwrap())
}

/// Many respondents over four projects, with answers that differ by project and respondent.
fn spread_rows() -> Vec<Vec<String>> {
    let projects = ["parking", "medical", "breakfast", "rural"];
    let mut rows = Vec::new();
    for respondent in 0..240u32 {
        let gender = if respondent % 3 == 0 {
            "male"
        } else {
            "female"
        };
        for (p, project) in projects.iter().enumerate() {
            let answers: Vec<String> = (0..8u32)
                .map(|item| {
                    let base = (respondent * 7 + item * 3 + p as u32 * 5) % 5 + 1;
                    if (respondent + item) % 11 == 0 {
                        String::new()
                    } else {
                        base.min(5 - (p as u32 % 2)).to_string()
                    }
                })
                .collect();
            rows.push(profiled_row(
                &format!("R{respondent}"),
                "310104",
                gender,
                project,
                &answers.join(","),
            ));
        }
    }
    rows
}

#[test]
fn with_equal_weights_the_weighted_scores_are_the_evaluation_s() {
    let configuration = Configuration::defaults();
    let rows = spread_rows();
    let (evaluation, sums) = evaluate_with_sums(&rows, vec![]);
    let options = RobustnessOptions {
        replicates: 0,
        ..Default::default()
    };
    let weighted = weighted_evaluation(&configuration, &sums, None, &evaluation, &options).unwrap();
    assert_eq!(weighted.weighting.design_effect, 1.0);
    assert_eq!(weighted.weighting.respondents, 240);
    for (plain, weighted) in evaluation.projects.iter().zip(&weighted.projects) {
        assert_eq!(
            plain.recognition.is_some(),
            weighted.recognition.is_some(),
            "{}",
            plain.code
        );
        if let (Some(a), Some(b)) = (plain.recognition, weighted.recognition) {
            assert!(
                (a - b.score).abs() < 1e-9,
                "{}: {a} vs {}",
                plain.code,
                b.score
            );
        }
        if let (Some(a), Some(b)) = (plain.satisfaction, weighted.satisfaction) {
            assert!(
                (a - b.score).abs() < 1e-9,
                "{}: {a} vs {}",
                plain.code,
                b.score
            );
        }
        assert_eq!(plain.quadrant, weighted.quadrant, "{}", plain.code);
    }
}

#[test]
fn weights_to_the_margins_move_the_scores_to_the_population_mix() {
    // One man answers 5 to everything, three women 1: unweighted 25 points, but men are three
    // quarters of the population, so the weighted score is (3·100 + 1·0) / 4 = 75.
    let configuration = Configuration::defaults();
    let mut rows = vec![profiled_row(
        "M",
        "310104",
        "male",
        "parking",
        "5,5,5,5,5,5,5,5",
    )];
    for id in ["F1", "F2", "F3"] {
        rows.push(profiled_row(
            id,
            "310104",
            "female",
            "parking",
            "1,1,1,1,1,1,1,1",
        ));
    }
    let (evaluation, sums) = evaluate_with_sums(&rows, vec![WeightingVariable::Gender]);
    assert!(close(
        project(&evaluation, "parking").recognition.unwrap(),
        25.0
    ));
    let margins = Margins::parse(
        "[margins.gender]\nmale = 300\nfemale = 100\n",
        &configuration,
        "test",
    )
    .unwrap();
    let options = RobustnessOptions {
        replicates: 0,
        ..Default::default()
    };
    let weighted =
        weighted_evaluation(&configuration, &sums, Some(&margins), &evaluation, &options).unwrap();
    let parking = weighted
        .projects
        .iter()
        .find(|p| p.code == "parking")
        .unwrap();
    assert!(close(parking.recognition.unwrap().score, 75.0));
    assert!(close(parking.satisfaction.unwrap().score, 75.0));
    // Weights 300 and 100/3: Kish's deff = 4 · (300² + 3 · (100/3)²) / 400² = 7/3.
    assert!(close(weighted.weighting.design_effect, 7.0 / 3.0));
    assert!(close(weighted.weighting.effective_n, 12.0 / 7.0));
    // A margin category nobody is in cannot be reached, and the error says which.
    let (_, men_only) = evaluate_with_sums(&rows[..1], vec![WeightingVariable::Gender]);
    let error = weighted_evaluation(
        &configuration,
        &men_only,
        Some(&margins),
        &evaluation,
        &options,
    )
    .unwrap_err();
    assert!(error.to_string().contains("gender female"), "{error}");
}

#[test]
fn raking_the_cells_matches_raking_every_respondent() {
    // Two variables: the cell weights from raking the cell table must be the weights raking
    // each respondent gives (the statistics crate's rake, checked against R's survey).
    let configuration = Configuration::defaults();
    let districts = ["310104", "310115", "310151"];
    let mut rows = Vec::new();
    let mut profiles = Vec::new();
    for r in 0..60usize {
        let district = districts[(r * 7) % 3];
        let gender = if r % 4 == 0 { "male" } else { "female" };
        profiles.push((district, gender));
        rows.push(profiled_row(
            &format!("R{r}"),
            district,
            gender,
            "parking",
            "3,3,3,3,3,3,3,3",
        ));
    }
    let (evaluation, sums) = evaluate_with_sums(
        &rows,
        vec![WeightingVariable::District, WeightingVariable::Gender],
    );
    let mut text = String::from("[margins.district]\n");
    for (k, entry) in configuration.districts.entries().iter().enumerate() {
        text.push_str(&format!("{} = {}\n", entry.code, 1000 + 100 * k));
    }
    let total: usize = (0..16).map(|k| 1000 + 100 * k).sum();
    text.push_str(&format!(
        "[margins.gender]\nmale = {}\nfemale = {}\n",
        total / 2,
        total - total / 2
    ));
    // Only three districts have respondents: the others make the margins unreachable.
    assert!(Margins::parse(&text, &configuration, "test")
        .and_then(|m| {
            weighted_evaluation(
                &configuration,
                &sums,
                Some(&m),
                &evaluation,
                &RobustnessOptions::default(),
            )
            .map_err(|e| e.to_string())
        })
        .unwrap_err()
        .contains("no respondent in district"));
    let mut text = String::from("[margins.district]\n");
    let mut configuration = configuration;
    configuration.districts = crate::config::CodeList::new(
        "district",
        configuration
            .districts
            .entries()
            .iter()
            .filter(|e| districts.contains(&e.code.as_str()))
            .cloned()
            .collect(),
    )
    .unwrap();
    let populations = [5000.0, 3000.0, 2000.0];
    for (district, population) in districts.iter().zip(populations) {
        text.push_str(&format!("{district} = {population}\n"));
    }
    text.push_str("[margins.gender]\nmale = 4900\nfemale = 5100\n");
    let margins = Margins::parse(&text, &configuration, "test").unwrap();
    let (evaluation, sums) = {
        let options = EvaluationOptions {
            minimum_respondents: 3,
            weighting_cells: Some(vec![WeightingVariable::District, WeightingVariable::Gender]),
            ..Default::default()
        };
        let mut evaluator =
            Evaluator::new(&configuration, layout(&configuration), options).unwrap();
        for (i, fields) in rows.iter().enumerate() {
            evaluator.push(i as u64 + 2, fields.as_slice()).unwrap();
        }
        let (evaluation, sums) = evaluator.finish_with_sums();
        (evaluation, sums.unwrap())
    };
    let options = RobustnessOptions {
        replicates: 0,
        ..Default::default()
    };
    let weighted =
        weighted_evaluation(&configuration, &sums, Some(&margins), &evaluation, &options).unwrap();
    // Rake every respondent with the statistics crate.
    let district_of: Vec<usize> = profiles
        .iter()
        .map(|(d, _)| districts.iter().position(|x| x == d).unwrap())
        .collect();
    let gender_of: Vec<usize> = profiles
        .iter()
        .map(|(_, g)| usize::from(*g == "female"))
        .collect();
    let raked = minxin_survey_stats::weighting::rake(
        &vec![1.0; profiles.len()],
        &[
            minxin_survey_stats::weighting::Margin {
                name: "district",
                categories: &district_of,
                totals: &populations,
            },
            minxin_survey_stats::weighting::Margin {
                name: "gender",
                categories: &gender_of,
                totals: &[4900.0, 5100.0],
            },
        ],
        1e-13,
        1000,
    )
    .unwrap();
    for cell in &weighted.weighting.cells {
        let r = profiles
            .iter()
            .position(|(d, g)| *d == cell.codes[0] && *g == cell.codes[1])
            .unwrap();
        assert!(
            (cell.weight - raked.weights[r]).abs() < 1e-9 * raked.weights[r],
            "{:?}: {} vs {}",
            cell.codes,
            cell.weight,
            raked.weights[r]
        );
    }
    let kish = minxin_survey_stats::weighting::kish(&raked.weights).unwrap();
    assert!((weighted.weighting.design_effect - kish.0).abs() < 1e-9);
}

#[test]
fn the_bootstrap_repeats_with_its_seed_on_any_number_of_threads() {
    let configuration = Configuration::defaults();
    let (evaluation, sums) = evaluate_with_sums(&spread_rows(), vec![WeightingVariable::Gender]);
    let margins = Margins::parse(
        "[margins.gender]\nmale = 500\nfemale = 500\n",
        &configuration,
        "test",
    )
    .unwrap();
    let run = |seed: u64, threads: usize| {
        let options = RobustnessOptions {
            replicates: 200,
            seed,
            threads,
            ..Default::default()
        };
        weighted_evaluation(&configuration, &sums, Some(&margins), &evaluation, &options).unwrap()
    };
    let one = run(5, 1);
    assert_eq!(one, run(5, 2), "threads do not change the draws");
    assert_ne!(one, run(6, 1));
    assert_eq!(one.replicates, 200);
    for project in one.projects.iter().filter(|p| p.quadrant.is_some()) {
        let probabilities = project.quadrant_probabilities.unwrap();
        assert!((probabilities.iter().sum::<f64>() - 1.0).abs() < 1e-12);
        let recognition = project.recognition.unwrap();
        assert!(recognition.se.unwrap() > 0.0);
        assert!(recognition.ci_low.unwrap() <= recognition.score);
        assert!(recognition.ci_high.unwrap() >= recognition.score);
        let rank = project.rank_recognition.unwrap();
        assert!(rank.best.unwrap() <= rank.rank && rank.rank <= rank.worst.unwrap());
        assert_eq!(
            project.uncertain.unwrap(),
            probabilities.iter().all(|p| *p < 0.8)
        );
    }
}

#[test]
fn a_clear_leader_is_certain_and_a_tie_is_not() {
    // Project A is far above the others on both indices; B and C are identical in
    // distribution, so which of them is above the median changes from replicate to replicate.
    let configuration = Configuration::defaults();
    let mut rows = Vec::new();
    for r in 0..400u32 {
        let noisy = |shift: u32| ((r * 13 + shift) % 5 + 1).to_string();
        let b: Vec<String> = (0..8).map(|i| noisy(i * 7)).collect();
        let c: Vec<String> = (0..8).map(|i| noisy(i * 7 + 3)).collect();
        let d: Vec<String> = (0..8).map(|_| ((r % 2) + 1).to_string()).collect();
        let id = format!("R{r}");
        rows.push(row(&id, "parking", "5,5,5,5,5,5,5,5"));
        rows.push(row(&id, "medical", &b.join(",")));
        rows.push(row(&id, "breakfast", &c.join(",")));
        rows.push(row(&id, "rural", &d.join(",")));
    }
    let (evaluation, sums) = evaluate_with_sums(&rows, vec![]);
    let options = RobustnessOptions {
        replicates: 400,
        seed: 9,
        ..Default::default()
    };
    let weighted = weighted_evaluation(&configuration, &sums, None, &evaluation, &options).unwrap();
    let get = |code: &str| weighted.projects.iter().find(|p| p.code == code).unwrap();
    assert_eq!(get("parking").quadrant, Some(Quadrant::HH));
    assert_eq!(get("parking").quadrant_probabilities.unwrap()[0], 1.0);
    assert_eq!(get("parking").uncertain, Some(false));
    assert_eq!(get("parking").rank_recognition.unwrap().worst, Some(1));
    assert_eq!(get("rural").quadrant, Some(Quadrant::LL));
    assert_eq!(get("rural").uncertain, Some(false));
    assert!(get("medical").uncertain.unwrap() || get("breakfast").uncertain.unwrap());
}
