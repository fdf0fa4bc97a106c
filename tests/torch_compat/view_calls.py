"""How to call each torch-named Tensor member and module function of this library on one input
tensor ``x`` (the same code on both libraries): the calls that tests/torch_compat/test_views_and_copies.py
makes to see which results share memory with ``x``. Every name the two libraries share is either
here or in a ``SKIP`` table with the reason; the test fails on a name in neither.

A call is a tuple of arguments after ``x`` (``x.name(*args)``, ``torch.name(x, *args)``) or a
function ``(torch, x) -> result``. ``SQUARE`` names get a symmetric positive definite 3×3 input."""

from __future__ import annotations

from typing import Any

Call = Any


def _ones(t: Any, x: Any) -> Any:
    return t.ones_like(x)


def _index(t: Any, positions: list[int]) -> Any:
    return t.tensor(positions)


# no argument after x (elementwise functions, reductions, casts, copies)
_PLAIN = """abs absolute acos acosh arccos arccosh arcsin arcsinh arctan arctanh asin asinh atan atanh ceil
cos cosh deg2rad digamma erf erfc erfinv exp exp2 expm1 fix floor i0 lgamma log log10 log1p log2 neg
negative positive rad2deg reciprocal relu round sigmoid sign sin sinc sinh sqrt square tan tanh trunc
frac rsqrt logit nan_to_num isnan isinf isfinite logical_not angle
all any argmax argmin mean sum prod std var norm median nanmedian nansum nanmean
count_nonzero msort aminmax max min sort argsort
clone contiguous detach float double long int short char byte bool half bfloat16 cpu conj real
flatten ravel squeeze t T mT mH H fliplr flipud diag tril triu trace corrcoef cov diff
cholesky det inverse logdet slogdet pinverse atleast_1d atleast_2d atleast_3d unique nonzero argwhere
""".split()

