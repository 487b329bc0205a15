from tests.matrix import Row

ROWS = [
    Row("audit:log", lambda w: ({}, "hangzhou"), {"anon": 302, "own": 200, "staff": 404, "foreign": 200}),
]
