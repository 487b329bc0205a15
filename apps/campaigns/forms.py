"""Forms parse input only; the services validate the rules and write."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.campaigns import rules
from apps.campaigns.models import WorkRules
from apps.orgs.models import Org

L = gettext_lazy
DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class CampaignForm(forms.Form):
    year = forms.IntegerField(label=L("年度"), min_value=2020, max_value=2100)
    name = forms.CharField(label=L("活动名称"), max_length=100)
    provinces = forms.ModelMultipleChoiceField(
        label=L("参与省份"), queryset=Org.plain.none(), widget=forms.CheckboxSelectMultiple,
        help_text=L("每个省份生成一个省级项目，另生成中心的品牌建设项目；经费和实施期按活动设置（默认省级20万元、7月至11月，"
                    "品牌建设40万元、7月至12月），创建后可在活动设置中修改。"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["provinces"].queryset = Org.plain.filter(kind=Org.Kind.PROVINCE, is_active=True).order_by("code")


class CampaignSettingsForm(forms.Form):
    """The campaign's settings (R-401, R-405, R-506): parsed here, checked by campaign_settings_update."""

    province_budget = forms.DecimalField(label=L("省级项目经费（元）"), max_digits=12, decimal_places=2,
                                         help_text=L("每个省级项目的经费（R-401），例如200000"))
    brand_budget = forms.DecimalField(label=L("品牌建设项目经费（元）"), max_digits=12, decimal_places=2,
                                      help_text=L("中心品牌建设项目的经费（R-401），例如400000"))
    province_start = forms.DateField(label=L("省级项目实施开始"), widget=DATE_INPUT)
    province_end = forms.DateField(label=L("省级项目实施结束"), widget=DATE_INPUT,
                                   help_text=L("各省规则中的日期须在实施期之内（R-405）"))
    brand_start = forms.DateField(label=L("品牌建设项目实施开始"), widget=DATE_INPUT)
    brand_end = forms.DateField(label=L("品牌建设项目实施结束"), widget=DATE_INPUT)
    stories = forms.IntegerField(label=L("故事集收录案例数"), help_text=L("全国故事集遴选名单的案例数（R-506）"))
    print_copies = forms.IntegerField(label=L("故事集印数"), help_text=L("《企业创新故事集》印制册数（R-506）"))
    video_min_seconds = forms.IntegerField(label=L("专题视频时长下限（秒）"), help_text=L("约2分钟，默认90秒（R-304）"))
    video_max_seconds = forms.IntegerField(label=L("专题视频时长上限（秒）"), help_text=L("默认150秒"))
    video_min_width = forms.IntegerField(label=L("最低分辨率：宽（像素）"), help_text=L("默认1280"))
    video_min_height = forms.IntegerField(label=L("最低分辨率：高（像素）"), help_text=L("默认720"))
    video_aspect = forms.ChoiceField(label=L("画面比例"), choices=[("16:9", "16:9"), ("9:16", "9:16"), ("4:3", "4:3")])
    video_audio = forms.BooleanField(label=L("须有声音"), required=False)

    VIDEO_FIELDS = {"video_min_seconds": "min_seconds", "video_max_seconds": "max_seconds",
                    "video_min_width": "min_width", "video_min_height": "min_height", "video_aspect": "aspect",
                    "video_audio": "audio"}

    @classmethod
    def initial_of(cls, campaign) -> dict:
        spec = campaign.video_spec_values()
        out = {f: getattr(campaign, f) for f in ("province_budget", "brand_budget", "province_start", "province_end",
                                                 "brand_start", "brand_end", "stories", "print_copies")}
        out.update({field: spec[key] for field, key in cls.VIDEO_FIELDS.items()})
        return out

    def settings(self) -> dict:
        data = dict(self.cleaned_data)
        spec = {key: data.pop(field) for field, key in self.VIDEO_FIELDS.items()}
        return {**data, "video_spec": {**spec, "codec": "h264"}}


class ApplicationForm(forms.Form):
    """申报条件 (issue 16, item 4): parsed here; the code and the file are checked by programme_application_update."""

    legal_person = forms.BooleanField(label=L("实施单位具有独立法人资格"), required=False)
    credit_code = forms.CharField(label=L("实施单位统一社会信用代码"), max_length=40, required=False,
                                  help_text=L("18位，如914403001922038216；系统按国家标准核对校验位"))
    letter = forms.FileField(label=L("省级科协支持函"), required=False,
                             help_text=L("盖章支持函的扫描件或PDF；不重新上传则保留已上传的文件"))


