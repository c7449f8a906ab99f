"""Entry script of the dashboard: page config, login gate, navigation, shared sidebar.

Every page runs through this script (SPEC §7: a direct link such as /tong_quan on a
fresh server still runs it), because pages live in `app_pages/` and are reached only
through `st.navigation` — never in a folder named `pages/`, which would switch on
Streamlit's old auto-discovery and let a page file run alone.

The login gate (`ui.auth.gate`, SPEC §8) runs before anything else is drawn. Until the
visitor is signed in, every URL of the page table is registered with the login form
instead of its file, so no page file runs and nothing else renders; after the login the
same URL opens its page. A page the role may not see answers its URL with a refusal.

Run: `streamlit run dashboard.py` (database: DATABASE_URL, else data/ctxh.sqlite).
"""

from __future__ import annotations

import streamlit as st

from analysis.access import ADMIN, EVERYONE, sees_page
from ui import auth
from ui import strings as S
from ui.banner import sample_banner
from ui.data import filter_options, get_store, has_real_data
from ui.filters import render_sidebar
from ui.streamlit_vi import apply as vietnamese_chrome

# (file, title, url path, roles that see it: analysis.access roles, EVERYONE includes demo
# mode). Order = menu order. One line per page.
PAGES = (
    ("app_pages/tong_quan.py", S.PAGE_OVERVIEW, "tong_quan", EVERYONE),
    ("app_pages/phong_ban.py", S.PAGE_DEPARTMENTS, "phong_ban", EVERYONE),
    ("app_pages/ca_nhan.py", S.PAGE_PEOPLE, "ca_nhan", EVERYONE),
    ("app_pages/phoi_hop.py", S.PAGE_COORDINATION, "phoi_hop", EVERYONE),
    ("app_pages/nhiem_vu.py", S.PAGE_TASKS, "nhiem_vu", EVERYONE),
    ("app_pages/nop_bao_cao.py", S.PAGE_SUBMISSIONS, "nop_bao_cao", EVERYONE),
    ("app_pages/tai_du_lieu.py", S.PAGE_UPLOAD, "tai_du_lieu", EVERYONE),
    ("app_pages/hop_danh_gia.py", S.PAGE_MEETING, "hop_danh_gia", EVERYONE),
    ("app_pages/quan_tri.py", S.PAGE_ADMIN, "quan_tri", (ADMIN,)),
)
HOME_URL = "trang_chu"


def pages_for(actor) -> list:
    """The pages `actor` may open (SPEC §8), built on every run; the others answer their
    URL with a refusal (hidden from the menu).

    The app's root URL is a hidden page that forwards to the first page: Streamlit
    serves its default page only at "/", and every page must keep its own path
    (a bookmark to /tong_quan must open Tổng quan, not a "page not found" notice).
    """
    pages = [st.Page(path, title=title, url_path=url) if sees_page(actor, who) else
             st.Page(auth.no_access_page(title, who), title=title, url_path=url,
                     visibility="hidden")
             for path, title, url, who in PAGES]
    first = next(p for p in pages if p.visibility != "hidden")

    def home() -> None:
        st.switch_page(first)

    return [st.Page(home, title=first.title, url_path=HOME_URL, default=True,
                    visibility="hidden"), *pages]


def gate_pages(render) -> list:
    """Every URL of the page table (and the root) answered by `render` alone."""
    return [st.Page(render, title=S.LOGIN_TITLE, url_path=HOME_URL, default=True),
            *(st.Page(render, title=S.LOGIN_TITLE, url_path=url) for _, _, url, _ in PAGES)]


def main() -> None:
    st.set_page_config(page_title=S.APP_SHORT_TITLE, layout="wide",
                       initial_sidebar_state="expanded")
    get_store()  # opens the database; imports the sample data into an empty one
    state, actor = auth.gate()
    if state in (auth.SIGN_IN, auth.SETUP):
        render = auth.login_page if state == auth.SIGN_IN else auth.setup_page
        st.navigation(gate_pages(render), position="hidden").run()
        return
    page = st.navigation(pages_for(actor))
    vietnamese_chrome()
    render_sidebar(filter_options())
    auth.account_sidebar(actor)
    auth.demo_banner(actor)
    sample_banner(has_real_data())
    page.run()


main()
