from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from apps.core import captcha
from apps.core.forms import mark_required
from apps.orgs import lockout
from apps.orgs.models import Membership, Org


class LoginForm(AuthenticationForm):
    username = forms.CharField(label=_("用户名或手机号码"), max_length=150, widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username"}))
    password = forms.CharField(label=_("密码"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}))
    error_messages = {
        "invalid_login": _("用户名或密码不正确。连续失败5次将锁定15分钟。"),
        "inactive": _("该账号已停用，请联系上级单位管理员。"),
    }

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.captcha_error = ""

    def captcha_needed(self) -> bool:
        """From the third try after two failures (apps.orgs.lockout), long before the lock at five. A try
        without the right answer never reaches the password check, so it is not a failure."""
        username = (self.data.get("username") or "").strip() if self.is_bound else ""
        return lockout.captcha_needed(self.request, username)

    def clean(self):
        if self.captcha_needed():
            answer = self.data.get("answer", "")
            if not captcha.challenge_pass(self.data.get("challenge", ""), answer):
                self.captcha_error = _("图片验证码不正确，请重新输入") if answer else _("请输入图片中的字符")
                raise ValidationError(self.captcha_error, code="captcha")
        return super().clean()


class OrgSearchForm(forms.Form):
    q = forms.CharField(label=_("名称或代码"), max_length=100, required=False,
                        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("输入名称或代码的一部分")}))
    kind = forms.ChoiceField(label=_("级别"), required=False)

    def __init__(self, *args, **kwargs):

        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("全部级别"))] + [
            (k.value, k.label) for k in Org.Kind if k != Org.Kind.CENTER
        ]


def _role_field():

    return forms.ChoiceField(label=_("角色"), choices=Membership.Role.choices, initial=Membership.Role.STAFF)


class MemberExistingForm(forms.Form):
    who = forms.CharField(label=_("用户名或手机号码"), max_length=150,
                          help_text=_("输入已有账号的用户名或手机号码（需完全一致）"))
    role = _role_field()


class MemberNewForm(forms.Form):
    """Its shape only: apps.orgs.services.member_invite checks every field and reports each problem at once."""

    username = forms.CharField(label=_("用户名或手机号码"), max_length=150, required=False,
                               help_text=_("登录时使用，可用字母、数字和 @ . + - _"))
    full_name = forms.CharField(label=_("姓名"), max_length=50, required=False)
    phone = forms.CharField(label=_("手机号码"), max_length=11, required=False,
                            widget=forms.TextInput(attrs={"type": "tel", "inputmode": "numeric"}))
    email = forms.CharField(label=_("电子邮箱"), max_length=254, required=False,
                            widget=forms.TextInput(attrs={"type": "email"}))
    password = forms.CharField(label=_("初始密码"), required=False, strip=False,
                               widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
                               help_text=_("留空则由系统生成，仅显示一次，请转交本人并提醒其登录后修改"))
    role = _role_field()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        mark_required(self, "username", "full_name")


class PasswordResetForm(forms.Form):
    password = forms.CharField(label=_("新密码"), required=False, strip=False,
                               widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
                               help_text=_("留空则由系统生成，仅显示一次"))


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Excel文件（.xlsx）"),
                           widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
                           error_messages={"required": _("请选择要上传的.xlsx文件"),
                                           "empty": _("上传的文件是空的，请检查后重新选择")})
