"""Forms parse input only; apps/publicity/services.py validates and writes."""

from django import forms
from django.utils.translation import gettext_lazy as L

from apps.publicity.models import MediaReport


class MediaReportForm(forms.Form):
    outlet = forms.CharField(label=L("媒体"), max_length=200, help_text=L("例如：浙江日报、新华网"))
    level = forms.ChoiceField(label=L("媒体级别"), choices=MediaReport.Level.choices)
    kind = forms.ChoiceField(label=L("类型"), choices=MediaReport.Kind.choices)
    published_on = forms.DateField(label=L("发布日期"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    title = forms.CharField(label=L("标题"), max_length=400)
    url = forms.CharField(label=L("链接"), max_length=1000, widget=forms.URLInput())
    evidence = forms.FileField(label=L("佐证"), help_text=L("报道页面截图（PNG、JPEG）或PDF"))
    event = forms.IntegerField(required=False, widget=forms.HiddenInput())


class RemoveForm(forms.Form):
    reason = forms.CharField(label=L("删除理由"), max_length=500)
