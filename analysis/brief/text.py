"""The Vietnamese sentences of the brief, written from the figures (no blanks to fill).

Shared by the Word brief, the Excel sheet `Tổng hợp` and the page `Họp đánh giá`, so the
three say the same thing in the same words.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from datetime import date

from analysis.formatting import format_date, format_number, format_percent
from analysis.periods import named_period

ROMAN_QUARTERS = {1: "I", 2: "II", 3: "III", 4: "IV"}

# What the four-way line counts (SPEC §3.1 outcomes), said once for every reader.
FOUR_WAY_DEFINITIONS = (
    "Cách tính: nhiệm vụ “đến hạn” là nhiệm vụ đúng hạn, trễ hạn hoặc quá hạn tại ngày tính; "
    "“đã hoàn thành” gồm đúng hạn và trễ hạn; tỷ lệ hoàn thành = đã hoàn thành / đến hạn "
    "(tính cả việc xong trễ), khác với tỷ lệ đúng hạn = đúng hạn / đến hạn. “Chưa hoàn thành” "
    "gồm quá hạn (đã qua hạn mà chưa xong) và trong hạn (chưa xong, hạn là ngày tính hoặc "
    "sau đó). Nhiệm vụ không có hạn và nhiệm vụ đã hủy không tính vào các tỷ lệ.")
MONTH_MEANING = ("Một nhiệm vụ thuộc tháng có hạn hoàn thành của nó (nhiệm vụ không có hạn: "
                 "tháng được giao). Số liệu của phòng là các nhiệm vụ phòng chủ trì; số liệu "
                 "phối hợp là các nhiệm vụ phòng (người) tham gia phối hợp.")


def _missing(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def number(value) -> str:
    return format_number(value)


def percent(value) -> str:
    return format_percent(value)


def rate_with_counts(rate, successes, total) -> str:
    """"85,3 % — 29/34" (SPEC §3.6: the rate and its counts, never the bound)."""
    return f"{format_percent(rate)} — {format_number(successes)}/{format_number(total)}"


# --- dates and periods ---------------------------------------------------------------

def day_text(day: int) -> str:
    """The decree's rule: a day below 10 with a leading zero ("05"), else as is."""
    return f"{day:02d}" if day < 10 else str(day)


def month_text(month: int) -> str:
    """The decree's rule: months 1 and 2 with a leading zero ("01", "02"), 3-12 without."""
    return f"{month:02d}" if month < 3 else str(month)


def date_line(place: str, day: date) -> str:
    """"Đà Nẵng, ngày 05 tháng 01 năm 2027" (Nghị định 30/2020, Phụ lục I)."""
    return (f"{place}, ngày {day_text(day.day)} tháng {month_text(day.month)} "
            f"năm {day.year}")


def period_phrase(from_month: str, to_month: str) -> str:
    """The period as a report names it: "tháng 10 năm 2026", "quý III năm 2026",
    "6 tháng đầu năm 2026", "năm 2026", "từ tháng 9 đến tháng 10 năm 2026",
    "từ tháng 11 năm 2025 đến tháng 10 năm 2026"."""
    first_year, first = int(from_month[:4]), int(from_month[5:7])
    last_year, last = int(to_month[:4]), int(to_month[5:7])
    match named_period(from_month, to_month):
        case ("month", _):
            return f"tháng {first} năm {first_year}"
        case ("quarter", quarter):
            return f"quý {ROMAN_QUARTERS[quarter]} năm {first_year}"
        case ("half", half):
            return f"6 tháng {'đầu' if half == 1 else 'cuối'} năm {first_year}"
        case ("year", _):
            return f"năm {first_year}"
    if first_year == last_year:
        return f"từ tháng {first} đến tháng {last} năm {first_year}"
    return f"từ tháng {first} năm {first_year} đến tháng {last} năm {last_year}"


def summary_line(from_month: str, to_month: str, cut: date | None) -> str:
    """The trích yếu under "BÁO CÁO"."""
    text = f"Kết quả thực hiện nhiệm vụ và công tác phối hợp {period_phrase(from_month, to_month)}"
    if cut is not None:
        text += f" (tính đến ngày {format_date(cut)})"
    return text


# --- the four-way line --------------------------------------------------------------

def four_way_line(line: Mapping) -> str:
    """"X nhiệm vụ đến hạn đã hoàn thành, đạt Y % (đúng hạn a, trễ hạn b); chưa hoàn thành c
    (trong hạn d, quá hạn e)" from a mapping with done, completion_rate, on_time, late,
    not_done, in_term, overdue, due."""
    if not line["due"]:
        head = "chưa có nhiệm vụ nào đến hạn"
    else:
        head = (f"{number(line['done'])}/{number(line['due'])} nhiệm vụ đến hạn đã hoàn thành, "
                f"đạt {percent(line['completion_rate'])} (đúng hạn {number(line['on_time'])}, "
                f"trễ hạn {number(line['late'])})")
    return (f"{head}; chưa hoàn thành {number(line['not_done'])} "
            f"(trong hạn {number(line['in_term'])}, quá hạn {number(line['overdue'])})")


