"""Files an attacker uploads: a GIF that is also JavaScript, a PNG that is also a page, a decompression bomb."""

import io
import struct
import zlib

from PIL import Image

from tests.factories import png_bytes

SCRIPT = b"window.__pwned=1"


def gif_js_polyglot(script: bytes = SCRIPT) -> bytes:
    """A GIF that Pillow reads and that is also JavaScript setting `window.__pwned`.

    Its width, 0x2A2F, is written `/*`: the binary that follows is a JS comment, closed by a GIF comment block that
    runs the script and reopens the comment; a last comment block `*///` hides the GIF's closing bytes."""
    buffer = io.BytesIO()
    Image.new("P", (0x2A2F, 1), 0).save(buffer, "GIF")
    data = b"GIF89a" + buffer.getvalue()[6:]
    packed = data[10]
    start = 13 + (3 * 2 ** ((packed & 7) + 1) if packed & 0x80 else 0)  # after the global colour table

    def comment(text: bytes) -> bytes:
        return b"\x21\xfe" + bytes([len(text)]) + text + b"\x00"

    return data[:start] + comment(b"*/=" + script + b";/*") + data[start:-1] + comment(b"*///") + b";"


def png_then_html(script_src: str = "") -> bytes:
    page = f'<!doctype html><html><body><script src="{script_src}"></script></body></html>'
    return png_bytes() + page.encode()


def png_bomb(width: int = 13_000, height: int = 13_000) -> bytes:
    """A valid 1-bit PNG of width by height pixels, a few kilobytes of zeros that inflate to gigabytes once decoded."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    row = b"\x00" * (1 + (width + 7) // 8)
    compressor = zlib.compressobj(9)
    idat = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")
