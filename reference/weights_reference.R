# Reference values for `minxin stats weights` (crates/cli/tests/stats.rs), computed with R's
# survey package on the California school data (api) that ships with it.
#
# Not run in CI. Rerun by hand after changing the method or the data:
#     apt-get install r-base-core r-cran-survey r-cran-jsonlite
#     Rscript reference/weights_reference.R
#
# Writes, under crates/cli/tests/fixtures/weights/:
# - apiclus1.csv: the one-stage cluster sample (183 schools) with its sampling weight `pw`;
# - margins.toml: population counts of school type and of sch.wide (from apipop);
# - expected.json: raked weights (stype x sch.wide margins, from pw), post-stratified weights
#   (stype), raked weights trimmed to [28, 45] (trimWeights, strict), and the Kish design
#   effect and effective sample size of each.
suppressMessages({ library(survey); library(jsonlite) })
args <- commandArgs(trailingOnly = FALSE)
script <- sub("--file=", "", args[grep("--file=", args)])
root <- normalizePath(file.path(dirname(script), ".."))
out <- file.path(root, "crates", "cli", "tests", "fixtures", "weights")
dir.create(out, showWarnings = FALSE, recursive = TRUE)

data(api)
sample <- apiclus1[, c("cds", "dnum", "stype", "sch.wide", "api00", "pw")]
write.csv(sample, file.path(out, "apiclus1.csv"), row.names = FALSE, quote = FALSE)
types <- table(apipop$stype)
wide <- table(apipop$sch.wide)
margins <- c("[margins.stype]", sprintf("%s = %d", names(types), as.integer(types)),
             "[margins.\"sch.wide\"]", sprintf("%s = %d", names(wide), as.integer(wide)))
writeLines(margins, file.path(out, "margins.toml"))

design <- svydesign(ids = ~dnum, weights = ~pw, data = apiclus1)
pop_types <- data.frame(stype = names(types), Freq = as.vector(types))
pop_wide <- data.frame(sch.wide = names(wide), Freq = as.vector(wide))
# Iterate until the margins match to 1e-13 (relative), far past survey's default of 1 unit.
raked <- rake(design, list(~stype, ~sch.wide), list(pop_types, pop_wide),
              control = list(maxit = 1000, epsilon = 1e-13, verbose = FALSE))
post <- postStratify(design, ~stype, pop_types)
# Trimmed after raking to [28, 45], repeating until every weight is inside (strict).
trimmed <- trimWeights(raked, upper = 45, lower = 28, strict = TRUE)

kish <- function(w) {
  list(design_effect = length(w) * sum(w^2) / sum(w)^2, effective_n = sum(w)^2 / sum(w^2))
}
result <- list(
  rake = c(list(weights = as.vector(weights(raked))), kish(weights(raked))),
  poststratify = c(list(weights = as.vector(weights(post))), kish(weights(post))),
  rake_trimmed = c(list(weights = as.vector(weights(trimmed))), kish(weights(trimmed)))
)
writeLines(toJSON(result, auto_unbox = TRUE, digits = NA, pretty = TRUE),
           file.path(out, "expected.json"))
cat("wrote", nrow(sample), "rows\n")
