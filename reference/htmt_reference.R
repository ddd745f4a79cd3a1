# Reference values for the HTMT ratios of `minxin stats pls` (crates/cli/tests/stats.rs),
# computed with R's semTools on lavaan's PoliticalDemocracy data, with the blocks of
# crates/cli/tests/fixtures/pls/model.toml.
#
# Not run in CI. Rerun by hand:
#     apt-get install r-base-core r-cran-semtools r-cran-lavaan r-cran-jsonlite
#     Rscript reference/htmt_reference.R
#
# htmt2 = FALSE: the ratio of Henseler, Ringle and Sarstedt (2015), with arithmetic means of
# absolute correlations (semTools' default, htmt2 = TRUE, uses geometric means).
suppressMessages({ library(semTools); library(lavaan); library(jsonlite) })
args <- commandArgs(trailingOnly = FALSE)
script <- sub("--file=", "", args[grep("--file=", args)])
root <- normalizePath(file.path(dirname(script), ".."))
out <- file.path(root, "crates", "cli", "tests", "fixtures", "pls", "htmt.json")
model <- "ind60 =~ x1 + x2 + x3
          dem60 =~ y1 + y2 + y3 + y4
          dem65 =~ y5 + y6 + y7 + y8"
ratios <- unclass(htmt(model, data = PoliticalDemocracy, htmt2 = FALSE))
pairs <- list(c("ind60", "dem60"), c("ind60", "dem65"), c("dem60", "dem65"))
result <- lapply(pairs, function(p) list(a = p[1], b = p[2], htmt = ratios[p[2], p[1]]))
writeLines(toJSON(result, auto_unbox = TRUE, digits = NA, pretty = TRUE), out)
cat("wrote", length(result), "ratios\n")
