"""Text from the user's files made safe for where it goes: a terminal line, Markdown, a sheet.

Scenario names, keys and values come from files anyone may hand a planner. Written raw, a
newline in a key forges a second ``icsim:`` line on stderr, a name holding HTML is rendered by a
Markdown viewer, and a name starting with ``=`` becomes a formula when a CSV or workbook is
opened in Excel (OWASP's "CSV injection"). Each function here neutralises one of these, so that
every writer can call the same one.
"""

from __future__ import annotations

import html
import unicodedata


def one_line(text: str) -> str:
    """``text`` with every control character (newline, carriage return, escape...) escaped."""
    return "".join(
        repr(c)[1:-1] if unicodedata.category(c).startswith("C") else c for c in str(text)
    )


def markdown_cell(text: str) -> str:
    """``text`` as one Markdown table cell: one line, HTML escaped, ``|`` escaped."""
    return html.escape(one_line(text), quote=False).replace("|", "\\|")


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_cell(value):
    """``value``, and if text starting like a formula, with a ``'`` in front (Excel's escape)."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value
