"""Who may change the store: editors import, relabel, delete and edit aliases; viewers read.

- No password configured and the server bound to this machine only (the default,
  ``server.address = "127.0.0.1"`` in .streamlit/config.toml): everyone is an editor, as
  one person at their own computer expects.
- A password configured (environment variable ``COVERAGE_LENS_EDITOR_PASSWORD``, or
  ``editor_password`` in Streamlit's secrets.toml): visitors are viewers until they give it
  in the sidebar, for their session only.
- Neither, on a server others can reach: everyone is a viewer (set a password to edit).

docs/shared-server.md describes the setup.
"""
from __future__ import annotations

import hmac
import os

import streamlit as st

PASSWORD_ENV = "COVERAGE_LENS_EDITOR_PASSWORD"
SECRET_KEY = "editor_password"
LOCAL_ADDRESSES = ("127.0.0.1", "localhost", "::1")
_SESSION_KEY = "_coverage_lens_editor"


def _password() -> str | None:
    """The editor password, from the environment first, then Streamlit's secrets."""
    if os.environ.get(PASSWORD_ENV):
        return os.environ[PASSWORD_ENV]
    try:
        return st.secrets.get(SECRET_KEY) or None
    except Exception:  # no secrets.toml, or one that cannot be read: no password there
        return None  # (then only a server bound to this machine lets anyone edit)


def local_only() -> bool:
    """Whether the server listens on this machine's loopback address only."""
    return (st.get_option("server.address") or "") in LOCAL_ADDRESSES


def can_edit() -> bool:
    """Whether this session may change the store, the labels and the alias file (see the
    module's rules); pages show their editing controls only when it is True."""
    if _password() is None:
        return local_only()
    return st.session_state.get(_SESSION_KEY) is True


def sidebar_login() -> None:
    """The sidebar's editor sign-in, shown only when a password is configured."""
    password = _password()
    if password is None:
        return
    with st.sidebar:
        if st.session_state.get(_SESSION_KEY) is True:
            if st.button("Leave editor mode", key="editor_logout"):
                st.session_state[_SESSION_KEY] = False
                st.rerun()
            return
        with st.popover("Editor sign-in"):
            given = st.text_input("Editor password", type="password", key="editor_password")
            if st.button("Sign in", key="editor_login"):
                if hmac.compare_digest(given.encode(), password.encode()):
                    st.session_state[_SESSION_KEY] = True
                    st.rerun()
                st.error("Wrong password.")


def viewer_note(what: str) -> None:
    """What a viewer sees instead of the editing controls of ``what``."""
    if _password() is not None:
        how = "sign in as an editor in the sidebar"
    else:  # e.g. started from another folder, without the project's .streamlit/config.toml
        how = (f"this server accepts visitors from other computers and has no editor password: "
               f"set {PASSWORD_ENV}, or start it on this computer only with "
               f"`streamlit run dashboard.py --server.address 127.0.0.1` (docs/shared-server.md)")
    st.info(f"Viewer mode: {what} is for editors; {how}.")
