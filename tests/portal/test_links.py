"""The weekly check of external links: every address the content links to is asked for, the
outcome kept, and the dashboard lists the records whose links do not work."""

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.conf import settings
from django.core.management import call_command
from wagtail.models import Locale

from countries.models import CountryWebsite
from kit import outbound
from portal import links
from portal.models import LinkCheck
from tests.factories import OrganisationFactory, StudyFactory, cited_paragraphs, make_country

pytestmark = pytest.mark.django_db


class Handler(BaseHTTPRequestHandler):
    """A small web: pages that work, are missing, moved, refuse HEAD, fail once, or hang."""

    flaky_calls = 0
    seen = []

    def _answer(self, with_body):
        path = self.path
        Handler.seen.append(path)
        if path == "/naar-binnen":
            self.send_response(302)
            self.send_header("Location", f"http://127.0.0.1:{self.server.server_address[1]}/binnen")
            self.end_headers()
            return
        if path.startswith("/werkt"):
            status = 200
        elif path == "/verhuisd":
            self.send_response(301)
            self.send_header("Location", "/werkt")
            self.end_headers()
            return
        elif path == "/geen-head":
            status = 405 if self.command == "HEAD" else 200
        elif path == "/hapert":
            Handler.flaky_calls += 1
            status = 503 if Handler.flaky_calls <= 2 else 200
        elif path == "/traag":
            time.sleep(4)
            status = 200
        elif path == "/kapot":
            status = 500
        else:
            status = 404
        self.send_response(status)
        self.send_header("Content-Length", "2")
        self.end_headers()
        if with_body:
            self.wfile.write(b"ok")

    def do_HEAD(self):
        self._answer(with_body=False)

    def do_GET(self):
        self._answer(with_body=True)

    def log_message(self, *args):
        pass


def _web_test_addresses(host, port):
    # The server is on this machine, which the check refuses to ask for: the host name
    # ``web.test`` stands for a public server and leads to it; every other host is checked.
    if host == "web.test":
        return ["127.0.0.1"]
    return outbound.public_addresses(host, port)


@pytest.fixture
def web(monkeypatch):
    """The base address of a local web server for the checks, with a short timeout."""
    Handler.flaky_calls = 0
    Handler.seen = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    monkeypatch.setattr(
        links, "default_fetcher", lambda: outbound.Fetcher(addresses=_web_test_addresses, timeout=1.5)
    )
    yield f"http://web.test:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def _outcomes():
    return {
        check.url.rsplit("/", 1)[-1]: (check.ok, check.status_code, check.error)
        for check in LinkCheck.objects.all()
    }


def test_every_address_in_use_is_checked(site_tree, web):
    """Links of studies (drafts too), organisations, profiles' websites and links in the
    texts of pages are asked for; redirects are followed, a server that refuses HEAD is asked
    with GET, and a page that fails once is asked again before it counts as broken."""
    StudyFactory(url=f"{web}/werkt")
    StudyFactory(url=f"{web}/ontbreekt", live=False)
    StudyFactory(url=f"{web}/hapert")
    StudyFactory(url="")
    OrganisationFactory(website=f"{web}/verhuisd")
    OrganisationFactory(website=f"{web}/geen-head")
    finland = make_country(
        "FI",
        title="Finland",
        context=cited_paragraphs((f'<p>Zie <a href="{web}/werkt-in-tekst?a=1&amp;b=2">de site</a>.</p>', [])),
    )
    CountryWebsite.objects.create(page=finland, name="Traag", url=f"{web}/traag")
    CountryWebsite.objects.create(page=finland, name="Kapot", url=f"{web}/kapot")

    assert links.check_links() == (8, 3)
    assert _outcomes() == {
        "werkt": (True, 200, ""),
        "ontbreekt": (False, 404, ""),
        "hapert": (True, 200, ""),
        "verhuisd": (True, 200, ""),
        "geen-head": (True, 200, ""),
        "traag": (False, None, "Geen antwoord binnen de wachttijd"),
        "kapot": (False, 500, ""),
        "werkt-in-tekst?a=1&b=2": (True, 200, ""),
    }


def test_an_overlong_address_in_a_text_is_left_out(site_tree, web):
    """An address longer than a check can store (only a link typed into a text could be one)
    is left out instead of failing the run."""
    overlong = f"{web}/werkt/{'x' * 2000}"
    make_country(
        "FI", title="Finland", context=cited_paragraphs((f'<p><a href="{overlong}">lang</a></p>', []))
    )
    StudyFactory(url=f"{web}/werkt")
    assert links.check_links() == (1, 0)
    assert list(LinkCheck.objects.values_list("url", flat=True)) == [f"{web}/werkt"]


def test_unreachable_servers_and_addresses_no_longer_used(site_tree, web):
    """A server that refuses connections is broken; an address no longer linked is
    forgotten at the next check."""
    study = StudyFactory(url="http://web.test:1/")
    OrganisationFactory(website=f"{web}/werkt")
    links.check_links()
    assert LinkCheck.objects.get(url="http://web.test:1/").error == "Server niet bereikbaar"
    study.url = f"{web}/werkt"
    study.save()
    assert links.check_links() == (1, 0)
    assert list(LinkCheck.objects.values_list("url", flat=True)) == [f"{web}/werkt"]


