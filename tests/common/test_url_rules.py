"""URL builders are compiled on first use and build the same URLs werkzeug's eager rules build."""

import flask
from werkzeug.routing import Map, Rule

from backend.common.url_rules import LazyBuilderRule

RULES = ("/api/hall", "/api/hall/<waybill_id>/grab", "/api/fleet/<int:page>/x", "/pwa/<path:name>")
VALUES = ({}, {"waybill_id": "wb_1"}, {"page": 3, "q": "煤"}, {"name": "a/b c.js", "v": "2"})


def _urls(rule_class):
    url_map = Map([rule_class(path, endpoint=f"e{i}") for i, path in enumerate(RULES)])
    adapter = url_map.bind("example.test")
    built = []
    for i, values in enumerate(VALUES):
        built.append(adapter.build(f"e{i}", values))
        built.append(adapter.build(f"e{i}", values, force_external=True, append_unknown=False))
    return built, url_map


def test_builders_wait_for_the_first_url_then_build_what_werkzeug_builds():
    url_map = Map([LazyBuilderRule(path, endpoint=f"e{i}") for i, path in enumerate(RULES)])
    rule = next(url_map.iter_rules("e1"))
    assert rule._build.__name__ == "build_on_first_use"
    assert rule._build_unknown.__name__ == "build_on_first_use"

    lazy, lazy_map = _urls(LazyBuilderRule)
    eager, _ = _urls(Rule)
    assert lazy == eager
    compiled = next(lazy_map.iter_rules("e2"))
    assert compiled._build.__name__ != "build_on_first_use"
    assert compiled._build_unknown.__name__ != "build_on_first_use"


def test_the_app_uses_them_and_url_for_works(app):
    assert app.url_rule_class is LazyBuilderRule
    assert all(isinstance(rule, LazyBuilderRule) for rule in app.url_map.iter_rules())
    with app.test_request_context():
        assert flask.url_for("api-docs.openapi_json") == "/api/openapi.json"
