"""The address guard: decides whether a URL may be fetched, and where to connect.

A URL is refused unless it is http(s), carries no credentials, uses an allowed
port, and every address its host resolves to is globally routable. The caller
then connects to the checked address itself (see `Target.pinned_url`), so a
second DNS answer cannot send the request somewhere else (DNS rebinding).
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable
from dataclasses import dataclass

import httpx

from ingest.errors import FetchError, UnsafeURLError
from ingest.settings import FetchSettings

Resolver = Callable[[str, int], list[str]]
IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

_DEFAULT_PORTS = {"http": 80, "https": 443}

# Ranges that CPython 3.11's `is_global` lets through but no public document
# server lives in: 192.0.0.0/24 (CVE-2024-4032), IPv4-compatible and
# IPv4-translated IPv6, local-use NAT64 and deprecated site-local IPv6.
_ALSO_REFUSED = tuple(
    ipaddress.ip_network(net)
    for net in ("192.0.0.0/24", "::/96", "::ffff:0:0:0/96", "64:ff9b:1::/48", "fec0::/10")
)
_NAT64 = ipaddress.ip_network("64:ff9b::/96")


def system_resolver(host: str, port: int) -> list[str]:
    """Every A and AAAA address of `host`, in the system's preferred order."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    addresses: list[str] = []
    for _family, _type, _proto, _name, sockaddr in infos:
        address = str(sockaddr[0])
        if address not in addresses:
            addresses.append(address)
    return addresses


def embedded_ipv4(address: IPAddress) -> list[ipaddress.IPv4Address]:
    """The IPv4 addresses an IPv6 address tunnels or translates to."""
    if isinstance(address, ipaddress.IPv4Address):
        return []
    found: list[ipaddress.IPv4Address] = []
    if address.ipv4_mapped is not None:
        found.append(address.ipv4_mapped)
    if address.sixtofour is not None:
        found.append(address.sixtofour)
    if address.teredo is not None:
        found.extend(address.teredo)
    if address in _NAT64:
        found.append(ipaddress.IPv4Address(int(address) & 0xFFFFFFFF))
    return found


def is_public(address: IPAddress) -> bool:
    """True when the address and everything it carries is globally routable."""
    for candidate in (address, *embedded_ipv4(address)):
        if not candidate.is_global or candidate.is_multicast:
            return False
        if any(candidate in net for net in _ALSO_REFUSED if net.version == candidate.version):
            return False
    return True


@dataclass(frozen=True)
class Target:
    """A checked URL and the addresses it may be fetched from."""

    url: str
    scheme: str
    host: str  # ASCII (IDNA) form, as sent in Host and SNI
    host_header: str  # host[:port] as the origin expects it
    port: int
    addresses: tuple[str, ...]

    def pinned_url(self, address: str) -> str:
        """The URL with its host replaced by `address`, so no second lookup happens."""
        return str(httpx.URL(self.url).copy_with(host=address, fragment=None))

    def extensions(self) -> dict[str, str]:
        # With the host replaced by an IP, TLS must still verify the real name.
        return {"sni_hostname": self.host} if self.scheme == "https" else {}


class AddressGuard:
    """Checks URLs before any connection is made. Thread-safe (no shared state)."""

    def __init__(self, settings: FetchSettings, resolver: Resolver | None = None) -> None:
        self._allowed_ports = frozenset(settings.allowed_ports)
        self._allow_private = settings.allow_private_hosts
        self._resolve = resolver or system_resolver

    def check(self, url: str) -> Target:
        """The target to connect to, or UnsafeURLError / FetchError with the reason."""
        parsed = _parse(url)
        scheme = parsed.scheme
        if scheme not in _DEFAULT_PORTS:
            raise UnsafeURLError(f"refused {url}: only http and https URLs are fetched")
        if parsed.userinfo:
            raise UnsafeURLError(
                f"refused {url}: URLs with credentials (user:password@) are refused"
            )
        port = parsed.port or _DEFAULT_PORTS[scheme]
        if port not in self._allowed_ports:
            allowed = ", ".join(str(p) for p in sorted(self._allowed_ports))
            raise UnsafeURLError(
                f"refused {url}: port {port} is not allowed (fetch.allowed_ports: {allowed})"
            )
        host = parsed.raw_host.decode("ascii")
        if not host:
            raise UnsafeURLError(f"refused {url}: the URL has no host")
        addresses = self._addresses(host, port)
        if not self._allow_private:
            for address in addresses:
                self._refuse_unless_public(url, address)
        return Target(
            url=url,
            scheme=scheme,
            host=host,
            host_header=parsed.netloc.decode("ascii"),
            port=port,
            addresses=tuple(str(a) for a in addresses),
        )

    def _addresses(self, host: str, port: int) -> list[IPAddress]:
        literal = _ip_literal(host)
        if literal is not None:
            return [literal]
        try:
            answers = self._resolve(host, port)
        except (OSError, UnicodeError) as error:
            raise FetchError(f"cannot resolve host {host}: {error}") from error
        if not answers:
            raise FetchError(f"cannot resolve host {host}: no addresses")
        addresses: list[IPAddress] = []
        for answer in answers:
            address = _ip_literal(answer)
            if address is None:
                raise FetchError(f"cannot resolve host {host}: resolver returned {answer!r}")
            addresses.append(address)
        return addresses

    @staticmethod
    def _refuse_unless_public(url: str, address: IPAddress) -> None:
        if is_public(address):
            return
        carried = ", ".join(str(v4) for v4 in embedded_ipv4(address))
        shown = f"{address} (carrying {carried})" if carried else str(address)
        raise UnsafeURLError(
            f"refused {url}: address {shown} is not globally routable; "
            "set fetch.allow_private_hosts = true for a local mirror"
        )


def _parse(url: str) -> httpx.URL:
    try:
        return httpx.URL(url)
    except (httpx.InvalidURL, TypeError) as error:
        raise UnsafeURLError(f"refused {url}: not a valid URL ({error})") from error


def _ip_literal(text: str) -> IPAddress | None:
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        return None
