"""HIPS autograd's README example and its tutorial's examples (docs/tutorial.md), as written there,
plus the same logistic regression through HIPS's other differential operators; each snippet leaves
its results in ``RESULTS`` (a dict of numbers and arrays).

Run as a script with HIPS autograd first on the path, it prints those results as the constants of
``test_hips_examples.py``:

    pip install --target /tmp/hips autograd==1.9.1 funcsigs  # (HIPS multigrad_dict imports funcsigs)
    PYTHONPATH=/tmp/hips python tests/hips/hips_examples.py

The code is HIPS autograd's (MIT licence, https://github.com/HIPS/autograd): README.md, the tanh
example (examples/tanh.py, its plotting left out: the plotted arrays are compared instead) and
docs/tutorial.md (the Taylor sine, whose Python 2 ``print`` statement is left out, and the
logistic regression).
"""

README_TANH = """
import autograd.numpy as np  # Thinly-wrapped numpy
from autograd import grad    # The only autograd function you may ever need

def tanh(x):                 # Define a function
    return (1.0 - np.exp((-2 * x))) / (1.0 + np.exp(-(2 * x)))

grad_tanh = grad(tanh)       # Obtain its gradient function
RESULTS["grad_tanh(1.0)"] = grad_tanh(1.0)               # Evaluate the gradient at x = 1.0
RESULTS["finite difference"] = (tanh(1.0001) - tanh(0.9999)) / 0.0002  # Compare to finite differences

from autograd import elementwise_grad as egrad  # for functions that vectorize over inputs
x = np.linspace(-7, 7, 700)
RESULTS["plotted"] = [tanh(x),
         egrad(tanh)(x),                                     # first  derivative
         egrad(egrad(tanh))(x),                              # second derivative
         egrad(egrad(egrad(tanh)))(x),                       # third  derivative
         egrad(egrad(egrad(egrad(tanh))))(x),]               # fourth derivative
"""

TAYLOR_SINE = """
import autograd.numpy as np   # Thinly-wrapped version of Numpy
from autograd import grad

def taylor_sine(x):  # Taylor approximation to sine function
    ans = currterm = x
    i = 0
    while np.abs(currterm) > 0.001:
        currterm = -currterm * x**2 / ((2 * i + 3) * (2 * i + 2))
        ans = ans + currterm
        i += 1
    return ans

grad_sine = grad(taylor_sine)
RESULTS["grad_sine(np.pi)"] = grad_sine(np.pi)
"""

LOGISTIC_REGRESSION = """
import autograd.numpy as np
from autograd import grad

def sigmoid(x):
    return 0.5 * (np.tanh(x / 2.) + 1)

def logistic_predictions(weights, inputs):
    # Outputs probability of a label being true according to logistic model.
    return sigmoid(np.dot(inputs, weights))

def training_loss(weights):
    # Training loss is the negative log-likelihood of the training labels.
    preds = logistic_predictions(weights, inputs)
    label_probabilities = preds * targets + (1 - preds) * (1 - targets)
    return -np.sum(np.log(label_probabilities))

# Build a toy dataset.
inputs = np.array([[0.52, 1.12,  0.77],
                   [0.88, -1.08, 0.15],
                   [0.52, 0.06, -1.30],
                   [0.74, -2.49, 1.39]])
targets = np.array([True, True, False, True])

# Define a function that returns gradients of training loss using Autograd.
training_gradient_fun = grad(training_loss)

# Optimize weights using gradient descent.
weights = np.array([0.0, 0.0, 0.0])
print("Initial loss:", training_loss(weights))
RESULTS["initial loss"] = training_loss(weights)
for i in range(100):
    weights -= training_gradient_fun(weights) * 0.01

print("Trained loss:", training_loss(weights))
RESULTS["trained loss"] = training_loss(weights)
RESULTS["weights"] = weights
"""

# (not in HIPS's docs: the logistic regression above through HIPS's other operators)
OPERATORS = """
from autograd import (value_and_grad, grad_and_aux, jacobian, hessian, elementwise_grad, make_vjp,
                      make_jvp, make_hvp, hessian_vector_product, tensor_jacobian_product, multigrad_dict)

w = np.array([0.3, -0.2, 0.5])
v = np.array([1.0, -2.0, 0.5])
loss, g = value_and_grad(training_loss)(w)
RESULTS["value_and_grad"] = [loss, g]
for i in range(50):
    loss, g = value_and_grad(training_loss)(weights)
    weights = weights - 0.01 * g
RESULTS["value_and_grad trained"] = [loss, weights]
g, aux = grad_and_aux(lambda w: (training_loss(w), logistic_predictions(w, inputs)))(w)
RESULTS["grad_and_aux"] = [g, aux]
RESULTS["jacobian"] = jacobian(logistic_predictions)(w, inputs)
RESULTS["jacobian argnum=1"] = jacobian(logistic_predictions, 1)(w, inputs)
RESULTS["hessian"] = hessian(training_loss)(w)
RESULTS["elementwise_grad"] = elementwise_grad(sigmoid)(np.dot(inputs, w))
vjp, ans = make_vjp(logistic_predictions)(w, inputs)
RESULTS["make_vjp"] = [vjp(np.array([1.0, 2.0, 3.0, 4.0])), ans]
RESULTS["make_jvp"] = list(make_jvp(logistic_predictions)(w, inputs)(v))
hvp, g = make_hvp(training_loss)(w)
RESULTS["make_hvp"] = [hvp(v), g]
RESULTS["hessian_vector_product"] = hessian_vector_product(training_loss)(w, v)
RESULTS["tensor_jacobian_product"] = tensor_jacobian_product(logistic_predictions)(w, inputs, np.arange(4.0))
RESULTS["multigrad_dict"] = list(multigrad_dict(lambda a, b=2.0: np.sum(np.tanh(a * b)))(w).values())
RESULTS["grad argnum=1"] = grad(lambda x, y: np.sum(np.sin(x * y)), 1)(1.5, w)
RESULTS["scalar grad of grad"] = grad(grad(lambda x: np.sin(x) * x ** 3))(0.7)
"""

EXAMPLES = {
    "readme": (README_TANH,),
    "taylor_sine": (TAYLOR_SINE,),
    "logistic": (LOGISTIC_REGRESSION, OPERATORS),
}


def run(name: str) -> dict:
    """Run one example's snippets in one namespace; its ``RESULTS``."""
    namespace: dict = {"RESULTS": {}}
    for code in EXAMPLES[name]:
        exec(compile(code, f"<{name}>", "exec"), namespace)
    return namespace["RESULTS"]


def as_constants(results: dict) -> dict:
    """The results as plain Python: floats and nested lists of floats."""
    import numpy

    def plain(x: object) -> object:
        if isinstance(x, (list, tuple)):
            return [plain(v) for v in x]
        return numpy.asarray(x, dtype=float).tolist()

    return {k: plain(v) for k, v in results.items()}


if __name__ == "__main__":
    import autograd

    assert not hasattr(autograd, "Tensor"), "run with HIPS autograd first on the path (see the docstring)"
    import numpy

    for name in EXAMPLES:
        found = as_constants(run(name))
        if name == "readme":  # 700 points x 5 curves: every 35th point, and each curve's sum
            curves = numpy.array(found.pop("plotted"))
            found["plotted[:, ::35]"] = curves[:, ::35].tolist()
            found["plotted sums"] = curves.sum(axis=1).tolist()
        print(f"{name.upper()} = {found!r}")
