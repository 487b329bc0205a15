from tests.matrix import signed_in

ROWS = [
    signed_in("campaigns:home"),
]
