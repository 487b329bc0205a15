"""Forms of the round pages: they parse; the services decide what is allowed."""

from django import forms
from django.utils.translation import gettext_lazy as _

from apps.rounds.models import Round, RoundEntry

Decision = RoundEntry.Decision


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[(Decision.PASSED, _("通过")), (Decision.OUT, _("不通过")),
                                          (Decision.RETURNED, _("退回修改"))], widget=forms.HiddenInput)
    reason = forms.CharField(label=_("未通过原因（推荐单位可见）"), required=False, max_length=2000,
                             widget=forms.Textarea(attrs={"rows": 3}))
    comment = forms.CharField(label=_("修改意见（推荐单位可见）"), required=False, max_length=2000,
                              widget=forms.Textarea(attrs={"rows": 3}))


class IdListField(forms.Field):
    widget = forms.MultipleHiddenInput

    def to_python(self, value):
        try:
            return [int(v) for v in value or []]
        except (TypeError, ValueError):
            raise forms.ValidationError(_("所选案例无效，请刷新页面后重试"))


class BulkForm(forms.Form):
    decision = forms.ChoiceField(label=_("批量操作"), choices=[(Decision.PASSED, _("通过所选案例")),
                                                           (Decision.OUT, _("所选案例不通过"))])
    reason = forms.CharField(label=_("不通过原因（推荐单位可见）"), required=False, max_length=2000)
    entries = IdListField(required=False)


class MoveForm(forms.Form):
    to = forms.ChoiceField(choices=[(s, s) for s in (Round.State.OPEN, Round.State.CLOSED, Round.State.LOCKED)])


class DeadlineForm(forms.Form):
    deadline = forms.DateField(label=_("截止日期"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
