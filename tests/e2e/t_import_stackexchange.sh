# ken import stackexchange: a Stack Exchange export becomes questions and answers with their real
# authors, dates, scores and accepted answers; --before loads only older evidence and a later run
# adds the rest; running again changes nothing; bad input is refused with a reason and exit code.
. "$(dirname "$0")/lib.sh" "$@"
FIX=$(cd "$(dirname "$0")/fixtures/stackexchange" && pwd)

init_demo
q() { sqlite3 "$DB" "$1"; }
# The demo has questions of its own: count only what the import adds.
QMAX=$(q "SELECT coalesce(max(id), 0) FROM questions") AMAX=$(q "SELECT coalesce(max(id), 0) FROM answers")
INBOX=$(q "SELECT count(*) FROM inbox")

# ---- bad input
run_ken import stackexchange /nonexistent --db "$DB"
expect_eq "a missing folder exits 1" 1 "$RC"
expect_contains "and says so" "is not a folder" "$ERR"
run_ken import stackexchange "$FIX" --db "$DB"
expect_eq "a folder without Posts.xml exits 1" 1 "$RC"
expect_contains "and says what is missing" "has no Posts.xml" "$ERR"
run_ken import stackexchange "$FIX/site" --before yesterday --db "$DB"
expect_eq "a bad --before is a usage error (exit 2)" 2 "$RC"
expect_contains "that names the format" "--before must look like 2016-09-29T14:21:57.723" "$ERR"
run_ken import markdown "$FIX/site" --before 2020-01-01 --db "$DB"
expect_eq "--before belongs to the Stack Exchange import only" 2 "$RC"

# ---- --before: only what is older
run_ken import stackexchange "$FIX/site" --before 2020-02-02T11:30:00.250 --db "$DB"
expect_eq "an import with --before exits 0" 0 "$RC"
expect_contains "it counts what it left for later" "left for a later run" "$ERR"
expect_eq "the answer dated exactly at --before is not loaded (strictly before)" 0 \
    "$(q "SELECT count(*) FROM answers WHERE markdown LIKE '%operator rekey%'")"
expect_eq "the people created later are not loaded" 0 "$(q "SELECT count(*) FROM users WHERE name = 'Zoë Émile'")"

# ---- a cut-off file keeps what came before the break
cp -r "$FIX/broken" "$TMP/broken"
run_ken import stackexchange "$TMP/broken" --db "$DB"
expect_eq "a broken Posts.xml makes the import exit 1" 1 "$RC"
expect_contains "the file and line are named" "Posts.xml: the XML is cut off or broken at line" "$ERR"
expect_eq "the question before the break is imported" 1 "$(q "SELECT count(*) FROM questions WHERE title = 'Rotating vault backup keys'")"

run_ken import stackexchange "$FIX/site" --db "$DB"
expect_eq "the full run exits 0" 0 "$RC"
expect_contains "it adds the rest, and skips what is there" "created 5, updated 0, skipped 7 (unchanged), failed 0" "$ERR"
expect_contains "tag wikis are counted, not imported" "1 other posts (tag wikis) not imported" "$ERR"
expect_eq "each question once" 2 "$(q "SELECT count(*) FROM questions WHERE id > $QMAX")"
expect_eq "each answer once" 3 "$(q "SELECT count(*) FROM answers WHERE id > $AMAX")"
expect_eq "the accepted answer is the one the export says" "ana-lima-7" \
    "$(q "SELECT u.login FROM questions q JOIN answers a ON a.id = q.accepted_answer_id JOIN users u ON u.id = a.author_id WHERE q.id > $QMAX")"
expect_eq "the question is accepted" "accepted" "$(q "SELECT state FROM questions WHERE title LIKE 'Rotating%'")"
expect_eq "the answer keeps its author's date" "2020-02-02 11:30:00" \
    "$(q "SELECT datetime(created_at, 'unixepoch') FROM answers WHERE markdown LIKE '%operator rekey%'")"
expect_eq "scores become votes, negative ones too" "-2 3 12" "$(q "SELECT group_concat(votes, ' ') FROM (SELECT votes FROM answers WHERE id > $AMAX ORDER BY votes)")"
expect_eq "an answer by a deleted account is credited to its display name" "drive-by" \
    "$(q "SELECT u.name FROM answers a JOIN users u ON u.id = a.author_id WHERE a.votes = -2")"
expect_eq "names keep their accents; the login ends in the export's id" "zo-mile-9" "$(q "SELECT login FROM users WHERE name = 'Zoë Émile'")"
expect_eq "the comment on the answer is imported, the one on the tag wiki is not" "Worked for me, thanks!" \
    "$(q "SELECT group_concat(body) FROM question_comments WHERE answer_id IS NOT NULL")"
