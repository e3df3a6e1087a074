# Questions and answers: ask -> routed to the experts -> their inbox -> answer -> the asker's inbox
# -> accept -> evidence for expertise -> a wiki page; votes, comments, mentions, roles, CSRF.
. "$(dirname "$0")/lib.sh" "$@"

init_demo
start_server
tok() { "$KEN" token add "$1" --db "$DB"; }
WEI=(-H "Authorization: Bearer $(tok wei)")       # Finance: asks
PRIYA=(-H "Authorization: Bearer $(tok priya)")   # Platform: wrote the replication runbooks
CALLUM=(-H "Authorization: Bearer $(tok callum)")
EWAN=(-H "Authorization: Bearer $(tok ewan)")
NADIA=(-H "Authorization: Bearer $(tok nadia)")
MARC=(-H "Authorization: Bearer $(tok marc)")     # a viewer
score_of() { # score_of LOGIN: their score in the last /api/experts answer, 0 when absent
    python3 -c 'import json,sys
d = json.load(open(sys.argv[1]))
print(next((round(e["score"], 4) for e in d["experts"] if e["login"] == sys.argv[2]), 0))' "$BODY" "$1"
}
http GET "/api/experts?q=postgres+replication&limit=50" "${WEI[@]}"
BEFORE=$(score_of priya)

# ---- asking, and whom ken asks
TITLE="How do I set up postgres replication for a reporting replica?"
http POST /api/questions "${WEI[@]}" -d "{\"title\":\"$TITLE\",\"markdown\":\"Month-end reports should run off a replica. @nadia knows the reports; mail me at wei@example.com\",\"tags\":[\"postgresql\"]}"
expect_status "an editor asks a question" 201
QID=$(json "$BODY" '["id"]')
expect_eq "a new question is open" open "$(json "$BODY" '["state"]')"
expect_eq "a postgres replication question goes to priya first" priya "$(json "$BODY" '["asked"][0]["login"]')"
expect_eq "three people are asked" 3 "$(json "$BODY" '["asked"].__len__()')"
expect_contains "with why, as on the experts page" '"why":"wrote part of'
expect_not_contains "the asker is never asked" '"login":"wei"'

login priya "$PW"
http GET / -b "$TMP/priya.jar"
expect_contains "the header shows priya an unread count" 'class="count unread"'
http GET /api/inbox "${PRIYA[@]}"
expect_eq "priya's inbox: ken asks her, newest first" routed "$(json "$BODY" '["items"][0]["kind"]')"
expect_eq "about the question" "$QID" "$(json "$BODY" '["items"][0]["question"]["id"]')"
expect_eq "unread" true "$(json "$BODY" '["items"][0]["unread"]')"
http GET /inbox -b "$TMP/priya.jar"
expect_status "the inbox page" 200
expect_contains "lists the question" "$TITLE"
expect_contains "and why she was asked" "Why you: wrote part of"
http GET /api/inbox "${NADIA[@]}"
expect_contains "a mention in the question reaches nadia" '"kind":"mention"'
http GET /api/inbox "${EWAN[@]}"
expect_not_contains "an e-mail address is not a mention" '"kind":"mention"'

login wei "$PW"
http GET "/questions/$QID" -b "$TMP/wei.jar"
expect_status "the question page" 200
expect_contains "the asker sees whom ken asked and why" 'We asked <a href="/people/priya">Priya Raman</a> (wrote part of'
http GET "/questions/$QID" -b "$TMP/priya.jar"
expect_not_contains "others do not see whom ken asked" 'We asked'

# ---- answering (a form, as a browser sends it)
post_form "$TMP/priya.jar" "/questions/$QID/answers" \
    "markdown=Use **streaming replication**: take a base backup with \`pg_basebackup\`, then start the replica."
