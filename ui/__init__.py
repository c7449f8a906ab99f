"""Streamlit pieces shared by the page scripts: data loading, sidebar filters,
headline cards, drill-down tables, the sample-data banner and the UI wording."""
