import pytest

from tests.gate.helpers import Gate


@pytest.fixture
def ctx(app):
    with app.app_context():
        yield app


@pytest.fixture
def gate(ctx):
    """The Hongliulin gate's devices on a lane of the test's own."""
    return Gate()