CALLS: dict[str, Call] = {name: () for name in _PLAIN}
CALLS.update(
    {
        # views, as torch documents them
        "view": (-1,),
        "view_as": lambda t, x: x.view_as(t.zeros(x.numel())),
        "reshape": ((-1,),),
        "transpose": (0, -1),
        "swapaxes": (0, -1),
        "swapdims": (0, -1),
        "permute": lambda t, x: x.permute(tuple(reversed(range(x.ndim)))),
        "movedim": (0, -1),
        "moveaxis": (0, -1),
        "narrow": (-1, 0, 1),
        "unsqueeze": (0,),
        "expand": lambda t, x: x.expand(2, *x.shape),
        "expand_as": lambda t, x: x.expand_as(t.zeros(2, *x.shape)),
        "broadcast_to": lambda t, x: t.broadcast_to(x, (2, *x.shape)),
        "split": (1,),
        "chunk": (2,),
        "tensor_split": (2,),
        "hsplit": (2,),
        "vsplit": (1,),
        "dsplit": lambda t, x: x.unsqueeze(-1).dsplit(1),
        "diagonal": (),
        "to": lambda t, x: x.to(x.dtype),
        "select": (0, -1),
        "unbind": (-1,),
        "reshape_as": lambda t, x: x.reshape_as(t.zeros(x.numel())),
        "type_as": lambda t, x: x.type_as(t.zeros(1, dtype=t.float32)),
        "unflatten": (-1, (2, -1)),
        "type": lambda t, x: x.type(x.dtype),
        # new memory
        "clamp": (0.0, 100.0),
        "clip": (0.0, 100.0),
        "clamp_min": (0.0,),
        "clamp_max": (100.0,),
        "add": (0,),
        "sub": (0,),
        "subtract": (0,),
        "mul": (1,),
        "multiply": (1,),
        "div": (1,),
        "divide": (1,),
        "true_divide": (1,),
        "floor_divide": (1,),
        "remainder": (100,),
        "fmod": (100,),
        "pow": (1,),
        "atan2": lambda t, x: t.atan2(x, _ones(t, x)),
        "arctan2": lambda t, x: t.arctan2(x, _ones(t, x)),
        "hypot": lambda t, x: t.hypot(x, _ones(t, x)),
        "copysign": (1.0,),
        "fmax": lambda t, x: t.fmax(x, _ones(t, x)),
        "fmin": lambda t, x: t.fmin(x, _ones(t, x)),
        "maximum": lambda t, x: t.maximum(x, _ones(t, x)),
        "minimum": lambda t, x: t.minimum(x, _ones(t, x)),
        "logaddexp": lambda t, x: t.logaddexp(x, _ones(t, x)),
        "logaddexp2": lambda t, x: t.logaddexp2(x, _ones(t, x)),
        "xlogy": lambda t, x: t.xlogy(x, _ones(t, x)),
        "heaviside": lambda t, x: t.heaviside(x, _ones(t, x)),
        "logical_and": lambda t, x: t.logical_and(x, _ones(t, x)),
        "logical_or": lambda t, x: t.logical_or(x, _ones(t, x)),
        "logical_xor": lambda t, x: t.logical_xor(x, _ones(t, x)),
        "isclose": lambda t, x: t.isclose(x, x),
        "isin": lambda t, x: t.isin(x, x),
        "lerp": lambda t, x: t.lerp(x, x, 0.5),
        "addcmul": lambda t, x: t.addcmul(x, x, x, value=0),
        "addcdiv": lambda t, x: t.addcdiv(x, x, _ones(t, x), value=0),
        "where": lambda t, x: t.where(x > -1, x, x),
        "masked_fill": lambda t, x: x.masked_fill(x < -1, 0),
        "masked_select": lambda t, x: x.masked_select(x > -1),
        "polygamma": lambda t, x: t.polygamma(1, x),
        "mvlgamma": lambda t, x: t.mvlgamma(x + 2, 1),
        "amax": (-1,),
        "amin": (-1,),
        "logsumexp": (-1,),
        "cummax": (-1,),
        "cummin": (-1,),
        "softmax": (-1,),
        "log_softmax": (-1,),
        "cumsum": (-1,),
        "cumprod": (-1,),
        "logcumsumexp": (-1,),
        "kthvalue": (1,),
        "topk": (1,),
        "quantile": (0.5,),
        "nanquantile": (0.5,),
        "mode": (),
        "std_mean": (),
        "var_mean": (),
        "flip": ((0,),),
        "roll": (1, 0),
        "unfold": (-1, 1, 1),
        "bitwise_not": lambda t, x: x.long().bitwise_not(),
        "bitwise_left_shift": lambda t, x: x.long().bitwise_left_shift(1),
        "bitwise_right_shift": lambda t, x: x.long().bitwise_right_shift(1),
        "rot90": (),
        "tile": ((1,),),
        "repeat": lambda t, x: x.repeat(*(1,) * x.ndim),
        "repeat_interleave": (1,),
        "diag_embed": (),
        "index_select": lambda t, x: x.index_select(-1, _index(t, [0])),
        "gather": lambda t, x: x.gather(-1, t.zeros(x.shape, dtype=t.int64)),
        "take": lambda t, x: x.take(_index(t, [0])),
        "take_along_dim": lambda t, x: x.take_along_dim(t.zeros(x.shape, dtype=t.int64), -1),
        "matmul": lambda t, x: t.matmul(x, x.mT),
        "mm": lambda t, x: x.mm(x.mT),
        "bmm": lambda t, x: t.bmm(x.unsqueeze(0), x.mT.unsqueeze(0)),
        "addmm": lambda t, x: t.addmm(x, x, t.eye(x.shape[-1], dtype=x.dtype), beta=1, alpha=0),
        "mv": lambda t, x: t.mv(x, x[0]),
        "dot": lambda t, x: x[0].dot(x[0]),
        "vdot": lambda t, x: x[0].vdot(x[0]),
        "inner": lambda t, x: x.inner(x),
        "outer": lambda t, x: x[0].outer(x[0]),
        "kron": lambda t, x: x.kron(t.ones(1, 1, dtype=x.dtype)),
        "tensordot": lambda t, x: t.tensordot(x, x, dims=([-1], [-1])),
        "einsum": lambda t, x: t.einsum("ij->ij", x),
        "cross": lambda t, x: t.cross(x[..., :3], x[..., :3], dim=-1),
        "cdist": lambda t, x: t.cdist(x, x),
        "dist": lambda t, x: t.dist(x, x),
        "cat": lambda t, x: t.cat([x]),
        "concatenate": lambda t, x: t.concatenate([x]),
        "stack": lambda t, x: t.stack([x]),
        "hstack": lambda t, x: t.hstack([x]),
        "vstack": lambda t, x: t.vstack([x]),
        "row_stack": lambda t, x: t.row_stack([x]),
        "dstack": lambda t, x: t.dstack([x]),
        "column_stack": lambda t, x: t.column_stack([x]),
        "block_diag": lambda t, x: t.block_diag(x),
        "cartesian_prod": lambda t, x: t.cartesian_prod(x[0]),
        "meshgrid": lambda t, x: t.meshgrid(x[0], indexing="ij"),
        "bincount": lambda t, x: t.bincount(x[0]),
        "histc": lambda t, x: t.histc(x, 3, 0, 10),
        "searchsorted": lambda t, x: t.searchsorted(x[0], x[0]),
        "bucketize": lambda t, x: t.bucketize(x, x[0]),
        "gradient": lambda t, x: t.gradient(x, dim=-1),
        "equal": lambda t, x: t.equal(x, x),
        "allclose": lambda t, x: t.allclose(x, x),
        # factories from an input
        "zeros_like": (),
        "ones_like": (),
        "empty_like": (),
        "full_like": (3,),
        "rand_like": (),
        "randn_like": (),
        "randint_like": (3,),
        "new_zeros": lambda t, x: x.new_zeros(x.shape),
        "new_ones": lambda t, x: x.new_ones(x.shape),
        "new_empty": lambda t, x: x.new_empty(x.shape),
        "new_full": lambda t, x: x.new_full(x.shape, 3),
        "new_tensor": lambda t, x: x.new_tensor(x),
        "tensor": lambda t, x: t.tensor(x),
        "as_tensor": lambda t, x: t.as_tensor(x),
        "bernoulli": lambda t, x: t.bernoulli(x.clamp(0, 1)),
        "multinomial": lambda t, x: t.multinomial(x.reshape(-1, x.shape[-1]).clamp(0.1, 1), 1),
        # in place: the result is x
        "add_": (0,),
        "sub_": (0,),
        "mul_": (1,),
        "div_": (1,),
        "zero_": (),
        "fill_": (3,),
        "copy_": lambda t, x: x.copy_(x.clone()),
        "clamp_": (0, 100),
        "relu_": (),
        "sigmoid_": (),
        "tanh_": (),
        "celu_": (),
        "selu_": (),
        "rrelu_": (),
        "threshold_": (0.0, 1.0),
        "uniform_": (),
        "normal_": (),
        "bernoulli_": (0.5,),
        "exponential_": (),
        "random_": (0, 3),
        "detach_": (),
        "requires_grad_": (False,),
        "share_memory_": (),
        "pin_memory": (),
    }
)