def overall_paragraph(line: Mapping, center: str, period: str) -> str:
    """The opening paragraph of section I."""
    when = f"Từ{period[2:]}" if period.startswith("từ ") else f"Trong {period}"
    text = f"{when}, {center} theo dõi {number(line['tasks'])} nhiệm vụ: {four_way_line(line)}."
    if line["due"]:
        text += (f" Tỷ lệ đúng hạn đạt {percent(line['on_time_rate'])} "
                 f"({number(line['on_time'])}/{number(line['due'])} nhiệm vụ đến hạn).")
    extra = []
    if line.get("no_deadline"):
        extra.append(f"{number(line['no_deadline'])} nhiệm vụ không có hạn")
    if line.get("cancelled"):
        extra.append(f"{number(line['cancelled'])} nhiệm vụ đã hủy")
    if extra:
        text += " Ngoài ra có " + " và ".join(extra) + ", không tính vào các tỷ lệ."
    return text


def points_change(now, before) -> str | None:
    """"tăng 3,2 điểm phần trăm" / "giảm 1,5 điểm phần trăm" / "không đổi"; None when
    either rate is missing."""
    if _missing(now) or _missing(before):
        return None
    points = round((now - before) * 100, 1)
    if points == 0:
        return "không đổi"
    word = "tăng" if points > 0 else "giảm"
    return f"{word} {format_number(abs(points), 1)} điểm phần trăm"


def signed_points(now, before) -> str:
    """"+3,2" / "-1,5" / "0,0" points for a table cell; "—" when not comparable."""
    if _missing(now) or _missing(before):
        return "—"
    points = round((now - before) * 100, 1)
    if points == 0:
        return "0,0"
    return ("+" if points > 0 else "-") + format_number(abs(points), 1)


def comparison_paragraph(now: Mapping, before: Mapping | None, previous_label: str,
                         reason: str | None) -> str:
    """How the period compares with the previous one, or why it is not compared."""
    if before is None:
        return reason or "Không so sánh với kỳ trước."
    parts = [move for move in (
        _rate_move("tỷ lệ hoàn thành", now["completion_rate"], before["completion_rate"]),
        _rate_move("tỷ lệ đúng hạn", now["on_time_rate"], before["on_time_rate"])) if move]
    overdue_now, overdue_before = int(now["overdue"]), int(before["overdue"])
    if overdue_now != overdue_before:
        parts.append(f"số nhiệm vụ quá hạn {'tăng' if overdue_now > overdue_before else 'giảm'} "
                     f"từ {number(overdue_before)} {'lên' if overdue_now > overdue_before else 'xuống'} "
                     f"{number(overdue_now)}")
    if not parts:
        return f"So với {previous_label}, chưa có số liệu đến hạn để so sánh."
    return f"So với {previous_label}, " + "; ".join(parts) + "."


def _rate_move(label: str, now, before) -> str | None:
    change = points_change(now, before)
    if change is None:
        return None
    if change == "không đổi":
        return f"{label} không đổi ({percent(now)})"
    direction = "lên" if now > before else "xuống"
    return f"{label} {change} (từ {percent(before)} {direction} {percent(now)})"


def names_with(rows: Iterable[tuple[str, str]]) -> str:
    """"A (95,0 % — 38/40), B (...)"."""
    return ", ".join(f"{name} ({detail})" for name, detail in rows)


def submissions_paragraph(f) -> str:
    """Section V of BriefFigures `f`: which departments have not reported which months,
    the months not due yet on the as-of day named apart."""
    if f.submissions is None:
        return ("Chưa có danh sách phòng và lịch sử nộp báo cáo để đối chiếu "
                "(số liệu được đọc từ tệp, không từ cơ sở dữ liệu).")
    missing, late, waiting = f.missing_submissions, f.late_submissions, f.not_due_submissions

    def listed(entries) -> str:
        return "; ".join(f"{name} (tháng {', '.join(months)})" for name, months in entries)

    if missing:
        text = (f"Đến ngày {format_date(f.as_of)}, còn {number(len(missing))} phòng chưa nộp "
                f"báo cáo: {listed(missing)}. Số liệu của các phòng này chưa đầy đủ, không "
                f"phải là không có nhiệm vụ.")
    elif waiting:
        text = f"Đến ngày {format_date(f.as_of)}, không có phòng nào quá hạn nộp báo cáo."
    else:
        text = "Tất cả các phòng đã nộp báo cáo các tháng của kỳ."
    if late:
        text += f" Nộp sau hạn: {listed(late)}."
    if waiting:
        text += f" Chưa đến hạn nộp nên chưa tính là chưa nộp: {listed(waiting)}."
    return text


