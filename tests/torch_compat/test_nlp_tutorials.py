"""PyTorch's "Deep Learning for NLP with PyTorch" pages (pytorch/tutorials ``beginner_source/nlp/``)
run with only their import lines changed, beside PyTorch, their printed numbers compared as in
``test_tutorial_pages.py``: "Introduction to PyTorch" (tensors from lists, ``cat``, ``view``,
``grad_fn``, ``requires_grad_``, ``detach``, ``no_grad``), "Deep Learning with PyTorch" (``Linear``,
``relu``, ``softmax``, the bag-of-words classifier with ``torch.LongTensor`` targets and
``NLLLoss``), "Word Embeddings" (``Embedding``, the N-gram language model, the CBOW exercise),
"Sequence Models and LSTMs" (``LSTM`` step by step and whole, the LSTM tagger) and "Advanced:
Making Dynamic Decisions and the Bi-LSTM CRF" (the forward algorithm and Viterbi decoding by
hand, ``Parameter.data`` rows set in place, tensor indices, SGD with weight decay).

The programs are written here after the pages' steps, with the pages' calls, not copied (as in
``test_learn_the_basics.py``), with fewer epochs (seconds, not minutes). Each starts from
``manual_seed(1)``, as the pages do, so the random weights and inputs are torch's on both sides.
"""

from __future__ import annotations

from typing import Any

import pytest
from test_tutorial_pages import ours, run_page, same_printout

import autograd

torch = pytest.importorskip("torch")

IMPORTS = """
import torch
import torch.nn as nn
import torch.nn.functional as F
import torch.optim as optim

torch.manual_seed(1)
"""

INTRODUCTION = (
    IMPORTS
    + """
vector = torch.tensor([1., 2., 3.])
matrix = torch.tensor([[1., 2., 3.], [4., 5., 6]])
cube = torch.tensor([[[1., 2.], [3., 4.]], [[5., 6.], [7., 8.]]])
for t in (vector, matrix, cube, vector[0], matrix[0], cube[0]):
    print(t)
print(vector[0].item())
print(torch.randn((3, 4, 5)))
print(torch.tensor([1., 2., 3.]) + torch.tensor([4., 5., 6.]))
rows = torch.cat([torch.randn(2, 5), torch.randn(3, 5)])
columns = torch.cat([torch.randn(2, 3), torch.randn(2, 5)], 1)
print(rows)
print(columns)
try:
    torch.cat([rows, columns])
except RuntimeError:
    print("RuntimeError")
x = torch.randn(2, 3, 4)
print(x.view(2, 12))
print(x.view(2, -1))

x = torch.tensor([1., 2., 3], requires_grad=True)
y = torch.tensor([4., 5., 6], requires_grad=True)
z = x + y
print(z)
print(z.grad_fn)
s = z.sum()
print(s, s.grad_fn)
s.backward()
print(x.grad)

x, y = torch.randn(2, 2), torch.randn(2, 2)
print(x.requires_grad, y.requires_grad, (x + y).grad_fn)
x = x.requires_grad_()
y = y.requires_grad_()
z = x + y
print(z.grad_fn, z.requires_grad)
new_z = z.detach()
print(new_z.grad_fn, new_z.requires_grad)
print(x.requires_grad, (x ** 2).requires_grad)
with torch.no_grad():
    print((x ** 2).requires_grad)
"""
)