# Python's operators and indexing, by what they do (not in dir(): called as written here)
OPERATORS: dict[str, Call] = {
    "x[0]": lambda t, x: x[0],
    "x[1:]": lambda t, x: x[1:],
    "x[:, ::2]": lambda t, x: x[:, ::2],
    "x[..., -1]": lambda t, x: x[..., -1],
    "x[None]": lambda t, x: x[None],
    "x[...]": lambda t, x: x[...],
    "x[[0, 0]]": lambda t, x: x[[0, 0]],
    "x[x > 0]": lambda t, x: x[x > 0],
    "x[tensor([0])]": lambda t, x: x[t.tensor([0])],
    "x + 0": lambda t, x: x + 0,
    "x * 1": lambda t, x: x * 1,
    "0 + x": lambda t, x: 0 + x,
    "x - 0": lambda t, x: x - 0,
    "x / 1": lambda t, x: x / 1,
    "x ** 1": lambda t, x: x**1,
    "-x": lambda t, x: -x,
    "+x": lambda t, x: +x,
    "abs(x)": lambda t, x: abs(x),
    "x @ x.mT": lambda t, x: x @ x.mT,
    "x == x": lambda t, x: x == x,
    "x += 0": lambda t, x: _iadd(x),
    # forms where an op does nothing (torch still copies, or still makes a view)
    "x.roll(0, 0)": lambda t, x: x.roll(0, 0),
    "x.rot90(4)": lambda t, x: x.rot90(4),
    "x.flip(())": lambda t, x: x.flip(()),
    "x.expand(x.shape)": lambda t, x: x.expand(x.shape),
    "x.reshape(x.shape)": lambda t, x: x.reshape(x.shape),
    "x[0].flatten()": lambda t, x: x[0].flatten(),
    "x.flatten(0, 0)": lambda t, x: x.flatten(0, 0),
    "x.permute(same)": lambda t, x: x.permute(tuple(range(x.ndim))),
    "x.transpose(0, 0)": lambda t, x: x.transpose(0, 0),
    "x.squeeze(0)": lambda t, x: x.squeeze(0),
    "x.split(100)": lambda t, x: x.split(100),
    "x.chunk(1)": lambda t, x: x.chunk(1),
    "x.narrow(0, 0, len)": lambda t, x: x.narrow(0, 0, x.shape[0]),
    "x.to(x.dtype, copy=True)": lambda t, x: x.to(x.dtype, copy=True),
    "x.to(float64)": lambda t, x: x.to(t.float64),
    "x.double().float()": lambda t, x: x.double().float(),
    "x.detach().detach()": lambda t, x: x.detach().detach(),
    "x.diagonal(1)": lambda t, x: x.diagonal(1),
    "x.diagonal(-1, 1, 0)": lambda t, x: x.diagonal(-1, 1, 0),
    "x.unsqueeze(-1).expand(-1, -1, 2)": lambda t, x: x.unsqueeze(-1).expand(*x.shape, 2),
    "x.mT.contiguous()": lambda t, x: x.mT.contiguous(),
    "x.tile(1)": lambda t, x: x.tile(1),
    "x.repeat(1, 1)": lambda t, x: x.repeat(1, 1),
    "x.clamp(None, None)": lambda t, x: x.clamp(-100, None),
}


