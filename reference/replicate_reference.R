# Reference values for `minxin stats mean --replicate` (crates/cli/tests/stats.rs), computed
# with R's survey package on the California school data (api) that ships with it.
#
# Not run in CI. Rerun by hand after changing the method or the data:
#     apt-get install r-base-core r-cran-survey r-cran-jsonlite
#     Rscript reference/replicate_reference.R
#
# Reads the fixtures that reference/design_reference.R wrote (apistrat.csv, apiclus1.csv) and
# writes crates/cli/tests/fixtures/replicate/expected.json:
# - jackknife: svymean / svytotal over as.svrepdesign(type = "JKn"), deterministic, so the test
#   compares at 1e-8 relative;
# - bootstrap: the same over type = "subbootstrap" (Rao–Wu, n_h - 1 PSUs drawn per stratum)
#   with 20,000 replicates. R's draws differ from ours, so the test allows the Monte Carlo
#   error of a bootstrap SE (about 1/sqrt(2R) relative, checked at 5 %).
suppressMessages({ library(survey); library(jsonlite) })
args <- commandArgs(trailingOnly = FALSE)
script <- sub("--file=", "", args[grep("--file=", args)])
root <- normalizePath(file.path(dirname(script), ".."))
fixtures <- file.path(root, "crates", "cli", "tests", "fixtures")
apistrat <- read.csv(file.path(fixtures, "design", "apistrat.csv"), colClasses = c(cds = "character"))
apiclus1 <- read.csv(file.path(fixtures, "design", "apiclus1.csv"), colClasses = c(cds = "character"))

estimate <- function(design, variable, domain = NULL) {
  formula <- as.formula(paste0("~`", variable, "`"))
  if (!is.null(domain)) design <- subset(design, stype == domain)
  m <- svymean(formula, design, na.rm = TRUE)
  t <- svytotal(formula, design, na.rm = TRUE)
  list(var = variable, domain = domain, mean = unname(coef(m)), se_mean = as.numeric(SE(m)),
       total = unname(coef(t)), se_total = as.numeric(SE(t)))
}
strat <- svydesign(ids = ~1, strata = ~stype, weights = ~pw, data = apistrat)
clus1 <- svydesign(ids = ~dnum, weights = ~pw, data = apiclus1)
set.seed(20261125)
result <- list(
  jackknife_stratified = list(
    estimate(as.svrepdesign(strat, type = "JKn"), "api00"),
    estimate(as.svrepdesign(strat, type = "JKn"), "acs.k3")),
  jackknife_cluster = list(estimate(as.svrepdesign(clus1, type = "JK1"), "api00")),
  jackknife_cluster_by_stype = lapply(c("E", "H", "M"), function(d)
    estimate(as.svrepdesign(clus1, type = "JK1"), "api00", d)),
  bootstrap_stratified = list(
    estimate(as.svrepdesign(strat, type = "subbootstrap", replicates = 20000), "api00")),
  bootstrap_cluster = list(
    estimate(as.svrepdesign(clus1, type = "subbootstrap", replicates = 20000), "api00"))
)
write(toJSON(result, auto_unbox = TRUE, digits = NA, pretty = TRUE),
      file.path(fixtures, "replicate", "expected.json"))
