# Reference values for `minxin stats alpha` (crates/cli/tests/stats.rs), computed with R's psych
# package on its bfi data (2,800 people, 25 personality items, with missing answers).
#
# Not run in CI. Rerun by hand after changing the method or the data:
#     apt-get install r-base-core r-cran-psych r-cran-jsonlite
#     Rscript reference/alpha_reference.R
#
# Writes, under crates/cli/tests/fixtures/alpha/: bfi.csv (the five agreeableness and five
# conscientiousness items; an empty field is a missing answer) and expected.json: psych::alpha
# of the conscientiousness items with C4 and C5 reversed, with pairwise (psych's default) and
# listwise handling of missing answers, and of the agreeableness items with A1 reversed.
suppressMessages({ library(psych); library(jsonlite) })
args <- commandArgs(trailingOnly = FALSE)
script <- sub("--file=", "", args[grep("--file=", args)])
root <- normalizePath(file.path(dirname(script), ".."))
out <- file.path(root, "crates", "cli", "tests", "fixtures", "alpha")
dir.create(out, showWarnings = FALSE, recursive = TRUE)

items <- bfi[, c(paste0("A", 1:5), paste0("C", 1:5))]
write.csv(items, file.path(out, "bfi.csv"), row.names = FALSE, na = "", quote = FALSE)

summarise <- function(result) {
  list(
    raw_alpha = result$total$raw_alpha,
    std_alpha = result$total$std.alpha,
    average_r = result$total$average_r,
    items = lapply(rownames(result$alpha.drop), function(item) list(
      item = sub("-$", "", item),
      r_drop = result$item.stats[item, "r.drop"],
      alpha_if_dropped = result$alpha.drop[item, "raw_alpha"]
    ))
  )
}
conscientiousness <- items[, paste0("C", 1:5)]
keys <- c(1, 1, 1, -1, -1)
result <- list(
  conscientiousness_pairwise = summarise(alpha(conscientiousness, keys = keys, use = "pairwise")),
  conscientiousness_listwise = summarise(alpha(na.omit(conscientiousness), keys = keys)),
  agreeableness_pairwise = summarise(alpha(items[, paste0("A", 1:5)], keys = c(-1, 1, 1, 1, 1)))
)
writeLines(toJSON(result, auto_unbox = TRUE, digits = NA, pretty = TRUE),
           file.path(out, "expected.json"))
cat("wrote", nrow(items), "rows\n")
