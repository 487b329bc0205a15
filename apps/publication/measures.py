"""R-503, the brand project's publishing on the topic page (活动专栏) and the centre's WeChat official account, to the
centre's plan: stories and reports (the provinces' media reports and the topic-page items) published on the topic
page, counted from `Publication.public()` like everything the public reads, against the rulebook's minimums; and,
where the brand plan in force names the WeChat official account among its channels, at least one use of it in the
channel-use log. Registered in PublicationConfig.ready for the brand programme only."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from apps.brand.models import BrandPlan, Channel, ChannelUse
from apps.campaigns.indicators import Evidence, Indicator, Measuring, register
from apps.campaigns.models import Programme
from apps.publication.models import Publication

Kind = Publication.Kind
REPORTS = (Kind.MEDIA_REPORT, Kind.TOPIC_ITEM)


def plan_names_wechat(programme: Programme) -> bool:
    plan = BrandPlan.plain.filter(programme=programme, status=BrandPlan.Status.IN_FORCE).first()
    return plan is not None and any(Channel.WECHAT in (phase.get("channels") or [])
                                    for phase in plan.phases.values())


def topic_publishing(m: Measuring) -> Indicator:
    """R-503: stories and reports on the topic page (≥ the rulebook's minimums) and the WeChat account as planned."""
    need_stories, need_reports = m.values["brand_topic_stories_min"], m.values["brand_topic_reports_min"]
    counts = {kind: 0 for kind in Kind.values}
    for kind in Publication.public().filter(campaign=m.programme.campaign).values_list("kind", flat=True):
        counts[kind] += 1
    stories, reports = counts[Kind.STORY], sum(counts[k] for k in REPORTS)
    wechat = ChannelUse.plain.filter(programme=m.programme, channel=Channel.WECHAT).count()
    wechat_planned = plan_names_wechat(m.programme)
    notes = []
    if stories < need_stories:
        notes.append(_("活动专栏还差%(n)d篇案例故事") % {"n": need_stories - stories})
    if reports < need_reports:
        notes.append(_("活动专栏还差%(n)d篇报道或图文") % {"n": need_reports - reports})
    if wechat_planned and not wechat:
        notes.append(_("品牌项目方案安排了微信公众号，尚无发布记录"))
    met = stories >= need_stories and reports >= need_reports and (wechat > 0 or not wechat_planned)
    return Indicator(
        rule="R-503", title=_("活动专栏和微信公众号发布"), target=need_stories + need_reports,
        value=min(stories, need_stories) + min(reports, need_reports),
        target_text=_("案例故事 ≥ %(s)d篇，报道和图文 ≥ %(r)d篇，按方案在微信公众号发布")
        % {"s": need_stories, "r": need_reports},
        value_text=_("案例故事%(s)d篇，报道和图文%(r)d篇，微信公众号%(w)d次") % {"s": stories, "r": reports, "w": wechat},
        status=m.status(met, m.programme.period_end), deadline=m.programme.period_end,
        evidence=(Evidence(_("活动专栏"), reverse("topic:home")),
                  Evidence(_("已发布内容"), reverse("publication:published")),
                  Evidence(_("渠道使用记录"), reverse("brand:use_list", args=[m.programme.pk]))),
        notes=tuple(notes))


register("R-503", topic_publishing, kinds=(Programme.Kind.BRAND,))
