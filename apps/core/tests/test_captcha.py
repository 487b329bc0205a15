"""Image captchas without a row per challenge: forged, expired and replayed keys are refused."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.core import captcha
from apps.core.models import SpentChallenge


def test_a_new_challenge_writes_nothing_and_its_answer_passes_once(db):
    challenge = captcha.challenge_new()
    assert SpentChallenge.objects.count() == 0
    assert len(challenge.answer) == captcha.LENGTH and set(challenge.answer) <= set(captcha.ALPHABET)
    assert captcha.challenge_pass(challenge.key, challenge.answer.lower())
    assert not captcha.challenge_pass(challenge.key, challenge.answer), "a key is single use"


def test_a_wrong_answer_spends_the_key(db):
    challenge = captcha.challenge_new()
    assert not captcha.challenge_pass(challenge.key, "????")
    assert not captcha.challenge_pass(challenge.key, challenge.answer)


@pytest.mark.parametrize("tamper", [
    lambda key: "x" + key,  # another nonce under the old MAC
    lambda key: key[:-1] + ("0" if key[-1] != "0" else "1"),  # a MAC changed by one character
    lambda key: key.rsplit(".", 1)[0],  # no MAC
    lambda key: "",
    lambda key: "a" * 200,
])
def test_a_forged_key_has_no_answer_and_no_image(db, tamper, client):
    forged = tamper(captcha.challenge_new().key)
    assert captcha.answer_of(forged) is None
    assert not captcha.challenge_pass(forged, "ACDE")
    if forged:
        assert client.get(reverse("captcha", args=[forged])).status_code == 404


def test_a_key_older_than_ten_minutes_is_refused(db):
    old = captcha.challenge_new(now=timezone.now() - dt.timedelta(seconds=captcha.SECONDS + 5))
    assert captcha.answer_of(old.key) is None
    assert not captcha.challenge_pass(old.key, old.answer)


def test_a_key_made_under_another_secret_is_refused(db, settings):
    challenge = captcha.challenge_new()
    settings.SECRET_KEY = "another-secret-" + "x" * 50
    assert not captcha.challenge_pass(challenge.key, challenge.answer)


def test_the_image_is_a_png_and_showing_it_writes_nothing(db, client):
    key = captcha.challenge_new().key
    image = client.get(reverse("captcha", args=[key]))
    assert image.status_code == 200 and image["Content-Type"] == "image/png" and image.content[:4] == b"\x89PNG"
    assert SpentChallenge.objects.count() == 0
