"""Entry script of the dashboard: page config, store, navigation, shared sidebar.

Every page runs through this script (SPEC §7: a direct link such as /tong_quan on a
fresh server still runs it), because pages live in `app_pages/` and are reached only
through `st.navigation` — never in a folder named `pages/`, which would switch on
Streamlit's old auto-discovery and let a page file run alone.

Run: `streamlit run dashboard.py` (database: DATABASE_URL, else data/ctxh.sqlite).
"""

from __future__ import annotations

import streamlit as st

from ui import strings as S
from ui.banner import sample_banner
from ui.data import begin_run, filter_options, get_store, has_real_data
from ui.filters import render_sidebar

# (file, title, url path, roles that see it). Order = menu order.
PAGES = (
    ("app_pages/tong_quan.py", S.PAGE_OVERVIEW, "tong_quan", "all"),
    ("app_pages/phong_ban.py", S.PAGE_DEPARTMENTS, "phong_ban", "all"),
    ("app_pages/ca_nhan.py", S.PAGE_PEOPLE, "ca_nhan", "all"),
    ("app_pages/phoi_hop.py", S.PAGE_COORDINATION, "phoi_hop", "all"),
    ("app_pages/nhiem_vu.py", S.PAGE_TASKS, "nhiem_vu", "all"),
    ("app_pages/tai_du_lieu.py", S.PAGE_UPLOAD, "tai_du_lieu", (S.ROLE_DIRECTOR, S.ROLE_DEPT_HEAD,
                                                               S.ROLE_ADMIN)),
)


def current_role() -> str:
    """The signed-in user's role. No login exists yet: demo mode as the director."""
    return st.session_state.get("role", S.ROLE_DIRECTOR)


def pages_for(role: str) -> list:
    """The pages `role` may open (SPEC §8), built on every run.

    The app's root URL is a hidden page that forwards to the first page: Streamlit
    serves its default page only at "/", and every page must keep its own path
    (a bookmark to /tong_quan must open Tổng quan, not a "page not found" notice).
    """
    pages = [st.Page(path, title=title, url_path=url)
             for path, title, url, roles in PAGES if roles == "all" or role in roles]

    def home() -> None:
        st.switch_page(pages[0])

    return [st.Page(home, title=pages[0].title, url_path="trang_chu", default=True,
                    visibility="hidden"), *pages]


def main() -> None:
    st.set_page_config(page_title=S.APP_SHORT_TITLE, layout="wide",
                       initial_sidebar_state="expanded")
    get_store()  # opens the database; imports the sample data into an empty one
    begin_run()  # the data version, read from the database once for this run
    role = current_role()
    page = st.navigation(pages_for(role))
    render_sidebar(filter_options())
    st.sidebar.caption(S.DEMO_ROLE.format(role=S.ROLE_LABELS[role]))
    sample_banner(has_real_data())
    page.run()


main()