@pytest.mark.parametrize(
    "address, public",
    [
        ("127.0.0.1", False),
        ("10.1.2.3", False),
        ("192.168.0.1", False),
        ("172.16.5.4", False),
        ("100.64.0.1", False),
        ("169.254.169.254", False),
        ("224.0.0.251", False),
        ("240.0.0.1", False),
        ("0.0.0.0", False),  # noqa: S104
        ("::1", False),
        ("fd00::1", False),
        ("fe80::1%eth0", False),
        ("ff02::1", False),
        ("::ffff:10.0.0.1", False),
        ("64:ff9b::a00:1", False),
        ("2002:c0a8:1::", False),
        ("93.184.216.34", True),
        ("2606:2800:220:1:248:1893:25c8:1946", True),
        ("::ffff:93.184.216.34", True),
    ],
)
def test_which_addresses_are_public(address, public):
    """Loopback, private, shared, link-local (the cloud's metadata service among them),
    multicast, reserved and unspecified addresses, and IPv6 addresses that carry one of them,
    are not public; ordinary internet addresses are."""
    assert outbound.is_public_ip(address) is public


def test_an_address_that_cannot_be_parsed_is_broken():
    """A malformed address (from a link typed into a text) is reported, not a crash of the
    whole run."""
    outcome = links.check_url("http://[::1", outbound.Fetcher(timeout=0.5))
    assert not outcome.ok and outcome.error.startswith("Ongeldig adres: ")


def test_internal_addresses_are_not_asked_for(site_tree, web):
    """A link to this machine or a private network, also one a redirect leads to, is not
    asked for: it shows as broken, since no visitor can follow it either, and the worker never
    sends the request."""
    local = web.replace("web.test", "127.0.0.1")
    assert links.check_url(f"{local}/werkt") == links.Outcome(False, None, "Intern adres, niet gecontroleerd")
    assert Handler.seen == []
    # ``web.test`` stands in for a public server whose redirect leads inside.
    assert links.check_url(f"{web}/naar-binnen").error == "Intern adres, niet gecontroleerd"
    assert "/binnen" not in Handler.seen
    assert "/naar-binnen" in Handler.seen


def test_the_dashboard_lists_records_with_broken_links(client, site_tree, web, django_user_model):
    """The panel "Aandacht nodig" names each record whose link does not work, with the address,
    what went wrong and a link to edit it, and when the last check ran."""
    broken_study = StudyFactory(title="Onderzoek met dode link", url=f"{web}/ontbreekt")
    StudyFactory(title="Onderzoek met goede link", url=f"{web}/werkt")
    organisation = OrganisationFactory(name="Organisatie zonder server", website="http://web.test:1/")
    finland = make_country(
        "FI",
        title="Finland",
        lessons=cited_paragraphs((f'<p>Zie <a href="{web}/ontbreekt-in-tekst">dit rapport</a>.</p>', [])),
    )
    CountryWebsite.objects.create(page=finland, name="Portaal", url=f"{web}/kapot")
    # An English translation (with the same website and text) is named as such; an English
    # alias of another profile adds nothing of its own.
    english = finland.copy_for_translation(Locale.objects.get(language_code="en"), copy_parents=True)
    english.save_revision().publish()
    norway = make_country(
        "NO", title="Noorwegen", lessons=cited_paragraphs((f'<p><a href="{web}/weg">Weg</a>.</p>', []))
    )
    CountryWebsite.objects.create(page=norway, name="Loket", url=f"{web}/ook-kapot")
    norway.copy_for_translation(Locale.objects.get(language_code="en"), alias=True)
    user = django_user_model.objects.create_superuser("beheer", "beheer@example.org", "wachtwoord")
    client.force_login(user)

    before = client.get("/admin/").content.decode()
    assert "Links die niet werken (0)" in before
    assert "Er is nog nooit een linkcontrole gedaan" in before

    links.check_links()
    html = client.get("/admin/").content.decode()
    assert "Links die niet werken (8)" in html
    assert (
        f'href="/admin/snippets/knowledgebase/study/edit/{broken_study.pk}/">Onderzoek met dode link</a>'
        in html
    )
    assert f"{web}/ontbreekt (HTTP 404)" in html
    assert f'/edit/{organisation.pk}/">Organisatie zonder server</a>' in html
    assert "http://web.test:1/ (Server niet bereikbaar)" in html
    assert f'href="/admin/pages/{finland.pk}/edit/">Finland: Portaal</a>' in html
    assert f'href="/admin/pages/{finland.pk}/edit/">Finland (in de tekst)</a>' in html
    assert f'href="/admin/pages/{english.pk}/edit/">Finland (English): Portaal</a>' in html
    assert f'href="/admin/pages/{english.pk}/edit/">Finland (English) (in de tekst)</a>' in html
    assert f"{web}/ontbreekt-in-tekst (HTTP 404)" in html
    assert "Onderzoek met goede link" not in html
    assert "laatste controle: nog nooit" not in html


def test_command_and_schedule(site_tree, web, capsys):
    """``manage.py check_links`` runs the check on demand; Celery beat runs it weekly."""
    StudyFactory(url=f"{web}/ontbreekt")
    call_command("check_links")
    assert "1 adressen gecontroleerd, 1 werken niet." in capsys.readouterr().out
    assert settings.CELERY_BEAT_SCHEDULE["check-links"]["task"] == "portal.tasks.check_links"
