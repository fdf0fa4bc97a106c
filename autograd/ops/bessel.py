"""The modified Bessel functions of the first kind I₀ and I₁, and their scaled forms e^-|x|·I₀(x)
and e^-|x|·I₁(x) (torch.i0, torch.special.i0e, i1, i1e).

Each is torch's ``calc_i0``/``calc_i0e``/``calc_i1``/``calc_i1e`` (``aten/src/ATen/native/Math.h``),
vectorised: a Chebyshev series for e^-x·I(x) on [0, 8] and one for e^-x·√x·I(x) beyond, of |x|, in
float64 (float32's result is the float64 one rounded). The series and their coefficients are
the Cephes Math Library's (3-Clause BSD licence, Copyright (c) 2018, Steven Moshier), as torch's.
The derivatives are torch's: I₀′ = I₁; I₁′ = I₀ − I₁(x)/x (½ where |x| ≤ eps); the scaled forms'
likewise, with the scale's −sign(x) term.
"""

from __future__ import annotations

import numpy as np

from .elementwise import Elementwise
from .gamma import floating, on_floats

# e^-x I0(x) on [0, 8], and e^-x sqrt(x) I0(x) on [8, inf) in the variable 32/x - 2
_I0E_A = (
    -4.41534164647933937950e-18, 3.33079451882223809783e-17, -2.43127984654795469359e-16,
    1.71539128555513303061e-15, -1.16853328779934516808e-14, 7.67618549860493561688e-14,
    -4.85644678311192946090e-13, 2.95505266312963983461e-12, -1.72682629144155570723e-11,
    9.67580903537323691224e-11, -5.18979560163526290666e-10, 2.65982372468238665035e-9,
    -1.30002500998624804212e-8, 6.04699502254191894932e-8, -2.67079385394061173391e-7,
    1.11738753912010371815e-6, -4.41673835845875056359e-6, 1.64484480707288970893e-5,
    -5.75419501008210370398e-5, 1.88502885095841655729e-4, -5.76375574538582365885e-4,
    1.63947561694133579842e-3, -4.32430999505057594430e-3, 1.05464603945949983183e-2,
    -2.37374148058994688156e-2, 4.93052842396707084878e-2, -9.49010970480476444210e-2,
    1.71620901522208775349e-1, -3.04682672343198398683e-1, 6.76795274409476084995e-1,
)  # fmt: skip
_I0E_B = (
    -7.23318048787475395456e-18, -4.83050448594418207126e-18, 4.46562142029675999901e-17,
    3.46122286769746109310e-17, -2.82762398051658348494e-16, -3.42548561967721913462e-16,
    1.77256013305652638360e-15, 3.81168066935262242075e-15, -9.55484669882830764870e-15,
    -4.15056934728722208663e-14, 1.54008621752140982691e-14, 3.85277838274214270114e-13,
    7.18012445138366623367e-13, -1.79417853150680611778e-12, -1.32158118404477131188e-11,
    -3.14991652796324136454e-11, 1.18891471078464383424e-11, 4.94060238822496958910e-10,
    3.39623202570838634515e-9, 2.26666899049817806459e-8, 2.04891858946906374183e-7,
    2.89137052083475648297e-6, 6.88975834691682398426e-5, 3.36911647825569408990e-3,
    8.04490411014108831608e-1,
)  # fmt: skip
# e^-x I1(x) / x on [0, 8], and e^-x sqrt(x) I1(x) on [8, inf)
_I1E_A = (
    2.77791411276104639959e-18, -2.11142121435816608115e-17, 1.55363195773620046921e-16,
    -1.10559694773538630805e-15, 7.60068429473540693410e-15, -5.04218550472791168711e-14,
    3.22379336594557470981e-13, -1.98397439776494371520e-12, 1.17361862988909016308e-11,
    -6.66348972350202774223e-11, 3.62559028155211703701e-10, -1.88724975172282928790e-9,
    9.38153738649577178388e-9, -4.44505912879632808065e-8, 2.00329475355213526229e-7,
    -8.56872026469545474066e-7, 3.47025130813767847674e-6, -1.32731636560394358279e-5,
    4.78156510755005422638e-5, -1.61760815825896745588e-4, 5.12285956168575772895e-4,
    -1.51357245063125314899e-3, 4.15642294431288815669e-3, -1.05640848946261981558e-2,
    2.47264490306265168283e-2, -5.29459812080949914269e-2, 1.02643658689847095384e-1,
    -1.76416518357834055153e-1, 2.52587186443633654823e-1,
)  # fmt: skip
_I1E_B = (
    7.51729631084210481353e-18, 4.41434832307170791151e-18, -4.65030536848935832153e-17,
    -3.20952592199342395980e-17, 2.96262899764595013876e-16, 3.30820231092092828324e-16,
    -1.88035477551078244854e-15, -3.81440307243700780478e-15, 1.04202769841288027642e-14,
    4.27244001671195135429e-14, -2.10154184277266431302e-14, -4.08355111109219731823e-13,
    -7.19855177624590851209e-13, 2.03562854414708950722e-12, 1.41258074366137813316e-11,
    3.25260358301548823856e-11, -1.89749581235054123450e-11, -5.58974346219658380687e-10,
    -3.83538038596423702205e-9, -2.63146884688951950684e-8, -2.51223623787020892529e-7,
    -3.88256480887769039346e-6, -1.10588938762623716291e-4, -9.76109749136146840777e-3,
    7.78576235018280120474e-1,
)  # fmt: skip


