"""Requests to partners' receivers, without server-side request forgery.

- A URL is ``https`` (``http`` too in development), names a host, and carries no user name or
  password; anything else is refused (``ValidationFailed`` on ``url``).
- The host is resolved, and if any of its addresses is not globally routable (loopback, private,
  link-local such as a cloud's metadata service, unique-local, multicast, reserved), or is an
  IPv6 address carrying such an IPv4 address to a translator or tunnel (NAT64, 6to4, Teredo,
  IPv4-mapped or -compatible), it is refused; loopback is allowed only with
  ``webhook_allow_loopback`` (the tests' receivers). The request then goes to the address
  that was checked (the URL's host stays in ``Host`` and in TLS's server name, where the
  certificate is checked), so a second resolution cannot send it elsewhere.
- Each request has a timeout, redirects are not followed (a 3xx is a failure), the response's
  body is never read, and nothing of it is echoed: an attempt is its status code or a short
  reason in this module's words.
"""

from __future__ import annotations

import ipaddress
import socket
from dataclasses import dataclass

import anyio
import httpx

from lifecycle.errors import ValidationFailed
from lifecycle.service.settings import Settings

URL_MAX = 2000


@dataclass(frozen=True)
class Attempt:
    """What one request came to: the receiver's status, or why there was none."""

    status: int | None
    error: str | None

    @property
    def succeeded(self) -> bool:
        return self.status is not None and 200 <= self.status < 300


def checked_url(url: str, settings: Settings) -> httpx.URL:
    """``url`` parsed, if its form is allowed; raises ``ValidationFailed`` on ``url``."""
    if not isinstance(url, str) or not url or len(url) > URL_MAX:
        raise ValidationFailed("url", f"must be a URL of at most {URL_MAX} characters")
    try:
        parsed = httpx.URL(url)
    except (httpx.InvalidURL, ValueError):
        raise ValidationFailed("url", "is not a valid URL") from None
    schemes = ("https", "http") if settings.development else ("https",)
    if parsed.scheme not in schemes:
        raise ValidationFailed("url", "must be " + " or ".join(schemes))
    if not parsed.host:
        raise ValidationFailed("url", "must name a host")
    if parsed.userinfo:
        raise ValidationFailed("url", "must not carry a user name or password")
    return parsed


# IPv6 ranges that carry an IPv4 address to a translator: NAT64's well-known prefix (RFC 6052,
# the IPv4 address in the last 32 bits) and its local-use prefix (RFC 8215, never global), and
# the deprecated IPv4-compatible addresses (RFC 4291 2.5.5.1). Python counts them as global.
NAT64 = ipaddress.IPv6Network("64:ff9b::/96")
LOCAL_NAT64 = ipaddress.IPv6Network("64:ff9b:1::/48")
IPV4_COMPATIBLE = ipaddress.IPv6Network("::/96")


def reached(ip: ipaddress.IPv4Address | ipaddress.IPv6Address
            ) -> list[ipaddress.IPv4Address | ipaddress.IPv6Address]:
    """The addresses a request to ``ip`` may end up at: itself, and the IPv4 address an IPv6
    one carries through a translator or tunnel (mapped, NAT64, 6to4, Teredo's server and
    client), or ``::`` (never allowed) for a prefix whose embedding is not read here."""
    if not isinstance(ip, ipaddress.IPv6Address):
        return [ip]
    if ip.ipv4_mapped is not None:
        return [ip.ipv4_mapped]
    if ip.is_loopback or ip.is_unspecified:
        return [ip]
    if ip in LOCAL_NAT64 or ip in IPV4_COMPATIBLE:
        return [ipaddress.IPv6Address("::")]
    found: list[ipaddress.IPv4Address | ipaddress.IPv6Address] = [ip]
    if ip in NAT64:
        found.append(ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF))
    if ip.sixtofour is not None:
        found.append(ip.sixtofour)
    if ip.teredo is not None:
        found.extend(ip.teredo)
    return found


def allowed(address: str, settings: Settings) -> bool:
    """Whether a request may go to ``address`` (module docstring): every address it may reach
    is globally routable and not multicast, or loopback where the settings allow it."""
    reachable = reached(ipaddress.ip_address(address.split("%")[0]))
    if len(reachable) == 1 and reachable[0].is_loopback:
        return settings.webhook_allow_loopback
    return all(ip.is_global and not ip.is_multicast for ip in reachable)


async def resolved(url: httpx.URL, settings: Settings) -> str:
    """The address to connect to for ``url``: every address its host resolves to must be
    allowed. Raises ``ValidationFailed`` on ``url`` otherwise."""
    port = url.port or (443 if url.scheme == "https" else 80)
    try:
        with anyio.fail_after(settings.webhook_timeout_seconds):
            found = await anyio.getaddrinfo(url.host, port, type=socket.SOCK_STREAM)
    except (OSError, TimeoutError):
        raise ValidationFailed("url", f"the host {url.host[:100]} does not resolve") from None
    addresses = [str(info[4][0]) for info in found]
    if not addresses or not all(allowed(address, settings) for address in addresses):
        raise ValidationFailed("url", "the host resolves to an address that is not public "
                                      "(loopback, private, link-local or reserved)")
    return addresses[0]


async def post(url: str, body: bytes, headers: dict[str, str], settings: Settings) -> Attempt:
    """POST ``body`` to ``url`` (checked, resolved and pinned as the module says)."""
    try:
        parsed = checked_url(url, settings)
        address = await resolved(parsed, settings)
    except ValidationFailed as refused:
        return Attempt(None, f"refused: {refused}")
    target = parsed.copy_with(host=address)
    host = parsed.host if parsed.port is None else f"{parsed.host}:{parsed.port}"
    extensions = {"sni_hostname": parsed.host} if parsed.scheme == "https" else {}
    try:
        async with httpx.AsyncClient(follow_redirects=False, trust_env=False,
                                     timeout=settings.webhook_timeout_seconds) as client, \
                client.stream("POST", target, content=body, headers={**headers, "Host": host},
                              extensions=extensions) as response:
            return Attempt(response.status_code,
                           None if 200 <= response.status_code < 300
                           else f"the receiver answered HTTP {response.status_code}")
    except httpx.TimeoutException:
        return Attempt(None, f"no answer within {settings.webhook_timeout_seconds:g} s")
    except httpx.HTTPError as error:
        return Attempt(None, f"could not connect ({type(error).__name__})")
