"""Issue 30, item 4: a PDF deflate bomb is refused on the command line too (exit 2, one line).

A 1 MB PDF whose compressed streams inflate to gigabytes made ``parse`` peak at 2.06 GB
and ``archive import`` at 2.15 GB (the web refuses it at its upload cap). Before PDFium
sees a PDF, its Flate streams are inflated a megabyte at a time and counted; past
``MAX_INFLATED_BYTES`` the file is refused. The bomb here is built a megabyte at a time, so
the test itself stays small.
"""

from __future__ import annotations

import zlib
from pathlib import Path

import pytest

from sessionsketch.cli import run
from sessionsketch.errors import UserError
from sessionsketch.pdf_limits import MAX_INFLATED_BYTES, refuse_pdf_bomb


def _deflated(size: int, passes: int = 1) -> bytes:
    """``size`` bytes of a PDF text operator run, deflated ``passes`` times, built without holding it."""
    data = b""
    chunk = b"BT /F1 1 Tf (a) Tj ET\n" * (1024 * 1024 // 22)
    packer = zlib.compressobj(9)
    parts = [packer.compress(chunk) for _ in range(size // len(chunk) + 1)]
    data = b"".join(parts) + packer.flush()
    for _ in range(passes - 1):
        data = zlib.compress(data, 9)
    return data


def _pdf(stream: bytes, filters: str) -> bytes:
    """A one-page PDF whose content stream is ``stream`` with ``/Filter filters``."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> >> >> >>",
        b"<< /Length %d /Filter %s >>\nstream\n" % (len(stream), filters.encode()) + stream + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.7\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


@pytest.fixture(scope="module")
def bomb(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("bomb") / "bomb.pdf"
    path.write_bytes(_pdf(_deflated(MAX_INFLATED_BYTES + 16 * 1024 * 1024), "/FlateDecode"))
    return path


def test_parse_refuses_a_deflate_bomb_in_one_line(bomb: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert bomb.stat().st_size < 2 * 1024 * 1024
    code = run(["parse", str(bomb)])
    err = capsys.readouterr().err
    lines = [line for line in err.strip().splitlines() if line.strip()]
    assert code == 2 and len(lines) == 1 and "Traceback" not in err, err
    assert str(bomb) in lines[0] and "inflate" in lines[0]


def test_archive_import_refuses_it_and_imports_nothing(
    bomb: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = run(["archive", "import", "-q", "--data", str(tmp_path / "data"), str(bomb)])
    err = capsys.readouterr().err
    assert code == 2 and "Traceback" not in err
    assert "inflate" in err


def test_a_double_deflated_bomb_is_counted_through_both_filters(tmp_path: Path) -> None:
    data = _pdf(_deflated(MAX_INFLATED_BYTES + 16 * 1024 * 1024, passes=2), "[/FlateDecode /FlateDecode]")
    with pytest.raises(UserError, match="inflate"):
        refuse_pdf_bomb(data, tmp_path / "double.pdf")


def test_an_ordinary_pdf_passes(tmp_path: Path) -> None:
    refuse_pdf_bomb(_pdf(_deflated(64 * 1024), "/FlateDecode"), tmp_path / "small.pdf")
    refuse_pdf_bomb(_pdf(b"BT /F1 12 Tf (a) Tj ET", "[]"), tmp_path / "plain.pdf")
    refuse_pdf_bomb(b"%PDF-1.4 stream garbage endstream", tmp_path / "odd.pdf")  # damaged: PDFium decides
