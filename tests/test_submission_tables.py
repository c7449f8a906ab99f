"""The cells and tables of page `Tình hình nộp báo cáo` (SPEC §7.9), without Streamlit."""

from __future__ import annotations

from datetime import date

import pandas as pd

from analysis import submissions as S
from ui.strings.nop_bao_cao import NOT_DUE
from ui.submission_tables import cell_history, detail_table, grid_cells, state_counts

LOG = pd.DataFrame([
    (1, "Phòng A", "2026-10", "2026-11-03T02:00:00+00:00", "An", False, 1, "a1.xlsx", 5, False),
    (2, "Phòng A", "2026-10", "2026-11-09T02:00:00+00:00", "An", True, 2, "a2.xlsx", 6, False),
    (3, "center", "2026-09", "2026-10-02T02:00:00+00:00", "Giám đốc", True, 1, "tt.xlsx", 9,
     False),
], columns=["upload_id", "scope", "month", "uploaded_at", "uploaded_by", "current", "version",
            "file_name", "rows", "is_sample"])
AS_OF = date(2026, 12, 3)  # 11/2026's log due on 05/12


def _grid():
    return S.submission_grid(LOG, ["Phòng A", "Phòng B"], ["2026-09", "2026-10", "2026-11"], 5)


def test_cells_say_the_state_the_day_and_who():
    cells = grid_cells(_grid(), LOG, AS_OF).set_index(["department", "month"])
    assert cells.loc[("Phòng A", "2026-10"), "state"] == S.ON_TIME
    assert cells.loc[("Phòng A", "2026-10"), "text"] == "Đúng hạn<br>03/11"
    hover = cells.loc[("Phòng A", "2026-10"), "hover"]
    assert "Nộp lần đầu: 03/11/2026 09:00, bởi An" in hover and "Đang dùng: phiên bản 2" in hover
    assert cells.loc[("Phòng B", "2026-09"), "state"] == S.ON_TIME  # the whole center's upload
    assert cells.loc[("Phòng B", "2026-10"), "state"] == S.MISSING  # deadline 05/11 passed
    assert cells.loc[("Phòng B", "2026-11"), "state"] == NOT_DUE  # deadline 05/12 ahead
    assert state_counts(grid_cells(_grid(), LOG, AS_OF)) == {
        S.ON_TIME: 3, S.LATE: 0, S.MISSING: 1, NOT_DUE: 2}


def test_detail_table_and_cell_history_with_a_restore():
    table = detail_table(_grid(), grid_cells(_grid(), LOG, AS_OF), LOG)
    row = table[(table["Phòng"] == "Phòng A") & (table["Tháng"] == "10/2026")].iloc[0]
    assert (row["Tình trạng"], row["Người nộp"], row["Phiên bản đang dùng"],
            row["Số lần tải lên"]) == ("Đúng hạn", "An", "2", "2")
    restores = [{"at": "2026-11-10T03:00:00+00:00", "user": "Giám đốc", "upload_id": 1,
                 "scope": "Phòng A", "month": "2026-10", "version": 1}]
    history = cell_history(LOG, restores, "Phòng A", "2026-10")
    assert history[["Sự kiện", "Phiên bản", "Người thực hiện"]].values.tolist() == [
        ["Khôi phục", 1, "Giám đốc"], ["Tải lên", 2, "An"], ["Tải lên", 1, "An"]]
    assert cell_history(LOG, restores, "Phòng B", "2026-09")["Phạm vi"].tolist() == [
        "Toàn trung tâm"]
