# Abuse on 127.0.0.1: each gets a clean refusal and ken keeps serving everyone else.
. "$(dirname "$0")/lib.sh" "$@"

init_demo
start_server
TOKEN=$("$KEN" token add mara --db "$DB")
AUTH=(-H "Authorization: Bearer $TOKEN")
alive() { http GET /wiki/handbook/welcome "${AUTH[@]}"; expect_status "ken still serves others after $1" 200; }

# Oversized headers: refused, not crashed.
big=$(head -c 40000 /dev/zero | tr '\0' 'a')
code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 10 -H "X-Big: $big" "$URL/login")
case $code in 4*|000) pass ;; *) fail "a 40 kB header is refused" "got $code" ;; esac
alive "an oversized header"

# Oversized body.
head -c 6000000 /dev/zero | tr '\0' 'x' >"$TMP/big.json"
http PUT /api/pages/abuse/big "${AUTH[@]}" --data-binary @"$TMP/big.json"
expect_status "a 6 MB body is refused with 413" 413
alive "an oversized body"

# Slow clients hold a connection each; others are still served (threads outnumber them).
python3 - "$PORT" <<'PY' &
import socket, sys, time
socks = []
for _ in range(8):
    s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
    s.send(b"GET /login HTTP/1.1\r\nHost: x\r\n")
    socks.append(s)
for _ in range(6):
    time.sleep(0.5)
    for s in socks:
        try:
            s.send(b"X-Slow: 1\r\n")
        except OSError:
            pass
PY
SLOW=$!
sleep 0.5
alive "eight slow clients"
wait $SLOW 2>/dev/null

# Path traversal in page paths and file names.
for p in "/wiki/../../etc/passwd" "/wiki/a/%2e%2e/%2e%2e/etc/passwd" "/files/handbook/welcome/..%2f..%2fken.db" \
         "/static/../../schema/0001_foundation.sql" "/static/%2e%2e/%2e%2e/app/cli/main.c"; do
    http GET "$p" "${AUTH[@]}"
    case $STATUS in 400|404|301) pass ;; *) fail "traversal $p is refused" "got $STATUS" ;; esac
    expect_not_contains "and shows nothing of the server's files ($p)" "root:x:"
done

# Invalid UTF-8 in a form and in a JSON body.
http PUT /api/pages/abuse/utf8 "${AUTH[@]}" --data-binary $'{"title":"bad \xff\xfe","markdown":"x"}'
expect_status "invalid UTF-8 in JSON is refused" 400
login mara "$PW"
http POST /edit/abuse/utf8 -b "$TMP/mara.jar" --data-binary $'csrf=x&title=%ff%fe&markdown=x&save=1' \
    -H "Content-Type: application/x-www-form-urlencoded"
expect_status "invalid UTF-8 in a form is refused" 400

# Session tampering: a made-up or altered cookie is just "not signed in".
http GET /wiki/handbook/welcome -H "Cookie: ken_session=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
expect_status "a forged session cookie does not sign anyone in" 303
real=$(awk '$6 == "ken_session" {print $7}' "$TMP/mara.jar")
http GET /wiki/handbook/welcome -H "Cookie: ken_session=${real%?}x"
expect_status "an altered session cookie does not either" 303
http POST /edit/abuse/csrf -b "$TMP/mara.jar" -d "title=x&markdown=y&save=1"
expect_status "a form without its CSRF token is refused" 403
http PUT /api/pages/abuse/token -H "Authorization: Bearer not-a-real-token" -d '{"title":"x","markdown":"y"}'
expect_status "a made-up API token is refused" 401

# Brute force: the account locks after ten failures, others can still sign in.
for i in $(seq 1 11); do login priya "wrong-password-$i"; done
expect_status "the eleventh wrong password is throttled" 429
login priya "$PW"
expect_status "even the right password waits out the lock" 429
login wei "$PW"
expect_status "other people still sign in" 303
alive "a brute-force attempt"
