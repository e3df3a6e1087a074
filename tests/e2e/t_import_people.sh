#!/usr/bin/env bash
# ken import people: an HR system's export (CSV or JSON) creates and updates people (by login,
# else by email), creates missing departments and teams, sets managers once everyone exists and
# refuses loops row by row; bad rows are reported by line and never stop the rest; --dry-run
# changes nothing; --mark-missing-as-left marks everyone else as having left, never admins; a
# second run changes nothing.
. "$(dirname "$0")/lib.sh" "$@"
FIX=$(cd "$(dirname "$0")/fixtures/people" && pwd)
init_demo
start_server
login gareth "$PW"
T_HR=$("$KEN" token add mara --db "$DB") # an admin: the sync at the end marks HR as having left
api() { http GET "$1" -H "Authorization: Bearer $T_HR"; }
snapshot() { # snapshot FILE: everyone (who left too) and the departments, as the API gives them
    api "/api/people?limit=200&left=1"
    cp "$BODY" "$1"
    api /api/departments
    cat "$BODY" >>"$1"
}
out() { cat "$OUT" "$ERR"; }

# A dry run reports what would change and changes nothing.
snapshot "$TMP/before"
run_ken import people "$FIX/people.csv" --dry-run --db "$DB"
out >"$TMP/dry"
expect_eq "a dry run with bad rows exits 1" 1 "$RC"
expect_contains "it would create jdoe" "line 2: would create jdoe (Jane Doe)" "$TMP/dry"
expect_contains "it matches priya by her email" "line 3: priya.raman is priya (the same email)" "$TMP/dry"
expect_contains "and says what would change" \
    "line 3: priya: would update title: Staff Platform Engineer -> Principal Platform Engineer" "$TMP/dry"
expect_contains "new departments and teams are named" "line 5: would create kmorgan (Kate Morgan); a new department: Legal; a new team: Contracts" "$TMP/dry"
expect_contains "the summary says nothing changed" "dry run, nothing was changed" "$TMP/dry"
snapshot "$TMP/after"
cmp -s "$TMP/before" "$TMP/after" && pass || fail "the dry run changed nothing (/api/people and /api/departments)"
expect_not_contains "no Legal department yet" '"slug":"legal"' "$TMP/after"

# The real run.
run_ken import people "$FIX/people.csv" --db "$DB"
out >"$TMP/run1"
expect_eq "bad rows make the exit status 1" 1 "$RC"
expect_contains "created" "line 2: created jdoe (Jane Doe)" "$TMP/run1"
expect_contains "a row without a login, by line" "line 4: no login" "$TMP/run1"
expect_contains "a manager loop is refused, by line" "line 7: rui: manager not set: rui cannot be managed by ana" "$TMP/run1"
expect_contains "a bad date, by line" "line 8: badday: Start date is a date like" "$TMP/run1"
expect_contains "line numbers count quoted line breaks" "line 11: zed: role is viewer, editor, hr or admin, not superuser" "$TMP/run1"
expect_contains "the summary" "created 4, updated 1, skipped 0 (unchanged), failed 4" "$TMP/run1"
expect_contains "new accounts have no password, and it says so" "New accounts have no password" "$TMP/run1"
api /api/people/jdoe
expect_status "jdoe exists" 200
expect_eq "with the title, department, team, manager and start date" \
    "Quality Engineer operations quality ana 2026-09-01" \
    "$(json "$BODY" '["title"] + " " + d["department"] + " " + d["team"] + " " + d["manager"] + " " + d["start_date"]')"
api /api/people/priya
expect_eq "priya was updated through her email" "Principal Platform Engineer" "$(json "$BODY" '["title"]')"
api /api/people/kmorgan
expect_eq "a manager later in the file is set in the second pass" "lwhite legal contracts" \
    "$(json "$BODY" '["manager"] + " " + d["department"] + " " + d["team"]')"
