#!/usr/bin/python3
"""Times Pillow's JPEG decode (libjpeg-turbo, one thread) of a file: median of 15 rounds of 20 decodes, in ms.

Usage: /usr/bin/python3 pillow_jpeg_decode.py FILE  -> prints "<median ms> <min ms> <PIL version>".
"""
import io
import statistics
import sys
import time

import PIL
from PIL import Image


def main() -> None:
    data = open(sys.argv[1], "rb").read()
    per_decode = []
    for _ in range(15):
        start = time.perf_counter()
        for _ in range(20):
            image = Image.open(io.BytesIO(data))
            image.load()
        per_decode.append((time.perf_counter() - start) / 20 * 1000)
    print(f"{statistics.median(per_decode):.3f} {min(per_decode):.3f} {PIL.__version__}")


if __name__ == "__main__":
    main()
