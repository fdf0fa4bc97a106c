"""The visual tools: drawings, text traces and the step-through page, and what they share.

- :mod:`.draw`: ``draw_graph``, ``render``, ``dot_available``;
- :mod:`.trace`: ``trace``, ``trace_rows``: the forward and backward pass as tables;
- :mod:`.steps`: ``StepThrough``, ``backward_steps``, ``backward_html``: one frame per step;
- :mod:`.walk`: the one walk of a graph (order, names, consumers, groups, who needs a gradient);
- :mod:`.claims`: ``Claim``, a number someone states for a node, judged beside the engine's;
- :mod:`.cells`: what each part of a node's box says (data, gradient, each edge's derivative from
  its rule in the operation table to its number);
- :mod:`.text`: the one way numbers, arrays and labels become text;
- :mod:`.label`: a node's box as a Graphviz HTML-like label;
- :mod:`.groups`: which nodes a loss made, so a loss can be drawn as one named box;
- :mod:`.render`: Graphviz (system ``dot``, else the pip-installed ``graphviz-pure``) with a time limit;
- :mod:`.page` and ``assets/``: the self-contained HTML page, its CSS and JavaScript.

The public names are exported by :mod:`autograd`.
"""
