"""Forms parse input only; apps/reports/monthly_services.py and final_services.py validate and write."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as L

from apps.core.files import JPEG, PDF, PNG, accept_attribute
from apps.core.forms import MultipleFileField, mark_required
from apps.reports import final, performance
from apps.reports.models import AcceptanceEvaluation, FinalReport

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


class FinalForm(forms.Form):
    """The sections of a final report; for the performance report also the entered scores and evidence."""

    files = MultipleFileField(label=L("证明材料"), required=False, accept=accept_attribute((PDF, JPEG, PNG)),
                              help_text=L("满意度调查结果、媒体报道、感谢信等，PDF、JPEG或PNG，可多选"))

    def __init__(self, *args, kind: str, **kwargs):
        super().__init__(*args, **kwargs)
        fields = {}
        for key, label in final.SECTIONS[kind]:
            fields[key] = forms.CharField(label=label, widget=forms.Textarea(attrs=ROWS), required=False,
                                          max_length=10000)
        if kind == FinalReport.Kind.PERFORMANCE:
            for key, label, weight in performance.ENTERED:
                fields[f"{key}_score"] = forms.CharField(
                    label=L("%(item)s得分（满分%(w)s）") % {"item": label, "w": weight}, required=False, max_length=10,
                    widget=forms.TextInput(attrs={"inputmode": "decimal"}))
                fields[f"{key}_evidence"] = forms.CharField(
                    label=L("%(item)s得分依据") % {"item": label}, required=False, max_length=2000,
                    widget=forms.Textarea(attrs={"rows": 3}))
        files = self.fields.pop("files")
        self.fields.update(fields)
        if kind == FinalReport.Kind.PERFORMANCE:
            self.fields["files"] = files
        self.kind = kind

    def sections(self) -> dict[str, str]:
        return {key: self.cleaned_data.get(key, "") for key, _label in final.SECTIONS[self.kind]}

    def entered(self) -> dict[str, dict]:
        return {key: {"score": self.cleaned_data.get(f"{key}_score", ""),
                      "evidence": self.cleaned_data.get(f"{key}_evidence", "")}
                for key, _label, _weight in performance.ENTERED}

    @staticmethod
    def initial_of(report) -> dict:
        initial = dict(report.sections)
        for key, value in report.entered.items():
            initial[f"{key}_score"] = value.get("score", "")
            initial[f"{key}_evidence"] = value.get("evidence", "")
        return initial


class AcceptanceForm(forms.Form):
    result = forms.ChoiceField(label=L("验收结论"), choices=[("", "—"), *AcceptanceEvaluation.Result.choices],
                               required=False)
    comments = forms.CharField(label=L("验收意见"), widget=forms.Textarea(attrs=ROWS), required=False,
                               max_length=10000)
    conditions = forms.CharField(label=L("整改要求"), widget=forms.Textarea(attrs={"rows": 3}), required=False,
                                 max_length=10000, help_text=L("有条件通过验收时必填：整改内容和期限"))
    reviewers = forms.CharField(label=L("验收专家组成员"), required=False, max_length=1200,
                                help_text=L("姓名之间用顿号或逗号分隔"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        mark_required(self, "result", "comments", "reviewers")
