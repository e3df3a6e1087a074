#!/usr/bin/env bash
# A full disk and bad database directories. ken's database lives on a 6 MB tmpfs; pages with big
# bodies and attachments are written until the disk is full. Every refused write must say the
# disk is full (507), never a bare 500; reading goes on; every acknowledged write is there
# afterwards; once the disk grows, writes work again without a restart; `ken check` passes.
# Then a read-only and a missing database directory: ken init and ken serve must say so and
# exit non-zero. Mounting needs root: as another user the test says SKIP and passes.
. "$(dirname "$0")/lib.sh" "$@"

if [ "$(id -u)" -ne 0 ]; then
    echo "SKIP: t_disk.sh mounts small tmpfs file systems, which needs root (running as uid $(id -u))"
    exit 0
fi
MOUNTS=()
# mount_tmpfs DIR SIZE: a tmpfs at DIR, unmounted when the test ends however it ends.
mount_tmpfs() {
    mkdir -p "$1"
    if ! mount -t tmpfs -o "size=$2" tmpfs "$1"; then
        echo "SKIP: t_disk.sh cannot mount a tmpfs here even as root (a container without mount rights?)"
        exit 0
    fi
    MOUNTS+=("$1")
}
unmount_all() {
    local m
    [ -n "$SERVER_PID" ] && stop_server
    for m in "${MOUNTS[@]}"; do
        umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null || echo "could not unmount $m"
    done
    MOUNTS=()
}
trap 'rc_=$?; unmount_all; (exit $rc_); finish' EXIT
trap 'exit 143' TERM INT # so that a timeout still unmounts

# ---- a database on a small disk
SMALL=$TMP/small
mount_tmpfs "$SMALL" 6m
DB=$SMALL/ken.db
"$KEN" init --db "$DB" >/dev/null || { echo "ken init failed on the tmpfs"; exit 1; }
PW='disk full is a fine password'
echo "$PW" | "$KEN" user add ana --name 'Ana Lima' --role admin --password-stdin --db "$DB" >/dev/null
TOKEN=$("$KEN" token add ana --db "$DB")
start_server
login ana "$PW" "$TMP/ana.jar"
expect_status "signing in before the disk fills" 303
AUTH=(-H "Authorization: Bearer $TOKEN")

# page_body N: writes $TMP/page-N.json, a page of about 150 KB of varied words (so the search
# index grows too) with a line that identifies it.
page_body() {
    python3 - "$1" "$TMP/page-$1.json" <<'EOF'
import json, random, sys
n = int(sys.argv[1]); rnd = random.Random(n)
words = ["".join(rnd.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(rnd.randint(3, 9)))
         for _ in range(3000)]
lines = ["Marker page %d." % n] + [" ".join(rnd.choice(words) for _ in range(16)) for _ in range(1500)]
json.dump({"title": "Disk page %d" % n, "markdown": "\n\n".join(lines), "base_revision": 0},
          open(sys.argv[2], "w"))
EOF
}

# A refused write must be a 507 that says why, as JSON for the API and as a page for a form.
full_ok() { [ "$STATUS" = 507 ] && grep -q "disk is full" "$BODY"; }
PAGES_OK=() FILES_OK=() REFUSED=0 BAD='' STREAK=0
for i in $(seq 1 80); do
    page_body "$i"
    http PUT "/api/pages/disk/page-$i" "${AUTH[@]}" --data-binary "@$TMP/page-$i.json"
    case $STATUS in
        200 | 201) PAGES_OK+=("$i") STREAK=0 ;;
        *) if full_ok; then REFUSED=$((REFUSED + 1)) STREAK=$((STREAK + 1)); else
            BAD="$BAD page-$i:$STATUS:$(head -c 200 "$BODY")"; fi ;;
    esac
    head -c 200000 /dev/urandom >"$TMP/file-$i.bin"
    http POST "/api/upload/disk/page-$((i > 1 ? 1 : i))?name=file-$i.bin" "${AUTH[@]}" \
        -H 'Content-Type: application/octet-stream' --data-binary "@$TMP/file-$i.bin"
    case $STATUS in
        200 | 201) FILES_OK+=("$i") STREAK=0 ;;
        404) ;; # page-1 was refused itself: nothing to attach to
        *) if full_ok; then REFUSED=$((REFUSED + 1)) STREAK=$((STREAK + 1)); else
            BAD="$BAD file-$i:$STATUS:$(head -c 200 "$BODY")"; fi ;;
    esac
    [ "$STREAK" -ge 6 ] && break
