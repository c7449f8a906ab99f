"""How tables are drawn: column widths that fit a 1366 px laptop and rows tall enough
for long texts to wrap instead of being cut.

Streamlit's grid wraps a cell's text only when the rows are taller than 4rem (64 px),
so tables with long texts (task titles, reasons, messages) use `WRAP_ROW_HEIGHT`.
Widths are in pixels: the main area beside the sidebar is about 900 px wide at 1366 px,
and the seven columns a director reads first (Mã, Nội dung, Phòng chủ trì, Người chủ
trì, Hạn, Kết quả, Cảnh báo) take about that; the other columns follow to the right.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from analysis.task_list import TABLE_COLUMNS

WRAP_ROW_HEIGHT = 68  # px: two to three lines of text per cell
TASK_ROW_HEIGHT = WRAP_ROW_HEIGHT

_WIDTHS = {  # header -> px
    TABLE_COLUMNS["task_id"]: 96, TABLE_COLUMNS["title"]: 226, TABLE_COLUMNS["lead_dept"]: 144,
    TABLE_COLUMNS["lead_person"]: 118, TABLE_COLUMNS["due_date"]: 104,
    TABLE_COLUMNS["outcome_label"]: 96, TABLE_COLUMNS["deadline_label"]: 104,
    TABLE_COLUMNS["coord_depts"]: 180, TABLE_COLUMNS["coord_people"]: 160,
    TABLE_COLUMNS["service"]: 160, TABLE_COLUMNS["note"]: 220,
    TABLE_COLUMNS["extension_text"]: 200, TABLE_COLUMNS["reassignment_text"]: 220,
}
_DATES = tuple(TABLE_COLUMNS[c] for c in ("assigned_date", "due_date", "original_due_date",
                                          "done_date"))


def task_column_config(table: pd.DataFrame, styled: bool = False) -> dict:
    """column_config of a task table (`analysis.task_list.task_table`): widths, dates
    as dd/mm/yyyy, whole days. `styled`: the table is shown through a pandas Styler that
    already formats the dates (only widths are set then)."""
    config = {}
    for name in table.columns:
        width = _WIDTHS.get(name)
        if styled:
            if width or name in _DATES:
                config[name] = st.column_config.Column(width=width or 92)
        elif name in _DATES:
            config[name] = st.column_config.DateColumn(format="DD/MM/YYYY", width=width or 92)
        elif name == TABLE_COLUMNS["delay_days"]:
            config[name] = st.column_config.NumberColumn(format="%d", width=90)
        elif width:
            config[name] = st.column_config.TextColumn(width=width)
    return config


def wrapped(widths: dict[str, int]) -> dict:
    """column_config giving text columns a width in px (for tables with long texts)."""
    return {name: st.column_config.TextColumn(width=width) for name, width in widths.items()}
