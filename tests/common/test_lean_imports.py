"""The Lambda entry loads marshmallow and flask-smorest without work it never uses, and both still work."""

import os

from backend.localstore.dynamodb_local import REPO_ROOT
from tests.fresh_process import run_check

ENTRY_CHECK = """
import sys
import backend.wsgi
import marshmallow.validate as validate
from backend.common.lean_imports import DeferredPattern

assert "yaml" not in sys.modules, "PyYAML was loaded"
assert isinstance(validate.Email.DOMAIN_REGEX, DeferredPattern)
assert validate.Email.DOMAIN_REGEX._compiled is None, "compiled while the app was built"
email = validate.Email()
assert email("司机@煤运.cn") and email("a.b@example.com")
for bad in ("not-an-email", "a@", "@b.cn"):
    try:
        email(bad)
    except validate.ValidationError:
        continue
    raise AssertionError(bad)
assert validate.Regexp(r"^[0-9]+$")("123") == "123"  # patterns made after loading are real ones
import re
assert re.compile is re.__dict__["compile"] and not isinstance(re.compile("x"), DeferredPattern)
import yaml  # a later import still gets it
print("ok")
"""


def test_the_entry_defers_emails_patterns_hides_yaml_and_validation_still_works():
    run_check(ENTRY_CHECK)


ZAPPA_ENTRY_CHECK = """
import gc, sys
import backend.analytics.entry as entry
from backend.common.lean_imports import DeferredModule

assert entry._zappa is not None and entry._zappa.LOADED_WITH == ("asyncio", "tarfile")
import logging
logging.basicConfig(level=logging.INFO)
logging.getLogger("pynamodb.settings").info("a record while the container starts")  # (it names no task)
for name in ("asyncio", "tarfile"):
    assert isinstance(sys.modules[name], DeferredModule), name + " was loaded at import"
    assert sys.modules[name].__file__.endswith(".py") and isinstance(sys.modules[name], DeferredModule)
assert gc.isenabled(), "the entry left the cyclic GC off"
import asyncio
assert asyncio.run(asyncio.sleep(0, result=7)) == 7  # first use loads it in full
assert not isinstance(sys.modules["asyncio"], DeferredModule)
assert entry._zappa.asyncio.Queue is asyncio.Queue  # the handler's own name for it works too
import asyncio.events  # a submodule import after the load
import tarfile
assert tarfile.is_tarfile.__name__ == "is_tarfile"
print("ok")
"""

# Stands in for Zappa's handler.py at a package's root: imports both modules as Zappa's does.
FAKE_HANDLER = """
import asyncio
import tarfile
LOADED_WITH = ("asyncio", "tarfile")
"""


def test_the_lambda_entry_defers_what_zappa_s_handler_imports_for_asgi_and_slim_packages(tmp_path):
    (tmp_path / "handler.py").write_text(FAKE_HANDLER)
    run_check(ZAPPA_ENTRY_CHECK, PYTHONPATH=os.pathsep.join([str(tmp_path), REPO_ROOT]))
