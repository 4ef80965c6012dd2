"""Make the small pictures in fixtures/pictures/ (run once; the files are committed).

The photos are drawn, not taken: smooth colour fields with a little noise, so they compress
like photos (a few KB as JPEG) and render as clearly coloured areas a test can find on a
rendered page. The broken ones (a truncated JPEG, an SVG, text named .png, a PNG bomb)
are what the safety tests feed the picture check.
"""

from __future__ import annotations

import random
import struct
import zlib
from pathlib import Path

from PIL import Image, ImageDraw

OUT = Path(__file__).resolve().parent.parent / "fixtures" / "pictures"


def photo(width: int, height: int, seed: int) -> Image.Image:
    rng = random.Random(seed)
    image = Image.new("RGB", (width, height))
    pixels = image.load()
    for y in range(height):
        for x in range(width):
            noise = rng.randint(-8, 8)
            pixels[x, y] = (
                max(0, min(255, 40 + x * 200 // width + noise)),
                max(0, min(255, 60 + noise)),
                max(0, min(255, 230 - y * 120 // height + noise)),
            )
    draw = ImageDraw.Draw(image)
    draw.ellipse(
        (width // 3, height // 4, width // 3 + height // 2, height * 3 // 4), fill=(240, 200, 40)
    )
    return image


def png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def bomb(side: int = 20000) -> bytes:
    """A valid one-colour PNG of side × side pixels (1 bit each): tiny on disk, 400 megapixels."""
    row = b"\x00" + b"\x00" * (side // 8)
    packer = zlib.compressobj(9)
    data = b"".join(packer.compress(row) for _ in range(side)) + packer.flush()
    header = struct.pack(">IIBBBBB", side, side, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + png_chunk(b"IHDR", header)
        + png_chunk(b"IDAT", data)
        + png_chunk(b"IEND", b"")
    )


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    harbour = photo(480, 300, 1)
    harbour.save(OUT / "harbour.jpg", quality=80)
    # A camera photo stored sideways: EXIF orientation 6 (rotate 90° clockwise to view),
    # with camera metadata and GPS that must not travel into the outputs.
    exif = Image.Exif()
    exif[0x0112] = 6
    exif[0x010F] = "ExampleCam"
    exif[0x0110] = "Model X"
    photo(200, 320, 2).save(OUT / "sideways.jpg", quality=80, exif=exif)
    chart = Image.new("RGBA", (240, 160), (0, 0, 0, 0))
    draw = ImageDraw.Draw(chart)
    for i, height in enumerate((60, 110, 80, 140)):
        draw.rectangle((20 + i * 55, 150 - height, 60 + i * 55, 150), fill=(20, 120, 200, 255))
    chart.save(OUT / "chart.png")
    photo(120, 80, 3).convert("P", palette=Image.Palette.ADAPTIVE).save(OUT / "flag.gif")
    photo(160, 100, 4).save(OUT / "tile.webp", quality=80)
    data = (OUT / "harbour.jpg").read_bytes()
    (OUT / "truncated.jpg").write_bytes(data[: len(data) // 2])
    (OUT / "drawing.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" '
        'height="10"/></svg>\n'
    )
    (OUT / "not-a-picture.png").write_text("This is a text file with a picture's name.\n")
    (OUT / "bomb.png").write_bytes(bomb())


if __name__ == "__main__":
    main()
