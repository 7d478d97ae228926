"""``sessionsketch serve``: the workbench and the searchable archive in a browser."""

from __future__ import annotations

from pathlib import Path

import typer

from sessionsketch.errors import UserError


def register(app: typer.Typer) -> None:
    @app.command("serve")
    def serve(
        data: Path | None = typer.Option(
            None, "--data", help="Archive folder (default: ./sessionsketch-data)."
        ),
        database: str | None = typer.Option(
            None,
            "--database",
            help="postgresql://user:password@host/db instead of the embedded SQLite archive.",
        ),
        host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on."),
        port: int = typer.Option(8000, "--port", help="Port to listen on."),
        max_upload_mb: float = typer.Option(20.0, "--max-upload-mb", help="Largest upload accepted, in MB."),
        insecure_cookies: bool = typer.Option(
            False,
            "--insecure-cookies",
            help="Send the login cookie over plain HTTP too (only behind a trusted network; localhost works without).",
        ),
    ) -> None:
        """Run the rapporteur's workbench and the archive (log in with a user from `user add`)."""
        try:
            import uvicorn

            from sessionsketch.archive import open_archive
            from sessionsketch.web.app import create_app
        except ImportError as exc:
            raise UserError(
                f"the web extra is missing ({exc.name}); pip install 'sessionsketch[web]'"
            ) from None
        if not 0 < port < 65536:
            raise typer.BadParameter("must be between 1 and 65535", param_hint="--port")
        archive = open_archive(data, database)
        if archive.user_count() == 0:
            typer.echo(
                "no users yet: create one with `sessionsketch user add NAME` to edit and import", err=True
            )
        web_app = create_app(
            archive, secure_cookies=not insecure_cookies, max_upload_bytes=int(max_upload_mb * 1024 * 1024)
        )
        if not insecure_cookies and host not in ("127.0.0.1", "localhost", "::1"):
            typer.echo(
                "note: the login cookie is sent over HTTPS only: serve behind a TLS proxy, "
                "or pass --insecure-cookies on a trusted network",
                err=True,
            )
        typer.echo(f"sessionsketch: serving on http://{host}:{port} ({archive.backend} archive)", err=True)
        try:
            uvicorn.run(web_app, host=host, port=port, log_level="warning")
        finally:
            archive.close()
