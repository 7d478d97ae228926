"""Bulk import of sketches into the archive, with a progress page."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from fastapi import APIRouter, BackgroundTasks, Depends, File, HTTPException, Request, UploadFile
from fastapi.responses import JSONResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from sessionsketch.archive import Archive, ImportJob, NotFound
from sessionsketch.archive.importer import read_sketch_file, run_import
from sessionsketch.model import Sketch
from sessionsketch.web import security
from sessionsketch.web.pages import archive_of, render, wants_json
from sessionsketch.web.uploads import ParseLimits, run_within_budget, safe_name, save_upload

router = APIRouter(tags=["import"], dependencies=[Depends(security.editor)])

MAX_FILES = 500


@router.get("/import", include_in_schema=False)
def import_page(request: Request) -> Response:
    return render(request, "import.html", {})


@router.post(
    "/import",
    summary="Import sketch files (PDF, DOCX, Markdown, JSON); re-importing a file name updates it",
    dependencies=[Depends(security.csrf_protect)],
)
async def import_files(
    request: Request,
    background: BackgroundTasks,
    files: list[UploadFile] = File(...),
    user: str = Depends(security.editor),
) -> Response:
    if len(files) > MAX_FILES:
        raise HTTPException(400, f"at most {MAX_FILES} files at a time")
    # each file is copied to disk off the event loop; the job's reader gets the path, not the bytes
    folder = Path(await run_in_threadpool(tempfile.mkdtemp, prefix="sessionsketch-import-"))
    try:
        batch: list[tuple[str, bytes | Path]] = [
            (safe_name(f.filename), await save_upload(request, f, folder / str(i)))
            for i, f in enumerate(files)
            if f.filename
        ]
        if not batch:
            raise HTTPException(400, "choose at least one file")
        archive = archive_of(request)
        job_id = archive.start_import(len(batch), user)
    except BaseException:
        await run_in_threadpool(shutil.rmtree, folder, True)
        raise
    background.add_task(
        _import_and_clean_up, archive, job_id, batch, user, request.app.state.parse_limits, folder
    )
    if wants_json(request):
        return JSONResponse({"job": job_id, "url": f"/api/imports/{job_id}"}, status_code=202)
    return RedirectResponse(f"/import/{job_id}", status_code=303)


def _import_and_clean_up(
    archive: Archive,
    job_id: int,
    batch: list[tuple[str, bytes | Path]],
    user: str,
    limits: ParseLimits,
    folder: Path,
) -> None:
    try:
        run_import(archive, job_id, batch, user, _reader(limits))
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _reader(limits: ParseLimits) -> Callable[[str, bytes | Path], Sketch]:
    """Each file of an import is read in its own child process, within the parse budget."""

    def read(name: str, data: bytes | Path) -> Sketch:
        return run_within_budget(limits, name, read_sketch_file, name, data)

    return read


def _own_job(request: Request, job_id: int) -> ImportJob:
    """The import job, if the logged-in user started it; anyone else gets the answer a missing
    job gives (404 ``no import N``), so the page tells nothing of other users' imports.

    Jobs recorded without a user (none are, since imports need a login) stay open to every
    editor, as sessions made before owners existed do.
    """
    job = archive_of(request).import_job(job_id)
    if job.created_by is not None and job.created_by != security.current_user(request):
        raise NotFound(f"no import {job_id}")
    return job


@router.get("/import/{job_id:id}", include_in_schema=False)
def import_progress(request: Request, job_id: int) -> Response:
    return render(request, "import_job.html", {"job": _own_job(request, job_id)})


@router.get("/api/imports/{job_id:id}", summary="Progress of an import (only its starter sees it)")
def api_import(request: Request, job_id: int) -> dict[str, Any]:
    return _own_job(request, job_id).to_dict()


@router.get(
    "/api/sketches/{sketch_id}/history",
    summary="The published versions an import (or a publish) replaced; only the sketch's owner sees them",
)
def api_sketch_history(request: Request, sketch_id: int) -> dict[str, Any]:
    archive = archive_of(request)
    owner = archive.owner_of(sketch_id)
    if owner is not None and owner != security.current_user(request):
        raise NotFound(f"no sketch {sketch_id}")
    return {"sketch_id": sketch_id, "owner": owner, "versions": archive.history(sketch_id)}
