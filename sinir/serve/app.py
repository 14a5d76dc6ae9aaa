"""The Starlette application: three pages and the JSON endpoints behind them.

    GET  /draw, /backprop, /train          the pages (static HTML, CSS and JavaScript from static/)
    POST /api/predict                      {"image": PNG data URL} -> digit, probabilities, input, feature maps
    GET  /api/model                        which checkpoint the Draw page uses
    GET  /api/backprop/lecture             the lecture's inputs, weights, learning rate and target
    POST /api/backprop/step                {"phase", "lr", "inputs", "weights"} -> every value and gradient
    GET  /api/train/choices                the models, optimizers, epochs, rates and sizes offered
    POST /api/train                        {"model", "optimizer", "epochs", "lr", "images"} -> {"id", "out"}
    GET  /api/train/{id}/events            the run's events as server-sent events (text/event-stream)
    POST /api/model                        {"run": id} -> the Draw page uses that run's best checkpoint

A request the server cannot use gets a 4xx answer with one line of JSON: {"error": "..."}.
"""
import asyncio
import contextlib
import json
import math
import traceback
from pathlib import Path

from . import backprop
from .digits import MAX_IMAGE_BYTES, BadInput, DigitModel, decode_data_url, default_model, image_to_mnist
from .training import CHOICES, Trainer, TrainingChoices

STATIC = Path(__file__).with_name("static")
PAGES = {"/draw": "draw.html", "/backprop": "backprop.html", "/train": "train.html"}
MAX_BODY_BYTES = MAX_IMAGE_BYTES * 4 // 3 + 4096      # a base64 image and a little JSON around it


def _starlette():
    try:
        import starlette  # noqa: F401
    except ImportError:
        raise ImportError("sinir serve needs Starlette and uvicorn: pip install 'sinir[serve]'") from None


def language(accept_language):
    """'tr' when the browser asks for Turkish first, else 'en'."""
    return "tr" if (accept_language or "").strip().lower().startswith("tr") else "en"