done
echo "disk full after ${#PAGES_OK[@]} pages and ${#FILES_OK[@]} files; $REFUSED writes refused"
expect_eq "every write either succeeded or was refused with 507 'disk is full'" "" "$BAD"
[ "$REFUSED" -ge 6 ] && pass || fail "the disk filled up (6 refusals in a row)" "refused: $REFUSED"
[ "${#PAGES_OK[@]}" -ge 3 ] && pass || fail "some pages were saved before the disk filled" \
    "saved: ${#PAGES_OK[@]}"
grep -q "not saved, the database's disk is full (507)" "$LOG" && pass ||
    fail "the server log says why writes fail" "$(tail -n 3 "$LOG")"

http PUT /api/pages/disk/one-more "${AUTH[@]}" --data-binary "@$TMP/page-1.json"
expect_status "one more page on the full disk" 507
expect_eq "the API says why, and what to do, in JSON" \
    "the server's disk is full, so nothing was saved; reading still works. Ask whoever runs ken to free some space, then try again" \
    "$(json "$BODY" '["error"]')"

# Whatever else fills the disk, each kind of write either works (it may reuse space SQLite
# freed) or says the disk is full; never a bare 500.
dd if=/dev/zero of="$SMALL/filler" bs=64k 2>/dev/null
BAD=''
probe() { # probe WHAT: judges the last answer
    case $STATUS in
        2?? | 303) ;;
        *) full_ok || BAD="$BAD $1:$STATUS:$(head -c 150 "$BODY")" ;;
    esac
}
http PUT /api/watches "${AUTH[@]}" -d '{"kind":"page","target":"disk/page-1"}'
probe watch
http PUT /api/people/ana "${AUTH[@]}" -d '{"location":"Porto, on a full disk"}'
probe profile
http POST /api/people/ana/skills "${AUTH[@]}" -d '{"skill":"Disk quotas","level":"expert"}'
probe skill
http POST /api/questions "${AUTH[@]}" -d '{"title":"Why is the disk full?","markdown":"It is.","tags":"ops"}'
probe question
http POST /api/communities "${AUTH[@]}" -d '{"name":"Storage people","description":"x","open":true}'
probe community
http POST "/api/pages/disk/page-${PAGES_OK[0]}/move" "${AUTH[@]}" -d '{"to":"disk/moved"}'
probe move
login ana "$PW" "$TMP/second.jar"
probe "sign-in"
expect_eq "small writes of every kind work or say the disk is full" "" "$BAD"

# A form, as a browser sends it: a page saying so, not a bare error.
head -c 300000 "$TMP/page-1.json" >"$TMP/form.md"
http POST /edit/ -b "$TMP/ana.jar" --data-urlencode "csrf=$(csrf_of "$TMP/ana.jar")" \
    --data-urlencode path=disk/by-form --data-urlencode "title=By form" \
    --data-urlencode "markdown@$TMP/form.md" --data-urlencode base_rev=0 --data-urlencode save=1
full_ok && pass || fail "a form save on a full disk answers 507 saying the disk is full" \
    "status $STATUS: $(head -c 300 "$BODY")"
expect_header "the 507 answer to a form is a page" "Content-Type: text/html"
expect_contains "the editor comes back with the text typed, so nothing is lost" "Marker page 1."

# Reading goes on.
kill -0 "$SERVER_PID" 2>/dev/null && pass || fail "ken serve is still running with a full disk"
http GET "/api/pages/disk/page-${PAGES_OK[0]}" "${AUTH[@]}"
expect_status "an API read on a full disk" 200
expect_contains "the page read is the one written" "Marker page ${PAGES_OK[0]}."
http GET "/wiki/disk/page-${PAGES_OK[0]}" -b "$TMP/ana.jar"
expect_status "a page in the browser on a full disk" 200
http GET "/search?q=marker" -b "$TMP/ana.jar"
expect_status "searching on a full disk" 200
http GET /healthz
expect_status "/healthz on a full disk" 200

