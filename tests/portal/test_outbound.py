"""The link check never asks for an address on the servers' own network: real listeners on
loopback prove that no connection reaches them, whatever spelling, parser trick or redirect
an editor tries, and that public addresses are asked for at the address that was checked."""

import socket
import ssl
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import trustme
from django.core.exceptions import ValidationError

from countries.models import CountryWebsite
from kit import outbound
from knowledgebase.models import Organisation, Study
from portal import links
from tests.factories import make_country


class Listener:
    """A TCP listener on 127.0.0.1 and, on the same port, on ::1 that records every
    connection it accepts (before any HTTP is read) and answers 200."""

    def __init__(self):
        self.connections = []
        self.servers = []
        self.v4 = self._serve(socket.AF_INET, "127.0.0.1", 0)
        self.port = self.v4.server_address[1]
        try:
            self.v6 = self._serve(socket.AF_INET6, "::1", self.port)
        except OSError:
            self.v6 = None

    def _serve(self, family, host, port):
        listener = self

        class Handler(BaseHTTPRequestHandler):
            def setup(self):
                listener.connections.append(self.client_address)
                super().setup()

            def do_GET(self):
                self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            do_HEAD = do_GET

            def log_message(self, *args):
                pass

        server_class = type("Server", (ThreadingHTTPServer,), {"address_family": family})
        server = server_class((host, port), Handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        self.servers.append(server)
        return server

    def close(self):
        for server in self.servers:
            server.shutdown()
            server.server_close()


@pytest.fixture
def listener():
    server = Listener()
    yield server
    server.close()


def tricky_urls(port):
    """Addresses that lead to this machine, or that parsers read differently."""
    return [
        f"http://127.0.0.1:{port}/",
        f"https://127.0.0.1:{port}/",
        f"http://127.0.0.2:{port}/",
        f"HTTP://127.0.0.1:{port}/",
        f"http://localhost:{port}/",
        f"http://LOCALHOST:{port}/",
        f"http://localhost.:{port}/",
        f"http://a.localhost:{port}/",
        # Decimal, octal, hexadecimal and short forms of 127.0.0.1.
        f"http://2130706433:{port}/",
        f"http://0177.0.0.1:{port}/",
        f"http://0x7f.0.0.1:{port}/",
        f"http://0x7f000001:{port}/",
        f"http://017700000001:{port}/",
        f"http://127.1:{port}/",
        f"http://127.0.1:{port}/",
        f"http://127.0.0.1.:{port}/",
        f"http://127。0。0。1:{port}/",
        f"http://%31%32%37.0.0.1:{port}/",
        # The unspecified address, which Linux connects to this machine.
        f"http://0.0.0.0:{port}/",
        f"http://0:{port}/",
        f"http://[::]:{port}/",
        # IPv6 loopback and IPv6 forms of 127.0.0.1.
        f"http://[::1]:{port}/",
        f"http://[0:0:0:0:0:0:0:1]:{port}/",
        f"http://[::ffff:127.0.0.1]:{port}/",
        f"http://[::ffff:7f00:1]:{port}/",
        f"http://[64:ff9b::127.0.0.1]:{port}/",
        f"http://[2002:7f00:1::]:{port}/",
        f"http://[::1%25lo]:{port}/",
        # User names, backslashes and other parser tricks.
        f"http://127.0.0.1:{port}\\@example.org/x",
        f"http://example.org@127.0.0.1:{port}/",
        f"http://example.org:80@127.0.0.1:{port}/",
        f"http://127.0.0.1:{port}%2f@example.org/",
        f"http:\\\\127.0.0.1:{port}/",
        f"http:/\\127.0.0.1:{port}/",
        f"http:127.0.0.1:{port}/",
        f"http:/127.0.0.1:{port}/",
        f"http://127.0.0.1:{port}#@example.org/",
        f"http://127.0.0.1:{port}?@example.org/",
        # White space and control characters, which some parsers drop.
        f" http://127.0.0.1:{port}/",
        f"http://127.0.0.1:{port}/\n",
        f"http://127.0.0.1\t:{port}/",
        f"http://127.0.0.\n1:{port}/",
        f"http://127.0.0.1:{port}/\x00",
        f"http://127.0.0.1\u200b:{port}/",
        # Ports written in a way only some parsers accept.
        f"http://127.0.0.1:0{port}/",
        f"http://127.0.0.1:{port}:{port}/",
        f"http://127.0.0.1:+{port}/",
        f"http://127.0.0.1:{port + 65536}/",
        # Other schemes.
        f"ftp://127.0.0.1:{port}/",
        f"file://127.0.0.1:{port}/etc/passwd",
    ]


def test_no_tricky_address_reaches_a_listener_on_this_machine(listener):
    """Not one connection reaches the loopback listeners for any of the addresses, and each
    is reported as internal or invalid, never as working."""
    fetcher = outbound.Fetcher(timeout=2)
    for url in tricky_urls(listener.port):
        outcome = links.check_url(url, fetcher)
        assert not outcome.ok, url
        assert outcome.error.startswith(("Intern adres", "Ongeldig adres")), (url, outcome)
    assert listener.connections == []
    # The listeners do answer a plain connection: the corpus, not a dead port, kept them quiet.
    with socket.create_connection(("127.0.0.1", listener.port), timeout=2):
        pass
    deadline = time.monotonic() + 5
    while not listener.connections and time.monotonic() < deadline:
        time.sleep(0.01)
    assert len(listener.connections) == 1


class Redirector(BaseHTTPRequestHandler):
    """Stands in for a public web server: answers every request with a redirect to
    ``target`` (set per test) and records the requests it got."""

    target = ""
    requests = []

    def do_GET(self):
        Redirector.requests.append((self.path, self.headers["Host"]))
        self.send_response(302)
        self.send_header("Location", Redirector.target)
        self.send_header("Content-Length", "0")
        self.end_headers()

    do_HEAD = do_GET

    def log_message(self, *args):
        pass


@pytest.fixture
def redirector():
    Redirector.requests = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), Redirector)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server.server_address[1]
    server.shutdown()
    server.server_close()


