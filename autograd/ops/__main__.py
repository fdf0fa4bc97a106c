"""``python -m autograd.ops`` prints the table of elementwise ops as Markdown; ``--docs [PATH]``
writes it into the docs page (default ``docs/guides/tensor_api.md``) between its markers."""

from __future__ import annotations

import sys
from pathlib import Path

from .listing import markdown, write_page

PAGE = "docs/guides/tensor_api.md"


def main(argv: list[str]) -> int:
    if argv[:1] == ["--docs"]:
        path = Path(argv[1] if len(argv) > 1 else PAGE)
        changed = write_page(path)
        print(f"{path}: the op table {'updated' if changed else 'is up to date'}")
        return 0
    if argv:
        print("usage: python -m autograd.ops [--docs [PATH]]", file=sys.stderr)
        return 2
    print(markdown())
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
