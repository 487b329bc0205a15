"""Forms parse input only; apps/publication/services.py validates and writes."""

from django import forms
from django.utils.translation import gettext_lazy as L

from apps.core.files import JPEG, PNG, accept_attribute


class TopicItemForm(forms.Form):
    """Optional here, so that the service says what is missing, in its words, at the field."""

    title = forms.CharField(label=L("标题"), max_length=300, required=False)
    body = forms.CharField(label=L("正文"), required=False, widget=forms.Textarea(attrs={"rows": 10}),
                           help_text=L("可分段；支持加粗、斜体、小标题、列表和链接"))
    image = forms.FileField(label=L("图片"), required=False, help_text=L("JPEG或PNG，可选"),
                            widget=forms.ClearableFileInput(attrs={"accept": accept_attribute((JPEG, PNG))}))
