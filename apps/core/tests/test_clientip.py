"""The client's address is what the last trusted proxy saw, never what the client wrote into a header."""

import pytest
from django.test import RequestFactory

from apps.core.clientip import client_address

rf = RequestFactory()


def request(remote="10.0.0.2", **headers):
    return rf.get("/", REMOTE_ADDR=remote, **{"HTTP_" + k.upper().replace("-", "_"): v for k, v in headers.items()})


def test_without_a_proxy_header_the_address_is_remote_addr_and_headers_are_ignored(settings):
    settings.CLIENT_IP_HEADER = ""
    assert client_address(request("203.0.113.7", **{"X-Forwarded-For": "1.2.3.4"})) == "203.0.113.7"


def test_behind_one_proxy_a_spoofed_left_most_entry_is_ignored(settings):
    """The attack: rotate the left-most X-Forwarded-For entry to escape per-address limits."""
    settings.CLIENT_IP_HEADER, settings.CLIENT_IP_PROXIES = "X-Forwarded-For", 1
    seen = {client_address(request(**{"X-Forwarded-For": f"198.51.100.{n}, 203.0.113.7"})) for n in range(50)}
    assert seen == {"203.0.113.7"}


def test_behind_two_proxies_the_address_is_the_second_from_the_right(settings):
    settings.CLIENT_IP_HEADER, settings.CLIENT_IP_PROXIES = "X-Forwarded-For", 2
    assert client_address(request(**{"X-Forwarded-For": "6.6.6.6, 203.0.113.7, 10.0.0.1"})) == "203.0.113.7"


def test_a_header_the_proxy_overwrites_is_read_as_it_is(settings):
    settings.CLIENT_IP_HEADER, settings.CLIENT_IP_PROXIES = "X-Real-IP", 1
    assert client_address(request(**{"X-Real-IP": "2001:db8::7"})) == "2001:db8::7"


@pytest.mark.parametrize("value", ["", " , ", "not-an-address", "203.0.113.7 OR 1=1", "999.1.1.1"])
def test_an_empty_or_unreadable_header_gives_no_address(settings, value):
    settings.CLIENT_IP_HEADER, settings.CLIENT_IP_PROXIES = "X-Forwarded-For", 1
    assert client_address(request(**({"X-Forwarded-For": value} if value else {}))) == ""


def test_fewer_entries_than_proxies_gives_no_address(settings):
    """A request that did not pass through every trusted proxy cannot say where it came from."""
    settings.CLIENT_IP_HEADER, settings.CLIENT_IP_PROXIES = "X-Forwarded-For", 2
    assert client_address(request(**{"X-Forwarded-For": "203.0.113.7"})) == ""


def test_a_port_is_dropped(settings):
    settings.CLIENT_IP_HEADER, settings.CLIENT_IP_PROXIES = "X-Forwarded-For", 1
    assert client_address(request(**{"X-Forwarded-For": "203.0.113.7:51234"})) == "203.0.113.7"
    assert client_address(request(**{"X-Forwarded-For": "[2001:db8::7]:443"})) == "2001:db8::7"
