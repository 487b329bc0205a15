"""Amounts of money as the ledgers and budgets print them: yuan with fen and thousands separators (1,234,567.89)."""

from decimal import Decimal, InvalidOperation

from django import template

register = template.Library()


@register.filter
def yuan(value) -> str:
    """An amount in yuan, to the fen, grouped by thousands; — when there is none."""
    if value in (None, ""):
        return "—"
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        return str(value)
    return f"{amount:,.2f}"
