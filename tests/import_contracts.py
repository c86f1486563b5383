"""A contract type for import-linter that its built-in types cannot say: apps meet through
their ``services`` face (or their pure ``core``), never each other's models, views or helpers.

Registered in pyproject.toml ``[tool.importlinter] contract_types``; ``lint-imports`` runs
it with the others, and tests/test_architecture.py runs ``lint-imports`` on every test run.
"""

from __future__ import annotations

from typing import Any

from importlinter import Contract, ContractCheck, fields, output


class ServicesOnlyContract(Contract):
    """Modules of one app may import another app's modules only through the public faces.

    Options:
        apps: the apps this applies to (full module names, e.g. ``sqm.complaints``).
        public: the faces other apps may import, relative to an app (``services``, ``core``);
            a face covers its sub-modules.
    """

    type_name = "services only"

    apps = fields.ListField(subfield=fields.StringField())
    public = fields.ListField(subfield=fields.StringField())

    def check(self, graph: Any, verbose: bool) -> ContractCheck:
        apps: list[str] = list(self.apps)
        faces = [f"{app}.{face}" for app in apps for face in self.public]

        def owner(module: str) -> str | None:
            return next((a for a in apps if module == a or module.startswith(a + ".")), None)

        def public(module: str) -> bool:
            return any(module == f or module.startswith(f + ".") for f in faces)

        violations = []
        for app in apps:
            if app not in graph.modules:
                continue
            for importer in sorted({app} | graph.find_descendants(app)):
                for imported in sorted(graph.find_modules_directly_imported_by(importer)):
                    other = owner(imported)
                    if other is None or other == app or public(imported):
                        continue
                    lines = graph.get_import_details(importer=importer, imported=imported)
                    where = lines[0]["line_number"] if lines else "?"
                    violations.append(f"{importer}:{where} imports {imported}")
        return ContractCheck(kept=not violations, metadata={"violations": violations})

    def render_broken_contract(self, check: ContractCheck) -> None:
        faces = ", ".join(self.public)
        output.print(f"Apps may import another app only through: {faces}.")
        output.new_line()
        for violation in check.metadata["violations"]:
            output.print_error(f"- {violation}")
        output.new_line()
