"""DfE's status symbols: what a published statistic shows instead of a number, and what each one means.

A symbol is never a zero. A published count of 0 is a real 0; `x` means there is no figure at all. The
meanings follow the data guidance of the "Education, health and care plans" releases (`x`, `z`) and the
conventions of other DfE and government statistics (`c`, `k`, `low`, `u`, `:`, `.`); see
reference/data-formats.md §1.
"""

from __future__ import annotations

SYMBOLS: dict[str, str] = {
    "x": (
        "Unavailable: the series did not exist yet, the percentage has a denominator of 0, the council could not "
        "return data, or DfE withheld it for quality reasons"
    ),
    "z": "Not applicable",
    "c": "Confidential: withheld to protect small numbers",
    "k": "Rounds to 0, but is not 0",
    "low": "Rounds to 0, but is not 0",
    "u": "Low reliability",
    ":": "Not available (older notation)",
    ".": "Not applicable (older notation)",
    "no data": "No data was returned",
}

# The order in which messages list the symbols (most common first).
SYMBOL_ORDER: tuple[str, ...] = tuple(SYMBOLS)


def find_symbol(text: str) -> str | None:
    """Return the DfE symbol a cell holds (`" X "` gives `"x"`), or None when the cell is not a symbol."""
    cleaned = " ".join(text.split()).lower()
    return cleaned if cleaned in SYMBOLS else None


def describe_symbol(symbol: str) -> str:
    """Return what a symbol means, in a sentence a reader of a report understands."""
    found = find_symbol(symbol)
    if found is None:
        raise KeyError(f"{symbol!r} is not a DfE symbol")
    return SYMBOLS[found]


def symbols_for_message() -> str:
    """List the symbols for an error message: `x, z, c, k, low, u, :, . or "no data"`."""
    shown = [f'"{s}"' if " " in s else s for s in SYMBOL_ORDER]
    return ", ".join(shown[:-1]) + " or " + shown[-1]
