"""Sign-in on every page run (SPEC §7 last paragraph, §8), used by `dashboard.py`.

`gate()` decides, before any page or sidebar is drawn, which of four states this run is in:
- DEMO: no account exists and the database holds only the bundled sample: every page
  (demo banner, no login form), uploads and restores refused (`analysis.access.DEMO`);
- SETUP: no account exists but real data does: nothing but the page saying how to create
  the first administrator (real figures are never shown without a login);
- SIGN_IN: accounts exist and this browser session has no valid session: only the login
  form, whatever URL was opened (every URL is the login form until signed in, then the
  same URL shows its page);
- SIGNED_IN: the actor of a valid server-side session.

What the browser holds: nothing of ours. The random session id lives in the Streamlit
session on the server (`st.session_state`) and its SHA-256 in the database; no cookie is
written (a cookie set from JavaScript would be readable by page scripts, and Streamlit
offers no HttpOnly cookie for an app). A reload or a new tab is a new Streamlit session,
so it asks for the login again and then opens the URL it was given.
"""

from __future__ import annotations

import streamlit as st

from analysis import access
from analysis.access import Actor
from ui import strings as S

DEMO, SETUP, SIGN_IN, SIGNED_IN = "demo", "setup", "sign_in", "signed_in"
KEY_NAME, KEY_PASSWORD, KEY_LOGIN, KEY_LOGOUT = (
    "login_name", "login_password", "login_submit", "logout")
_TOKEN = "_ctxh_session_id"  # the session id: server-side memory only, never sent out
_ACTOR = "_ctxh_actor"  # the actor of THIS run (set by gate() on every run)
_NOTICE = "_ctxh_auth_notice"  # (kind, text) shown once on the login page


def _resolve_url() -> str:
    from analysis.store.engine import resolve_url
    return resolve_url(None)


@st.cache_resource(show_spinner=False)
def _accounts_for(url: str):
    from analysis.accounts import Accounts
    from ui.data import get_store

    return Accounts(get_store())


def get_accounts():
    """The `analysis.accounts.Accounts` of the app's database."""
    return _accounts_for(_resolve_url())


def gate() -> tuple[str, Actor | None]:
    """(state, actor) of this run; see the module docstring. Checks the session row on
    every run, so a sign-out, an idle expiry or a disabled account takes effect at once."""
    state = st.session_state
    state.pop(_ACTOR, None)
    accounts = get_accounts()
    token = state.get(_TOKEN)
    if token:
        check = accounts.session(token)
        if check.actor is not None:
            state[_ACTOR] = check.actor
            return SIGNED_IN, check.actor
        _end_browser_session(("warning", check.message) if check.message else None)
    if not accounts.exists():
        from ui.data import has_real_data

        if has_real_data():
            return SETUP, None
        state[_ACTOR] = access.DEMO
        return DEMO, access.DEMO
    return SIGN_IN, None


def current_actor() -> Actor:
    """Who is acting in this run (pages ask this; `analysis` enforces the rules). A page
    run without the gate (not through dashboard.py) gets demo mode: it may write nothing."""
    return st.session_state.get(_ACTOR) or access.DEMO


def _end_browser_session(notice: tuple[str, str] | None) -> None:
    """Forget everything this browser session held (the next user of the same tab
    inherits no filter, preview or upload), keeping only a notice for the login page."""
    st.session_state.clear()
    if notice:
        st.session_state[_NOTICE] = notice


# --- the login form ---------------------------------------------------------------------

def _submit() -> None:
    state = st.session_state
    name, password = state.get(KEY_NAME) or "", state.get(KEY_PASSWORD) or ""
    state[KEY_PASSWORD] = ""  # the password leaves the session at once
    if not name.strip() or not password:
        state[_NOTICE] = ("warning", S.LOGIN_EMPTY)
        return
    result = get_accounts().sign_in(name, password, previous_token=state.get(_TOKEN))
    if result.ok:
        state.clear()  # nothing of the anonymous session is carried over
        state[_TOKEN] = result.token  # a new id (the one presented before was deleted)
    else:
        state[_NOTICE] = ("error", result.message)


def login_page() -> None:
    """The only thing an anonymous visitor sees once an account exists."""
    st.title(S.LOGIN_TITLE)
    st.caption(S.APP_TITLE)
    notice = st.session_state.pop(_NOTICE, None)
    left, _ = st.columns([2, 3])
    with left:
        if notice:
            getattr(st, notice[0])(notice[1])
        with st.form("login_form", border=True):
            st.text_input(S.LOGIN_NAME, key=KEY_NAME, autocomplete="username", max_chars=100)
            st.text_input(S.LOGIN_PASSWORD, key=KEY_PASSWORD, type="password",
                          autocomplete="current-password", max_chars=1024)
            st.form_submit_button(S.LOGIN_BUTTON, type="primary", key=KEY_LOGIN,
                                  on_click=_submit)
        st.caption(S.LOGIN_INTRO)


def setup_page() -> None:
    """No account yet, but real data: say how to create the first administrator."""
    st.title(S.SETUP_TITLE)
    st.write(S.SETUP_TEXT)
    st.code(S.FIRST_ADMIN_COMMAND, language="bash")


def no_access_page(title: str, who: tuple[str, ...]):
    """A page the signed-in role may not open (its URL still answers, with this)."""
    def render() -> None:
        actor = current_actor()
        st.title(S.NO_ACCESS_TITLE)
        names = ", ".join(access.ROLE_LABELS.get(r, r).lower() for r in who if r in access.ROLES)
        st.warning(S.NO_ACCESS_TEXT.format(title=title, who=names,
                                           role=access.ROLE_LABELS.get(actor.role, actor.role)))
    return render


# --- the sidebar --------------------------------------------------------------------------

def _logout() -> None:
    get_accounts().sign_out(st.session_state.get(_TOKEN))
    _end_browser_session(("success", S.LOGGED_OUT))


def account_sidebar(actor: Actor) -> None:
    """Who is signed in and the `Đăng xuất` button; in demo mode, say so."""
    side = st.sidebar
    side.divider()
    if actor.is_demo:
        side.caption(S.DEMO_SIDEBAR)
        return
    role = access.ROLE_LABELS.get(actor.role, actor.role)
    if actor.department:
        role += f" ({actor.department})"
    side.caption(S.SIGNED_IN_AS.format(name=actor.name, role=role))
    side.button(S.LOGOUT_BUTTON, key=KEY_LOGOUT, on_click=_logout, icon=":material/logout:")


def demo_banner(actor: Actor) -> None:
    if actor.is_demo:
        st.info(S.DEMO_BANNER, icon=":material/science:")