def _iadd(x: Any) -> Any:
    x += 0
    return x


# names whose input is a square matrix (symmetric positive definite)
SQUARE = {"cholesky", "det", "inverse", "logdet", "slogdet"}

# names that are not (tensor -> tensors), or take no tensor: nothing to compare
SKIP = {
    name: "returns no tensor (a number, a bool, a string, a Size, a list, an ndarray or None)"
    for name in """item tolist is_contiguous numel nelement dim ndimension size stride data_ptr is_tensor
    numpy storage untyped_storage backward register_hook retain_grad data grad grad_fn dtype shape ndim device
    is_cuda is_leaf requires_grad get_default_dtype set_default_dtype is_grad_enabled initial_seed
    seed manual_seed get_rng_state set_rng_state is_inference_mode_enabled""".split()
}
SKIP.update(
    {
        name: "a factory: no tensor comes in"
        for name in """arange zeros ones empty full eye linspace logspace rand randn randint randperm
        tril_indices triu_indices normal LongTensor FloatTensor DoubleTensor BoolTensor""".split()
    }
)
SKIP.update(
    {
        name: "not an op on a tensor (a mode, a transform, a device)"
        for name in """no_grad enable_grad compile vmap from_numpy cuda get_default_device
        set_default_device""".split()
    }
)
SKIP["save"] = SKIP["load"] = "files, not an op on a tensor"
SKIP["pin_memory"] = "needs an accelerator in torch"
SKIP["imag"] = "torch refuses it on real tensors (both libraries raise)"

# autograd/tensor_members.py and autograd/in_place_math.py (tests/torch_compat/test_more_members.py)


