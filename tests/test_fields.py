"""analysis.fields: the matching key of headers, names and searches (SPEC §2.1)."""

from __future__ import annotations

import unicodedata

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.fields import match_key, match_keys

VIETNAMESE = ("aàáảãạăằắẳẵặâầấẩẫậbcdđeèéẻẽẹêềếểễệghiìíỉĩịklmnoòóỏõọôồốổỗộơờớởỡợpqrstuùúủũụ"
              "ưừứửữựvxyỳýỷỹỵ")
ALPHABET = VIETNAMESE + VIETNAMESE.upper() + "0123456789 -_.,;:()/!?'\"\t\n—–…"


@pytest.mark.parametrize("text, key", [
    ("Tham vấn", "tham van"), ("HẠN  HOÀN THÀNH", "han hoan thanh"),
    ("han_hoan_thanh", "han hoan thanh"), ("Đà Nẵng", "da nang"), ("  (VD)  ", "vd"),
])
def test_match_key(text, key):
    assert match_key(text) == key


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(alphabet=ALPHABET, max_size=40), min_size=1, max_size=8))
def test_match_keys_is_match_key_for_every_text(texts):
    """The vectorised key equals the exact one, for NFC and NFD text alike."""
    values = pd.Series([*texts, *(unicodedata.normalize("NFD", t) for t in texts), None],
                       dtype="str")
    keys = match_keys(values)
    assert keys.iloc[:-1].tolist() == [match_key(t) for t in values.iloc[:-1]]
    assert pd.isna(keys.iloc[-1])
