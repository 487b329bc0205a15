from tests.matrix import Row  # noqa: F401

ROWS: list = []
