"""The brief's charts as PNG images, drawn with matplotlib (no browser, no network).

Font: DejaVu Sans as matplotlib ships it (mpl-data/fonts/ttf), so every machine that has
matplotlib has the font; it holds every Vietnamese letter (Latin Extended Additional,
e.g. "ạ ắ ầ ẩ ẫ ậ ễ ệ ỉ ị ọ ố ồ ổ ỗ ộ ớ ờ ở ỡ ợ ụ ứ ừ ử ữ ự ỳ ỵ ỷ ỹ" and "Đ đ Ư ư Ơ ơ").
`missing_glyphs` checks a text against the font file itself; the tests run it on every
label drawn. Figures are built with `matplotlib.figure.Figure` (no pyplot global state:
safe in the dashboard's threads).
"""

from __future__ import annotations

import io
from pathlib import Path

import matplotlib
import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties

from analysis.brief import layout as L
from analysis.formatting import OUTCOME_LABELS, format_month, format_percent, wrapped_lines

FONT_PATH = Path(matplotlib.get_data_path()) / "fonts" / "ttf" / "DejaVuSans.ttf"
BOLD_FONT_PATH = FONT_PATH.with_name("DejaVuSans-Bold.ttf")
COLORS = {"completion": "#1565C0", "on_time": "#2E7D32", "late": "#F9A825",
          "overdue": "#C62828", "open": "#1E88E5", "line": "#37474F"}
NO_DATA = "chưa có số liệu"


def _font(size: float, bold: bool = False) -> FontProperties:
    return FontProperties(fname=str(BOLD_FONT_PATH if bold else FONT_PATH), size=size)


def missing_glyphs(text: str, font_path: Path = FONT_PATH) -> set[str]:
    """The characters of `text` the font file has no glyph for (empty: all drawable)."""
    from matplotlib.ft2font import FT2Font

    font = FT2Font(str(font_path))
    return {ch for ch in set(text) if not ch.isspace() and font.get_char_index(ord(ch)) == 0}


def _png(fig: Figure) -> bytes:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=L.CHART_DPI, bbox_inches="tight",
                metadata={"Software": None})
    return buffer.getvalue()


def _wrap(text: str, width: int = 32) -> str:
    return "\n".join(wrapped_lines(text, width))


def department_rates_png(departments: pd.DataFrame) -> tuple[bytes, list[str]]:
    """Completion rate and on-time rate per department as lead (horizontal bars); the
    caption is the document's (in Times New Roman), not drawn in the image.

    A department with no task due shows "chưa có số liệu" instead of a bar; a 0 % rate is a
    visible sliver with its label. Returns the PNG and every text drawn (for glyph checks)."""
    frame = departments.sort_values("name", ascending=False).reset_index(drop=True)
    names = [_wrap(n) for n in frame["name"]]
    height = max(2.6, 0.62 * len(frame) + 1.3)
    fig = Figure(figsize=(L.CHART_WIDTH_CM / 2.54, height))
    ax = fig.add_subplot()
    y = np.arange(len(frame))
    bar = 0.38
    texts = ["Tỷ lệ hoàn thành", "Tỷ lệ đúng hạn", NO_DATA, *names]
    for offset, column, label, color in ((bar / 2, "completion_rate", "Tỷ lệ hoàn thành",
                                          COLORS["completion"]),
                                         (-bar / 2, "on_time_rate", "Tỷ lệ đúng hạn",
                                          COLORS["on_time"])):
        values = frame[column].astype(float)
        shown = values.fillna(0).clip(lower=0.004)  # 0 % stays visible
        bars = ax.barh(y + offset, np.where(values.isna(), 0, shown), height=bar, color=color,
                       label=label)
        for rect, value in zip(bars, values):
            text = NO_DATA if np.isnan(value) else format_percent(value)
            texts.append(text)
            ax.text(rect.get_width() + 0.01, rect.get_y() + rect.get_height() / 2, text,
                    va="center", ha="left", fontproperties=_font(7.5),
                    color="#607D8B" if np.isnan(value) else "#263238")
    ax.set_yticks(y, names, fontproperties=_font(8))
    ax.set_xlim(0, 1.18)
    ticks = np.linspace(0, 1, 6)
    ax.set_xticks(ticks, [format_percent(t, 0) for t in ticks], fontproperties=_font(8))
    texts += [format_percent(t, 0) for t in ticks]
    ax.legend(prop=_font(8), loc="lower left", frameon=False, ncols=2,
              bbox_to_anchor=(0.0, 1.0))
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.grid(axis="x", color="#ECEFF1")
    ax.set_axisbelow(True)
    return _png(fig), texts


def monthly_png(monthly: pd.DataFrame) -> tuple[bytes, list[str]]:
    """Tasks per month by outcome (stacked bars) and the on-time rate (line, right axis)."""
    months = monthly["month"].astype("str").tolist()
    labels = [format_month(m) for m in months]
    fig = Figure(figsize=(L.CHART_WIDTH_CM / 2.54, 3.2))
    ax = fig.add_subplot()
    x = np.arange(len(months))
    bottom = np.zeros(len(months))
    texts = [*labels, "Số nhiệm vụ", "Tỷ lệ đúng hạn"]
    for outcome in ("on_time", "late", "overdue", "open"):
        values = monthly[outcome].to_numpy(dtype=float)
        ax.bar(x, values, bottom=bottom, color=COLORS[outcome], label=OUTCOME_LABELS[outcome],
               width=0.6)
        bottom += values
        texts.append(OUTCOME_LABELS[outcome])
    ax.set_xticks(x, labels, fontproperties=_font(8))
    ax.set_ylabel("Số nhiệm vụ", fontproperties=_font(8))
    for label in ax.get_yticklabels():
        label.set_fontproperties(_font(8))
    rate_axis = ax.twinx()
    rates = monthly["on_time_rate"].astype(float).to_numpy()
    rate_axis.plot(x, rates, color=COLORS["line"], marker="o", linewidth=2,
                   label="Tỷ lệ đúng hạn")
    for xi, rate in zip(x, rates):
        if not np.isnan(rate):
            text = format_percent(rate)
            texts.append(text)
            rate_axis.annotate(text, (xi, rate), textcoords="offset points", xytext=(0, 6),
                               ha="center", fontproperties=_font(7))
    rate_axis.set_ylim(0, 1.12)
    ticks = np.linspace(0, 1, 6)
    rate_axis.set_yticks(ticks, [format_percent(t, 0) for t in ticks], fontproperties=_font(8))
    rate_axis.set_ylabel("Tỷ lệ đúng hạn", fontproperties=_font(8))
    ax.set_ylim(0, max(float(bottom.max(initial=0)), 1.0) * 1.12)
    handles = ax.get_legend_handles_labels()
    line_handles = rate_axis.get_legend_handles_labels()
    ax.legend(handles[0] + line_handles[0], handles[1] + line_handles[1], prop=_font(7.5),
              loc="lower left", bbox_to_anchor=(0, 1.0), ncols=5, frameon=False)
    for axis in (ax, rate_axis):
        axis.spines["top"].set_visible(False)
    return _png(fig), texts
