"""The mine directory the order hall reads (backend/catalogue/directory.py): one read per process per bound,
read at the container's start, read again for a mine it lacks."""

import threading

from backend.catalogue import directory
from backend.catalogue import store as catalogue_store
from tests.orders.helpers import make_mine


def _counting(monkeypatch):
    reads = []
    read = catalogue_store.list_mines
    monkeypatch.setattr(catalogue_store, "list_mines", lambda: reads.append(threading.get_ident()) or read())
    return reads


def test_the_directory_read_at_start_spares_the_first_hall_request_its_read(app, monkeypatch):
    reads = _counting(monkeypatch)
    thread = directory.prefetch_in_background(app)
    thread.join(timeout=30)
    with app.app_context():
        assert directory.mines()  # the demo mines
    assert reads == [thread.ident]


def test_threads_finding_it_stale_wait_for_one_read(app, monkeypatch):
    reads = _counting(monkeypatch)

    def hall_poll(_):
        with app.app_context():
            return len(directory.mines())

    threads = [threading.Thread(target=hall_poll, args=(i,)) for i in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert len(reads) == 1


def test_a_mine_it_lacks_is_read_at_once_and_the_bound_ages_the_copy(app, monkeypatch):
    reads = _counting(monkeypatch)
    with app.app_context():
        directory.mines()
        mine_id = make_mine()
        assert mine_id not in directory.mines()  # nobody asked for it: the copy stands
        assert mine_id in directory.mines(naming={mine_id})  # a load names it: read again
        assert len(reads) == 2
        monkeypatch.setitem(app.config, "MINE_DIRECTORY_SECONDS", 0)
        directory.mines()
        directory.mines()
        assert len(reads) == 4  # off: every call reads


def test_when_the_store_is_unreachable_at_start_the_first_hall_request_reads(app, monkeypatch):
    def unreachable():
        raise ConnectionError("no store yet")

    monkeypatch.setattr(catalogue_store, "list_mines", unreachable)
    directory.prefetch_in_background(app).join(timeout=30)
    assert directory._copy["mines"] is None
    monkeypatch.undo()
    with app.app_context():
        assert directory.mines()
