"""Keyed hashes of personal data (PIPL; DOMAIN.md "Online voting"): a phone number, an address and its
network are stored only as HMAC-SHA256 under settings.VOTE_PHONE_PEPPER, never as they are."""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import re
from functools import lru_cache

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

PHONE_RE = re.compile(r"^1[3-9]\d{9}$")


def _mac(kind: str, value: str) -> str:
    key = settings.VOTE_PHONE_PEPPER.encode()
    return hmac.new(key, f"{kind}:{value}".encode(), hashlib.sha256).hexdigest()


def normalise_phone(raw: str) -> str:
    """A mainland mobile number as 11 digits; spaces, dashes and a +86 / 86 prefix are dropped."""
    phone = re.sub(r"[\s\-()]", "", str(raw or ""))
    if phone.startswith("+86"):
        phone = phone[3:]
    elif phone.startswith("86") and len(phone) == 13:
        phone = phone[2:]
    if not PHONE_RE.match(phone):
        raise ValidationError(_("请输入正确的11位手机号码"))
    return phone


def phone_hash(phone: str) -> str:
    return _mac("phone", phone)


def code_hash(phone_hash_: str, code: str) -> str:
    return _mac("code", f"{phone_hash_}:{code}")


@lru_cache(maxsize=8192)
def address_hashes(address: str) -> tuple[str, str]:
    """(address, network) hashes, 128 bits each: the network is the /24 of an IPv4 address or the /48 of an
    IPv6 one, where one household, office or carrier NAT usually sits."""
    try:
        ip = ipaddress.ip_address((address or "").strip())
    except ValueError:
        ip = ipaddress.ip_address("0.0.0.0")
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    prefix = 24 if ip.version == 4 else 48
    network = ipaddress.ip_network(f"{ip}/{prefix}", strict=False)
    return _mac("ip", str(ip))[:32], _mac("net", str(network))[:32]
