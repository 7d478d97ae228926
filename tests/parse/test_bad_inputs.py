"""Inputs that are not (readable) sketches: a clear one-line error, exit 2, no traceback."""

from __future__ import annotations

import io
import logging
import zipfile

import pytest

from sessionsketch.cli import run
from sessionsketch.errors import UserError
from sessionsketch.pipeline import parse_sketch, read_sketch


def _html_pdf(fictional, body: str) -> bytes:
    return fictional.weasyprint_module().HTML(string=f"<html><body>{body}</body></html>").write_pdf()


def _png() -> bytes:
    from PIL import Image, ImageDraw

    img = Image.new("RGB", (400, 200), "white")
    ImageDraw.Draw(img).text((20, 80), "a scanned page", fill="black")
    buf = io.BytesIO()
    img.save(buf, "PNG")
    return buf.getvalue()


@pytest.fixture(scope="module")
def scanned_pdf(tmp_path_factory, fictional):
    import base64

    uri = "data:image/png;base64," + base64.b64encode(_png()).decode()
    path = tmp_path_factory.mktemp("bad") / "scan.pdf"
    path.write_bytes(_html_pdf(fictional, f'<img src="{uri}" style="width:15cm">'))
    return path


def _cli(args, capsys) -> tuple[int, str]:
    code = run([str(a) for a in args])
    captured = capsys.readouterr()
    return code, captured.err


def _assert_one_line_exit_2(path, capsys, *words: str) -> None:
    code, err = _cli(["parse", path], capsys)
    assert code == 2
    lines = [ln for ln in err.strip().splitlines() if ln.strip()]
    assert len(lines) == 1, err
    assert "Traceback" not in err
    assert str(path) in lines[0]
    for w in words:
        assert w in lines[0]


def test_scanned_pdf_needs_ocr(scanned_pdf, capsys) -> None:
    with pytest.raises(UserError, match="OCR"):
        read_sketch(scanned_pdf)
    _assert_one_line_exit_2(scanned_pdf, capsys, "OCR")


def test_encrypted_pdf(fictional_files, tmp_path, capsys) -> None:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    for page in PdfReader(fictional_files["pdf"]).pages:
        writer.add_page(page)
    writer.encrypt(user_password="secret", owner_password="owner")
    path = tmp_path / "locked.pdf"
    with path.open("wb") as fh:
        writer.write(fh)
    with pytest.raises(UserError, match="encrypted"):
        read_sketch(path)
    _assert_one_line_exit_2(path, capsys, "encrypted")


@pytest.mark.parametrize("fraction", [0.5, 0.1])
def test_truncated_pdf(fictional_files, tmp_path, capsys, fraction) -> None:
    data = fictional_files["pdf"].read_bytes()
    path = tmp_path / "cut.pdf"
    path.write_bytes(data[: int(len(data) * fraction)])
    try:
        sketch = read_sketch(path)
    except UserError as exc:
        assert "truncated" in str(exc) or "no text" in str(exc)
        _assert_one_line_exit_2(path, capsys)
    else:  # PDFium may recover the pages before the cut: then what it read is a sketch
        assert sketch.metadata.session == "Harbours at Risk"


def test_pdf_that_is_not_a_sketch_parses_and_says_what_is_missing(tmp_path, caplog, fictional) -> None:
    path = tmp_path / "memo.pdf"
    path.write_bytes(
        _html_pdf(
            fictional,
            "<h1>Quarterly harbour memo</h1><p>The northern quay was repaired in March and the "
            "southern slipway will follow once the tides allow. Costs stayed within the budget.</p>",
        )
    )
    with caplog.at_level(logging.WARNING, logger="sessionsketch"):
        sketch = parse_sketch(path)
    assert sketch.sentences and sketch.sentences[0].text.startswith("The northern quay")
    assert all(s.speaker is None for s in sketch.sentences)
    warning = " ".join(r.getMessage() for r in caplog.records)
    for field in ("date", "rapporteur", "speakers"):
        assert field in warning


def test_docx_that_is_a_zip_of_something_else(tmp_path, capsys) -> None:
    path = tmp_path / "sketch.docx"
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("photos/harbour.txt", "not a Word document")
    path.write_bytes(buf.getvalue())
    with pytest.raises(UserError, match="not a Word document"):
        read_sketch(path)
    _assert_one_line_exit_2(path, capsys, "Word")


def test_truncated_docx(fictional_files, tmp_path, capsys) -> None:
    data = fictional_files["docx"].read_bytes()
    path = tmp_path / "cut.docx"
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(UserError):
        read_sketch(path)
    _assert_one_line_exit_2(path, capsys)


def test_missing_file(tmp_path, capsys) -> None:
    _assert_one_line_exit_2(tmp_path / "nowhere.pdf", capsys, "no such file")


def test_failed_output_leaves_nothing(fictional_files, tmp_path, capsys) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    code, _ = _cli(["parse", fictional_files["md"], "-o", blocker / "out.json"], capsys)
    assert code == 2
    assert not (blocker / "out.json").exists()


@pytest.mark.parametrize(
    "doc",
    [
        '{"paragraphs": [{"sentences": [5]}]}',
        '{"paragraphs": [7]}',
        '{"paragraphs": [{"sentences": [{"text": "x", "evidence": [{"turn": 1e400, "start": 0, "end": 1}]}]}]}',
        '{"paragraphs": [{"sentences": [{"text": "x", "evidence": [{"turn": 1, "start": 9, "end": 2}]}]}]}',
        '{"paragraphs": [{"sentences": [{"text": "x", "evidence": [{"turn": -1, "start": 0, "end": 2}]}]}]}',
    ],
)
def test_sketch_json_of_the_wrong_shape_is_one_line(doc: str, tmp_path, capsys) -> None:
    """The model's from_dict refuses what is not a sketch; the JSON reader says so in one line."""
    path = tmp_path / "odd.json"
    path.write_text(doc, encoding="utf-8")
    assert run(["parse", str(path)]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith(f"error: {path}: not a sketch") and "\n" not in err
