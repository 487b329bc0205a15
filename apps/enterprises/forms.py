"""Forms of the enterprise registry and the little-giant lists. They parse; the services decide."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from apps.core import creditcode
from apps.enterprises import industry
from apps.enterprises.models import Enterprise
from apps.enterprises.selectors import QUALIFICATIONS
from apps.enterprises.services import little_giant_batch_label, little_giant_batch_years
from apps.orgs.models import Org

QUALIFICATION_LABELS = {
    "high_tech": _("高新技术企业"),
    "specialised": _("专精特新中小企业"),
    "little_giant": _("专精特新“小巨人”"),
    "none": _("无以上资质"),
}


def batch_choices(campaign, empty_label) -> list[tuple[str, str]]:
    return [("", empty_label)] + [(str(y), little_giant_batch_label(y)) for y in little_giant_batch_years(campaign)]


class EnterpriseFilterForm(forms.Form):
    q = forms.CharField(label=_("企业名称或统一社会信用代码"), max_length=100, required=False,
                        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("输入名称或代码的一部分")}))
    county = forms.ChoiceField(label=_("所属区县"), required=False)
    section = forms.ChoiceField(label=_("行业门类"), required=False)
    qualification = forms.ChoiceField(label=_("资质"), required=False)
    little_giant = forms.ChoiceField(label=_("小巨人批次"), required=False)

    def __init__(self, *args, campaign, counties, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["county"].choices = [("", _("全部区县"))] + [(c.code, c.name) for c in counties]
        self.fields["section"].choices = [("", _("全部门类"))] + industry.section_choices()
        self.fields["qualification"].choices = [("", _("全部"))] + [(q, QUALIFICATION_LABELS[q]) for q in QUALIFICATIONS]
        self.fields["little_giant"].choices = [("", _("全部")), ("yes", _("是小巨人")), ("no", _("不是小巨人"))] + [
            (str(y), little_giant_batch_label(y)) for y in little_giant_batch_years(campaign)]

    def filters(self) -> dict[str, str]:
        if not self.is_valid():
            return {}
        return {k: v for k, v in self.cleaned_data.items() if v}


class CreditCodeField(forms.CharField):
    """Lists every problem of the code with its position (GB 32100-2015); cleans to the normalised code."""

    def clean(self, value):
        value = super().clean(value)
        found = creditcode.problems(value or "")
        if found:
            raise forms.ValidationError(found)
        return creditcode.normalise(value)


class EnterpriseForm(forms.Form):
    name = forms.CharField(label=_("企业名称"), max_length=100, help_text=_("与营业执照上的名称一致"),
                           error_messages={"required": _("请填写企业名称（与营业执照一致）")})
    credit_code = CreditCodeField(label=_("统一社会信用代码"), max_length=40,
                                  help_text=_("18位，见营业执照；可输入小写或全角字符，保存时自动转换"),
                                  widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false",
                                                                "autocapitalize": "characters"}))
    county = forms.ChoiceField(label=_("所属区县"), error_messages={
        "required": _("请选择企业所属区县"),
        "invalid_choice": _("所属区县“%(value)s”不在您可登记的范围内：只能登记本区县的企业，请从列表中选择")})
    park = forms.ChoiceField(label=_("所在园区"), required=False, help_text=_("企业位于园区内时选择；否则留空"),
                             error_messages={"invalid_choice": _("园区“%(value)s”不属于企业所属区县，请从列表中选择或留空")})
    industry_section = forms.ChoiceField(label=_("行业门类（GB/T 4754-2017）"), required=False)
    industry_division = forms.ChoiceField(label=_("行业大类"), required=False,
                                          help_text=_("先选门类，再选其下的大类"))
    size = forms.ChoiceField(label=_("企业规模"), required=False)
    rd_staff = forms.IntegerField(label=_("研发人员数（人）"), required=False, min_value=0,
                                  error_messages={"min_value": _("研发人员数不能为负数"),
                                                  "invalid": _("研发人员数应为整数")},
                                  widget=forms.NumberInput(attrs={"inputmode": "numeric"}))
    rd_spend = forms.DecimalField(label=_("研发投入（万元）"), required=False, min_value=0, max_digits=14,
                                  decimal_places=2,
                                  error_messages={"min_value": _("研发投入不能为负数"),
                                                  "invalid": _("研发投入应为数字（单位：万元，最多两位小数）"),
                                                  "max_decimal_places": _("研发投入最多保留两位小数"),
                                                  "max_digits": _("研发投入数额过大，请核对单位（万元）"),
                                                  "max_whole_digits": _("研发投入数额过大，请核对单位（万元）")},
                                  widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "0.01"}))
    is_high_tech = forms.BooleanField(label=_("高新技术企业"), required=False)
    is_specialised = forms.BooleanField(label=_("专精特新中小企业"), required=False)
    little_giant_batch = forms.ChoiceField(label=_("专精特新“小巨人”批次"), required=False,
                                           help_text=_("不是小巨人企业请留空；导入工信部名单后也会自动填写"))

    def __init__(self, *args, campaign, counties: list[Org], parks, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["credit_code"].error_messages["required"] = _("请填写统一社会信用代码")
        self.counties = {c.code: c for c in counties}
        self.parks = {p.code: p for p in parks}
        self.fields["county"].choices = [(c.code, c.name) for c in counties]
        if len(counties) != 1:
            self.fields["county"].choices = [("", _("请选择"))] + self.fields["county"].choices
        self.fields["park"].choices = [("", _("不在园区"))] + [(p.code, p.name) for p in parks]
        self.fields["industry_section"].choices = [("", _("请选择"))] + industry.section_choices()
        self.fields["industry_division"].choices = [("", _("请选择"))] + industry.division_choices()
        self.fields["size"].choices = [("", _("请选择"))] + list(Enterprise.Size.choices)
        self.fields["little_giant_batch"].choices = batch_choices(campaign, _("不是小巨人企业"))

    @classmethod
    def initial_of(cls, enterprise: Enterprise) -> dict:
        return {
            "name": enterprise.name, "credit_code": enterprise.credit_code, "county": enterprise.county.code,
            "park": enterprise.park.code if enterprise.park_id else "",
            "industry_section": enterprise.industry_section, "industry_division": enterprise.industry_division,
            "size": enterprise.size, "rd_staff": enterprise.rd_staff, "rd_spend": enterprise.rd_spend,
            "is_high_tech": enterprise.is_high_tech, "is_specialised": enterprise.is_specialised,
            "little_giant_batch": str(enterprise.little_giant_batch or ""),
        }

    def service_data(self) -> dict:
        data = dict(self.cleaned_data)
        data["county"] = self.counties.get(data["county"])
        data["park"] = self.parks.get(data["park"]) if data["park"] else None
        data["little_giant_batch"] = int(data["little_giant_batch"]) if data["little_giant_batch"] else None
        return data


class LittleGiantImportForm(forms.Form):
    batch = forms.ChoiceField(label=_("批次"), required=False,
                              help_text=_("文件中“批次”为空的行使用此批次；文件每行都填写了批次时可不选"))
    file = forms.FileField(label=_("Excel文件（.xlsx）"),
                           widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
                           error_messages={"required": _("请选择要上传的.xlsx文件"),
                                           "empty": _("上传的文件是空的，请检查后重新选择")})

    def __init__(self, *args, campaign, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["batch"].choices = batch_choices(campaign, _("按文件中的“批次”列"))

    def batch_value(self) -> int | None:
        value = self.cleaned_data.get("batch")
        return int(value) if value else None


class LittleGiantResolveForm(forms.Form):
    """Pick a candidate (its id), type a credit code, or choose "none" (not in our registry)."""

    choice = forms.CharField(required=False)
    credit_code = forms.CharField(label=_("或填写企业的统一社会信用代码"), max_length=40, required=False)

    def clean(self):
        data = super().clean()
        choice, code = data.get("choice") or "", (data.get("credit_code") or "").strip()
        if not choice and not code:
            raise forms.ValidationError(_("请选择一家候选企业、填写统一社会信用代码，或标记为“不在本企业库中”"))
        if choice and choice != "none" and not choice.isdigit():
            raise forms.ValidationError(_("请从候选企业中选择"))
        return data
