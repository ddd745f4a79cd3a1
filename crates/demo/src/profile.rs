//! The demo sample's profile: exactly the published counts, shuffled onto respondents.

use rand::seq::SliceRandom;
use rand::Rng;

use crate::normal::standard_normal;

/// Number of respondents, as published.
pub const RESPONDENTS: usize = 600;

/// Respondents per district (code, count). Published: Xuhui the most (61), Chongming the
/// fewest (14); the other counts are not published and were chosen to sum to 600.
pub const DISTRICT_COUNTS: [(&str, usize); 16] = [
    ("310101", 30), // Huangpu
    ("310104", 61), // Xuhui (published)
    ("310105", 35), // Changning
    ("310106", 38), // Jing'an
    ("310107", 40), // Putuo
    ("310109", 32), // Hongkou
    ("310110", 48), // Yangpu
    ("310112", 55), // Minhang
    ("310113", 45), // Baoshan
    ("310114", 33), // Jiading
    ("310115", 60), // Pudong
    ("310116", 20), // Jinshan
    ("310117", 42), // Songjiang
    ("310118", 25), // Qingpu
    ("310120", 22), // Fengxian
    ("310151", 14), // Chongming (published)
];

/// Respondents by gender: 252 men (42%) and 348 women (58%), as published.
pub const GENDER_COUNTS: [(&str, usize); 2] = [("male", 252), ("female", 348)];

/// By education; 351 with a bachelor's degree is published, the rest chosen.
pub const EDUCATION_COUNTS: [(&str, usize); 5] = [
    ("junior_high", 8),
    ("senior_high", 40),
    ("junior_college", 105),
    ("bachelor", 351),
    ("postgraduate", 96),
];

/// By occupation; 337 office staff is published, the rest chosen.
pub const OCCUPATION_COUNTS: [(&str, usize); 10] = [
    ("office_staff", 337),
    ("civil_servant", 38),
    ("professional", 85),
    ("manager", 25),
    ("worker", 30),
    ("self_employed", 25),
    ("student", 40),
    ("retired", 8),
    ("unemployed", 7),
    ("other", 5),
];

/// Youngest and oldest age, as published.
pub const AGE_RANGE: (u8, u8) = (19, 60);
/// Sum of ages giving the published mean of 34.5.
pub const AGE_TOTAL: u32 = 20_700;

/// One demo respondent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoRespondent {
    /// `SYN-0001` ...
    pub id: String,
    /// District code.
    pub district: &'static str,
    /// Gender code.
    pub gender: &'static str,
    /// Age in years.
    pub age: u8,
    /// Education code.
    pub education: &'static str,
    /// Occupation code.
    pub occupation: &'static str,
}

fn shuffled_codes<R: Rng>(counts: &[(&'static str, usize)], rng: &mut R) -> Vec<&'static str> {
    let mut codes: Vec<&'static str> = counts
        .iter()
        .flat_map(|(code, count)| std::iter::repeat_n(*code, *count))
        .collect();
    assert_eq!(
        codes.len(),
        RESPONDENTS,
        "profile counts must sum to {RESPONDENTS}"
    );
    codes.shuffle(rng);
    codes
}

/// Ages with the published minimum, maximum and mean, in random order.
fn draw_ages<R: Rng>(rng: &mut R) -> Vec<u8> {
    let (youngest, oldest) = AGE_RANGE;
    let mut ages: Vec<u8> = (0..RESPONDENTS)
        .map(|_| {
            (34.5 + 9.0 * standard_normal(rng))
                .round()
                .clamp(f64::from(youngest), f64::from(oldest)) as u8
        })
        .collect();
    // Anchor the extremes on the first two respondents (the order is shuffled below).
    ages[0] = youngest;
    ages[1] = oldest;
    let mut total: u32 = ages.iter().map(|a| u32::from(*a)).sum();
    while total != AGE_TOTAL {
        let k = rng.random_range(2..RESPONDENTS);
        if total < AGE_TOTAL && ages[k] < oldest {
            ages[k] += 1;
            total += 1;
        } else if total > AGE_TOTAL && ages[k] > youngest {
            ages[k] -= 1;
            total -= 1;
        }
    }
    ages.shuffle(rng);
    ages
}

/// Draws the 600 respondents.
pub fn draw_profiles<R: Rng>(rng: &mut R) -> Vec<DemoRespondent> {
    let districts = shuffled_codes(&DISTRICT_COUNTS, rng);
    let genders = shuffled_codes(&GENDER_COUNTS, rng);
    let educations = shuffled_codes(&EDUCATION_COUNTS, rng);
    let occupations = shuffled_codes(&OCCUPATION_COUNTS, rng);
    let ages = draw_ages(rng);
    (0..RESPONDENTS)
        .map(|i| DemoRespondent {
            id: format!("SYN-{:04}", i + 1),
            district: districts[i],
            gender: genders[i],
            age: ages[i],
            education: educations[i],
            occupation: occupations[i],
        })
        .collect()
}
