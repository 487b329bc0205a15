"""Permission-matrix rows of the pages every deployment has."""

from tests.matrix import public

ROWS = [public("healthz")]
