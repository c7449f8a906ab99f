"""Where Streamlit itself prints English, and what is done about it (the least fragile
way: CSS on the elements' `data-testid` / `aria-label`, which stay stable across
releases; if they ever change, the English text simply shows again, nothing breaks).

- File uploader (page `Tải dữ liệu lên`): its button ("Upload") and its limit line
  ("200MB per file • XLSX") are replaced by Vietnamese text (`translate_file_uploader`).
- Data tables: the grid's own "Download as CSV" button is hidden on every page
  (`apply`): it would export without the formula-injection guard and the audit entry
  every export needs (SPEC §4.4, §4.6); page `Nhiệm vụ` has the audited Excel/CSV export.
- Charts: plotly's toolbar is switched off (`ui.drilldown.PLOTLY_CONFIG`).
What stays English: the hover tooltips of the table toolbar ("Show/hide columns",
"Search", "Fullscreen") and of a chart's fullscreen button, the uploaded file's size
unit (KB/MB) and Streamlit's "Running…" indicator.
"""

from __future__ import annotations

import streamlit as st

from ui import strings as S

_EVERY_PAGE = """<style>
[data-testid="stElementToolbarButton"]:has(button[aria-label="Download as CSV"]) {display: none;}
</style>"""


def apply() -> None:
    """Once per run (dashboard.py): the CSS every page needs."""
    st.html(_EVERY_PAGE)


def translate_file_uploader() -> None:
    """Vietnamese button and limit line for the page's file uploader."""
    st.html(f"""<style>
[data-testid="stFileUploaderDropzone"] [data-testid="stBaseButton-secondary"] p {{font-size: 0;}}
[data-testid="stFileUploaderDropzone"] [data-testid="stBaseButton-secondary"] p::after {{
  content: "{S.UPLOADER_BROWSE}"; font-size: 0.875rem;}}
[data-testid="stFileUploaderDropzoneInstructions"] span {{font-size: 0;}}
[data-testid="stFileUploaderDropzoneInstructions"] span::after {{
  content: "{S.UPLOADER_LIMIT}"; font-size: 0.875rem;}}
</style>""")
