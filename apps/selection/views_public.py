"""The public 公示 page of a locked list (/gs/<slug>/): the list, its dates and an objection form. No login; the
list shown is the one frozen when it was locked (LockedList.result), so it cannot drift while noticed."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as L
from django.views.decorators.http import require_http_methods

from apps.core import captcha
from apps.core.clientip import client_address
from apps.core.forms import show_service_error
from apps.selection import services
from apps.selection.models import LockedList


class ObjectionForm(forms.Form):
    """The form's shape only: apps.selection.services.objection_submit checks every field and answers each
    mistake at once, in the same words as the API."""

    case = forms.ChoiceField(label=L("异议案例"), choices=(), required=False)
    name = forms.CharField(label=L("姓名"), max_length=50, required=False)
    contact = forms.CharField(label=L("联系方式"), max_length=100, required=False,
                              help_text=L("手机号码、固定电话或电子邮箱，仅用于答复，不公开"))
    reason = forms.CharField(label=L("异议的事实和理由"), max_length=2000, required=False,
                             widget=forms.Textarea(attrs={"rows": 5}))
    # The image captcha, drawn by core/captcha.html when the address has sent objections before.
    challenge = forms.CharField(required=False, widget=forms.HiddenInput)
    answer = forms.CharField(required=False, max_length=8)

    def __init__(self, *args, lines=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["case"].choices = [("", _("请选择"))] + [(str(line["case_id"]), f"{n}. {line['title']}")
                                                           for n, line in enumerate(lines, 1)]


@require_http_methods(["GET", "POST"])
def publicity_page(request, slug):
    locked = (LockedList.plain.select_related("round__org", "round__programme__campaign")
              .filter(slug=slug).first())
    if locked is None:
        raise Http404()
    lines = locked.lines()
    state = services.publicity_state(locked)
    address = client_address(request)
    form = ObjectionForm(request.POST or None, lines=lines)
    if request.method == "POST":
        if state != "open":
            messages.error(request, _("当前不在公示期内，不受理异议"))
            return redirect("gs:list", slug=slug)
        if form.is_valid():
            try:
                data = dict(form.cleaned_data)
                objection = services.objection_submit(locked=locked, address=address, case_id=data.pop("case"), **data)
            except ValidationError as exc:
                show_service_error(form, exc)
            else:
                thanks = _("已收到您的异议（编号%(n)d），%(org)s将核实后通过您留下的联系方式答复。")
                messages.success(request, thanks % {"n": objection.pk, "org": locked.round.org.name})
                return redirect("gs:list", slug=slug)
    challenge = captcha.challenge_new() if state == "open" and services.objection_captcha_needed(address) else None
    return render(request, "selection/public_list.html", {
        "locked": locked, "round": locked.round, "lines": [] if state == "withdrawn" else lines,
        "state": state, "form": form, "challenge": challenge,
    }, status=400 if request.method == "POST" else 200)
