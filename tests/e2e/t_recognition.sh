# Recognition: contributions on profiles, /thanks per month and department, engagement figures for
# HR and admins, and the department filter on questions. Everything is made through the API in
# this test; only the times of some questions, answers and one page are moved with sqlite3 (while
# ken is stopped), because the API always stamps "now" and the figures are about periods.
. "$(dirname "$0")/lib.sh" "$@"

init_demo
# The demo is dated relative to today, with answers, views and verifications this month; this
# test counts what it makes itself this month, so the demo's own month moves a year back first.
sqlite3 "$DB" "UPDATE answers SET created_at = created_at - 400 * 86400;
  UPDATE questions SET created_at = created_at - 400 * 86400, updated_at = updated_at - 400 * 86400;
  UPDATE answer_votes SET created_at = created_at - 400 * 86400;
  UPDATE page_verifications SET at = at - 400 * 86400;
  DELETE FROM page_views;
  UPDATE revisions SET created_at = created_at - 400 * 86400 WHERE created_at > strftime('%s', 'now') - 40 * 86400;"
start_server
tok() { "$KEN" token add "$1" --db "$DB"; }
for u in priya callum rui wei nadia catherine ewan joao tiago lena mara fiona marc; do
    declare -a "T_$u=(-H 'Authorization: Bearer $(tok $u)')"
done
# py EXPR: evaluates a Python expression over the last JSON answer (d) and prints it.
py() {
    python3 -c 'import json,sys
d = json.load(open(sys.argv[1]))
v = eval(sys.argv[2])
print(v if isinstance(v, str) else json.dumps(v))' "$BODY" "$1"
}
as() { local -n who=T_$1; shift; http "$1" "$2" "${who[@]}" "${@:3}"; }
ask() { # ask LOGIN TITLE: prints the new question's id
    as "$1" POST /api/questions -d "{\"title\": \"$2\", \"markdown\": \"Details.\"}" >/dev/null
    py 'd["id"]'
}
answer() { # answer LOGIN QID: prints the new answer's id
    as "$1" POST "/api/questions/$2/answers" -d '{"markdown": "Here is how."}'
    py 'd["id"]'
}
page() { as "$1" PUT "/api/pages/$2" -d "{\"title\": \"$3\", \"markdown\": \"$4\", \"base_revision\": 0}"; }
profile_text() { # profile_text LOGIN: the Contributions section of the profile as one line
    login mara "$PW" >/dev/null
    http GET "/people/$1" -b "$TMP/mara.jar"
    sed -n '/<section class="profile-contrib"/,/<\/section>/p' "$BODY" | sed 's/<[^>]*>/ /g' |
        tr -s ' \n' '  '
}

# ---- before: priya has written pages (the demo) but answered nothing
BEFORE=$(profile_text priya)
expect_contains "priya's profile lists her contributions" "Contributions" <(echo "$BEFORE")
expect_contains "no answers yet" "0 answers, 0 accepted" <(echo "$BEFORE")
PAGES_BEFORE=$(echo "$BEFORE" | sed -n 's/.*Pages written \([0-9]*\) pages.*/\1/p')
OWNED_BEFORE=$(echo "$BEFORE" | sed -n 's/.*Pages owned \([0-9]*\) pages.*/\1/p')
expect_eq "she wrote demo pages" yes "$([ "${PAGES_BEFORE:-0}" -gt 0 ] && echo yes)"

# ---- this month: pages, questions, answers, votes, acceptances, views, verifications
page priya engineering/replica-guide "Replica guide" "How to run a reporting replica."
expect_status "priya writes a page" 201
page priya engineering/replica-faq "Replica FAQ" "Questions about replicas."
page callum engineering/k8s-notes "Kubernetes notes" "Pods and nodes."
page rui operations/shift-handover "Shift handover" "What the next shift needs."
page lena it/badge-printer "Badge printer" "Where the badge printer lives."
expect_status "rui writes a page" 201

