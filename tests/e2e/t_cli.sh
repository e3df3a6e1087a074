#!/usr/bin/env bash
# The command line: help, version, usage errors (exit 2), failures (exit 1) with messages that say
# what to do, adding people and tokens, KEN_DB/KEN_LISTEN, a busy port, a clean stop, and a
# database from a newer ken.
. "$(dirname "$0")/lib.sh" "$@"

run_ken --help
expect_eq "--help exits 0" 0 "$RC"
expect_contains "--help shows the usage" "usage: ken" "$OUT"
expect_contains "--help lists serve" "ken serve" "$OUT"
run_ken
expect_eq "no command is a usage error" 2 "$RC"
expect_contains "no command prints the usage on stderr" "usage: ken" "$ERR"
run_ken --version
expect_eq "--version exits 0" 0 "$RC"
grep -qE '^ken [0-9]+\.[0-9]+' "$OUT" && pass || fail "--version prints 'ken X.Y'" "$(cat "$OUT")"

run_ken serve --db "$DB" --bogus
expect_eq "unknown option exits 2" 2 "$RC"
expect_contains "unknown option is named" "unknown option --bogus" "$ERR"
expect_contains "usage error points to --help" "ken --help" "$ERR"
run_ken frobnicate
expect_eq "unknown command exits 2" 2 "$RC"
expect_contains "unknown command is named" "unknown command: frobnicate" "$ERR"
run_ken serve --db "$DB" --threads 0
expect_eq "--threads 0 exits 2" 2 "$RC"
expect_contains "--threads 0 is explained" "bad number" "$ERR"
run_ken serve --db "$DB" --listen
expect_eq "an option without its value exits 2" 2 "$RC"
expect_contains "a missing value is explained" "--listen needs a value" "$ERR"
env -u KEN_DB "$KEN" serve >"$OUT" 2>"$ERR" </dev/null; RC=$?
expect_eq "serve without a database exits 2" 2 "$RC"
expect_contains "serve without a database says how to give one" "KEN_DB" "$ERR"
run_ken serve --db "$TMP/missing.db"
expect_eq "serve on a missing database exits 1" 1 "$RC"
expect_contains "missing database hints at ken init" "ken init --db $TMP/missing.db" "$ERR"
[ ! -e "$TMP/missing.db" ] && pass || fail "serve does not create a missing database"
echo "this is not a database" >"$TMP/junk.db"
run_ken serve --db "$TMP/junk.db"
expect_eq "serve on a file that is not a database exits 1" 1 "$RC"

# init makes new databases only.
run_ken init --db "$DB"
expect_eq "init exits 0" 0 "$RC"
expect_contains "init says how to add the first admin" "ken user add" "$OUT"
run_ken init --db "$DB"
expect_eq "init on an existing file exits 1" 1 "$RC"
expect_contains "init refuses to overwrite" "already exists" "$ERR"
run_ken serve --db "$DB" --trusted-header X-Remote-User
expect_eq "--trusted-header without --trusted-proxy exits 2" 2 "$RC"
expect_contains "the two single sign-on options go together" "go together" "$ERR"

# People and tokens.
run_ken user add alice --name "Alice Admin" --role admin --db "$DB"
expect_eq "user add exits 0" 0 "$RC"
ALICE_PW=$(sed -n 's/.*Password: \(.*\)$/\1/p' "$OUT")
[ "${#ALICE_PW}" -ge 10 ] && pass || fail "user add prints a generated password" "$(cat "$OUT")"
run_ken user add alice --name "Alice Again" --role editor --db "$DB"
expect_eq "adding a taken login exits 1" 1 "$RC"
expect_contains "a taken login is explained" "already taken" "$ERR"
run_ken user add bob --name Bob --role wizard --db "$DB"
expect_eq "an unknown role exits 2" 2 "$RC"
expect_contains "the roles are listed" "viewer, editor, hr or admin" "$ERR"
run_ken user add bob --role editor --db "$DB"
expect_eq "a missing --name exits 2" 2 "$RC"
run_ken user add Bob --name Bob --role editor --db "$DB"
expect_eq "a login with capitals exits 2" 2 "$RC"
echo "short" | "$KEN" user add bob --name Bob --role editor --password-stdin --db "$DB" >"$OUT" 2>"$ERR"
RC=$?
expect_eq "a short password exits 1" 1 "$RC"
expect_contains "a short password is explained" "at least 10 characters" "$ERR"
BOB_PW="correct horse battery"
echo "$BOB_PW" | "$KEN" user add bob --name "<b>Bob</b>" --role viewer --password-stdin --db "$DB" \
    >"$OUT" 2>"$ERR"
