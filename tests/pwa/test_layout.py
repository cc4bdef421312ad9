"""The PWA's seams: roles share code through ui/ and lib/ only, imports resolve, the shell is precached."""

import re

from tests.pwa.source import PWA, exported_names, imports, js_files, named_imports, read, relative, resolve

ROLES = PWA / "roles"
NAV_SLOTS_ON_A_360PX_PHONE = 5  # 72 px a slot at 360 px: a thumb's target in a cab, no sideways scrolling


def _role_of(path):
    """The folder under roles/ a file belongs to ('driver', 'common'), or None outside roles/."""
    return path.relative_to(ROLES).parts[0] if ROLES in path.parents else None


def test_no_role_imports_another_roles_files():
    crossings = []
    for path in js_files():
        role = _role_of(path)
        for spec in imports(path):
            target = resolve(path, spec)
            if role and target and _role_of(target) not in (None, role):
                crossings.append(f"{relative(path)} imports {spec}")
    assert crossings == [], "move what they share to pwa/ui or pwa/lib (or the screen to roles/common)"


def test_every_import_names_a_file_and_what_it_exports():
    broken = []
    for path in js_files():
        for spec in imports(path):
            target = resolve(path, spec)
            if target and not target.is_file():
                broken.append(f"{relative(path)}: no file {spec}")
        for names, spec in named_imports(path):
            target = resolve(path, spec)
            if target and target.is_file():
                broken += [f"{relative(path)}: {spec} exports no {n}" for n in names if n not in exported_names(target)]
    assert broken == []


def _precached():
    shell = re.search(r"const SHELL = \[(.*?)\];", read(PWA / "sw.js"), flags=re.S).group(1)
    return re.findall(r"'([^']+)'", shell)


def test_the_service_worker_precaches_existing_files_and_every_library_and_widget():
    listed = _precached()
    served_here = [url for url in listed if url != "/" and not url.startswith("/vendor/")]
    assert [url for url in served_here if not (PWA / url.lstrip("/")).is_file()] == []
    shared = {f"/{relative(p)}" for p in js_files() if relative(p).startswith(("lib/", "ui/"))}
    assert sorted(shared - set(listed)) == [], "a screen imports these offline: add them to SHELL in sw.js"


def test_times_are_formatted_in_one_place():
    """One clock: the mine's time zone and date formats live in lib/format.js only."""
    elsewhere = [
        relative(p)
        for p in js_files()
        if relative(p) != "lib/format.js" and re.search(r"toLocale(?:Time|Date)?String|Asia/Shanghai", read(p))
    ]
    assert elsewhere == []


def test_every_role_bottom_bar_fits_a_phone():
    registry = read(PWA / "lib" / "screens.js")
    all_roles = re.findall(r"'(\w+)'", re.search(r"ALL_ROLES = \[(.*?)\]", registry).group(1))
    slots = {role: 0 for role in all_roles}
    for roles, nav in re.findall(r"roles: (ALL_ROLES|\[[^\]]*\]).*nav: (true|\[[^\]]*\])", registry):
        listed = all_roles if roles == "ALL_ROLES" else re.findall(r"'(\w+)'", roles)
        for role in listed if nav == "true" else [r for r in re.findall(r"'(\w+)'", nav) if r in listed]:
            slots[role] += 1
    assert max(slots.values()) <= NAV_SLOTS_ON_A_360PX_PHONE, slots
    assert slots["driver"] >= 4  # the counting sees the bar (a registry format change would read as zero)


def test_what_a_precached_module_imports_is_precached_too():
    """A module in SHELL opens offline only if everything it statically imports is cached with it (a screen that
    gained a helper module kept working online and went blank offline)."""
    listed = set(_precached())
    static = re.compile(r"^\s*(?:import|export)\b[^'\n(]*'([^']+)'", flags=re.M)
    missing = []
    for url in sorted(u for u in listed if u.endswith(".js") and not u.startswith("/vendor/")):
        path = PWA / url.lstrip("/")
        for spec in static.findall(read(path)):
            target = f"/{relative(resolve(path, spec))}" if spec.startswith(".") else None
            if target and target not in listed:
                missing.append(f"{url} imports {target}")
    assert missing == [], "add them to SHELL in sw.js"
