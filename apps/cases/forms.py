"""Forms of the case pages. They parse input only; the caps and every rule are checked by the services, so a
draft saved by the page, by autosave, by an invited contact or by the API meets the same checks."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from apps.cases import creditcode
from apps.cases.models import Case, CaseInvite
from apps.cases.selectors import BENEFIT_MAX, BODY_TARGET, enterprise_by_credit_code, enterprises_for


class CaseCreateForm(forms.Form):
    enterprise = forms.ModelChoiceField(label=_("推荐企业"), queryset=None, required=False,
                                        empty_label=_("请选择本区县已登记的企业"))
    credit_code = forms.CharField(label=_("或输入企业统一社会信用代码"), required=False, max_length=40,
                                  widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "latin"}))

    def __init__(self, *args, org, campaign, **kwargs):
        super().__init__(*args, **kwargs)
        self.campaign = campaign
        self.fields["enterprise"].queryset = enterprises_for(org, campaign)

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        enterprise, code = data.get("enterprise"), (data.get("credit_code") or "").strip()
        if enterprise is None and not code:
            raise forms.ValidationError(_("请选择企业，或输入企业的统一社会信用代码"))
        if enterprise is None:
            found = creditcode.problems(code)
            if found:
                raise forms.ValidationError(found)
            enterprise = enterprise_by_credit_code(self.campaign, code)
            if enterprise is None:
                raise forms.ValidationError(
                    _("未找到统一社会信用代码为%(code)s的已登记企业，请先登记企业") % {"code": creditcode.normalise(code)})
        data["enterprise"] = enterprise
        return data


def _text(label, rows: int, cap: int | None = None, help_text: str = "") -> forms.CharField:
    attrs = {"rows": rows}
    if cap:
        attrs["data-max"] = cap
    return forms.CharField(label=label, required=False, widget=forms.Textarea(attrs=attrs), help_text=help_text)


class CaseDraftForm(forms.Form):
    """Every field optional: a draft keeps what is filled so far. No max_length here on purpose: the service
    refuses over-cap text with one message per field, the same on every path."""

    title = forms.CharField(label=_("案例标题"), required=False,
                            widget=forms.TextInput(attrs={"data-max": Case.TITLE_MAX}))
    type = forms.ChoiceField(label=_("案例类型"), required=False,
                             choices=[("", _("请选择"))] + list(Case.Type.choices))
    abstract = _text(_("摘要"), 4, Case.ABSTRACT_MAX)
    background = _text(_("背景"), 6)
    practice = _text(_("主要做法"), 10)
    innovation = _text(_("创新点"), 6)
    results = _text(_("成效"), 6)
    insights = _text(_("启示"), 5)
    economic_benefits = _text(_("经济效益"), 4, BENEFIT_MAX)
    social_benefits = _text(_("社会效益"), 4, BENEFIT_MAX)
    contact_name = forms.CharField(label=_("联系人"), required=False,
                                   widget=forms.TextInput(attrs={"autocomplete": "name"}))
    contact_phone = forms.CharField(label=_("联系人手机"), required=False,
                                    widget=forms.TextInput(attrs={"type": "tel", "inputmode": "numeric",
                                                                  "autocomplete": "tel"}),
                                    help_text=_("11位手机号码"))
    contact_email = forms.CharField(label=_("联系人邮箱"), required=False,
                                    widget=forms.TextInput(attrs={"type": "email", "autocomplete": "email"}))
    consent_publicity = forms.BooleanField(label=_("同意公开宣传：同意将本案例用于活动专栏、案例集等公开宣传"),
                                           required=False)
    consent_truthful = forms.BooleanField(label=_("承诺材料真实：承诺所填内容及所附材料真实、准确"), required=False)
    loaded_version = forms.CharField(required=False, widget=forms.HiddenInput)

    SECTION_FIELDS = tuple(name for name, _label in Case.SECTIONS)
    BODY_MAX = Case.BODY_MAX
    TITLE_MAX = Case.TITLE_MAX
    ABSTRACT_MAX = Case.ABSTRACT_MAX
    BENEFIT_MAX = BENEFIT_MAX
    BODY_TARGET = BODY_TARGET

    @classmethod
    def for_case(cls, case: Case, version: str) -> CaseDraftForm:
        initial = {name: getattr(case, name) for name in cls.base_fields if name != "loaded_version"}
        initial["loaded_version"] = version
        return cls(initial=initial)

    def draft_data(self) -> dict:
        """Only the fields the request carried, so a partial post never blanks the rest. Unticked checkboxes
        are absent from a post; the form marks that it showed them with a hidden `consents_shown`."""
        out = {}
        for name, value in self.cleaned_data.items():
            if name == "loaded_version":
                continue
            if isinstance(self.fields[name], forms.BooleanField):
                if "consents_shown" in self.data:
                    out[name] = value
            elif name in self.data:
                out[name] = value
        return out

    def sections(self):
        return [self[name] for name in self.SECTION_FIELDS]


class InviteCreateForm(forms.Form):
    contact_name = forms.CharField(label=_("企业联系人姓名"), required=False, max_length=50)
    days = forms.IntegerField(label=_("有效天数"), min_value=1, max_value=30, initial=CaseInvite.DEFAULT_DAYS)
