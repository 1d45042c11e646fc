#!/usr/bin/python3
"""Makes the EXIF-orientation and WebP fixtures with Debian's python3-pil (Pillow 9.4).

exif/orientN.jpg  : a 24x16 asymmetric picture saved as JPEG (quality 95, 4:4:4) with EXIF orientation N (1..8);
exif/orientN.raw  : Pillow's ImageOps.exif_transpose of that file, RGB bytes (the expected upright pixels);
webp/NAME.webp    : the picture (32x24) saved by Pillow's libwebp: lossy (q80), lossless RGB and lossless RGBA;
webp/NAME.raw     : Pillow's decode of that file (RGB or RGBA bytes).
Run from this directory: /usr/bin/python3 make_exif_webp_fixtures.py
"""
import os
from PIL import Image, ImageOps

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.dirname(HERE)


def picture(w, h, alpha=False):
    img = Image.new("RGBA" if alpha else "RGB", (w, h))
    px = img.load()
    for y in range(h):
        for x in range(w):
            r = (x * 255) // (w - 1)
            g = (y * 255) // (h - 1)
            b = 230 if (x - w * 0.3) ** 2 + (y - h * 0.7) ** 2 < (h / 4) ** 2 else 20
            px[x, y] = (r, g, b, (x * 40 + y * 7) % 256) if alpha else (r, g, b)
    return img


def main():
    base = picture(24, 16)
    for n in range(1, 9):
        exif = Image.Exif()
        exif[0x0112] = n
        path = os.path.join(DATA, "exif", f"orient{n}.jpg")
        base.save(path, quality=95, subsampling=0, exif=exif.tobytes())
        with Image.open(path) as im:
            upright = ImageOps.exif_transpose(im).convert("RGB")
            with open(path[:-4] + ".raw", "wb") as f:
                f.write(upright.tobytes())
            print(path, im.size, "->", upright.size)

    rgb, rgba = picture(32, 24), picture(32, 24, alpha=True)
    for name, img, kw in [("lossy_q80", rgb, dict(quality=80)),
                          ("lossless_rgb", rgb, dict(lossless=True)),
                          ("lossless_rgba", rgba, dict(lossless=True))]:
        path = os.path.join(DATA, "webp", name + ".webp")
        img.save(path, **kw)
        with Image.open(path) as im:
            im.load()
            with open(path[:-5] + ".raw", "wb") as f:
                f.write(im.tobytes())
            print(path, im.mode, im.size)


if __name__ == "__main__":
    main()
