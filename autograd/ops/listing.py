"""The table of elementwise ops as Markdown, for the docs: one row per op with its spellings and
its rules' teaching forms, written between two markers of ``docs/guides/tensor_api.md`` by
``python -m autograd.ops --docs``."""

from __future__ import annotations

from pathlib import Path

from .elementwise import DUNDERS, TABLE, Composed, Elementwise

BEGIN = "<!-- the elementwise ops: written by `python -m autograd.ops --docs` from autograd/ops -->"
END = "<!-- end of the elementwise ops -->"
_SYMBOLS = {"neg": "unary -", "pos": "unary +", "abs": "abs()"}


def _row(entry: Elementwise | Composed) -> str:
    names = [f"`{entry.name}`"]
    if entry.operator in DUNDERS:
        names.append(f"`{_SYMBOLS.get(entry.operator, entry.operator)}`")
    names += [f"`{n}`" for n in entry.names[1:] if n not in entry.torch]
    torch = ", ".join(f"`{n}`" for n in entry.torch) or "—"
    if isinstance(entry, Composed):
        rule = f"composed: `{entry.of.source}`"
    elif entry.plain:
        rule = "0: a plain result"
    elif entry.arity == 1:
        rule = entry.rules[0].text
    else:
        rule = "; ".join(f"∂/∂{r.input}: {r.text}" for r in entry.rules)
    rule = rule.replace("|", "\\|")  # (a table cell)
    return f"| {' '.join(names)} | {torch} | {rule} |"


def markdown() -> str:
    """The table: op (numpy's name, operator and other spellings), PyTorch's names, ∂out/∂input."""
    head = ["| op | PyTorch | ∂out/∂input |", "| --- | --- | --- |"]
    return "\n".join(head + [_row(entry) for entry in TABLE.values()])


def section() -> str:
    """The docs page's section: the markers around the table."""
    return f"{BEGIN}\n\n{markdown()}\n\n{END}"


def write_page(path: Path) -> bool:
    """Replace the section between the markers in ``path``; returns whether it changed. Raises
    ``ValueError`` when ``path`` lacks the markers (nothing is written then)."""
    text = path.read_text(encoding="utf-8")
    start, end = text.find(BEGIN), text.find(END)
    if start < 0 or end < start:
        raise ValueError(f"{path}: expected the markers {BEGIN!r} and {END!r} around the op table")
    new = text[:start] + section() + text[end + len(END) :]
    if new == text:
        return False
    path.write_text(new, encoding="utf-8")
    return True
