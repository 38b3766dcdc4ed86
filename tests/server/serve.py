#!/usr/bin/env python3
"""serve.py: the offline fixture web server for vigil's tests and demo.

Contract (tests/server/README.md has the long form):

    python3 tests/server/serve.py --root SITE_ROOT --state STATE_DIR [--max-seconds 900]

- Every directory SITE_ROOT/<site>/ is served on its own OS-chosen port on
  127.0.0.1, so each site is a distinct host:port for per-host politeness.
- When all sites listen it writes STATE_DIR/ports ("<site> <port>" lines),
  STATE_DIR/pid and, last, STATE_DIR/ready.
- STATE_DIR/phase holds the phase number N (missing = 1). A request for /p on
  site S serves SITE_ROOT/S/.phase<K>/p for the highest K, 2 <= K <= N, where
  it exists, else SITE_ROOT/S/p: phases build on each other. A path ending
  in "/" serves its index.html.
- Sidecars beside a served file F, each looked up with the same phase rule:
  F.status (status code; body = F if F exists, else a short text),
  F.headers (extra "Name: value" lines), F.delay (seconds to sleep first).
- Text files (by extension, or by a text Content-Type from F.headers for
  extension-less paths) get {{origin:SITE}} and {{port:SITE}} replaced at
  serve time, byte-level, so windows-1251 files stay intact.
- Every request is appended to STATE_DIR/requests.log, tab-separated:
  time(ms) site method path status user-agent if-none-match if-modified-since.
- Beyond the contract: 200 answers carry an ETag (SHA-1 of the served body)
  unless --no-etag; a request whose If-None-Match matches gets 304. A F.headers
  ETag or Last-Modified line replaces/adds the validator.
- F.hostile (a sidecar too) makes the answer misbehave, for the crawler's
  hostile-server tests: "reset N" (N body bytes of a longer
  Content-Length, then a TCP reset), "drip" (the body one byte a second),
  "huge-length" (Content-Length: 5000000000 and a short body, then close),
  "gzip-bomb N" (Content-Encoding: gzip of N zero bytes, N <= 64 MiB),
  "deflate-bomb N" (the same as Content-Encoding: deflate),
  "repeat N" (F, templated, repeated and cut to N bytes, N <= 64 MiB).
- SIGTERM/SIGINT stop it; so does --max-seconds.

Python 3 standard library only. A broken request never kills the server.
"""

import argparse
import hashlib
import http.server
import os
import re
import signal
import socket
import socketserver
import struct
import sys
import threading
import time
import urllib.parse
import zlib

TEXT_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".htm": "text/html; charset=utf-8",
    ".xml": "application/xml",
    ".rss": "application/rss+xml",
    ".atom": "application/atom+xml",
    ".txt": "text/plain; charset=utf-8",
    ".conf": "text/plain; charset=utf-8",
    ".json": "application/json",
    ".css": "text/css",
    ".js": "application/javascript",
}
BINARY_TYPES = {
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".ico": "image/x-icon",
    ".pdf": "application/pdf",
    ".gz": "application/gzip",
}
SIDECARS = (".status", ".headers", ".delay", ".hostile")
PLACEHOLDER = re.compile(rb"\{\{(origin|port):([A-Za-z0-9_.-]+)\}\}")
MAX_DELAY = 120.0
MAX_DRIP_SECONDS = 30
MAX_BOMB = 64 * 1024 * 1024


class Shared:
    """State every site's handler reads: roots, ports, the log lock."""

    def __init__(self, root, state, etag):
        self.root = root
        self.state = state
        self.etag = etag
        self.ports = {}
        self.log_lock = threading.Lock()

    def phase(self):
        try:
            with open(os.path.join(self.state, "phase"), "rb") as f:
                n = int(f.read().strip() or b"1")
            return n if n >= 1 else 1
        except (OSError, ValueError):
            return 1

    def render(self, data):
        def repl(m):
            port = self.ports.get(m.group(2).decode("ascii"))
            if port is None:
                return m.group(0)  # unknown site: leave visible, easier to debug
            if m.group(1) == b"port":
                return str(port).encode("ascii")
            return ("http://127.0.0.1:%d" % port).encode("ascii")
        return PLACEHOLDER.sub(repl, data)

    def log(self, site, method, path, status, ua, inm, ims):
        def clean(v):
            if v is None or v == "":
                return "-"
            return re.sub(r"[\t\r\n]", " ", str(v))
        line = "\t".join([
            "%.3f" % time.time(), clean(site), clean(method), clean(path),
            clean(status), clean(ua), clean(inm), clean(ims)]) + "\n"
        with self.log_lock:
            try:
                with open(os.path.join(self.state, "requests.log"), "a",
                          encoding="utf-8", errors="replace") as f:
                    f.write(line)
            except OSError as e:
                sys.stderr.write("serve.py: cannot write requests.log: %s\n" % e)


