"""Forms of the case pages. They parse input only; the limits and every rule are checked by the services, so a
draft saved by the page, by autosave, by an invited contact or by the API meets the same checks."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from apps.cases.models import Case, CaseInvite
from apps.cases.selectors import BENEFIT_MAX, BODY_TARGET, enterprise_by_credit_code, enterprises_for
from apps.core import creditcode


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
            # At the select when the page shows one (the county has registered enterprises), else at the code.
            shown = "enterprise" if self.fields["enterprise"].queryset.exists() else "credit_code"
            self.add_error(shown, _("请选择企业，或输入企业的统一社会信用代码"))
            return data
        if enterprise is None:
            found = creditcode.problems(code)
            if found:
                self.add_error("credit_code", found)
                return data
            enterprise = enterprise_by_credit_code(self.campaign, code)
            if enterprise is None:
                self.add_error("credit_code", _("未找到统一社会信用代码为%(code)s的已登记企业，请先登记企业")
                               % {"code": creditcode.normalise(code)})
                return data
        data["enterprise"] = enterprise
        return data


class NeededToSubmit:
    """A field a submission needs, marked required on the page (the * and the required attribute), that a
    draft may still leave empty: the submission check (selectors.submission_problems_by_field) says what is
    missing, all at once, instead of the form refusing to save a half-filled draft."""

    def validate(self, value):
        if value in self.empty_values or value is False:
            return
        super().validate(value)


class DraftCharField(NeededToSubmit, forms.CharField):
    pass


class DraftChoiceField(NeededToSubmit, forms.ChoiceField):
    pass


class DraftBooleanField(NeededToSubmit, forms.BooleanField):
    pass


def _text(label, rows: int) -> forms.CharField:
    return DraftCharField(label=label, widget=forms.Textarea(attrs={"rows": rows}))


class CaseDraftForm(forms.Form):
    """The case's text as a draft: it keeps what is typed, also when empty or over a limit. No max_length here
    on purpose: a draft holds over-limit text (the counters show it while typing), the submission check lists
    what is over, and the service refuses only text beyond what a draft holds, the same on every path.
    Fields a submission needs are marked required (NeededToSubmit)."""

    title = DraftCharField(label=_("案例标题"))
    type = DraftChoiceField(label=_("案例类型"), choices=[("", _("请选择"))] + list(Case.Type.choices))
    abstract = _text(_("摘要"), 4)
    background = _text(_("背景"), 6)
    practice = _text(_("主要做法"), 10)
    innovation = _text(_("创新点"), 6)
    results = _text(_("成效"), 6)
    insights = _text(_("启示"), 5)
    economic_benefits = _text(_("经济效益"), 4)
    social_benefits = _text(_("社会效益"), 4)
    contact_name = DraftCharField(label=_("联系人"), widget=forms.TextInput(attrs={"autocomplete": "name"}))
    contact_phone = DraftCharField(label=_("联系人手机"),
                                   widget=forms.TextInput(attrs={"type": "tel", "inputmode": "numeric",
                                                                 "autocomplete": "tel"}),
                                   help_text=_("11位手机号码"))
    # Optional, and a CharField on purpose: a half-typed address is kept in the draft, its format checked
    # when the case is submitted.
    contact_email = forms.CharField(label=_("联系人邮箱"), required=False,
                                    widget=forms.TextInput(attrs={"type": "email", "autocomplete": "email"}))
    # Short labels, so the error summary reads 「承诺材料真实：请勾选…」; the page shows the full sentence.
    consent_publicity = DraftBooleanField(label=_("同意公开宣传"),
                                          help_text=_("同意将本案例用于活动专栏、案例集等公开宣传"))
    consent_truthful = DraftBooleanField(label=_("承诺材料真实"), help_text=_("承诺所填内容及所附材料真实、准确"))
    loaded_version = forms.CharField(required=False, widget=forms.HiddenInput)

    SECTION_FIELDS = tuple(name for name, _label in Case.SECTIONS)
    BODY_MAX = Case.BODY_MAX
    TITLE_MAX = Case.TITLE_MAX
    ABSTRACT_MAX = Case.ABSTRACT_MAX
    BENEFIT_MAX = BENEFIT_MAX
    BODY_TARGET = BODY_TARGET

    # The fields with their own live counter (case_form_fields.html; the body also has one for all five).
    COUNTED = ("title", "abstract", "economic_benefits", "social_benefits")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A screen reader reads the counter ("33 / 30 字，超出 3 字") with its field.
        for name in (*self.COUNTED, *self.SECTION_FIELDS):
            self.fields[name].widget.attrs["aria-describedby"] = f"count-{self[name].auto_id}"

    @classmethod
    def for_case(cls, case: Case, version: str) -> CaseDraftForm:
        initial = {name: getattr(case, name) for name in cls.base_fields if name != "loaded_version"}
        initial["loaded_version"] = version
        return cls(initial=initial)

    @classmethod
    def bound_to(cls, case: Case, version: str) -> CaseDraftForm:
        """The saved draft as a bound, cleaned form, to carry the submission's problems at their fields."""
        data = {name: getattr(case, name) or "" for name in cls.base_fields
                if name != "loaded_version" and not isinstance(cls.base_fields[name], forms.BooleanField)}
        data.update({name: "on" for name in ("consent_publicity", "consent_truthful") if getattr(case, name)})
        data.update({"loaded_version": version, "consents_shown": "1"})
        form = cls(data)
        form.is_valid()
        return form

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

    def consents(self):
        return [self["consent_publicity"], self["consent_truthful"]]


class InviteCreateForm(forms.Form):
    contact_name = forms.CharField(label=_("企业联系人姓名"), required=False, max_length=50)
    days = forms.IntegerField(label=_("有效天数"), min_value=1, max_value=30, initial=CaseInvite.DEFAULT_DAYS)
