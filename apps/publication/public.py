"""What the public reads (R-301, R-503): the topic page (活动专栏), its Atom feed and the export the centre's own service
platform takes in. All of it is read from `Publication.public()` only: an item the centre has not approved, or has
taken down, is in none of them.

The page's province progress comes from the rule indicators (cases collected R-106, the provincial list R-109,
provincial events R-202) and is cached for five minutes: twelve provinces' indicators are the page's one costly read,
and they change by the day, not by the second. Everything else on the page is a fixed number of queries, however
many items are published.

The export is a versioned JSON document (docs/publication.md gives its schema): the campaign, every published item
with its frozen content, and its media files with their SHA-256 and a public address. Its ETag is the SHA-256 of
the document's items and its Last-Modified the latest change to any publication of the campaign, so a platform that
polls with If-None-Match or If-Modified-Since gets 304 until something changes."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections import Counter
from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone

from apps.campaigns.indicators import indicator_for
from apps.campaigns.models import Campaign, Programme
from apps.publication.models import Publication

SCHEMA = "https://innocase.example/schemas/topic-export/1"
VERSION = 1
PROGRESS_SECONDS = 300
Kind = Publication.Kind


def current_campaign() -> Campaign | None:
    return Campaign.plain.order_by("-year").first()


@dataclass(frozen=True)
class ProvinceProgress:
    name: str
    cases: str  # as the R-106 indicator reads it
    list_locked: bool  # R-109 met
    list_text: str
    events_held: str
    stories: int  # stories published on the topic page


def _indicator_progress(campaign: Campaign) -> list[tuple[int, str, str, bool, str, str]]:
    rows = []
    for programme in (Programme.plain.filter(campaign=campaign, kind=Programme.Kind.PROVINCE)
                      .select_related("org", "campaign").order_by("org__code")):
        cases, locked, events = (indicator_for(programme, rule) for rule in ("R-106", "R-109", "R-202"))
        rows.append((programme.pk, programme.org.name, cases.value_text, locked.status == "met", locked.value_text,
                     events.value_text))
    return rows


def province_progress(campaign: Campaign) -> list[ProvinceProgress]:
    rows = cache.get_or_set(f"topic-progress:{campaign.pk}", lambda: _indicator_progress(campaign), PROGRESS_SECONDS)
    stories = Counter(Publication.public().filter(campaign=campaign, kind=Kind.STORY)
                      .values_list("programme_id", flat=True))
    return [ProvinceProgress(name, cases, locked, list_text, events, stories[pk])
            for pk, name, cases, locked, list_text, events in rows]


def published(campaign: Campaign, kind: str | None = None):
    rows = Publication.public().filter(campaign=campaign).select_related("org")
    if kind:
        rows = rows.filter(kind=kind)
    return rows.order_by("-published_at", "-id")


def media_url(publication: Publication, n: int) -> str:
    return reverse("topic:media", args=[publication.pk, n])


def item_document(publication: Publication, base: str = "") -> dict:
    """One published item as the export (and the public API) give it."""
    return {
        "id": publication.pk, "kind": publication.kind, "version": publication.number,
        "title": publication.title, "province": publication.org.name, "province_code": publication.org.code,
        "published_at": publication.published_at.isoformat(),
        "url": base + reverse("topic:item", args=[publication.pk]),
        "content": publication.content,
        "media": [{"url": base + media_url(publication, n), "type": m["type"], "size": m["size"],
                   "sha256": m["sha256"]} for n, m in enumerate(publication.media)],
    }


def export_state(campaign: Campaign) -> tuple[str, dt.datetime | None]:
    """(ETag, Last-Modified) of the export, in two queries: the published rows' ids and versions, and the latest
    change to any publication of the campaign."""
    keys = list(Publication.public().filter(campaign=campaign).order_by("id").values_list("id", "number"))
    latest = Publication.plain.filter(campaign=campaign).aggregate(latest=Max("changed_at"))["latest"]
    tag = hashlib.sha256(json.dumps([VERSION, campaign.pk, keys]).encode()).hexdigest()
    return tag, latest


def export_document(campaign: Campaign, base: str = "") -> dict:
    items = [item_document(p, base) for p in published(campaign)]
    return {
        "$schema": SCHEMA, "version": VERSION, "generated_at": timezone.now().isoformat(),
        "campaign": {"id": campaign.pk, "year": campaign.year, "name": campaign.name},
        "items": items,
    }