def comparison_label(figures) -> str:
    """The previous period as the comparison sentence names it."""
    previous = figures.comparison.previous
    if previous is None:
        return figures.previous_label
    phrase = period_phrase(previous.from_month, previous.to_month)
    if previous.cut:
        return f"cùng thời điểm của kỳ trước ({phrase}, đến ngày {format_date(previous.cut)})"
    # "quý II năm 2026" reads well after "So với"; "từ tháng 7 đến ..." needs a noun first
    return f"kỳ trước ({phrase})" if phrase.startswith("từ ") else phrase


def upcoming_sentence(line: Mapping, cut: date | None) -> str:
    """The tasks of a partial period not due yet: shown apart, not as a fall (SPEC §7)."""
    upcoming = int(line["upcoming"])
    still_open = int(line["in_term"]) - int(line["open"])
    done_early = upcoming - still_open
    text = (f"Ngoài ra, {number(upcoming)} nhiệm vụ của kỳ có hạn sau ngày {format_date(cut)} "
            f"chưa đến hạn nên chưa tính vào các tỷ lệ trên")
    if done_early:
        text += f" ({number(done_early)} nhiệm vụ trong số đó đã hoàn thành trước hạn)"
    return text + "."


def coordination_sentences(figures) -> list[str]:
    """Section I.3: how much work is shared between departments and how it fares."""
    selected = figures.selected
    live = selected[selected["outcome"].ne("cancelled").to_numpy()]
    cross = int(live["cross_dept"].astype(bool).sum()) if len(live) else 0
    sentences = []
    if not len(live):
        return ["Chưa có nhiệm vụ trong kỳ."]
    sentences.append(f"{number(cross)}/{number(len(live))} nhiệm vụ "
                     f"({percent(cross / len(live))}) có phòng phối hợp khác phòng chủ trì.")
    both = figures.overall
    crossed, single = both.get("cross_dept_on_time_rate"), both.get("single_dept_on_time_rate")
    if not _missing(crossed) and not _missing(single):
        gap = round((crossed - single) * 100, 1)
        compare = ("ngang bằng" if gap == 0 else
                   f"{'cao' if gap > 0 else 'thấp'} hơn {format_number(abs(gap), 1)} điểm phần trăm so với")
        sentences.append(f"Tỷ lệ đúng hạn của nhiệm vụ có phối hợp liên phòng là "
                         f"{percent(crossed)}, {compare} nhiệm vụ do một phòng thực hiện "
                         f"({percent(single)}).")
    top = figures.matrix.sort_values(["tasks", "lead_dept", "coord_dept"],
                                     ascending=[False, True, True]).head(1)
    for row in top.itertuples():
        sentences.append(f"Cặp phối hợp nhiều nhất: {row.lead_dept} chủ trì, {row.coord_dept} "
                         f"phối hợp ({number(row.tasks)} nhiệm vụ, tỷ lệ đúng hạn "
                         f"{percent(row.on_time_rate)}).")
    sentences.append("Tỷ lệ đúng hạn khi phối hợp được tính theo từng phần việc phối hợp "
                     "(sheet “Phối hợp”: hạn phối hợp và ngày gửi kết quả)." if figures.sheet else
                     "Tỷ lệ đúng hạn khi phối hợp được tính theo kết quả của các nhiệm vụ mà "
                     "phòng tham gia phối hợp.")
    return sentences


def overdue_sentence(overdue, as_of: date, shown: int) -> str:
    """Section IV's opening: how many tasks are overdue, of this period and before."""
    if overdue.empty:
        return f"Đến ngày {format_date(as_of)}, không có nhiệm vụ nào quá hạn."
    in_period = int(overdue["in_period"].sum())
    earlier = len(overdue) - in_period
    text = (f"Đến ngày {format_date(as_of)} có {number(len(overdue))} nhiệm vụ quá hạn chưa "
            f"hoàn thành ({number(in_period)} thuộc kỳ báo cáo, {number(earlier)} từ các kỳ "
            f"trước); lâu nhất đã quá hạn {number(overdue['delay_days'].max())} ngày.")
    if len(overdue) > shown:
        text += (f" Bảng dưới đây nêu {number(shown)} nhiệm vụ quá hạn lâu nhất; danh sách đầy "
                 f"đủ ở sheet “Quá hạn” của bản Excel.")
    else:
        text += " Danh sách (quá hạn lâu nhất trước):"
    return text