class ProgrammeForm(forms.Form):
    implementing_unit = forms.CharField(label=L("实施单位"), max_length=100, required=False)
    project_lead = forms.CharField(label=L("项目负责人"), max_length=50, required=False,
                                   help_text=L("每个项目一名负责人，须为实施单位人员（R-402）"))
    project_lead_phone = forms.CharField(label=L("负责人手机"), max_length=20, required=False,
                                         widget=forms.TextInput(attrs={"type": "tel", "inputmode": "numeric"}))
    team = forms.CharField(label=L("专项工作团队"), required=False, widget=forms.Textarea(attrs={"rows": 6}),
                           help_text=L("每行一人：姓名，分工。例如：王敏，案例征集"))

    def clean_team(self) -> list[dict]:
        members = []
        for line in self.cleaned_data["team"].splitlines():
            line = line.strip()
            if not line:
                continue
            for sep in ("，", ",", "\t", " "):
                if sep in line:
                    name, role = line.split(sep, 1)
                    break
            else:
                name, role = line, ""
            members.append({"name": name.strip(), "role": role.strip()})
        return members

    @staticmethod
    def team_text(team: list[dict]) -> str:
        return "\n".join(f"{m.get('name', '')}，{m.get('role', '')}".rstrip("，") for m in team)


def _rule_field(spec: rules.RuleSpec, **kw) -> forms.Field:
    label = _("%(label)s（%(rule)s）") % {"label": spec.label, "rule": spec.rule}
    if spec.type == rules.INT:
        return forms.IntegerField(label=label, min_value=spec.lowest, **kw)
    if spec.type == rules.SHARE:
        return forms.DecimalField(label=_("%(label)s（%%）") % {"label": label}, min_value=0, max_value=100,
                                  decimal_places=2, **kw)
    if spec.type == rules.DATE:
        return forms.DateField(label=label, widget=DATE_INPUT, **kw)
    if spec.type == rules.BOOL:
        return forms.BooleanField(label=label, required=False)
    return forms.ChoiceField(label=label, choices=spec.choices, **kw)


def _to_form(spec: rules.RuleSpec, value):
    if value is None:
        return None
    if spec.type == rules.SHARE:
        return Decimal(format((value * 100).normalize(), "f"))  # 30, never 3E+1
    return value


def _from_form(spec: rules.RuleSpec, value):
    if value is None:
        return None
    if spec.type == rules.SHARE:
        return Decimal(value) / 100
    return value


class RulebookForm(forms.Form):
    """One field per rule parameter; shares are entered in per cent."""

    def __init__(self, *args, values: dict, **kwargs):
        super().__init__(*args, initial={s.key: _to_form(s, values[s.key]) for s in rules.province_specs()}, **kwargs)
        for s in rules.province_specs():
            self.fields[s.key] = _rule_field(s)

    def rule_values(self) -> dict:
        return {s.key: _from_form(s, self.cleaned_data[s.key]) for s in rules.province_specs()}

    def grouped(self):
        """Fields grouped by R-id for the page."""
        groups: dict[str, list] = {}
        for s in rules.province_specs():
            groups.setdefault(s.rule, []).append(self[s.key])
        return sorted(groups.items(), key=lambda kv: kv[0])


class BoundsForm(forms.Form):
    """The centre's bound for each boundable parameter; empty means no bound."""

    def __init__(self, *args, bounds: dict, **kwargs):
        boundable = [s for s in rules.SPECS if s.bound]
        initial = {s.key: _to_form(s, bounds[s.key][s.bound]) for s in boundable}
        super().__init__(*args, initial=initial, **kwargs)
        for s in boundable:
            field = _rule_field(s, required=False)
            side = _("下限") if s.bound == rules.MIN else _("上限")
            if s.type == rules.DATE:
                side = _("最早") if s.bound == rules.MIN else _("最晚")
            field.label = f"{field.label} · {side}"
            self.fields[s.key] = field

    def bound_values(self) -> dict:
        return {s.key: {s.bound: _from_form(s, self.cleaned_data[s.key])} for s in rules.SPECS if s.bound}


class WorkRulesForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, title in WorkRules.SECTIONS:
            self.fields[name] = forms.CharField(label=title, required=False,
                                                widget=forms.Textarea(attrs={"rows": 8}))


class ManualQuotaForm(forms.Form):
    reason = forms.CharField(label=L("调整理由"), widget=forms.Textarea(attrs={"rows": 3}),
                             help_text=L("说明为何不采用按比例计算的名额，将记入操作日志"))

    def __init__(self, *args, cities, **kwargs):
        super().__init__(*args, **kwargs)
        self.cities = cities
        for city in cities:
            self.fields[f"city_{city.code}"] = forms.IntegerField(label=city.name, min_value=0)

    def city_fields(self):
        return [self[f"city_{c.code}"] for c in self.cities]

    def quotas(self) -> dict[str, int]:
        return {c.code: self.cleaned_data[f"city_{c.code}"] for c in self.cities}
