"""Hostile and damaged inputs against every reader and every upload route of a running server.

The hostile inputs of issue 16 (quadratic caption tags, runs of "Mr. " and dots, YAML alias
bombs, nesting 1,000 levels and 100,000 brackets deep, a DOCX zip bomb) and a seeded corpus of
damaged copies of real files (``tests/mutants.byte_mutants`` of the bundled QMSum meeting in
several transcript formats, the reference sketch as text, Markdown, JSON, DOCX and PDF, the
example programme) are

1. read by every reader of their kind (transcripts: auto-detection and each named format;
   sketches likewise; programmes), each in a child process with a time and memory budget;
2. uploaded to ``sessionsketch serve`` (uvicorn in a subprocess): programmes to
   ``POST /workbench``, transcripts to ``POST /workbench/N/transcript``, sketches to
   ``POST /import`` (followed to the end of the job), while another client keeps asking
   ``GET /api/conferences`` — its slowest answer shows whether an upload stalled the server.

It prints one row per phase: inputs tried, worst time, worst memory (growth of the reading
process; for the server, its own growth and its parse children's), 5xx answers (or reader
crashes), timeouts, and anything lost (a draft made before the run changed, an import left
"running", the server down). ``--json`` writes the rows and every request::

    .venv/bin/python bench/abuse.py --json abuse.json
    .venv/bin/python bench/abuse.py --mutants 2 --no-server      # a quick look at the readers

Add every new finding to ``hostile_inputs``.

``--round-two`` runs only issue 30's phase (``round_two``): two users importing files of the
same name, twenty concurrent 19 MB imports, a PDF deflate bomb (web and command line), four
anonymous exports of ``th*`` on a 100,000-sentence archive, a worker of ``serve --workers 2``
killed mid-import and the supervisor killed at the end, while another user browses; it prints
the slowest benign and hostile request and the largest growth of any server process against
the bars (no 5xx, no benign request over 2 s, no process over +200 MB, nothing lost or
overwritten). A full run ends with it too::

    .venv/bin/python bench/abuse.py --round-two --json round-two.json
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import logging
import os
import random
import resource
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
EXAMPLE = ROOT / "examples" / "welsh-education-committee"
REFERENCE = SHARED / "reference" / "000_d2e8a4bbf7783717.txt"
EXEMPLAR = SHARED / "exemplars" / "welsh-education-committee.md"
sys.path.insert(0, str(ROOT / "tests"))


@dataclass
class Case:
    name: str
    kind: str  # "transcript", "programme", "sketch"
    filename: str
    data: bytes
    hostile: bool = True


@dataclass
class Outcome:
    phase: str
    case: str
    target: str
    result: str  # "read", "refused", "timeout", "memory", "crash", or an HTTP status
    seconds: float
    memory_mb: float
    detail: str = ""
    probe_seconds: float | None = None


@dataclass
class Row:
    phase: str
    inputs: int = 0
    tries: int = 0
    worst_seconds: float = 0.0
    worst_time_of: str = ""
    worst_mb: float = 0.0
    worst_mb_of: str = ""
    errors_5xx: int = 0
    timeouts: int = 0
    lost: list[str] = field(default_factory=list)
    worst_probe_seconds: float | None = None

    def add(self, o: Outcome) -> None:
        self.tries += 1
        if o.seconds > self.worst_seconds:
            self.worst_seconds, self.worst_time_of = o.seconds, f"{o.case} → {o.target}"
        if o.memory_mb > self.worst_mb:
            self.worst_mb, self.worst_mb_of = o.memory_mb, f"{o.case} → {o.target}"
        if o.result == "crash" or o.result.startswith("5"):
            self.errors_5xx += 1
        if o.result == "timeout":
            self.timeouts += 1
        if o.probe_seconds is not None:
            self.worst_probe_seconds = max(self.worst_probe_seconds or 0.0, o.probe_seconds)


# ---------------------------------------------------------------------- the inputs


def _docx(document_xml: bytes, compress: bool = True) -> bytes:
    buf = io.BytesIO()
    method = zipfile.ZIP_DEFLATED if compress else zipfile.ZIP_STORED
    with zipfile.ZipFile(buf, "w", method) as z:
        z.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-'
            'officedocument.wordprocessingml.document.main+xml"/></Types>',
        )
        z.writestr("word/document.xml", document_xml)
    return buf.getvalue()


def _alias_bomb(levels: int = 7, width: int = 10) -> str:
    lines = ["a0: &a0 [" + ", ".join(['"lol"'] * width) + "]"]
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * width) + "]" for i in range(1, levels + 1)]
    return "\n".join(lines) + "\n"


#: The block of the hostile sketches that name participants.
_SPEAKERS_BLOCK = b"Session 1\n\nSpeakers:\nAda Quill, Harbour Institute\nBo Lark Teller, Cloud Ministry\n\n"


def _long_sentences(count: int, words: int = 400) -> bytes:
    """``count`` different sentences of ``words`` words, one paragraph each (a parse of each is cached
    by its text, so no two are the same)."""
    body = "and the towns will publish their figures monthly " * (words // 8)
    return (
        "# Harbour Fees\n\n" + "".join(f"Sentence {i} {body.strip()}.\n\n" for i in range(count))
    ).encode()


def hostile_inputs(scale: int = 1) -> list[Case]:
    """The hostile inputs of issue 16 (and every finding since). ``scale`` multiplies their size."""
    n = 40_000 * scale
    body = b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>'
    bomb_xml = (
        body + b"<w:p><w:r><w:t>" + b"a" * (100 * 1024 * 1024) + b"</w:t></w:r></w:p></w:body></w:document>"
    )
    zip_bomb = _docx(bomb_xml)
    deep_block = "conference: Fictional Forum\nsession:\n" + "".join(
        "  " * (i + 1) + f"k{i}:\n" for i in range(1000)
    )
    cases = [
        Case(
            "vtt '<v ' repeated",
            "transcript",
            "hostile.vtt",
            b"WEBVTT\n\n00:00.000 --> 00:01.000\n" + b"<v " * n,
        ),
        Case(
            "srt '<b ' repeated",
            "transcript",
            "hostile.srt",
            b"1\n00:00:00,000 --> 00:00:01,000\n" + b"<b " * n,
        ),
        Case("text 'Mr. ' repeated", "transcript", "hostile.txt", b"Ada Quill: " + b"Mr. " * (n // 4)),
        Case("text of dots", "transcript", "dots.txt", b"Ada Quill: " + b"." * (3 * n)),
        Case("one huge line", "transcript", "line.txt", b"Ada Quill: " + b"word " * n),
        Case("brackets", "transcript", "brackets.txt", b"Ada Quill: " + b"[(" * n),
        Case("labels without text", "transcript", "labels.txt", b"A:\n" * n),
        Case("JSON 100,000 [", "transcript", "deep.json", b"[" * 100_000),
        Case("JSON nested 1,000", "transcript", "nested.json", b'{"a":' * 1000 + b"1" + b"}" * 1000),
        Case("DOCX zip bomb (100 MB document.xml)", "transcript", "bomb.docx", zip_bomb),
        Case(
            "YAML alias bomb",
            "programme",
            "bomb.yaml",
            (_alias_bomb() + "conference: Fictional Forum\n").encode(),
        ),
        Case("YAML nested 1,000", "programme", "deep.yaml", deep_block.encode()),
        Case("YAML 100,000 [", "programme", "brackets.yaml", b"[" * 100_000),
        Case("YAML self-alias", "programme", "self.yaml", b"conference: &c [Fictional Forum, *c]\n"),
        Case("JSON programme 100,000 [", "programme", "deep.json", b'{"conference": ' + b"[" * 100_000),
        Case("JSON sketch 100,000 [", "sketch", "deep.json", b"[" * 100_000),
        Case("JSON sketch nested 1,000", "sketch", "nested.json", b'{"a":' * 1000 + b"1" + b"}" * 1000),
        Case("DOCX sketch zip bomb", "sketch", "bomb.docx", zip_bomb),
        Case("Markdown sketch of '**' runs", "sketch", "stars.md", b"# S\n\n" + b"**a " * n),
        Case("text sketch 'Mr. ' repeated", "sketch", "mr.txt", b"Session 1\n\n" + b"Mr. " * (n // 4)),
        Case("HTML sketch of open tags", "sketch", "tags.html", b"<html><body>" + b"<p><b>" * n),
        # a sentence that names a participant again and again: attribute.py searched the whole
        # sentence before and after each mention, quadratic (found doubling tests/core/test_linear.py);
        # now a window around each mention, and the parser reads a sentence's first 2,000 characters
        Case(
            "text sketch naming a speaker again and again",
            "sketch",
            "names.txt",
            _SPEAKERS_BLOCK + b"Ada Quill " * (n // 10),
        ),
        Case(
            "text sketch of 'Quill, ' repeated",
            "sketch",
            "commas.txt",
            _SPEAKERS_BLOCK + b"Quill, " * (n // 7),
        ),
        # 32 sentences of 400 words (80 KB): the parser took 256 sentences a batch, and its
        # memory grows with the tokens of a batch (about 16 KB a token); now 20,000 characters a batch
        # and readers/sketch_text.py unmarked each line a character at a time (0.2 s of the read; now
        # 12-21 ms): what remains is the parse of 10,464 tokens, about 1.2 s of CPU
        Case("Markdown sketch of long sentences", "sketch", "long.md", _long_sentences(32 * scale)),
    ]
    return cases


def sniffing_and_label_inputs(scale: int = 1) -> list[Case]:
    """Issue 30 §1 and §2: lines the format sniffers once backtracked on, and many labels.

    One pathological line inside an ordinary two-speaker transcript, with no format named,
    so every sniffer reads it (400 spaces took 16-20 s to detect, 2,000 over 300 s: the Rev
    text, Otter header and label patterns split the run every way); and 20,000 distinct
    ``Speaker N`` labels (850 KB), which resolving compared with every participant.
    """
    around = (
        b"Ada Quill: Good morning, and welcome to the panel on harbour fees.\n",
        b"\nBram Teller: Thank you, Chair. The towns will publish their figures monthly.\n",
    )
    lines = {
        "400 spaces": b" " * 400,
        "2,000 spaces": b" " * 2_000,
        "20,000 spaces": b" " * (20_000 * scale),
        "spaces, then a colon": b" " * (2_000 * scale) + b":",
        "spaces, then ')'": b" " * (2_000 * scale) + b")",
        "a name, spaces, a time (Otter)": b"Ada Quill" + b" " * (2_000 * scale) + b"0:34",
        "a label, spaces, text (Rev)": b"Speaker 0" + b" " * (2_000 * scale) + b"x",
        "tabs": b"\t" * (2_000 * scale),
        "spaces and tabs, colons, digits, '<'": b" \t:1<(a " * (500 * scale),
    }
    cases = [
        Case(f"a line of {name}", "transcript", "line.txt", line.join(around)) for name, line in lines.items()
    ]
    labels = "".join(
        f"Speaker {i}: We will publish the figures monthly, number {i}.\n" for i in range(20_000 * scale)
    )
    cases.append(Case("20,000 distinct 'Speaker N:' labels", "transcript", "labels.txt", labels.encode()))
    return cases


def _seed_files() -> list[Case]:
    """Real files to damage: the bundled QMSum meeting in several formats, the reference sketch
    in every sketch format, the example programme."""
    from sessionsketch.pipeline import parse_sketch
    from sessionsketch.writers import render_bytes

    meeting = json.loads((EXAMPLE / "transcript.json").read_text())["meeting_transcripts"][:40]
    turns = [(t["speaker"], " ".join(t["content"].split())) for t in meeting]
    vtt = "WEBVTT\n\n" + "".join(
        f"00:{i // 60:02d}:{i % 60:02d}.000 --> 00:{i // 60:02d}:{i % 60:02d}.900\n<v {s}>{c}\n\n"
        for i, (s, c) in enumerate(turns)
    )
    srt = "".join(
        f"{i + 1}\n00:00:{i % 60:02d},000 --> 00:00:{i % 60:02d},900\n{s}: {c}\n\n"
        for i, (s, c) in enumerate(turns)
    )
    text = "".join(f"{s}: {c}\n" for s, c in turns)
    seeds = [
        Case(
            "meeting.json",
            "transcript",
            "meeting.json",
            json.dumps({"meeting_transcripts": meeting}).encode(),
            False,
        ),
        Case("meeting.vtt", "transcript", "meeting.vtt", vtt.encode(), False),
        Case("meeting.srt", "transcript", "meeting.srt", srt.encode(), False),
        Case("meeting.txt", "transcript", "meeting.txt", text.encode(), False),
        Case(
            "programme.yaml", "programme", "programme.yaml", (EXAMPLE / "programme.yaml").read_bytes(), False
        ),
    ]
    if REFERENCE.exists():
        sketch = parse_sketch(REFERENCE)
        seeds += [
            Case("reference.txt", "sketch", "reference.txt", REFERENCE.read_bytes(), False),
            Case("reference.json", "sketch", "reference.json", render_bytes(sketch, "json"), False),
            Case("reference.docx", "sketch", "reference.docx", render_bytes(sketch, "docx"), False),
            Case("reference.pdf", "sketch", "reference.pdf", render_bytes(sketch, "pdf"), False),
        ]
    if EXEMPLAR.exists():
        seeds.append(Case("exemplar.md", "sketch", "exemplar.md", EXEMPLAR.read_bytes(), False))
    return seeds


def damaged_inputs(per_seed: int, seed: int = 16) -> list[Case]:
    from mutants import byte_mutants

    rng = random.Random(seed)
    cases = []
    for original in _seed_files():
        binary = original.filename.endswith((".docx", ".pdf"))
        wider = {"cut": 4096, "repeated": 4096} if binary else {}
        cases.append(original)
        for how, data in byte_mutants(original.data, rng, per_seed, **wider):
            cases.append(Case(f"{original.name}: {how}", original.kind, original.filename, data, False))
    return cases


# ---------------------------------------------------------------------- phase 1: every reader


def _targets(kind: str) -> list[str | None]:
    from sessionsketch.readers import readers

    if kind == "programme":
        return [None]
    return [None, *sorted(readers(kind))]


def _read(kind: str, path: str, fmt: str | None) -> dict[str, Any]:
    """Runs in the child: read, and measure the child's own growth in memory."""
    from sessionsketch.errors import UserError

    start_kb = _rss_kb(os.getpid())
    try:  # the peak starts from here, not from the process this one was forked from
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
    except OSError:
        pass
    t0 = time.perf_counter()
    try:
        if kind == "transcript":
            from sessionsketch.readers import read_transcript_file

            read_transcript_file(path, fmt)
        elif kind == "sketch":
            from sessionsketch.pipeline import parse_sketch

            parse_sketch(path, fmt=fmt)
        else:
            from sessionsketch.readers.programme import load_programme

            load_programme(path)
        result, detail = "read", ""
    except UserError as exc:
        result, detail = "refused", str(exc)
    peak_kb = _rss_kb(os.getpid(), "VmHWM:") or resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {
        "result": result,
        "detail": detail,
        "seconds": time.perf_counter() - t0,
        "memory_mb": max(0, peak_kb - start_kb) / 1024,
    }


