"""The review page in a real headless browser (Debian's ``chromium``): it renders,
paints the facts' colours, and its DOM holds the facts. Skipped only where no
chromium is installed (``make test`` must pass on a machine without a browser)."""
from __future__ import annotations

import colorsys
import re
import shutil
import struct
import subprocess
import zlib
from collections import Counter
from pathlib import Path

import pytest

from pipeline.report import render_article
from test_report import TEXT, example_document

WIDTH, HEIGHT = 1200, 900


def find_chromium() -> str | None:
    found = shutil.which("chromium")
    if found:
        return found
    return "/usr/bin/chromium" if Path("/usr/bin/chromium").is_file() else None


CHROMIUM = find_chromium()
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="chromium not installed: apt-get install chromium")


def run_chromium(tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    command = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
               "--disable-background-networking", "--disable-component-update", "--disable-sync",
               "--hide-scrollbars", "--force-device-scale-factor=1",
               f"--user-data-dir={tmp_path / 'profile'}", f"--window-size={WIDTH},{HEIGHT}", *args]
    return subprocess.run(command, capture_output=True, timeout=60, cwd=tmp_path)


def read_png(data: bytes) -> tuple[int, int, list[bytes]]:
    """Width, height and unfiltered RGB(A) rows of an 8-bit truecolour PNG (stdlib only)."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG file"
    pos, idat, header = 8, b"", None
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        assert zlib.crc32(kind + body) == struct.unpack(">I", data[pos + 8 + length:pos + 12 + length])[0]
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    width, height, depth, colour_type, _, _, interlace = header
    assert depth == 8 and colour_type in (2, 6) and interlace == 0, f"unexpected PNG format {header}"
    channels = 3 if colour_type == 2 else 4
    raw = zlib.decompress(idat)
    stride = width * channels
    rows, previous = [], bytearray(stride)
    for y in range(height):
        kind = raw[y * (stride + 1)]
        row = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        unfilter(kind, row, previous, channels)
        rows.append(bytes(row))
        previous = row
    return width, height, [r if channels == 3 else drop_alpha(r) for r in rows]


def unfilter(kind: int, row: bytearray, up: bytearray, bpp: int) -> None:
    if kind == 0:
        return
    if kind == 2:
        row[:] = bytes((a + b) & 0xFF for a, b in zip(row, up))
        return
    for i in range(len(row)):
        left = row[i - bpp] if i >= bpp else 0
        if kind == 1:
            row[i] = (row[i] + left) & 0xFF
        elif kind == 3:
            row[i] = (row[i] + (left + up[i]) // 2) & 0xFF
        elif kind == 4:
            upper_left = up[i - bpp] if i >= bpp else 0
            p = left + up[i] - upper_left
            pa, pb, pc = abs(p - left), abs(p - up[i]), abs(p - upper_left)
            predictor = left if pa <= pb and pa <= pc else up[i] if pb <= pc else upper_left
            row[i] = (row[i] + predictor) & 0xFF
        else:
            raise AssertionError(f"bad PNG filter type {kind}")


def drop_alpha(row: bytes) -> bytes:
    return bytes(b for i, b in enumerate(row) if i % 4 != 3)


def css_hsl(hue: float, saturation: float, lightness: float) -> tuple[int, int, int]:
    r, g, b = colorsys.hls_to_rgb(hue / 360, lightness, saturation)
    return round(r * 255), round(g * 255), round(b * 255)


def near(pixel: tuple[int, int, int], colour: tuple[int, int, int], tolerance: int = 4) -> bool:
    return all(abs(a - b) <= tolerance for a, b in zip(pixel, colour))


@pytest.fixture(scope="module")
def report_file(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("report") / "report.html"
    path.write_text(render_article(TEXT, example_document()), encoding="utf-8")
    return path


def test_screenshot_shows_the_page_with_its_facts_painted(report_file, tmp_path):
    shot = tmp_path / "shot.png"
    result = run_chromium(tmp_path, f"--screenshot={shot}", report_file.as_uri())
    assert shot.is_file(), f"no screenshot; chromium said: {result.stderr.decode(errors='replace')[-500:]}"
    width, height, rows = read_png(shot.read_bytes())
    assert (width, height) == (WIDTH, HEIGHT)
    pixels = Counter(tuple(row[i:i + 3]) for row in rows for i in range(0, len(row), 3))
    assert len(pixels) > 50, "the page is (nearly) one colour: nothing rendered"
    assert pixels.most_common(1)[0][1] < 0.9 * width * height
    # the header band and the first fact's value colour (hsl(0,85%,78%)) are painted
    assert pixels[(0x24, 0x32, 0x4A)] > 1000
    first_value = css_hsl(0, 0.85, 0.78)
    assert sum(n for colour, n in pixels.items() if near(colour, first_value)) > 200


def test_rendered_dom_holds_the_facts_and_no_live_script(report_file, tmp_path):
    result = run_chromium(tmp_path, "--dump-dom", report_file.as_uri())
    dom = result.stdout.decode("utf-8")
    assert "</html>" in dom, f"no DOM dumped; chromium said: {result.stderr.decode(errors='replace')[-500:]}"
    for fact in example_document().facts:
        assert re.search(rf'<mark class="fv[^"]*"[^>]*>{re.escape(fact.value.text)}<', dom)
    for normalised in ("5,000,000", "320,000,000 CNY", "25%", "18,000"):
        assert normalised in dom
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in dom
    assert not re.search(r"<script", dom, re.I)
