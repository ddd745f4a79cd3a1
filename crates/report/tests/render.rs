//! The rendered figures are well-formed XML with one mark per project, and every report names
//! the synthetic data as such.

use minxin_domain::{ColumnLayout, Configuration, Evaluation, EvaluationOptions, Evaluator};
use minxin_report::{render_html, render_table, svg, Lang};
use quick_xml::events::Event;
use quick_xml::Reader;

fn demo_evaluation() -> Evaluation {
    let configuration = Configuration::defaults();
    let data = minxin_demo::generate(&configuration, 3).unwrap();
    let layout = ColumnLayout::from_header(&data.header, &configuration.instrument).unwrap();
    let mut evaluator =
        Evaluator::new(&configuration, layout, EvaluationOptions::default()).unwrap();
    for (i, row) in data.rows.iter().enumerate() {
        evaluator.push(i as u64 + 2, row.as_slice()).unwrap();
    }
    evaluator.finish()
}

/// Parses `xml` completely and counts the start (or empty) tags named `tag`.
fn count_elements(xml: &str, tag: &str) -> usize {
    let mut reader = Reader::from_str(xml);
    let mut count = 0;
    loop {
        match reader.read_event() {
            Ok(Event::Eof) => return count,
            Ok(Event::Start(element)) | Ok(Event::Empty(element))
                if element.name().into_inner() == tag =>
            {
                count += 1
            }
            Ok(_) => {}
            Err(error) => panic!("not well-formed at {}: {error}", reader.buffer_position()),
        }
    }
}

#[test]
fn figures_are_well_formed_with_a_mark_per_project() {
    let evaluation = demo_evaluation();
    for lang in [Lang::Zh, Lang::En] {
        let figure1 = svg::figure1(&evaluation, lang);
        assert_eq!(
            count_elements(&figure1, "circle"),
            16 + 1,
            "16 projects and the legend"
        );
        let figure2 = svg::figure2(&evaluation, lang);
        assert_eq!(
            count_elements(&figure2, "g"),
            16 + 4,
            "a mark per project, its shape that of its quadrant, and one by each quadrant's name"
        );
        // Two dashed median lines.
        assert_eq!(figure2.matches("stroke-dasharray").count(), 2);
        assert!(figure2.contains("<title id=\"figure2-title\">"));
    }
}

#[test]
fn markup_in_names_is_escaped() {
    let mut evaluation = demo_evaluation();
    evaluation.projects[0].name_en = "<b>&\"bold\"</b>".into();
    let figure = svg::figure2(&evaluation, Lang::En);
    assert!(figure.contains("&lt;b&gt;&amp;&quot;bold&quot;&lt;/b&gt;"));
    count_elements(&figure, "g");
    let html = render_html(&evaluation, &Configuration::defaults().instrument, Lang::En);
    assert!(!html.contains("<b>&"));
}

#[test]
fn every_format_says_the_demo_is_synthetic() {
    let evaluation = demo_evaluation();
    let instrument = Configuration::defaults().instrument;
    assert!(render_html(&evaluation, &instrument, Lang::Zh).contains("合成数据"));
    assert!(render_html(&evaluation, &instrument, Lang::En).contains("Synthetic data"));
    assert!(render_table(&evaluation, Lang::Zh).contains("【合成数据】"));
    assert!(minxin_report::render_json(&evaluation).contains("\"synthetic\": true"));
}

#[test]
fn the_html_report_lists_every_project_and_quadrant() {
    let evaluation = demo_evaluation();
    let html = render_html(&evaluation, &Configuration::defaults().instrument, Lang::En);
    for project in &evaluation.projects {
        assert!(html.contains(&project.name_en), "{}", project.name_en);
    }
    for strategy in ["most urgent to improve", "refine into flagship"] {
        assert!(html.contains(strategy), "{strategy}");
    }
    assert_eq!(html.matches("<tr class=\"notable\">").count(), 2);
}
