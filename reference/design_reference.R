# Reference values for `minxin stats mean` (crates/cli/tests/stats.rs), computed with R's
# survey package on the California school data (api) that ships with it.
#
# Not run in CI. Rerun by hand after changing the method or the data:
#     apt-get install r-base-core r-cran-survey r-cran-jsonlite
#     Rscript reference/design_reference.R
#
# Writes, under crates/cli/tests/fixtures/design/: apistrat.csv (stratified by school type),
# apiclus1.csv (one-stage cluster sample of districts), and expected.json with svymean and
# svytotal (estimate, SE, and the normal 95% interval of confint) for each case below,
# including designs calibrated with postStratify and rake.
suppressMessages({ library(survey); library(jsonlite) })
args <- commandArgs(trailingOnly = FALSE)
script <- sub("--file=", "", args[grep("--file=", args)])
root <- normalizePath(file.path(dirname(script), ".."))
out <- file.path(root, "crates", "cli", "tests", "fixtures", "design")
dir.create(out, showWarnings = FALSE, recursive = TRUE)

data(api)
columns <- c("cds", "stype", "sch.wide", "dnum", "fpc", "pw", "api00", "enroll", "acs.k3")
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
# Calibrated to the population counts of school type (post-stratified) and of school type and
# sch.wide (raked, to 1e-13 on the margins); their SEs use the calibration residuals.
types <- table(apipop$stype)
wide <- table(apipop$sch.wide)
pop_types <- data.frame(stype = names(types), Freq = as.vector(types))
pop_wide <- data.frame(sch.wide = names(wide), Freq = as.vector(wide))
clus1_post <- postStratify(clus1, ~stype, pop_types)
clus1_raked <- rake(clus1, list(~stype, ~sch.wide), list(pop_types, pop_wide),
                    control = list(maxit = 1000, epsilon = 1e-13, verbose = FALSE))
result <- list(
  stratified = list(estimate(strat, "api00"), estimate(strat, "enroll"), estimate(strat, "acs.k3")),
  stratified_without_fpc = list(estimate(strat_nofpc, "api00")),
  cluster = list(estimate(clus1, "api00")),
  cluster_by_stype = lapply(c("E", "H", "M"), function(d) estimate(clus1, "api00", d)),
  cluster_poststratified = list(estimate(clus1_post, "api00"), estimate(clus1_post, "enroll")),
  cluster_raked = list(estimate(clus1_raked, "api00"), estimate(clus1_raked, "enroll"))
)
writeLines(toJSON(result, auto_unbox = TRUE, digits = NA, pretty = TRUE, null = "null"),
           file.path(out, "expected.json"))
cat("wrote", nrow(apistrat), "and", nrow(apiclus1), "rows\n")
