"""Forms parse input only; apps/book/services.py validates and writes."""

from django import forms
from django.utils.translation import gettext_lazy as L

from apps.book.models import Book


class BookForm(forms.Form):
    """Fields are optional here so that the service says what is missing, in its words, at the field."""

    title = forms.CharField(label=L("书名"), max_length=200, required=False)
    preface = forms.CharField(label=L("前言"), required=False, widget=forms.Textarea(attrs={"rows": 8}),
                              help_text=L("可分段；支持加粗、斜体、小标题和列表"))
    page_size = forms.ChoiceField(label=L("开本"), choices=Book.PageSize.choices)
    bleed_mm = forms.IntegerField(label=L("出血（毫米）"), required=False, help_text=L("印刷厂通常要求3毫米；不需要出血填0"))


class PrintRunForm(forms.Form):
    copies = forms.IntegerField(label=L("印数（册）"))
    printer = forms.CharField(label=L("印刷单位"), max_length=200)
    printed_on = forms.DateField(label=L("印刷日期"), widget=forms.DateInput(attrs={"type": "date"}))
    pdf_sha256 = forms.CharField(label=L("付印文件校验值（SHA-256）"), max_length=100,
                                 help_text=L("印刷厂收到的PDF的校验值，须与审核通过的付印版本一致"))
