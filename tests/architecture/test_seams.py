"""One owner per table and no cycles: a domain reaches another only through its service.

Read from the source (ast), like the role matrix reads the OpenAPI document: the test grows by
itself as domains and modules are added.
"""

from tests.architecture import imports


def test_no_module_imports_another_domains_store_or_models():
    offenders = [f"{module}:{line} imports {target}" for module, line, target in imports.private_imports()]
    assert offenders == [], "call the owner's service instead:\n" + "\n".join(offenders)


def test_the_domains_import_each_other_without_cycles():
    assert imports.cycles(imports.domain_graph()) == []


def test_the_checks_see_real_imports():
    # Guards the guard: the graph must contain the dependencies every reader knows exist.
    graph = imports.domain_graph()
    assert "waybills" in graph["dispatch"] and "accounts" in graph["dispatch"]
    assert {"auth", "waybills", "dispatch", "gate", "tracking"} <= set(imports.domains())
