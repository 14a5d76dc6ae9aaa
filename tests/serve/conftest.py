"""Fixtures for the web app's tests: one default model for the session, a test client, a live server."""
import socket
import threading
import time
import warnings

import pytest

pytest.importorskip("starlette", reason="the serve extra (starlette) is not installed")


@pytest.fixture(scope="session")
def serve_dirs(tmp_path_factory):
    base = tmp_path_factory.mktemp("serve")
    return {"runs": base / "runs", "cache": base / "cache", "empty_runs": base / "no-runs"}


@pytest.fixture(scope="session")
def default_checkpoint(serve_dirs):
    """The model `sinir serve` trains on first use when it finds no run (trained once per session)."""
    from sinir.serve.digits import default_model
    messages = []
    model = default_model(serve_dirs["empty_runs"], serve_dirs["cache"], log=messages.append)
    assert any("training a LeNet-5" in message for message in messages)
    return model.source


@pytest.fixture(scope="session")
def app(default_checkpoint, serve_dirs):
    from sinir.serve import create_app
    return create_app(default_checkpoint, runs_dir=serve_dirs["runs"], log=lambda message: None)


@pytest.fixture(scope="session")
def client(app):
    with warnings.catch_warnings():
        # Starlette 1.x asks for httpx2 instead of httpx; the client works the same with either
        warnings.filterwarnings("ignore", message="Using `httpx` with `starlette.testclient` is deprecated")
        from starlette.testclient import TestClient
    with TestClient(app) as test_client:
        yield test_client


@pytest.fixture(scope="session")
def live_server(default_checkpoint, serve_dirs):
    """The app served by uvicorn on a free port of 127.0.0.1, in a thread; yields its URL."""
    import uvicorn
    from sinir.serve import create_app
    app = create_app(default_checkpoint, runs_dir=serve_dirs["runs"] / "browser", log=lambda message: None)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(10)