api /api/people/lwhite
expect_eq "a quoted cell with a comma" "Director, Legal" "$(json "$BODY" '["title"]')"
api /api/people/rui
expect_eq "rui keeps his manager" helena "$(json "$BODY" '["manager"]')"
api /api/people/badday
expect_status "the bad row made nobody" 404
api /api/departments
expect_contains "the Legal department was created" '"slug":"legal"'
login jdoe "$PW"
expect_status "a new account has no password to sign in with" 401

# Running it again changes nothing.
run_ken import people "$FIX/people.csv" --db "$DB"
out >"$TMP/run2"
expect_contains "idempotent" "created 0, updated 0, skipped 5 (unchanged), failed 4" "$TMP/run2"
expect_not_contains "no change is listed" "updated title" "$TMP/run2"

# JSON, with line numbers too.
run_ken import people "$FIX/people.json" --db "$DB"
out >"$TMP/json"
expect_contains "JSON creates" "line 2: created mwong (May Wong)" "$TMP/json"
expect_contains "JSON updates" "line 5: ewan: updated title: Senior Software Engineer -> Principal Engineer" "$TMP/json"
expect_contains "JSON logins are lowercased" "line 9: jdoe: updated location: Porto -> Leeds" "$TMP/json"
expect_contains "a JSON item without a login, by line" "line 6: no login" "$TMP/json"
expect_contains "a JSON manager loop, by line" "line 7: tomasz: manager not set" "$TMP/json"
expect_contains "the JSON summary" "created 1, updated 2, skipped 0 (unchanged), failed 2" "$TMP/json"
api /api/people/mwong
expect_eq "the team by its name in a department by its slug" "finance fp-a catherine" \
    "$(json "$BODY" '["department"] + " " + d["team"] + " " + d["manager"]')"
api /api/people/tomasz
expect_eq "tomasz keeps his manager" helena "$(json "$BODY" '["manager"]')"

# An export that cannot be read at all.
printf 'name,email\nAna,a@example.com\n' >"$TMP/nologin.csv"
run_ken import people "$TMP/nologin.csv" --db "$DB"
expect_eq "no login column: exit 1" 1 "$RC"
expect_contains "says so" "has no login column" "$ERR"
run_ken import people "$TMP/missing.csv" --db "$DB"
expect_eq "no such file: exit 1" 1 "$RC"
run_ken import people --db "$DB"
expect_eq "no file given: exit 2" 2 "$RC"

# Sync: everyone not in the file has left, except admins.
printf 'login,name\n' >"$TMP/empty.csv"
run_ken import people "$TMP/empty.csv" --mark-missing-as-left --db "$DB"
expect_contains "an empty export marks nobody" "nobody was marked as having left" "$OUT"
run_ken import people "$FIX/sync.csv" --mark-missing-as-left --dry-run --db "$DB"
out >"$TMP/sync-dry"
expect_contains "a dry run says who would be marked" "gareth: would be marked as having left" "$TMP/sync-dry"
api /api/people/gareth
expect_eq "and marks nobody" null "$(json "$BODY" '["left_at"]')"
run_ken import people "$FIX/sync.csv" --mark-missing-as-left --db "$DB"
out >"$TMP/sync"
expect_eq "the sync exits 0" 0 "$RC"
expect_contains "gareth has left" "gareth: marked as having left (not in the file)" "$TMP/sync"
expect_contains "admins never are, and it says so" "mara: not in the file, but an admin" "$TMP/sync"
expect_contains "the summary counts them" \
    "marked as having left $(grep -c ': marked as having left (not in the file)' "$TMP/sync")," "$TMP/sync"
api /api/people/gareth
expect_eq "gareth is marked as having left" true "$(json "$BODY" '["left_at"] is not None')"
api /api/people/mara
expect_eq "mara, the admin, is not" null "$(json "$BODY" '["left_at"]')"
api /api/people/priya
expect_eq "nor is anyone in the file" null "$(json "$BODY" '["left_at"]')"
http GET / -b "$TMP/gareth.jar"
expect_status "gareth can no longer sign in" 303
run_ken import people "$FIX/sync.csv" --mark-missing-as-left --db "$DB"
out >"$TMP/sync2"
expect_contains "a second sync marks nobody" "marked as having left 0" "$TMP/sync2"
