"""requirements.txt installs everything the dashboard and the command line import: a module
that only a test tool brings along (scikit-learn brings SciPy) would pass every test and
still fail on a machine set up with the README's first command."""
import ast
import sys
from importlib import metadata
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent
CODE = [ROOT / "dashboard.py", *sorted((ROOT / "analysis").glob("*.py")),
        *sorted((ROOT / "ui").glob("*.py")), *sorted((ROOT / "pages").glob("*.py"))]


def _runtime_distributions() -> set[str]:
    """requirements.txt's distributions and everything they require on this platform."""
    todo = [Requirement(line) for line in (ROOT / "requirements.txt").read_text().splitlines()
            if line.strip() and not line.startswith(("#", "-"))]
    found: set[str] = set()
    while todo:
        requirement = todo.pop()
        name = canonicalize_name(requirement.name)
        if name in found:
            continue
        found.add(name)
        extras = requirement.extras or {""}
        todo += [r for r in map(Requirement, metadata.requires(name) or [])
                 if r.marker is None or any(r.marker.evaluate({"extra": e}) for e in extras)]
    return found


def _imported_modules() -> set[str]:
    modules = set()
    for path in CODE:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                modules |= {a.name.split(".")[0] for a in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                modules.add(node.module.split(".")[0])
    return modules - set(sys.stdlib_module_names) - {"analysis", "ui", "__future__"}


def test_requirements_cover_every_imported_module():
    runtime = _runtime_distributions()
    providers = metadata.packages_distributions()
    missing = {m: providers.get(m) for m in _imported_modules()
               if not {canonicalize_name(d) for d in providers.get(m, [])} & runtime}
    assert not missing, f"imported but not installed by requirements.txt: {missing}"
