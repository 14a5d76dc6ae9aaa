"""``sinir serve [CKPT] [--port 8000] [--host 127.0.0.1]``: the command-line side of the web app.

``add_parser(subparsers)`` adds the subcommand to sinir's parser; ``run(args)`` starts uvicorn.
"""
import sys

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000


def _port(text):
    import argparse
    value = int(text)
    if not 0 <= value <= 65535:
        raise argparse.ArgumentTypeError(f"must be a port number 0-65535, got {value}")
    return value


def add_parser(subparsers):
    """Register ``sinir serve`` on the ``sinir`` command's subparsers (handler: ``run``); returns its parser."""
    serve = subparsers.add_parser(
        "serve", help="the course in a browser: draw a digit, step through backprop, watch training",
        description="Start a local web app with three pages (Draw, Backprop, Train). It listens on "
                    f"{DEFAULT_HOST} (this computer only) unless --host says otherwise. "
                    "Needs: pip install 'sinir[serve]'.")
    serve.set_defaults(handler=run)
    serve.add_argument("checkpoint", metavar="CKPT", nargs="?",
                       help="the model for the Draw page (default: the newest run under runs/, else a "
                            "LeNet-5 trained once on first use)")
    serve.add_argument("--port", type=_port, default=DEFAULT_PORT, help=f"default {DEFAULT_PORT}")
    serve.add_argument("--host", default=DEFAULT_HOST,
                       help=f"default {DEFAULT_HOST}: only this computer can connect; 0.0.0.0 opens it to the network")
    serve.add_argument("--runs", default="runs", help="folder for runs started from the Train page (default runs/)")
    serve.add_argument("--data", help="folder with the MNIST IDX files (else $SINIR_DATA, the cache, the sample)")
    return serve


def run(args):
    """Build the app and serve it until Ctrl-C; returns the exit code. A bad checkpoint raises
    ValueError (CheckpointError), which ``sinir``'s main reports in one line."""
    try:
        import starlette  # noqa: F401
        import uvicorn
    except ImportError:
        print("sinir serve: error: the web app needs Starlette and uvicorn: pip install 'sinir[serve]'",
              file=sys.stderr)
        return 2
    from .app import create_app
    app = create_app(args.checkpoint, runs_dir=args.runs, data=args.data,
                     log=lambda message: print(message, file=sys.stderr, flush=True))
    host = "localhost" if args.host in ("127.0.0.1", "localhost") else args.host
    print(f"sinir serve: open http://{host}:{args.port}/ in a browser (Ctrl-C stops)", flush=True)
    if args.host in ("127.0.0.1", "localhost", "::1"):
        print(f"sinir serve: listening on {args.host} only: other computers cannot connect "
              "(--host 0.0.0.0 to allow them)", flush=True)
    else:
        print(f"sinir serve: listening on {args.host}: other computers on the network can connect", flush=True)
    uvicorn.run(app, host=args.host, port=args.port, log_level="warning")
    return 0
