"""Serve the app with waitress on loopback (the local run and the tests' live server)."""

import argparse


def main():
    parser = argparse.ArgumentParser(description="Serve Coal Haul on loopback")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--threads", type=int, default=16)
    args = parser.parse_args()
    from waitress import serve

    from backend.wsgi import app

    serve(app, host="127.0.0.1", port=args.port, threads=args.threads, ident="coalhaul")


if __name__ == "__main__":
    main()
