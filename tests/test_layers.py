"""The apps import each other only downwards (docs/architecture.md, "Apps and their allowed imports").

Every .py file under kiezwerk/<app>/ is parsed: absolute `kiezwerk.<app>` imports and relative
imports that climb out of the app count, at module level and inside functions alike. The top-level
modules (kiezwerk/settings.py, urls.py, celery.py, …) wire everything together and may import anything.
"""

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "kiezwerk"

# app → the apps it may import (besides itself).
ALLOWED = {
    "core": set(),
    "accounts": {"core"},
    "concerns": {"core", "accounts"},
    "desk": {"core", "accounts", "concerns"},
    "network": {"core", "accounts", "concerns", "desk"},
    "projects": {"core", "accounts", "concerns", "desk", "network"},
    "events": {"core", "accounts", "concerns", "desk", "network", "projects"},
    "demo": {"core", "accounts", "concerns", "desk", "network", "projects", "events"},
}


def imported_apps(source, module):
    """The kiezwerk apps a module's source imports; `module` is its dotted name (kiezwerk.desk.views)."""
    package = module.split(".")[:-1]
    found = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative: climb from the module's package
                base = package[: len(package) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            # `from kiezwerk import network` names the app in the imported names.
            names = [f"{target}.{alias.name}" for alias in node.names] if target == "kiezwerk" else [target]
        else:
            continue
        for name in names:
            parts = name.split(".")
            if len(parts) > 1 and parts[0] == "kiezwerk":
                found.add(parts[1])
    return found


def violations(app, source, module):
    """The imports of one module that the map forbids, as readable lines."""
    return sorted(
        f"{module} imports kiezwerk.{other}"
        for other in imported_apps(source, module)
        if other != app and other not in ALLOWED[app] and (PACKAGE / other).is_dir()
    )


def _modules():
    for path in sorted(PACKAGE.rglob("*.py")):
        relative = path.relative_to(PACKAGE.parent).with_suffix("")
        if len(relative.parts) > 2:  # kiezwerk/<app>/..., not the top-level modules
            yield relative.parts[1], ".".join(relative.parts), path


def test_every_app_is_in_the_map():
    apps = {path.parent.name for path in PACKAGE.glob("*/apps.py")}
    assert apps == set(ALLOWED)


def test_apps_import_only_what_the_map_allows():
    found = []
    for app, module, path in _modules():
        found += violations(app, path.read_text(encoding="utf-8"), module)
    assert found == []


def test_the_map_has_no_cycles_and_the_check_catches_a_forbidden_import():
    # A topological order exists: repeatedly take an app whose allowed imports are all placed.
    placed, remaining = set(), dict(ALLOWED)
    while remaining:
        ready = [app for app, needs in remaining.items() if needs <= placed]
        assert ready, f"cycle among {sorted(remaining)}"
        for app in ready:
            placed.add(app)
            del remaining[app]

    module = "kiezwerk.core.views"
    assert violations("core", "def f():\n    from kiezwerk.accounts import access\n", module) == [
        "kiezwerk.core.views imports kiezwerk.accounts"
    ]
    assert violations("core", "from ..network.models import Organisation", module) == [
        "kiezwerk.core.views imports kiezwerk.network"
    ]
    assert violations("core", "import kiezwerk.desk.rules", module) == ["kiezwerk.core.views imports kiezwerk.desk"]
    assert violations("core", "from kiezwerk import concerns", module) == [
        "kiezwerk.core.views imports kiezwerk.concerns"
    ]
    # Allowed: the app itself, relative imports inside it, an app below, and the top-level modules.
    fine = "from . import selectors\nfrom .models import District\nfrom kiezwerk.core import geo\nimport kiezwerk.urls"
    assert violations("core", fine, module) == []
    partner = "kiezwerk.network.views.partner"
    assert violations("network", "from kiezwerk.desk import rules\nfrom ...concerns import models", partner) == []
    assert violations("network", "from ...demo import services", partner) == [f"{partner} imports kiezwerk.demo"]
    assert violations("accounts", "from kiezwerk.concerns.models import Concern", "kiezwerk.accounts.access") == [
        "kiezwerk.accounts.access imports kiezwerk.concerns"
    ]
