#!/usr/bin/python3
"""Makes the small seed JPEGs of the JPEG fuzz test (TestData/jpeg/fuzz/) and reject_cmyk_16x16.jpg.

Run from anywhere: /usr/bin/python3 tools/make_fuzz_seeds.py. Needs Debian's libjpeg-turbo-progs (djpeg, cjpeg)
and python3-pil. Each seed is a 40x30 crop of two_hands_tfjs.jpg re-encoded with one cjpeg configuration, so the
fuzzer mutates every code path: baseline, progressive, restart intervals, grayscale, each subsampling.
A seed with an EXIF orientation (APP1) is assembled by hand to cover the EXIF parser.
"""
import io
import pathlib
import struct
import subprocess

from PIL import Image

HERE = pathlib.Path(__file__).resolve().parent.parent
SEEDS = {
    "baseline420.jpg": ["-quality", "75", "-sample", "2x2"],
    "baseline444_restart.jpg": ["-quality", "90", "-sample", "1x1", "-restart", "1B"],
    "baseline422_optimize.jpg": ["-quality", "60", "-sample", "2x1", "-optimize"],
    "baseline440.jpg": ["-quality", "75", "-sample", "1x2"],
    "baseline411.jpg": ["-quality", "75", "-sample", "4x1"],
    "progressive420.jpg": ["-quality", "80", "-progressive"],
    "progressive444_restart.jpg": ["-quality", "80", "-progressive", "-sample", "1x1", "-restart", "2B"],
    "gray_progressive.jpg": ["-quality", "80", "-grayscale", "-progressive"],
    "gray.jpg": ["-quality", "80", "-grayscale"],
}


def main() -> None:
    full = subprocess.run(["djpeg", "-ppm", str(HERE / "two_hands_tfjs.jpg")], check=True, capture_output=True).stdout
    crop = Image.open(io.BytesIO(full)).crop((300, 150, 340, 180))
    ppm = io.BytesIO()
    crop.save(ppm, format="PPM")
    out = HERE / "fuzz"
    out.mkdir(exist_ok=True)
    for name, switches in SEEDS.items():
        data = subprocess.run(["cjpeg", *switches], input=ppm.getvalue(), check=True, capture_output=True).stdout
        (out / name).write_bytes(data)

    # EXIF orientation 6 (big-endian TIFF, one IFD entry) inserted after SOI of the baseline seed.
    tiff = b"MM" + struct.pack(">HI", 42, 8) + struct.pack(">H", 1) + struct.pack(">HHIHH", 0x0112, 3, 1, 6, 0) + struct.pack(">I", 0)
    app1 = b"Exif\0\0" + tiff
    base = (out / "baseline420.jpg").read_bytes()
    (out / "exif_orientation6.jpg").write_bytes(base[:2] + b"\xff\xe1" + struct.pack(">H", len(app1) + 2) + app1 + base[2:])

    # A 16x16 Adobe CMYK JPEG (Pillow's encoder), which the decoder must reject with a clear message.
    cmyk = io.BytesIO()
    crop.crop((0, 0, 16, 16)).convert("CMYK").save(cmyk, format="JPEG", quality=90)
    (HERE / "reject_cmyk_16x16.jpg").write_bytes(cmyk.getvalue())


if __name__ == "__main__":
    main()
