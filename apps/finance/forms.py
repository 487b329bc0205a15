"""Forms parse input only; apps/finance/services.py validates (every problem at once, at its field) and writes.
Amounts stay text in the form, so what was typed comes back as typed when something is refused."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as L

from apps.core.files import JPEG, PDF, PNG, accept_attribute
from apps.core.forms import MultipleFileField, mark_required
from apps.finance.lines import LINES

MONEY = {"inputmode": "decimal", "autocomplete": "off"}


class BudgetForm(forms.Form):
    """One amount per spending line (blank for none), and the reason of an adjustment."""

    reason = forms.CharField(label=L("调整理由"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000,
                             required=False, help_text=L("说明在哪些科目之间调整、为什么调整"))

    def __init__(self, *args, adjustment: bool = False, spent=None, **kwargs):
        super().__init__(*args, **kwargs)
        spent = spent or {}
        for code, label in LINES:
            self.fields[f"line_{code}"] = forms.CharField(
                label=f"{code} {label}", required=False, max_length=20, widget=forms.TextInput(attrs=MONEY),
                help_text=L("已支出%(n)s元") % {"n": f"{spent[code]:,.2f}"} if spent.get(code) else "")
        if adjustment:
            mark_required(self, "reason")
            self.order_fields([f"line_{code}" for code, _label in LINES] + ["reason"])
        else:
            del self.fields["reason"]

    def amounts(self) -> dict[str, str]:
        return {code: self.cleaned_data.get(f"line_{code}", "") for code, _label in LINES}

    @staticmethod
    def initial_of(budget) -> dict:
        return {f"line_{line.code}": format(line.amount, "f") for line in budget.lines.all()} if budget else {}


class ExpenseForm(forms.Form):
    spent_on = forms.CharField(label=L("支出日期"), required=False, max_length=20,
                               widget=forms.DateInput(attrs={"type": "date"}))
    line = forms.ChoiceField(label=L("支出科目"), required=False)
    amount = forms.CharField(label=L("金额（元）"), required=False, max_length=20, widget=forms.TextInput(attrs=MONEY),
                             help_text=L("精确到分，如 1280.50"))
    payee = forms.CharField(label=L("收款方"), required=False, max_length=100)
    purpose = forms.CharField(label=L("用途"), required=False, max_length=200)
    person_days = forms.CharField(label=L("人天数"), required=False, max_length=20,
                                  widget=forms.TextInput(attrs={"inputmode": "decimal"}),
                                  help_text=L("咨询费（专家咨询费）和会议费必填：人数×天数，半天记0.5"))
    justification = forms.CharField(label=L("委托说明"), required=False, max_length=2000,
                                    widget=forms.Textarea(attrs={"rows": 3}),
                                    help_text=L("委托业务费支付同一受托方累计超过规定金额时必填：委托内容，以及不属于转包、分包的理由"))
    vouchers = MultipleFileField(label=L("支出凭证"), required=False, accept=accept_attribute((PDF, JPEG, PNG)),
                                 help_text=L("发票、收据、签收单等，PDF、JPEG或PNG，可多选"))

    def __init__(self, *args, lines=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["line"].choices = [("", "—")] + [(code, f"{code} {label}") for code, label in lines]
        mark_required(self, "spent_on", "line", "amount", "payee", "purpose", "vouchers")

    def values(self) -> dict:
        data = self.cleaned_data
        return {"spent_on": data.get("spent_on", ""), "line": data.get("line", ""), "amount": data.get("amount", ""),
                "payee": data.get("payee", ""), "purpose": data.get("purpose", ""),
                "person_days": data.get("person_days", ""), "justification": data.get("justification", ""),
                "vouchers": data.get("vouchers") or []}


class ReasonForm(forms.Form):
    reason = forms.CharField(label=L("冲销理由"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000,
                             required=False, help_text=L("冲销后将记一笔金额相反的分录，原分录保留"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        mark_required(self, "reason")


class ClearForm(forms.Form):
    note = forms.CharField(label=L("核实情况"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000,
                           required=False, help_text=L("如：已核对委托合同和成果，受托方承担的是专项技术服务，不属于转包、分包"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        mark_required(self, "note")
