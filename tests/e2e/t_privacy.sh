#!/usr/bin/env bash
# Field privacy end to end: wei puts a marker in an HR-only field and another in fields only he
# may see; a viewer and an editor never meet either marker anywhere (profile, directory and its
# filters, API, history, org SVG, search); HR meets the HR-only one but never the private one;
# wei meets both.
. "$(dirname "$0")/lib.sh" "$@"
init_demo
start_server
login wei "$PW" && login gareth "$PW" && login priya "$PW" && login fiona "$PW" && login mara "$PW"
WEI=$TMP/wei.jar HR=$TMP/fiona.jar ADMIN=$TMP/mara.jar
HRM=HRONLYMARKER7731 PRIVM=PRIVMARKER5519

post_form "$WEI" /people/wei/edit "open_to_roles=Treasury work $HRM" \
    "chat=@wei $PRIVM" vis_chat=private "location=Atlantis $PRIVM" vis_location=private \
    "bio=Secret **$PRIVM**" vis_bio=private "want_skills=Python, SQL"
expect_status "wei saves his profile" 303
# An admin moving him keeps his choices, and adds a visible revision to the history.
post_form "$ADMIN" /people/wei/edit "title=Senior Accountant (Treasury)"
expect_status "an admin changes wei's title" 303

# never_sees JAR WHO: what a reader who must never see either marker gets.
never_sees() {
    local jar=$1 who=$2 token
    token=$("$KEN" token add "$who" --db "$DB")
    check() { # check WHAT
        expect_not_contains "$who: no HR-only marker in $1" "$HRM"
        expect_not_contains "$who: no private marker in $1" "$PRIVM"
    }
    http GET /people/wei -b "$jar"
    expect_status "$who reads wei's profile" 200
    expect_contains "$who sees wei's public facts" "wei@northwindloom.example"
    check "the profile"
    expect_not_contains "$who: no HR-only field's label" "Open to new roles"
    expect_not_contains "$who: the hidden location leaves no trace" "Atlantis"
    http GET /people/wei/history -b "$jar"
    expect_status "$who reads wei's history" 200
    check "the history"
    expect_contains "$who sees the title change" "Senior Accountant (Treasury)"
    expect_not_contains "$who: hidden changes are not even mentioned" "Open to new roles"
    expect_not_contains "$who: nor are visibility choices" "Who sees"
    http GET /people/wei/org.svg -b "$jar"
    check "the org SVG"
    http GET /people/aisha/org.svg -b "$jar"
    check "a report's org SVG"
    http GET /people/aisha -b "$jar"
    check "a report's profile"
    http GET /people -b "$jar"
    check "the directory and its filter choices"
    http GET "/people?q=ONLYMARKER77" -b "$jar"
    check "the directory searched for part of the HR-only marker"
    http GET "/people?q=$HRM" -b "$jar"
    expect_contains "$who: the directory finds nobody by the HR-only marker" '<span class="count">0</span>'
    http GET "/people?q=$PRIVM" -b "$jar"
    expect_contains "$who: nor by the private marker" '<span class="count">0</span>'
    http GET "/people?location=Atlantis+$PRIVM" -b "$jar"
    expect_not_contains "$who: a hidden location does not match its filter" 'href="/people/wei"'
    http GET "/people?sort=start" -b "$jar"
    check "the directory sorted by start date"
    http GET /api/people/wei -H "Authorization: Bearer $token"
    expect_status "$who reads wei through the API" 200
    check "the API"
    expect_eq "$who: the API has no key for a hidden field" absent "$(json "$BODY" '.get("chat", "absent")')"
    expect_eq "$who: nor its visibility" absent "$(json "$BODY" '["visibility"].get("chat", "absent")')"
    for q in "q=$HRM" "q=$PRIVM" "location=Atlantis+$PRIVM" "language=$PRIVM"; do
        http GET "/api/people?$q" -H "Authorization: Bearer $token"
        check "the people API for $q"
        expect_eq "$who: the people API finds nobody for $q" 0 "$(json "$BODY" '["total"]')"
    done
    http GET "/api/people?limit=200" -H "Authorization: Bearer $token"
    check "the people API listing"
    http GET "/search?q=HRONLYMARK*" -b "$jar"
    check "search"
    http GET "/search?q=$PRIVM" -b "$jar"
    expect_contains "$who: search finds nothing for the private marker" "0 page(s) found"
    http GET "/api/search?q=PRIVMARK*" -H "Authorization: Bearer $token"
    check "the search API"
    http GET "/api/search?q=$HRM" -H "Authorization: Bearer $token"
    expect_eq "$who: the search API finds nothing" 0 "$(json "$BODY" '["total"]')"
    http GET /org -b "$jar"
    check "the org chart"
    http GET /departments/finance -b "$jar"
    check "wei's department"
    http GET /api/departments -H "Authorization: Bearer $token"
    check "the departments API"
}
never_sees "$TMP/gareth.jar" gareth
never_sees "$TMP/priya.jar" priya

# HR sees the HR-only marker, never the private one.
HR_TOKEN=$("$KEN" token add fiona --db "$DB")
http GET /people/wei -b "$HR"
expect_contains "HR sees the HR-only field" "$HRM"
expect_not_contains "HR does not see the private fields" "$PRIVM"
http GET /api/people/wei -H "Authorization: Bearer $HR_TOKEN"
expect_eq "HR gets the HR-only field from the API" "Treasury work $HRM" "$(json "$BODY" '["open_to_roles"]')"
expect_not_contains "HR gets no private field from the API" "$PRIVM"
http GET /people/wei/history -b "$HR"
expect_contains "HR sees the HR-only change in the history" "$HRM"
expect_not_contains "HR sees no private change in the history" "$PRIVM"
http GET /people/wei/edit -b "$HR"
expect_contains "HR's form holds the HR-only field" "$HRM"
expect_not_contains "HR's form holds no private field" "$PRIVM"
http GET "/api/people?location=Atlantis+$PRIVM" -H "Authorization: Bearer $HR_TOKEN"
expect_eq "HR cannot find wei by his private location" 0 "$(json "$BODY" '["total"]')"
http GET "/people/wei/history" -b "$ADMIN"
expect_not_contains "nor can an admin see private changes" "$PRIVM"

# Wei sees both.
WEI_TOKEN=$("$KEN" token add wei --db "$DB")
http GET /people/wei -b "$WEI"
expect_contains "wei sees his HR-only field" "$HRM"
expect_contains "wei sees his private fields" "$PRIVM"
expect_contains "wei is told who else sees a field" "HR and you"
http GET /api/people/wei -H "Authorization: Bearer $WEI_TOKEN"
expect_eq "wei gets his private chat handle" "@wei $PRIVM" "$(json "$BODY" '["chat"]')"
expect_eq "and its visibility" private "$(json "$BODY" '["visibility"]["chat"]')"
http GET /people/wei/history -b "$WEI"
expect_contains "wei's history has his private changes" "$PRIVM"
expect_contains "and his visibility choices" "Who sees"
http GET "/api/people?location=Atlantis+$PRIVM" -H "Authorization: Bearer $WEI_TOKEN"
expect_eq "wei finds himself by his private location" 1 "$(json "$BODY" '["total"]')"

# Making a field public later shows it from then on, but not what it held while private.
post_form "$WEI" /people/wei/edit vis_chat=everyone
expect_status "wei makes his chat handle public" 303
http GET /people/wei -b "$TMP/gareth.jar"
expect_contains "the viewer now sees the chat handle" "@wei $PRIVM"
http GET /people/wei/history -b "$TMP/gareth.jar"
expect_not_contains "but not its past while it was private" "$PRIVM"
