"""The guard's address rule, pure: loopback, private, link-local, multicast, reserved and unspecified
addresses are no targets; global unicast ones are."""

from __future__ import annotations

import ipaddress

import pytest

from likeness.alerts.guard import Target, checked_url, refused_reason
from likeness.errors import InvalidInput


@pytest.mark.parametrize(
    ("address", "reason"),
    [
        ("127.0.0.1", "loopback"),
        ("::1", "loopback"),
        ("::ffff:127.0.0.1", "loopback"),
        ("10.0.0.8", "private"),
        ("172.16.5.4", "private"),
        ("192.168.1.1", "private"),
        ("fd00::1", "private"),
        ("169.254.169.254", "link-local"),
        ("fe80::1", "link-local"),
        ("224.0.0.251", "multicast"),
        ("ff02::1", "multicast"),
        ("0.0.0.0", "unspecified"),
        ("240.0.0.1", "reserved"),
        ("100.64.0.1", "not globally routable"),
        ("93.184.215.14", None),
        ("2606:4700::1111", None),
    ],
)
def test_an_address_is_a_target_only_when_global(address: str, reason: str | None) -> None:
    assert refused_reason(ipaddress.ip_address(address)) == reason


@pytest.mark.parametrize(
    "url",
    ["ftp://example.com/x", "file:///etc/passwd", "gopher://example.com", "example.com/hook", "http://"],
)
def test_only_absolute_http_urls_pass(url: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        checked_url(url)
    assert refused.value.field == "url"


def test_the_sender_connects_to_the_checked_address_with_the_host_kept() -> None:
    target = Target(
        url="https://hooks.example.com:8443/in?x=1",
        host="hooks.example.com",
        address=ipaddress.ip_address("2606:4700::1111"),
        port=8443,
    )
    assert target.pinned_url == "https://[2606:4700::1111]:8443/in?x=1"
    assert target.host_header == "hooks.example.com:8443"
