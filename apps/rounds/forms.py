"""Forms of the round pages: they parse; the services decide what is allowed."""

from django import forms
from django.utils.translation import gettext_lazy as _

from apps.rounds.models import Round, RoundEntry

Decision = RoundEntry.Decision

# An <input type="date"> takes only ISO dates; a localised value (zh-hans renders 2027/09/10) shows as empty.
ISO_DATE = "%Y-%m-%d"


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[(Decision.PASSED, _("通过")), (Decision.OUT, _("未通过")),
                                          (Decision.RETURNED, _("退回修改"))], widget=forms.HiddenInput)
    reason = forms.CharField(label=_("未通过原因（推荐单位可见）"), required=False, max_length=2000,
                             widget=forms.Textarea(attrs={"rows": 3}))
    comment = forms.CharField(label=_("修改意见（推荐单位可见）"), required=False, max_length=2000,
                              widget=forms.Textarea(attrs={"rows": 3}))
    # Sent by 「仍然通过」 on the confirmation panel: the person saw these failed checks and passes anyway.
    confirm = forms.BooleanField(required=False, widget=forms.HiddenInput)
    despite = forms.Field(required=False, widget=forms.MultipleHiddenInput)

    def confirmed_checks(self) -> list[str]:
        """What `despite` the service gets: nothing confirmed unless the confirm flag came with the post."""
        return [str(c) for c in self.cleaned_data["despite"] or []] if self.cleaned_data.get("confirm") else []


class IdListField(forms.Field):
    widget = forms.MultipleHiddenInput

    def to_python(self, value):
        try:
            return [int(v) for v in value or []]
        except (TypeError, ValueError):
            raise forms.ValidationError(_("所选案例无效，请刷新页面后重试"))


class ConfirmedField(forms.Field):
    """Pairs "<entry id>:<check id>" of the bulk confirmation, read as {entry id: {check ids}}."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value):
        found: dict[int, set[str]] = {}
        for token in value or []:
            entry, _sep, check = str(token).partition(":")
            if not entry.isdigit() or not check:
                raise forms.ValidationError(_("确认信息无效，请刷新页面后重试"))
            found.setdefault(int(entry), set()).add(check)
        return found


class BulkForm(forms.Form):
    # Each text box names the action that needs it (data-show-for); static/js/rounds.js shows only the box of
    # the chosen action. Without JavaScript every box shows and its label says when it is needed.
    decision = forms.ChoiceField(label=_("批量操作"), choices=[(Decision.PASSED, _("通过所选案例")),
                                                           (Decision.OUT, _("所选案例设为未通过")),
                                                           (Decision.RETURNED, _("所选案例退回修改"))],
                                 widget=forms.Select(attrs={"data-action-select": ""}))
    reason = forms.CharField(label=_("未通过原因（选择“未通过”时必填，推荐单位可见）"), required=False,
                             max_length=2000, widget=forms.Textarea(attrs={"rows": 2, "data-show-for": Decision.OUT}))
    comment = forms.CharField(label=_("修改意见（选择“退回修改”时必填，推荐单位可见）"), required=False,
                              max_length=2000,
                              widget=forms.Textarea(attrs={"rows": 2, "data-show-for": Decision.RETURNED}))
    entries = IdListField(required=False)
    confirm = forms.BooleanField(required=False, widget=forms.HiddenInput)
    despite = ConfirmedField(required=False)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "id_bulk_%s")
        super().__init__(*args, **kwargs)

    def confirmed_checks(self) -> dict[int, set[str]]:
        return self.cleaned_data["despite"] if self.cleaned_data.get("confirm") else {}


class MoveForm(forms.Form):
    to = forms.ChoiceField(choices=[(s, s) for s in (Round.State.OPEN, Round.State.CLOSED, Round.State.LOCKED)])


class DeadlineForm(forms.Form):
    deadline = forms.DateField(label=_("截止日期"), required=False,
                               error_messages={"invalid": _("请填写有效的日期，格式如 2026-09-10")},
                               widget=forms.DateInput(attrs={"type": "date"}, format=ISO_DATE))


class RoundFilterForm(forms.Form):
    """The round list's filters: a level (the kind of round) and a place name."""

    q = forms.CharField(label=_("地区名称"), required=False, max_length=50,
                        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("如：西湖、杭州")}))
    kind = forms.ChoiceField(label=_("级别"), required=False, choices=[("", _("全部级别"))] + Round.Kind.choices)
