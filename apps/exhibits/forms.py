"""Forms parse input only; apps/exhibits/services.py validates (every problem at once, at its field) and writes."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as L

from apps.core.files import JPEG, PNG, accept_attribute
from apps.core.forms import MultipleFileField, mark_required

TEXT = {"rows": 4}


class ExhibitForm(forms.Form):
    enterprise = forms.TypedChoiceField(label=L("企业"), coerce=int, required=False, empty_value=None,
                                        help_text=L("本区县登记的专精特新“小巨人”企业"))
    name = forms.CharField(label=L("展品名称"), max_length=200, required=False)
    innovation = forms.CharField(label=L("创新点"), widget=forms.Textarea(attrs=TEXT), max_length=4000,
                                 required=False, help_text=L("展品体现的技术或产品创新"))
    representative = forms.CharField(label=L("代表性说明"), widget=forms.Textarea(attrs=TEXT), max_length=4000,
                                     required=False, help_text=L("为什么能代表本行业、本地区企业的创新水平"))
    interaction = forms.CharField(label=L("互动方式"), widget=forms.Textarea(attrs=TEXT), max_length=4000,
                                  required=False, help_text=L("观众在展台上可以如何操作、体验"))
    length_cm = forms.CharField(label=L("长（厘米）"), required=False, max_length=20,
                                widget=forms.TextInput(attrs={"inputmode": "numeric"}))
    width_cm = forms.CharField(label=L("宽（厘米）"), required=False, max_length=20,
                               widget=forms.TextInput(attrs={"inputmode": "numeric"}))
    height_cm = forms.CharField(label=L("高（厘米）"), required=False, max_length=20,
                                widget=forms.TextInput(attrs={"inputmode": "numeric"}))
    weight_kg = forms.CharField(label=L("重量（千克）"), required=False, max_length=20,
                                widget=forms.TextInput(attrs={"inputmode": "decimal"}))
    power = forms.CharField(label=L("电力需求"), max_length=200, required=False,
                            help_text=L("如“220V，约500W”；不用电请填“无需用电”"))
    photos = MultipleFileField(label=L("展品照片"), required=False, accept=accept_attribute((JPEG, PNG)),
                                help_text=L("JPEG或PNG，1至5张，可多选"))

    REQUIRED = ("enterprise", "name", "innovation", "representative", "interaction", "length_cm", "width_cm",
                "height_cm", "weight_kg", "power")

    def __init__(self, *args, enterprises=(), photos_required=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enterprise"].choices = [("", "—")] + [
            (e.pk, f"{e.name}（{e.little_giant_batch}）") for e in enterprises]
        mark_required(self, *self.REQUIRED, *(("photos",) if photos_required else ()))

    def values(self) -> dict:
        """The service's keyword arguments."""
        data = self.cleaned_data
        return {"enterprise_id": data.get("enterprise"), "name": data.get("name", ""),
                "innovation": data.get("innovation", ""), "representative": data.get("representative", ""),
                "interaction": data.get("interaction", ""), "length_cm": data.get("length_cm"),
                "width_cm": data.get("width_cm"), "height_cm": data.get("height_cm"),
                "weight_kg": data.get("weight_kg"), "power": data.get("power", ""), "photos": data.get("photos") or []}

    @staticmethod
    def initial_of(exhibit) -> dict:
        return {"enterprise": exhibit.enterprise_id, "name": exhibit.name, "innovation": exhibit.innovation,
                "representative": exhibit.representative, "interaction": exhibit.interaction,
                "length_cm": exhibit.length_cm, "width_cm": exhibit.width_cm, "height_cm": exhibit.height_cm,
                "weight_kg": exhibit.weight_kg, "power": exhibit.power}


class ExhibitEditForm(ExhibitForm):
    remove_photos = forms.TypedMultipleChoiceField(label=L("删除照片"), coerce=int, required=False,
                                                   widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, photos=(), **kwargs):
        super().__init__(*args, photos_required=False, **kwargs)
        self.fields["photos"].label = L("添加照片")
        self.fields["photos"].help_text = L("JPEG或PNG，可多选；连同保留的照片共1至5张")
        self.fields["remove_photos"].choices = [(p.pk, p.name) for p in photos]

    def values(self) -> dict:
        return {**super().values(), "remove_photos": self.cleaned_data.get("remove_photos") or []}


class DeclineForm(forms.Form):
    reason = forms.CharField(label=L("未推荐原因"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000,
                             required=False, help_text=L("申报单位将看到该原因"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        mark_required(self, "reason")
