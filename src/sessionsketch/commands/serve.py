"""``sessionsketch serve``: the workbench and the searchable archive in a browser."""

from __future__ import annotations

import json
import os
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
        workers: int = typer.Option(
            1, "--workers", help="Server processes (each keeps its own connections)."
        ),
        trusted_proxy: list[str] = typer.Option(
            [],
            "--trusted-proxy",
            help="Address or network of a reverse proxy whose X-Forwarded-For names the client "
            "(repeat for several). Without it, X-Forwarded-For is ignored, from anyone.",
        ),
        parse_seconds: float = typer.Option(
            20.0, "--parse-timeout", help="Seconds one upload may take to read before it is refused."
        ),
        parse_memory_mb: int = typer.Option(
            1024, "--parse-memory-mb", help="Memory (MB) reading one upload may take before it is refused."
        ),
        insecure_cookies: bool = typer.Option(
            False,
            "--insecure-cookies",
            help="Send the login cookie over plain HTTP too (only behind a trusted network; localhost works without).",
        ),
        scheduler: str | None = typer.Option(
            None,
            "--scheduler",
            metavar="ADDRESS",
            envvar="SESSIONSKETCH_SCHEDULER",
            show_envvar=True,
            help="A Dask scheduler (tcp://host:8786): the workbench's drafts run on its cluster, "
            "not in the server's processes. See docs/scale.md.",
        ),
    ) -> None:
        """Run the rapporteur's workbench and the archive (log in with a user from `user add`)."""
        try:
            import uvicorn

            from sessionsketch.archive import open_archive
            from sessionsketch.web.app import SERVE_SETTINGS_ENV, create_app
            from sessionsketch.web.security import trusted_networks
            from sessionsketch.web.uploads import ParseLimits, warm_parser
        except ImportError as exc:
            raise UserError(
                f"the web extra is missing ({exc.name}); pip install 'sessionsketch[web]'"
            ) from None
        if not 0 < port < 65536:
            raise typer.BadParameter("must be between 1 and 65535", param_hint="--port")
        if not 1 <= workers <= 64:
            raise typer.BadParameter("must be between 1 and 64", param_hint="--workers")
        if parse_seconds <= 0:
            raise typer.BadParameter("must be more than 0", param_hint="--parse-timeout")
        if parse_memory_mb < 64:
            raise typer.BadParameter("must be at least 64", param_hint="--parse-memory-mb")
        trusted_networks(trusted_proxy)  # a bad address is one line before anything starts
        scheduler = (scheduler or "").strip() or None
        if scheduler == "local":
            scheduler = None
        if scheduler is not None:
            from sessionsketch.cluster import check_scheduler

            check_scheduler(scheduler)  # unreachable: one line, exit 2, before serving
        archive = open_archive(data, database)
        if archive.user_count() == 0:
            typer.echo(
                "no users yet: create one with `sessionsketch user add NAME` to edit and import", err=True
            )
        settings = {
            "data": str(data) if data is not None else None,
            "database": database,
            "secure_cookies": not insecure_cookies,
            "max_upload_bytes": int(max_upload_mb * 1024 * 1024),
            "parse_limits": {"seconds": parse_seconds, "memory_mb": parse_memory_mb},
            "trusted_proxies": list(trusted_proxy),
            "supervisor": os.getpid(),  # the workers end with this process
            "scheduler": scheduler,
        }
        if not insecure_cookies and host not in ("127.0.0.1", "localhost", "::1"):
            typer.echo(
                "note: the login cookie is sent over HTTPS only: serve behind a TLS proxy, "
                "or pass --insecure-cookies on a trusted network",
                err=True,
            )
        on = f"; drafts on the Dask cluster at {scheduler}" if scheduler else ""
        typer.echo(
            f"sessionsketch: serving on http://{host}:{port} ({archive.backend} archive{on})", err=True
        )
        # the app reads X-Forwarded-For itself, from the proxies named above only (uvicorn's own
        # handling would trust any process on this machine)
        options = {
            "host": host,
            "port": port,
            "log_level": "warning",
            "access_log": False,
            "proxy_headers": False,
        }
        if workers == 1:
            warm_parser(background=True)
            web_app = create_app(
                archive,
                secure_cookies=settings["secure_cookies"],
                max_upload_bytes=settings["max_upload_bytes"],
                parse_limits=ParseLimits(seconds=parse_seconds, memory_mb=parse_memory_mb),
                trusted_proxies=trusted_proxy,
                scheduler=scheduler,
            )
            try:
                uvicorn.run(web_app, **options)
            finally:
                archive.close()
            return
        # several processes: each opens the archive itself (the cookie key is already stored);
        # imports a stopped server left running are marked failed here, once
        create_app(archive)
        archive.close()
        os.environ[SERVE_SETTINGS_ENV] = json.dumps(settings)
        uvicorn.run("sessionsketch.web.app:app_from_environment", factory=True, workers=workers, **options)
