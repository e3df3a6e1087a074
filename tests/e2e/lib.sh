# Helpers for ken's end-to-end tests. A test does:
#   . "$(dirname "$0")/lib.sh" "$@"     # $1 is the ken binary
#   init_demo; start_server
#   http GET /wiki/x -b "$JAR"; expect_status "viewing x" 200
# and ends with "N passed, M failed" (exit 1 on any failure) when the script exits.
# Needs bash, curl and python3 (JSON and a free port).

set -u
KEN=$(cd "$(dirname "${1:?usage: t_NAME.sh /path/to/ken}")" && pwd)/$(basename "$1")
[ -x "$KEN" ] || { echo "not executable: $KEN" >&2; exit 2; }
TMP=$(mktemp -d "${TMPDIR:-/tmp}/ken-e2e.XXXXXX")
DB=$TMP/ken.db
PASSED=0 FAILED=0
SERVER_PID='' URL='' PORT='' LOG=$TMP/server.err ACCESS=$TMP/server.out LOG_MARK=0
: >"$LOG"
: >"$ACCESS"
STATUS='' BODY=$TMP/body HEADERS=$TMP/headers

pass() { PASSED=$((PASSED + 1)); }
fail() { # fail WHAT DETAIL...
    FAILED=$((FAILED + 1))
    printf 'FAIL: %s\n' "$1"
    shift
    printf '  %s\n' "$@"
    [ -s "$ACCESS" ] && { echo "  last requests:"; tail -n 3 "$ACCESS" | sed 's/^/    /'; }
    return 0
}

finish() {
    local rc=$?
    [ "$rc" -ne 0 ] && echo "the test script stopped early (exit status $rc)"
    [ -n "$SERVER_PID" ] && stop_server
    if [ "$FAILED" -gt 0 ] && [ -s "$LOG" ]; then
        echo "--- tail of the server log ($LOG)"
        tail -n 20 "$LOG"
    fi
    echo "$PASSED passed, $FAILED failed"
    rm -rf "$TMP"
    [ "$FAILED" -eq 0 ] && [ "$rc" -eq 0 ] && exit 0
    exit 1
}
trap finish EXIT

# ---- assertions: each takes a description of what a user would check first.

expect_eq() { # expect_eq WHAT WANT GOT
    if [ "$2" = "$3" ]; then pass; else fail "$1" "expected: $2" "got:      $3"; fi
}
expect_status() { # expect_status WHAT CODE  (of the last http call)
    if [ "$STATUS" = "$2" ]; then pass; else
        fail "$1" "expected status $2, got $STATUS" "body: $(head -c 300 "$BODY" | tr '\n' ' ')"
    fi
}
expect_contains() { # expect_contains WHAT TEXT [FILE]  (default: the last response body)
    if grep -qF -- "$2" "${3:-$BODY}"; then pass; else
        fail "$1" "expected to find: $2" "in: $(head -c 400 "${3:-$BODY}" | tr '\n' ' ')"
    fi
}
expect_not_contains() { # expect_not_contains WHAT TEXT [FILE]
    if ! grep -qF -- "$2" "${3:-$BODY}"; then pass; else
        fail "$1" "expected NOT to find: $2" "found: $(grep -F -m1 -- "$2" "${3:-$BODY}" | head -c 300)"
    fi
}
expect_header() { # expect_header WHAT 'Name: value-prefix'  (case-insensitive name)
    local name=${2%%:*} want=${2#*: } got
    got=$(grep -i "^$name:" "$HEADERS" | head -n1 | sed 's/^[^:]*: *//' | tr -d '\r')
    case "$got" in "$want"*) pass ;; *) fail "$1" "expected header $name: $want..." "got: ${got:-(none)}" ;; esac
}
expect_logged() { # expect_logged WHAT TEXT [FILE]: TEXT appears in FILE ($ACCESS) within 5 s
    local i
    for i in $(seq 1 50); do grep -qF -- "$2" "${3:-$ACCESS}" && break; sleep 0.1; done
    expect_contains "$1" "$2" "${3:-$ACCESS}"
}
header_of() { grep -i "^$1:" "$HEADERS" | head -n1 | sed 's/^[^:]*: *//' | tr -d '\r'; }

# ---- running ken

# run_ken ARGS... : runs ken, leaving RC, OUT (stdout file) and ERR (stderr file).
OUT=$TMP/cmd.out ERR=$TMP/cmd.err RC=0
run_ken() { RC=0; "$KEN" "$@" >"$OUT" 2>"$ERR" </dev/null || RC=$?; }

# init_demo [DB]: a demo database; every demo person's password goes to PW.
init_demo() {
    "$KEN" init --db "${1:-$DB}" --demo >"$TMP/init.out" 2>&1 || { cat "$TMP/init.out"; exit 1; }
    PW=$(sed -n 's/.*Sign in as the admin: login [a-z]*, password \(.*\)$/\1/p' "$TMP/init.out")
    [ -n "$PW" ] || { echo "no password in: $(cat "$TMP/init.out")"; exit 1; }
}

