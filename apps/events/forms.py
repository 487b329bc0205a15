"""Forms parse input only; apps/events/services.py validates the rules and writes."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as L

from apps.events.models import Event, EventFile

DATETIME_INPUT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


def split_lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


class EventForm(forms.Form):
    title = forms.CharField(label=L("活动名称"), max_length=200)
    mode = forms.ChoiceField(label=L("形式"), choices=Event.Mode.choices)
    starts_at = forms.DateTimeField(label=L("开始时间"), widget=DATETIME_INPUT, input_formats=["%Y-%m-%dT%H:%M"])
    ends_at = forms.DateTimeField(label=L("结束时间"), widget=DATETIME_INPUT, input_formats=["%Y-%m-%dT%H:%M"])
    venue = forms.CharField(label=L("地点"), max_length=400, required=False)
    in_tech_park = forms.BooleanField(label=L("在科技园区举办"), required=False,
                                      help_text=L("省级宣讲活动须在科技型企业和科技工作者密集的园区举办"))
    park_name = forms.CharField(label=L("园区名称"), max_length=200, required=False)
    presenters = forms.MultipleChoiceField(label=L("宣讲人"), required=False, widget=forms.CheckboxSelectMultiple,
                                           help_text=L("从本级宣讲团中选择"))
    agenda = forms.CharField(label=L("活动议程"), required=False, widget=forms.Textarea(attrs={"rows": 6}),
                             help_text=L("每行一项：时间 | 环节 | 主讲或主持，例如：09:30 | 开幕致辞 | 省科协领导"))
    schedule = forms.CharField(label=L("日程安排"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    guests = forms.CharField(label=L("嘉宾名单"), required=False, widget=forms.Textarea(attrs={"rows": 4}),
                             help_text=L("每行一人：姓名 · 单位职务"))
    media = forms.CharField(label=L("邀请媒体"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
                            help_text=L("每行一家媒体"))

    def __init__(self, *args, team=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["presenters"].choices = [(str(p.pk), f"{p.name}（{p.case.title}）") for p in team]

    def service_data(self) -> dict:
        data = dict(self.cleaned_data)
        data["agenda"] = [dict(zip(("time", "item", "who"), [*(x.strip() for x in line.split("|")), "", ""][:3]))
                          if "|" in line else {"time": "", "item": line, "who": ""}
                          for line in split_lines(data["agenda"])]
        data["guests"] = split_lines(data["guests"])
        data["media"] = split_lines(data["media"])
        data["presenters"] = [int(x) for x in data["presenters"]]
        return data

    @staticmethod
    def initial_of(event: Event) -> dict:
        return {
            "title": event.title, "mode": event.mode, "venue": event.venue, "in_tech_park": event.in_tech_park,
            "park_name": event.park_name, "starts_at": timezone.localtime(event.starts_at),
            "ends_at": timezone.localtime(event.ends_at), "schedule": event.schedule,
            "presenters": [str(p) for p in event.presenters.values_list("pk", flat=True)],
            "agenda": "\n".join(" | ".join([a.get("time", ""), a.get("item", ""), a.get("who", "")]).strip(" |")
                                for a in event.agenda),
            "guests": "\n".join(event.guests), "media": "\n".join(event.media),
        }


class FileForm(forms.Form):
    kind = forms.ChoiceField(label=L("类型"), choices=EventFile.Kind.choices)
    file = forms.FileField(label=L("文件"))


class ReportForm(forms.Form):
    attendance_onsite = forms.IntegerField(label=L("现场参加人数"), min_value=0, required=False)
    attendance_online = forms.IntegerField(label=L("线上参加人数"), min_value=0, required=False)
    stream_views = forms.IntegerField(label=L("直播观看人次"), min_value=0, required=False)
    stream_platforms = forms.CharField(label=L("直播平台"), max_length=200, required=False,
                                       help_text=L("例如：学习强国、新华网、抖音"))
    coverage = forms.CharField(label=L("媒体报道链接"), required=False, widget=forms.Textarea(attrs={"rows": 4}),
                               help_text=L("每行一个链接"))


class PresenterForm(forms.Form):
    name = forms.CharField(label=L("姓名"), max_length=100)
    title = forms.CharField(label=L("职务"), max_length=100)
    organisation = forms.CharField(label=L("单位"), max_length=200)
    phone = forms.CharField(label=L("手机"), max_length=20,
                            widget=forms.TextInput(attrs={"type": "tel", "inputmode": "numeric"}))
    bio = forms.CharField(label=L("简介"), widget=forms.Textarea(attrs={"rows": 4}), max_length=2000,
                          help_text=L("500字以内"))
    photo = forms.FileField(label=L("照片"), required=False, help_text=L("JPEG或PNG"))


class ReplaceForm(PresenterForm):
    reason = forms.CharField(label=L("更换理由"), widget=forms.Textarea(attrs={"rows": 3}))
