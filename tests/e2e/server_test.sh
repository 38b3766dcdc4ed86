#!/usr/bin/env bash
# server_test.sh [BUILD]: self-test of the fixture server (tests/server/).
# Builds a throw-away site root, starts serve.py through tests/server/lib.sh
# and checks the contract: templates, sidecars, phases, requests.log,
# robustness, stop.
# BUILD is accepted (tests/run.sh passes it) and not used.
# Prints "N passed, N failed"; exits 1 on a failure.
set -u
. "$(dirname "$0")/lib.sh"
e2e_tmpdir server

root=$tmp/root
mkdir -p "$root/a/news" "$root/a/.phase2/news" "$root/b/dir"
printf '<a href="{{origin:b}}/x.html">b</a> port={{port:a}} keep={{origin:nosuch}}\n' >"$root/a/index.html"
printf 'version one\n' >"$root/a/news/1.html"
printf 'version two\n' >"$root/a/.phase2/news/1.html"
printf 'gone soon\n' >"$root/a/news/2.html"
printf '410\n' >"$root/a/.phase2/news/2.html.status"
# phase 3 builds on phase 2: 1.html stays at version two, 2.html is back,
# and a missing page gets the site's own 404.html from phase 3 on.
mkdir -p "$root/a/.phase3/news"
printf '200\n' >"$root/a/.phase3/news/2.html.status"
printf '<p>nothing here</p>\n' >"$root/a/.phase3/404.html"
printf '410\n' >"$root/a/dead.html.status"
printf '\xcf\xf0\xe0\xe2\xee {{origin:a}}\n' >"$root/a/cp.html"   # "Право" in windows-1251
printf 'Content-Type: text/html; charset=windows-1251\nX-Test: {{port:b}}\n' >"$root/a/cp.html.headers"
printf '0.3\n' >"$root/a/slow.txt.delay"
printf 'slow\n' >"$root/a/slow.txt"
printf '<rss/>\n' >"$root/a/feed.rss"
printf 'b home\n' >"$root/b/dir/index.html"
printf 'secret\n' >"$root/a/news/1.html.headers.bak"
mkdir -p "$root/a/s"
printf '<p>{{origin:a}}</p>\n' >"$root/a/s/chan"
printf 'Content-Type: text/html; charset=utf-8\n' >"$root/a/s/chan.headers"

if ! fixture_start "$root" "$state"; then
	bad "fixture_start failed"
	finish
fi
ok
check_eq "ready file" "$(cat "$state/ready" 2>/dev/null)" "ready"
check_eq "pid file is the server" "$(kill -0 "$(cat "$state/pid")" 2>/dev/null && echo alive)" "alive"
check_eq "ports has two sites" "$(wc -l <"$state/ports")" "2"
A=$(fixture_origin "$state" a)
B=$(fixture_origin "$state" b)
portb=$(fixture_port "$state" b)
porta=$(fixture_port "$state" a)
check_has "origin a" "$A" "http://127.0.0.1:"
[ "$A" != "$B" ] && ok || bad "sites share a port"
fixture_origin "$state" nosuch >/dev/null 2>&1 && bad "unknown site has an origin" || ok

# A tiny HTTP client (curl is not among the build dependencies):
#   fetch_url.py MODE URL [HEADER: VALUE]...   MODE: body | code | head | headsize
# The path is sent exactly as given; redirects are not followed.
cat >"$tmp/fetch_url.py" <<'EOF2'
import http.client, sys, urllib.parse
mode, url = sys.argv[1], sys.argv[2]
u = urllib.parse.urlsplit(url)
path = url[len(u.scheme) + 3 + len(u.netloc):] or "/"
conn = http.client.HTTPConnection(u.hostname, u.port, timeout=10)
headers = {"User-Agent": "vigil-test/1"}
for h in sys.argv[3:]:
    k, v = h.split(":", 1)
    headers[k.strip()] = v.strip()
conn.request("HEAD" if mode.startswith("head") else "GET", path, headers=headers)
r = conn.getresponse()
body = r.read()
if mode == "body":
    sys.stdout.buffer.write(body)
elif mode == "code":
    print(r.status)
elif mode == "head":
    for k, v in r.getheaders():
        print("%s: %s" % (k, v))
elif mode == "headsize":
    print(len(body))
EOF2
get() { python3 "$tmp/fetch_url.py" body "$@"; }
code() { python3 "$tmp/fetch_url.py" code "$@"; }
head_of() { python3 "$tmp/fetch_url.py" head "$@"; }

body=$(get "$A/")
check_eq "templated index" "$body" "<a href=\"$B/x.html\">b</a> port=$porta keep={{origin:nosuch}}"
check_has "content-type html" "$(head_of "$A/")" "Content-Type: text/html; charset=utf-8"
check_has "content-type rss" "$(head_of "$A/feed.rss")" "application/rss+xml"
check_has "content-length" "$(head_of "$A/news/1.html")" "Content-Length: 12"
check_eq "phase 1 page" "$(get "$A/news/1.html")" "version one"
check_eq "phase 1 page 2" "$(code "$A/news/2.html")" "200"
check_eq "status sidecar without file" "$(code "$A/dead.html")" "410"
check_eq "missing file" "$(code "$A/nope.html")" "404"
check_eq "traversal" "$(code "$A/../b/dir/index.html")" "404"
check_eq "encoded traversal" "$(code "$A/%2e%2e/b/dir/index.html")" "404"
check_eq "hidden phase dir" "$(code "$A/.phase2/news/1.html")" "404"
check_eq "sidecar not served" "$(code "$A/dead.html.status")" "404"
check_eq "dir without slash redirects" "$(code "$B/dir")" "301"
check_eq "dir index" "$(get "$B/dir/")" "b home"
check_eq "extension-less text file templated" "$(get "$A/s/chan")" "<p>$A</p>"
check_has "extension-less content-type" "$(head_of "$A/s/chan")" "Content-Type: text/html; charset=utf-8"
check_eq "query ignored for the file" "$(get "$A/news/1.html?utm=1")" "version one"

