"""Decimals written down as text: exact, positional, without trailing zeros.

One spelling for every place a decimal becomes a string (signed records, stored details, template
contexts, the Indonesian printed forms built on it), because ``str(Decimal)`` switches to exponent
notation (``str(Decimal("0.0000001"))`` is ``1E-7``, ``str(Decimal("2.4E+1"))`` is ``2.4E+1``) and
keeps whatever trailing zeros the input had (``85.50``).
"""

from __future__ import annotations

from decimal import Decimal

__all__ = ["plain_decimal"]


def plain_decimal(value: Decimal) -> str:
    """``85.50`` -> ``85.5``; ``2.4E+1`` -> ``24``; ``20.0`` -> ``20``; ``-0.0`` -> ``0``.

    Exact: no digit is rounded away. Refuses infinities and NaN, which have no such spelling.
    """
    if not value.is_finite():
        raise ValueError(f"not a finite decimal: {value!r}")
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text == "-0" else text
