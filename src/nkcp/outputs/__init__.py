"""The built outputs (`build/`, `datapackage.json`): tables made from the records, proved, then published."""
