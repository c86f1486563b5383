"""`sqm createuser` and `sqm org load`."""

from __future__ import annotations

from typing import Annotated

import typer

from sqm.bootstrap import DataDirOption, setup
from sqm.org.core.roles import Role


def createuser(
    name: Annotated[str, typer.Argument(help="Login name")],
    role: Annotated[Role, typer.Option("--role", help="Role of the user")],
    branch: Annotated[str | None, typer.Option("--branch", help="Branch code (NJ, WX, …)")] = None,
    department: Annotated[
        str | None, typer.Option("--department", help="Department code (network, it, …)")
    ] = None,
    password: Annotated[
        str | None, typer.Option("--password", help="Password (omit for API-only users)")
    ] = None,
    token: Annotated[bool, typer.Option("--token", help="Print a new API token")] = False,
    data_dir: DataDirOption = None,
) -> None:
    """Create or update a user with a role; optionally print an API token."""
    setup(data_dir)
    from django.core.exceptions import ValidationError

    from sqm.org.core.roles import ScopeError
    from sqm.org.models import ApiToken, Branch, Department
    from sqm.org.reference import ensure_reference_loaded
    from sqm.org.users import create_user

    ensure_reference_loaded()
    try:
        user = create_user(name, role, password=password, branch=branch, department=department)
    except ScopeError as error:
        typer.echo(f"error: {error}", err=True)
        raise typer.Exit(2) from None
    except ValidationError as error:
        problems = " ".join(str(message) for message in error.messages)
        typer.echo(f"error: password refused: {problems}", err=True)
        raise typer.Exit(2) from None
    except (Branch.DoesNotExist, Department.DoesNotExist):
        typer.echo(f"error: unknown branch {branch!r} or department {department!r}", err=True)
        raise typer.Exit(2) from None
    typer.echo(f"user {user.username}: {role.value}")
    if token:
        typer.echo(ApiToken.issue(user))


def load(data_dir: DataDirOption = None) -> None:
    """Load (or refresh) the province's branches, halls, departments, channels and tiers."""
    setup(data_dir)
    from sqm.org.reference import load_province

    load_province()
    typer.echo("reference data loaded")


def register(app: typer.Typer) -> None:
    app.command("createuser")(createuser)
    org = typer.Typer(help="Organisation reference data.", no_args_is_help=True)
    org.command("load")(load)
    app.add_typer(org, name="org")