def _finite(value):
    """The value with NaN and infinities as None: JSON has no words for them."""
    if isinstance(value, dict):
        return {key: _finite(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_finite(item) for item in value]
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def create_app(checkpoint=None, runs_dir="runs", data=None, cache=None, log=print):
    """The ASGI application. ``checkpoint``: the Draw page's model (default: the newest run under
    ``runs_dir``, else a LeNet-5 trained once into ``cache``); runs started from the Train page go
    to ``runs_dir``; ``data`` is the MNIST folder (default: as ``sinir train`` finds it)."""
    _starlette()
    from starlette.applications import Starlette
    from starlette.concurrency import run_in_threadpool
    from starlette.exceptions import HTTPException
    from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, StreamingResponse
    from starlette.routing import Mount, Route
    from starlette.staticfiles import StaticFiles

    if checkpoint is not None:
        state = {"digits": DigitModel.load(checkpoint)}
        log(f"sinir serve: the Draw page uses {checkpoint}")
    else:
        state = {"digits": default_model(runs_dir, cache, log, data)}
    trainer = Trainer(runs_dir, data)

    def error(message, status=400):
        return JSONResponse({"error": str(message).splitlines()[0] if str(message) else "error"}, status)

    async def read_json(request):
        """The request's JSON body, refusing more than MAX_BODY_BYTES."""
        declared = request.headers.get("content-length")
        if declared is not None and declared.isdigit() and int(declared) > MAX_BODY_BYTES:
            raise BadInput(f"the request body is larger than {MAX_BODY_BYTES:,} bytes", 413)
        body = bytearray()
        async for chunk in request.stream():
            body.extend(chunk)
            if len(body) > MAX_BODY_BYTES:
                raise BadInput(f"the request body is larger than {MAX_BODY_BYTES:,} bytes", 413)
        try:
            return json.loads(body)
        except (json.JSONDecodeError, UnicodeDecodeError) as problem:
            raise BadInput(f"the body is not valid JSON ({problem})") from None

    # ----- pages -----------------------------------------------------------------------------
    async def page(request):
        html = (STATIC / PAGES[request.url.path]).read_text(encoding="utf-8")
        lang = language(request.headers.get("accept-language"))
        return HTMLResponse(html.replace('<html lang="en">', f'<html lang="{lang}">', 1))

    async def home(request):
        return RedirectResponse("/draw")

    # ----- Draw ------------------------------------------------------------------------------
    async def predict(request):
        body = await read_json(request)
        if not isinstance(body, dict) or "image" not in body:
            raise BadInput('the body must be {"image": "data:image/png;base64,..."}')

        def work():
            image = image_to_mnist(decode_data_url(body["image"]))
            return {**state["digits"].predict(image), "input": image.round(4).tolist()}

        return JSONResponse(await run_in_threadpool(work))

    async def model_info(request):
        return JSONResponse(state["digits"].describe())

    async def use_model(request):
        body = await read_json(request)
        job = trainer.jobs.get(body.get("run")) if isinstance(body, dict) else None
        if job is None:
            raise BadInput('the body must be {"run": ID} with the id of a training started here', 404)
        if not job.finished or not any(event["type"] == "done" for event in job.events):
            raise BadInput(f"the run {job.id} has not finished", 409)
        done = next(event for event in job.events if event["type"] == "done")
        if done["checkpoint"] is None:
            raise BadInput(f"the run {job.id} was stopped before it saved a checkpoint", 409)
        state["digits"] = await run_in_threadpool(DigitModel.load, done["checkpoint"])
        return JSONResponse(state["digits"].describe())

    # ----- Backprop --------------------------------------------------------------------------
    async def backprop_lecture(request):
        return JSONResponse(backprop.lecture_state())

    async def backprop_step(request):
        body = await read_json(request)
        return JSONResponse(await run_in_threadpool(backprop.step, body))

    # ----- Train -----------------------------------------------------------------------------
    async def train_choices(request):
        return JSONResponse({**CHOICES, "default": TrainingChoices().__dict__})

    async def train_start(request):
        choices = TrainingChoices.from_json(await read_json(request))
        job = trainer.start(choices)
        return JSONResponse({"id": job.id, "out": str(job.out)}, 202)

    async def train_events(request):
        job = trainer.jobs.get(request.path_params["job_id"])
        if job is None:
            raise BadInput(f"no training with id {request.path_params['job_id']!r}", 404)
        resume = request.headers.get("last-event-id", "")
        start = int(resume) + 1 if resume.isdigit() else 0

        async def stream():
            index = start
            while True:
                while index < len(job.events):
                    event = job.events[index]
                    yield f"id: {index}\nevent: {event['type']}\ndata: {json.dumps(_finite(event))}\n\n"
                    index += 1
                if job.finished and index >= len(job.events):
                    return
                await asyncio.sleep(0.05)

        return StreamingResponse(stream(), media_type="text/event-stream",
                                 headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"})

    # ----- errors: one line of JSON ----------------------------------------------------------
    async def bad_input(request, problem):
        return error(problem, problem.status)

    async def http_problem(request, problem):
        if not request.url.path.startswith("/api/"):
            return HTMLResponse(f"<p>{problem.status_code}: {problem.detail}</p>", problem.status_code)
        return error(problem.detail, problem.status_code)

    async def server_problem(request, problem):
        traceback.print_exception(problem)           # on the console, for whoever runs the server
        return error(f"internal error: {type(problem).__name__}: {problem}", 500)

    routes = [Route("/", home)] + [Route(path, page) for path in PAGES] + [
        Route("/api/predict", predict, methods=["POST"]),
        Route("/api/model", model_info, methods=["GET"]),
        Route("/api/model", use_model, methods=["POST"]),
        Route("/api/backprop/lecture", backprop_lecture),
        Route("/api/backprop/step", backprop_step, methods=["POST"]),
        Route("/api/train/choices", train_choices),
        Route("/api/train", train_start, methods=["POST"]),
        Route("/api/train/{job_id}/events", train_events),
        Mount("/static", StaticFiles(directory=STATIC), name="static"),
    ]
    @contextlib.asynccontextmanager
    async def lifespan(app):
        yield
        await run_in_threadpool(trainer.stop_all)      # a run in progress ends after its current batch

    app = Starlette(routes=routes, exception_handlers={BadInput: bad_input, HTTPException: http_problem,
                                                         Exception: server_problem},
                    lifespan=lifespan)
    app.state.trainer, app.state.models = trainer, state
    return app
