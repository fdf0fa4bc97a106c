"""What the drawing, the text trace and the step-through page share.

- :mod:`.text`: the one way numbers, arrays and labels become text;
- :mod:`.walk`: the one walk of a graph (order, names, consumers, groups, who needs a gradient);
- :mod:`.groups`: which nodes a loss made, so a loss can be drawn as one named box;
- :mod:`.render`: Graphviz (system ``dot``, else the pip-installed ``graphviz-pure``) with a time limit;
- ``assets/``: the step-through page's HTML, CSS and JavaScript.
"""
