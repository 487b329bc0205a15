"""Forms of the review pages: they parse; the services decide what is allowed."""

from django import forms
from django.utils.translation import gettext_lazy as _

from apps.cases.industry import section_choices
from apps.review.models import Disagreement


class ProfileForm(forms.Form):
    name = forms.CharField(label=_("姓名"), max_length=50)
    title = forms.CharField(label=_("职称/职务"), max_length=50, required=False)
    employer = forms.CharField(label=_("工作单位"), max_length=100, required=False)
    employer_credit_code = forms.CharField(label=_("工作单位统一社会信用代码（可不填）"), max_length=40, required=False)
    field = forms.CharField(label=_("专业领域"), max_length=100, required=False)
    industries = forms.MultipleChoiceField(label=_("熟悉行业（国民经济行业门类）"), required=False,
                                           widget=forms.CheckboxSelectMultiple)
    region_code = forms.CharField(label=_("所在地区代码（6位行政区划代码，可不填）"), max_length=6, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["industries"].choices = section_choices()


class InviteForm(forms.Form):
    name = forms.CharField(label=_("姓名"), max_length=50)
    phone = forms.CharField(label=_("手机号码"), max_length=20)


class AddExpertForm(ProfileForm):
    phone = forms.CharField(label=_("手机号码"), max_length=20)
    field_order = ["phone", "name"]


class AcceptForm(ProfileForm):
    password = forms.CharField(label=_("登录密码"), widget=forms.PasswordInput, strip=False)
    code = forms.CharField(label=_("短信验证码"), max_length=6, required=False,
                           widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
                           help_text=_("点击“获取短信验证码”，验证码将发送到受邀手机号码"))

    def __init__(self, *args, needs_code: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if not needs_code:  # an account with a password confirms with that password instead
            del self.fields["code"]


class MemberForm(forms.Form):
    max_load = forms.CharField(label=_("最多评审案例数（空为本轮默认）"), max_length=4, required=False)
    is_active = forms.BooleanField(label=_("在库"), required=False)
    note = forms.CharField(label=_("备注"), max_length=200, required=False)


class SettingsForm(forms.Form):
    methods = forms.MultipleChoiceField(label=_("评选方式"), widget=forms.CheckboxSelectMultiple, choices=[
        ("review", _("专家评审")), ("live", _("现场宣讲评分")), ("voting", _("网络投票"))])
    weight_review = forms.CharField(label=_("专家评审权重（%）"), required=False, max_length=6)
    weight_live = forms.CharField(label=_("现场宣讲评分权重（%）"), required=False, max_length=6)
    weight_voting = forms.CharField(label=_("网络投票权重（%）"), required=False, max_length=6)
    experts_per_case = forms.CharField(label=_("每个案例的评审专家数"), max_length=3)
    min_load = forms.CharField(label=_("每位专家最少评审案例数"), max_length=4)
    max_load = forms.CharField(label=_("每位专家最多评审案例数"), max_length=4)
    normalise = forms.BooleanField(label=_("按专家标准化（专家评审的案例不同时使用）"), required=False)
    trim = forms.BooleanField(label=_("去掉一个最高分和一个最低分（5个及以上评分时）"), required=False)
    disagreement = forms.CharField(label=_("分歧提示分差（百分制）"), max_length=6)
    same_county_conflict = forms.BooleanField(label=_("同一区县的专家回避"), required=False)

    def as_config(self) -> dict:
        data = self.cleaned_data
        weights = {m: data[f"weight_{m}"] for m in ("review", "live", "voting")
                   if data.get(f"weight_{m}") not in (None, "")}
        return {"methods": data["methods"], "weights": weights, "experts_per_case": data["experts_per_case"],
                "min_load": data["min_load"], "max_load": data["max_load"], "normalise": data["normalise"],
                "trim": data["trim"], "disagreement": data["disagreement"],
                "same_county_conflict": data["same_county_conflict"]}


class AddAssignmentForm(forms.Form):
    case = forms.IntegerField(widget=forms.HiddenInput)
    expert = forms.IntegerField(label=_("专家"))


class DeclineForm(forms.Form):
    reason = forms.CharField(label=_("回避原因"), max_length=200, widget=forms.Textarea(attrs={"rows": 2}))


class ResolveForm(forms.Form):
    case = forms.IntegerField(widget=forms.HiddenInput)
    resolution = forms.ChoiceField(label=_("处理方式"), choices=Disagreement.Resolution.choices)
    note = forms.CharField(label=_("说明"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))
