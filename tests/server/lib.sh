# tests/server/lib.sh: shell helpers around the fixture server (serve.py).
# Source it from bash:  . tests/server/lib.sh
#
#   fixture_start SITE_ROOT STATE_DIR   start serve.py in the background and
#                                       wait up to 10 s for STATE_DIR/ready;
#                                       returns 1 with a message on failure
#   fixture_origin STATE_DIR SITE       print http://127.0.0.1:PORT of SITE
#   fixture_port STATE_DIR SITE         print PORT of SITE
#   fixture_phase STATE_DIR N           switch the served phase to N
#   fixture_stop STATE_DIR              stop the server started on STATE_DIR
#   fixture_render_config STATE_DIR IN OUT
#                                       copy IN to OUT replacing {{origin:SITE}}
#                                       and {{port:SITE}} for every served site
#
# Nothing is exported; all state lives in STATE_DIR (ports, pid, ready, phase,
# requests.log, server.log).

FIXTURE_LIB_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

fixture_start() {
	local root=$1 state=$2 i pid
	if [ -z "$root" ] || [ -z "$state" ]; then
		echo "fixture_start: usage: fixture_start SITE_ROOT STATE_DIR" >&2
		return 2
	fi
	if [ ! -d "$root" ]; then
		echo "fixture_start: $root: no such site directory" >&2
		return 1
	fi
	mkdir -p "$state" || return 1
	rm -f "$state/ready" "$state/ports" "$state/pid"
	python3 "$FIXTURE_LIB_DIR/serve.py" --root "$root" --state "$state" \
		${FIXTURE_MAX_SECONDS:+--max-seconds "$FIXTURE_MAX_SECONDS"} \
		</dev/null >>"$state/server.log" 2>&1 &
	pid=$!
	echo "$pid" >"$state/launcher.pid"
	for i in $(seq 1 100); do
		if [ -f "$state/ready" ]; then
			return 0
		fi
		if ! kill -0 "$pid" 2>/dev/null; then
			echo "fixture_start: serve.py exited before it was ready; $state/server.log says:" >&2
			sed 's/^/  /' "$state/server.log" >&2
			return 1
		fi
		sleep 0.1
	done
	echo "fixture_start: serve.py not ready after 10 s (log: $state/server.log)" >&2
	kill "$pid" 2>/dev/null
	return 1
}

fixture_port() {
	local state=$1 site=$2 port
	port=$(awk -v s="$site" '$1 == s { print $2 }' "$state/ports" 2>/dev/null)
	if [ -z "$port" ]; then
		echo "fixture_port: no site '$site' in $state/ports" >&2
		return 1
	fi
	echo "$port"
}

fixture_origin() {
	local port
	port=$(fixture_port "$1" "$2") || return 1
	echo "http://127.0.0.1:$port"
}

fixture_phase() {
	local state=$1 n=$2
	case $n in
	'' | *[!0-9]*)
		echo "fixture_phase: phase must be a number, got '$n'" >&2
		return 2 ;;
	esac
	echo "$n" >"$state/phase.tmp" && mv -f "$state/phase.tmp" "$state/phase"
}

fixture_stop() {
	local state=$1 pid i
	pid=$(cat "$state/pid" 2>/dev/null || cat "$state/launcher.pid" 2>/dev/null)
	[ -n "$pid" ] || return 0
	kill "$pid" 2>/dev/null || { rm -f "$state/launcher.pid"; return 0; }
	for i in $(seq 1 50); do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	if kill -0 "$pid" 2>/dev/null; then
		echo "fixture_stop: serve.py ($pid) ignored SIGTERM; killing it" >&2
		kill -9 "$pid" 2>/dev/null
	fi
	# Reap it when it is our child, so no zombie lingers in long scripts.
	wait "$pid" 2>/dev/null
	rm -f "$state/ready" "$state/pid" "$state/launcher.pid"
	return 0
}

fixture_render_config() {
	local state=$1 in=$2 out=$3 site port script=""
	if [ ! -f "$state/ports" ]; then
		echo "fixture_render_config: $state/ports missing (server not started?)" >&2
		return 1
	fi
	while read -r site port; do
		[ -n "$site" ] || continue
		script+="s|{{origin:$site}}|http://127.0.0.1:$port|g;s|{{port:$site}}|$port|g;"
	done <"$state/ports"
	sed -e "$script" "$in" >"$out.tmp" && mv -f "$out.tmp" "$out" || return 1
	if grep -q '{{\(origin\|port\):' "$out"; then
		echo "fixture_render_config: $out still has placeholders for unknown sites:" >&2
		grep -n '{{\(origin\|port\):' "$out" >&2
		return 1
	fi
}