expect_status "priya answers through the form" 303
http GET "/api/questions/$QID" "${WEI[@]}"
expect_eq "an answered question is answered" answered "$(json "$BODY" '["state"]')"
AID=$(json "$BODY" '["answers"][0]["id"]')
expect_eq "the answer is priya's" priya "$(json "$BODY" '["answers"][0]["author"]')"
expect_contains "rendered from Markdown" '<strong>streaming replication</strong>'
expect_eq "whom ken asked now shows who answered" true "$(json "$BODY" '["asked"][0]["answered"]')"
http GET /api/inbox "${PRIYA[@]}"
expect_eq "answering marks what ken asked read" false "$(json "$BODY" '["items"][0]["unread"]')"
http GET /api/inbox "${WEI[@]}"
expect_eq "the asker finds the answer in the inbox" answer "$(json "$BODY" '["items"][0]["kind"]')"
expect_eq "unread" true "$(json "$BODY" '["items"][0]["unread"]')"
http GET /inbox -b "$TMP/wei.jar"
expect_contains "with an unread count in the header" 'class="count unread"'
http GET "/questions/$QID" -b "$TMP/wei.jar"
http GET /api/inbox "${WEI[@]}"
expect_eq "reading the question marks it read" false "$(json "$BODY" '["items"][0]["unread"]')"

# ---- votes: once per person, withdrawable, never one's own
http POST "/api/answers/$AID/vote" "${CALLUM[@]}"
expect_eq "callum votes" 1 "$(json "$BODY" '["votes"]')"
http POST "/api/answers/$AID/vote" "${CALLUM[@]}"
expect_eq "voting again changes nothing" 1 "$(json "$BODY" '["votes"]')"
http POST "/api/answers/$AID/vote" "${PRIYA[@]}"
expect_status "nobody votes for their own answer" 403
http DELETE "/api/answers/$AID/vote" "${CALLUM[@]}"
expect_eq "a vote can be withdrawn" 0 "$(json "$BODY" '["votes"]')"
post_form "$TMP/wei.jar" "/answers/$AID/vote" vote=1
expect_status "voting through the form" 303
http GET "/api/questions/$QID" "${EWAN[@]}"
expect_eq "counts" 1 "$(json "$BODY" '["answers"][0]["votes"]')"

# ---- comments and mentions
http POST "/api/questions/$QID/comments" "${CALLUM[@]}" -d "{\"body\":\"@ewan did this for the web app last year\",\"answer_id\":$AID}"
expect_status "a comment on the answer" 201
http GET /api/inbox "${EWAN[@]}"
expect_eq "a mention in a comment lands in ewan's inbox" mention "$(json "$BODY" '["items"][0]["kind"]')"
http GET /api/inbox "${PRIYA[@]}"
expect_eq "the answer's author hears of the comment" comment "$(json "$BODY" '["items"][0]["kind"]')"
http POST "/api/questions/$QID/comments" "${CALLUM[@]}" -d '{"body":""}'
expect_status "an empty comment is refused" 400

# ---- accepting: the asker (or an expert on the topic, or an admin)
http POST "/api/answers/$AID/accept" "${EWAN[@]}"
expect_status "someone only practised in PostgreSQL may not accept" 403
post_form "$TMP/wei.jar" "/answers/$AID/accept"
expect_status "the asker accepts" 303
http GET "/api/questions/$QID" "${WEI[@]}"
expect_eq "the question is accepted" accepted "$(json "$BODY" '["state"]')"
expect_eq "with that answer" "$AID" "$(json "$BODY" '["accepted_answer"]')"
http GET /api/inbox "${PRIYA[@]}"
expect_eq "priya hears her answer was accepted" accepted "$(json "$BODY" '["items"][0]["kind"]')"
http GET "/api/experts?q=postgres+replication&limit=50" "${WEI[@]}"
AFTER=$(score_of priya)
python3 -c "import sys; sys.exit(0 if float('$AFTER') > float('$BEFORE') + 0.3 else 1)" && pass ||
    fail "an accepted answer adds to the answerer's expertise" "before $BEFORE, after $AFTER"

