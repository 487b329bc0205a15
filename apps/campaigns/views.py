"""Pages of campaigns, programmes, rulebooks, work rules and quotas. Thin: parse, call a service, render."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.campaigns import permissions, selectors, services
from apps.campaigns.docx import work_rules_docx
from apps.campaigns.forms import (
    ApplicationForm,
    BoundsForm,
    CampaignForm,
    CampaignSettingsForm,
    ManualQuotaForm,
    ProgrammeForm,
    RulebookForm,
    WorkRulesForm,
)
from apps.campaigns.indicators import indicators_for
from apps.campaigns.models import Programme, QuotaPlan, WorkRules
from apps.core.errors import NotFound, ensure
from apps.core.files import stored_file_response
from apps.core.forms import form_action, service_action

# The rule parameters summarised on a programme's page.
SUMMARY_KEYS = ("target", "surplus_ratio", "province_max", "province_park_share_min", "presenters",
                "presenters_per_city_max", "provincial_event_deadline")


@login_required
def campaign_home(request):
    """Every campaign, newest first; the centre's admins may open a new one."""
    return render(request, "campaigns/home.html", {
        "campaigns": selectors.campaigns_visible(),
        "can_create": permissions.can_create_campaign(request.user),
    })


@login_required
def campaign_create(request):
    ensure(permissions.can_create_campaign(request.user), NotFound)
    form = CampaignForm(request.POST or None)
    done = form_action(
        request, form, lambda: services.campaign_create(
            year=form.cleaned_data["year"], name=form.cleaned_data["name"], by=request.user,
            provinces=list(form.cleaned_data["provinces"])),
        success=_("已创建活动及各省项目"),
        then=lambda campaign: reverse("campaigns:campaign_detail", args=[campaign.pk]))
    if done is not None:
        return done
    return render(request, "campaigns/campaign_form.html", {"form": form})


@login_required
def campaign_detail(request, campaign_id):
    campaign = permissions.access_campaign(request.user, campaign_id)
    programmes = list(selectors.programmes_of(campaign))
    return render(request, "campaigns/campaign_detail.html", {
        "campaign": campaign,
        "programmes": programmes,
        "funding": selectors.funding_of(campaign) if permissions.can_edit_campaign_settings(request.user, campaign)
        else None,
        "can_set_bounds": permissions.can_set_rule_bounds(request.user, campaign),
        "can_edit_settings": permissions.can_edit_campaign_settings(request.user, campaign),
    })


@login_required
def campaign_settings(request, campaign_id):
    """The centre's settings of the campaign: budgets (R-401), periods (R-405), the story book (R-506)."""
    campaign = permissions.access_campaign(request.user, campaign_id)
    ensure(permissions.can_edit_campaign_settings(request.user, campaign), NotFound)
    form = CampaignSettingsForm(request.POST or None, initial=CampaignSettingsForm.initial_of(campaign))
    done = form_action(
        request, form, lambda: services.campaign_settings_update(campaign=campaign, by=request.user,
                                                                 **form.settings()),
        success=_("已保存活动设置，各项目的经费和实施期已同步更新"),
        then=reverse("campaigns:campaign_detail", args=[campaign.pk]))
    if done is not None:
        return done
    return render(request, "campaigns/campaign_settings.html", {"campaign": campaign, "form": form})


@login_required
def rule_bounds(request, campaign_id):
    """The centre's bounds on every province's rulebook (R-101)."""
    campaign = permissions.access_campaign(request.user, campaign_id)
    ensure(permissions.can_set_rule_bounds(request.user, campaign), NotFound)
    form = BoundsForm(request.POST or None, bounds=selectors.campaign_bounds(campaign))
    done = form_action(
        request, form, lambda: services.rule_bounds_update(campaign=campaign, by=request.user,
                                                           bounds=form.bound_values()),
        success=_("已保存规则边界"), then=reverse("campaigns:rule_bounds", args=[campaign.pk]))
    if done is not None:
        return done
    outside = []
    for programme in selectors.programmes_of(campaign).filter(kind=Programme.Kind.PROVINCE):
        breaches = [row.breach for row in selectors.rulebook_rows(programme) if row.breach]
        if breaches:
            outside.append((programme, breaches))
    return render(request, "campaigns/bounds_form.html", {"campaign": campaign, "form": form, "outside": outside})


