# Read a table of the nk-collective-punishment data package in R, with the schema's types.
#
# Column types come from datapackage.json (jsonlite), the CSV is read with readr, and only the
# empty string counts as missing, so a text value "NA" survives. Controlled vocabularies become
# factors whose levels are the whole vocabulary; dates are Date; booleans logical.
#
#   source("R/nkcp.R")
#   events <- nkcp_read("events")            # from the folder holding datapackage.json
#   quotes <- nkcp_read("quotes", "path/to/unpacked/release")

nkcp_read <- function(table, package_dir = ".") {
  pkg <- jsonlite::fromJSON(file.path(package_dir, "datapackage.json"), simplifyVector = FALSE)
  resource <- NULL
  for (r in pkg$resources) {
    if (identical(r$name, table) && identical(r$type, "table")) resource <- r
  }
  if (is.null(resource)) stop(sprintf("no table '%s' in %s", table, file.path(package_dir, "datapackage.json")))
  fields <- resource$schema$fields
  col_for <- function(f) {
    switch(f$type,
      string = readr::col_character(),
      integer = readr::col_integer(),
      number = readr::col_double(),
      date = readr::col_date(format = "%Y-%m-%d"),
      boolean = readr::col_logical(),
      stop(sprintf("unknown field type %s", f$type)))
  }
  spec <- lapply(fields, col_for)
  names(spec) <- vapply(fields, function(f) f$name, character(1))
  df <- readr::read_csv(file.path(package_dir, resource$path), col_types = do.call(readr::cols, spec),
                        na = "", quote = "\"", trim_ws = FALSE, progress = FALSE,
                        locale = readr::locale(encoding = "UTF-8"))
  for (f in fields) {
    levels <- f$constraints$enum
    if (!is.null(levels)) df[[f$name]] <- factor(df[[f$name]], levels = unlist(levels))
  }
  df
}
