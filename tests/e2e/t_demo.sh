#!/usr/bin/env bash
# The demo feels alive whenever it is made: dated relative to today (recent edits, some this
# month), questions open, answered and accepted, the month's thanks not empty; and the README's
# one login per role has that role.
. "$(dirname "$0")/lib.sh" "$@"
init_demo
start_server
TOKEN=$("$KEN" token add mara --db "$DB")
api() { http GET "$1" -H "Authorization: Bearer $TOKEN"; }
TODAY=$(date -u +%s)
MONTH=$(date -u +%Y-%m)

api "/changes.atom"
NEWEST=$(python3 -c 'import re,sys,datetime
t = re.findall(r"<updated>([^<]+)</updated>", open(sys.argv[1]).read())
print(max(int(datetime.datetime.fromisoformat(x.replace("Z", "+00:00")).timestamp()) for x in t))' "$BODY")
expect_eq "the newest edit is at most three days old" yes "$([ $((TODAY - NEWEST)) -le $((3 * 86400)) ] && echo yes || echo "no: $(( (TODAY - NEWEST) / 86400 )) days")"

api /api/questions
for state in open answered accepted; do
    expect_eq "a question is $state" yes "$(json "$BODY" "[\"questions\"] and ('yes' if any(q['state'] == '$state' for q in d['questions']) else 'no')")"
done
expect_eq "every question was asked within the last two months" yes "$(python3 -c 'import json,sys,datetime
d = json.load(open(sys.argv[1]))
ok = all(int(sys.argv[2]) - datetime.datetime.fromisoformat(q["created_at"].replace("Z", "+00:00")).timestamp() < 62 * 86400 for q in d["questions"])
print("yes" if ok and d["questions"] else "no")' "$BODY" "$TODAY")"

api /api/thanks
expect_eq "the thanks are for this month" "$MONTH" "$(json "$BODY" '["month"]')"
expect_eq "with helpful answers this month" yes "$(json "$BODY" '["answers"] and "yes" or "no"')"
expect_eq "the most read pages" yes "$(json "$BODY" '["most_read"] and "yes" or "no"')"
expect_eq "and who kept pages fresh" yes "$(json "$BODY" '["kept_fresh"] and "yes" or "no"')"

# The README's logins per role.
for row in admin:mara hr:fiona editor:priya viewer:ava; do
    role=${row%%:*} who=${row#*:}
    expect_contains "the README names $who as the $role login" "| $role | \`$who\` |" "$(dirname "$0")/../../README.md"
done
login ava "$PW" && login priya "$PW" && login fiona "$PW" && login mara "$PW"
http GET /new -b "$TMP/ava.jar"
expect_status "ava is a viewer: no new page" 403
http GET /ask -b "$TMP/ava.jar"
expect_status "but she asks" 200
http GET /new -b "$TMP/priya.jar"
expect_status "priya is an editor" 200
http GET /hr -b "$TMP/priya.jar"
expect_status "but not HR" 403
http GET /hr -b "$TMP/fiona.jar"
expect_status "fiona is HR" 200
http GET /admin -b "$TMP/fiona.jar"
expect_status "but not an admin" 403
http GET /admin -b "$TMP/mara.jar"
expect_status "mara is the admin" 200