def is_text_type(ctype):
    t = ctype.split(";", 1)[0].strip().lower()
    return t.startswith("text/") or t.endswith("+xml") or t in (
        "application/xml", "application/json", "application/javascript")


def safe_parts(urlpath):
    """Split a URL path into file-system parts; None if it escapes or hides."""
    path = urllib.parse.unquote(urlpath.split("?", 1)[0].split("#", 1)[0])
    if "\x00" in path or "\\" in path:
        return None
    parts = [p for p in path.split("/") if p not in ("", ".")]
    for p in parts:
        # ".." escapes the root; ".phase2" and friends are internal.
        if p == ".." or p.startswith("."):
            return None
    if parts and parts[-1].endswith(SIDECARS):
        return None
    if path.endswith("/") or not parts:
        parts.append("index.html")
    return parts


def compressed_zeros(n, wbits):
    """n zero bytes compressed (wbits 31: gzip, 15: zlib "deflate"), made
    in pieces: a few KiB for MiBs."""
    z = zlib.compressobj(9, zlib.DEFLATED, wbits)
    chunk = bytes(1 << 20)
    out = []
    left = n
    while left > 0:
        out.append(z.compress(chunk[:min(left, len(chunk))]))
        left -= len(chunk)
    out.append(z.flush())
    return b"".join(out)


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "vigil-fixture/1.0"
    timeout = 30  # a silent client must not hold a thread forever

    def log_message(self, fmt, *args):  # quiet: requests.log is the record
        pass

    def do_GET(self):
        self.answer(send_body=True)

    def do_HEAD(self):
        self.answer(send_body=False)

    def find(self, site_dir, parts, suffix, phase):
        # Phases build on each other: the newest .phaseK (K <= N) that has
        # the file wins, else the base tree.
        rel = os.path.join(*parts) + suffix
        for k in range(phase, 1, -1):
            p = os.path.join(site_dir, ".phase%d" % k, rel)
            if os.path.isfile(p):
                return p
        p = os.path.join(site_dir, rel)
        return p if os.path.isfile(p) else None

    def is_dir(self, site_dir, parts, phase):
        rel = os.path.join(*parts)
        for k in range(phase, 1, -1):
            if os.path.isdir(os.path.join(site_dir, ".phase%d" % k, rel)):
                return True
        return os.path.isdir(os.path.join(site_dir, rel))

    def answer(self, send_body):
        shared = self.server.shared
        site = self.server.site
        status = 500
        try:
            status = self.respond(shared, site, send_body)
        except (BrokenPipeError, ConnectionResetError, TimeoutError):
            self.close_connection = True
        except Exception as e:  # never let a bad request kill the server
            sys.stderr.write("serve.py: %s %s: %r\n" % (site, self.path, e))
            self.close_connection = True
            try:
                self.send_plain(500, b"internal error\n", send_body)
            except Exception:
                pass
        finally:
            shared.log(site, self.command, self.path, status,
                       self.headers.get("User-Agent"),
                       self.headers.get("If-None-Match"),
                       self.headers.get("If-Modified-Since"))

    def send_plain(self, status, body, send_body, extra=()):
        self.send_response(status)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        for name, value in extra:
            self.send_header(name, value)
        self.end_headers()
        if send_body:
            self.wfile.write(body)

    def respond(self, shared, site, send_body):
        site_dir = os.path.join(shared.root, site)
        phase = shared.phase()
        parts = safe_parts(self.path)
        if parts is None:
            self.send_plain(404, b"not found\n", send_body)
            return 404
        # /p?Q is served from the file "p@Q" when one exists (Telegram's
        # ?before=N pages, ?embed=1 posts), else from p.
        query = urllib.parse.urlsplit(self.path).query
        if query and "/" not in query and "\x00" not in query:
            alt = parts[:-1] + [parts[-1] + "@" + query]
            if any(self.find(site_dir, alt, s, phase) for s in ("", ".status", ".headers")):
                parts = alt
        # A directory asked without its slash: redirect like a real server.
        if parts[-1] != "index.html" and self.is_dir(site_dir, parts, phase):
            q = urllib.parse.urlsplit(self.path)
            loc = q.path + "/" + ("?" + q.query if q.query else "")
            self.send_plain(301, b"moved\n", send_body, [("Location", loc)])
            return 301

        body_path = self.find(site_dir, parts, "", phase)
        status_path = self.find(site_dir, parts, ".status", phase)
        headers_path = self.find(site_dir, parts, ".headers", phase)
        delay_path = self.find(site_dir, parts, ".delay", phase)
        hostile_path = self.find(site_dir, parts, ".hostile", phase)

        if delay_path:
            try:
                with open(delay_path, "rb") as f:
                    delay = float(f.read().strip() or b"0")
                time.sleep(max(0.0, min(delay, MAX_DELAY)))
            except (OSError, ValueError):
                pass

        if hostile_path:
            with open(hostile_path, "rb") as f:
                words = f.read().decode("ascii", "replace").split()
            return self.misbehave(words, send_body, body_path, parts)

        status = 200
        if status_path:
            try:
                with open(status_path, "rb") as f:
                    status = int(f.read().split()[0])
                if not 100 <= status <= 599:
                    status = 500
            except (OSError, ValueError, IndexError):
                status = 500
        elif body_path is None:
            # The site's own "not found" page, when it has one.
            notfound = self.find(site_dir, ["404.html"], "", phase)
            if notfound is None:
                self.send_plain(404, b"not found\n", send_body)
                return 404
            body_path, status, parts = notfound, 404, ["404.html"]

        ext = os.path.splitext(parts[-1])[1].lower()
        if body_path is None:
            ctype = "text/plain; charset=utf-8"
        else:
            ctype = TEXT_TYPES.get(ext) or BINARY_TYPES.get(ext, "application/octet-stream")

        extra = []
        if headers_path:
            with open(headers_path, "rb") as f:
                raw = shared.render(f.read()).decode("utf-8", "replace")
            for line in raw.splitlines():
                if ":" not in line:
                    continue
                name, value = line.split(":", 1)
                name, value = name.strip(), value.strip()
                if not name:
                    continue
                if name.lower() == "content-type":
                    ctype = value
                elif name.lower() != "content-length":
                    extra.append((name, value))

        if body_path is not None:
            with open(body_path, "rb") as f:
                body = f.read()
            # An extension-less file (t.me/s/NAME) is text when F.headers says so.
            if ext in TEXT_TYPES or is_text_type(ctype):
                body = shared.render(body)
        else:
            body = ("%d %s\n" % (status, self.responses.get(status, ("",))[0])).encode()

        names = {n.lower() for n, _ in extra}
        if status == 200 and shared.etag and "etag" not in names:
            extra.append(("ETag", '"%s"' % hashlib.sha1(body).hexdigest()))
        etag = next((v for n, v in extra if n.lower() == "etag"), None)
        inm = self.headers.get("If-None-Match")
        if status == 200 and etag and inm:
            tags = [t.strip() for t in inm.split(",")]
            if etag in tags or "*" in tags or etag.removeprefix("W/") in tags:
                self.send_response(304)
                for name, value in extra:
                    self.send_header(name, value)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return 304

        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for name, value in extra:
            self.send_header(name, value)
        self.end_headers()
        if send_body and status not in (204, 304) and status >= 200:
            self.wfile.write(body)
        return status

    def misbehave(self, words, send_body, body_path, parts):
        """The F.hostile behaviours; returns the status to log."""
        what = words[0] if words else ""
        arg = int(words[1]) if len(words) > 1 and words[1].isdigit() else 0
        self.close_connection = True
        if what == "repeat":
            with open(body_path, "rb") as f:
                unit = self.server.shared.render(f.read()) or b" "
            size = min(arg, MAX_BOMB)
            body = (unit * (size // len(unit) + 1))[:size]
            ext = os.path.splitext(parts[-1])[1].lower()
            self.send_response(200)
            self.send_header("Content-Type", TEXT_TYPES.get(ext, "application/octet-stream"))
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if send_body:
                self.wfile.write(body)
            return 200
        if what in ("gzip-bomb", "deflate-bomb"):
            gzip = what == "gzip-bomb"
            body = compressed_zeros(min(arg or (16 << 20), MAX_BOMB), 31 if gzip else 15)
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Encoding", "gzip" if gzip else "deflate")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if send_body:
                self.wfile.write(body)
            return 200
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        if what == "reset":
            self.send_header("Content-Length", str(max(arg, 1) * 10))
            self.end_headers()
            self.wfile.write(b"<p>" + b"x" * max(arg - 3, 0))
            self.wfile.flush()
            # SO_LINGER 0: close() sends RST instead of FIN.
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                                       struct.pack("ii", 1, 0))
            self.connection.close()
            return 200
        if what == "huge-length":
            self.send_header("Content-Length", "5000000000")
            self.end_headers()
            self.wfile.write(b"<p>short</p>\n")
            return 200
        if what == "drip":
            self.send_header("Content-Length", str(MAX_DRIP_SECONDS))
            self.end_headers()
            for _ in range(MAX_DRIP_SECONDS):
                self.wfile.write(b"x")
                self.wfile.flush()
                time.sleep(1)
            return 200
        raise ValueError("unknown .hostile behaviour %r" % what)


class SiteServer(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 64

    def __init__(self, shared, site):
        self.shared = shared
        self.site = site
        super().__init__(("127.0.0.1", 0), Handler)

    def handle_error(self, request, client_address):
        # Default prints a traceback per reset connection; one line is enough.
        sys.stderr.write("serve.py: %s: error from %s: %r\n"
                         % (self.site, client_address, sys.exc_info()[1]))


def write_atomic(path, text):
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(text)
    os.replace(tmp, path)


def main():
    ap = argparse.ArgumentParser(description="vigil fixture web server")
    ap.add_argument("--root", required=True, help="directory of site directories")
    ap.add_argument("--state", required=True, help="state directory (ports, pid, ready, phase, requests.log)")
    ap.add_argument("--max-seconds", type=float, default=900.0)
    ap.add_argument("--no-etag", action="store_true", help="do not send ETag / answer 304")
    args = ap.parse_args()

    root = os.path.abspath(args.root)
    state = os.path.abspath(args.state)
    if not os.path.isdir(root):
        sys.stderr.write("serve.py: %s: not a directory\n" % root)
        return 1
    os.makedirs(state, exist_ok=True)
    for name in ("ready", "ports", "pid"):
        try:
            os.unlink(os.path.join(state, name))
        except FileNotFoundError:
            pass

    sites = sorted(d for d in os.listdir(root)
                   if not d.startswith(".") and os.path.isdir(os.path.join(root, d)))
    if not sites:
        sys.stderr.write("serve.py: %s: no site directories\n" % root)
        return 1

    shared = Shared(root, state, not args.no_etag)
    servers = []
    for site in sites:
        srv = SiteServer(shared, site)
        shared.ports[site] = srv.server_address[1]
        servers.append(srv)
    for srv in servers:
        threading.Thread(target=srv.serve_forever, kwargs={"poll_interval": 0.2},
                         name="site-" + srv.site, daemon=True).start()

    stop = threading.Event()

    def on_signal(signum, frame):
        stop.set()
    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)

    write_atomic(os.path.join(state, "ports"),
                 "".join("%s %d\n" % (s, shared.ports[s]) for s in sites))
    write_atomic(os.path.join(state, "pid"), "%d\n" % os.getpid())
    write_atomic(os.path.join(state, "ready"), "ready\n")

    deadline = time.monotonic() + args.max_seconds
    while not stop.is_set():
        left = deadline - time.monotonic()
        if left <= 0:
            sys.stderr.write("serve.py: stopping after --max-seconds %g\n" % args.max_seconds)
            break
        stop.wait(min(left, 0.5))

    for srv in servers:
        srv.shutdown()
        srv.server_close()
    for name in ("ready", "pid"):
        try:
            os.unlink(os.path.join(state, name))
        except OSError:
            pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
