"""Forms of the brand pages. They parse only; the services check everything and their refusals show at the fields."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as L

from apps.brand import services
from apps.brand.models import BrandPlan, Channel, Deliverable, MediaContact
from apps.core.files import JPEG, MP4, PDF, PNG, accept_attribute
from apps.core.forms import mark_required

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class BrandPlanForm(forms.Form):
    """Four phases, each with its dates, goals and channels (R-501)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for key, label in BrandPlan.PHASES:
            self.fields[f"{key}_start"] = forms.DateField(label=L("%(phase)s开始") % {"phase": label}, widget=DATE,
                                                          required=False)
            self.fields[f"{key}_end"] = forms.DateField(label=L("%(phase)s结束") % {"phase": label}, widget=DATE,
                                                        required=False)
            self.fields[f"{key}_goals"] = forms.CharField(
                label=L("%(phase)s目标") % {"phase": label}, required=False, max_length=4000,
                widget=forms.Textarea(attrs={"rows": 3}))
            self.fields[f"{key}_channels"] = forms.MultipleChoiceField(
                label=L("%(phase)s传播渠道") % {"phase": label}, choices=Channel.choices, required=False,
                widget=forms.CheckboxSelectMultiple)
            mark_required(self, f"{key}_start", f"{key}_end", f"{key}_goals", f"{key}_channels")

    def phases(self) -> dict:
        data = self.cleaned_data
        return {key: {"start": data.get(f"{key}_start"), "end": data.get(f"{key}_end"),
                      "goals": data.get(f"{key}_goals") or "", "channels": data.get(f"{key}_channels") or []}
                for key, _label in BrandPlan.PHASES}

    @staticmethod
    def initial_of(plan) -> dict:
        if plan is None:
            return {}
        out = {}
        for key, _label in BrandPlan.PHASES:
            phase = plan.phases.get(key, {})
            out.update({f"{key}_start": phase.get("start"), f"{key}_end": phase.get("end"),
                        f"{key}_goals": phase.get("goals", ""), f"{key}_channels": phase.get("channels", [])})
        return out

    def phase_fields(self):
        """The fields phase by phase, for the template's fieldsets."""
        return [(label, [self[f"{key}_{part}"] for part in ("start", "end", "goals", "channels")])
                for key, label in BrandPlan.PHASES]


class MediaContactForm(forms.Form):
    outlet = forms.CharField(label=L("媒体"), max_length=200, help_text=L("例如：人民日报、新华网、科技日报"))
    level = forms.ChoiceField(label=L("媒体级别"), choices=MediaContact.Level.choices)
    person = forms.CharField(label=L("联系人"), max_length=100)
    phone = forms.CharField(label=L("电话"), max_length=40, required=False,
                            widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
                            help_text=L("手机号，或带区号的固定电话；电话和电子邮箱至少填一项"))
    email = forms.CharField(label=L("电子邮箱"), max_length=300, required=False,
                            widget=forms.EmailInput(attrs={"autocomplete": "off"}))
    last_contact_on = forms.DateField(label=L("最近联系日期"), widget=DATE)

    @staticmethod
    def initial_of(contact: MediaContact) -> dict:
        return {key: getattr(contact, key) for key in ("outlet", "level", "person", "phone", "email",
                                                       "last_contact_on")}


class ChannelUseForm(forms.Form):
    outlet = forms.ChoiceField(label=L("媒体"), help_text=L("从媒体联系人名录中选择"))
    channel = forms.ChoiceField(label=L("渠道"), choices=[("", "—"), *Channel.choices])
    used_on = forms.DateField(label=L("发布日期"), widget=DATE)
    title = forms.CharField(label=L("发布内容"), max_length=400, help_text=L("所发布稿件、视频或海报的标题"))
    url = forms.CharField(label=L("链接"), max_length=1000, widget=forms.URLInput())
    evidence = forms.FileField(label=L("佐证"), help_text=L("发布页面截图（PNG、JPEG）或PDF"),
                               widget=forms.ClearableFileInput(attrs={"accept": accept_attribute((PNG, JPEG, PDF))}))

    def __init__(self, *args, outlets=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["outlet"].choices = [("", "—"), *((name, name) for name, _level in outlets)]


class RemoveForm(forms.Form):
    reason = forms.CharField(label=L("删除理由"), max_length=services.REASON_MAX)


class DeliverableForm(forms.Form):
    """A deliverable (R-504), or a new version of one (then without its kind)."""

    kind = forms.ChoiceField(label=L("类别"), choices=[("", "—"), *Deliverable.Kind.choices])
    title = forms.CharField(label=L("标题"), max_length=services.DELIVERABLE_TITLE_MAX)
    file = forms.FileField(label=L("文件"),
                           help_text=L("主视觉、海报：JPEG、PNG或PDF；宣传册：PDF；宣传片、短视频：MP4（H.264）"),
                           widget=forms.ClearableFileInput(attrs={"accept": accept_attribute((PNG, JPEG, PDF, MP4))}))
    sources = forms.MultipleChoiceField(label=L("素材来源"), required=False, widget=forms.CheckboxSelectMultiple,
                                        help_text=L("全国短视频：选择剪辑所用的各省专题视频（仅列出符合规格的）"))

    def __init__(self, *args, sources=(), replacing=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sources"].choices = [(str(v.pk), f"{v.org.name} · {v.title}") for v in sources]
        if replacing:
            del self.fields["kind"]


class OverviewReportForm(forms.Form):
    outlet = forms.ChoiceField(label=L("媒体"), help_text=L("从媒体联系人名录中选择"))
    title = forms.CharField(label=L("标题"), max_length=services.TITLE_MAX)
    published_on = forms.DateField(label=L("发布日期"), widget=DATE)
    url = forms.CharField(label=L("链接"), max_length=1000, widget=forms.URLInput())

    def __init__(self, *args, outlets=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["outlet"].choices = [("", "—"), *((name, name) for name, _level in outlets)]
