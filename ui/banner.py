"""The "Dữ liệu mẫu" banner every page shows until real data is uploaded (SPEC §8)."""

from __future__ import annotations

import streamlit as st

from ui import strings as S


def sample_banner(has_real_data: bool) -> bool:
    """Show the banner when the figures come from the bundled sample; True if shown."""
    if has_real_data:
        return False
    st.warning(S.SAMPLE_BANNER, icon="ℹ️")
    return True