@login_required
def programme_detail(request, pk):
    programme = permissions.access_programme(request.user, pk)
    context = {"programme": programme, "can_edit": permissions.can_edit_programme(request.user, programme)}
    if programme.kind == Programme.Kind.PROVINCE:
        work_rules = selectors.work_rules_of(programme)
        context.update({
            "empty_sections": work_rules.empty_sections(),
            "key_rows": [r for r in selectors.rulebook_rows(programme) if r.spec.key in SUMMARY_KEYS],
        })
    if permissions.can_view_indicators(request.user, programme):
        context["indicators"] = indicators_for(programme)
        context["can_see_letter"] = bool(programme.support_letter)
    return render(request, "campaigns/programme_detail.html", context)


@login_required
def programme_edit(request, pk):
    programme = permissions.access_programme(request.user, pk)
    ensure(permissions.can_edit_programme(request.user, programme), NotFound)
    initial = {"implementing_unit": programme.implementing_unit, "project_lead": programme.project_lead,
               "project_lead_phone": programme.project_lead_phone, "team": ProgrammeForm.team_text(programme.team)}
    form = ProgrammeForm(request.POST or None, initial=initial)
    done = form_action(
        request, form, lambda: services.programme_update(programme=programme, by=request.user, **form.cleaned_data),
        success=_("已保存项目信息"), then=reverse("campaigns:programme_detail", args=[programme.pk]))
    if done is not None:
        return done
    return render(request, "campaigns/programme_form.html", {"programme": programme, "form": form})


@login_required
def programme_application(request, pk):
    """申报条件: the implementing unit's legal-person status and credit code, and the letter of support."""
    programme = permissions.access_programme(request.user, pk, province_only=True)
    ensure(permissions.can_edit_programme(request.user, programme), NotFound)
    form = ApplicationForm(request.POST or None, request.FILES or None, initial={
        "legal_person": programme.unit_legal_person, "credit_code": programme.unit_credit_code})
    done = form_action(
        request, form, lambda: services.programme_application_update(
            programme=programme, by=request.user, legal_person=form.cleaned_data["legal_person"],
            credit_code=form.cleaned_data["credit_code"], letter=form.cleaned_data.get("letter")),
        success=_("已保存申报条件"), then=reverse("campaigns:programme_detail", args=[programme.pk]))
    if done is not None:
        return done
    return render(request, "campaigns/programme_application.html", {"programme": programme, "form": form})


@login_required
def support_letter(request, pk):
    """The letter of support, for the province and the orgs above it; others get the same 404 as for none."""
    programme = permissions.access_programme(request.user, pk, province_only=True)
    ensure(permissions.can_view_indicators(request.user, programme) and bool(programme.support_letter), NotFound)
    return stored_file_response(programme.support_letter, as_attachment=True, filename=programme.support_letter_name,
                                content_type=programme.support_letter_type or "application/octet-stream")


@login_required
def rulebook(request, pk):
    programme = permissions.access_programme(request.user, pk, province_only=True)
    return render(request, "campaigns/rulebook.html", {
        "programme": programme,
        "rows": selectors.rulebook_rows(programme),
        "can_edit": permissions.can_edit_rulebook(request.user, programme),
    })


@login_required
def rulebook_edit(request, pk):
    programme = permissions.access_programme(request.user, pk, province_only=True)
    ensure(permissions.can_edit_rulebook(request.user, programme), NotFound)
    rows = selectors.rulebook_rows(programme)
    form = RulebookForm(request.POST or None, values={r.spec.key: r.value for r in rows})
    done = form_action(
        request, form, lambda: services.rulebook_update(rulebook=selectors.rulebook_of(programme), by=request.user,
                                                        values=form.rule_values()),
        success=_("已保存规则参数"), then=reverse("campaigns:rulebook", args=[programme.pk]))
    if done is not None:
        return done
    bounds = {r.spec.key: r.bound_display for r in rows}
    groups = [(rule, [(f, bounds.get(f.name, "")) for f in fields]) for rule, fields in form.grouped()]
    return render(request, "campaigns/rulebook_form.html", {"programme": programme, "form": form, "groups": groups})