def _ones_of(t: Any, x: Any, *shape: int) -> Any:
    return t.ones(*shape, dtype=x.dtype)

_MORE_PLAIN = """isposinf isneginf signbit isreal sgn hardshrink diagflat unique_consecutive msort
abs_ absolute_ neg_ negative_ sgn_ sign_ square_ sqrt_ rsqrt_ reciprocal_ exp_ exp2_ expm1_ log_ log2_
log10_ log1p_ logit_ sin_ cos_ tan_ asin_ acos_ atan_ arcsin_ arccos_ arctan_ sinh_ cosh_ asinh_ acosh_
atanh_ arcsinh_ arccosh_ arctanh_ sinc_ deg2rad_ rad2deg_ erf_ erfc_ erfinv_ lgamma_ digamma_ i0_ round_
floor_ ceil_ trunc_ fix_ frac_ nan_to_num_ tril_ triu_ logical_not_ t_ squeeze_""".split()
CALLS.update({name: () for name in _MORE_PLAIN})
_COMPARED = "eq ne lt le gt ge greater less greater_equal less_equal not_equal".split()
CALLS.update({name: (0.5,) for name in [*_COMPARED, *(f"{n}_" for n in _COMPARED)]})
CALLS.update(
    {
        name: (0.5,)
        for name in """pow_ float_power float_power_ fmod_ remainder_ clamp_min_ clamp_max_ multiply_ divide_
        true_divide_ subtract_ floor_divide_ copysign_ xlogy_""".split()
    }
)
CALLS.update(
    {n: lambda t, x, n=n: getattr(x, n)(t.full_like(x, 0.5)) for n in ("atan2_", "arctan2_", "hypot_")}
)
CALLS.update(
    {
        "clip_": (0.0, 0.5),
        "polygamma_": (1,),
        "mvlgamma_": lambda t, x: (x + 2).mvlgamma_(1),
        "heaviside_": lambda t, x: x.heaviside_(t.ones_like(x)),
        "masked_fill_": lambda t, x: x.masked_fill_(x > 0.3, 0.0),
        "lerp_": lambda t, x: x.lerp_(t.ones_like(x), 0.25),
        "addcmul_": lambda t, x: x.addcmul_(x.clone(), x.clone()),
        "addcdiv_": lambda t, x: x.addcdiv_(x.clone(), x.clone() + 1, value=0.5),
        "logical_and_": lambda t, x: x.logical_and_(x.clone()),
        "logical_or_": lambda t, x: x.logical_or_(x.clone()),
        "logical_xor_": lambda t, x: x.logical_xor_(x.clone()),
        "cumsum_": (-1,),
        "cumprod_": (-1,),
        "renorm": (2, 0, 0.5),
        "renorm_": (2, 0, 0.5),
        "unsqueeze_": (0,),
        "transpose_": (0, -1),
        "swapdims_": lambda t, x: x.swapdims_(0, -1) if x.ndim else x,  # (a 0-d tensor: see swapdims)
        "swapaxes_": lambda t, x: x.swapaxes_(0, -1) if x.ndim else x,
        "fill_diagonal_": (2.0,),
        "sum_to_size": lambda t, x: x.sum_to_size(*(1,) * x.ndim),
        "split_with_sizes": lambda t, x: x.split_with_sizes([x.shape[0] if x.ndim else 1]),
        "histogram": lambda t, x: x.histogram(3),
        "addmv": lambda t, x: t.addmv(x.reshape(-1)[:3], _ones_of(t, x, 3, 2), _ones_of(t, x, 2)),
        "addmv_": lambda t, x: x.reshape(-1)[:3].addmv_(_ones_of(t, x, 3, 2), _ones_of(t, x, 2)),
        "addr": lambda t, x: t.addr(x, _ones_of(t, x, 3), _ones_of(t, x, x.shape[-1] if x.ndim else 1)),
        "addr_": lambda t, x: x.addr_(_ones_of(t, x, x.shape[0]), _ones_of(t, x, x.shape[-1])),
        "addmm_": lambda t, x: x.addmm_(_ones_of(t, x, x.shape[0], 2), _ones_of(t, x, 2, x.shape[-1])),
        "baddbmm": lambda t, x: t.baddbmm(x, _ones_of(t, x, 2, 3, 2), _ones_of(t, x, 2, 2, 4)),
        "baddbmm_": lambda t, x: x.baddbmm_(_ones_of(t, x, 2, 3, 2), _ones_of(t, x, 2, 2, 4)),
        "addbmm": lambda t, x: t.addbmm(x, _ones_of(t, x, 2, 3, 2), _ones_of(t, x, 2, 2, 4)),
        # (a 0-d x: torch's addbmm_ resizes it to the product's shape, as no other in-place op; refused here)
        "addbmm_": lambda t, x: x.addbmm_(_ones_of(t, x, 2, 3, 2), _ones_of(t, x, 2, 2, 4)) if x.ndim else x,
        "ger": lambda t, x: t.ger(x.reshape(-1), _ones_of(t, x, 2)),
        "chain_matmul": lambda t, x: t.chain_matmul(x, _ones_of(t, x, x.shape[-1], 2)),
    }
)
SKIP.update(
    {
        name: "returns no tensor (a bool or an int)"
        for name in """is_floating_point is_complex is_signed is_nonzero is_same_size element_size itemsize
        nbytes storage_offset""".split()
    }
)
_MORE_FUNCTIONS: dict[str, Call] = {
    # torch's top-level forms of nn.functional's functions (autograd/functional_aliases.py, _LAZY)
    "dropout": (0.5, False),
    "alpha_dropout": (0.5, False),
    "feature_alpha_dropout": lambda t, x: t.feature_alpha_dropout(x.reshape(1, 1, -1), 0.5, False),
    "selu": (),
    "celu": (),
    "rrelu": (),
    "threshold": (0.5, 0.0),
    "adaptive_avg_pool1d": lambda t, x: t.adaptive_avg_pool1d(x.reshape(1, 1, -1), 1),
    "adaptive_max_pool1d": lambda t, x: t.adaptive_max_pool1d(x.reshape(1, 1, -1), 1),
    "avg_pool1d": lambda t, x: t.avg_pool1d(x.reshape(1, 1, -1), 1),
    "max_pool1d": lambda t, x: t.max_pool1d(x.reshape(1, 1, -1), 1),
    "max_pool1d_with_indices": lambda t, x: t.max_pool1d_with_indices(x.reshape(1, 1, -1), 1),
    "max_pool2d": lambda t, x: t.max_pool2d(x.reshape(1, 1, 1, -1), 1),
    "max_pool3d": lambda t, x: t.max_pool3d(x.reshape(1, 1, 1, 1, -1), 1),
    "conv1d": lambda t, x: t.conv1d(x.reshape(1, 1, -1), _ones_of(t, x, 1, 1, 1)),
    "conv2d": lambda t, x: t.conv2d(x.reshape(1, 1, 1, -1), _ones_of(t, x, 1, 1, 1, 1)),
    "conv3d": lambda t, x: t.conv3d(x.reshape(1, 1, 1, 1, -1), _ones_of(t, x, 1, 1, 1, 1, 1)),
    "conv_transpose1d": lambda t, x: t.conv_transpose1d(x.reshape(1, 1, -1), _ones_of(t, x, 1, 1, 1)),
    "conv_transpose2d": lambda t, x: t.conv_transpose2d(x.reshape(1, 1, 1, -1), _ones_of(t, x, 1, 1, 1, 1)),
    "conv_transpose3d": lambda t, x: t.conv_transpose3d(x.reshape(1, 1, 1, 1, -1), _ones_of(t, x, *(1,) * 5)),
    "pixel_shuffle": lambda t, x: t.pixel_shuffle(x.reshape(1, 1, 1, -1), 1),
    "pixel_unshuffle": lambda t, x: t.pixel_unshuffle(x.reshape(1, 1, 1, -1), 1),
    "bilinear": lambda t, x: t.bilinear(*[x.reshape(1, -1)] * 2, _ones_of(t, x, 1, x.numel(), x.numel())),
    "cosine_similarity": lambda t, x: t.cosine_similarity(x.reshape(1, -1), x.reshape(1, -1).clone()),
    "pairwise_distance": lambda t, x: t.pairwise_distance(x.reshape(1, -1), x.reshape(1, -1).clone()),
    "embedding": lambda t, x: t.embedding(x.reshape(x.shape[0] if x.ndim else 1, -1), t.tensor([0])),
    "batch_norm": lambda t, x: t.batch_norm(x.reshape(2, -1), None, None, None, None, True, 0.1, 1e-5, False),
    "instance_norm": lambda t, x: t.instance_norm(x.reshape(1, 1, -1), *(None,) * 4, True, 0.1, 1e-5, False),
    "layer_norm": lambda t, x: t.layer_norm(x, x.shape[-1:]),
    "group_norm": lambda t, x: t.group_norm(x.reshape(1, 1, -1), 1),
    "rms_norm": lambda t, x: t.rms_norm(x, x.shape[-1:]),
    "kl_div": lambda t, x: t.kl_div(x.log(), x.clone()),
    "binary_cross_entropy_with_logits": lambda t, x: t.binary_cross_entropy_with_logits(x, x.clone()),
    "hinge_embedding_loss": lambda t, x: t.hinge_embedding_loss(x, t.ones_like(x)),
    "margin_ranking_loss": lambda t, x: t.margin_ranking_loss(x, x.clone(), t.ones_like(x)),
    "cosine_embedding_loss": lambda t, x: t.cosine_embedding_loss(
        x.reshape(1, -1), x.reshape(1, -1).clone(), _ones_of(t, x, 1)
    ),
    "poisson_nll_loss": lambda t, x: t.poisson_nll_loss(x, x.clone(), True, False, 1e-8, 0),
    "triplet_margin_loss": lambda t, x: t.triplet_margin_loss(x, x.clone(), x.clone()),
    # the small utilities (autograd/torch_utilities.py, integrals.py)
    "broadcast_tensors": lambda t, x: t.broadcast_tensors(x, t.zeros(2, *x.shape, dtype=x.dtype)),
    "combinations": lambda t, x: t.combinations(x.reshape(-1)[:3]),
    "rsub": (1,),
    "unravel_index": lambda t, x: t.unravel_index(x.long().reshape(-1), (100,)),
    "trapezoid": (),
    "trapz": (),
    "cumulative_trapezoid": (),
}
CALLS.update(_MORE_FUNCTIONS)
SKIP.update(
    {
        name: "takes no tensor, or returns none (a window, a dtype's limits, a setting, a name)"
        for name in """hann_window hamming_window blackman_window bartlett_window kaiser_window finfo iinfo
        promote_types can_cast result_type broadcast_shapes scalar_tensor range typename set_printoptions
        get_num_threads set_num_threads get_num_interop_threads set_num_interop_threads
        use_deterministic_algorithms are_deterministic_algorithms_enabled
        is_deterministic_algorithms_warn_only_enabled get_float32_matmul_precision
        set_float32_matmul_precision""".split()
    }
)
CALLS.update(
    {
        "adjoint": lambda t, x: x.adjoint() if x.ndim >= 2 else x,
        "real": lambda t, x: x.real,
        "resolve_conj": (),
        "resolve_neg": (),
        "new": lambda t, x: x.new(x),
        "unsafe_chunk": (2,),
        "unsafe_split": (1,),
        "unsafe_split_with_sizes": lambda t, x: t.unsafe_split_with_sizes(x, [x.shape[0] if x.ndim else 1]),
        "matrix_power": (3,),
        "ldexp": lambda t, x: t.ldexp(x, t.ones_like(x, dtype=t.int64)),
        "nextafter": lambda t, x: t.nextafter(x, t.zeros_like(x)),
        "gcd": lambda t, x: t.gcd(x, x.clone()),
        "lcm": lambda t, x: t.lcm(x, x.clone()),
        "pinverse": (),
        "fill": (2.0,),
        "vander": lambda t, x: t.vander(x.reshape(-1)),
        "pdist": lambda t, x: t.pdist(x.reshape(x.shape[0] if x.ndim else 1, -1)),
        "dropout_": (0.5, False),
        "alpha_dropout_": (0.5, False),
        "feature_alpha_dropout_": lambda t, x: t.feature_alpha_dropout_(x, 0.5, False),
    }
)
SQUARE.add("matrix_power")
SKIP.update(
    {
        n: "returns a bool"
        for n in """is_meta is_sparse is_sparse_csr is_quantized is_mkldnn is_nested is_mps is_xla is_xpu
        is_vulkan is_ipu is_maia is_mtia is_pinned is_shared""".split()
    }
)
SKIP.update(
    {n: "returns a bool or an int" for n in "is_conj is_neg is_cpu get_device is_inference".split()}
)
CALLS["asarray"] = ()
SKIP.update({n: "a flag" for n in ("set_warn_always", "is_warn_always_enabled", "is_anomaly_enabled")})
CALLS["concat"] = lambda t, x: t.concat([x])


