"""Per-upload columnar copies of the stored rows: why the figures load fast.

The speed trick of the store, in one place. Every page run after an upload rebuilds
the consolidated tasks (SPEC §4.3) from the uploads that count. Reading 100 000 task
rows through the DB-API costs ~1.5 s: one Python object per cell, then a conversion
per column. So each upload also keeps its task and contribution frames as one Arrow
IPC blob (LZ4: ~3x the size of zstd, ~3x faster to read), written in the same
transaction as its rows; loading all of them is ~0.1 s at 100k tasks.

The rows stay the record: history, `check`, backups and any SQL reader use them. The
blob is derived data, never edited (an upload is immutable), and rebuilt from the rows
when missing (the migration that added the table fills it for older uploads; a blob
written by an older `FORMAT` is ignored the same way). Lists are stored as JSON text,
dates as timestamps: decoding gives exactly the dtypes of `analysis.model`.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterable

import numpy as np
import pandas as pd
from sqlalchemy import Connection, insert, select

from analysis.model import (
    CONTRIBUTION_COLUMNS,
    CONTRIBUTION_DATE_COLUMNS,
    DATE_DTYPE,
    TASK_COLUMNS,
    TASK_DATE_COLUMNS,
    TASK_LIST_COLUMNS,
    empty_contributions,
    empty_tasks,
)

from . import schema
from .rows import contribution_frame, task_frame

FORMAT = 1  # bump when the blob layout changes: older blobs are then rebuilt from rows
_TEXT, _DATE, _INT = (pd.api.types.pandas_dtype(d) for d in ("str", DATE_DTYPE, "int64"))


TASKS = (TASK_COLUMNS, TASK_DATE_COLUMNS, TASK_LIST_COLUMNS)
CONTRIBUTIONS = (CONTRIBUTION_COLUMNS, CONTRIBUTION_DATE_COLUMNS, ())


def table_of(frame: pd.DataFrame, kind=TASKS):
    """`frame` as an Arrow table of `kind` (TASKS or CONTRIBUTIONS): lists as JSON text,
    one encoding per distinct list."""
    import pyarrow as pa

    columns, _, list_columns = kind
    data = {}
    for column in columns:
        values = frame[column]
        if column in list_columns:
            codes, distinct = pd.factorize(values.map(_as_tuple))
            texts = np.array([json.dumps(list(v), ensure_ascii=False) for v in distinct]
                             + ["[]"], dtype=object)
            values = pd.Series(texts[codes], dtype="str")
        data[column] = pa.array(values.reset_index(drop=True), from_pandas=True)
    return pa.table(data)


def encode(frame: pd.DataFrame, kind=TASKS) -> bytes:
    """`frame` as Arrow IPC bytes (`table_of`, LZ4-compressed)."""
    import pyarrow.ipc as ipc

    table = table_of(frame, kind)
    sink = io.BytesIO()
    with ipc.new_file(sink, table.schema,
                      options=ipc.IpcWriteOptions(compression="lz4")) as writer:
        writer.write_table(table)
    return sink.getvalue()


def read_table(blob: bytes):
    import pyarrow as pa
    import pyarrow.ipc as ipc

    return ipc.open_file(pa.BufferReader(blob)).read_all()


def to_frame(table, kind=TASKS) -> pd.DataFrame:
    """A table `table_of` made (or several, concatenated) as a frame with the model's
    dtypes, built column by column into one DataFrame."""
    columns, date_columns, list_columns = kind
    data = {}
    for column in columns:
        values = table.column(column)
        if column in list_columns:
            data[column] = _lists(values)
            continue
        series = values.to_pandas()
        wanted = _DATE if column in date_columns else _INT if column == "source_row" else _TEXT
        data[column] = series if series.dtype == wanted else series.astype(wanted)
    return pd.DataFrame(data, copy=False)


def decode(blob: bytes, kind=TASKS) -> pd.DataFrame:
    """The frame `encode` wrote, with the model's dtypes."""
    return to_frame(read_table(blob), kind)


def concat(tables: list, kind=TASKS):
    """One table of several (a column missing or all-null in one is promoted, not refused)."""
    import pyarrow as pa

    if not tables:
        return table_of(empty_tasks() if kind is TASKS else empty_contributions(), kind)
    # One chunk per column: pandas works on a chunked column piece by piece (slower).
    return pa.concat_tables(tables, promote_options="default").combine_chunks()


def _as_tuple(value) -> tuple:
    return tuple(value) if isinstance(value, (tuple, list)) else ()


