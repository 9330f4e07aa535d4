"""Which addresses a webhook may be delivered to: public ones only, loopback only when a setting
(the tests') allows it; and which URLs are refused before any resolution."""

from __future__ import annotations

import pytest

from lifecycle.errors import ValidationFailed
from lifecycle.service.settings import Mode, Settings
from projections.partners.outbound import allowed, checked_url

STRICT = Settings()
LOOPBACK = Settings(webhook_allow_loopback=True)


@pytest.mark.parametrize("address", [
    "127.0.0.1", "::1", "10.1.2.3", "172.16.0.1", "192.168.1.1", "169.254.169.254",
    "fd00::1", "fe80::1", "0.0.0.0",  # noqa: S104 (an address refused, not bound)
    "100.64.0.1", "224.0.0.1", "::ffff:127.0.0.1",
    # IPv6 forms that carry an inside IPv4 address through a translator or tunnel
    "64:ff9b::7f00:1", "64:ff9b::a9fe:a9fe", "64:ff9b::a00:1", "2002:7f00:1::",
    "2002:a9fe:a9fe::1", "2001:0:4136:e378:8000:63bf:80ff:fffe", "::7f00:1", "::a9fe:a9fe",
    "64:ff9b:1::808:808",
    "::ffff:10.0.0.1", "240.0.0.1", "192.0.2.1",
])
def test_an_address_that_is_not_globally_routable_is_refused(address: str) -> None:
    assert not allowed(address, STRICT)


@pytest.mark.parametrize("address", ["8.8.8.8", "2606:4700:4700::1111", "151.101.1.69",
                                     "64:ff9b::808:808", "2002:808:808::1"])
def test_a_public_address_is_allowed(address: str) -> None:
    assert allowed(address, STRICT)


def test_loopback_is_allowed_only_by_the_setting_and_nothing_else_private_with_it() -> None:
    assert allowed("127.0.0.1", LOOPBACK)
    assert allowed("::1", LOOPBACK)
    assert not allowed("10.0.0.1", LOOPBACK)
    assert not allowed("169.254.169.254", LOOPBACK)


@pytest.mark.parametrize(("url", "settings"), [
    ("http://example.org/hook", Settings(mode=Mode.PRODUCTION)),
    ("ftp://example.org/hook", STRICT),
    ("https://user:secret@example.org/hook", STRICT),
    ("https:///hook", STRICT),
    ("not a url at all", STRICT),
    ("https://example.org/" + "x" * 2001, STRICT),
])
def test_a_url_of_a_refused_form_is_a_validation_error_on_url(url: str,
                                                              settings: Settings) -> None:
    with pytest.raises(ValidationFailed) as refused:
        checked_url(url, settings)
    assert refused.value.field == "url"


def test_production_allows_https_and_development_http_too() -> None:
    assert checked_url("https://example.org/hook", Settings(mode=Mode.PRODUCTION)).host \
        == "example.org"
    assert checked_url("http://example.org/hook", STRICT).scheme == "http"