hdr=$(head_of "$A/cp.html")
check_has "headers sidecar content-type" "$hdr" "Content-Type: text/html; charset=windows-1251"
check_has "headers sidecar templated" "$hdr" "X-Test: $portb"
check_eq "windows-1251 bytes intact" "$(get "$A/cp.html" | iconv -f windows-1251 -t utf-8)" "Право $A"

t0=$(date +%s%N)
get "$A/slow.txt" >/dev/null
t1=$(date +%s%N)
[ $(((t1 - t0) / 1000000)) -ge 250 ] && ok || bad "delay sidecar: answered in $(((t1 - t0) / 1000000)) ms"

etag=$(head_of "$A/news/1.html" | awk -F': ' 'tolower($1) == "etag" { print $2 }')
check_has "etag sent" "$etag" '"'
check_eq "if-none-match -> 304" "$(code "$A/news/1.html" "If-None-Match: $etag")" "304"
check_eq "head has no body" "$(python3 "$tmp/fetch_url.py" headsize "$A/news/1.html")" "0"

# A broken request must not kill the server.
printf 'GARBAGE\r\n\r\n' | timeout 3 bash -c "cat >/dev/tcp/127.0.0.1/$porta" 2>/dev/null
python3 - "$porta" <<'EOF'
import socket, sys
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=3)
s.sendall(b"GET /news/1.html HTTP/1.1\r\nHost: x\r\n")  # headers never finish
s.close()
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=3)
s.sendall(b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc")
s.recv(100)
s.close()
EOF
check_eq "alive after garbage" "$(get "$A/news/1.html")" "version one"

fixture_phase "$state" 2
check_eq "phase file" "$(cat "$state/phase")" "2"
check_eq "phase 2 page" "$(get "$A/news/1.html")" "version two"
check_eq "phase 2 410" "$(code "$A/news/2.html")" "410"
check_eq "phase 2 410 body from base file" "$(get "$A/news/2.html")" "gone soon"
check_eq "phase 2 unchanged page" "$(get "$B/dir/")" "b home"
check_eq "old etag no longer 304" "$(code "$A/news/1.html" "If-None-Match: $etag")" "200"
fixture_phase "$state" 3
check_eq "phase 3 keeps phase 2's page" "$(get "$A/news/1.html")" "version two"
check_eq "phase 3 overrides phase 2's status" "$(code "$A/news/2.html")" "200"
check_eq "phase 3 404 status" "$(code "$A/news/none.html")" "404"
check_eq "phase 3 404 body is the site's 404.html" "$(get "$A/news/none.html")" "<p>nothing here</p>"
check_eq "phase 2 404 body stays plain" "$(get "$B/none.html")" "not found"
fixture_phase "$state" 1
check_eq "back to phase 1" "$(get "$A/news/1.html")" "version one"

sleep 0.2
log=$state/requests.log
line=$(grep -P "\ta\tGET\t/news/1.html\t304\t" "$log" | head -1)
check_has "log line" "$line" "vigil-test/1"
check_eq "log fields" "$(printf '%s' "$line" | awk -F'\t' '{ print NF }')" "8"
check_eq "log if-none-match" "$(printf '%s' "$line" | awk -F'\t' '{ print $7 }')" "$etag"
check_eq "log time format" "$(printf '%s' "$line" | awk -F'\t' '{ print ($1 ~ /^[0-9]+\.[0-9][0-9][0-9]$/) }')" "1"
check_eq "log 410" "$(grep -cP "\ta\tGET\t/news/2.html\t410\t" "$log")" "2"
check_eq "log head" "$(grep -cP "\ta\tHEAD\t/\t200\t" "$log")" "1"
check_eq "log empty fields as -" "$(grep -P "\ta\tGET\t/dead.html\t410\t" "$log" | awk -F'\t' '{ print $7 $8 }')" "--"

pid=$(cat "$state/pid")
fixture_stop "$state"
kill -0 "$pid" 2>/dev/null && bad "server still running after fixture_stop" || ok
check_eq "ready removed" "$([ -e "$state/ready" ] && echo yes || echo no)" "no"

# fixture_render_config
printf 'url = {{origin:a}}/feed.rss\nport = {{port:b}}\n' >"$tmp/in.conf"
printf 'a 1234\nb 5678\n' >"$state/ports"
fixture_render_config "$state" "$tmp/in.conf" "$tmp/out.conf" && ok || bad "render_config failed"
check_eq "render_config" "$(cat "$tmp/out.conf")" "url = http://127.0.0.1:1234/feed.rss
port = 5678"
printf 'url = {{origin:zz}}\n' >"$tmp/in2.conf"
fixture_render_config "$state" "$tmp/in2.conf" "$tmp/out2.conf" 2>/dev/null && bad "unknown placeholder accepted" || ok

# --max-seconds stops it by itself.
state2=$tmp/state2
FIXTURE_MAX_SECONDS=1 fixture_start "$root" "$state2" && ok || bad "second start failed"
pid2=$(cat "$state2/pid" 2>/dev/null)
sleep 2.5
kill -0 "$pid2" 2>/dev/null && { bad "--max-seconds ignored"; fixture_stop "$state2"; } || ok
fixture_start "$tmp/nonexistent" "$tmp/state3" 2>/dev/null && bad "start on missing root succeeded" || ok

finish
