"""Forms of the voting pages (the admin's and the public verify page): they parse; the services decide what is
allowed."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from apps.voting.hashing import normalise_phone
from apps.voting.services import CODE_DIGITS, SHANGHAI

LOCAL_FORMAT = "%Y-%m-%dT%H:%M"
INPUT_FORMATS = (LOCAL_FORMAT, "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S")


def beijing_minute(moment: dt.datetime) -> str:
    """A stored time as a datetime-local input shows it: Beijing time, to the minute."""
    return moment.astimezone(SHANGHAI).strftime(LOCAL_FORMAT)


class BeijingDateTimeField(forms.Field):
    """A datetime-local input read as Beijing time, whatever timezone the server or the browser is in."""

    widget = forms.DateTimeInput(attrs={"type": "datetime-local"}, format=LOCAL_FORMAT)
    default_error_messages = {"invalid": _("请按“年-月-日 时:分”填写时间")}

    def to_python(self, value):
        value = (value or "").strip()
        if not value:
            return None
        for pattern in INPUT_FORMATS:
            try:
                return dt.datetime.strptime(value, pattern).replace(tzinfo=SHANGHAI)
            except ValueError:
                continue
        raise ValidationError(self.error_messages["invalid"], code="invalid")


class PollForm(forms.Form):
    title = forms.CharField(label=_("投票标题"), max_length=80, error_messages={"required": _("请填写投票标题")})
    intro = forms.CharField(label=_("投票说明"), max_length=2000, required=False,
                            widget=forms.Textarea(attrs={"rows": 4}),
                            help_text=_("显示在投票页顶部，例如投票规则和注意事项"))
    opens_at = BeijingDateTimeField(label=_("投票开始时间（北京时间）"),
                                    error_messages={"required": _("请填写投票开始时间")})
    closes_at = BeijingDateTimeField(label=_("投票截止时间（北京时间）"),
                                     error_messages={"required": _("请填写投票截止时间")})
    published = forms.BooleanField(label=_("公开投票页（公开后，持链接或扫码的公众即可访问）"), required=False)


class InvalidateForm(forms.Form):
    """Votes picked on the list (`vote`, several) or every vote an anomaly flag names (`flag`), and why."""

    reason = forms.CharField(label=_("作废原因"), max_length=500,
                             error_messages={"required": _("请填写作废原因")})
    flag = forms.CharField(max_length=120, required=False)

    def clean(self):
        data = super().clean()
        raw = self.data.getlist("vote") if hasattr(self.data, "getlist") else []
        # Any whole number may be sent: the service keeps only this poll's valid votes.
        data["votes"] = sorted({int(v) for v in raw if str(v).isdigit() and len(str(v)) < 19})
        if not self.errors and not data.get("flag") and not data["votes"]:
            raise ValidationError(_("请勾选要作废的投票"))
        return data


class RevertForm(forms.Form):
    reason = forms.CharField(label=_("恢复原因"), max_length=500, error_messages={"required": _("请填写恢复原因")})


class VoterPhoneForm(forms.Form):
    """The public verify page's number. The form reads it as a mainland mobile number; services.code_request
    decides whether a code may be sent."""

    phone = forms.CharField(label=_("手机号"), max_length=20, error_messages={"required": _("请输入手机号")},
                            widget=forms.TextInput(attrs={"type": "tel", "inputmode": "numeric",
                                                          "autocomplete": "tel"}))

    def clean_phone(self):
        return normalise_phone(self.cleaned_data["phone"])


class VoterCodeForm(forms.Form):
    """The code sent by SMS, labelled with the (masked) number it went to; services.code_verify checks it."""

    code = forms.CharField(max_length=CODE_DIGITS, error_messages={"required": _("请输入短信中的6位验证码")},
                           widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code",
                                                         "pattern": "[0-9]{6}"}))

    def __init__(self, *args, sent_to: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].label = _("发送至%(phone)s的6位验证码") % {"phone": sent_to}

    def clean_code(self):
        code = self.cleaned_data["code"].strip()
        if len(code) != CODE_DIGITS or not code.isdigit():
            raise ValidationError(_("请输入短信中的6位数字验证码"), code="format")
        return code
