"""Who may still try a password without the image captcha (django-axes counts the failures by account).

From CAPTCHA_AFTER_FAILURES failures on, a password is checked only behind the log-in page's captcha: the API's
token endpoint and an expert invitation refuse to check it at all and send the person to that page. A try that
never reaches the password check is no failure, so nobody can lock an official out by guessing, wherever the
guesses are sent (settings.AXES_FAILURE_LIMIT still locks after a few captcha-backed failures)."""

from __future__ import annotations

from axes.handlers.proxy import AxesProxyHandler

CAPTCHA_AFTER_FAILURES = 2


def login_failures(request, username: str) -> int:
    """Failed log-ins of this account in the current lockout window (django-axes, keyed by the typed name)."""
    return AxesProxyHandler.get_failures(request, {"username": username}) if username else 0


def captcha_needed(request, username: str) -> bool:
    return login_failures(request, username) >= CAPTCHA_AFTER_FAILURES
