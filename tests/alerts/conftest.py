import pytest

from tests.gate.helpers import Gate


@pytest.fixture
def gate(app):
    with app.app_context():
        yield Gate()
