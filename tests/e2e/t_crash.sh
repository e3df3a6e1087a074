# Crash safety: writers keep saving pages while ken is killed with SIGKILL at random moments,
# round after round. After each kill every save ken acknowledged is there with its text, no page
# is half-written, and `ken check` finds nothing wrong; ken then starts again on the same file.
. "$(dirname "$0")/lib.sh" "$@"

init_demo
TOKEN=$("$KEN" token add mara --db "$DB")
FILLER=$(printf 'lorem ipsum %.0s' $(seq 1 60))

# writer ROUND N: saves pages crash/rROUND-wN-K; lists "path text" in acked.ROUND only after a 2xx.
writer() {
    local round=$1 n=$2 k=0 code path
    while [ -f "$TMP/writing" ]; do
        k=$((k + 1))
        path=crash/r$round-w$n-$k
        code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 -X PUT \
            -H "Authorization: Bearer $TOKEN" \
            -d "{\"title\":\"Crash $round $n $k\",\"markdown\":\"save $round $n $k\\n\\n$FILLER\"}" \
            "$URL/api/pages/$path" 2>/dev/null)
        case $code in 200 | 201) echo "$path save $round $n $k" >>"$TMP/acked.$round" ;; esac
    done
}

ROUNDS=${KEN_CRASH_ROUNDS:-10}
for round in $(seq 1 "$ROUNDS"); do
    : >"$TMP/acked.$round"
    start_server --access-log off
    touch "$TMP/writing"
    for n in 1 2 3; do writer "$round" "$n" & done
    sleep "0.$((RANDOM % 9 + 1))"
    kill -KILL "$SERVER_PID"
    wait "$SERVER_PID" 2>/dev/null
    SERVER_PID=''
    rm -f "$TMP/writing"
    wait

    "$KEN" check --db "$DB" >"$TMP/check.out" 2>&1
    expect_eq "ken check passes after SIGKILL (round $round)" 0 "$?"
    missing=0
    while read -r path text; do
        got=$(sqlite3 "$DB" "SELECT r.markdown FROM pages p JOIN revisions r ON r.id = p.current_rev
                             WHERE p.path = '$path' AND p.deleted_at IS NULL")
        case $got in "$text"*) ;; *) missing=$((missing + 1)) ;; esac
    done <"$TMP/acked.$round"
    expect_eq "every acknowledged save survived (round $round: $(wc -l <"$TMP/acked.$round") saves)" \
        0 "$missing"
    half=$(sqlite3 "$DB" "SELECT count(*) FROM pages p WHERE p.deleted_at IS NULL AND (
        NOT EXISTS (SELECT 1 FROM revisions r WHERE r.id = p.current_rev AND r.page_id = p.id
                    AND r.number = p.rev_count)
        OR NOT EXISTS (SELECT 1 FROM page_text t WHERE t.page_id = p.id))")
    expect_eq "no half-written page (round $round)" 0 "$half"
done
total=$(cat "$TMP"/acked.* | wc -l)
[ "$total" -gt 0 ] && pass || fail "the writers got some saves acknowledged" "total: $total"

start_server
first=$(cat "$TMP"/acked.* | head -n 1 | cut -d' ' -f1)
http GET "/wiki/$first" -H "Authorization: Bearer $TOKEN"
expect_status "ken serves the pages written before the kills ($first)" 200
stop_server
