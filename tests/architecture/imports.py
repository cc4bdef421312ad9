"""The import graph between backend domains, read from the source with ast (no import side effects)."""

import ast
from pathlib import Path

BACKEND = Path(__file__).resolve().parents[2] / "backend"
# Shared layers and the wiring points every domain may be named from; not domains themselves.
NOT_DOMAINS = {"common", "localstore", "seed"}
# Modules that may name any domain's models: the one list of tables, and the demo loader.
MAY_NAME_MODELS = {"backend.tables", "backend.app"}
PRIVATE = ("store", "models")


def domains():
    return sorted(p.name for p in BACKEND.iterdir() if (p / "__init__.py").exists() and p.name not in NOT_DOMAINS)


def modules():
    """{dotted module name: path} for every backend module."""
    found = {}
    for path in BACKEND.rglob("*.py"):
        parts = path.relative_to(BACKEND.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        found[name] = path
    return found


def imports_of(path):
    """Every backend module a file imports (at module level or inside functions), with line numbers."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("backend"):
            yield node.module, node.lineno
            for alias in node.names:
                yield f"{node.module}.{alias.name}", node.lineno
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("backend"):
                    yield alias.name, node.lineno


def domain_of(module):
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[0] == "backend" else None


def private_imports():
    """(importer, line, imported) where a module reaches into another domain's store or models."""
    names, found = domains(), []
    for module, path in modules().items():
        own = domain_of(module)
        if module in MAY_NAME_MODELS or own in ("seed", "localstore"):
            continue
        for target, line in imports_of(path):
            parts = target.split(".")
            domain = domain_of(target)
            # parts[2:]: a large domain's sub-packages (appointments.booking.store) are private too.
            private = next((i for i, part in enumerate(parts) if i >= 2 and part in PRIVATE), None)
            if domain in names and domain != own and private is not None:
                found.append((module, line, ".".join(parts[: private + 1])))
    return sorted(set(found))


def domain_graph():
    """{domain: {domains it imports}} over all imports, including function-level ones."""
    names, graph = domains(), {}
    for module, path in modules().items():
        own = domain_of(module)
        if own not in names:
            continue
        for target, _ in imports_of(path):
            other = domain_of(target)
            if other in names and other != own:
                graph.setdefault(own, set()).add(other)
    return graph


def cycles(graph):
    """Every elementary cycle's smallest rotation, found by depth-first search (the graph is small)."""
    found = set()

    def visit(start, node, path):
        for nxt in sorted(graph.get(node, ())):
            if nxt == start:
                cycle = path[:]
                i = cycle.index(min(cycle))
                found.add(tuple(cycle[i:] + cycle[:i]))
            elif nxt not in path and nxt > start:
                visit(start, nxt, path + [nxt])

    for start in sorted(graph):
        visit(start, start, [start])
    return sorted(found)
