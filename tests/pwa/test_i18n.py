"""Every word the app shows exists in Chinese and English, once, under a key the code really uses."""

import re
from collections import defaultdict

from backend.waybills.transitions import STATES, TRANSITIONS
from tests.pwa.source import PWA, js_files, message_tables, read, relative, t_calls

PLACEHOLDER = re.compile(r"\{(\w+)\}")


def _tables():
    """(file, zh, en) for every message table in the app."""
    return [(relative(path), zh, en) for path in js_files() for zh, en in message_tables(path)]


def _all_keys(language):
    keys = set()
    for _, zh, en in _tables():
        keys.update(zh if language == "zh" else en)
    return keys


def test_the_tables_are_found():
    files = {name for name, zh, _ in _tables() if zh}
    assert {"lib/i18n.js", "lib/waybill-words.js", "roles/driver/trip.js", "ui/order-form.js"} <= files


def test_every_key_has_both_languages():
    missing = [
        f"{name}: {key} has no {lang}"
        for name, zh, en in _tables()
        for lang, key in [("en", k) for k in zh.keys() - en.keys()] + [("zh", k) for k in en.keys() - zh.keys()]
    ]
    assert missing == []


def test_no_text_is_left_empty_or_untranslated_placeholders():
    problems = []
    for name, zh, en in _tables():
        for key in zh.keys() & en.keys():
            if not zh[key].strip() or not en[key].strip():
                problems.append(f"{name}: {key} is empty")
            if set(PLACEHOLDER.findall(zh[key])) != set(PLACEHOLDER.findall(en[key])):
                problems.append(f"{name}: {key} fills different placeholders in zh and en")
    assert problems == []


def test_a_key_is_defined_in_one_table_only():
    """Tables merge into one dictionary: a key in two tables means the last screen loaded wins."""
    owners = defaultdict(list)
    for name, zh, _ in _tables():
        for key in zh:
            owners[key].append(name)
    assert {key: names for key, names in owners.items() if len(names) > 1} == {}


def test_every_key_the_code_asks_for_exists_in_both_languages():
    zh, en = _all_keys("zh"), _all_keys("en")
    missing = []
    for path in js_files():
        for key, is_prefix in t_calls(path):
            for lang, keys in (("zh", zh), ("en", en)):
                found = any(k.startswith(key) for k in keys) if is_prefix else key in keys
                if not found:
                    missing.append(f"{relative(path)}: t({key!r}{'…' if is_prefix else ''}) has no {lang} text")
    assert missing == []


def test_every_waybill_state_and_action_has_words_in_both_languages():
    """The server's state machine is the list: a user never reads a raw state or action name."""
    wanted = {f"waybill.state.{s}" for s in STATES} | {f"waybill.action.{a}" for a in TRANSITIONS}
    for lang in ("zh", "en"):
        assert sorted(wanted - _all_keys(lang)) == [], lang


def test_every_screen_title_has_both_languages():
    registry = read(PWA / "lib" / "screens.js")
    entries = re.findall(r"^\s*\{ id: '([^']+)'.*$", registry, flags=re.M)
    titled = re.findall(r"^\s*\{ id: '([^']+)'.*title: \{ zh: '[^']+', en: '[^']+' \}", registry, flags=re.M)
    assert entries and titled == entries