def _chbevl(x: np.ndarray, coefficients: tuple[float, ...]) -> np.ndarray:
    """The Chebyshev series Σ' cₖ·Tₖ(x/2) by Clenshaw's recurrence (Cephes' chbevl)."""
    b0, b1, b2 = np.full_like(x, coefficients[0]), np.zeros_like(x), np.zeros_like(x)
    for c in coefficients[1:]:
        b2, b1 = b1, b0
        b0 = x * b1 - b2 + c
    return 0.5 * (b0 - b2)


def _bessel(a: np.ndarray, low: tuple, high: tuple, order: int, scaled: bool) -> np.ndarray:
    x = floating(a)
    z = np.abs(x.astype(np.float64))
    with np.errstate(all="ignore"):
        near = _chbevl(z / 2.0 - 2.0, low) * (z if order else 1.0)  # (z <= 8)
        far = _chbevl(32.0 / z - 2.0, high) / np.sqrt(z)  # (z > 8)
        out = np.where(z <= 8.0, near, far)
        if not scaled:
            out = np.exp(z) * out
        if order:
            out = np.where(x < 0, -out, out)
        return np.asarray(out, dtype=x.dtype)


def i0_array(a: np.ndarray) -> np.ndarray:
    """I₀(x), as torch's calc_i0 (nan at ±inf, where e^x·series/√x is inf/inf)."""
    return _bessel(a, _I0E_A, _I0E_B, 0, scaled=False)


def i0e_array(a: np.ndarray) -> np.ndarray:
    """e^-|x|·I₀(x), as torch's calc_i0e (0 at ±inf)."""
    return _bessel(a, _I0E_A, _I0E_B, 0, scaled=True)


def i1_array(a: np.ndarray) -> np.ndarray:
    """I₁(x), as torch's calc_i1 (odd; nan at ±inf)."""
    return _bessel(a, _I1E_A, _I1E_B, 1, scaled=False)


def i1e_array(a: np.ndarray) -> np.ndarray:
    """e^-|x|·I₁(x), as torch's calc_i1e (odd; ±0 at ±inf)."""
    return _bessel(a, _I1E_A, _I1E_B, 1, scaled=True)


# torch's i1_backward and i1e_backward: at |x| <= eps (float64's), the limit ½, and x replaced by
# eps inside the unused branch (so that its derivative is finite there too)
_TINY = "x > 2.220446049250313e-16 or x < -2.220446049250313e-16"
_SAFE = f"where({_TINY}, x, 2.220446049250313e-16)"

I0 = Elementwise(
    "i0",
    forward=i0_array,
    forward_float=on_floats(i0_array),
    d="i1(x)",
    text="I₁(x)",
    latex=r"I_1(x)",
    torch=("i0",),
    formula="besseli(0, x)",
    doc="The modified Bessel function of the first kind of order 0, I₀(x), elementwise.",
)
I0E = Elementwise(
    "i0e",
    forward=i0e_array,
    forward_float=on_floats(i0e_array),
    d="i1e(x) - sign(x) * out",
    text="i1e(x) − sign(x)·i0e(x)",
    latex=r"e^{-|x|} I_1(x) - \operatorname{sign}(x) e^{-|x|} I_0(x)",
    torch=("i0e",),
    formula="exp(-abs(x)) * besseli(0, x)",
    doc="The exponentially scaled modified Bessel function e^−|x|·I₀(x), elementwise.",
)
I1 = Elementwise(
    "i1",
    forward=i1_array,
    forward_float=on_floats(i1_array),
    d=f"where({_TINY}, i0({_SAFE}) - out / {_SAFE}, 0.5)",
    text="[x ≠ 0](I₀(x) − I₁(x)/x) + ½[x = 0]",
    latex=r"I_0(x) - \frac{I_1(x)}{x}",
    torch=("i1",),
    formula="besseli(1, x)",
    doc="The modified Bessel function of the first kind of order 1, I₁(x), elementwise.",
)
I1E = Elementwise(
    "i1e",
    forward=i1e_array,
    forward_float=on_floats(i1e_array),
    d=f"where({_TINY}, i0e({_SAFE}) - out * (sign({_SAFE}) + 1 / {_SAFE}), 0.5)",
    text="[x ≠ 0](i0e(x) − i1e(x)·(sign(x) + 1/x)) + ½[x = 0]",
    latex=r"e^{-|x|} I_0(x) - e^{-|x|} I_1(x) \left(\operatorname{sign}(x) + \frac{1}{x}\right)",
    torch=("i1e",),
    formula="exp(-abs(x)) * besseli(1, x)",
    doc="The exponentially scaled modified Bessel function e^−|x|·I₁(x), elementwise.",
)
