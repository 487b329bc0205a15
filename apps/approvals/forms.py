from django import forms
from django.utils.translation import gettext_lazy as _

from apps.approvals.services import COMMENT_MAX


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(label=_("审核结果"), choices=[("approve", _("通过")), ("return", _("退回修改"))],
                                 widget=forms.RadioSelect)
    comment = forms.CharField(label=_("审核意见"), required=False, max_length=COMMENT_MAX,
                              widget=forms.Textarea(attrs={"rows": 4}),
                              help_text=_("退回时必填，报送单位将按意见修改后重新报送"))

    def __init__(self, *args, final: bool = False, **kwargs):
        """`final`: the kind's return is a final no (an exhibit not taken), not a request for changes."""
        super().__init__(*args, **kwargs)
        if final:
            self.fields["decision"].choices = [("approve", _("通过")), ("return", _("不予采纳"))]
            self.fields["comment"].help_text = _("不予采纳时必填，报送单位将看到理由")
