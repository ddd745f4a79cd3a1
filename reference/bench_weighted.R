# The weighted evaluation with its bootstrap in R's survey package, to time against
# `minxin bench evaluate --replicates 1000` (reference/bench_weighted.py does the same in numpy).
#
# Not run in CI. Usage:
#     minxin bench generate --out bench10k.csv --respondents 10000
#     Rscript reference/bench_weighted.R bench10k.csv 1000
#
# Rows (respondent x project) are the observations, respondents the clusters, district x sex
# cells the strata; weights raked to the 2020 census margins (survey::rake); replicate weights
# by the Rao-Wu bootstrap (as.svrepdesign type "subbootstrap"); every item mean per project
# with its replicates (svyby ... return.replicates), then in each replicate the indices, the
# median cut points, quadrants and ranks. The replicate weights are a rows x replicates matrix,
# so memory grows with both: 1,000,000 respondents would need about 80 GB.
suppressMessages(library(survey))
args <- commandArgs(trailingOnly = TRUE)
replicates <- if (length(args) > 1) as.integer(args[2]) else 1000L
items <- c("awareness", "relevance", "need_fit", "quality", "value", "satisfaction",
           "trust_delivery", "trust_improvement")
dimension <- c(1, 2, 3, 4, 5, 6, 7, 7)
t0 <- Sys.time()
rows <- read.csv(args[1], colClasses = c(district = "character"))
t_read <- as.numeric(Sys.time() - t0, units = "secs")

t0 <- Sys.time()
districts <- c(`310101` = 662030, `310104` = 1113078, `310105` = 693051, `310106` = 975707,
               `310107` = 1239842, `310109` = 757498, `310110` = 1242548, `310112` = 2653489,
               `310113` = 2235218, `310114` = 1834258, `310115` = 5681512, `310116` = 822776,
               `310117` = 1909713, `310118` = 1271424, `310120` = 1140872, `310151` = 637921)
sexes <- c(male = 12875211, female = 11995684) * sum(districts) / (12875211 + 11995684)
rows$cell <- paste(rows$district, rows$gender)
design <- svydesign(ids = ~respondent_id, strata = ~cell, data = rows, weights = ~1)
design <- rake(design, list(~district, ~gender),
               list(data.frame(district = names(districts), Freq = unname(districts)),
                    data.frame(gender = names(sexes), Freq = unname(sexes))),
               control = list(maxit = 1000, epsilon = 1e-12))
t_weight <- as.numeric(Sys.time() - t0, units = "secs")

t0 <- Sys.time()
set.seed(1)
boot <- as.svrepdesign(design, type = "subbootstrap", replicates = replicates)
means <- list()
replicate_means <- list()
for (item in items) {
  formula <- as.formula(paste0("~", item))
  by <- svyby(formula, ~project, boot, svymean, na.rm = TRUE, return.replicates = TRUE)
  means[[item]] <- coef(by)
  replicate_means[[item]] <- attr(by, "replicates")  # replicates x projects
}
# Indices from item means: get(item) gives the item's mean per project (a vector).
index <- function(get) {
  dims <- lapply(1:7, function(d) {
    members <- items[dimension == d]
    Reduce(`+`, lapply(members, get)) / length(members)
  })
  list(recognition = Reduce(`+`, dims[1:3]) / 3, satisfaction = Reduce(`+`, dims[4:7]) / 4)
}
projects <- names(means[[1]])
full <- index(function(i) (means[[i]] - 1) * 25)
quadrant <- matrix(0, length(projects), 4, dimnames = list(projects, c("HH", "HL", "LH", "LL")))
for (r in seq_len(replicates)) {
  rep <- index(function(i) (replicate_means[[i]][r, ] - 1) * 25)
  high_r <- rep$recognition >= median(rep$recognition)
  high_s <- rep$satisfaction >= median(rep$satisfaction)
  k <- ifelse(high_r, ifelse(high_s, 1, 2), ifelse(high_s, 3, 4))
  quadrant[cbind(seq_along(projects), k)] <- quadrant[cbind(seq_along(projects), k)] + 1
}
t_boot <- as.numeric(Sys.time() - t0, units = "secs")
cat(sprintf("rows %d, read %.2f s, raking %.2f s, bootstrap (%d) %.2f s, total %.2f s\n",
            nrow(rows), t_read, t_weight, replicates, t_boot, t_read + t_weight + t_boot))
print(round(cbind(recognition = full$recognition, satisfaction = full$satisfaction, quadrant / replicates), 4))