free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

# wait_up: waits until ken at $URL answers; 1 when SERVER_PID died or 10 s passed.
wait_up() {
    local i
    for i in $(seq 1 100); do
        kill -0 "$SERVER_PID" 2>/dev/null || return 1
        curl -s -o /dev/null --max-time 2 "$URL/static/ken.css" && return 0
        sleep 0.1
    done
    return 1
}

# start_server [EXTRA SERVE ARGS...]: ken serve on $DB at a free port; sets URL and SERVER_PID.
start_server() {
    local try
    for try in 1 2 3; do
        PORT=$(free_port)
        URL=http://127.0.0.1:$PORT
        LOG_MARK=$(wc -l <"$LOG")
        "$KEN" serve --db "$DB" --listen "127.0.0.1:$PORT" --threads 4 "$@" >>"$ACCESS" 2>>"$LOG" &
        SERVER_PID=$!
        wait_up && return 0
        kill -0 "$SERVER_PID" 2>/dev/null && kill -TERM "$SERVER_PID"
        wait "$SERVER_PID" 2>/dev/null
        SERVER_PID=''
    done
    echo "ken serve did not start; its log:"
    tail -n 20 "$LOG"
    exit 1
}

# stop_server: SIGTERM to the server started last (its log starts after line LOG_MARK); ken must
# exit 0, say it stopped cleanly, and the sanitizers must have stayed quiet.
stop_server() {
    local pid=$SERVER_PID rc=0 i
    SERVER_PID=''
    kill -TERM "$pid" 2>/dev/null
    for i in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$pid" 2>/dev/null && { kill -KILL "$pid"; fail "ken stops within 10 s of SIGTERM"; }
    wait "$pid" || rc=$?
    tail -n +$((LOG_MARK + 1)) "$LOG" >"$TMP/last-server.err"
    expect_eq "ken serve exits 0 after SIGTERM" 0 "$rc"
    expect_contains "ken serve says it stopped cleanly" "stopped cleanly" "$TMP/last-server.err"
    expect_not_contains "no sanitizer report in the server log" "Sanitizer" "$TMP/last-server.err"
    expect_not_contains "no undefined behaviour in the server log" "runtime error:" \
        "$TMP/last-server.err"
}

# ---- HTTP

# http METHOD PATH [CURL ARGS...]: sets STATUS; the body is in $BODY, the headers in $HEADERS.
http() {
    local m=$1 p=$2
    shift 2
    : >"$BODY"
    if [ "$m" = HEAD ]; then # HTTP/1.0 so that the server closes and curl takes any body it sent
        STATUS=$(curl -s --http1.0 --max-time 5 -X HEAD -o "$BODY" -D "$HEADERS" \
            -w '%{http_code}' "$@" "$URL$p")
        return 0
    fi
    STATUS=$(curl -s --max-time 20 -o "$BODY" -D "$HEADERS" -w '%{http_code}' -X "$m" "$@" \
        "$URL$p") || STATUS="curl-failed($?)"
}

# login USER PASS [JAR [NEXT]]: signs in through a fresh form like a browser; JAR (default
# $TMP/USER.jar) holds the session cookie. Sets STATUS (303 on success).
login() {
    local jar=${3:-$TMP/$1.jar} token
    rm -f "$jar"
    http GET /login -c "$jar"
    token=$(grep -o 'name="csrf" value="[^"]*"' "$BODY" | head -n1 | sed 's/.*value="//; s/"$//')
    http POST /login -b "$jar" -c "$jar" --data-urlencode "login=$1" \
        --data-urlencode "password=$2" --data-urlencode "csrf=$token" --data-urlencode "next=${4:-/}"
}

# post_form JAR ADDRESS NAME=VALUE...: a form POST as the browser sends it, with the session's
# CSRF token. Sets STATUS.
post_form() {
    local jar=$1 where=$2 f args=()
    shift 2
    for f; do args+=(--data-urlencode "$f"); done
    http POST "$where" -b "$jar" --data-urlencode "csrf=$(csrf_of "$jar")" "${args[@]}"
}

# csrf_of JAR: prints the session's CSRF token, as rendered in the Sign out form of GET /.
csrf_of() {
    curl -s -b "$1" "$URL/" | grep -o 'name="csrf" value="[^"]*"' | head -n1 |
        sed 's/.*value="//; s/"$//'
}

# json FILE EXPR: prints a value of the JSON in FILE, e.g. json "$BODY" '["revision"]'.
json() {
    python3 -c 'import json,sys
try: v = eval("d" + sys.argv[2], {"d": json.load(open(sys.argv[1]))})
except Exception as e: v = "(%s)" % e
print(v if isinstance(v, str) else json.dumps(v))' "$1" "$2"
}
