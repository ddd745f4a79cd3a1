//! The sufficient statistics of a wave: everything the evaluation needs, as exact counts.
//!
//! A file evaluation fills them row by row; the platform keeps them up to date as responses
//! arrive and are replaced (every count can be decremented), so a dashboard never re-reads
//! the responses. Two tallies of disjoint responses merge by addition.

use minxin_survey_stats::{pair_count, pair_position, IntegerMoments, PairSums};

use super::parse::ItemPlan;
use super::registry::CompactProfile;
use crate::config::{Configuration, Index};

/// Whether a contribution is added or taken back.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    /// A new response.
    Add,
    /// A response replaced or withdrawn.
    Remove,
}

/// Ages are counted in single years from 0 to this; 0 means "not stated".
pub const OLDEST_AGE: usize = 120;

/// Respondents per category of each profile variable; index 0 is "not stated" and index
/// `k + 1` the code at position `k` of its list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProfileTallies {
    /// By district.
    pub district: Vec<u64>,
    /// By gender.
    pub gender: Vec<u64>,
    /// By education.
    pub education: Vec<u64>,
    /// By occupation.
    pub occupation: Vec<u64>,
    /// By channel.
    pub channel: Vec<u64>,
    /// By age in years (index 0: not stated).
    pub age: Vec<u64>,
}

/// The sufficient statistics of one wave.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WaveTallies {
    /// Projects in the catalogue.
    pub projects: usize,
    /// Items in the instrument.
    pub items: usize,
    /// Levels of the answer scale.
    pub levels: usize,
    /// `answer_counts[(project * items + item) * levels + answer - 1]`.
    pub answer_counts: Vec<u64>,
    /// Ratings (rows) per project.
    pub project_rows: Vec<u64>,
    /// Ratings with at least one answered item per project: the project's respondents.
    pub project_respondents: Vec<u64>,
    /// Respondent-level recognition–satisfaction gap per project, in integer units (see
    /// `ItemPlan::gap_unit`).
    pub gaps: Vec<IntegerMoments>,
    /// Per project, sums over the respondents who answered both items of each pair of items
    /// (answer offsets `answer − 1`), `pair_sums[project * pairs + pair_position(..)]`: what
    /// the standard error of an index needs, because one respondent answers several items.
    pub pair_sums: Vec<PairSums>,
    /// Districts counted, including "not stated" at position 0.
    pub districts: usize,
    /// Answers by district as `answer_counts` is by project:
    /// `district_answer_counts[((district * projects + project) * items + item) * levels + answer - 1]`.
    pub district_answer_counts: Vec<u64>,
    /// Respondents who answered at least one item, by district and project
    /// (`district * projects + project`).
    pub district_project_respondents: Vec<u64>,
    /// Who answered.
    pub profile: ProfileTallies,
    /// Ratings by their own index scores, for the pooled-median cut points: per index
    /// (recognition, satisfaction) and project, how many ratings answered `c` of the index's
    /// items with answer offsets summing to `s` (a rating's score is the mean of its answered
    /// items, as in the gap). See [`RatingScores`].
    pub rating_scores: [RatingScores; 2],
}

/// Ratings of each project by (items answered, sum of answer offsets) on one index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RatingScores {
    /// Items of the index.
    pub items: usize,
    /// Slots per project: one per (c, s), c in 1..=items, s in 0..=c(levels − 1).
    pub slots: usize,
    /// Highest answer offset (levels − 1).
    pub top: usize,
    /// `counts[project * slots + slot(c, s)]`.
    pub counts: Vec<u64>,
}

impl RatingScores {
    fn new(items: usize, levels: usize, projects: usize) -> RatingScores {
        let top = levels.saturating_sub(1);
        let slots = (1..=items).map(|c| c * top + 1).sum();
        RatingScores {
            items,
            slots,
            top,
            counts: vec![0; projects * slots],
        }
    }

    /// The slot of `answered` items whose offsets sum to `sum`.
    fn slot(&self, answered: usize, sum: usize) -> usize {
        let before = answered - 1;
        before + self.top * before * answered / 2 + sum
    }

