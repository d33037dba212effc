"""Asking for an address that an editor typed in, without letting it reach the servers' own
network (the link check, ``portal/links.py``), and refusing such addresses when they are saved.

Three rules, each closing a way in:

1. **One reading of the address.** An address is only accepted in a form that every parser
   reads the same way: ``http`` or ``https``, a host name or a canonical IP address, an
   optional port in plain digits, and no user name, backslash, white space, control character
   or percent sign in the host. ``http://127.0.0.1:18476\\@example.org/`` is refused instead
   of being read as ``example.org`` by one parser and ``127.0.0.1`` by another; so are the
   other spellings of an IPv4 address (``2130706433``, ``0177.0.0.1``, ``0x7f.1``).
2. **Resolve once, check, connect to what was checked.** The host name is resolved once; if
   any of its addresses is not a public unicast address (loopback, private, link-local,
   carrier-grade NAT, multicast, reserved, unspecified, documentation ranges, and IPv6
   addresses that embed such an IPv4 address) nothing is asked. Otherwise the connection goes
   to that very address, with the original host name in the ``Host`` header, as the TLS
   server name (SNI) and as the name the certificate must carry. A DNS answer that changes
   between the check and the connection therefore changes nothing.
3. **Every redirect is a new address.** Redirects are followed here, one at a time (at most
   ``MAX_REDIRECTS``), and each goes through rules 1 and 2 again.

``Fetcher`` takes the step from host name to checked addresses as a parameter
(``addresses``): the tests give it one that sends a made-up public host to a local test server,
so that a redirect from "outside" to this machine can be tried. Nothing in the settings or the
environment reaches it; the link check always uses the default.
"""

import ipaddress
import re
import socket
import unicodedata
from dataclasses import dataclass
from urllib.parse import quote, urljoin

import certifi
import idna
import urllib3
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

USER_AGENT = "Kennisportaal-Loopbaanbegeleiding-linkcontrole/1.0"
# Seconds to wait for a connection and for an answer; a slower server counts as a failure.
TIMEOUT = 15
MAX_REDIRECTS = 5
DEFAULT_PORTS = {"http": 80, "https": 443}

# The whole address: scheme, "//", the authority up to the first "/", "?" or "#", the rest.
URL_SHAPE = re.compile(r"(?P<scheme>[A-Za-z][A-Za-z0-9+.-]*)://(?P<authority>[^/?#]*)(?P<rest>.*)", re.DOTALL)
IPV6_AUTHORITY = re.compile(r"\[(?P<host>[0-9A-Fa-f:.]+)\](?::(?P<port>[^:]*))?")
NAME_AUTHORITY = re.compile(r"(?P<host>[^:\[\]]+)(?::(?P<port>[^:]*))?")
PORT = re.compile(r"[1-9][0-9]{0,4}")
# The last label of a host that the WHATWG URL parser (every browser) reads as an IPv4
# address, in decimal, octal or hexadecimal.
NUMERIC_LABEL = re.compile(r"(0x[0-9a-f]*|[0-9]+)")
OCTET = r"(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])"
CANONICAL_IPV4 = re.compile(rf"{OCTET}(\.{OCTET}){{3}}")
DNS_LABEL = re.compile(r"[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?")
# Characters left as they are in the path and query of a request: the reserved and
# unreserved ones of RFC 3986 and "%" (an address may be percent-encoded already).
PATH_SAFE = "/?:@!$&'()*+,;=-._~%[]"
# The well-known NAT64 prefix: an address in it is an IPv4 address reached through a gateway.
NAT64 = ipaddress.ip_network("64:ff9b::/96")
# Host names that always mean this machine, whatever DNS says.
LOCAL_NAMES = ("localhost", "localhost.localdomain")


class UnsafeAddress(Exception):
    """An address the link check does not ask for."""


class InvalidAddress(UnsafeAddress):
    """An address that is malformed or that parsers may read differently; ``reason`` says why,
    in Dutch."""

    def __init__(self, reason):
        super().__init__(reason)
        self.reason = reason


class InternalAddress(UnsafeAddress):
    """An address whose host is (or resolves to) an address outside the public internet."""


class Unresolvable(Exception):
    """A host name that does not resolve."""


class TooManyRedirects(Exception):
    """More than ``MAX_REDIRECTS`` redirects."""


@dataclass(frozen=True)
class Target:
    """What an address asks for, read once: the connection goes to ``host`` (ASCII, an IP
    address without brackets or a host name) on ``port``, and asks for ``path`` (path and
    query) with ``host_header`` as the ``Host`` header."""

    scheme: str
    host: str
    port: int
    path: str
    ip: ipaddress.IPv4Address | ipaddress.IPv6Address | None

    @property
    def host_header(self):
        host = f"[{self.host}]" if isinstance(self.ip, ipaddress.IPv6Address) else self.host
        return host if self.port == DEFAULT_PORTS[self.scheme] else f"{host}:{self.port}"


