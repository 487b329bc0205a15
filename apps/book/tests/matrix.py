"""Permission-matrix rows of the story book (apps/book): the centre's people read, build and send it (own = the
centre's admin, staff = the centre's staff); a province (descendant) and everyone else get 404."""

from tests.matrix import Row

BUILD = lambda w: ({"pk": w.book_build.pk}, "center")  # noqa: E731
CENTRE = {"anon": 302, "own": 200, "staff": 200, "descendant": 404}

ROWS = [
    Row("book:home", lambda w: ({}, "center"), CENTRE),
    Row("book:home", lambda w: ({}, "center"), {**CENTRE, "own": 302, "staff": 302}, method="POST",
        data={"form": "build"}, note="no published story on a national list yet: refused with why, back to the page"),
    Row("book:progress", BUILD, CENTRE),
    Row("book:file", lambda w: ({"pk": w.book_build.pk, "kind": "pdf"}, "center"), CENTRE),
    Row("book:submit", BUILD, {**CENTRE, "own": 302, "staff": 302}, method="POST",
        note="sent for approval (the second person is told it waits already)"),
]
