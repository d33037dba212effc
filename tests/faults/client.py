"""A visitor, an API client and an editor, asking the running portal over HTTP."""

import time
import uuid
from dataclasses import dataclass

import requests

from tests.knowledgebase.test_admin import _study_form

from .seed import COUNTRY, MODEL, STUDY, THEME

# Public pages, the search and the API: what visitors and API clients ask for.
PUBLIC_URLS = [
    "/",
    "/landen/",
    f"/landen/{COUNTRY}/",
    f"/kennisinfrastructuur/{MODEL}/",
    f"/themas/{THEME}/",
    "/onderzoek/",
    f"/onderzoek/{STUDY}/",
    "/zoeken/?q=loopbaan",
    "/api/v1/onderzoek/",
    "/api/v1/paginas/",
]
# Every answer within this many seconds, whatever is down.
MAX_SECONDS = 3


@dataclass
class Answer:
    what: str
    status: int
    seconds: float
    body: str


class Visitor:
    """One browser: keeps its cookies (the production cookies are Secure, which ``requests``
    would not send back over plain HTTP) and its CSRF token."""

    def __init__(self, base_url):
        self.base_url = base_url
        self.cookies = {}

    def request(self, method, path, what=None, **kwargs):
        started = time.monotonic()
        try:
            response = requests.request(
                method,
                self.base_url + path,
                cookies=self.cookies,
                allow_redirects=False,
                timeout=MAX_SECONDS * 4,
                **kwargs,
            )
        except requests.Timeout:
            return Answer(what or path, 0, time.monotonic() - started, "")
        self.cookies.update(response.cookies.get_dict())
        return Answer(
            what or f"{method} {path}", response.status_code, time.monotonic() - started, response.text
        )

    def get(self, path, **kwargs):
        return self.request("GET", path, **kwargs)

    def post(self, path, data, what=None):
        # Django checks the token against the cookie; the page the form was on sent the cookie.
        data = {**data, "csrfmiddlewaretoken": self.cookies.get("csrftoken", "")}
        return self.request("POST", path, what=what, data=data, headers={"Referer": self.base_url + path})


def public_answers(base_url):
    visitor = Visitor(base_url)
    return [visitor.get(path) for path in PUBLIC_URLS]


def signed_in_editor(base_url, username, password):
    """An editor who signed in (the login page, then the login): the editor and the answers."""
    editor = Visitor(base_url)
    answers = [editor.get("/admin/login/", what="login page")]
    answers.append(editor.post("/admin/login/", {"username": username, "password": password}, what="login"))
    return editor, answers


def save_answers(editor):
    """Open the form for a new study and save it: the answers to both."""
    add = "/admin/snippets/knowledgebase/study/add/"
    answers = [editor.get(add, what="add form")]
    slug = f"fouttest-{uuid.uuid4().hex[:10]}"
    form = _study_form(title=f"Onderzoek tijdens een storing {slug}", slug=slug)
    answers.append(editor.post(add, form, what="save"))
    return answers


def editor_answers(base_url, username, password):
    """Sign in and save a new study: the login page, the login, the add form and the save."""
    editor, answers = signed_in_editor(base_url, username, password)
    return answers + save_answers(editor)
