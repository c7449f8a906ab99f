"""Reading, validation, storage, metrics and reports for the CTXH coordination
dashboard. Plain Python: nothing in this package imports Streamlit."""
