"""How review pages write scores: `{{ sheet.total|points }}`."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django import template

register = template.Library()


@register.filter
def points(value) -> str:
    """A score or total as an expert reads it: at most 2 decimal places, half up, no trailing zeros (83.5, 84,
    77.93). static/js/score.js writes the running total the same way, so the total shown while scoring is the
    one shown after submitting. A value that is not a number is written as it is."""
    if value in (None, ""):
        return ""
    try:
        number = Decimal(repr(float(value)))
    except (TypeError, ValueError):
        return str(value)
    if not number.is_finite():
        return str(value)
    text = f"{number.quantize(Decimal('0.01'), rounding=ROUND_HALF_UP):f}"
    return text.rstrip("0").rstrip(".") if "." in text else text
