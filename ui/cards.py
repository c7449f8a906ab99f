"""Headline cards (SPEC §7.1): a figure, its change from the previous period, and
a picker that lists the tasks behind a card (cards themselves are not clickable)."""

from __future__ import annotations

import math
from collections.abc import Mapping

import streamlit as st

from analysis.formatting import format_change, format_number, format_percent
from ui import strings as S

# (figure, label, kind, delta colour, help): "inverse" where a rise is bad.
HEADLINE_CARDS = (
    ("tasks", S.CARD_TASKS, "count", "off", None),
    ("on_time_rate", S.CARD_ON_TIME_RATE, "rate", "normal", S.CARD_RATE_HELP),
    ("completion_rate", S.CARD_COMPLETION_RATE, "rate", "normal", S.CARD_COMPLETION_HELP),
    ("late", S.CARD_LATE, "count", "inverse", None),
    ("overdue", S.CARD_OVERDUE, "count", "inverse", None),
    ("cross_dept_share", S.CARD_CROSS_SHARE, "rate", "off", S.CARD_CROSS_HELP),
    ("clarity_rate", S.CARD_CLARITY, "rate", "normal", S.CARD_CLARITY_HELP),
)


def _missing(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def card_value(figures: Mapping, name: str, kind: str) -> str:
    value = figures.get(name)
    return format_percent(value) if kind == "rate" else format_number(value)


def card_delta(figures: Mapping, previous: Mapping | None, name: str, kind: str) -> str | None:
    """The signed change, or None when either period lacks the figure."""
    if previous is None:
        return None
    now, before = figures.get(name), previous.get(name)
    if _missing(now) or _missing(before):
        return None
    return format_change(now - before, "percent" if kind == "rate" else "count")


def headline_cards(figures: Mapping, previous: Mapping | None, per_row: int = 4,
                   key_prefix: str = "card") -> None:
    """Seven cards in rows of `per_row` (readable on a 1366 px laptop)."""
    for start in range(0, len(HEADLINE_CARDS), per_row):
        columns = st.columns(per_row)
        for column, (name, label, kind, colour, help_text) in zip(
                columns, HEADLINE_CARDS[start:start + per_row]):
            delta = card_delta(figures, previous, name, kind)
            unchanged = delta is not None and delta[0] not in "+-"
            column.metric(label, card_value(figures, name, kind), delta=delta,
                          delta_color="off" if unchanged else colour,
                          delta_arrow="off" if unchanged else "auto",
                          help=help_text, border=True)


# card -> customdata for ui.drilldown with fields CARD_FIELDS (the tasks behind it)
CARD_FIELDS = ("outcome", "cross_dept", "clear")
CARD_DRILLS = {card: (S.CARD_DRILL_NAMES[card], customdata) for card, customdata in {
    "tasks": ["all", None, None],
    "on_time_rate": ["counted", None, None],
    "completion_rate": ["counted", None, None],
    "late": ["late", None, None],
    "overdue": ["overdue", None, None],
    "cross_dept_share": ["all", "True", None],
    "clarity_rate": ["all", None, "False"],
}.items()}


UPCOMING = "upcoming"  # the pill of a partial period's tasks not due yet


def card_drilldown(frame, key: str, upcoming=None) -> None:
    """"Xem danh sách nhiệm vụ" pills under the cards; the chosen one lists its tasks
    (one list per page: `ui.drilldown.offer`). `upcoming`: the tasks not due yet of a
    partial period, offered as a pill of their own."""
    from ui.drilldown import offer, tasks_for_points

    names = list(CARD_DRILLS) + ([UPCOMING] if upcoming is not None and len(upcoming) else [])
    labels = {**{name: label for name, (label, _) in CARD_DRILLS.items()},
              UPCOMING: S.CARD_UPCOMING}
    chosen = st.pills(S.CARD_PILLS, names, key=key, format_func=labels.get)

    def build():
        if chosen == UPCOMING:
            return upcoming[upcoming["outcome"].ne("cancelled").to_numpy()], labels[chosen]
        label, values = CARD_DRILLS[chosen]
        return tasks_for_points(frame, [{"customdata": values}], CARD_FIELDS), label

    offer(key, chosen or "", build)
