"""HIPS autograd's README example (tanh and its derivatives with ``elementwise_grad``) and its
tutorial's examples (the Taylor sine, the logistic regression trained with ``grad``), run exactly
as HIPS writes them, ``import autograd.numpy as np`` and all (the code is in ``hips_examples.py``),
and the same logistic regression through HIPS's other operators (``value_and_grad``,
``grad_and_aux``, ``jacobian``, ``hessian``, ``elementwise_grad``, ``make_vjp``, ``make_jvp``,
``make_hvp``, ``hessian_vector_product``, ``tensor_jacobian_product``, ``multigrad_dict``).

The numbers are HIPS autograd 1.9.1's, made once by

    pip install --target /tmp/hips autograd==1.9.1 funcsigs
    PYTHONPATH=/tmp/hips python tests/hips/hips_examples.py

(numpy 2.4.6; HIPS's multigrad_dict imports funcsigs), so the suite does not need HIPS. The README's
plot is compared as data: its five curves at every 35th of the 700 points, and each curve's sum.
Not run: the tutorial's ``@primitive``/``defvjp`` example (``autograd.extend`` does not exist here),
its xarray example and its complex-number sections (the engine is real-valued).
"""

from __future__ import annotations

from typing import Any

import hips_examples
import numpy as np
import pytest

# fmt: off
README = {'grad_tanh(1.0)': 0.419974341614026,
 'finite difference': 0.41997434265084177,
 'plotted[:, ::35]': [[-0.9999983369439447,
                       -0.999993242471471,
                       -0.9999725422150633,
                       -0.9998884346477557,
                       -0.9995467505967369,
                       -0.9981595757238572,
                       -0.9925427699129062,
                       -0.9700410034805643,
                       -0.8836076217087612,
                       -0.5986157722453894,
                       0.010013971399077651,
                       0.6113133796763618,
                       0.8879217206889718,
                       0.9712004203772107,
                       0.9928345330117613,
                       0.9982317770864838,
                       0.9995645438044185,
                       0.9998928150867937,
                       0.9999736203455976,
                       0.999993507808617],
                      [3.326109344614636e-06,
                       1.3515011393794296e-05,
                       5.49148159432189e-05,
                       0.00022311825766085924,
                       0.0009062933715044963,
                       0.003677461390769965,
                       0.014858849893615522,
                       0.05902045156641966,
                       0.21923757085818685,
                       0.6416591572190563,
                       0.9998997203768184,
                       0.6262959518286642,
                       0.21159501792873564,
                       0.056769743459129204,
                       0.014279590059317672,
                       0.003533319214760719,
                       0.000870722769064691,
                       0.00021435833780679957,
                       5.275861291883107e-05,
                       1.2984340617553172e-05],
                      [6.652207625982227e-06,
                       2.7029840131383138e-05,
                       0.0001098266162088806,
                       0.0004461867307866736,
                       0.001811765189149292,
                       0.007341386603102541,
                       0.02949608806225754,
                       0.11450451612673142,
                       0.387439977150417,
                       0.7682145838340216,
                       -0.020025934403598233,
                       -0.7657261899800093,
                       -0.37575962481699354,
                       -0.11026959742442538,
                       -0.028354540256284103,
                       -0.007054143037528823,
                       -0.001740687214880536,
                       -0.00042867072365393346,
                       -0.00010551444232971105,
                       -2.59685126414578e-05],
                      [1.3304370985707727e-05,
                       5.405894964721835e-05,
                       0.00021964116995592506,
                       0.0008921743400823173,
                       0.0036202452799694875,
                       0.014628703229384324,
                       0.05811068705348928,
                       0.21518132404704582,
                       0.5885596085779591,
                       0.09627778461780567,
                       -1.999197823350565,
                       0.15170409165282184,
                       0.5777453620413708,
                       0.20774215120202477,
                       0.0558949200836977,
                       0.014058370791002492,
                       0.0034783421274153584,
                       0.0008571576542452746,
                       0.00021101775084790157,
                       5.193635091160506e-05],
                      [2.6608565216056762e-05,
                       0.00010811497679213419,
                       0.000439234091343839,
                       0.0017835522943437368,
                       0.0072273568673491845,
                       0.029041574423118652,
                       0.11272501690933694,
                       0.376920765528518,
                       0.5304631152761295,
                       -2.8423247337798077,
                       0.16018337691092732,
                       2.691949796003961,
                       -0.5489321246674135,
                       -0.3659586686121885,
                       -0.1085594664909745,
                       -0.027917477680457242,
                       -0.006944560987620348,
                       -0.0017135802248902671,
                       -0.00042199096777140155,
                       -0.00010387000435766957]],
 'plotted sums': [0.0, 99.85698009302095, 0.0, -0.0006510548959770546, 1.8189894035458565e-12]}
