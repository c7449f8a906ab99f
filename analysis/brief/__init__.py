"""The evaluation-meeting brief (SPEC §7.1, §7.7): what it states, computed once
(`figures.brief_figures`), and the two documents written from it: the Word report laid
out as Nghị định 30/2020/NĐ-CP, Phụ lục I (`docx.brief_docx`, on the project's own
template, sizes in `layout`) and the Excel workbook to work in (`xlsx.brief_xlsx`).

    inputs = brief_inputs(store, as_of, "2026-09", "2026-10")   # sources.py
    figures = brief_figures(inputs)                                # figures.py
    brief_docx(figures) -> bytes; brief_xlsx(figures) -> bytes

The page `Họp đánh giá` and `python -m analysis report` both go through these.
"""
