"""Serve the app with waitress on loopback (the local run, the tests' live server and the benches' server).

`--processes N` serves one listening socket from N processes, each importing the app on its own: the way Lambda
runs it, where every container is a process of its own and none shares another's interpreter lock. A single
process serving many threads is the opposite: its requests take turns on one core however many the machine has.
"""

import argparse
import os
import signal
import socket
import sys
import threading
import time


def main():
    parser = argparse.ArgumentParser(description="Serve Coal Haul on loopback")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--threads", type=int, default=16, help="worker threads per process")
    parser.add_argument("--processes", type=int, default=1, help="processes sharing the port (Linux)")
    parser.add_argument("--connection-limit", type=int, default=1000)
    args = parser.parse_args()
    if args.processes < 1:
        parser.error("--processes must be at least 1")
    if args.processes == 1:
        _serve(args, sockets=None)
    else:
        _serve_forked(args)


def _serve(args, sockets):
    from waitress import serve

    from backend.wsgi import app

    listen = {"sockets": sockets} if sockets else {"host": "127.0.0.1", "port": args.port}
    # waitress stops accepting past connection_limit (100 by default) and a new client then waits in the listen
    # backlog until an idle keep-alive connection times out: far more phones than threads is the normal case.
    serve(app, threads=args.threads, ident="coalhaul", connection_limit=args.connection_limit, **listen)


def _serve_forked(args):
    """Bind once, fork the workers before anything imports the app (each builds its own, as a container does),
    and stop them all when this process is told to stop or any of them ends."""
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", args.port))
    listener.listen(1024)
    listener.setblocking(False)
    parent = os.getpid()
    workers = []
    for _ in range(args.processes):
        pid = os.fork()
        if pid == 0:
            _orphan_guard(parent)
            try:
                _serve(args, sockets=[listener])
            finally:
                os._exit(1)
        workers.append(pid)

    def stop(signum, _frame):
        _stop_workers(workers)
        sys.exit(0 if signum == signal.SIGTERM else 128 + signum)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    ended, status = os.wait()
    workers.remove(ended)
    _stop_workers(workers)
    sys.exit(os.waitstatus_to_exitcode(status) or 1)


def _orphan_guard(parent):
    """A worker whose parent died (killed with SIGKILL, say) stops too, instead of holding the port."""

    def watch():
        while os.getppid() == parent:
            time.sleep(1)
        os._exit(0)

    threading.Thread(target=watch, name="orphan-guard", daemon=True).start()


def _stop_workers(workers):
    for pid in workers:
        try:
            os.kill(pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
    for pid in workers:
        try:
            os.waitpid(pid, 0)
        except ChildProcessError:
            pass


if __name__ == "__main__":
    main()