Q1=$(ask wei "How do month-end accruals work?")
Q2=$(ask nadia "Which supplier portal do we use for resin?")
Q3=$(ask wei "Where are the reconciliation templates?")
Q4=$(ask catherine "Who approves treasury transfers?")
Q5=$(ask priya "Is our replica lag alert tuned?")
A1=$(answer priya "$Q1")
A2=$(answer rui "$Q1")
A3=$(answer priya "$Q2")
A4=$(answer callum "$Q3")
A5=$(answer priya "$Q5")
expect_status "priya answers her own question too" 201
as wei POST "/api/answers/$A1/vote"
as nadia POST "/api/answers/$A2/vote"
as catherine POST "/api/answers/$A2/vote"
expect_eq "A2 has two votes" 2 "$(py 'd["votes"]')"
as wei POST "/api/answers/$A1/accept"
expect_status "wei accepts priya's answer" 200
as nadia POST "/api/answers/$A3/accept"
expect_status "nadia accepts priya's answer to her question" 200

for i in 1 2 3 4 5; do as wei GET /wiki/engineering/replica-guide; done
for i in 1 2 3; do as nadia GET /wiki/operations/shift-handover; done
as wei GET /wiki/engineering/k8s-notes
as wei GET /wiki/it/badge-printer
as nadia GET /wiki/it/badge-printer
expect_status "reading pages" 200
as priya POST /api/pages/engineering/replica-guide/verify
expect_status "priya verifies her page" 200
as priya POST /api/pages/engineering/replica-faq/verify
as rui POST /api/pages/operations/shift-handover/verify

# ---- a controlled period long ago (January 2020) for the engagement figures
E1=$(ask wei "E1: how are FX rates booked?")
E2=$(ask nadia "E2: who signs customs forms?")
E3=$(ask catherine "E3: where is the budget calendar?")
E4=$(ask ewan "E4: is there a Django style guide?")
E5=$(ask wei "E5: asked in December 2019")
E6=$(ask wei "E6: when do expense claims close?")
E1A=$(answer callum "$E1")
E1B=$(answer rui "$E1")
E2A=$(answer priya "$E2")
E3A=$(answer callum "$E3")
E5A=$(answer lena "$E5")
E6A=$(answer tiago "$E6")
as nadia POST "/api/answers/$E2A/accept"
expect_status "nadia accepts the answer to E2" 200
page joao engineering/joao-notes "Notes from January" "Written long ago."
expect_status "joao writes a page (moved to January 2020 below)" 201