def _public_test_host(port):
    """A resolver for the tests: ``public.test`` stands for a public server and leads to the
    local server on ``port``; every other host goes through the real check."""

    def addresses(host, host_port):
        if host == "public.test":
            return ["127.0.0.1"]
        return outbound.public_addresses(host, host_port)

    return addresses


@pytest.mark.parametrize(
    "location",
    [
        "http://127.0.0.1:{port}/",
        "http://localhost:{port}/",
        "http://[::1]:{port}/",
        "http://2130706433:{port}/",
        "http://public.test@127.0.0.1:{port}/",
        "http://127.0.0.1:{port}\\@public.test/",
        "//127.0.0.1:{port}/",
        "http://[::ffff:127.0.0.1]:{port}/",
    ],
)
def test_a_redirect_from_a_public_host_to_this_machine_is_not_followed(listener, redirector, location):
    """The first hop (a host the test resolver treats as public) is asked; its redirect to an
    internal address is checked like a new address and never asked for."""
    Redirector.target = location.format(port=listener.port)
    fetcher = outbound.Fetcher(addresses=_public_test_host(redirector), timeout=2)
    outcome = links.check_url(f"http://public.test:{redirector}/eerste", fetcher)
    assert not outcome.ok
    assert outcome.error.startswith(("Intern adres", "Ongeldig adres")), outcome
    assert listener.connections == []
    # The first hop was asked, at the checked address, for the public host's name and path.
    assert Redirector.requests[0] == ("/eerste", f"public.test:{redirector}")


def test_redirects_are_capped(redirector):
    """A redirect loop stops after ``MAX_REDIRECTS`` hops."""
    Redirector.target = "/rond"
    fetcher = outbound.Fetcher(addresses=_public_test_host(redirector), timeout=2)
    outcome = links.check_url(f"http://public.test:{redirector}/rond", fetcher)
    assert outcome.error == "Te veel doorverwijzingen"
    # The first request and MAX_REDIRECTS redirects followed, then no more.
    assert len(Redirector.requests) == outbound.MAX_REDIRECTS + 1