TAYLOR_SINE = {'grad_sine(np.pi)': -0.9998995297042174}
LOGISTIC = {'initial loss': 2.772588722239781,
 'trained loss': 1.0672706757870163,
 'weights': [0.4830736619199681, -0.3705721743179022, 1.0693739506125794],
 'value_and_grad': [1.6901060540218487, [-0.48911421973472347, 0.4311356648418882, -1.1398311941316426]],
 'value_and_grad trained': [0.8354019717377412,
                            [0.6359509074284253, -0.3951233936666858, 1.3751186857385609]],
 'grad_and_aux': [[-0.48911421973472347, 0.4311356648418882, -1.1398311941316426],
                  [0.5785929556795221, 0.635294849322807, 0.37613168601042085, 0.8045533772735624]],
 'jacobian': [[0.1267880366051295, 0.2730819249956635, 0.18774382343451868],
              [0.20389186729711264, -0.25023092804645647, 0.03475429556200784],
              [0.12202145321047711, 0.014079398447362744, -0.3050536330261928],
              [0.11636295788953772, -0.39154562857425534, 0.2185736641438614]],
 'jacobian argnum=1': [[[0.07314694419526702, -0.048764629463511344, 0.12191157365877836],
                        [0.0, 0.0, 0.0],
                        [0.0, 0.0, 0.0],
                        [0.0, 0.0, 0.0]],
                       [[0.0, 0.0, 0.0],
                        [0.06950859112401568, -0.04633906074934379, 0.11584765187335946],
                        [0.0, 0.0, 0.0],
                        [0.0, 0.0, 0.0]],
                       [[0.0, 0.0, 0.0],
                        [0.0, 0.0, 0.0],
                        [0.07039699223681371, -0.04693132815787582, 0.11732832039468953],
                        [0.0, 0.0, 0.0]],
                       [[0.0, 0.0, 0.0],
                        [0.0, 0.0, 0.0],
                        [0.0, 0.0, 0.0],
                        [0.047174172117380155, -0.03144944807825344, 0.0786236201956336]]],
 'hessian': [[0.3949143667638325, -0.36062309363545697, 0.13132719057335374],
             [-0.36062309363545697, 1.5518945373420538, -0.38981319866009395],
             [0.1313271905733537, -0.3898131986600939, 0.8501630044728986]],
 'elementwise_grad': [0.24382314731755672, 0.23169530374671893, 0.23465664078937906, 0.1572472403912672],
 'make_vjp': [[1.366087962388937, -1.7513242500521824, 0.21638617205540162],
              [0.5785929556795221, 0.635294849322807, 0.37613168601042085, 0.8045533772735624]],
 'make_jvp': [[0.5785929556795221, 0.635294849322807, 0.37613168601042085, 0.8045533772735624],
              [-0.3255039016689383, 0.7217308711710295, -0.058664160197344765, 1.0087410471099791]],
 'make_hvp': [[1.1818241493214232, -3.659318767649612, 1.3360350901299913],
              [-0.48911421973472347, 0.4311356648418882, -1.1398311941316426]],
 'hessian_vector_product': [1.1818241493214232, -3.659318767649612, 1.3360350901299913],
 'tensor_jacobian_product': [0.7970236473866801, -1.3967090168744971, 0.08036802194120636],
 'multigrad_dict': [[1.4231555251744459, 1.7112775721623557, 0.8399486832280522], 0.25233274236694436],
 'grad argnum=1': [1.3506706535290154, 1.433004733688409, 1.0975333033107313],
 'scalar grad of grad': 4.73338365029217}
# fmt: on

REFERENCE = {"readme": README, "taylor_sine": TAYLOR_SINE, "logistic": LOGISTIC}


def ours(name: str) -> dict[str, Any]:
    found = hips_examples.as_constants(hips_examples.run(name))
    if name == "readme":
        curves = np.array(found.pop("plotted"))
        found["plotted[:, ::35]"] = curves[:, ::35].tolist()
        found["plotted sums"] = curves.sum(axis=1).tolist()
    return found


def assert_close(mine: Any, hips: Any, key: str, rtol: float = 1e-12, atol: float = 1e-12) -> None:
    if isinstance(hips, list) and len({np.shape(h) for h in hips}) > 1:  # (results of several shapes)
        assert len(mine) == len(hips), key
        for m, h in zip(mine, hips):
            assert_close(m, h, key, rtol, atol)
        return
    m, h = np.array(mine, dtype=float), np.array(hips, dtype=float)
    assert m.shape == h.shape, key
    np.testing.assert_allclose(m, h, rtol=rtol, atol=atol, err_msg=key)


@pytest.mark.parametrize("name", REFERENCE)
def test_hips_examples_give_hips_numbers(name: str) -> None:
    found, reference = ours(name), REFERENCE[name]
    assert found.keys() == reference.keys()
    for key, hips in reference.items():
        atol = 1e-10 if key == "plotted sums" else 1e-12  # (sums of 700 points, some near 0)
        assert_close(found[key], hips, key, atol=atol)


def test_the_results_have_hips_types() -> None:
    """Numbers in, numbers out, as HIPS: a float for grad(f)(1.0), ndarrays for arrays."""
    results = hips_examples.run("readme")
    assert isinstance(results["grad_tanh(1.0)"], float)
    assert all(isinstance(c, np.ndarray) and c.shape == (700,) for c in results["plotted"])
    logistic = hips_examples.run("logistic")
    assert isinstance(logistic["weights"], np.ndarray) and isinstance(logistic["initial loss"], float)


def test_the_logistic_regression_prints_hips_losses(capsys: pytest.CaptureFixture[str]) -> None:
    hips_examples.run("logistic")
    printed = capsys.readouterr().out.splitlines()
    assert printed[0] == f"Initial loss: {LOGISTIC['initial loss']!r}"
    assert printed[1].startswith("Trained loss: 1.06727067578701")


def test_a_wrong_operator_is_caught(monkeypatch: pytest.MonkeyPatch) -> None:
    """A broken operator (elementwise_grad seeding with twos instead of ones) fails the comparison."""
    import autograd.differential_operators as ops

    monkeypatch.setattr(ops, "_ones_like", lambda out: 2.0 * np.ones(np.shape(out)))
    found = ours("readme")
    with pytest.raises(AssertionError):
        assert_close(found["plotted[:, ::35]"], README["plotted[:, ::35]"], "plotted")
