"""The topic page's Atom feed of newly published items (R-301): what the centre approved, newest first."""

from __future__ import annotations

from django.contrib.syndication.views import Feed
from django.http import Http404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import strip_tags
from django.utils.translation import gettext as _

from apps.publication import public

ITEMS = 50


class TopicFeed(Feed):
    feed_type = Atom1Feed

    def get_object(self, request, *args, **kwargs):
        campaign = public.current_campaign()
        if campaign is None:
            raise Http404()
        return campaign

    def title(self, campaign):
        return _("%(name)s · 活动专栏") % {"name": campaign.name}

    def link(self, campaign):
        return reverse("topic:home")

    def subtitle(self, campaign):
        return _("经中心审核发布的案例故事、专题视频、遴选名单、宣讲活动和媒体报道")

    def items(self, campaign):
        return list(public.published(campaign)[:ITEMS])

    def item_title(self, item):
        return f"{item.get_kind_display()}｜{item.title}"

    def item_description(self, item):
        content = item.content
        text = strip_tags(content.get("body", ""))[:300] or content.get("enterprise") or content.get("outlet") or ""
        return f"{item.org.name} · {text}"

    def item_link(self, item):
        return reverse("topic:item", args=[item.pk])

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.published_at

    def item_guid(self, item):
        return f"innocase-publication-{item.pk}"

    item_guid_is_permalink = False