RC=$?
expect_eq "bob can be added once his password is long enough" 0 "$RC"
expect_not_contains "a password from stdin is not echoed" "$BOB_PW" "$OUT"
run_ken token add nobody --db "$DB"
expect_eq "a token for an unknown login exits 1" 1 "$RC"
expect_contains "an unknown login is named" "no user called nobody" "$ERR"
KEN_DB=$DB "$KEN" token add bob --label laptop >"$OUT" 2>"$ERR" </dev/null; RC=$?
expect_eq "token add with KEN_DB exits 0" 0 "$RC"
BOB_TOKEN=$(cat "$OUT")
expect_eq "the token is 43 characters" 43 "${#BOB_TOKEN}"

run_ken serve --db "$DB" --listen not-an-address
expect_eq "a malformed --listen is a usage error" 2 "$RC"
expect_contains "the malformed address is named" "not-an-address" "$ERR"
expect_not_contains "and not blamed on another program" "another program" "$ERR"

# KEN_DB and KEN_LISTEN instead of flags; the access log goes to a file.
PORT=$(free_port)
URL=http://127.0.0.1:$PORT
LOG_MARK=$(wc -l <"$LOG")
KEN_DB=$DB KEN_LISTEN=127.0.0.1:$PORT "$KEN" serve --threads 2 --access-log "$TMP/access.log" \
    >>"$ACCESS" 2>>"$LOG" &
SERVER_PID=$!
wait_up && pass || fail "ken serve starts from KEN_DB and KEN_LISTEN" "$(tail -n 5 "$LOG")"
expect_contains "serve says where it listens" "http://127.0.0.1:$PORT/" "$LOG"
login alice "$ALICE_PW"
expect_status "the generated password signs alice in" 303
login bob "$BOB_PW"
expect_status "the password from stdin signs bob in" 303
http GET / -b "$TMP/bob.jar"
expect_contains "a name with markup is shown as text" "&lt;b&gt;Bob&lt;/b&gt;"
expect_not_contains "and never as markup" "<b>Bob</b>"
http GET /api/pages -H "Authorization: Bearer $BOB_TOKEN"
expect_status "bob's token works" 200
echo "added while serving" | "$KEN" user add carol --name Carol --role editor --password-stdin \
    --db "$DB" >"$OUT" 2>"$ERR"
expect_eq "user add works while ken is serving" 0 "$?"
login carol "added while serving"
expect_status "the person added while serving signs in at once" 303
expect_logged "the access log file gets the requests" 'bob "GET /api/pages" 200' "$TMP/access.log"

# A second ken on the same port fails clearly instead of hanging.
timeout 20 "$KEN" serve --db "$DB" --listen "127.0.0.1:$PORT" >"$OUT" 2>"$ERR"; RC=$?
expect_eq "a busy port exits 1" 1 "$RC"
expect_contains "a busy port is explained" "cannot listen on 127.0.0.1:$PORT" "$ERR"
expect_contains "a busy port suggests --listen" "--listen" "$ERR"
http GET /api/pages -H "Authorization: Bearer $BOB_TOKEN"
expect_status "the first ken still serves" 200
stop_server # checks exit 0 and "stopped cleanly"

# A database from a newer ken is refused, not damaged.
user_version() { # user_version DB [NEW]: prints (or sets) the schema version ken keeps there
    python3 -c 'import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
if len(sys.argv) > 2: c.execute("PRAGMA user_version=%d" % int(sys.argv[2])); c.commit()
else: print(c.execute("PRAGMA user_version").fetchone()[0])' "$@"
}
user_version "$DB" 9999
run_ken serve --db "$DB" --listen "127.0.0.1:$(free_port)"
expect_eq "a newer database exits 1" 1 "$RC"
expect_contains "a newer database is explained" "newer ken" "$ERR"
run_ken token add bob --db "$DB"
expect_eq "token add refuses a newer database too" 1 "$RC"
expect_eq "the database keeps its version" 9999 "$(user_version "$DB")"
