"""Adds this area's objects to the permission-matrix world."""


def build(world) -> None:
    pass
