"""Forms of the notice cascade pages. They parse input; the services validate and write."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from apps.campaigns.models import Programme
from apps.core.files import accept_attribute
from apps.core.forms import MultipleFileField
from apps.notices.selectors import ASSOCIATION, LEVEL_LABELS
from apps.notices.services import ATTACHMENT_TYPES
from apps.orgs.models import Org

ACCEPT = accept_attribute(ATTACHMENT_TYPES)


class NoticeIssueForm(forms.Form):
    programme = forms.ModelChoiceField(label=_("所属项目"), queryset=Programme.plain.none(), empty_label=None)
    title = forms.CharField(label=_("标题"), max_length=200)
    joint_issuers = forms.CharField(
        label=_("联合发文单位"), max_length=200, required=False,
        help_text=_("与省级科协联合发文的有关部门，如：浙江省科学技术厅、浙江省经济和信息化厅"),
    )
    body = forms.CharField(label=_("正文"), widget=forms.Textarea(attrs={"rows": 12}))
    deadline = forms.DateField(label=_("截止日期"), required=False, widget=forms.DateInput(attrs={"type": "date"}),
                               help_text=_("各级单位转发和确认收到的期限"))
    attachments = MultipleFileField(
        label=_("附件"), required=False, accept=ACCEPT,
        help_text=_("PDF、Word（.docx）、Excel（.xlsx）、JPEG或PNG，可多选"),
    )

    def __init__(self, *args, programmes=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = programmes if programmes is not None else Programme.plain.none()


class NoticeForwardForm(forms.Form):
    addendum = forms.CharField(
        label=_("补充说明"), required=False, widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("本级的具体要求，如本地截止时间、联系人；可不填"),
    )
    attachment = forms.FileField(label=_("补充附件"), required=False, widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
                                 help_text=_("PDF、Word（.docx）、Excel（.xlsx）、JPEG或PNG，可不传"))


class NoticeRemindForm(forms.Form):
    level = forms.ChoiceField(choices=[(k, LEVEL_LABELS[k]) for k in (Org.Kind.CITY, Org.Kind.COUNTY, ASSOCIATION)])
