"""Where a webhook may point: an absolute http(s) URL whose host resolves to public addresses only.

A webhook's URL is chosen by a tenant, and the API would POST to it from inside the operator's network:
unguarded, a party could make the API reach a database on localhost or a cloud's metadata service
(server-side request forgery). So the host is resolved and refused when any of its addresses is
loopback, private, link-local, multicast, reserved, unspecified or otherwise not global, unless
LIKENESS_WEBHOOK_ALLOW_PRIVATE is set. It is checked when the webhook is registered and again before
every send (a name can resolve elsewhere later), and the sender connects to the very address checked.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import SplitResult, urlsplit

from likeness.errors import InvalidInput, Refused

MAX_URL_CHARS = 2000
SCHEMES = ("http", "https")

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


@dataclass(frozen=True)
class Target:
    """A webhook's URL with the address the sender connects to."""

    url: str
    host: str
    address: IPAddress
    port: int

    @property
    def pinned_url(self) -> str:
        """The URL with its host replaced by the address checked (the Host header and, for https, the TLS
        server name keep the host)."""
        parts = urlsplit(self.url)
        shown = f"[{self.address}]" if self.address.version == 6 else str(self.address)
        return parts._replace(netloc=f"{shown}:{self.port}").geturl()

    @property
    def host_header(self) -> str:
        parts = urlsplit(self.url)
        default = 443 if parts.scheme == "https" else 80
        host = f"[{self.host}]" if ":" in self.host else self.host
        return host if self.port == default else f"{host}:{self.port}"


def checked_url(url: str, field: str = "url") -> SplitResult:
    """The URL's parts when it is an absolute http or https URL of at most 2000 characters, with a host and
    without credentials; else BAD_INPUT naming the field."""
    if len(url) > MAX_URL_CHARS:
        raise InvalidInput(field, url, f"at most {MAX_URL_CHARS} characters (got {len(url)})")
    if any(char.isspace() or ord(char) < 0x20 for char in url):
        raise InvalidInput(field, url, "a URL has no spaces or control characters")
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as error:
        raise InvalidInput(field, url, f"not a URL ({error})") from error
    if parts.scheme.lower() not in SCHEMES:
        raise InvalidInput(field, url, "expected an absolute http:// or https:// URL")
    if not parts.hostname:
        raise InvalidInput(field, url, "expected an absolute URL with a host")
    if parts.username is not None or parts.password is not None:
        raise InvalidInput(
            field, url, "credentials in a URL are not accepted (receivers check the signature)"
        )
    if port == 0:
        raise InvalidInput(field, url, "port 0 is not a port to send to")
    return parts


def refused_reason(address: IPAddress) -> str | None:
    """Why an address is no target (loopback, private, …), or None for a global unicast address."""
    mapped = address.ipv4_mapped if isinstance(address, ipaddress.IPv6Address) else None
    if mapped is not None:
        return refused_reason(mapped)
    for reason, refused in (
        ("unspecified", address.is_unspecified),
        ("loopback", address.is_loopback),
        ("link-local", address.is_link_local),
        ("multicast", address.is_multicast),
        ("reserved", address.is_reserved),
        ("private", address.is_private),
    ):
        if refused:
            return reason
    return None if address.is_global else "not globally routable"


async def resolve(url: str, *, allow_private: bool, field: str = "url") -> Target:
    """The URL checked and its host resolved, every address allowed (see the module); the first address
    is the one to connect to. Refused with TARGET_REFUSED naming the field and the address."""
    parts = checked_url(url, field)
    host = parts.hostname or ""
    port = parts.port or (443 if parts.scheme.lower() == "https" else 80)
    try:
        literal: IPAddress | None = ipaddress.ip_address(host)
    except ValueError:
        literal = None
    if literal is not None:
        addresses: list[IPAddress] = [literal]
    else:
        try:
            found = await asyncio.get_running_loop().getaddrinfo(
                host, port, type=socket.SOCK_STREAM, proto=socket.IPPROTO_TCP
            )
        except (OSError, UnicodeError) as error:
            raise Refused("TARGET_REFUSED", field, f"the host {host!r} does not resolve ({error})") from error
        addresses = list(dict.fromkeys(ipaddress.ip_address(info[4][0]) for info in found))
        if not addresses:
            raise Refused("TARGET_REFUSED", field, f"the host {host!r} resolves to no address")
    if not allow_private:
        for address in addresses:
            reason = refused_reason(address)
            if reason is not None:
                raise Refused(
                    "TARGET_REFUSED",
                    field,
                    f"{host!r} resolves to {address}, a {reason} address; webhooks go to public addresses "
                    "only (LIKENESS_WEBHOOK_ALLOW_PRIVATE lifts this, for tests and closed networks)",
                )
    return Target(url=url, host=host, address=addresses[0], port=port)