BAG_OF_WORDS = (
    IMPORTS
    + """
lin = nn.Linear(5, 3)
print(lin(torch.randn(2, 5)))
data = torch.randn(2, 2)
print(data, F.relu(data))
data = torch.randn(5)
print(F.softmax(data, dim=0), F.softmax(data, dim=0).sum(), F.log_softmax(data, dim=0))

train = [("me gusta comer en la cafeteria", "SPANISH"), ("Give it to me", "ENGLISH"),
         ("No creo que sea una buena idea", "SPANISH"),
         ("No it is not a good idea to get lost at sea", "ENGLISH")]
test = [("Yo creo que si", "SPANISH"), ("it is lost on me", "ENGLISH")]
word_to_ix = {}
for sentence, _ in train + test:
    for word in sentence.split():
        word_to_ix.setdefault(word, len(word_to_ix))
label_to_ix = {"SPANISH": 0, "ENGLISH": 1}

class BoWClassifier(nn.Module):
    def __init__(self, num_labels, vocab_size):
        super(BoWClassifier, self).__init__()
        self.linear = nn.Linear(vocab_size, num_labels)

    def forward(self, bow_vec):
        return F.log_softmax(self.linear(bow_vec), dim=1)

def bag(sentence):
    vec = torch.zeros(len(word_to_ix))
    for word in sentence.split():
        vec[word_to_ix[word]] += 1
    return vec.view(1, -1)

model = BoWClassifier(2, len(word_to_ix))
for param in model.parameters():
    print(param)
with torch.no_grad():
    print([model(bag(sentence)) for sentence, _ in test])
print(next(model.parameters())[:, word_to_ix["creo"]])
loss_function = nn.NLLLoss()
optimizer = optim.SGD(model.parameters(), lr=0.1)
for epoch in range(30):
    for sentence, label in train:
        model.zero_grad()
        target = torch.LongTensor([label_to_ix[label]])
        loss = loss_function(model(bag(sentence)), target)
        loss.backward()
        optimizer.step()
    if epoch % 10 == 9:
        print(loss.item())
with torch.no_grad():
    print([model(bag(sentence)).argmax().item() for sentence, _ in test])
print(next(model.parameters())[:, word_to_ix["creo"]])
print(target.dtype == torch.int64, isinstance(target, torch.LongTensor))
print(isinstance(bag("si"), torch.LongTensor), torch.LongTensor(2, 3).shape == (2, 3))
"""
)

WORD_EMBEDDINGS = (
    IMPORTS
    + """
embeds = nn.Embedding(2, 5)
print(embeds(torch.tensor([0], dtype=torch.long)))

text = '''When forty winters shall besiege thy brow,
And dig deep trenches in thy beauty's field,
Thy youth's proud livery so gazed on now,
Will be a totter'd weed of small worth held:'''.split()
ngrams = [([text[i - 1], text[i - 2]], text[i]) for i in range(2, len(text))]
word_to_ix = {word: i for i, word in enumerate(sorted(set(text)))}

class NGramLanguageModeler(nn.Module):
    def __init__(self, vocab_size, embedding_dim, context_size):
        super(NGramLanguageModeler, self).__init__()
        self.embeddings = nn.Embedding(vocab_size, embedding_dim)
        self.linear1 = nn.Linear(context_size * embedding_dim, 128)
        self.linear2 = nn.Linear(128, vocab_size)

    def forward(self, inputs):
        embeds = self.embeddings(inputs).view((1, -1))
        return F.log_softmax(self.linear2(F.relu(self.linear1(embeds))), dim=1)

loss_function = nn.NLLLoss()
model = NGramLanguageModeler(len(word_to_ix), 10, 2)
optimizer = optim.SGD(model.parameters(), lr=0.001)
losses = []
for epoch in range(3):
    total_loss = 0
    for context, target in ngrams:
        context_idxs = torch.tensor([word_to_ix[w] for w in context], dtype=torch.long)
        model.zero_grad()
        loss = loss_function(model(context_idxs), torch.tensor([word_to_ix[target]], dtype=torch.long))
        loss.backward()
        optimizer.step()
        total_loss += loss.item()
    losses.append(total_loss)
print(losses)
print(model.embeddings.weight[word_to_ix["beauty's"]])

raw = '''We are about to study the idea of a computational process.
Computational processes are abstract beings that inhabit computers.'''.split()
word_to_ix = {word: i for i, word in enumerate(sorted(set(raw)))}
data = [([raw[i - 1], raw[i - 2], raw[i + 1], raw[i + 2]], raw[i]) for i in range(2, len(raw) - 2)]

class CBOW(nn.Module):
    def __init__(self, vocab_size, embedding_dim):
        super().__init__()
        self.embeddings = nn.Embedding(vocab_size, embedding_dim)
        self.linear = nn.Linear(embedding_dim, vocab_size)

    def forward(self, inputs):
        return F.log_softmax(self.linear(self.embeddings(inputs).sum(dim=0, keepdim=True)), dim=1)

cbow = CBOW(len(word_to_ix), 10)
optimizer = optim.SGD(cbow.parameters(), lr=0.05)
for epoch in range(3):
    total = 0.0
    for context, target in data:
        cbow.zero_grad()
        idxs = torch.tensor([word_to_ix[w] for w in context], dtype=torch.long)
        loss = loss_function(cbow(idxs), torch.tensor([word_to_ix[target]]))
        loss.backward()
        optimizer.step()
        total += loss.item()
    print(total)
"""
)