def _lists(texts) -> pd.Series:
    """A column of JSON lists (an Arrow array) as tuples, each distinct list parsed once."""
    encoded = texts.dictionary_encode().combine_chunks()
    distinct = encoded.dictionary.to_pylist()
    parsed = np.empty(len(distinct) + 1, dtype=object)
    for i, text in enumerate(distinct):  # once per distinct list, not per task
        parsed[i] = tuple(json.loads(text)) if text is not None else ()
    parsed[-1] = ()
    codes = encoded.indices.fill_null(len(distinct)).to_numpy(zero_copy_only=False)
    return pd.Series(parsed[codes], dtype=object)


def write(conn: Connection, upload_id: int, tasks: pd.DataFrame,
          contributions: pd.DataFrame | None) -> None:
    """Store the columnar copy of one upload (inside the upload's write transaction)."""
    conn.execute(insert(schema.upload_frames).values(
        upload_id=int(upload_id), format=FORMAT, tasks=encode(tasks, TASKS),
        contributions=None if contributions is None else encode(contributions, CONTRIBUTIONS)))


def load_tables(conn: Connection, upload_ids: Iterable[int], contributions: bool = True
                ) -> dict[int, tuple[object, object | None]]:
    """{upload_id: (task table, contribution table or None)} for the given uploads, as
    Arrow tables: a caller concatenates them and converts once (converting each upload's
    frame on its own costs ~10 ms per upload, whatever its size)."""
    ids = sorted({int(i) for i in upload_ids})
    if not ids:
        return {}
    f = schema.upload_frames
    found = {}
    columns = [f.c.upload_id, f.c.format, f.c.tasks, *([f.c.contributions] if contributions else [])]
    for upload_id, version, tasks, *sheet in conn.execute(
            select(*columns).where(f.c.upload_id.in_(ids))):
        if version != FORMAT:
            continue
        found[upload_id] = (read_table(tasks),
                            None if not sheet or sheet[0] is None else read_table(sheet[0]))
    for upload_id in (i for i in ids if i not in found):
        tasks, sheet = from_rows(conn, upload_id)
        found[upload_id] = (table_of(tasks, TASKS), table_of(sheet, CONTRIBUTIONS)
                            if contributions and sheet is not None else None)
    return found


def load(conn: Connection, upload_ids: Iterable[int], contributions: bool = True
         ) -> dict[int, tuple[pd.DataFrame, pd.DataFrame | None]]:
    """{upload_id: (task frame, contribution frame or None)} for the given uploads;
    with contributions=False the second item is always None (not decoded)."""
    return {upload_id: (to_frame(tasks, TASKS),
                        None if sheet is None else to_frame(sheet, CONTRIBUTIONS))
            for upload_id, (tasks, sheet) in load_tables(conn, upload_ids, contributions).items()}


def from_rows(conn: Connection, upload_id: int) -> tuple[pd.DataFrame, pd.DataFrame | None]:
    """An upload's frames read from its rows (the record), the slow way."""
    t, k, u = schema.tasks, schema.contributions, schema.uploads
    rows = conn.execute(select(*(t.c[c] for c in TASK_COLUMNS))
                        .where(t.c.upload_id == upload_id).order_by(t.c.source_row)).all()
    tasks = task_frame(rows, list(TASK_COLUMNS)) if rows else empty_tasks()
    has_sheet = conn.execute(select(u.c.has_contributions).where(u.c.id == upload_id)).scalar()
    if not has_sheet:
        return tasks, None
    rows = conn.execute(select(*(k.c[c] for c in CONTRIBUTION_COLUMNS))
                        .where(k.c.upload_id == upload_id).order_by(k.c.id)).all()
    return tasks, contribution_frame(rows, list(CONTRIBUTION_COLUMNS)) if rows \
        else empty_contributions()


def backfill(conn: Connection) -> int:
    """Write the copy of every upload that has none (schema migration 3). Returns how many."""
    u, f = schema.uploads, schema.upload_frames
    have = set(conn.execute(select(f.c.upload_id).where(f.c.format == FORMAT)).scalars())
    missing = [i for i in conn.execute(select(u.c.id).order_by(u.c.id)).scalars() if i not in have]
    for upload_id in missing:
        tasks, contributions = from_rows(conn, upload_id)
        conn.execute(schema.upload_frames.delete().where(f.c.upload_id == upload_id))
        write(conn, upload_id, tasks, contributions)
    return len(missing)
