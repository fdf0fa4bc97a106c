"""PyTorch code in the style of its sequence tutorials (the chatbot tutorial's encoder: an embedding,
``nn.utils.rnn.pack_padded_sequence`` of a padded ``(max_len, batch)`` batch sorted longest first, a
bidirectional GRU, ``pad_packed_sequence`` and the two directions summed; then a training step with
``clip_grad_norm_``), kept as torch code and run with only its import lines changed.

Both sides start from torch's weights: the encoder's outputs and final states, three training steps'
losses and every trained weight agree with PyTorch's to 1e-10.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from side_by_side import same
from test_data_tutorials import ours

import autograd

torch = pytest.importorskip("torch")

PAGE = """
import itertools
import torch
import torch.nn as nn
from torch import optim
import torch.nn.functional as F

PAD = 0


def batch_to_tensors(sentences):
    # sentences (lists of token ids) longest first, as a (max_len, batch) tensor padded with PAD
    order = sorted(range(len(sentences)), key=lambda i: len(sentences[i]), reverse=True)
    ordered = [sentences[i] for i in order]
    lengths = torch.tensor([len(s) for s in ordered])
    padded = list(itertools.zip_longest(*ordered, fillvalue=PAD))
    return torch.tensor(padded, dtype=torch.long), lengths, order


class Encoder(nn.Module):
    def __init__(self, vocab_size, hidden_size, n_layers=1):
        super().__init__()
        self.hidden_size = hidden_size
        self.embedding = nn.Embedding(vocab_size, hidden_size, padding_idx=PAD)
        self.gru = nn.GRU(hidden_size, hidden_size, n_layers, bidirectional=True)

    def forward(self, tokens, lengths, hidden=None):
        embedded = self.embedding(tokens)
        # pack, so the GRU stops at each sentence's own end
        packed = nn.utils.rnn.pack_padded_sequence(embedded, lengths)
        outputs, hidden = self.gru(packed, hidden)
        outputs, _ = nn.utils.rnn.pad_packed_sequence(outputs)
        # sum the two directions
        outputs = outputs[:, :, : self.hidden_size] + outputs[:, :, self.hidden_size :]
        return outputs, hidden


class Classifier(nn.Module):
    def __init__(self, encoder, n_classes):
        super().__init__()
        self.encoder = encoder
        self.out = nn.Linear(2 * encoder.hidden_size, n_classes)

    def forward(self, tokens, lengths):
        outputs, hidden = self.encoder(tokens, lengths)
        pooled = outputs.sum(0) / lengths.unsqueeze(1)
        return self.out(torch.cat((hidden[-2] + hidden[-1], pooled), 1))


def train_step(model, optimizer, tokens, lengths, labels, clip=1.0):
    optimizer.zero_grad()
    loss = F.cross_entropy(model(tokens, lengths), labels)
    loss.backward()
    nn.utils.clip_grad_norm_(model.parameters(), clip)
    optimizer.step()
    return loss.item()
"""

SENTENCES = [[4, 5, 2], [6, 7, 8, 9, 2], [10, 2], [11, 12, 13, 2], [3, 2]]
LABELS = [0, 1, 0, 1, 1]
VOCAB, HIDDEN = 14, 5


def _run(lib: Any, code: str, weights: dict[str, np.ndarray]) -> dict[str, Any]:
    namespace: dict[str, Any] = {}
    exec(compile(code, "<tutorial>", "exec"), namespace)
    model = namespace["Classifier"](namespace["Encoder"](VOCAB, HIDDEN, n_layers=2), 2)
    model.load_state_dict({k: lib.from_numpy(v.copy()) for k, v in weights.items()})
    tokens, lengths, order = namespace["batch_to_tensors"](SENTENCES)
    outputs, hidden = model.encoder(tokens, lengths)
    optimizer = lib.optim.Adam(model.parameters(), lr=0.05)
    labels = lib.tensor([LABELS[i] for i in order])
    losses = [namespace["train_step"](model, optimizer, tokens, lengths, labels) for _ in range(3)]
    trained = {k: lib.tensor(np.asarray(v)) for k, v in model.state_dict().items()}
    return {"tokens": tokens, "lengths": lengths, "outputs": outputs.detach(), "hidden": hidden.detach(),
            "losses": losses, "trained": trained}  # fmt: skip


def test_a_tutorial_style_packed_gru_encoder_trains_as_pytorchs() -> None:
    torch.manual_seed(0)
    previous = torch.get_default_dtype()
    torch.set_default_dtype(torch.float64)
    try:
        namespace: dict[str, Any] = {}
        exec(compile(PAGE, "<tutorial>", "exec"), namespace)
        reference = namespace["Classifier"](namespace["Encoder"](VOCAB, HIDDEN, n_layers=2), 2)
        weights = {k: v.detach().numpy().copy() for k, v in reference.state_dict().items()}
        theirs = _run(torch, PAGE, weights)
    finally:
        torch.set_default_dtype(previous)
    mine = _run(autograd, ours(PAGE), weights)
    same(mine, theirs, rtol=1e-10, atol=1e-10)
    assert theirs["losses"][-1] < theirs["losses"][0]
    assert tuple(mine["outputs"].shape) == (5, 5, HIDDEN)
