"""The direction of imports in app/ (docs/architecture.md), read from the source with the standard library's ast.

faces (api, views, the CLI) → services → domain and models; domain imports nothing of the application; models
only models and domain; a capability's faces do not import another's; the API and the pages do not import each
other; no import cycles; no imports hidden in functions, except the few listed below with their reason."""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

import pytest

APP = Path(__file__).resolve().parent.parent / "app"

# Modules whose function-level imports are there on purpose, each with its reason.
LAZY_ALLOWED_IMPORTERS = {
    "app": "the factory imports what it registers inside its functions (STYLE.md, habit 1)",
    "app.api": "init_api imports the API blueprints when the factory registers them, like the factory itself",
}
# Imports from one capability's faces into another's: (importer, imported) → reason.
CROSS_FACE_ALLOWED = {
    ("app.stations.views", "app.review.views"): "the bureau's reassignment answers a refused reassignment with the "
    "review page it was sent from (render_review)",
}
# Page machinery shared by every capability's pages, and the API's shared blueprint class.
SHARED_VIEWS = ("app.web",)
SHARED_API = ("app.api",)


@dataclass(frozen=True)
class Import:
    importer: str
    imported: str
    line: int
    lazy: bool


def module_name(path: Path) -> str:
    parts = path.relative_to(APP.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def app_modules() -> dict[str, Path]:
    return {module_name(path): path for path in sorted(APP.rglob("*.py"))}


def _under_type_checking(node: ast.AST, parents: dict) -> bool:
    while node in parents:
        node = parents[node]
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            return True
    return False


def _in_function(node: ast.AST, parents: dict) -> bool:
    while node in parents:
        node = parents[node]
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            return True
    return False


def imports_of(name: str, path: Path, modules: dict[str, Path]) -> list[Import]:
    """Every import of an app module in one file, resolved to modules (`from app.x import y` → app.x.y if a module)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            targets = [
                f"{node.module}.{alias.name}" if f"{node.module}.{alias.name}" in modules else node.module
                for alias in node.names
            ]
        else:
            continue
        if _under_type_checking(node, parents):
            continue
        lazy = _in_function(node, parents)
        found += [
            Import(name, target, node.lineno, lazy)
            for target in dict.fromkeys(targets)
            if target == "app" or target.startswith("app.")
        ]
    return found


def all_imports() -> list[Import]:
    modules = app_modules()
    return [found for name, path in modules.items() for found in imports_of(name, path, modules)]


def face_of(module: str) -> str | None:
    """'api', 'views' or 'cli' for a face; None for everything else (services, schemas, domain, models, ...)."""
    parts = module.split(".")
    if module == "app.cli":
        return "cli"
    if module.startswith(SHARED_API) or "api" in parts[2:] or parts[-1] == "api":
        return "api"
    if module.startswith(SHARED_VIEWS) or "views" in parts[2:] or parts[-1] == "views":
        return "views"
    if module in ("app.public.health",):  # the probes' blueprint
        return "views"
    return None


def capability_of(module: str) -> str:
    return module.split(".")[1] if module.count(".") >= 1 else ""


def within(module: str, *prefixes: str) -> bool:
    return any(module == prefix or module.startswith(prefix + ".") for prefix in prefixes)


def violations(imports: list[Import]) -> list[str]:
    """Every import against the direction, as readable lines."""
    found = []
    for imp in imports:
        importer, imported = imp.importer, imp.imported
        where = f"{importer}:{imp.line} imports {imported}"
        if within(importer, "app.domain") and not within(imported, "app.domain"):
            found.append(f"{where}: the domain imports nothing of the application")
        if within(importer, "app.models") and not within(imported, "app.models", "app.domain"):
            found.append(f"{where}: models import only models and the domain")
        importer_face, imported_face = face_of(importer), face_of(imported)
        if importer != "app" and importer_face is None and imported_face is not None:
            found.append(f"{where}: only the factory and faces import faces")
        if {importer_face, imported_face} == {"api", "views"}:
            found.append(f"{where}: the API and the pages do not import each other")
        if (
            importer_face
            and imported_face
            and capability_of(importer) != capability_of(imported)
            and not within(imported, *SHARED_VIEWS, *SHARED_API)
            and not within(importer, "app.api", "app.web.templating")
            and (importer, imported) not in CROSS_FACE_ALLOWED
        ):
            found.append(f"{where}: a capability's faces do not import another's")
        if imp.lazy and importer not in LAZY_ALLOWED_IMPORTERS:
            found.append(f"{where}: an import inside a function (import at the top, or explain it here)")
    return list(dict.fromkeys(found))


def cycles(imports: list[Import]) -> list[list[str]]:
    """Strongly connected groups of modules in the graph of top-level imports (Tarjan)."""
    graph: dict[str, set[str]] = {}
    for imp in imports:
        if not imp.lazy and imp.imported != imp.importer:
            graph.setdefault(imp.importer, set()).add(imp.imported)
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in graph.get(node, ()):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return groups


def test_imports_follow_the_direction():
    assert violations(all_imports()) == []


def test_no_import_cycles():
    assert cycles(all_imports()) == []


@pytest.mark.parametrize(
    ("importer", "imported", "lazy", "rule"),
    [
        ("app.domain.money", "app.models", False, "the domain imports nothing"),
        ("app.models.contract", "app.filing.services.contracts", False, "models import only models and the domain"),
        ("app.filing.services.contracts", "app.filing.views", False, "only the factory and faces import faces"),
        ("app.filing.api", "app.review.views", False, "the API and the pages do not import each other"),
        ("app.tax.views", "app.statistics.views", False, "a capability's faces do not import another's"),
        ("app.filing.services.contracts", "app.mail", True, "an import inside a function"),
    ],
)
def test_the_check_catches_a_forbidden_import(importer, imported, lazy, rule):
    assert any(rule in line for line in violations([Import(importer, imported, 1, lazy)]))


def test_the_check_catches_a_cycle():
    loop = [Import("app.mail", "app.files.storage", 1, False), Import("app.files.storage", "app.mail", 1, False)]
    assert cycles(loop) == [["app.files.storage", "app.mail"]]