# Views are written in batches, and at the latest when ken stops: stop it, then move times.
stop_server
month_at() { python3 -c 'import calendar,datetime,sys
t = datetime.datetime.now(datetime.timezone.utc).replace(day=1) + datetime.timedelta(days=int(sys.argv[1]) * 31)
print(calendar.timegm((t.year, t.month, 15, 12, 0, 0)))' "$1"; }
PREV_T=$(month_at -1)
MONTH=$(date -u +%Y-%m)
PREV=$(date -u -d "@$PREV_T" +%Y-%m)
at() { date -u -d "$1" +%s; } # at '2020-01-10 00:00'
sqlite3 "$DB" <<SQL
UPDATE questions SET created_at = $PREV_T WHERE id = $Q2;
UPDATE answers SET created_at = $PREV_T + 600 WHERE id = $A3;
UPDATE questions SET created_at = $(at '2020-01-10 00:00') WHERE id = $E1;
UPDATE answers SET created_at = $(at '2020-01-10 01:00') WHERE id = $E1A;
UPDATE answers SET created_at = $(at '2020-01-10 05:00') WHERE id = $E1B;
UPDATE questions SET created_at = $(at '2020-01-12 00:00') WHERE id = $E2;
UPDATE answers SET created_at = $(at '2020-01-12 03:00') WHERE id = $E2A;
UPDATE questions SET created_at = $(at '2020-01-20 00:00') WHERE id = $E3;
UPDATE answers SET created_at = $(at '2020-01-22 00:00') WHERE id = $E3A;
UPDATE questions SET created_at = $(at '2020-01-25 00:00') WHERE id = $E4;
UPDATE questions SET created_at = $(at '2019-12-31 23:00') WHERE id = $E5;
UPDATE answers SET created_at = $(at '2020-01-01 00:10') WHERE id = $E5A;
UPDATE questions SET created_at = $(at '2020-01-28 00:00') WHERE id = $E6;
UPDATE answers SET created_at = $(at '2020-01-28 07:00') WHERE id = $E6A;
UPDATE pages SET created_at = $(at '2020-01-15 09:00') WHERE path = 'engineering/joao-notes';
UPDATE revisions SET created_at = $(at '2020-01-15 09:00')
  WHERE page_id = (SELECT id FROM pages WHERE path = 'engineering/joao-notes');
SQL
expect_eq "the times are moved" 0 "$?"
start_server

# ---- /thanks for this month
as marc GET "/api/thanks?month=$MONTH"
expect_status "a viewer sees the month's thanks" 200
expect_eq "most helpful answers: accepted with a vote, then two votes; none without either" \
    "[$A1, $A2]" "$(py '[a["answer_id"] for a in d["answers"]]')"
expect_eq "an accepted answer's score counts its acceptance" "3 true priya" \
    "$(py '"%d %s %s" % (d["answers"][0]["score"], str(d["answers"][0]["accepted"]).lower(), d["answers"][0]["author"]["login"])')"
expect_eq "most read pages, by views this month" \
    '[["engineering/replica-guide", 5], ["operations/shift-handover", 3], ["it/badge-printer", 2], ["engineering/k8s-notes", 1]]' \
    "$(py '[[p["path"], p["views"]] for p in d["most_read"]]')"
expect_eq "with who wrote them" priya "$(py 'd["most_read"][0]["writers"][0]["login"]')"
expect_eq "new pages, the most read first" \
    '["engineering/replica-guide", "operations/shift-handover", "it/badge-printer", "engineering/k8s-notes", "engineering/replica-faq"]' \
    "$(py '[p["path"] for p in d["new_pages"]]')"
expect_eq "a page moved to 2020 is not new this month" "false" \
    "$(py 'str(any(p["path"] == "engineering/joao-notes" for p in d["new_pages"])).lower()')"
expect_eq "kept fresh: who verified pages, most first" '[["priya", 2], ["rui", 1]]' \
    "$(py '[[c["person"]["login"], c["verified"]] for c in d["kept_fresh"]]')"
expect_eq "priya in the thank-you list: answers, accepted, new pages, verified" "2 1 2 2" \
    "$(py '" ".join(str(c[k]) for c in d["people"] if c["person"]["login"] == "priya" for k in ("answers", "accepted", "pages_new", "verified"))')"
expect_eq "per department: Engineering's answers, accepted, new pages, verified" "3 1 3 2" \
    "$(py '" ".join(str(x[k]) for x in d["departments"] if x["slug"] == "engineering" for k in ("answers", "accepted", "pages_new", "verified"))')"
expect_eq "per department: Operations'" "1 0 1 1" \
    "$(py '" ".join(str(x[k]) for x in d["departments"] if x["slug"] == "operations" for k in ("answers", "accepted", "pages_new", "verified"))')"

as marc GET "/api/thanks?month=$MONTH&dept=operations"
expect_eq "Operations: rui's answer only" "[$A2]" "$(py '[a["answer_id"] for a in d["answers"]]')"
expect_eq "Operations: the pages its people wrote" '["operations/shift-handover"]' \
    "$(py '[p["path"] for p in d["most_read"]]')"
expect_eq "Operations: who kept pages fresh" '["rui"]' "$(py '[c["person"]["login"] for c in d["kept_fresh"]]')"
expect_eq "Operations: the thank-you list" '["rui"]' "$(py '[c["person"]["login"] for c in d["people"]]')"
as marc GET "/api/thanks?month=$MONTH&dept=engineering"
expect_eq "Engineering: priya's answer" "[$A1]" "$(py '[a["answer_id"] for a in d["answers"]]')"
expect_eq "Engineering: its people's pages, most read first" \
    '["engineering/replica-guide", "engineering/k8s-notes"]' "$(py '[p["path"] for p in d["most_read"]]')"

as marc GET "/api/thanks?month=$PREV"
expect_eq "last month: the answer written then" "[$A3]" "$(py '[a["answer_id"] for a in d["answers"]]')"
expect_eq "accepted, without votes" "2" "$(py 'd["answers"][0]["score"]')"
as marc GET /api/thanks
expect_eq "without month=, this month" "$MONTH" "$(py 'd["month"]')"
as marc GET "/api/thanks?month=2020-01"
expect_eq "January 2020: the accepted answer to E2" "[$E2A]" "$(py '[a["answer_id"] for a in d["answers"]]')"
expect_eq "and joao's page, new then" '["engineering/joao-notes"]' "$(py '[p["path"] for p in d["new_pages"]]')"
expect_eq "the answerers and joao thanked" '["callum", "joao", "lena", "priya", "rui", "tiago"]' \
    "$(py 'sorted(c["person"]["login"] for c in d["people"])')"

login marc "$PW"
http GET "/thanks?month=$MONTH" -b "$TMP/marc.jar"
expect_status "the thanks page" 200
expect_contains "names the month" "<h1>Thanks: $(date -u +'%B %Y')"
expect_contains "shows the most helpful answer and who wrote it" \
    "How do month-end accruals work?</a>"
expect_contains "with its author" 'answered by <a href="/people/priya">Priya Raman</a> · Engineering · 1 vote'
expect_contains "links to the month before" "href=\"/thanks?month=$PREV\""
expect_contains "and to each department's thanks" "href=\"/thanks?month=$MONTH&amp;dept=operations\">Operations</a>"
http GET "/thanks?month=$PREV&dept=engineering" -b "$TMP/marc.jar"
expect_contains "last month in Engineering" "Which supplier portal do we use for resin?"
expect_contains "the department's name in the heading" "<span class=\"muted\">· Engineering</span>"
expect_contains "keeps the department when going back a month" "&amp;dept=engineering\">"
http GET "/thanks?month=2020-01" -b "$TMP/marc.jar"
expect_contains "a month long ago stays chosen in the form" '<option value="2020-01" selected>January 2020</option>'
http GET "/thanks?month=2026-13" -b "$TMP/marc.jar"
expect_status "a month that does not exist" 400
expect_contains "says what a month looks like" "like 2026-11"
http GET "/thanks?dept=nowhere" -b "$TMP/marc.jar"
expect_status "an unknown department" 400
http GET /thanks
expect_not_contains "not for anonymous readers" "Most helpful answers"
http GET /people -b "$TMP/marc.jar"
expect_contains "the people page links to the thanks" 'href="/thanks"'

# ---- profiles
AFTER=$(profile_text priya)
expect_contains "priya's pages written grew by the two she wrote" \
    "Pages written $((PAGES_BEFORE + 2)) pages" <(echo "$AFTER")
expect_contains "she owns them too, all up to date" \
    "Pages owned $((OWNED_BEFORE + 2)) pages, $((OWNED_BEFORE + 2)) up to date" <(echo "$AFTER")
expect_contains "two pages verified lately" "verified 2 pages in the last 90 days" <(echo "$AFTER")
expect_contains "answers given and accepted (her own question's answer too)" \
    "4 answers, 3 accepted" <(echo "$AFTER")
expect_contains "people helped: wei and nadia, not herself" \
    "People helped 2 people whose questions they answered" <(echo "$AFTER")
CALLUM_P=$(profile_text callum)
expect_contains "callum: three answers, none accepted" "3 answers, 0 accepted" <(echo "$CALLUM_P")
expect_contains "callum helped wei (twice) and catherine: two people" \
    "People helped 2 people" <(echo "$CALLUM_P")
LENA_P=$(profile_text lena)
expect_contains "lena's one page" "Pages written 1 page Pages owned 1 page, 1 up to date" <(echo "$LENA_P")
expect_contains "her page is listed with her part of it" "Badge printer they wrote 100% of its text" \
    <(echo "$LENA_P")
expect_eq "someone who contributed nothing has no Contributions section" "" "$(profile_text ravi)"
http GET /people/ravi -b "$TMP/mara.jar"
expect_status "but their profile is there" 200

# ---- engagement (HR and admins)
as fiona GET "/api/engagement?from=2020-01-01&to=2020-01-31"
expect_status "HR sees engagement" 200
expect_eq "active contributors: five answerers and joao, who edited a page" "6 1 5" \
    "$(py '"%d %d %d" % (d["active_contributors"], d["editors"], d["answerers"])')"
expect_eq "questions asked in January (not E5, asked in December), answered, accepted" "5 4 1" \
    "$(py '"%d %d %d" % (d["questions_asked"], d["questions_answered"], d["questions_accepted"])')"
expect_eq "answers written in January (E5's answer too)" 6 "$(py 'd["answers"]')"
expect_eq "answer rate" 0.8 "$(py 'd["answer_rate"]')"
expect_eq "median time to a first answer: between 3 h and 7 h of 1 h, 3 h, 7 h, 2 days" 18000 \
    "$(py 'd["median_first_answer_seconds"]')"
expect_eq "per department: active, asked, answered" \
    '{"engineering": [3, 1, 0], "finance": [0, 3, 3], "it": [2, 0, 0], "operations": [1, 1, 1]}' \
    "$(py '{x["slug"]: [x["active_contributors"], x["questions_asked"], x["questions_answered"]] for x in d["departments"] if x["slug"] in ("engineering", "finance", "it", "operations")}')"
as fiona GET "/api/engagement?from=2020-01-01&to=2020-01-27"
expect_eq "without E6 the median is the middle one of three (3 h)" 10800 \
    "$(py 'd["median_first_answer_seconds"]')"
as fiona GET "/api/engagement?from=2020-02-01&to=2020-02-02"
expect_eq "a period without answers has no median" null "$(py 'd["median_first_answer_seconds"]')"
as fiona GET "/api/engagement?days=1"
expect_eq "the last day: Q1, Q3, Q4 and Q5 asked, three answered" "4 3 0.75" \
    "$(py '"%d %d %s" % (d["questions_asked"], d["questions_answered"], d["answer_rate"])')"
login fiona "$PW"
http GET "/admin/engagement?from=2020-01-01&to=2020-01-31" -b "$TMP/fiona.jar"
expect_status "the engagement page for HR" 200
expect_contains "shows the median" '<td class="figure">5 h 0 min</td>'
expect_contains "and the answer rate" '<td class="figure">80%</td>'
http GET /admin/engagement -b "$TMP/fiona.jar"
expect_contains "the last 30 days by default" '<option value="30" selected>'
http GET /admin/engagement -b "$TMP/mara.jar"
expect_status "admins see it" 200
http GET /admin -b "$TMP/mara.jar"
expect_contains "the admin page links to it" 'href="/admin/engagement"'
login priya "$PW"
http GET /admin/engagement -b "$TMP/priya.jar"
expect_status "an editor does not" 403
as marc GET /api/engagement
expect_status "nor a viewer's token" 403
as fiona GET "/api/engagement?from=2020-02-01"
expect_status "from without to" 400
as fiona GET "/api/engagement?from=2020-02-01&to=2020-01-01"
expect_status "to before from" 400
as fiona GET "/api/engagement?days=0"
expect_status "zero days" 400
expect_contains "says what days takes" "days is a number of days"

# ---- questions by the asker's department
as marc GET "/api/questions?dept=finance"
expect_status "questions asked in Finance" 200
expect_eq "only Finance askers" '["finance"]' "$(py 'sorted(set(q["asker_department"] for q in d["questions"]))')"
expect_eq "Q1 and Q4 among them, not Q2" "true true false" \
    "$(py '" ".join(str(i in [q["id"] for q in d["questions"]]).lower() for i in ('"$Q1, $Q4, $Q2"'))')"
as marc GET "/api/questions?dept=finance&q=accruals"
expect_eq "searching within Finance's questions" "[$Q1]" "$(py '[q["id"] for q in d["questions"]]')"
as marc GET "/api/questions?dept=operations&q=accruals"
expect_eq "the same words in Operations find nothing" 0 "$(py 'd["total"]')"
as marc GET "/api/questions?dept=operations&state=accepted"
expect_eq "department and state together" "[$Q2]" "$(py '[q["id"] for q in d["questions"] if q["id"] in ('"$Q1, $Q2"')]')"
as marc GET "/api/questions?dept=nowhere"
expect_status "an unknown department" 400
http GET "/questions?dept=operations" -b "$TMP/marc.jar"
expect_contains "the list page narrows too" "Which supplier portal do we use for resin?"
expect_not_contains "and leaves out other departments' questions" "How do month-end accruals work?"
expect_contains "the department is chosen in the form" '<option value="operations" selected>Operations</option>'
expect_contains "each question says where its asker works" '(<a href="/questions?dept=operations">Operations</a>)'

# ---- people who leave stay credited, marked
post_form "$TMP/mara.jar" /people/callum/left left=1
expect_status "callum leaves" 303
as marc GET "/api/thanks?month=$MONTH"
expect_eq "his work still counts, marked as someone who left" "true" \
    "$(py 'str([c["person"]["left"] for c in d["people"] if c["person"]["login"] == "callum"][0]).lower()')"
http GET "/thanks?month=$MONTH" -b "$TMP/marc.jar"
expect_contains "the page says he has left" '<a href="/people/callum">Callum Reid</a> (has left)'
