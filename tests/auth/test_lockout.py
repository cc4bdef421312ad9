"""Wrong passwords slow the guesser down without locking the owner out; unknown numbers cost the same KDF."""

import uuid

from backend.auth import passwords
from tests.auth.conftest import login
from tests.builders import make_user, random_phone


def address():
    return {"REMOTE_ADDR": f"10.{uuid.uuid4().int % 250}.{uuid.uuid4().int % 250}.{uuid.uuid4().int % 250}"}


def test_wrong_passwords_from_one_address_make_that_address_wait(browser, app):
    web, user, attacker = browser(), make_user("driver"), address()
    free = app.config["LOGIN_FREE_FAILURES"]
    for _ in range(free):
        assert login(web, user.phone, "wrong-password", environ_base=attacker).status_code == 401
    blocked = login(web, user.phone, environ_base=attacker)  # even the right password waits its turn here
    assert blocked.status_code == 429 and int(blocked.headers["Retry-After"]) >= 1
    assert login(web, user.phone, environ_base=address()).status_code == 200  # the owner, elsewhere, is not locked out


def test_a_successful_sign_in_forgets_earlier_failures(browser, app):
    web, user, here = browser(), make_user("driver"), address()
    free = app.config["LOGIN_FREE_FAILURES"]
    for _ in range(free - 1):
        assert login(web, user.phone, "wrong-password", environ_base=here).status_code == 401
    assert login(web, user.phone, environ_base=here).status_code == 200
    for _ in range(free - 1):
        assert login(web, user.phone, "wrong-password", environ_base=here).status_code == 401
    assert login(web, user.phone, environ_base=here).status_code == 200


def test_many_drivers_behind_one_nat_sign_in_while_failures_are_capped(browser, app, monkeypatch):
    limit, nat = 3, address()
    monkeypatch.setitem(app.config, "LOGIN_LIMIT_PER_ADDRESS", limit)
    web = browser()
    for _ in range(limit + 2):  # successes do not count against the address
        assert login(web, make_user("driver").phone, environ_base=nat).status_code == 200
    codes = [login(web, random_phone(), "x-wrong-pass", environ_base=nat).status_code for _ in range(limit + 1)]
    assert codes == [401] * limit + [429]


def test_an_unknown_number_runs_the_password_kdf_too(browser, monkeypatch):
    runs = []
    real = passwords.check_password_hash
    monkeypatch.setattr(passwords, "check_password_hash", lambda h, p: runs.append(h) or real(h, p))
    web = browser()
    login(web, make_user("driver").phone, "wrong-password", environ_base=address())
    login(web, random_phone(), "wrong-password", environ_base=address())
    assert len(runs) == 2 and all(h.startswith("scrypt:") for h in runs)