SEQUENCE_MODELS = (
    IMPORTS
    + """
lstm = nn.LSTM(3, 3)
inputs = [torch.randn(1, 3) for _ in range(5)]
hidden = (torch.randn(1, 1, 3), torch.randn(1, 1, 3))
for i in inputs:
    out, hidden = lstm(i.view(1, 1, -1), hidden)
print(out, hidden)
inputs = torch.cat(inputs).view(len(inputs), 1, -1)
hidden = (torch.randn(1, 1, 3), torch.randn(1, 1, 3))
out, hidden = lstm(inputs, hidden)
print(out)
print(hidden)

training_data = [("The dog ate the apple".split(), ["DET", "NN", "V", "DET", "NN"]),
                 ("Everybody read that book".split(), ["NN", "V", "DET", "NN"])]
word_to_ix = {}
for sentence, _ in training_data:
    for word in sentence:
        word_to_ix.setdefault(word, len(word_to_ix))
tag_to_ix = {"DET": 0, "NN": 1, "V": 2}

def prepare_sequence(seq, to_ix):
    return torch.tensor([to_ix[w] for w in seq], dtype=torch.long)

class LSTMTagger(nn.Module):
    def __init__(self, embedding_dim, hidden_dim, vocab_size, tagset_size):
        super(LSTMTagger, self).__init__()
        self.word_embeddings = nn.Embedding(vocab_size, embedding_dim)
        self.lstm = nn.LSTM(embedding_dim, hidden_dim)
        self.hidden2tag = nn.Linear(hidden_dim, tagset_size)

    def forward(self, sentence):
        embeds = self.word_embeddings(sentence)
        lstm_out, _ = self.lstm(embeds.view(len(sentence), 1, -1))
        return F.log_softmax(self.hidden2tag(lstm_out.view(len(sentence), -1)), dim=1)

model = LSTMTagger(6, 6, len(word_to_ix), len(tag_to_ix))
loss_function = nn.NLLLoss()
optimizer = optim.SGD(model.parameters(), lr=0.1)
with torch.no_grad():
    print(model(prepare_sequence(training_data[0][0], word_to_ix)))
for epoch in range(30):
    for sentence, tags in training_data:
        model.zero_grad()
        loss = loss_function(model(prepare_sequence(sentence, word_to_ix)), prepare_sequence(tags, tag_to_ix))
        loss.backward()
        optimizer.step()
with torch.no_grad():
    tag_scores = model(prepare_sequence(training_data[0][0], word_to_ix))
print(tag_scores, tag_scores.argmax(dim=1))
"""
)

