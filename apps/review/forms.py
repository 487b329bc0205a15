"""Forms of the review pages: they parse; the services decide what is allowed."""

from django import forms
from django.utils.translation import gettext_lazy as _

from apps.core import otp
from apps.enterprises.industry import section_choices
from apps.review.config import RubricItem
from apps.review.models import Disagreement
from apps.review.services import profile_problems


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
        self.fields["name"].error_messages.update(required=_("请填写专家姓名（不超过50个字）"),
                                                  max_length=_("请填写专家姓名（不超过50个字）"))

    def clean(self):
        """The service's own checks of a profile, each at its field, so that one submit shows every problem."""
        data = super().clean()
        for name, problems in profile_problems(data).items():
            if name not in self.errors:
                self.add_error(name if name in self.fields else None, problems)
        return data


class InviteForm(forms.Form):
    name = forms.CharField(label=_("姓名"), max_length=50)
    phone = forms.CharField(label=_("手机号码"), max_length=20)


class AddExpertForm(ProfileForm):
    phone = forms.CharField(label=_("手机号码"), max_length=20)
    field_order = ["phone", "name"]


class AcceptForm(ProfileForm):
    password = forms.CharField(label=_("登录密码"), widget=forms.PasswordInput, strip=False,
                               error_messages={"required": _("请填写登录密码")})
    code = forms.CharField(label=_("短信验证码"), max_length=6,
                           widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
                           help_text=_("点击“获取短信验证码”，验证码将发送到受邀手机号码"))

    def __init__(self, *args, needs_code: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if not needs_code:  # an account with a password confirms with that password instead
            del self.fields["code"]
        else:
            self.fields["code"].error_messages.update(required=self._code_message(), max_length=self._code_message())

    @staticmethod
    def _code_message() -> str:
        return _("请输入%(n)d位数字短信验证码") % {"n": otp.DIGITS}

    def clean_code(self):
        # The code's form only, so that a malformed code is named with the other problems; the service checks it.
        code = self.cleaned_data["code"].strip()
        if not (len(code) == otp.DIGITS and code.isdigit()):
            raise forms.ValidationError(self._code_message())
        return code


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
    reason = forms.CharField(label=_("回避原因"), max_length=200, widget=forms.Textarea(attrs={"rows": 2}),
                             error_messages={"required": _("请填写回避原因"),
                                             "max_length": _("回避原因不超过200个字")})


class ResolveForm(forms.Form):
    case = forms.IntegerField(widget=forms.HiddenInput)
    resolution = forms.ChoiceField(label=_("处理方式"), choices=Disagreement.Resolution.choices)
    note = forms.CharField(label=_("说明"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


def _number(value) -> str:
    """26.0 as "26", 24.5 as "24.5" (what a person would type)."""
    return str(int(value)) if float(value).is_integer() else str(value)


class SheetForm(forms.Form):
    """A score sheet on the round's rubric: a score field per criterion (score_<key>), optionally a note per
    criterion (comment_<key>), and the overall comment. It only carries what was typed: every field is optional
    and unchecked here, so that services.write_sheet names every problem of a submit at once, each at its field
    (its errors are keyed by these field names)."""

    def __init__(self, rubric: tuple[RubricItem, ...], *args, notes: bool = True, score_label=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.rubric = rubric
        for item in rubric:
            maximum = _number(item.maximum)
            self.fields[f"score_{item.key}"] = forms.CharField(
                label=score_label or item.name, required=False, strip=True,
                help_text=_("满分 %(m)s") % {"m": maximum} if not score_label else "",
                widget=forms.NumberInput(attrs={
                    "inputmode": "decimal", "step": "0.1", "min": "0", "max": maximum,
                    # read by static/js/score.js for the running total (Σ score ÷ maximum × weight)
                    "data-weight": _number(item.weight), "data-maximum": maximum, "data-score": item.key}))
            if notes:
                self.fields[f"comment_{item.key}"] = forms.CharField(
                    label=_("评语（可不填）"), required=False, strip=False,
                    widget=forms.Textarea(attrs={"rows": 2, "maxlength": 500}))
        self.fields["comment"] = forms.CharField(
            label=_("总体意见（可不填）") if notes else _("意见（可不填）"), required=False, strip=False,
            widget=forms.Textarea(attrs={"rows": 3 if notes else 2, "maxlength": 2000}))

    def criteria(self):
        """(criterion, its score field, its note field or None) in rubric order, for the template."""
        return [(item, self[f"score_{item.key}"], self[f"comment_{item.key}"] if f"comment_{item.key}" in self.fields
                 else None) for item in self.rubric]

    def scores(self) -> dict:
        return {item.key: self.cleaned_data.get(f"score_{item.key}", "") for item in self.rubric}

    def notes(self) -> dict:
        return {item.key: self.cleaned_data.get(f"comment_{item.key}", "") for item in self.rubric}

    @staticmethod
    def initial_from(sheet) -> dict:
        """A stored sheet as the form's initial values (26.0 is shown as 26)."""
        if sheet is None:
            return {}
        initial = {f"score_{k}": _number(v) if isinstance(v, (int, float)) else v for k, v in sheet.scores.items()}
        initial.update({f"comment_{k}": v for k, v in sheet.comments.items()})
        initial["comment"] = sheet.comment
        return initial
