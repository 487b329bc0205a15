"""Adds rounds to the permission-matrix world."""


def build(world) -> None:
    pass