expect_eq "the related link is kept" "related" "$(q "SELECT kind FROM question_links")"
expect_eq "the imported question is searchable" 1 "$(q "SELECT count(*) FROM question_search WHERE question_search MATCH 'rekey'")"
expect_eq "nobody was told about imported questions" "$INBOX" "$(q "SELECT count(*) FROM inbox")"

run_ken import stackexchange "$FIX/site" --db "$DB"
expect_eq "running it again exits 0" 0 "$RC"
expect_contains "and changes nothing" "created 0, updated 0, skipped 12 (unchanged), failed 0" "$ERR"
expect_eq "still two questions" 2 "$(q "SELECT count(*) FROM questions WHERE id > $QMAX")"

# ---- Votes.xml: scores and acceptance as of --before, brought up to date by a later run
VDB="$TMP/votes.db"
"$KEN" init --db "$VDB" >/dev/null 2>&1
qv() { sqlite3 "$VDB" "$1"; }
run_ken import stackexchange "$FIX/votes" --before 2020-02-15 --db "$VDB"
expect_eq "an export with votes imports with exit 0" 0 "$RC"
expect_contains "the up, down and accept votes before --before are counted" "; 3 votes" "$ERR"
expect_eq "an answer's score is its votes before --before, not the dump's" "1 0" \
    "$(qv "SELECT group_concat(votes, ' ') FROM (SELECT votes FROM answers ORDER BY id)")"
expect_eq "an answer accepted after --before is not accepted yet" "answered" "$(qv "SELECT state FROM questions")"
run_ken import stackexchange "$FIX/votes" --db "$VDB"
expect_contains "the later run updates the answer whose votes changed" "created 0, updated 1, skipped 5 (unchanged), failed 0" "$ERR"
expect_eq "now accepted, on the day it was" "accepted 2020-02-20" \
    "$(qv "SELECT state || ' ' || date(accepted_at, 'unixepoch') FROM questions")"
expect_eq "with its later vote" "1 1" "$(qv "SELECT group_concat(votes, ' ') FROM (SELECT votes FROM answers ORDER BY id)")"

# ---- the API: admins may give author and created_at, like pages; nobody else
start_server
TOKEN=$("$KEN" token add mara --db "$DB")
AUTH="Authorization: Bearer $TOKEN"
http POST /api/questions -H "$AUTH" \
    -d '{"title":"Which UPS for the rack?","markdown":"Ours beeps.","tags":["power"],"author":"bo-chen-8","created_at":"2019-05-01T08:00:00Z"}'
expect_status "an admin imports a question as someone else" 201
expect_eq "it is theirs" "bo-chen-8" "$(json "$BODY" '["asker"]')"
expect_eq "dated when it was asked" "2019-05-01T08:00:00Z" "$(json "$BODY" '["created_at"]')"
QID=$(json "$BODY" '["id"]')
http POST "/api/questions/$QID/answers" -H "$AUTH" \
    -d '{"markdown":"An APC with a network card.","author":"ana-lima-7","created_at":"2019-05-02T08:00:00Z"}'
expect_status "and an answer" 201
expect_eq "by its author" "ana-lima-7" "$(json "$BODY" '["author"]')"
expect_eq "on its date" "2019-05-02T08:00:00Z" "$(json "$BODY" '["created_at"]')"
http POST "/api/questions/$QID/answers" -H "$AUTH" -d '{"markdown":"x","created_at":"last week"}'
expect_status "a bad date is refused" 400
expect_contains "with the format" "created_at must look like"
http POST /api/questions -H "$AUTH" -d '{"title":"T","markdown":"","author":"nobody-here"}'
expect_status "an unknown author is refused" 400
"$KEN" user add ed --name "Ed Itor" --role editor --db "$DB" >/dev/null
ET=$("$KEN" token add ed --db "$DB")
http POST /api/questions -H "Authorization: Bearer $ET" -d '{"title":"T","markdown":"","author":"mara"}'
expect_status "an editor may not ask as someone else" 403

# ---- who knows what, from the imported answers
http GET "/api/experts?q=how+do+I+rotate+vault+keys" -H "$AUTH"
expect_status "experts from imported answers" 200
expect_eq "the accepted answerer comes first" "ana-lima-7" "$(json "$BODY" '["experts"][0]["login"]')"
expect_not_contains "the asker is not an expert for asking" '"login":"bo-chen-8"'
# Two questions are about this: the imported one, and the demo's VPN question, whose answer asks
# for a WireGuard "key pair" (keys, stemmed); Ana answered the first only.
expect_contains "the why counts the questions truly" "answered 1 of the 2 questions about this (1 accepted)"
finish