    /// The median, on 0–100, of the scores of every rating of `projects` that answered one of
    /// the index's items (the mean of the two middle ones for an even count); `None` without
    /// such a rating.
    pub fn pooled_median(&self, projects: &[usize]) -> Option<f64> {
        let mut values: Vec<(f64, u64)> = Vec::new();
        for answered in 1..=self.items {
            for sum in 0..=answered * self.top {
                let slot = self.slot(answered, sum);
                let count: u64 = projects
                    .iter()
                    .map(|p| self.counts[p * self.slots + slot])
                    .sum();
                if count > 0 {
                    let score = 100.0 * sum as f64 / (answered * self.top) as f64;
                    values.push((score, count));
                }
            }
        }
        let total: u64 = values.iter().map(|(_, count)| count).sum();
        if total == 0 {
            return None;
        }
        values.sort_by(|a, b| a.0.total_cmp(&b.0));
        // The values at 1-based positions ⌈total/2⌉ and ⌊total/2⌋ + 1.
        let at = |position: u64| {
            let mut seen = 0;
            values
                .iter()
                .find(|(_, count)| {
                    seen += count;
                    seen >= position
                })
                .map(|(score, _)| *score)
                .expect("position within the total")
        };
        Some((at(total.div_ceil(2)) + at(total / 2 + 1)) / 2.0)
    }

    fn record(&mut self, project: usize, answered: usize, sum: usize, change: Change) {
        if answered > 0 {
            let slot = project * self.slots + self.slot(answered, sum);
            apply(&mut self.counts[slot], change);
        }
    }
}

fn apply(count: &mut u64, change: Change) {
    match change {
        Change::Add => *count += 1,
        Change::Remove => *count -= 1,
    }
}

impl WaveTallies {
    /// Empty tallies for `configuration`.
    pub fn new(configuration: &Configuration) -> Self {
        let projects = configuration.catalogue.projects.len();
        let items = configuration.instrument.items().len();
        let levels = configuration.instrument.scale.levels as usize;
        let codes = &configuration.profile;
        Self {
            projects,
            items,
            levels,
            answer_counts: vec![0; projects * items * levels],
            project_rows: vec![0; projects],
            project_respondents: vec![0; projects],
            gaps: vec![IntegerMoments::default(); projects],
            pair_sums: vec![PairSums::default(); projects * pair_count(items)],
            districts: configuration.districts.len() + 1,
            district_answer_counts: vec![
                0;
                (configuration.districts.len() + 1)
                    * projects
                    * items
                    * levels
            ],
            district_project_respondents: vec![0; (configuration.districts.len() + 1) * projects],
            profile: ProfileTallies {
                district: vec![0; configuration.districts.len() + 1],
                gender: vec![0; codes.genders.len() + 1],
                education: vec![0; codes.educations.len() + 1],
                occupation: vec![0; codes.occupations.len() + 1],
                channel: vec![0; codes.channels.len() + 1],
                age: vec![0; OLDEST_AGE + 1],
            },
            rating_scores: Index::ALL.map(|index| {
                let items = configuration
                    .instrument
                    .items()
                    .iter()
                    .filter(|item| item.index == index)
                    .count();
                RatingScores::new(items, levels, projects)
            }),
        }
    }