@login_required
def work_rules(request, pk):
    programme = permissions.access_programme(request.user, pk, province_only=True)
    table = selectors.quota_table(programme)
    return render(request, "campaigns/workrules.html", {
        "programme": programme,
        "work_rules": selectors.work_rules_of(programme),
        "table": table,
        "can_edit": permissions.can_edit_work_rules(request.user, programme),
    })


@login_required
def work_rules_edit(request, pk):
    programme = permissions.access_programme(request.user, pk, province_only=True)
    ensure(permissions.can_edit_work_rules(request.user, programme), NotFound)
    current = selectors.work_rules_of(programme)
    form = WorkRulesForm(request.POST or None, initial={name: getattr(current, name) for name, _t in WorkRules.SECTIONS})
    done = form_action(
        request, form, lambda: services.work_rules_update(work_rules=current, by=request.user,
                                                          sections=form.cleaned_data),
        success=_("已保存工作细则"), then=reverse("campaigns:work_rules", args=[programme.pk]))
    if done is not None:
        return done
    return render(request, "campaigns/workrules_form.html", {"programme": programme, "form": form})


@login_required
def work_rules_docx_download(request, pk):
    programme = permissions.access_programme(request.user, pk, province_only=True)
    content = work_rules_docx(programme, selectors.work_rules_of(programme))
    response = HttpResponse(
        content, content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document")
    filename = f"work-rules-{programme.campaign.year}-{programme.org.code}.docx"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def quotas(request, pk):
    """The split of the target among the cities, with its maths (R-103, R-104, R-105)."""
    programme = permissions.access_programme(request.user, pk, province_only=True)
    return render(request, "campaigns/quotas.html", {
        "programme": programme,
        "table": selectors.quota_table(programme),
        "can_edit": permissions.can_set_quotas(request.user, programme),
        "approval": selectors.quota_approval(programme),
    })


@login_required
def quota_manual(request, pk):
    programme = permissions.access_programme(request.user, pk, province_only=True)
    ensure(permissions.can_set_quotas(request.user, programme), NotFound)
    table = selectors.quota_table(programme)
    approval = selectors.quota_approval(programme)
    initial = {f"city_{r['city'].code}": r["quota"] for r in table.rows()}
    if approval is not None and approval.state == approval.State.RETURNED:
        # Revising a returned table starts from it, not from the table in force.
        returned = QuotaPlan.plain.get(pk=approval.object_id)
        initial = {f"city_{code}": n for code, n in returned.rows.values_list("city__code", "quota")}
        initial["reason"] = returned.reason
    form = ManualQuotaForm(request.POST or None, cities=table.cities, initial=initial)
    done = form_action(
        request, form, lambda: services.quota_manual_set(programme=programme, by=request.user, quotas=form.quotas(),
                                                         reason=form.cleaned_data["reason"]),
        success=_("手工名额表已报送中心审核，审核通过后生效"), then=reverse("campaigns:quotas", args=[programme.pk]))
    if done is not None:
        return done
    return render(request, "campaigns/quota_manual_form.html", {"programme": programme, "form": form, "table": table,
                                                                "approval": approval})


@login_required
@require_POST
def quota_reset(request, pk):
    programme = permissions.access_programme(request.user, pk, province_only=True)
    ensure(permissions.can_set_quotas(request.user, programme), NotFound)
    return service_action(request, lambda: services.quota_manual_clear(programme=programme, by=request.user),
                          success=_("已恢复按比例计算的名额"), then=reverse("campaigns:quotas", args=[programme.pk]))
