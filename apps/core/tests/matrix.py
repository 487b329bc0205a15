"""Permission-matrix rows of the pages every deployment has."""

from apps.core import captcha
from tests.matrix import Row, public

ROWS = [
    public("healthz"),
    # A captcha's picture is public: its key is all it takes (and an expired or forged key is a 404).
    Row("captcha", lambda w: ({"key": captcha.challenge_new().key}, None), {"anon": 200, "own": 200}),
]
