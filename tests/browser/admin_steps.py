"""Steps an editor and a board member take in the Wagtail admin, for the browser tests.

Everything is done by clicking and typing, as staff do: inline "add" buttons, chooser modals,
StreamField blocks and the workflow's menu items. The ``context`` fixture fails a test on any
console error or CSP violation, so each step also checks that the admin's scripts ran.
"""

import re

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from playwright.sync_api import expect

from portal.services import BOARD, EDITORS

PASSWORD = "een-lang-wachtwoord-123"
SUBMIT = "Stuur door naar Redactie en publicatie"
APPROVE = "Goedkeuren en publiceren"


def staff_member(username, group_name):
    """A user in one of the editorial groups ``setup_site`` creates."""
    user = get_user_model().objects.create_user(
        username, f"{username}@example.org", PASSWORD, first_name=username.title()
    )
    user.groups.add(Group.objects.get(name=group_name))
    return user


def editorial_staff():
    """An editor ("Redacteuren") and a board member ("Hoofdredactie")."""
    return staff_member("redacteur", EDITORS), staff_member("hoofdredacteur", BOARD)


def sign_in(browser, browser_problems, base_url, username):
    """A new browser context signed in to the admin as ``username``; returns its page."""
    context = browser_problems.watch(
        browser.new_context(locale="nl-NL", viewport={"width": 1280, "height": 900}, base_url=base_url)
    )
    page = context.new_page()
    page.goto("/admin/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url("**/admin/")
    return page


def choose(page, button, search, result, *, scope=None):
    """Open a chooser with ``button``, search for ``search`` and pick the ``result`` link."""
    (scope or page).get_by_role("button", name=button).click()
    modal = page.locator(".modal").last
    expect(modal).to_be_visible()
    expect(modal.get_by_role("link", name=re.compile(re.escape(result))).first).to_be_visible()
    search_box = modal.get_by_role("textbox")
    if search_box.count():  # short lists have no search box
        search_box.first.fill(search)
    modal.get_by_role("link", name=re.compile(re.escape(result))).first.click()
    expect(modal).to_be_hidden()


def upload_document(page, button, title, path):
    """Open the document chooser with ``button`` and upload ``path`` as a new document."""
    page.get_by_role("button", name=button).click()
    modal = page.locator(".modal").last
    modal.get_by_role("tab", name="Uploaden").click()
    modal.locator("input[type=file]").set_input_files(path)
    modal.get_by_role("textbox", name=re.compile("^Titel")).fill(title)
    modal.get_by_role("button", name="Uploaden").click()
    expect(modal).to_be_hidden()


def add_inline(page, button, prefix):
    """Click an inline panel's "Voeg ... toe" button; returns the new form's id prefix."""
    total = page.locator(f"#id_{prefix}-TOTAL_FORMS")
    before = int(total.input_value())
    page.get_by_role("button", name=button).click()
    expect(total).to_have_value(str(before + 1))
    return f"id_{prefix}-{before}-"


def fill_rich_text(page, container, text):
    """Type ``text`` into the Draftail editor inside ``container``."""
    editor = container.locator("[contenteditable='true']").first
    editor.click()
    page.keyboard.type(text)


def _expect_message(page, message):
    """Wait for ``message``; a form with validation errors fails with the errors it shows."""
    messages = page.locator(".messages")
    expect(messages).not_to_be_empty()
    if "validatiefouten" in messages.inner_text():
        errors = page.locator(".error-message").evaluate_all(
            "els => els.map(e => (e.closest('[data-contentpath]') || {}).dataset?.contentpath"
            " + ': ' + e.innerText)"
        )
        raise AssertionError(f"The form has errors: {errors}")
    expect(messages).to_contain_text(message)


def save_draft(page, message):
    """Click "Bewaar concept" and wait for the success message."""
    page.get_by_role("button", name="Bewaar concept").click()
    _expect_message(page, message)


def workflow_action(page, action, message):
    """Open the action menu and click ``action`` (submit, approve); wait for ``message``."""
    page.get_by_role("button", name="Meer acties").click()
    page.get_by_role("button", name=action).click()
    _expect_message(page, message)


def submit_for_review(page):
    workflow_action(page, SUBMIT, "ter goedkeuring")


def approve(page, message="bijgewerkt"):
    """A board member approves what is open in the editor: it goes live. (Wagtail confirms an
    approved snippet as "bijgewerkt"; the tests check that it is live.)"""
    workflow_action(page, APPROVE, message)
