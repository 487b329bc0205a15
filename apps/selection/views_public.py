"""The public 公示 page of a round (/gs/<slug>/): one address for good (the slug of the round's first lock), showing
the list in force, the history of its earlier 公示 (withdrawn, when and why), how to check the result, and an
objection form. A later lock's own slug, from an old link or the API, leads there. No login; the list shown is the
one frozen when it was locked (LockedList.result), so it cannot drift while noticed. What the public reads names
the issuing org and says the rules in words: no rule ids, no command lines."""

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
from apps.selection import services, wording
from apps.selection.models import LockedList
from apps.selection.selectors import notice_slug


class ObjectionForm(forms.Form):
    """The form's shape only (labels, required marks, sizes): apps.selection.services.objection_submit checks
    every field and answers each mistake at once, in the same words as the API."""

    case = forms.ChoiceField(label=L("异议案例"), choices=())
    name = forms.CharField(label=L("姓名"), max_length=50)
    contact = forms.CharField(label=L("联系方式"), max_length=100,
                              help_text=L("手机号码、固定电话或电子邮箱，仅用于答复，不公开"))
    reason = forms.CharField(label=L("异议的事实和理由"), max_length=2000, widget=forms.Textarea(attrs={"rows": 5}),
                             help_text=L("10至2000字"))
    # The image captcha, drawn by core/captcha.html (input id "answer") when the address has sent objections before.
    challenge = forms.CharField(required=False, widget=forms.HiddenInput)
    answer = forms.CharField(label=L("图片验证码"), required=False, max_length=8,
                             widget=forms.TextInput(attrs={"id": "answer"}))

    def __init__(self, *args, lines=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["case"].choices = [("", _("请选择"))] + [(str(line["case_id"]), f"{n}. {line['title']}")
                                                           for n, line in enumerate(lines, 1)]


def _submit(request, form: ObjectionForm, locked: LockedList, address: str):
    """Send the objection through the service; its answer about every field replaces the form's own checks."""
    form.full_clean()
    form.errors.clear()
    # Which 公示 the person read (the page sends its number): an objection never lands on a list that replaced
    # the one on the person's screen meanwhile.
    if request.POST.get("notice", str(locked.number)) != str(locked.number):
        form.add_error(None, _("本页公示的名单已更新为第%(n)d次公示，请核对名单后重新提交") % {"n": locked.number})
        return None
    post = request.POST
    try:
        return services.objection_submit(
            locked=locked, address=address, case_id=post.get("case"), name=post.get("name", ""),
            contact=post.get("contact", ""), reason=post.get("reason", ""), challenge=post.get("challenge", ""),
            answer=post.get("answer", ""))
    except ValidationError as exc:
        show_service_error(form, exc)
        return None


@require_http_methods(["GET", "POST"])
def publicity_page(request, slug):
    found = LockedList.plain.select_related("round__org", "round__programme__campaign").filter(slug=slug).first()
    if found is None:
        raise Http404()
    home = notice_slug(found.round)
    if slug != home:  # an earlier (or later) lock's own address: the round's one notice
        return redirect("gs:list", slug=home)
    round = found.round
    locks = list(LockedList.plain.filter(round=round).select_related("round__org").order_by("-number"))
    live = next((x for x in locks if x.is_live), None)
    state = services.publicity_state(live) if live else "withdrawn"
    lines = live.lines() if live else []
    address = client_address(request)
    form = ObjectionForm(request.POST or None, lines=lines)
    if request.method == "POST":
        if state != "open":
            messages.error(request, _("当前不在公示期内，不受理异议"))
            return redirect("gs:list", slug=slug)
        objection = _submit(request, form, live, address)
        if objection is not None:
            thanks = _("已收到您的异议（编号%(n)d），%(org)s将核实后通过您留下的联系方式答复。")
            messages.success(request, thanks % {"n": objection.pk, "org": round.org.name})
            return redirect("gs:list", slug=slug)
    challenge = captcha.challenge_new() if state == "open" and services.objection_captcha_needed(address) else None
    return render(request, "selection/public_list.html", {
        "round": round, "locked": live, "lines": lines, "state": state, "form": form, "challenge": challenge,
        "history": [x for x in locks if x is not live],
        "override": [wording.public_text(v["message"]) for v in live.violations] if live else [],
        "result_name": f"round-{round.pk}-list-{live.number}.json" if live else "",
    }, status=400 if request.method == "POST" else 200)
