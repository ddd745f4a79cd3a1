# Reference values for the standard errors and intervals of the two indices
# (crates/cli/tests/reference.rs), computed with R's survey package from the response file
# that evaluation_reference.py writes.
#
# Not run in CI. Rerun by hand after changing the formulas or the data:
#     apt-get install r-base-core r-cran-survey r-cran-jsonlite
#     Rscript reference/index_se_reference.R
#
# Each item mean is a ratio of totals (sum of the scores of those who answered / number who
# answered), so "don't know" is missing, not zero. An index is the mean of its dimensions'
# scores, each the mean of its items' means: a smooth function of totals, whose standard
# error svycontrast() gets by the delta method (linearisation) under simple random sampling of
# the project's respondents (ids = ~1, no finite population correction). The interval is
# Student's t on n - 1 degrees of freedom, as the evaluation's item intervals.
suppressMessages({ library(survey); library(jsonlite) })
args <- commandArgs(trailingOnly = FALSE)
script <- sub("--file=", "", args[grep("--file=", args)])
root <- normalizePath(file.path(dirname(script), ".."))
fixtures <- file.path(root, "crates", "cli", "tests", "fixtures")
rows <- read.csv(file.path(fixtures, "reference-responses.csv"), colClasses = "character")

items <- c("awareness", "relevance", "need_fit", "quality", "value", "satisfaction",
           "trust_delivery", "trust_improvement")
dimension <- c("awareness", "relevance", "need_fit", "quality", "value", "satisfaction",
               "trust", "trust")
index <- c(rep("recognition", 3), rep("satisfaction", 5))

index_expression <- function(name, present) {
  dims <- unique(dimension[index == name & present])
  parts <- sapply(dims, function(d) {
    ks <- which(dimension == d & present)
    ratios <- sprintf("y_%s / a_%s", items[ks], items[ks])
    sprintf("(%s) / %d", paste(ratios, collapse = " + "), length(ks))
  })
  parse(text = sprintf("(%s) / %d", paste(parts, collapse = " + "), length(dims)))[[1]]
}

result <- list()
for (project in sort(unique(rows$project))) {
  mine <- rows[rows$project == project, ]
  answered <- rowSums(mine[, items] != "") > 0
  mine <- mine[answered, ]
  data <- data.frame(row.names = seq_len(nrow(mine)))
  for (item in items) {
    value <- suppressWarnings(as.numeric(mine[[item]]))
    data[[paste0("a_", item)]] <- as.numeric(!is.na(value))
    data[[paste0("y_", item)]] <- ifelse(is.na(value), 0, (value - 1) * 25)
  }
  present <- sapply(items, function(item) sum(data[[paste0("a_", item)]]) > 0)
  design <- svydesign(ids = ~1, data = data)
  totals <- svytotal(as.formula(paste("~", paste(names(data), collapse = " + "))), design)
  n <- nrow(data)
  entry <- list(n = n)
  for (name in c("recognition", "satisfaction")) {
    estimate <- svycontrast(totals, index_expression(name, present))
    value <- as.numeric(coef(estimate))
    se <- as.numeric(SE(estimate))
    t <- qt(0.975, n - 1)
    entry[[name]] <- list(value = value, se = se, ci_low = value - t * se, ci_high = value + t * se)
  }
  result[[project]] <- entry
}
writeLines(toJSON(result, auto_unbox = TRUE, digits = NA, pretty = TRUE),
           file.path(fixtures, "reference-index-intervals.json"))
cat("wrote", length(result), "projects\n")
