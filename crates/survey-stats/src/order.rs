//! Medians and rankings of a handful of scores (projects, districts).

/// The median of `values`: the middle value, or the mean of the two middle values for an even
/// count. `None` for an empty slice. NaN values are not allowed (the caller filters them).
///
/// # Examples
/// ```
/// use minxin_survey_stats::order::median;
/// assert_eq!(median(&[3.0, 1.0, 2.0]), Some(2.0));
/// assert_eq!(median(&[4.0, 1.0, 3.0, 2.0]), Some(2.5));
/// ```
pub fn median(values: &[f64]) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    let middle = sorted.len() / 2;
    if sorted.len() % 2 == 1 {
        Some(sorted[middle])
    } else {
        Some((sorted[middle - 1] + sorted[middle]) / 2.0)
    }
}

/// Competition ranks ("1224") of `values`, highest value first: equal values share the best rank
/// of their group, and the next rank skips the shared places.
///
/// # Examples
/// ```
/// use minxin_survey_stats::order::descending_competition_ranks;
/// assert_eq!(descending_competition_ranks(&[70.0, 80.0, 70.0, 60.0]), vec![2, 1, 2, 4]);
/// ```
pub fn descending_competition_ranks(values: &[f64]) -> Vec<usize> {
    values
        .iter()
        .map(|value| 1 + values.iter().filter(|other| *other > value).count())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn median_of_empty_is_none() {
        assert_eq!(median(&[]), None);
    }

    #[test]
    fn median_of_sixteen_is_mean_of_eighth_and_ninth() {
        let values: Vec<f64> = (1..=16).map(f64::from).collect();
        assert_eq!(median(&values), Some(8.5));
    }

    #[test]
    fn ranks_without_ties() {
        assert_eq!(
            descending_competition_ranks(&[1.0, 3.0, 2.0]),
            vec![3, 1, 2]
        );
    }

    proptest! {
        #[test]
        fn median_splits_the_values(values in prop::collection::vec(-100.0f64..100.0, 1..40)) {
            let m = median(&values).unwrap();
            let below = values.iter().filter(|v| **v < m).count();
            let above = values.iter().filter(|v| **v > m).count();
            prop_assert!(below <= values.len() / 2);
            prop_assert!(above <= values.len() / 2);
        }

        #[test]
        fn ranks_do_not_depend_on_order(mut values in prop::collection::vec(0u8..20, 1..30)) {
            let as_float: Vec<f64> = values.iter().map(|v| f64::from(*v)).collect();
            let ranks = descending_competition_ranks(&as_float);
            let best = values.iter().max().copied().unwrap();
            for (value, rank) in values.iter().zip(&ranks) {
                prop_assert_eq!(*value == best, *rank == 1);
            }
            values.reverse();
            let reversed: Vec<f64> = values.iter().map(|v| f64::from(*v)).collect();
            let mut again = descending_competition_ranks(&reversed);
            again.reverse();
            prop_assert_eq!(again, ranks);
        }
    }
}
