"""Pieces the benchmarks share: org nodes made directly (no audit rows, no checks), for fast set-up."""

from __future__ import annotations


def org_node(kind, code: str, name: str, parent):
    """An unsaved Org under `parent` with its materialised path (save it, or bulk_create a list of them)."""
    from apps.orgs.models import Org

    path = (parent.path if parent else "") + code + "/"
    return Org(kind=kind, code=code, name=name, parent=parent, path=path, depth=path.count("/") - 1,
               region_code=code[:6] if kind in Org.ADMINISTRATIVE else "")


def the_center():
    """The centre node, made the first time a benchmark needs it."""
    from apps.orgs.models import Org

    center = Org.tree.filter(code="000000").first()
    if center is None:
        center = org_node(Org.Kind.CENTER, "000000", "中心", None)
        center.save()
    return center
