#!/usr/bin/env python3
"""Loopback-only HTTP server for generate.sh: serves the reference page, the @mediapipe/hands package files and
the photos, and writes the JSON results the page POSTs back. Exits after POST /done (or on timeout)."""
import json
import os
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlparse, parse_qs

PORT, PACKAGE_DIR, IMAGE_DIR, OUT_DIR, PAGE = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5]
TYPES = {".js": "text/javascript", ".wasm": "application/wasm", ".html": "text/html", ".json": "application/json",
         ".jpg": "image/jpeg", ".png": "image/png"}
failed = []


class Handler(BaseHTTPRequestHandler):
    def log_message(self, fmt, *args):  # keep stdout quiet; errors still reach stderr via send_error
        pass

    def _send(self, code, body, ctype="text/plain"):
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        path = urlparse(self.path).path
        if path in ("/", "/index.html"):
            file = PAGE
        elif path == "/images.json":
            names = sorted(n for n in os.listdir(IMAGE_DIR) if n.lower().endswith((".jpg", ".png")))
            return self._send(200, json.dumps(names).encode(), "application/json")
        elif path.startswith("/mp/"):
            file = os.path.join(PACKAGE_DIR, os.path.basename(path))
        elif path.startswith("/img/"):
            file = os.path.join(IMAGE_DIR, os.path.basename(path))
        else:
            return self._send(404, b"not found")
        if not os.path.isfile(file):
            return self._send(404, b"not found")
        with open(file, "rb") as f:
            body = f.read()
        self._send(200, body, TYPES.get(os.path.splitext(file)[1], "application/octet-stream"))

    def do_POST(self):
        url = urlparse(self.path)
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        if url.path == "/result":
            name = os.path.basename(parse_qs(url.query)["name"][0])
            doc = json.loads(body)
            doc["generator"] = json.loads(os.environ.get("MP_REFERENCE_META", "{}"))
            with open(os.path.join(OUT_DIR, name), "w") as f:
                json.dump(doc, f, indent=1)
                f.write("\n")
            print(f"wrote {name}", file=sys.stderr)
        elif url.path == "/log":
            print("page:", body.decode(errors="replace"), file=sys.stderr)
        elif url.path == "/fail":
            failed.append(body.decode(errors="replace"))
            print("page FAILED:", failed[-1], file=sys.stderr)
            threading.Thread(target=self.server.shutdown).start()
        elif url.path == "/done":
            threading.Thread(target=self.server.shutdown).start()
        self._send(200, b"ok")


server = ThreadingHTTPServer(("127.0.0.1", PORT), Handler)
timer = threading.Timer(float(os.environ.get("MP_REFERENCE_TIMEOUT", "900")), server.shutdown)
timer.start()
server.serve_forever()
timer.cancel()
sys.exit(1 if failed else 0)
