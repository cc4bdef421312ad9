"""Serve the app with waitress on loopback (the local run and the tests' live server)."""

import argparse


def main():
    parser = argparse.ArgumentParser(description="Serve Coal Haul on loopback")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--threads", type=int, default=16)
    parser.add_argument("--connection-limit", type=int, default=1000)
    args = parser.parse_args()
    from waitress import serve

    from backend.wsgi import app

    # waitress stops accepting past connection_limit (100 by default) and a new client then waits in the listen
    # backlog until an idle keep-alive connection times out: far more phones than threads is the normal case.
    serve(
        app,
        host="127.0.0.1",
        port=args.port,
        threads=args.threads,
        ident="coalhaul",
        connection_limit=args.connection_limit,
    )


if __name__ == "__main__":
    main()