# A copy taken while the disk is full passes ken check (no write is in flight).
mkdir -p "$TMP/copy"
cp "$DB" "$DB-wal" "$TMP/copy/" 2>/dev/null
run_ken check --db "$TMP/copy/ken.db"
expect_eq "ken check passes on a copy taken while the disk was full" 0 "$RC"

# Space returns: writes work again, same server.
PID_BEFORE=$SERVER_PID
rm -f "$SMALL/filler"
mount -o remount,size=64m "$SMALL"
page_body 900
http PUT /api/pages/disk/after "${AUTH[@]}" --data-binary "@$TMP/page-900.json"
expect_status "a page saves once the disk has room again, without a restart" 201
head -c 200000 /dev/urandom >"$TMP/file-900.bin"
http POST "/api/upload/disk/after?name=after.bin" "${AUTH[@]}" \
    -H 'Content-Type: application/octet-stream' --data-binary "@$TMP/file-900.bin"
expect_status "a file uploads once the disk has room again" 201
post_form "$TMP/ana.jar" /edit/ path=disk/by-form "title=By form" "markdown=Saved now." base_rev=0 save=1
expect_status "a form save works again" 303
expect_eq "the same server process served all along" "$PID_BEFORE" "$SERVER_PID"

# Every acknowledged write is there, byte for byte.
missing=''
for i in "${PAGES_OK[@]}"; do
    http GET "/api/pages/disk/page-$i" "${AUTH[@]}"
    [ "$STATUS" = 200 ] && python3 -c 'import json, sys
sent, got = (json.load(open(f)).get("markdown", "").strip() for f in sys.argv[1:])
sys.exit(sent != got)' "$TMP/page-$i.json" "$BODY" || missing="$missing page-$i($STATUS)"
done
for i in "${FILES_OK[@]}"; do
    curl -s -o "$TMP/got.bin" "${AUTH[@]}" "$URL/files/disk/page-1/file-$i.bin"
    cmp -s "$TMP/got.bin" "$TMP/file-$i.bin" || missing="$missing file-$i"
done
expect_eq "every acknowledged page and file is there, unchanged" "" "$missing"

stop_server
run_ken check --db "$DB"
expect_eq "ken check passes after the server stopped" 0 "$RC"
expect_contains "ken check reports no problem" "$DB: ok" "$OUT"

# ---- a read-only database directory
RO=$TMP/ro
mount_tmpfs "$RO" 4m
"$KEN" init --db "$RO/ken.db" >/dev/null || { echo "ken init failed on the second tmpfs"; exit 1; }
mount -o remount,ro "$RO"
RC=0
timeout 20 "$KEN" serve --db "$RO/ken.db" --listen "127.0.0.1:$(free_port)" >"$OUT" 2>"$ERR" || RC=$?
[ "$RC" -ne 0 ] && [ "$RC" -ne 124 ] && pass || fail "ken serve on a read-only directory exits non-zero at once" "exit $RC"
expect_contains "ken serve names the read-only directory" "$RO is on a read-only file system" "$ERR"
run_ken init --db "$RO/new.db"
[ "$RC" -ne 0 ] && pass || fail "ken init in a read-only directory fails" "exit $RC"
expect_contains "ken init says the directory is read-only" "read-only file system" "$ERR"
[ -e "$RO/new.db" ] && fail "ken init left nothing behind" "$RO/new.db exists" || pass

# ---- a missing database directory
run_ken init --db "$TMP/no/such/dir/ken.db"
[ "$RC" -ne 0 ] && pass || fail "ken init in a missing directory fails" "exit $RC"
expect_contains "ken init says the directory does not exist" "the directory $TMP/no/such/dir does not exist" "$ERR"
RC=0
timeout 20 "$KEN" serve --db "$TMP/no/such/dir/ken.db" --listen "127.0.0.1:$(free_port)" >"$OUT" 2>"$ERR" || RC=$?
[ "$RC" -ne 0 ] && [ "$RC" -ne 124 ] && pass || fail "ken serve with a missing directory exits non-zero" "exit $RC"
expect_contains "ken serve says there is no database" "no database at $TMP/no/such/dir/ken.db" "$ERR"
