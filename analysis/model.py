"""Plain values passed between modules: the task and contribution frames,
validation problems, the result of reading one workbook, and settings.

Data flows one way (ARCHITECTURE.md): reading -> validation -> store -> metrics
-> pages. Each arrow passes one of these values.

Task frame (one row per task; `TASK_COLUMNS`):
    task_id, title, service, lead_dept, lead_person, status_text, note : str (missing: NA)
    coord_depts, coord_people  : tuple[str, ...] (empty tuple when none; NFC, deduplicated)
    assigned_date, due_date, original_due_date, done_date : datetime64, midnight, NaT if missing
    status      : "done" | "open" | "cancelled"   (normalised, SPEC §2.1)
    source_row  : int, the Excel row number the user sees

Contribution frame ("Phối hợp" sheet, SPEC §2.2; `CONTRIBUTION_COLUMNS`):
    task_id, coord_dept, coord_person, rating : str (missing: NA)
    contrib_due_date, delivered_date : datetime64, NaT if missing
    source_row  : int
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pandas is imported where a frame is built: the CLI's file checks
    import pandas as pd  # run in a child process that must start without it (commands/metrics)

TASK_COLUMNS: tuple[str, ...] = (
    "task_id", "title", "service", "lead_dept", "lead_person",
    "coord_depts", "coord_people",
    "assigned_date", "due_date", "original_due_date", "done_date",
    "status", "status_text", "note", "source_row",
)
TASK_DATE_COLUMNS = ("assigned_date", "due_date", "original_due_date", "done_date")
TASK_LIST_COLUMNS = ("coord_depts", "coord_people")

CONTRIBUTION_COLUMNS: tuple[str, ...] = (
    "task_id", "coord_dept", "coord_person", "contrib_due_date", "delivered_date",
    "rating", "source_row",
)
CONTRIBUTION_DATE_COLUMNS = ("contrib_due_date", "delivered_date")

DATE_DTYPE = "datetime64[us]"

ERROR, WARNING = "error", "warning"


class Unreadable(Exception):
    """The file cannot or must not be read (SPEC §2.3, CLI exit 2); `message` is for the user."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Problem:
    """One validation finding (SPEC §2.3). `row` is None for whole-file problems."""

    row: int | None
    field: str | None
    value: str | None
    severity: str  # ERROR or WARNING
    message: str  # plain Vietnamese, actionable

    def to_dict(self) -> dict[str, Any]:
        return {"row": self.row, "field": self.field, "value": self.value,
                "severity": self.severity, "message": self.message}


@dataclass
class ReadResult:
    """Everything learned from one uploaded file (the `validate` JSON and the frames)."""

    file: str
    sheet: str | None = None
    header_row: int | None = None
    rows: int = 0  # data rows read
    skipped_rows: list[int] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    tasks: pd.DataFrame | None = None  # TASK_COLUMNS; None when the file could not be read
    contributions: pd.DataFrame | None = None  # None when there is no "Phối hợp" sheet
    month_first: bool = False
    unreadable: bool = False  # whole file refused: CLI exit code 2
    column_map: dict[str, str] = field(default_factory=dict)  # header as typed -> field

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == ERROR]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == WARNING]

    @property
    def ok(self) -> bool:
        return not self.unreadable and not self.errors

    def report(self) -> dict[str, Any]:
        """The JSON object `python -m analysis validate` prints (SPEC §5)."""
        return {
            "file": self.file,
            "sheet": self.sheet,
            "header_row": self.header_row,
            "rows": self.rows,
            "skipped_rows": list(self.skipped_rows),
            "ignored_columns": list(self.ignored_columns),
            "errors": [p.to_dict() for p in self.problems],
        }


@dataclass(frozen=True)
class ReadSettings:
    """What validation checks against, and the limits of reading one file.
    Defaults: empty catalogue, nothing configured."""

    departments: tuple[str, ...] = ()  # configured department names; empty: any name
    people: tuple[str, ...] = ()  # staff roster names; empty: any name
    scope_dept: str | None = None  # department upload: every row must be led by it (§4.1)
    row_limit: int | None = 100_000  # rows in one upload; None: no limit (`metrics`, §5)
    max_bytes: int = 25 * 1024 * 1024  # upload size limit
    max_uncompressed_bytes: int = 400 * 1024 * 1024  # zip bomb guard
    max_compression_ratio: float = 200.0  # zip bomb guard (per member)
    # Work bounds, checked from the XML before a sheet is laid out (`file_safety`):
    # cells of the dense grid a sheet makes (rows x columns it reaches: 100 000 rows of
    # 40 columns; ~130 bytes a valued cell), and characters of text in the cells, a
    # shared string counted in every cell that uses it (a 100 000-task log: ~20 million).
    max_sheet_cells: int = 4_000_000
    max_text_chars: int = 100_000_000
    # Hard limits of the child process that parses the file (`sandbox`): its address
    # space (RLIMIT_AS; a 100 000-task log peaks at ~0.6 GB), CPU seconds and wall
    # seconds (a 100 000-task log takes ~3 s). The child, the process that waits for it
    # and the zygote stay together under 1.5 GB, and answer within 30 s.
    parse_memory_bytes: int = 1280 * 1024 * 1024
    parse_cpu_seconds: int = 15
    parse_wall_seconds: int = 20


def empty_tasks() -> pd.DataFrame:
    """A task frame with no rows and the right dtypes."""
    import pandas as pd

    frame = pd.DataFrame({c: pd.Series(dtype="str") for c in TASK_COLUMNS})
    for c in TASK_DATE_COLUMNS:
        frame[c] = pd.Series(dtype=DATE_DTYPE)
    for c in TASK_LIST_COLUMNS:
        frame[c] = pd.Series(dtype=object)
    frame["source_row"] = pd.Series(dtype="int64")
    return frame


def empty_contributions() -> pd.DataFrame:
    import pandas as pd

    frame = pd.DataFrame({c: pd.Series(dtype="str") for c in CONTRIBUTION_COLUMNS})
    for c in CONTRIBUTION_DATE_COLUMNS:
        frame[c] = pd.Series(dtype=DATE_DTYPE)
    frame["source_row"] = pd.Series(dtype="int64")
    return frame


def task_positions(task_ids: pd.Series, wanted: pd.Series):
    """For each id of `wanted`, the position in `task_ids` of the last row with that id,
    NaN when there is none (a float ndarray). A hash lookup in Arrow: mapping 50 000 ids
    through a pandas index of 100 000 costs ~3x more."""
    import numpy as np
    import pandas as pd

    try:
        import pyarrow as pa
        import pyarrow.compute as pc

        found = pc.index_in(pa.array(wanted), value_set=pa.array(task_ids)[::-1])  # last wins
        return len(task_ids) - 1 - found.to_numpy(zero_copy_only=False).astype(float)
    except (TypeError, ValueError, ImportError):  # ids of mixed types: the general way
        position = pd.Series(np.arange(len(task_ids)), index=task_ids.to_numpy())
        position = position[~position.index.duplicated(keep="last")]
        return wanted.map(position).to_numpy(dtype=float)