def read_everything(
    cases: list[Case], seconds: float, memory_mb: int, every_reader: bool = True
) -> Iterator[Outcome]:
    """Each case read by every reader of its kind (or only by auto-detection), within the budget."""
    from fastapi import HTTPException

    from sessionsketch.errors import UserError
    from sessionsketch.web.uploads import ParseLimits, run_within_budget, warm_parser

    warm_parser()  # as the server does: the children inherit the loaded model
    limits = ParseLimits(seconds=seconds, memory_mb=memory_mb, concurrent=1)
    with tempfile.TemporaryDirectory() as tmp:
        for i, case in enumerate(cases):
            path = Path(tmp) / f"{i}-{case.filename}"
            path.write_bytes(case.data)
            for fmt in _targets(case.kind) if every_reader else [None]:
                target = f"{case.kind}:{fmt or 'auto'}"
                t0 = time.perf_counter()
                try:
                    m = run_within_budget(limits, case.filename, _read, case.kind, str(path), fmt)
                    yield Outcome(
                        "readers", case.name, target, m["result"], m["seconds"], m["memory_mb"], m["detail"]
                    )
                except UserError as exc:
                    result = (
                        "timeout"
                        if "took longer" in exc.message
                        else "memory"
                        if "MB to read" in exc.message
                        else "refused"
                    )
                    yield Outcome(
                        "readers", case.name, target, result, time.perf_counter() - t0, 0.0, str(exc)
                    )
                except HTTPException as exc:
                    yield Outcome(
                        "readers", case.name, target, "crash", time.perf_counter() - t0, 0.0, str(exc.detail)
                    )
            path.unlink()


