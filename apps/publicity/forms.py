"""Forms parse input only; apps/publicity/services.py validates and writes."""

from django import forms
from django.utils.translation import gettext_lazy as L

from apps.publicity.models import MediaReport, PublicityPlan


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


DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PublicityPlanForm(forms.Form):
    """Four phases, each with its dates, channels, live streaming and content (R-302)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for key, label in PublicityPlan.PHASES:
            self.fields[f"{key}_start"] = forms.DateField(label=L("%(phase)s开始") % {"phase": label}, widget=DATE,
                                                          required=False)
            self.fields[f"{key}_end"] = forms.DateField(label=L("%(phase)s结束") % {"phase": label}, widget=DATE,
                                                        required=False)
            self.fields[f"{key}_channels"] = forms.MultipleChoiceField(
                label=L("%(phase)s宣传渠道") % {"phase": label}, choices=PublicityPlan.CHANNELS, required=False,
                widget=forms.CheckboxSelectMultiple)
            self.fields[f"{key}_live"] = forms.BooleanField(label=L("%(phase)s网络直播") % {"phase": label},
                                                            required=False)
            self.fields[f"{key}_content"] = forms.CharField(
                label=L("%(phase)s宣传内容") % {"phase": label}, required=False, max_length=4000,
                widget=forms.Textarea(attrs={"rows": 3}))

    def phases(self) -> dict:
        data = self.cleaned_data
        return {key: {"start": data.get(f"{key}_start"), "end": data.get(f"{key}_end"),
                      "channels": data.get(f"{key}_channels") or [], "live": data.get(f"{key}_live"),
                      "content": data.get(f"{key}_content") or ""} for key, _label in PublicityPlan.PHASES}

    @staticmethod
    def initial_of(plan) -> dict:
        if plan is None:
            return {}
        out = {}
        for key, _label in PublicityPlan.PHASES:
            phase = plan.phases.get(key, {})
            out.update({f"{key}_start": phase.get("start"), f"{key}_end": phase.get("end"),
                        f"{key}_channels": phase.get("channels", []), f"{key}_live": phase.get("live", False),
                        f"{key}_content": phase.get("content", "")})
        return out

    def phase_fields(self):
        """The fields phase by phase, for the template's fieldsets."""
        return [(label, [self[f"{key}_{part}"] for part in ("start", "end", "channels", "live", "content")])
                for key, label in PublicityPlan.PHASES]


class TopicVideoForm(forms.Form):
    title = forms.CharField(label=L("标题"), max_length=200)
    case = forms.TypedChoiceField(label=L("对应案例"), coerce=int, help_text=L("省级遴选名单中的案例"))
    file = forms.FileField(label=L("视频文件"), help_text=L("MP4（H.264），约2分钟"))

    def __init__(self, *args, cases=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["case"].choices = [("", "—")] + [(c.pk, c.title) for c in cases]


class StoryForm(forms.Form):
    title = forms.CharField(label=L("标题"), max_length=200)
    form = forms.ChoiceField(label=L("形式"), choices=[("introduction", L("介绍式")), ("interview", L("访谈式"))])
    body = forms.CharField(label=L("正文"), widget=forms.Textarea(attrs={"rows": 18}), max_length=40000,
                           help_text=L("段落之间空一行；可保留粗体、斜体、小标题、列表、引用和网址链接，其他格式会被去除"))
    photo = forms.FileField(label=L("照片"), required=False, help_text=L("JPEG或PNG；不重新上传则保留原照片"))