def test_a_host_that_resolves_to_an_internal_address_is_not_asked(listener, monkeypatch):
    """A host name whose DNS answer includes an internal address is refused before any
    connection, even when another of its addresses is public."""

    def getaddrinfo(host, port, *args, **kwargs):
        return [
            (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("93.184.215.14", port)),
            (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("127.0.0.1", port)),
        ]

    monkeypatch.setattr(outbound.socket, "getaddrinfo", getaddrinfo)
    outcome = links.check_url(f"http://rebind.example:{listener.port}/", outbound.Fetcher(timeout=2))
    assert outcome.error == "Intern adres, niet gecontroleerd"
    assert listener.connections == []


@pytest.fixture
def tls_server():
    """An HTTPS server on loopback with a certificate for ``public.test`` from a test CA;
    records the TLS server name (SNI) and the Host header of each request."""
    authority = trustme.CA()
    certificate = authority.issue_cert("public.test")
    seen = {"sni": [], "host": []}
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    certificate.configure_cert(context)
    context.sni_callback = lambda sock, name, ctx: seen["sni"].append(name)

    class Handler(BaseHTTPRequestHandler):
        def do_HEAD(self):
            seen["host"].append(self.headers["Host"])
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    with authority.cert_pem.tempfile() as ca_file:
        yield server.server_address[1], ca_file, seen
    server.shutdown()
    server.server_close()


def test_tls_uses_the_host_name_for_sni_and_the_certificate(tls_server):
    """Connecting to the checked address, the TLS handshake still names the host (SNI), the
    certificate is checked against the host name, and the Host header carries it."""
    port, ca_file, seen = tls_server

    def addresses(host, host_port):
        return ["127.0.0.1"]

    fetcher = outbound.Fetcher(addresses=addresses, timeout=2, ca_certs=ca_file)
    assert links.check_url(f"https://public.test:{port}/", fetcher) == links.Outcome(True, 204)
    assert seen == {"sni": ["public.test"], "host": [f"public.test:{port}"]}
    # The same server under another name: its certificate does not match, nothing is asked.
    outcome = links.check_url(f"https://other.test:{port}/", fetcher)
    assert outcome.error == "Beveiligde verbinding mislukt (certificaat)"
    assert seen["host"] == [f"public.test:{port}"]
    # Without the test CA the certificate is not trusted either.
    untrusted = outbound.Fetcher(addresses=addresses, timeout=2)
    assert not links.check_url(f"https://public.test:{port}/", untrusted).ok


@pytest.mark.parametrize(
    "url",
    [
        "https://www.example.org/pad?a=1&b=2#deel",
        "http://example.org:8080/",
        "https://bücher.example/über",
        "https://93.184.215.14/",
        "https://[2606:2800:220:1:248:1893:25c8:1946]/",
    ],
)
def test_ordinary_public_addresses_are_accepted(url):
    """Public addresses, also with a port, an international name or a public IP, pass."""
    outbound.validate_public_url(url)


@pytest.mark.parametrize("url", ["http://127.0.0.1:18476\\@example.org/x", *tricky_urls(8000)])
def test_the_validator_refuses_every_tricky_address(url):
    """Every address of the corpus is refused when it is saved, with a Dutch message."""
    with pytest.raises(ValidationError) as error:
        outbound.validate_public_url(url)
    assert error.value.messages[0].startswith("Dit adres"), error.value.messages


@pytest.mark.django_db
def test_editors_cannot_save_an_internal_or_ambiguous_address(site_tree):
    """The study link, the organisation's website and a profile's website refuse such an
    address with a Dutch message on the field; a public address saves."""
    bad = "http://127.0.0.1:18476\\@example.org/x"
    study = Study(title="Onderzoek", slug="onderzoek", study_type="report", url=bad)
    organisation = Organisation(name="Organisatie", slug="organisatie", website="http://10.0.0.5/")
    website = CountryWebsite(page=make_country("FI"), name="Portaal", url="http://localhost:8000/")
    for record, field in [(study, "url"), (organisation, "website"), (website, "url")]:
        with pytest.raises(ValidationError) as error:
            record.clean_fields()
        assert field in error.value.message_dict, record
        assert error.value.message_dict[field][0].startswith("Dit adres"), error.value.message_dict
        setattr(record, field, "https://www.example.org/rapport")
        try:
            record.clean_fields()
        except ValidationError as other:
            assert field not in other.message_dict, other.message_dict