BILSTM_CRF = (
    IMPORTS
    + """
START, STOP = "<START>", "<STOP>"

def argmax(vec):
    _, idx = torch.max(vec, 1)
    return idx.item()

def log_sum_exp(vec):
    top = vec[0, argmax(vec)]
    return top + torch.log(torch.sum(torch.exp(vec - top.view(1, -1).expand(1, vec.size()[1]))))

class BiLSTM_CRF(nn.Module):
    def __init__(self, vocab_size, tag_to_ix, embedding_dim, hidden_dim):
        super(BiLSTM_CRF, self).__init__()
        self.hidden_dim, self.tag_to_ix, self.tags = hidden_dim, tag_to_ix, len(tag_to_ix)
        self.word_embeds = nn.Embedding(vocab_size, embedding_dim)
        self.lstm = nn.LSTM(embedding_dim, hidden_dim // 2, num_layers=1, bidirectional=True)
        self.hidden2tag = nn.Linear(hidden_dim, self.tags)
        self.transitions = nn.Parameter(torch.randn(self.tags, self.tags))
        self.transitions.data[tag_to_ix[START], :] = -10000
        self.transitions.data[:, tag_to_ix[STOP]] = -10000

    def features(self, sentence):
        hidden = (torch.randn(2, 1, self.hidden_dim // 2), torch.randn(2, 1, self.hidden_dim // 2))
        lstm_out, hidden = self.lstm(self.word_embeds(sentence).view(len(sentence), 1, -1), hidden)
        return self.hidden2tag(lstm_out.view(len(sentence), self.hidden_dim))

    def partition(self, feats):
        alphas = torch.full((1, self.tags), -10000.)
        alphas[0][self.tag_to_ix[START]] = 0.
        for feat in feats:
            step = []
            for tag in range(self.tags):
                emit = feat[tag].view(1, -1).expand(1, self.tags)
                step.append(log_sum_exp(alphas + self.transitions[tag].view(1, -1) + emit).view(1))
            alphas = torch.cat(step).view(1, -1)
        return log_sum_exp(alphas + self.transitions[self.tag_to_ix[STOP]])

    def gold(self, feats, tags):
        score = torch.zeros(1)
        tags = torch.cat([torch.tensor([self.tag_to_ix[START]], dtype=torch.long), tags])
        for i, feat in enumerate(feats):
            score = score + self.transitions[tags[i + 1], tags[i]] + feat[tags[i + 1]]
        return score + self.transitions[self.tag_to_ix[STOP], tags[-1]]

    def viterbi(self, feats):
        pointers, best = [], torch.full((1, self.tags), -10000.)
        best[0][self.tag_to_ix[START]] = 0
        for feat in feats:
            step_pointers, step_best = [], []
            for tag in range(self.tags):
                scores = best + self.transitions[tag]
                step_pointers.append(argmax(scores))
                step_best.append(scores[0][step_pointers[-1]].view(1))
            best = (torch.cat(step_best) + feat).view(1, -1)
            pointers.append(step_pointers)
        terminal = best + self.transitions[self.tag_to_ix[STOP]]
        path = [argmax(terminal)]
        for step_pointers in reversed(pointers):
            path.append(step_pointers[path[-1]])
        assert path.pop() == self.tag_to_ix[START]
        return terminal[0][path[0]], path[::-1]

    def neg_log_likelihood(self, sentence, tags):
        feats = self.features(sentence)
        return self.partition(feats) - self.gold(feats, tags)

    def forward(self, sentence):
        return self.viterbi(self.features(sentence))

training_data = [("the wall street journal reported today that apple corporation made money".split(),
                  "B I I I O O O B I O O".split()),
                 ("georgia tech is a university in georgia".split(), "B I O O O O B".split())]
word_to_ix = {}
for sentence, _ in training_data:
    for word in sentence:
        word_to_ix.setdefault(word, len(word_to_ix))
tag_to_ix = {"B": 0, "I": 1, "O": 2, START: 3, STOP: 4}
model = BiLSTM_CRF(len(word_to_ix), tag_to_ix, 5, 4)
optimizer = optim.SGD(model.parameters(), lr=0.01, weight_decay=1e-4)
first = torch.tensor([word_to_ix[w] for w in training_data[0][0]], dtype=torch.long)
with torch.no_grad():
    print(model(first))
for epoch in range(2):
    for sentence, tags in training_data:
        model.zero_grad()
        words = torch.tensor([word_to_ix[w] for w in sentence], dtype=torch.long)
        loss = model.neg_log_likelihood(words, torch.tensor([tag_to_ix[t] for t in tags], dtype=torch.long))
        loss.backward()
        optimizer.step()
        print(loss)
with torch.no_grad():
    print(model(first))
print(model.transitions[:, tag_to_ix[STOP]])
"""
)

PAGES = {
    "INTRODUCTION": INTRODUCTION,
    "BAG_OF_WORDS": BAG_OF_WORDS,
    "WORD_EMBEDDINGS": WORD_EMBEDDINGS,
    "SEQUENCE_MODELS": SEQUENCE_MODELS,
    "BILSTM_CRF": BILSTM_CRF,
}


@pytest.mark.parametrize("name", list(PAGES))
def test_the_page_runs_and_prints_torchs_numbers(name: str, tmp_path: Any, monkeypatch: Any) -> None:
    theirs, _ = run_page(PAGES[name], torch, tmp_path, monkeypatch)
    mine, _ = run_page(ours(PAGES[name]), autograd, tmp_path, monkeypatch)
    same_printout(mine, theirs)
    assert len(mine) > 5  # (the line counts may differ: long tensors wrap at other places)
    if name == "BAG_OF_WORDS":  # (the targets: LongTensors on both sides; the bag of words is not one)
        assert mine[-2:] == theirs[-2:] == ["True True", "False True"]