def _has_invisible_characters(url):
    # Parsers strip or keep white space and control characters differently (the WHATWG
    # parser drops tabs and newlines anywhere in an address).
    return any(char.isspace() or unicodedata.category(char) in {"Cc", "Cf", "Zs", "Zl", "Zp"} for char in url)


def parse_target(url):
    """The ``Target`` of ``url``, or ``InvalidAddress`` when it is not in the one form that
    every parser reads the same way (module docstring, rule 1)."""
    if not isinstance(url, str) or not url:
        raise InvalidAddress(_("een leeg adres"))
    if _has_invisible_characters(url):
        raise InvalidAddress(_("spaties of onzichtbare tekens in het adres"))
    if "\\" in url:
        raise InvalidAddress(_("een backslash (\\) in het adres"))
    shape = URL_SHAPE.fullmatch(url)
    if shape is None:
        raise InvalidAddress(_("het adres begint niet met http:// of https://"))
    scheme = shape["scheme"].lower()
    if scheme not in DEFAULT_PORTS:
        raise InvalidAddress(_("alleen http:// en https:// zijn toegestaan"))
    authority = shape["authority"]
    if "@" in authority:
        raise InvalidAddress(_("een gebruikersnaam of @ vóór de servernaam"))
    if "%" in authority:
        raise InvalidAddress(_("een %-teken in de servernaam"))
    match = IPV6_AUTHORITY.fullmatch(authority) or NAME_AUTHORITY.fullmatch(authority)
    if match is None:
        raise InvalidAddress(_("de servernaam of poort is niet te lezen"))
    port = match["port"]
    if port is not None and (not PORT.fullmatch(port) or int(port) > 65535):
        raise InvalidAddress(_("een ongebruikelijk geschreven poortnummer"))
    port = int(port) if port else DEFAULT_PORTS[scheme]
    if authority.startswith("["):
        try:
            ip = ipaddress.IPv6Address(match["host"])
        except ValueError:
            raise InvalidAddress(_("een ongeldig IPv6-adres")) from None
        host = str(ip)
    else:
        host, ip = _host_name(match["host"])
    path = shape["rest"].split("#", 1)[0]
    if path and not path.startswith(("/", "?")):
        raise InvalidAddress(_("de servernaam of poort is niet te lezen"))
    if path.startswith("?") or not path:
        path = "/" + path
    return Target(scheme=scheme, host=host, port=port, path=quote(path, safe=PATH_SAFE), ip=ip)


def _host_name(raw):
    """(ASCII host, IPv4 address or None) of a host that is not an IPv6 literal."""
    try:
        # UTS 46 maps what browsers map (full-width letters and dots, capitals), so the name
        # checked is the name they would ask for.
        host = idna.encode(raw, uts46=True, transitional=False).decode("ascii")
    except (idna.IDNAError, UnicodeError):
        # idna refuses numeric labels and some ASCII; read those as plain ASCII.
        if not raw.isascii():
            raise InvalidAddress(_("een ongeldige servernaam")) from None
        host = raw.lower()
    labels = host.removesuffix(".").split(".")
    if NUMERIC_LABEL.fullmatch(labels[-1]):
        # A browser reads this host as an IPv4 address; only the usual dotted form is taken.
        if not CANONICAL_IPV4.fullmatch(host):
            raise InvalidAddress(_("een IP-adres in een ongebruikelijke schrijfwijze"))
        return host, ipaddress.IPv4Address(host)
    if len(host) > 253 or not all(DNS_LABEL.fullmatch(label) for label in labels):
        raise InvalidAddress(_("een ongeldige servernaam"))
    return host, None


def is_public_ip(address):
    """Whether ``address`` (an ``ipaddress`` address or its text) is a public unicast
    address: not loopback, private, link-local, shared (carrier-grade NAT), multicast,
    reserved, unspecified or for documentation, and for IPv6 not one that carries such an IPv4
    address (IPv4-mapped, NAT64, 6to4) or Teredo."""
    ip = ipaddress.ip_address(str(address).split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return is_public_ip(ip.ipv4_mapped)
        if ip in NAT64:
            return is_public_ip(ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF))
        if ip.sixtofour is not None:
            return is_public_ip(ip.sixtofour)
        if ip.teredo is not None or ip.is_site_local:
            return False
    return ip.is_global and not (
        ip.is_multicast
        or ip.is_private
        or ip.is_reserved
        or ip.is_loopback
        or ip.is_link_local
        or ip.is_unspecified
    )


