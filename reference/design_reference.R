# Reference values for `minxin stats mean` (crates/cli/tests/stats.rs), computed with R's
# survey package on the California school data (api) that ships with it.
#
# Not run in CI. Rerun by hand after changing the method or the data:
#     apt-get install r-base-core r-cran-survey r-cran-jsonlite
#     Rscript reference/design_reference.R
#
# Writes, under crates/cli/tests/fixtures/design/: apistrat.csv (stratified by school type),
# apiclus1.csv (one-stage cluster sample of districts), and expected.json with svymean and
# svytotal (estimate, SE, and the normal 95% interval of confint) for each case below.
suppressMessages({ library(survey); library(jsonlite) })
args <- commandArgs(trailingOnly = FALSE)
script <- sub("--file=", "", args[grep("--file=", args)])
root <- normalizePath(file.path(dirname(script), ".."))
out <- file.path(root, "crates", "cli", "tests", "fixtures", "design")
dir.create(out, showWarnings = FALSE, recursive = TRUE)

data(api)
columns <- c("cds", "stype", "dnum", "fpc", "pw", "api00", "enroll", "acs.k3")
write.csv(apistrat[, columns], file.path(out, "apistrat.csv"), row.names = FALSE, na = "", quote = FALSE)
write.csv(apiclus1[, columns], file.path(out, "apiclus1.csv"), row.names = FALSE, na = "", quote = FALSE)

estimate <- function(design, variable, domain = NULL) {
  formula <- as.formula(paste0("~`", variable, "`"))
  if (!is.null(domain)) design <- subset(design, stype == domain)
  m <- svymean(formula, design, na.rm = TRUE)
  t <- svytotal(formula, design, na.rm = TRUE)
  ci <- confint(m)
  list(var = variable, domain = domain, mean = unname(coef(m)), se_mean = as.numeric(SE(m)),
       total = unname(coef(t)), se_total = as.numeric(SE(t)), ci_low = ci[1], ci_high = ci[2])
}
strat <- svydesign(ids = ~1, strata = ~stype, weights = ~pw, fpc = ~fpc, data = apistrat)
strat_nofpc <- svydesign(ids = ~1, strata = ~stype, weights = ~pw, data = apistrat)
clus1 <- svydesign(ids = ~dnum, weights = ~pw, fpc = ~fpc, data = apiclus1)
result <- list(
  stratified = list(estimate(strat, "api00"), estimate(strat, "enroll"), estimate(strat, "acs.k3")),
  stratified_without_fpc = list(estimate(strat_nofpc, "api00")),
  cluster = list(estimate(clus1, "api00")),
  cluster_by_stype = lapply(c("E", "H", "M"), function(d) estimate(clus1, "api00", d))
)
writeLines(toJSON(result, auto_unbox = TRUE, digits = NA, pretty = TRUE, null = "null"),
           file.path(out, "expected.json"))
cat("wrote", nrow(apistrat), "and", nrow(apiclus1), "rows\n")
