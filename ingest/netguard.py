"""The address guard: decides whether a URL may be fetched, and where to connect.

A URL is refused unless it is http(s), carries no credentials, names a valid
host, and every address its host resolves to is globally routable and on an
allowed port. With `fetch.allow_private_hosts` (a local mirror), loopback and
private addresses are also fetched, on any port. Link-local, multicast,
unspecified, broadcast and reserved addresses are refused whatever the setting.
The caller then connects to the checked address itself (see
`Target.pinned_url`), so a second DNS answer cannot send the request somewhere
else (DNS rebinding).
"""

from __future__ import annotations

import ipaddress
import re
import socket
from collections.abc import Callable
from dataclasses import dataclass

import httpx

from ingest.errors import FetchError, UnsafeURLError
from ingest.settings import FetchSettings

Resolver = Callable[[str, int], list[str]]
IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

_DEFAULT_PORTS = {"http": 80, "https": 443}
# Letters, digits, hyphens and dots; underscores too, which some real hosts use.
_HOST_NAME = re.compile(r"[A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+)*\.?")

# Ranges that CPython 3.11's `is_global` lets through but no public document
# server lives in: 192.0.0.0/24 (CVE-2024-4032), IPv4-compatible and
# IPv4-translated IPv6, local-use NAT64 and deprecated site-local IPv6.
_ALSO_REFUSED = tuple(
    ipaddress.ip_network(net)
    for net in ("192.0.0.0/24", "::/96", "::ffff:0:0:0/96", "64:ff9b:1::/48", "fec0::/10")
)
_NAT64 = ipaddress.ip_network("64:ff9b::/96")

# What `fetch.allow_private_hosts` lets through: where a local mirror may live.
# 100.64.0.0/10 (shared address space) carries private networks such as VPNs.
_PRIVATE = tuple(
    ipaddress.ip_network(net)
    for net in (
        "127.0.0.0/8",
        "10.0.0.0/8",
        "172.16.0.0/12",
        "192.168.0.0/16",
        "100.64.0.0/10",
        "::1/128",
        "fc00::/7",
    )
)

_RESERVED = "a reserved address"
# Refused whatever the setting, each with the rule a refusal names; the first match
# wins, so the broadcast address is named before the reserved range holding it.
_NEVER = tuple(
    (ipaddress.ip_network(net), rule)
    for net, rule in (
        # Connecting to 0.0.0.0 or :: reaches this machine itself.
        ("0.0.0.0/8", "an unspecified address"),
        ("::/128", "an unspecified address"),
        ("255.255.255.255/32", "the broadcast address"),
        ("224.0.0.0/4", "a multicast address"),
        ("ff00::/8", "a multicast address"),
        ("169.254.0.0/16", "a link-local address"),
        ("fe80::/10", "a link-local address"),
        ("240.0.0.0/4", _RESERVED),
    )
)
_WHY = {
    "a link-local address": " (cloud metadata services answer there)",
    "an unspecified address": " (connecting to it reaches this machine itself)",
    _RESERVED: " (a special-purpose range no document server lives in)",
}


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


def is_private(address: IPAddress) -> bool:
    """True for loopback and private-network addresses, also when carried in IPv6."""
    carried = embedded_ipv4(address)
    # A carrier (IPv4-mapped, 6to4, NAT64, Teredo) is judged by what it carries.
    judged: list[IPAddress] = list(carried) if carried else [address]
    if not any(_in_private_network(candidate) for candidate in judged):
        return False
    return all(_in_private_network(c) or is_public(c) for c in judged)


def never_allowed(address: IPAddress) -> str | None:
    """The rule that refuses `address` whatever allow_private_hosts says, or None.

    Whatever is neither public nor private is a reserved, special-purpose address.
    """
    for candidate in (address, *embedded_ipv4(address)):
        for network, rule in _NEVER:
            if network.version == candidate.version and candidate in network:
                return rule
    if is_public(address) or is_private(address):
        return None
    return _RESERVED


def _in_private_network(address: IPAddress) -> bool:
    return any(address in net for net in _PRIVATE if net.version == address.version)


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
        shown = one_word(url)
        parsed = _parse(url, shown)
        scheme = parsed.scheme
        if scheme not in _DEFAULT_PORTS:
            raise UnsafeURLError(f"refused {shown}: only http and https URLs are fetched")
        if parsed.userinfo:
            raise UnsafeURLError(
                f"refused {shown}: URLs with credentials (user:password@) are refused"
            )
        port = parsed.port or _DEFAULT_PORTS[scheme]
        if not self._allow_private:
            # Every host must be public then: the port is refused before any DNS lookup.
            self._refuse_unless_allowed_port(shown, port)
        host = _valid_host(shown, parsed.raw_host.decode("ascii"))
        addresses = self._addresses(host, port)
        for address in addresses:
            self._refuse_if_never_allowed(shown, address)
        if not self._allow_private:
            for address in addresses:
                self._refuse_unless_public(shown, address)
        elif not all(is_private(address) for address in addresses):
            # A mirror on loopback or a private network may use any port; a host
            # reachable publicly keeps the port rule.
            self._refuse_unless_allowed_port(shown, port)
        return Target(
            url=url,
            scheme=scheme,
            host=host,
            host_header=parsed.netloc.decode("ascii"),
            port=port,
            addresses=tuple(str(a) for a in addresses),
        )

    def _refuse_unless_allowed_port(self, url: str, port: int) -> None:
        if port in self._allowed_ports:
            return
        allowed = ", ".join(str(p) for p in sorted(self._allowed_ports))
        raise UnsafeURLError(
            f"refused {url}: port {port} is not allowed (fetch.allowed_ports: {allowed})"
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
    def _refuse_if_never_allowed(url: str, address: IPAddress) -> None:
        rule = never_allowed(address)
        if rule is None:
            return
        raise UnsafeURLError(
            f"refused {url}: {_shown(address)} is {rule}{_WHY.get(rule, '')}, "
            "not globally routable; refused whatever --allow-private-hosts "
            "(fetch.allow_private_hosts) says"
        )

    @staticmethod
    def _refuse_unless_public(url: str, address: IPAddress) -> None:
        if is_public(address):
            return
        raise UnsafeURLError(
            f"refused {url}: address {_shown(address)} is not globally routable; "
            "set fetch.allow_private_hosts = true for a local mirror"
        )


def _shown(address: IPAddress) -> str:
    carried = ", ".join(str(v4) for v4 in embedded_ipv4(address))
    return f"{address} (carrying {carried})" if carried else str(address)


def one_word(url: str) -> str:
    """`url` with whitespace percent-encoded: readers of a refusal take the URL up to a space."""
    return re.sub(r"\s", lambda space: f"%{ord(space.group()):02X}", url)


def _valid_host(url: str, host: str) -> str:
    """`host` when it is an IP literal or a plausible DNS name (ASCII, after IDNA)."""
    if not host:
        raise UnsafeURLError(f"refused {url}: the URL has no host")
    if _ip_literal(host) is None and not _HOST_NAME.fullmatch(host):
        # httpx percent-encodes what no host may hold (spaces, "%25" scope ids).
        raise UnsafeURLError(
            f"refused {url}: {host!r} is not a valid host name; check the link for typos"
        )
    return host


def _parse(url: str, shown: str) -> httpx.URL:
    try:
        return httpx.URL(url)
    except (httpx.InvalidURL, TypeError) as error:
        raise UnsafeURLError(f"refused {shown}: not a valid URL ({error})") from error


def _ip_literal(text: str) -> IPAddress | None:
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        return None