# ---- searching and listing
http GET "/api/questions?q=replica" "${NADIA[@]}"
expect_eq "questions are searchable" "$QID" "$(json "$BODY" '["questions"][0]["id"]')"
expect_eq "and show their state" accepted "$(json "$BODY" '["questions"][0]["state"]')"
http GET "/api/questions?q=pg_basebackup" "${NADIA[@]}"
expect_eq "answers are searched too" "$QID" "$(json "$BODY" '["questions"][0]["id"]')"
http GET "/questions?q=replica" -b "$TMP/wei.jar"
expect_contains "the list page finds it" "$TITLE"
http GET "/api/questions?state=open" "${WEI[@]}"
expect_not_contains "filtering by state" "\"id\":$QID,"
http GET "/api/questions?tag=postgresql" "${WEI[@]}"
expect_contains "filtering by tag" "\"id\":$QID,"
http GET "/api/questions?mine=1" "${PRIYA[@]}"
expect_contains "in my topics: priya declared PostgreSQL" "\"id\":$QID,"
http GET "/api/questions?mine=1" "${WEI[@]}"
expect_not_contains "wei did not" "\"id\":$QID,"
http GET "/api/questions?state=sideways" "${WEI[@]}"
expect_status "an unknown state" 400
http GET /questions -b "$TMP/wei.jar"
expect_contains "the most helpful this month" 'href="/people/priya">Priya Raman</a> <span class="meta">1 accepted answer'

# ---- promoting the accepted answer to a page
post_form "$TMP/wei.jar" "/questions/$QID/promote" path=engineering/runbooks/reporting-replica
expect_status "one click makes a page" 303
expect_header "that goes to the page" "Location: /wiki/engineering/runbooks/reporting-replica"
http GET /api/pages/engineering/runbooks/reporting-replica "${WEI[@]}"
expect_status "the page exists" 200
expect_eq "with the answer's author as its author" priya "$(json "$BODY" '["author"]')"
expect_eq "and the question's title" "$TITLE" "$(json "$BODY" '["title"]')"
http GET "/questions/$QID" -b "$TMP/wei.jar"
expect_contains "the question links to the page" 'href="/wiki/engineering/runbooks/reporting-replica"'
http POST "/api/questions/$QID/promote" "${WEI[@]}" -d '{"path":"engineering/another"}'
expect_status "an answer becomes a page once" 409

# ---- editing keeps history
http PUT "/api/questions/$QID" "${WEI[@]}" -d "{\"title\":\"$TITLE\",\"markdown\":\"Month-end reports should run off a replica (edited).\"}"
expect_eq "editing makes revision 2" 2 "$(json "$BODY" '["revision"]')"
http GET "/questions/$QID/history" -b "$TMP/wei.jar"
expect_contains "the history shows the first version" "Version 1"
http PUT "/api/answers/$AID" "${WEI[@]}" -d '{"markdown":"mine now"}'
expect_status "only its author edits an answer" 403
http PUT "/api/answers/$AID" "${PRIYA[@]}" -d '{"markdown":"Use streaming replication with pg_basebackup."}'
expect_eq "the author does" 2 "$(json "$BODY" '["revision"]')"

# ---- the form: from a search ("Ask this"), checking for similar questions and pages first
http GET "/ask?title=postgres+replica+promotion" -b "$TMP/wei.jar"
expect_status "the ask form" 200
expect_contains "takes the title from the address" 'value="postgres replica promotion"'
expect_contains "shows similar questions" "href=\"/questions/$QID\""
expect_contains "and similar pages" 'href="/wiki/engineering/runbooks/postgresql-replication"'
post_form "$TMP/wei.jar" /ask "title=Who owns the loom firmware release calendar?" \
    "markdown=Is it *firmware* or ops?" tags=firmware check=1
expect_status "checking for similar" 200
expect_contains "previews the Markdown" '<em>firmware</em>'
post_form "$TMP/wei.jar" /ask "title=Who owns the loom firmware release calendar?" \
    "markdown=Is it firmware or ops?" tags=firmware post=1
expect_status "posting" 303
expect_header "goes to the new question" "Location: /questions/"
post_form "$TMP/wei.jar" /ask title= post=1
expect_status "a question needs a title" 400

