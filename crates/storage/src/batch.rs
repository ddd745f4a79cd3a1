//! Planning a batch of submissions in memory: what each one does (create, replace, nothing)
//! and which rows must be written, so that a batch costs one read and one write statement per
//! chunk of rows instead of two statements per submission.

use std::collections::HashMap;

use minxin_domain::platform::{StoredResponse, SubmitOutcome};

use crate::ports::waves::same_request;

/// Rows per multi-row statement: 11 parameters a row stays under SQLite's and PostgreSQL's
/// parameter limits (32,766 and 65,535).
pub(crate) const ROWS_PER_STATEMENT: usize = 1_000;

/// The outcome of every submission, in order, and the rows to write: indices into the
/// incoming batch, one per respondent (their last submission in the batch).
pub(crate) struct BatchPlan {
    pub(crate) outcomes: Vec<SubmitOutcome>,
    pub(crate) writes: Vec<usize>,
}

/// Where a respondent's current response is while a batch is planned.
#[derive(Clone, Copy)]
enum Current {
    Stored(usize),
    Incoming(usize),
}

/// Plans `incoming` against the respondents' current responses `earlier`.
pub(crate) fn plan(earlier: &[StoredResponse], incoming: &[StoredResponse]) -> BatchPlan {
    let mut current: HashMap<&[u8], Current> = earlier
        .iter()
        .enumerate()
        .map(|(i, r)| (r.respondent_key.as_slice(), Current::Stored(i)))
        .collect();
    let mut last_write: HashMap<&[u8], usize> = HashMap::new();
    let mut outcomes = Vec::with_capacity(incoming.len());
    for (index, response) in incoming.iter().enumerate() {
        let key = response.respondent_key.as_slice();
        let previous = current.get(key).map(|c| match *c {
            Current::Stored(i) => &earlier[i],
            Current::Incoming(i) => &incoming[i],
        });
        let outcome = match previous {
            Some(previous) if same_request(previous, response) => {
                outcomes.push(SubmitOutcome::AlreadyStored);
                continue;
            }
            Some(previous) => SubmitOutcome::Replaced(Box::new(previous.clone())),
            None => SubmitOutcome::Created,
        };
        outcomes.push(outcome);
        current.insert(key, Current::Incoming(index));
        last_write.insert(key, index);
    }
    let mut writes: Vec<usize> = last_write.into_values().collect();
    writes.sort_unstable();
    BatchPlan { outcomes, writes }
}
