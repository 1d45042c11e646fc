#!/usr/bin/python3
"""Times Pillow's JPEG decode (libjpeg-turbo, one thread) of a file.

/usr/bin/python3 pillow_jpeg_decode.py FILE          -> "<median ms> <min ms> <PIL version>" (15 rounds of 20 decodes)
/usr/bin/python3 pillow_jpeg_decode.py FILE --serve  -> for every line N read from stdin, decodes N times and prints
                                                        the mean ms per decode (lets a caller interleave its own timings)
"""
import io
import statistics
import sys
import time

import PIL
from PIL import Image


def decode_ms(data: bytes, count: int) -> float:
    start = time.perf_counter()
    for _ in range(count):
        image = Image.open(io.BytesIO(data))
        image.load()
    return (time.perf_counter() - start) / count * 1000


def main() -> None:
    data = open(sys.argv[1], "rb").read()
    if "--serve" in sys.argv:
        print(PIL.__version__, flush=True)
        for line in sys.stdin:
            print(f"{decode_ms(data, int(line)):.4f}", flush=True)
        return
    per_decode = [decode_ms(data, 20) for _ in range(15)]
    print(f"{statistics.median(per_decode):.3f} {min(per_decode):.3f} {PIL.__version__}")


if __name__ == "__main__":
    main()
