"""``sinir serve``: the course in a browser, a small local web app with three pages.

* Draw: draw a digit, see what the model sees (28x28), its ten probabilities and the feature
  maps of every convolution.
* Backprop: the lecture's 3-3-3-3 network, one forward pass, error, backward pass and update at
  a time, beside the numbers the slides print.
* Train: a short training run started from the page, its curves drawn live.

Everything (pages, scripts, styles) is served by sinir itself: nothing comes from the internet.
Needs the ``serve`` extra (``pip install 'sinir[serve]'``: Starlette and uvicorn).

>>> from sinir.serve import create_app
>>> app = create_app("runs/lenet5/best.safetensors")      # an ASGI application; ``sinir serve`` runs it
"""


def create_app(checkpoint=None, **options):
    """The web application (see sinir.serve.app.create_app)."""
    from .app import create_app as create
    return create(checkpoint, **options)
