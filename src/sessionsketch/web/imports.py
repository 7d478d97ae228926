"""Bulk import of sketches into the archive, with a progress page."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, BackgroundTasks, Depends, File, HTTPException, Request, UploadFile
from fastapi.responses import JSONResponse, RedirectResponse, Response

from sessionsketch.archive import ImportJob, NotFound
from sessionsketch.archive.importer import read_sketch_file, run_import
from sessionsketch.model import Sketch
from sessionsketch.web import security
from sessionsketch.web.pages import archive_of, render, wants_json
from sessionsketch.web.uploads import ParseLimits, read_upload, run_within_budget, safe_name

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
    batch = [(safe_name(f.filename), await read_upload(request, f)) for f in files if f.filename]
    if not batch:
        raise HTTPException(400, "choose at least one file")
    archive = archive_of(request)
    job_id = archive.start_import(len(batch), user)
    background.add_task(run_import, archive, job_id, batch, user, _reader(request.app.state.parse_limits))
    if wants_json(request):
        return JSONResponse({"job": job_id, "url": f"/api/imports/{job_id}"}, status_code=202)
    return RedirectResponse(f"/import/{job_id}", status_code=303)


def _reader(limits: ParseLimits) -> Callable[[str, bytes], Sketch]:
    """Each file of an import is read in its own child process, within the parse budget."""

    def read(name: str, data: bytes) -> Sketch:
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
