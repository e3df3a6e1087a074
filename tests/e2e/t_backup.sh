# ken backup while writers keep saving: the copy is consistent (ken check passes), opens on its
# own, and holds every save acknowledged before the backup began.
. "$(dirname "$0")/lib.sh" "$@"

init_demo
start_server
TOKEN=$("$KEN" token add mara --db "$DB")
touch "$TMP/writing"
writer() {
    local n=$1 k=0
    while [ -f "$TMP/writing" ]; do
        k=$((k + 1))
        curl -s -o /dev/null --max-time 5 -X PUT -H "Authorization: Bearer $TOKEN" \
            -d "{\"title\":\"Load $n $k\",\"markdown\":\"writer $n save $k\"}" \
            "$URL/api/pages/load/w$n-$k"
    done
}
WRITERS=()
for n in 1 2 3; do writer "$n" & WRITERS+=($!); done
sleep 1
before=$(sqlite3 "$DB" "SELECT count(*) FROM pages WHERE path LIKE 'load/%'")
run_ken backup "$TMP/copy.db" --db "$DB"
expect_eq "ken backup succeeds while three writers save" 0 "$RC"
expect_contains "and says where the copy is" "copy.db" "$OUT"
rm -f "$TMP/writing"
wait "${WRITERS[@]}"
run_ken check --db "$TMP/copy.db"
expect_eq "the copy passes ken check" 0 "$RC"
copied=$(sqlite3 "$TMP/copy.db" "SELECT count(*) FROM pages WHERE path LIKE 'load/%'")
[ "$copied" -ge "$before" ] && pass || fail "the copy has every save made before it began" "before $before, copy $copied"
[ ! -e "$TMP/copy.db-wal" ] && pass || fail "the copy is one plain file, no WAL beside it"
run_ken backup "$TMP/copy.db" --db "$DB"
expect_eq "ken backup never overwrites a file" 1 "$RC"
expect_contains "and says so" "never overwrites" "$ERR"
# The copy serves: start ken on it.
DB=$TMP/copy.db
stop_server
start_server
http GET /api/pages/handbook/welcome -H "Authorization: Bearer $TOKEN"
expect_status "ken serves the copy" 200
