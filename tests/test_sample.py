"""The bundled sample data: determinism, read-back through the reader (SPEC §2),
and the realistic mix the dashboards and the evaluation meeting need (SPEC §3, §4.3)."""

from __future__ import annotations

import json
import unicodedata
import zipfile
from datetime import date, datetime, timedelta

import pandas as pd
import pytest

from analysis.cli import main
from analysis.metrics.outcomes import annotate
from analysis.model import ReadSettings
from analysis.reading import read_task_log
from analysis.sample import SAMPLE_DIR, generate_center, month_end, sample_as_of, write_sample

AS_OF = sample_as_of()


@pytest.fixture(scope="module")
def sample_dir(tmp_path_factory):
    out = tmp_path_factory.mktemp("sample")
    write_sample(out)
    return out


@pytest.fixture(scope="module")
def manifest(sample_dir) -> list[dict]:
    return json.loads((sample_dir / "manifest.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def center():
    return generate_center()


@pytest.fixture(scope="module")
def results(sample_dir, manifest, center):
    """Every sample workbook read with its department's upload settings (SPEC §4.1)."""
    departments = tuple(d.name for d in center.departments)
    people = tuple(p.name for p in center.people)
    out = []
    for entry in manifest:
        settings = ReadSettings(departments=departments, people=people,
                                scope_dept=entry["scope"])
        data = (sample_dir / entry["file"]).read_bytes()
        out.append((entry, read_task_log(data, entry["file"], settings=settings,
                                         today=date(2026, 11, 27))))
    return out


@pytest.fixture(scope="module")
def logs(results) -> pd.DataFrame:
    """All rows of all logs, with the month and scope of the log they came from."""
    frames = [r.tasks.assign(month=e["month"], scope=e["scope"]) for e, r in results]
    return pd.concat(frames, ignore_index=True)


@pytest.fixture(scope="module")
def consolidated(logs) -> pd.DataFrame:
    """SPEC §4.3: for each task_id, the row of the latest reporting month."""
    latest = logs.sort_values("month", kind="stable").drop_duplicates("task_id", keep="last")
    return annotate(latest.drop(columns=["month", "scope"]), AS_OF)


def test_as_of_is_the_last_day_of_the_last_month(center):
    assert AS_OF == date(2026, 10, 31) == month_end(center.months[-1])
    assert center.months[0] == "2025-11" and len(center.months) == 12


def test_manifest_lists_one_file_per_department_and_month(manifest, center, sample_dir):
    assert len(manifest) == 12 * 6
    order = [(e["month"], [d.name for d in center.departments].index(e["scope"]))
             for e in manifest]
    assert order == sorted(order)
    assert manifest[0] == {"file": "2025-11_HCTH.xlsx", "scope": "Phòng Hành chính - Tổng hợp",
                           "month": "2025-11", "uploaded_at": "2025-12-04T02:00:00+00:00"}
    assert all((sample_dir / e["file"]).is_file() for e in manifest)
    assert {p.name for p in sample_dir.iterdir()} == {e["file"] for e in manifest} | {
        "manifest.json"}


def test_submission_times_fall_after_the_month_mostly_by_the_deadline(manifest):
    """SPEC §7.9 in the demo: each log is submitted in the next month; most by day 5."""
    from analysis.submissions import deadline_instant, reporting_deadline

    on_time = 0
    for entry in manifest:
        moment = datetime.fromisoformat(entry["uploaded_at"])
        assert moment.tzinfo is not None
        assert moment.date() > month_end(entry["month"]) - timedelta(days=1)
        assert moment.date() <= reporting_deadline(entry["month"]) + timedelta(days=8)
        on_time += moment < deadline_instant(entry["month"])
    assert 0.7 * len(manifest) < on_time < len(manifest)


def test_generation_is_byte_identical(sample_dir, manifest, tmp_path):
    write_sample(tmp_path, seed=2026)
    for entry in manifest:
        assert (tmp_path / entry["file"]).read_bytes() == (sample_dir / entry["file"]).read_bytes()
    assert (tmp_path / "manifest.json").read_bytes() == (sample_dir / "manifest.json").read_bytes()


def _members(path) -> dict[str, bytes]:
    """A workbook's zip members, uncompressed: equal content whatever zlib compressed it."""
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def test_committed_sample_matches_the_generator(sample_dir, manifest):
    """data/sample/ must be regenerated (python -m analysis sample) when the generator changes."""
    for entry in manifest:
        committed = SAMPLE_DIR / entry["file"]
        assert _members(committed) == _members(sample_dir / entry["file"]), entry["file"]
    assert (SAMPLE_DIR / "manifest.json").read_bytes() == (
        sample_dir / "manifest.json").read_bytes()


def test_another_seed_gives_other_data():
    first, other = generate_center(2026), generate_center(7)
    assert [t.title for t in first.tasks[:20]] != [t.title for t in other.tasks[:20]]


def test_files_are_small(sample_dir, manifest):
    sizes = [(sample_dir / e["file"]).stat().st_size for e in manifest]
    assert max(sizes) < 20_000
    assert sum(sizes) < 1_500_000


def test_every_workbook_reads_without_errors(results):
    for entry, result in results:
        assert result.ok, (entry["file"], [p.to_dict() for p in result.errors][:3])
        assert result.rows > 0
        # Only the deliberately vague assignments warn.
        assert {p.field for p in result.warnings} <= {"lead_person", "due_date"}, entry["file"]


def test_title_rows_and_signature_blocks_are_skipped(results):
    by_file = {e["file"]: r for e, r in results}
    styled = by_file["2025-12_CTPH.xlsx"]
    assert styled.header_row == 6
    assert styled.ignored_columns == ["STT"]
    assert len(styled.skipped_rows) >= 3  # place and date, signatures, the head's name
    plain = by_file["2025-12_TNQL.xlsx"]
    assert plain.header_row == 1
    assert plain.contributions is not None and len(plain.contributions) > 0


def test_ids_stay_text_and_are_unique_per_file(results):
    ids = pd.concat([r.tasks["task_id"] for _, r in results])
    assert ids.str.fullmatch(r"\d{3}").any()  # "007" style, never 7.0
    assert ids.str.fullmatch(r"TV-\d{4}-\d{3}").any()
    for _, result in results:
        assert result.tasks["task_id"].is_unique


def test_people_have_vietnamese_names(center):
    assert 38 <= len(center.people) <= 42
    assert len({p.name for p in center.people}) == len(center.people)
    for person in center.people:
        assert unicodedata.normalize("NFC", person.name) == person.name
        assert len(person.name.split()) >= 3
    assert sum("Thị" in p.name.split() for p in center.people) >= 3  # female middle names
    assert len({p.department for p in center.people}) == 6


def test_tasks_per_month_within_range(logs, center):
    new = pd.Series([t.assigned.strftime("%Y-%m") for t in center.tasks]).value_counts()
    assert new.between(90, 200).all() and new.sort_index().index.tolist() == center.months
    rows = logs.groupby("month").size()
    assert rows.between(100, 200).all(), rows.to_dict()


def test_task_ids_unique_across_the_center(center):
    ids = [t.task_id for t in center.tasks]
    assert len(ids) == len(set(ids))


def test_outcome_mix_as_of_the_last_month_end(consolidated):
    counts = consolidated["outcome"].value_counts()
    for outcome in ("on_time", "late", "overdue", "open", "no_deadline", "cancelled"):
        assert counts.get(outcome, 0) >= 10, counts.to_dict()
    counted = counts["on_time"] + counts["late"] + counts["overdue"]
    assert 0.65 <= counts["on_time"] / counted <= 0.9  # mostly on time


def test_extensions_are_shown_in_a_later_months_log(logs):
    extended = logs[logs["original_due_date"].notna()]
    assert extended["task_id"].nunique() >= 20
    assert (extended["due_date"] > extended["original_due_date"]).all()
    first_month = logs.groupby("task_id")["month"].min()
    assert (extended["month"] > extended["task_id"].map(first_month)).all()


def test_reassignments_change_the_lead_department(logs):
    leads = logs.groupby("task_id")["lead_dept"].nunique()
    moved = leads[leads > 1].index
    assert len(moved) >= 8  # a few
    assert (logs["lead_dept"] == logs["scope"]).all()  # each log holds its own tasks


def test_some_open_tasks_vanish(logs, center):
    last = center.months[-1]
    open_rows = logs[logs["status"].ne("done") & logs["status"].ne("cancelled")
                     & logs["month"].ne(last)]
    next_month = {m: n for m, n in zip(center.months, center.months[1:])}
    seen = set(zip(logs["task_id"], logs["month"]))
    vanished = [t for t, m in zip(open_rows["task_id"], open_rows["month"])
                if (t, next_month[m]) not in seen]
    assert len(vanished) >= 10


def test_cross_department_work_and_contributions(consolidated, results):
    assert 0.2 <= consolidated["cross_dept"].mean() <= 0.5
    assert consolidated["coord_people"].map(len).gt(0).sum() >= 200
    contributions = pd.concat([r.contributions for _, r in results if r.contributions is not None])
    assert len(contributions) >= 100
    assert contributions["delivered_date"].notna().mean() > 0.7
    assert set(contributions["rating"].dropna()) == {"Tốt", "Đạt", "Chưa đạt"}


def test_vague_assignments_lower_clarity(consolidated):
    clarity = consolidated[consolidated["outcome"] != "cancelled"].groupby("lead_dept")["clear"].mean()
    assert clarity.min() < 0.9 < clarity.max()
    assert clarity.idxmin() == "Phòng Tiếp nhận - Quản lý đối tượng"


def _on_time_rates(frame: pd.DataFrame, by: str) -> pd.Series:
    counted = frame[frame["counted"]]
    grouped = counted.groupby(by)["outcome"]
    return grouped.apply(lambda s: (s == "on_time").mean())[grouped.size() >= 10]


def test_departments_and_people_clearly_differ(consolidated):
    departments = _on_time_rates(consolidated, "lead_dept")
    assert departments.idxmax() == "Phòng Tư vấn - Tham vấn" and departments.max() >= 0.88
    assert departments.idxmin() == "Phòng Tiếp nhận - Quản lý đối tượng"
    assert departments.min() <= 0.7
    people = _on_time_rates(consolidated, "lead_person")
    assert (people >= 0.95).sum() >= 2 and (people <= 0.65).sum() >= 2


def test_slow_coordinator_delivers_late(results):
    contributions = pd.concat([r.contributions for _, r in results if r.contributions is not None])
    contributions = contributions.drop_duplicates(["task_id", "coord_dept", "coord_person"],
                                                  keep="last")
    delivered = contributions[contributions["delivered_date"].notna()
                              & contributions["contrib_due_date"].notna()]
    late = (delivered["delivered_date"] > delivered["contrib_due_date"]).groupby(
        delivered["coord_dept"]).mean()
    assert late.idxmax() == "Phòng Can thiệp - Phục hồi" and late.max() >= 0.3


def test_sample_command_regenerates(tmp_path, capsys):
    assert main(["sample", "--out", str(tmp_path), "--seed", "3"]) == 0
    assert "72" in capsys.readouterr().out
    written = json.loads((tmp_path / "manifest.json").read_text(encoding="utf-8"))
    assert len(written) == 72 and (tmp_path / written[-1]["file"]).is_file()
