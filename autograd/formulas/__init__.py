"""Hand formulas written as LaTeX (or sympy), read and evaluated for :func:`autograd.check_derivative`.

Needs the optional dependencies: ``pip install "gradscope[formulas]"`` (sympy and the LaTeX parser
latex2sympy2-extended). :func:`parse_latex` reads a formula into sympy without silent changes;
:func:`compile_formula` binds its variables to a checked function's inputs and returns a
:class:`Formula`, callable on arrays, that prints itself back as text and LaTeX.
"""

from .bind import Binding, Formula, compile_formula
from .latex import ElementSum, FormulaError, Identifier, Parsed, parse_latex, sigmoid

__all__ = [
    "Binding",
    "ElementSum",
    "Formula",
    "FormulaError",
    "Identifier",
    "Parsed",
    "compile_formula",
    "parse_latex",
    "sigmoid",
]