# ---- roles and CSRF
http GET /questions -H "Authorization: Bearer $(tok marc)"
expect_status "a viewer reads questions" 200
# Asking is not editing: a viewer asks (form and API), comments on and edits their own question
# and accepts an answer; answering, voting and commenting elsewhere stay with editors.
http POST /api/questions "${MARC[@]}" -d '{"title":"Who can explain the loom warranty terms to a customer?","tags":["sales"]}'
expect_status "a viewer asks through the API" 201
MQ=$(json "$BODY" '["id"]')
expect_eq "asked by the viewer" marc "$(json "$BODY" '["asker"]')"
login marc "$PW"
http GET "/ask?title=Who+calibrates+the+Porto+looms%3F" -b "$TMP/marc.jar"
expect_status "a viewer opens the ask form" 200
expect_contains "with the title prefilled from search" 'value="Who calibrates the Porto looms?"'
post_form "$TMP/marc.jar" /ask "title=Who calibrates the Porto looms?" "markdown=For a customer visit." tags=calibration post=1
expect_status "and posts it" 303
expect_header "to the new question" "Location: /questions/"
http GET / -b "$TMP/marc.jar"
expect_contains "the header offers Ask to a viewer" 'href="/ask">Ask</a>'
http GET "/search?q=can+a+customer+in+lisbon+extend+the+loom+warranty" -b "$TMP/marc.jar"
expect_contains "a weak search offers the viewer \"Ask this\", prefilled" \
    '<a href="/ask?title=can%20a%20customer%20in%20lisbon%20extend%20the%20loom%20warranty">Ask this</a>'
http GET "/search?q=postgresql+replication" -b "$TMP/marc.jar"
expect_not_contains "a search with good results does not" '>Ask this</a>'
http POST "/api/questions/$MQ/comments" "${MARC[@]}" -d '{"body":"For the Lisbon customer."}'
expect_status "the asker comments on their own question" 201
http PUT "/api/questions/$MQ" "${MARC[@]}" -d '{"title":"Who can explain the loom warranty terms to a customer, in Portuguese?"}'
expect_status "and edits it" 200
http POST "/api/questions/$QID/comments" "${MARC[@]}" -d '{"body":"me too"}'
expect_status "a viewer does not comment on someone else's question" 403
http POST "/api/questions/$MQ/answers" "${MARC[@]}" -d '{"markdown":"I answer myself"}'
expect_status "a viewer does not answer" 403
http POST "/api/questions/$MQ/answers" "${WEI[@]}" -d '{"markdown":"Rebecca has the warranty sheet."}'
expect_status "an editor answers the viewer" 201
MA=$(json "$BODY" '["id"]')
http POST "/api/answers/$MA/vote" "${MARC[@]}"
expect_status "a viewer does not vote" 403
http POST "/api/answers/$MA/accept" "${MARC[@]}"
expect_status "the viewer accepts the answer to their question" 200
expect_eq "which is now accepted" accepted "$(json "$BODY" '["state"]')"
http POST "/questions/$QID/answers" -b "$TMP/wei.jar" --data-urlencode "markdown=no token"
expect_status "a form without its CSRF token is refused" 403
http GET /questions
expect_status "nobody signed in: sign in first" 303

# ---- availability: away and muted people are not asked
TOMORROW=$(date -u -d tomorrow +%Y-%m-%d)
http POST /api/inbox "${PRIYA[@]}" -d "{\"away_until\":\"$TOMORROW\"}"
expect_eq "priya sets herself away" "$TOMORROW" "$(json "$BODY" '["away_until"]')"
http POST /api/inbox "${CALLUM[@]}" -d '{"mute":"postgresql"}'
expect_eq "callum mutes a topic" '["postgresql"]' "$(json "$BODY" '["muted"]')"
http POST /api/questions "${WEI[@]}" -d '{"title":"Postgres replication lag alerts","tags":["postgresql"]}'
expect_status "another question" 201
expect_not_contains "someone away is not asked" '"login":"priya"'
expect_not_contains "nor someone who muted the topic" '"login":"callum"'
http POST /api/inbox "${PRIYA[@]}" -d '{"read_all":true}'
expect_eq "mark all read" 0 "$(json "$BODY" '["unread"]')"

run_ken route-questions --db "$DB"
expect_eq "ken route-questions runs" 0 "$RC"
expect_contains "and says what it did" "Asked the next people about" "$OUT"
