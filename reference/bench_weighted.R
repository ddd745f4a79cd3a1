# The weighted evaluation with its bootstrap in R's survey package, to time against
# `minxin bench evaluate --replicates 1000` (reference/bench_weighted.py does the same in numpy).
#
# Not run in CI. Usage:
#     minxin bench generate --out bench.csv --respondents 1000000
#     Rscript reference/bench_weighted.R bench.csv 1000
#
# One row per respondent (their answer sums and counts per project and item: 256 columns),
# strata the district x sex cells; weights raked to the 2020 census (survey::rake); Rao-Wu
# replicate weights (as.svrepdesign type "subbootstrap"; respondents x replicates, 8 GB for
# 1,000,000 x 1,000); svytotal of every column with its replicates; then in every replicate the
# item means, indices, median cut points and quadrants. Raking rows instead of respondents
# would count a respondent once per project rated: the weights must be the respondents'.
suppressMessages(library(survey))
args <- commandArgs(trailingOnly = TRUE)
replicates <- if (length(args) > 1) as.integer(args[2]) else 1000L
items <- c("awareness", "relevance", "need_fit", "quality", "value", "satisfaction",
           "trust_delivery", "trust_improvement")
dimension <- c(1, 2, 3, 4, 5, 6, 7, 7)
stamp <- function(t0) as.numeric(Sys.time() - t0, units = "secs")

t0 <- Sys.time()
rows <- read.csv(args[1], colClasses = c(district = "character"))
t_read <- stamp(t0)

t0 <- Sys.time()
respondent <- match(rows$respondent_id, unique(rows$respondent_id))
projects <- sort(unique(rows$project))
project <- match(rows$project, projects)
n <- max(respondent); p <- length(projects)
x <- matrix(0, n, p * 16)
for (k in seq_along(items)) {
  answer <- rows[[items[k]]]
  answered <- !is.na(answer)
  x[cbind(respondent[answered], (project[answered] - 1) * 16 + (k - 1) * 2 + 1)] <- answer[answered] - 1
  x[cbind(respondent[answered], (project[answered] - 1) * 16 + (k - 1) * 2 + 2)] <- 1
}
first <- !duplicated(respondent)
people <- data.frame(district = rows$district[first], gender = rows$gender[first])
people$cell <- paste(people$district, people$gender)
colnames(x) <- paste0("v", seq_len(ncol(x)))
people <- cbind(people, x)
rm(rows, x); invisible(gc())
t_prepare <- stamp(t0)

t0 <- Sys.time()
districts <- c(`310101` = 662030, `310104` = 1113078, `310105` = 693051, `310106` = 975707,
               `310107` = 1239842, `310109` = 757498, `310110` = 1242548, `310112` = 2653489,
               `310113` = 2235218, `310114` = 1834258, `310115` = 5681512, `310116` = 822776,
               `310117` = 1909713, `310118` = 1271424, `310120` = 1140872, `310151` = 637921)
sexes <- c(male = 12875211, female = 11995684) * sum(districts) / (12875211 + 11995684)
design <- svydesign(ids = ~1, strata = ~cell, data = people, weights = ~rep(1, nrow(people)))
design <- rake(design, list(~district, ~gender),
               list(data.frame(district = names(districts), Freq = unname(districts)),
                    data.frame(gender = names(sexes), Freq = unname(sexes))),
               control = list(maxit = 1000, epsilon = 1e-12))
t_weight <- stamp(t0)

t0 <- Sys.time()
set.seed(1)
boot <- as.svrepdesign(design, type = "subbootstrap", replicates = replicates)
formula <- as.formula(paste("~", paste(paste0("v", 1:(p * 16)), collapse = "+")))
totals <- svytotal(formula, boot, return.replicates = TRUE)
reps <- totals$replicates  # replicates x 256
index <- function(t) {  # t: a vector of 256 totals
  m <- matrix(t, nrow = 16)  # rows: item sums/counts, columns: projects
  means <- (m[seq(1, 16, 2), ] / m[seq(2, 16, 2), ]) * 25  # items x projects
  dims <- sapply(1:7, function(d) colMeans(means[dimension == d, , drop = FALSE]))
  list(recognition = rowMeans(dims[, 1:3]), satisfaction = rowMeans(dims[, 4:7]))
}
full <- index(coef(totals))
quadrant <- matrix(0, p, 4, dimnames = list(projects, c("HH", "HL", "LH", "LL")))
for (r in seq_len(nrow(reps))) {
  rep <- index(reps[r, ])
  k <- ifelse(rep$recognition >= median(rep$recognition),
              ifelse(rep$satisfaction >= median(rep$satisfaction), 1, 2),
              ifelse(rep$satisfaction >= median(rep$satisfaction), 3, 4))
  quadrant[cbind(seq_len(p), k)] <- quadrant[cbind(seq_len(p), k)] + 1
}
t_boot <- stamp(t0)
cat(sprintf("respondents %d, read %.1f s, per-respondent sums %.1f s, raking %.1f s, bootstrap (%d) %.1f s, total %.1f s\n",
            n, t_read, t_prepare, t_weight, replicates, t_boot, t_read + t_prepare + t_weight + t_boot))
print(round(cbind(recognition = full$recognition, satisfaction = full$satisfaction, quadrant / replicates), 4))
