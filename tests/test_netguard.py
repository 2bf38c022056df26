"""The address guard, with injected resolvers: no real DNS, no connections."""

from __future__ import annotations

import ipaddress

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ingest.errors import FetchError, UnsafeURLError
from ingest.netguard import AddressGuard, Resolver, is_public
from ingest.settings import FetchSettings
from ui.reasons import reason_kind, refusing_rule


def fixed(*addresses: str) -> Resolver:
    def resolve(host: str, port: int) -> list[str]:
        return list(addresses)

    return resolve


def no_dns(host: str, port: int) -> list[str]:
    raise OSError(-2, "Name or service not known")


def guard(*addresses: str, private: bool = False) -> AddressGuard:
    settings = FetchSettings(allow_private_hosts=private)
    return AddressGuard(settings, fixed(*addresses) if addresses else no_dns)


REFUSED = [
    "127.0.0.1",
    "::1",
    "::ffff:127.0.0.1",  # IPv4-mapped loopback
    "64:ff9b::7f00:1",  # NAT64 of 127.0.0.1
    "64:ff9b::a00:1",  # NAT64 of 10.0.0.1
    "2002:7f00:1::",  # 6to4 of 127.0.0.1
    "2001:0:4136:e378:8000:63bf:f5ff:fffe",  # Teredo, client 10.0.0.1
    "192.0.0.8",  # CPython 3.11.7 calls it global
    "100.64.0.1",  # carrier-grade NAT
    "10.0.0.1",
    "172.16.0.1",
    "192.168.1.1",
    "169.254.169.254",  # cloud metadata
    "0.0.0.0",
    "::",
    "::7f00:1",  # IPv4-compatible
    "fe80::1",
    "fc00::1",
    "fec0::1",
    "224.0.0.1",
    "ff0e::1",
    "255.255.255.255",
]


@pytest.mark.parametrize("address", REFUSED)
def test_non_global_addresses_are_refused(address: str) -> None:
    assert not is_public(ipaddress.ip_address(address))
    with pytest.raises(UnsafeURLError, match="not globally routable"):
        guard(address).check("http://docs.example/a.pdf")


@given(st.ip_addresses(v=4))
def test_wrapping_never_launders_an_ipv4(v4: ipaddress.IPv4Address) -> None:
    wrapped = [
        ipaddress.IPv6Address(f"::ffff:{v4}"),  # IPv4-mapped
        ipaddress.IPv6Address((0x2002 << 112) | (int(v4) << 80)),  # 6to4
        ipaddress.IPv6Address(int(ipaddress.IPv6Address("64:ff9b::")) | int(v4)),  # NAT64
    ]
    if not is_public(v4):
        assert not any(is_public(address) for address in wrapped)


@pytest.mark.parametrize("address", ["127.0.0.1", "10.0.0.1", "[::1]", "[64:ff9b::7f00:1]"])
def test_ip_literals_are_checked_without_resolving(address: str) -> None:
    with pytest.raises(UnsafeURLError, match="allow_private_hosts"):
        guard().check(f"http://{address}/a.pdf")


def test_refusal_names_the_carried_ipv4() -> None:
    with pytest.raises(UnsafeURLError) as caught:
        guard("64:ff9b::7f00:1").check("http://docs.example/")
    assert "carrying 127.0.0.1" in str(caught.value)


@pytest.mark.parametrize("address", ["93.184.216.34", "2606:4700::1111", "2002:5db8:d822::"])
def test_public_addresses_pass_and_are_pinned(address: str) -> None:
    target = guard(address).check("http://docs.example/a.pdf?x=1#part")
    assert target.addresses == (address,)
    assert target.host_header == "docs.example"
    pinned = target.pinned_url(address)
    assert "docs.example" not in pinned
    assert pinned.endswith("/a.pdf?x=1")
    assert target.extensions() == {}


def test_https_keeps_the_real_name_for_tls() -> None:
    target = guard("93.184.216.34").check("https://docs.example:8443/a.pdf")
    assert target.pinned_url("93.184.216.34") == "https://93.184.216.34:8443/a.pdf"
    assert target.host_header == "docs.example:8443"
    assert target.extensions() == {"sni_hostname": "docs.example"}


def test_international_names_are_sent_in_ascii() -> None:
    target = guard("93.184.216.34").check("https://bøker.example/a.pdf")
    ascii_name = "bøker.example".encode("idna").decode("ascii")
    assert target.host == ascii_name
    assert target.host.startswith("xn--")
    assert target.extensions() == {"sni_hostname": ascii_name}


def test_any_private_address_among_many_refuses_the_host() -> None:
    with pytest.raises(UnsafeURLError, match=r"10\.0\.0\.1"):
        guard("93.184.216.34", "10.0.0.1").check("http://mixed.example/")


def test_private_addresses_pass_when_allowed() -> None:
    target = guard("127.0.0.1", private=True).check("http://localhost:8080/")
    assert target.addresses == ("127.0.0.1",)


def test_dns_failure_is_a_fetch_error_not_a_refusal() -> None:
    with pytest.raises(FetchError, match=r"cannot resolve host nowhere\.example") as caught:
        guard().check("http://nowhere.example/")
    assert not isinstance(caught.value, UnsafeURLError)
    assert not caught.value.retryable


