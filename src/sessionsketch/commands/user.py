"""``sessionsketch user add NAME``: create a workbench user (the first admin, for one), or set a
new password (which ends the user's sessions); ``sessionsketch user revoke NAME``: end every
session of a user at once (a lost laptop, a captured cookie)."""

from __future__ import annotations

import sys
from pathlib import Path

import typer

from sessionsketch.errors import UserError


def register(app: typer.Typer) -> None:
    user_app = typer.Typer(help="Manage the users who may edit, import and publish in the workbench.")
    app.add_typer(user_app, name="user")

    @user_app.command("add")
    def user_add(
        name: str = typer.Argument(..., help="User name (letters, digits, . @ + - _)."),
        password_stdin: bool = typer.Option(
            False, "--password-stdin", help="Read the password from standard input instead of asking."
        ),
        admin: bool = typer.Option(True, "--admin/--no-admin", help="Give the user the admin flag."),
        data: Path | None = typer.Option(
            None, "--data", help="Archive folder (default: ./sessionsketch-data)."
        ),
        database: str | None = typer.Option(None, "--database", help="postgresql:// URL instead of --data."),
    ) -> None:
        """Create a user, or set a new password for an existing one."""
        try:
            from sessionsketch.archive import open_archive
            from sessionsketch.archive.users import add_user
        except ImportError as exc:  # the web extra is not installed
            raise UserError(
                f"the web extra is missing ({exc.name}); pip install 'sessionsketch[web]'"
            ) from None
        if password_stdin:
            password = sys.stdin.readline().rstrip("\r\n")
        else:
            password = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
        archive = open_archive(data, database)
        try:
            add_user(archive, name, password, is_admin=admin)
        finally:
            archive.close()
        typer.echo(f"user '{name}' saved in {'the database' if database else (data or 'sessionsketch-data')}")

    @user_app.command("revoke")
    def user_revoke(
        name: str = typer.Argument(..., help="The user whose sessions end."),
        data: Path | None = typer.Option(
            None, "--data", help="Archive folder (default: ./sessionsketch-data)."
        ),
        database: str | None = typer.Option(None, "--database", help="postgresql:// URL instead of --data."),
    ) -> None:
        """End every session of a user: each browser (or stolen cookie) must log in again."""
        try:
            from sessionsketch.archive import open_archive
        except ImportError as exc:  # the web extra is not installed
            raise UserError(
                f"the web extra is missing ({exc.name}); pip install 'sessionsketch[web]'"
            ) from None
        archive = open_archive(data, database)
        try:
            if not archive.end_sessions(name):
                raise UserError(f"no user '{name}'")
        finally:
            archive.close()
        typer.echo(f"every session of '{name}' has ended; they must log in again")
