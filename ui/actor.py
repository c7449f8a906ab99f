"""Who is using the dashboard, as `analysis.access` sees it.

No login exists yet (accounts are another issue): the dashboard runs in demo mode as
the director (`dashboard.current_role`), so the actor is the director unless the session
says otherwise (tests set `role`, `user_name` and `department` in session_state). The
login wiring replaces this one function.
"""

from __future__ import annotations

import streamlit as st

from analysis.access import Actor
from ui import strings as S


def current_actor() -> Actor:
    role = st.session_state.get("role", S.ROLE_DIRECTOR)
    name = st.session_state.get("user_name") or S.ROLE_LABELS.get(role, role)
    return Actor(name, role, st.session_state.get("department"))
