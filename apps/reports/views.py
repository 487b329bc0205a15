"""The units below the acting office (also the home page's first section), and reminding a late one."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from apps.core.errors import NotFound
from apps.core.forms import service_action
from apps.reports import services
from apps.reports.overview import home_section
from apps.reports.permissions import access_unit


@login_required
@require_GET
def units(request):
    section = home_section(request.user, request.acting_org)
    if section is None:
        raise NotFound()
    return render(request, "reports/units.html", section.context)


@login_required
@require_POST
def unit_remind(request, code):
    unit = access_unit(request.user, code)
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = "reports:units"
    return service_action(
        request, lambda: services.unit_remind(unit=unit, by=request.user,
                                              site_url=f"{request.scheme}://{request.get_host()}"),
        success=_("已向%(unit)s发送催办消息") % {"unit": unit.name}, then=target)