# ---------------------------------------------------------------------- phase 2: the server


def _rss_kb(pid: int, field: str = "VmRSS:") -> int:
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith(field):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def _children(pid: int) -> list[int]:
    out: list[int] = []
    try:
        for tid in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{tid}/children") as f:
                out += [int(c) for c in f.read().split()]
    except OSError:
        pass
    return out


class Sampler:
    """Samples the server's resident memory and its parse children's, every few milliseconds."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.server_peak = 0
        self.child_peak = 0  # a child's growth over the server it was forked from
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> Sampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        while not self._stop.is_set():
            server = _rss_kb(self.pid)
            self.server_peak = max(self.server_peak, server)
            for child in _children(self.pid):
                self.child_peak = max(self.child_peak, _rss_kb(child) - server)
            time.sleep(0.005)


class Probe:
    """Another user: ``GET /api/conferences`` again and again; the slowest answer while it ran."""

    def __init__(self, base: str) -> None:
        import httpx

        self.client = httpx.Client(base_url=base, timeout=120)
        self.worst = 0.0
        self.failures = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> Probe:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self.client.close()

    def _run(self) -> None:
        while not self._stop.is_set():
            t0 = time.perf_counter()
            try:
                ok = self.client.get("/api/conferences").status_code == 200
            except Exception:
                ok = False
            self.worst = max(self.worst, time.perf_counter() - t0)
            self.failures += 0 if ok else 1
            time.sleep(0.02)


def wait_until_serving(base: str, proc: subprocess.Popen[bytes], seconds: float, step: float) -> None:
    """Poll ``base`` until the server answers; RuntimeError if it exits or ``seconds`` pass."""
    import httpx

    deadline = time.monotonic() + seconds
    while True:
        try:
            httpx.get(base + "/api/conferences", timeout=2)
            return
        except httpx.TransportError:
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("the server did not start") from None
            time.sleep(step)


@contextmanager
def running_server(data: Path, seconds: float, memory_mb: int) -> Iterator[tuple[str, int]]:
    import subprocess

    from sessionsketch.archive import open_archive
    from sessionsketch.archive.users import add_user
    from sessionsketch.web.process import free_port

    archive = open_archive(data)
    add_user(archive, "abuse", "abuse-bench-password")
    archive.close()
    port = free_port()
    args = [sys.executable, "-m", "sessionsketch", "serve", "--data", str(data), "--port", str(port)]
    args += ["--insecure-cookies", "--parse-timeout", str(seconds), "--parse-memory-mb", str(memory_mb)]
    proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)

    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_serving(base, proc, 60, 0.1)
        yield base, proc.pid
    finally:
        proc.terminate()
        try:
            proc.wait(20)
        except subprocess.TimeoutExpired:
            proc.kill()


def upload_everything(cases: list[Case], seconds: float, memory_mb: int) -> tuple[list[Outcome], list[str]]:
    import re

    import httpx

    outcomes: list[Outcome] = []
    lost: list[str] = []
    with (
        tempfile.TemporaryDirectory() as tmp,
        running_server(Path(tmp) / "data", seconds, memory_mb) as (base, pid),
    ):
        http = httpx.Client(base_url=base, timeout=300, headers={"Accept": "application/json"})
        page = http.get("/login", headers={"Accept": "text/html"}).text
        token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
        http.post("/login", data={"name": "abuse", "password": "abuse-bench-password", "csrf_token": token})
        token = http.get("/api/me").json()["csrf_token"]

        def session() -> int:
            r = http.post(
                "/workbench",
                data={"csrf_token": token},
                files={"programme_file": ("programme.yaml", (EXAMPLE / "programme.yaml").read_bytes())},
            )
            return int(r.json()["id"])

        # a draft made before the run: it must come out unchanged
        kept = session()
        http.post(
            f"/workbench/{kept}/transcript",
            data={"csrf_token": token, "version": 1},
            files={"transcript": ("transcript.json", (EXAMPLE / "transcript.json").read_bytes())},
        )
        before = http.get(f"/api/workbench/{kept}").json()
        scratch = session()

        def send(case: Case) -> tuple[httpx.Response, str]:
            files = {"files" if case.kind == "sketch" else "x": (case.filename, case.data)}
            if case.kind == "programme":
                return http.post(
                    "/workbench", data={"csrf_token": token}, files={"programme_file": files["x"]}
                ), "POST /workbench"
            if case.kind == "transcript":
                version = http.get(f"/api/workbench/{scratch}").json()["version"]
                r = http.post(
                    f"/workbench/{scratch}/transcript",
                    data={"csrf_token": token, "version": version},
                    files={"transcript": files["x"]},
                )
                return r, "POST /workbench/N/transcript"
            r = http.post("/import", data={"csrf_token": token}, files=files)
            if r.status_code == 202:  # follow the job to its end
                job = r.json()["url"]
                while (state := http.get(job).json())["status"] == "running":
                    time.sleep(0.05)
                entry = state["log"][0] if state["log"] else {}
                if "internal error" in (entry.get("message") or "") or "could not be read (" in (
                    entry.get("message") or ""
                ):
                    return httpx.Response(500, json={"detail": entry.get("message")}), "POST /import"
                status = 200 if entry.get("status") != "failed" else 400
                return httpx.Response(
                    status, json={"detail": entry.get("message") or entry.get("status")}
                ), "POST /import"
            return r, "POST /import"

        for case in cases:
            with Sampler(pid) as sampler, Probe(base) as probe:
                server_before = _rss_kb(pid)
                t0 = time.perf_counter()
                try:
                    r, route = send(case)
                    result, detail = str(r.status_code), (r.json().get("detail") if r.content else "") or ""
                except Exception as exc:  # the server went away
                    route, result, detail = "?", "crash", f"{type(exc).__name__}: {exc}"
                elapsed = time.perf_counter() - t0
            growth = max(sampler.server_peak - server_before, sampler.child_peak, 0) / 1024
            if "took longer" in str(detail):
                result = "timeout"
            outcomes.append(
                Outcome("server", case.name, route, result, elapsed, growth, str(detail)[:200], probe.worst)
            )
            if probe.failures:
                lost.append(f"{case.name}: the server did not answer another user {probe.failures} times")
        after = http.get(f"/api/workbench/{kept}").json()
        if (after["version"], after["transcript"]) != (before["version"], before["transcript"]):
            lost.append(f"draft {kept} changed during the run")
        http.close()
    return outcomes, lost


# ---------------------------------------------------------------------- the table


def summarise(outcomes: list[Outcome], phase: str, inputs: int, lost: list[str]) -> Row:
    row = Row(phase, inputs=inputs, lost=list(lost))
    for o in outcomes:
        if o.phase == phase:
            row.add(o)
    return row


def print_table(rows: list[Row]) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(title="sessionsketch under hostile input")
    for col in (
        "phase",
        "inputs",
        "tries",
        "worst time",
        "worst memory",
        "5xx / crashes",
        "timeouts",
        "lost",
        "slowest other GET",
    ):
        table.add_column(col)
    for r in rows:
        table.add_row(
            r.phase,
            str(r.inputs),
            str(r.tries),
            f"{r.worst_seconds:.2f} s ({r.worst_time_of})",
            f"+{r.worst_mb:.0f} MB ({r.worst_mb_of})",
            str(r.errors_5xx),
            str(r.timeouts),
            "; ".join(r.lost) or "nothing",
            f"{r.worst_probe_seconds:.2f} s" if r.worst_probe_seconds is not None else "—",
        )
    Console(width=200).print(table)


# ---------------------------------------------------------------------- issue 30: round two (ownership, load)

#: The bars of issue 30: no benign request over this while hostile inputs run ...
BAR_SECONDS = 2.0
#: ... and no process of the server growing by more than this.
BAR_MB = 200.0


@dataclass
class RoundTwo:
    """What the round-two phase saw: every request, the slowest, the largest growth, and what broke."""

    requests: list[dict[str, Any]] = field(default_factory=list)
    slowest_benign: float = 0.0
    slowest_benign_of: str = ""
    slowest_hostile: float = 0.0
    slowest_hostile_of: str = ""
    largest_mb: float = 0.0
    largest_mb_of: str = ""
    errors_5xx: int = 0
    lost: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def note(self, what: str, status: int, seconds: float, benign: bool) -> None:
        self.requests.append({"what": what, "status": status, "seconds": round(seconds, 3), "benign": benign})
        if status >= 500:
            self.errors_5xx += 1
        if benign and seconds > self.slowest_benign:
            self.slowest_benign, self.slowest_benign_of = seconds, what
        if not benign and seconds > self.slowest_hostile:
            self.slowest_hostile, self.slowest_hostile_of = seconds, what

    @property
    def passed(self) -> bool:
        return (
            not self.errors_5xx
            and not self.lost
            and self.slowest_benign <= BAR_SECONDS
            and self.largest_mb <= BAR_MB
        )


def _descendants(pid: int) -> list[int]:
    out, todo = [], [pid]
    while todo:
        kids = _children(todo.pop())
        out += kids
        todo += kids
    return out


class TreeSampler:
    """Every process of the server (supervisor, workers, parse children): the most any grew.

    A process's growth is its resident memory over what it had when first seen (a parse child
    is first seen at about its worker's size, as forked); workers that a supervisor starts
    during the phase (after one was killed) load the app and are reported apart, as restarts.
    """

    def __init__(self, root: int) -> None:
        self.root = root
        self.first: dict[int, int] = {}
        self.peak: dict[int, int] = {}
        self.restarted: set[int] = set()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        for p in [root, *_descendants(root)]:
            self.first[p] = _rss_kb(p)

    def __enter__(self) -> TreeSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        workers = set(_children(self.root))
        while not self._stop.is_set():
            for p in [self.root, *_descendants(self.root)]:
                rss = _rss_kb(p)
                if not rss:
                    continue
                if p not in self.first:
                    self.first[p] = rss
                    if p in _children(self.root) and p not in workers:
                        self.restarted.add(p)
                self.peak[p] = max(self.peak.get(p, 0), rss)
            time.sleep(0.01)

    def largest(self) -> tuple[float, str]:
        growth = [
            ((self.peak[p] - self.first[p]) / 1024, p)
            for p in self.peak
            if p not in self.restarted and p in self.first
        ]
        if not growth:
            return 0.0, ""
        mb, pid = max(growth)
        kind = "supervisor" if pid == self.root else ("worker" if pid in _children(self.root) else "child")
        return mb, f"pid {pid} ({kind})"


def _fill_archive(data: Path, sentences: int) -> None:
    """A fictional archive of ``sentences`` attributed sentences (50 a sketch), for the export phase."""
    import datetime as dt

    from sessionsketch.archive import open_archive
    from sessionsketch.model import Metadata, Paragraph, PersonRef, Sentence, Sketch

    archive = open_archive(data)
    words = ["the harbour", "their lamps", "this levy", "those ferries", "the tide tables", "three berths"]
    try:
        for n in range(sentences // 50):
            speaker = f"Speaker {n % 40} Quillfeather"
            body = [
                Sentence(
                    f"{speaker.split()[-1]} noted that {words[(n + i) % 6]} needed work {n}-{i}.", speaker
                )
                for i in range(50)
            ]
            sketch = Sketch(
                metadata=Metadata(
                    conference=f"Fictional Forum {2000 + n % 20}",
                    session=f"Session {n}",
                    date=dt.date(2000 + n % 20, 1 + n % 12, 1 + n % 28),
                    speakers=[PersonRef(speaker, "Harbour Institute")],
                ),
                paragraphs=[Paragraph(speaker=speaker, sentences=body)],
            )
            archive.publish(sketch, source_key=f"seed-{n}.json", user="seed")
    finally:
        archive.close()


def _report_md(speaker: str, said: str) -> bytes:
    """A fictional one-sentence sketch as the publishing writers make its Markdown."""
    import datetime as dt

    from sessionsketch.model import Metadata, Paragraph, PersonRef, Sentence, Sketch
    from sessionsketch.writers import render_bytes

    family = speaker.split()[-1]
    sketch = Sketch(
        metadata=Metadata(
            conference="Fictional Forum 2024",
            session="Harbour Fees",
            date=dt.date(2024, 5, 2),
            speakers=[PersonRef(speaker, "Harbour Institute")],
        ),
        paragraphs=[Paragraph(speaker=speaker, sentences=[Sentence(f"{family} {said}.", speaker)])],
    )
    return render_bytes(sketch, "md")


def _pdf_bomb(inflated_mb: int) -> bytes:
    """A one-page PDF whose content stream inflates to ``inflated_mb`` MB (built a megabyte at a time)."""
    import zlib

    packer = zlib.compressobj(9)
    chunk = b"BT /F1 1 Tf (a) Tj ET\n" * (1024 * 1024 // 22)
    stream = b"".join(packer.compress(chunk) for _ in range(inflated_mb)) + packer.flush()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.7\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 5\n0000000000 65535 f \n" + b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size 5 /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)


def _cli_peak(args: list[str]) -> tuple[int, float, float, str]:
    """Run ``sessionsketch ARGS``: exit status, seconds, its peak memory (MB), first line of stderr."""
    import subprocess

    with tempfile.TemporaryFile() as err:
        t0 = time.perf_counter()
        proc = subprocess.Popen(
            [sys.executable, "-m", "sessionsketch", *args], stdout=subprocess.DEVNULL, stderr=err
        )
        # its own high-water mark, read while it runs (getrusage would give this process's: a
        # child inherits its parent's maximum across fork and exec)
        peak = 0
        while proc.poll() is None:
            peak = max(peak, _rss_kb(proc.pid, "VmHWM:"))
            time.sleep(0.01)
        seconds = time.perf_counter() - t0
        err.seek(0)
        lines = [line for line in err.read().decode(errors="replace").splitlines() if line.strip()]
    return proc.returncode, seconds, peak / 1024, (lines or [""])[0]


def round_two(
    seconds: float, memory_mb: int, sentences: int = 100_000, uploads: int = 20, upload_mb: int = 19
) -> RoundTwo:
    """Issue 30's inputs against ``serve --workers 2``, while another user searches and lists.

    - two users import a file of the same name (``report.md``): the first one's sketch must not change;
    - ``uploads`` concurrent imports of ``upload_mb`` MB each (the server grew to 932 MB);
    - a PDF deflate bomb, through the web and through ``parse`` / ``archive import``;
    - four anonymous ``/search/export.csv?q=th*`` at once on a ``sentences``-sentence archive;
    - the worker running an import is killed: the job must end "failed", its parse children gone;
    - at the end the supervisor is SIGKILLed: no worker or parse child may outlive it.
    """
    import re
    import signal
    import subprocess
    from concurrent.futures import ThreadPoolExecutor

    import httpx

    from sessionsketch.archive import open_archive
    from sessionsketch.archive.users import add_user
    from sessionsketch.web.process import free_port

    out = RoundTwo()
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "data"
        t0 = time.perf_counter()
        _fill_archive(data, sentences)
        out.notes.append(f"archive of {sentences:,} sentences built in {time.perf_counter() - t0:.0f} s")
        archive = open_archive(data)
        for name in ("ada", "bo", "reader"):
            add_user(archive, name, "abuse-bench-password")
        archive.close()
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        proc = subprocess.Popen(
            [
                *(sys.executable, "-m", "sessionsketch", "serve", "--data", str(data), "--port", str(port)),
                *("--workers", "2", "--insecure-cookies", "--parse-timeout", str(seconds)),
                *("--parse-memory-mb", str(memory_mb)),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            wait_until_serving(base, proc, 120, 0.2)
            time.sleep(15)  # both workers load the parser in the background before the phase starts

            def login(name: str) -> tuple[httpx.Client, str]:
                c = httpx.Client(base_url=base, timeout=600, headers={"Accept": "application/json"})
                page = c.get("/login", headers={"Accept": "text/html"}).text
                token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
                c.post("/login", data={"name": name, "password": "abuse-bench-password", "csrf_token": token})
                return c, c.get("/api/me").json()["csrf_token"]

            def timed(what: str, benign: bool, call: Any) -> httpx.Response | None:
                t = time.perf_counter()
                try:
                    r = call()
                except Exception as exc:
                    out.note(what, 599, time.perf_counter() - t, benign)
                    out.notes.append(f"{what}: {type(exc).__name__}: {exc}")
                    return None
                out.note(what, r.status_code, time.perf_counter() - t, benign)
                return r

            def follow(c: httpx.Client, r: httpx.Response | None, bound: float = 600) -> dict[str, Any]:
                if r is None or r.status_code != 202:
                    return {"status": f"HTTP {r.status_code if r is not None else '?'}", "log": []}
                end = time.monotonic() + bound
                state: dict[str, Any] = {"status": "running", "log": []}
                while time.monotonic() < end:
                    try:  # a connection to a worker that was killed is reset: ask again
                        state = c.get(r.json()["url"]).json()
                    except httpx.TransportError:
                        time.sleep(0.2)
                        continue
                    if state["status"] != "running":
                        break
                    time.sleep(0.1)
                return state

            ada, ada_token = login("ada")
            bo, bo_token = login("bo")
            benign_stop = threading.Event()

            def benign_user() -> None:
                c = httpx.Client(base_url=base, timeout=600)
                i = 0
                while not benign_stop.is_set():
                    path = ("/api/conferences", "/api/search?q=harbour", "/search?q=lamps")[i % 3]
                    timed(f"benign GET {path}", True, lambda p=path: c.get(p))
                    i += 1
                    time.sleep(0.05)
                c.close()

            with TreeSampler(proc.pid) as sampler:
                watcher = threading.Thread(target=benign_user, daemon=True)
                watcher.start()

                # 1. two users, one file name
                mine = _report_md("Ada Quillfeather", "argued that the harbour fees should fall")
                theirs = _report_md("Bo Lantern", "argued that the harbour fees should rise")
                first = follow(
                    ada,
                    timed(
                        "import report.md (ada)",
                        False,
                        lambda: ada.post(
                            "/import", data={"csrf_token": ada_token}, files={"files": ("report.md", mine)}
                        ),
                    ),
                )
                a_id = (first["log"] or [{}])[0].get("sketch_id")
                a_before = ada.get(f"/api/sketches/{a_id}").json() if a_id else None
                second = follow(
                    bo,
                    timed(
                        "import report.md (bo)",
                        False,
                        lambda: bo.post(
                            "/import", data={"csrf_token": bo_token}, files={"files": ("report.md", theirs)}
                        ),
                    ),
                )
                b_id = (second["log"] or [{}])[0].get("sketch_id")
                a_after = ada.get(f"/api/sketches/{a_id}").json() if a_id else None
                if a_id is None or a_id == b_id or a_before != a_after:
                    out.lost.append(f"bo's report.md overwrote ada's (sketch {a_id}, bo's {b_id})")

                # 2. twenty concurrent 19 MB uploads
                pad = b"x" * (upload_mb * 1024 * 1024)
                big = b'{"metadata": {"conference": "Fictional"}, "paragraphs": [], "pad": "' + pad + b'"}'
                with ThreadPoolExecutor(uploads) as pool:
                    list(
                        pool.map(
                            lambda i: follow(
                                ada,
                                timed(
                                    f"import {upload_mb} MB #{i}",
                                    False,
                                    lambda: ada.post(
                                        "/import",
                                        data={"csrf_token": ada_token},
                                        files={"files": (f"big{i}.json", big)},
                                    ),
                                ),
                            ),
                            range(uploads),
                        )
                    )

                # 3. a PDF deflate bomb through the web
                bomb = _pdf_bomb(1500)
                state = follow(
                    ada,
                    timed(
                        "import PDF deflate bomb",
                        False,
                        lambda: ada.post(
                            "/import", data={"csrf_token": ada_token}, files={"files": ("bomb.pdf", bomb)}
                        ),
                    ),
                )
                out.notes.append(
                    f"web PDF bomb ({len(bomb) // 1024} KB): {(state['log'] or [{}])[0].get('message')}"
                )

                # 4. four anonymous exports of a broad prefix at once
                with ThreadPoolExecutor(4) as pool:
                    anon = [httpx.Client(base_url=base, timeout=600) for _ in range(4)]
                    list(
                        pool.map(
                            lambda c: timed(
                                "anonymous GET /search/export.csv?q=th*",
                                False,
                                lambda: c.get("/search/export.csv", params={"q": "th*"}),
                            ),
                            anon,
                        )
                    )
                    for c in anon:
                        c.close()

                # 5. kill the worker that runs an import
                slow = _long_sentences(32)
                r = timed(
                    "import 6 slow files",
                    False,
                    lambda: ada.post(
                        "/import",
                        data={"csrf_token": ada_token},
                        files=[("files", (f"slow{i}.md", slow)) for i in range(6)],
                    ),
                )
                if r is not None and r.status_code == 202:
                    job = int(r.json()["job"])
                    archive = open_archive(data)
                    try:
                        worker = archive._row("SELECT worker FROM imports WHERE id = ?", (job,))["worker"]
                        pid = int(worker.split(":")[1])
                    except Exception:  # a release that records no worker: the one with a parse child
                        pid = 0
                        end = time.monotonic() + 60
                        while not pid and time.monotonic() < end:
                            pid = next((w for w in _children(proc.pid) if _children(w)), 0)
                            time.sleep(0.02)
                        out.notes.append(f"no worker recorded for import {job}: pid {pid} has a parse child")
                    finally:
                        archive.close()
                    orphans = _descendants(pid)
                    os.kill(pid, signal.SIGKILL)
                    state = follow(ada, r, bound=120)
                    time.sleep(1)
                    alive = [p for p in orphans if _rss_kb(p)]
                    out.notes.append(
                        f"killed worker {pid} during import {job}: job {state['status']} "
                        f"({(state['log'] or [{}])[-1].get('message')}); its parse children left: {len(alive)}"
                    )
                    if state["status"] == "running":
                        out.lost.append(f"import {job} still running after its worker was killed")
                    if alive:
                        out.lost.append(f"parse children {alive} outlived their killed worker")
                benign_stop.set()
                watcher.join()
            out.largest_mb, out.largest_mb_of = sampler.largest()
            if sampler.restarted:
                out.notes.append(f"restarted workers (not counted): {sorted(sampler.restarted)}")

            # 6. SIGKILL the supervisor while a parse runs: nothing of it may go on
            threading.Thread(
                target=lambda: ada.post(
                    "/import",
                    data={"csrf_token": ada_token},
                    files=[("files", (f"slow{i}.md", _long_sentences(32))) for i in range(4)],
                ),
                daemon=True,
            ).start()
            time.sleep(2)
            tree = _descendants(proc.pid)
            proc.send_signal(signal.SIGKILL)
            proc.wait()
            time.sleep(3)
            left = [p for p in tree if _rss_kb(p)]
            for p in left:
                with contextlib.suppress(OSError), open(f"/proc/{p}/cmdline", "rb") as f:
                    command = f.read().replace(b"\0", b" ").decode(errors="replace")
                    out.notes.append(f"  left: pid {p}: {command[:160]}")
            out.notes.append(
                f"SIGKILL of the supervisor: {len(tree)} processes under it, {len(left)} left after 3 s"
            )
            if left:
                out.lost.append(f"processes {left} outlived the killed server")
                for p in left:
                    with contextlib.suppress(OSError):
                        os.kill(p, signal.SIGKILL)
            ada.close()
            bo.close()
        finally:
            if proc.poll() is None:
                proc.kill()

    # 7. the deflate bomb on the command line
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bomb.pdf"
        path.write_bytes(_pdf_bomb(1500))
        for args in (
            ["parse", str(path)],
            ["archive", "import", "-q", "--data", str(Path(tmp) / "d"), str(path)],
        ):
            code, took, peak, last = _cli_peak(args)
            out.notes.append(
                f"sessionsketch {args[0]} {args[1]} <bomb>: exit {code}, {took:.1f} s, peak {peak:.0f} MB: {last}"
            )
            if code not in (0, 2) or peak > 1024:
                out.lost.append(f"{args[0]} of a PDF bomb: exit {code}, peak {peak:.0f} MB")
    return out


def print_round_two(r: RoundTwo) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(title="issue 30, round two: serve --workers 2 under hostile load")
    for col in ("measure", "seen", "bar", "ok"):
        table.add_column(col)
    table.add_row("requests", str(len(r.requests)), "", "")
    table.add_row("5xx", str(r.errors_5xx), "0", "yes" if not r.errors_5xx else "NO")
    table.add_row(
        "slowest benign request",
        f"{r.slowest_benign:.2f} s ({r.slowest_benign_of})",
        f"≤ {BAR_SECONDS:g} s",
        "yes" if r.slowest_benign <= BAR_SECONDS else "NO",
    )
    table.add_row("slowest hostile request", f"{r.slowest_hostile:.2f} s ({r.slowest_hostile_of})", "", "")
    table.add_row(
        "largest process growth",
        f"+{r.largest_mb:.0f} MB ({r.largest_mb_of})",
        f"≤ +{BAR_MB:g} MB",
        "yes" if r.largest_mb <= BAR_MB else "NO",
    )
    table.add_row(
        "lost / overwritten", "; ".join(r.lost) or "nothing", "nothing", "yes" if not r.lost else "NO"
    )
    Console(width=200).print(table)
    for note in r.notes:
        print("  " + note)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--mutants", type=int, default=8, help="damaged copies of each seed file (default 8)")
    ap.add_argument("--scale", type=int, default=1, help="multiply the hostile inputs' size")
    ap.add_argument("--seconds", type=float, default=10.0, help="time budget of one read (default 10)")
    ap.add_argument("--memory-mb", type=int, default=512, help="memory budget of one read (default 512)")
    ap.add_argument("--no-server", action="store_true", help="only the readers")
    ap.add_argument("--json", type=Path, help="write the table and every request here")
    ap.add_argument(
        "--round-two", action="store_true", help="only issue 30's phase (ownership, load, killed workers)"
    )
    ap.add_argument("--sentences", type=int, default=100_000, help="archive size for the export phase")
    args = ap.parse_args(argv)
    if args.round_two:
        logging.getLogger("sessionsketch").setLevel(logging.ERROR)
        second = round_two(args.seconds, args.memory_mb, args.sentences)
        print_round_two(second)
        if args.json:
            from sessionsketch.files import write_atomic

            write_atomic(args.json, json.dumps(asdict(second), indent=1))
        return 0 if second.passed else 1
    logging.getLogger("sessionsketch").setLevel(logging.ERROR)  # the readers' warnings on damaged files

    cases = hostile_inputs(args.scale) + sniffing_and_label_inputs(args.scale) + damaged_inputs(args.mutants)
    outcomes = list(read_everything(cases, args.seconds, args.memory_mb))
    rows = [summarise(outcomes, "readers", len(cases), [])]
    if not args.no_server:
        served, lost = upload_everything(cases, args.seconds, args.memory_mb)
        outcomes += served
        rows.append(summarise(outcomes, "server", len(cases), lost))
    print_table(rows)
    second = None if args.no_server else round_two(args.seconds, args.memory_mb, args.sentences)
    if second is not None:
        print_round_two(second)
    if args.json:
        from sessionsketch.files import write_atomic

        doc: dict[str, Any] = {"rows": [asdict(r) for r in rows], "outcomes": [asdict(o) for o in outcomes]}
        if second is not None:
            doc["round_two"] = asdict(second)
        write_atomic(args.json, json.dumps(doc, indent=1))
    bad = any(r.errors_5xx or r.lost for r in rows) or (second is not None and not second.passed)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
