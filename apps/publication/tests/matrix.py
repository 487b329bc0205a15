"""Permission-matrix rows of publication (apps/publication), around 浙江省's world.publication (published) and
world.pending_publication (waiting): own = 浙江省 admin, ancestor = the centre, descendant = 杭州市, sibling / foreign =
四川省. A province sends its own items; only the centre approves and takes down; the topic page, its items, media,
feed and export are public, and an item not published answers 404 to everyone."""

from tests.matrix import Row

PUB = lambda w: ({"pk": w.publication.pk}, "zhejiang")  # noqa: E731
PENDING = lambda w: ({"pk": w.pending_publication.pk}, "zhejiang")  # noqa: E731
READ = {"anon": 302, "own": 200, "ancestor": 200, "descendant": 404, "sibling": 404, "foreign": 404}
CENTRE = {"anon": 302, "own": 404, "ancestor": 200, "descendant": 404, "sibling": 404, "foreign": 404}
PUBLIC = {"anon": 200, "own": 200, "ancestor": 200, "descendant": 200, "sibling": 200, "foreign": 200}
GONE = {"anon": 404, "own": 404, "ancestor": 404, "descendant": 404, "sibling": 404, "foreign": 404}

ROWS = [
    Row("publication:index", lambda w: ({}, "zhejiang"),
        {"anon": 302, "own": 200, "ancestor": 200, "descendant": 404, "sibling": 200, "foreign": 200},
        note="a province's own items, or the centre's (its topic items and brand deliverables); a city sends nothing"),
    Row("publication:submit", lambda w: ({}, "zhejiang"),
        {"anon": 302, "own": 302, "ancestor": 404, "descendant": 404, "sibling": 404, "foreign": 404},
        method="POST", data=lambda w: {"kind": "story", "object_id": str(w.story.pk)},
        note="the story is a draft: refused with why, back to the page; another province's item is not found"),
    Row("publication:submit", lambda w: ({}, "zhejiang"),
        {"anon": 302, "own": 404, "ancestor": 302, "descendant": 404, "sibling": 404, "foreign": 404},
        method="POST", data=lambda w: {"kind": "brand_deliverable", "object_id": str(w.brand_deliverable.pk)},
        note="the centre's brand deliverable, still waiting for its approval: refused with why; no province sends it"),
    Row("publication:queue", lambda w: ({}, "zhejiang"), CENTRE),
    Row("publication:queue", lambda w: ({}, "zhejiang"), {**CENTRE, "ancestor": 302}, method="POST",
        note="nothing ticked: back to the queue with why"),
    Row("publication:published", lambda w: ({}, "zhejiang"),
        {"anon": 302, "own": 200, "ancestor": 200, "descendant": 200, "sibling": 200, "foreign": 200}),
    Row("publication:detail", PUB, READ),
    Row("publication:media", lambda w: ({"pk": w.pending_publication.pk, "n": 0}, "zhejiang"), READ,
        note="the centre reads a waiting item's files before deciding"),
    Row("publication:take_down", PUB, {**CENTRE, "ancestor": 302}, method="POST", data={"reason": "内容有误"}),
    Row("topic:home", lambda w: ({}, "zhejiang"), PUBLIC),
    Row("topic:item", PUB, PUBLIC),
    Row("topic:item", PENDING, GONE, note="not approved: on no public page"),
    Row("topic:media", lambda w: ({"pk": w.publication.pk, "n": 0}, "zhejiang"), PUBLIC),
    Row("topic:media", lambda w: ({"pk": w.pending_publication.pk, "n": 0}, "zhejiang"), GONE),
    Row("topic:feed", lambda w: ({}, "zhejiang"), PUBLIC),
    Row("topic:export", lambda w: ({}, "zhejiang"), PUBLIC),
    Row("api-topic-export", lambda w: ({}, "zhejiang"), PUBLIC),
    Row("publication:items", lambda w: ({}, "zhejiang"),
        {"anon": 302, "own": 200, "ancestor": 200, "descendant": 404, "sibling": 200, "foreign": 200},
        note="a province's own items, or the centre's (its brand programme); a city writes none"),
    Row("publication:item_new", lambda w: ({}, "zhejiang"),
        {"anon": 302, "own": 200, "ancestor": 200, "descendant": 404, "sibling": 200, "foreign": 200}),
    Row("publication:item_edit", lambda w: ({"pk": w.topic_item.pk}, "zhejiang"),
        {"anon": 302, "own": 200, "ancestor": 404, "descendant": 404, "sibling": 404, "foreign": 404}),
    Row("publication:item_submit", lambda w: ({"pk": w.topic_item.pk}, "zhejiang"),
        {"anon": 302, "own": 302, "ancestor": 404, "descendant": 404, "sibling": 404, "foreign": 404},
        method="POST"),
]