def _flat(t: Any, x: Any) -> tuple[Any, Any, Any]:
    """``x`` flattened (a view), zero positions for each element, and a copy as the source."""
    v = x.reshape(-1)
    return v, t.zeros(v.shape, dtype=t.int64), v.clone()


def _scatter_call(method: str, *extra: Any) -> Call:
    """``x.reshape(-1).method(0, zeros, copy, *extra)`` (the scatter and index families)."""

    def call(t: Any, x: Any) -> Any:
        v, index, source = _flat(t, x)
        return getattr(v, method)(0, index, source, *extra)

    return call


CALLS.update(
    {
        **{name: _scatter_call(name) for name in ("scatter", "scatter_", "scatter_add", "scatter_add_")},
        **{name: _scatter_call(name) for name in ("index_add", "index_add_", "index_copy", "index_copy_")},
        **{name: _scatter_call(name, "sum") for name in ("scatter_reduce", "scatter_reduce_")},
        **{name: _scatter_call(name, "prod") for name in ("index_reduce", "index_reduce_")},
        "index_fill": lambda t, x: x.reshape(-1).index_fill(0, _flat(t, x)[1], 0.5),
        "index_fill_": lambda t, x: x.reshape(-1).index_fill_(0, _flat(t, x)[1], 0.5),
        "index_put": lambda t, x: x.reshape(-1).index_put((_flat(t, x)[1],), _flat(t, x)[2]),
        "index_put_": lambda t, x: x.reshape(-1).index_put_((_flat(t, x)[1],), _flat(t, x)[2]),
        "masked_scatter": lambda t, x: x.masked_scatter(x > 0.3, x.clone()),
        "masked_scatter_": lambda t, x: x.masked_scatter_(x > 0.3, x.clone()),
        "put": lambda t, x: x.put(_flat(t, x)[1], _flat(t, x)[2]),
        "put_": lambda t, x: x.put_(_flat(t, x)[1], _flat(t, x)[2]),
        "bitwise_and": lambda t, x: x.long().bitwise_and(x.long()),
        "bitwise_or": lambda t, x: x.long().bitwise_or(x.long()),
        "bitwise_xor": lambda t, x: x.long().bitwise_xor(x.long()),
    }
)
SKIP.update(
    {
        "register_post_accumulate_grad_hook": "registers a hook: returns a handle, no tensor",
        "retains_grad": "returns no tensor (a bool)",
        "svd": "a factorization: new tensors in both libraries (test_svd_with_v.py checks its values)",
    }
)
SQUARE |= {"matrix_exp", "qr", "cholesky_inverse", "cholesky_solve"}
CALLS.update(
    {
        "matrix_exp": (),
        "qr": (),
        "cholesky_inverse": lambda t, x: t.cholesky_inverse(t.linalg.cholesky(x)),
        "cholesky_solve": lambda t, x: t.cholesky_solve(x.clone(), t.linalg.cholesky(x)),
    }
)
