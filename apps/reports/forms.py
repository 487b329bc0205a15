"""Forms parse input only; apps/reports/monthly_services.py validates and writes."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as L

from apps.core.forms import mark_required

ROWS = {"rows": 6}


class MonthlyForm(forms.Form):
    progress = forms.CharField(label=L("本月工作进展"), widget=forms.Textarea(attrs=ROWS), required=False,
                               max_length=5000, help_text=L("对照上方数据，说明本月完成的主要工作和取得的进展"))
    problems = forms.CharField(label=L("存在的问题和建议"), widget=forms.Textarea(attrs=ROWS), required=False,
                               max_length=5000)
    plans = forms.CharField(label=L("下月工作计划"), widget=forms.Textarea(attrs=ROWS), required=False, max_length=5000)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        mark_required(self, "progress")