def test_empty_answer_is_a_resolution_failure() -> None:
    with pytest.raises(FetchError, match=r"cannot resolve host empty\.example: no addresses"):
        AddressGuard(FetchSettings(), fixed()).check("http://empty.example/")


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("http://user:secret@docs.example/", "credentials"),
        ("http://user@docs.example/", "credentials"),
        ("http://docs.example:22/", "port 22 is not allowed"),
        ("ftp://docs.example/a.pdf", "only http and https"),
        ("file:///etc/passwd", "only http and https"),
        ("gopher://docs.example/", "only http and https"),
    ],
)
def test_scheme_credentials_and_port_are_refused(url: str, reason: str) -> None:
    with pytest.raises(UnsafeURLError, match=reason):
        guard("93.184.216.34", private=True).check(url)


def test_default_ports_count_as_80_and_443() -> None:
    only_https = AddressGuard(FetchSettings(allowed_ports=[443]), fixed("93.184.216.34"))
    assert only_https.check("https://docs.example/").port == 443
    with pytest.raises(UnsafeURLError, match="port 80"):
        only_https.check("http://docs.example/")


# Rules that fit a mirror: private hosts on any port, some addresses never.

NEVER_ALLOWED = [
    ("169.254.169.254", "is a link-local address (cloud metadata services answer there)"),
    ("224.0.0.1", "is a multicast address"),
    ("0.0.0.0", "is an unspecified address"),
    ("255.255.255.255", "is the broadcast address"),
    ("[fe80::1]", "is a link-local address (cloud metadata services answer there)"),
    ("[ff02::1]", "is a multicast address"),
    ("[::]", "is an unspecified address"),
    ("240.0.0.1", "is a reserved address"),
    ("192.0.2.1", "is a reserved address"),  # documentation range
    ("[fec0::1]", "is a reserved address"),  # deprecated site-local
    ("[::ffff:169.254.169.254]", "(carrying 169.254.169.254) is a link-local address"),
]


@pytest.mark.parametrize("private", [False, True])
@pytest.mark.parametrize(("literal", "rule"), NEVER_ALLOWED)
def test_some_addresses_are_refused_whatever_the_flag(
    literal: str, rule: str, private: bool
) -> None:
    url = f"http://{literal}/latest/meta-data/"
    with pytest.raises(UnsafeURLError) as caught:
        guard(private=private).check(url)
    reason = str(caught.value)
    assert reason.startswith(f"refused {url}: ")
    assert rule in reason
    assert "refused whatever --allow-private-hosts" in reason
    # The interface reads the rule back from the reason, as a fetch attempt states it.
    assert reason_kind(f"direct: {reason}") == "why_refused"
    found = refusing_rule(f"direct: {reason}")
    assert found is not None and rule in found


@pytest.mark.parametrize(("literal", "rule"), NEVER_ALLOWED)
def test_names_resolving_to_those_addresses_are_refused_with_the_flag(
    literal: str, rule: str
) -> None:
    with pytest.raises(UnsafeURLError) as caught:
        guard("10.0.0.1", literal.strip("[]"), private=True).check("http://mirror.example/")
    assert rule in str(caught.value)


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:51234/a.pdf",
        "http://[::1]:1/a.pdf",
        "http://10.0.0.1:9999/",
        "http://192.168.1.1:22/",
        "http://100.64.0.1:3000/",  # shared address space: VPNs such as a tailnet
        "http://[fd00::1]:8000/",
        "http://[::ffff:127.0.0.1]:51234/",
    ],
)
def test_private_hosts_may_use_any_port_with_the_flag(url: str) -> None:
    assert guard(private=True).check(url).url == url
    with pytest.raises(UnsafeURLError, match="is not allowed"):
        guard().check(url)  # without the flag the port rule comes first, as before


def test_a_private_name_may_use_any_port_with_the_flag() -> None:
    target = guard("127.0.0.1", "10.1.2.3", private=True).check("http://mirror.example:51234/")
    assert (target.port, target.addresses) == (51234, ("127.0.0.1", "10.1.2.3"))


@pytest.mark.parametrize("addresses", [("93.184.216.34",), ("10.0.0.1", "93.184.216.34")])
def test_a_public_host_keeps_the_port_rule_with_the_flag(addresses: tuple[str, ...]) -> None:
    with pytest.raises(UnsafeURLError, match="port 9999 is not allowed"):
        guard(*addresses, private=True).check("http://docs.example:9999/")


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("http://exa mple.com/", "http://exa%20mple.com/"),
        ("http://exa%20mple.com/", "http://exa%20mple.com/"),
        ("http://a,b.example/", "http://a,b.example/"),
    ],
)
def test_a_host_that_no_name_can_be_is_refused(url: str, shown: str) -> None:
    with pytest.raises(UnsafeURLError, match="is not a valid host name") as caught:
        guard("93.184.216.34", private=True).check(url)
    # The URL stays one word, so the interface still finds the rule after it.
    assert str(caught.value).startswith(f"refused {shown}: ")
    assert refusing_rule(str(caught.value)) is not None