    /// Adds or takes back one respondent's rating of `project`; `answers` in item order,
    /// `None` for "don't know"; `district` as in [`ProfileTallies::district`].
    pub(crate) fn rating(
        &mut self,
        plan: &ItemPlan,
        district: usize,
        project: usize,
        answers: &[Option<u8>],
        change: Change,
    ) {
        let (items, levels) = (self.items, self.levels);
        let base = project * items * levels;
        let district_base = (district * self.projects + project) * items * levels;
        let mut answered = 0usize;
        let mut recognition = (0i64, 0usize);
        let mut satisfaction = (0i64, 0usize);
        for (item, answer) in answers[..items].iter().enumerate() {
            let Some(answer) = answer else { continue };
            answered += 1;
            let offset = usize::from(*answer - 1);
            apply(
                &mut self.answer_counts[base + item * levels + offset],
                change,
            );
            apply(
                &mut self.district_answer_counts[district_base + item * levels + offset],
                change,
            );
            let sums = match plan.index_of(item) {
                Index::Recognition => &mut recognition,
                Index::Satisfaction => &mut satisfaction,
            };
            sums.0 += offset as i64;
            sums.1 += 1;
        }
        apply(&mut self.project_rows[project], change);
        if answered > 0 {
            apply(&mut self.project_respondents[project], change);
            apply(
                &mut self.district_project_respondents[district * self.projects + project],
                change,
            );
        }
        self.pairs(project, &answers[..items], change);
        for (scores, (sum, answered)) in self
            .rating_scores
            .iter_mut()
            .zip([recognition, satisfaction])
        {
            scores.record(project, answered, sum as usize, change);
        }
        if recognition.1 > 0 && satisfaction.1 > 0 {
            let gap = recognition.0 * plan.gap_multiplier(recognition.1)
                - satisfaction.0 * plan.gap_multiplier(satisfaction.1);
            match change {
                Change::Add => self.gaps[project].add(gap),
                Change::Remove => self.gaps[project].remove(gap),
            }
        }
    }

    /// Adds or takes back the products of every pair of answered items of one rating.
    fn pairs(&mut self, project: usize, answers: &[Option<u8>], change: Change) {
        let items = answers.len();
        let pairs = &mut self.pair_sums[project * pair_count(items)..][..pair_count(items)];
        for (first, answer) in answers.iter().enumerate() {
            let Some(x) = answer else { continue };
            let x = i64::from(*x) - 1;
            for (second, other) in answers.iter().enumerate().skip(first + 1) {
                let Some(y) = other else { continue };
                let y = i64::from(*y) - 1;
                let sums = &mut pairs[pair_position(items, first, second)];
                match change {
                    Change::Add => sums.add(x, y),
                    Change::Remove => sums.remove(x, y),
                }
            }
        }
    }

    /// Adds or takes back one respondent's profile.
    pub(crate) fn respondent(&mut self, profile: &CompactProfile, change: Change) {
        let tallies = &mut self.profile;
        apply(&mut tallies.district[usize::from(profile.district)], change);
        apply(&mut tallies.gender[usize::from(profile.gender)], change);
        apply(
            &mut tallies.education[usize::from(profile.education)],
            change,
        );
        apply(
            &mut tallies.occupation[usize::from(profile.occupation)],
            change,
        );
        apply(&mut tallies.channel[usize::from(profile.channel)], change);
        apply(&mut tallies.age[usize::from(profile.age)], change);
    }

    /// Adds the tallies of other, disjoint responses of the same wave.
    pub fn merge(&mut self, other: &WaveTallies) {
        let add = |mine: &mut [u64], theirs: &[u64]| {
            mine.iter_mut().zip(theirs).for_each(|(a, b)| *a += b)
        };
        add(&mut self.answer_counts, &other.answer_counts);
        add(&mut self.project_rows, &other.project_rows);
        add(&mut self.project_respondents, &other.project_respondents);
        self.gaps
            .iter_mut()
            .zip(&other.gaps)
            .for_each(|(a, b)| a.merge(b));
        self.pair_sums
            .iter_mut()
            .zip(&other.pair_sums)
            .for_each(|(a, b)| a.merge(b));
        add(
            &mut self.district_answer_counts,
            &other.district_answer_counts,
        );
        add(
            &mut self.district_project_respondents,
            &other.district_project_respondents,
        );
        let (mine, theirs) = (&mut self.profile, &other.profile);
        add(&mut mine.district, &theirs.district);
        add(&mut mine.gender, &theirs.gender);
        add(&mut mine.education, &theirs.education);
        add(&mut mine.occupation, &theirs.occupation);
        add(&mut mine.channel, &theirs.channel);
        add(&mut mine.age, &theirs.age);
        for (mine, theirs) in self.rating_scores.iter_mut().zip(&other.rating_scores) {
            add(&mut mine.counts, &theirs.counts);
        }
    }

    /// Distinct respondents counted.
    pub fn respondents(&self) -> u64 {
        self.profile.district.iter().sum()
    }
}