def public_addresses(host, port):
    """The addresses ``host`` resolves to, all of them public, resolved once; raises
    ``InternalAddress`` when one of them is not public and ``Unresolvable`` when there are
    none."""
    name = host.removesuffix(".")
    if name in LOCAL_NAMES or name.endswith(".localhost"):
        raise InternalAddress(host)
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, proto=socket.IPPROTO_TCP)
    except (socket.gaierror, UnicodeError) as error:
        raise Unresolvable(host) from error
    addresses = list(dict.fromkeys(info[4][0] for info in infos))
    if not addresses:
        raise Unresolvable(host)
    if not all(is_public_ip(address) for address in addresses):
        raise InternalAddress(host)
    return addresses


def validate_public_url(value):
    """Refuse, when it is saved, an address the link check would refuse to read or could only
    find inside a network: the rules of ``parse_target``, an IP address that is not public,
    ``localhost`` and host names without a domain. DNS is not asked (the admin may have no
    network, and an answer can change); the link check resolves and checks again."""
    try:
        target = parse_target(value)
    except InvalidAddress as error:
        raise ValidationError(
            _("Dit adres kan niet worden gebruikt: %(reason)s."),
            code="unsafe_url",
            params={"reason": error.reason},
        ) from None
    host = target.host.removesuffix(".")
    internal = (
        (target.ip is not None and not is_public_ip(target.ip))
        or host in LOCAL_NAMES
        or host.endswith(".localhost")
        or (target.ip is None and "." not in host)
    )
    if internal:
        raise ValidationError(
            _(
                "Dit adres wijst naar een computer of intern netwerk (zoals localhost, 127.0.0.1 "
                "of 10.x.x.x) dat bezoekers niet kunnen bereiken. Gebruik het openbare adres."
            ),
            code="internal_url",
        )


class Fetcher:
    """Asks for addresses by the rules of the module docstring and returns the status code.

    ``addresses(host, port)`` gives the checked addresses to connect to (default
    ``public_addresses``); ``ca_certs`` the certificate authorities a TLS server's certificate
    must chain to (default: certifi's, as requests uses)."""

    def __init__(
        self, *, addresses=public_addresses, timeout=TIMEOUT, max_redirects=MAX_REDIRECTS, ca_certs=None
    ):
        self.addresses = addresses
        self.timeout = timeout
        self.max_redirects = max_redirects
        self.ca_certs = ca_certs or certifi.where()

    def status(self, url, method="HEAD"):
        """The status ``url`` answers ``method`` with, after following redirects, each one
        read and checked as a new address. Raises ``UnsafeAddress``, ``Unresolvable``,
        ``TooManyRedirects`` or one of urllib3's errors (no connection, time-out, TLS)."""
        for _hop in range(self.max_redirects + 1):
            target = parse_target(url)
            status, location = self._ask(target, method)
            if status not in {301, 302, 303, 307, 308} or not location:
                return status
            url = urljoin(url, location)
        raise TooManyRedirects(url)

    def _ask(self, target, method):
        if target.ip is not None:
            if not is_public_ip(target.ip):
                raise InternalAddress(target.host)
            candidates = [str(target.ip)]
        else:
            candidates = self.addresses(target.host, target.port)
        error = None
        for address in candidates:
            try:
                return self._ask_address(target, address, method)
            except (urllib3.exceptions.NewConnectionError, urllib3.exceptions.ConnectTimeoutError) as failed:
                # The next address of the host may answer; all were checked before the first.
                error = failed
        raise error

    def _ask_address(self, target, address, method):
        """(status, Location) of asking ``address`` for ``target``: the connection goes to
        ``address``; the host name travels in the Host header and as the TLS server name, and
        the certificate is checked against it."""
        timeout = urllib3.Timeout(connect=self.timeout, read=self.timeout)
        if target.scheme == "https":
            pool = urllib3.HTTPSConnectionPool(
                address,
                target.port,
                timeout=timeout,
                retries=False,
                maxsize=1,
                cert_reqs="CERT_REQUIRED",
                ca_certs=self.ca_certs,
                server_hostname=target.host,
                assert_hostname=target.host,
            )
        else:
            pool = urllib3.HTTPConnectionPool(address, target.port, timeout=timeout, retries=False, maxsize=1)
        with pool:
            response = pool.urlopen(
                method,
                target.path,
                headers={"Host": target.host_header, "User-Agent": USER_AGENT, "Accept": "*/*"},
                redirect=False,
                retries=False,
                assert_same_host=False,
                preload_content=False,
            )
            try:
                # The body is never read.
                return response.status, response.headers.get("Location")
            finally:
                response.close()
