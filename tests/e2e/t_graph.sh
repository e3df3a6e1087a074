# The people graph: ties with reasons, how two people are connected, pictures as SVG, the
# department map; signed-in readers only, and never a field a reader may not see.
. "$(dirname "$0")/lib.sh" "$@"

init_demo
start_server
TOKEN=$("$KEN" token add mara --db "$DB")
AUTH=(-H "Authorization: Bearer $TOKEN")
VT=$("$KEN" token add gareth --db "$DB") # a viewer
VIEW=(-H "Authorization: Bearer $VT")

# ---- signed-in readers only
http GET /people/priya/ties
expect_status "anonymous: the ties page sends to sign-in" 303
expect_header "to the sign-in page" "Location: /login?next="
http GET /people/priya/graph.svg
expect_status "anonymous: no picture" 303
http GET "/api/connections?to=priya"
expect_status "anonymous: the API says 401" 401
http GET /api/people/priya/ties
expect_status "anonymous: no ties over the API" 401
http GET /departments/map
expect_status "anonymous: no department map" 303

# ---- a marker in HR-only fields, and a person whose name is markup
http PUT /api/people/priya "${AUTH[@]}" -d '{"phone":"+44 7000 913577","open_to_roles":"HRONLY-7f3a-roles"}'
expect_status "HR-only fields are set" 200
http GET /api/people/priya "${AUTH[@]}"
expect_contains "the admin sees the marker (so its absence below means something)" "HRONLY-7f3a"
expect_contains "and the phone" "7000 913577"
http GET /api/people/priya "${VIEW[@]}"
expect_not_contains "a viewer does not see it on the profile" "HRONLY-7f3a"
expect_not_contains "nor the phone" "7000 913577"
"$KEN" user add mxq --name 'Zoë <Ops> & "Co"' --role editor --db "$DB" >/dev/null
http PUT /api/people/mxq "${AUTH[@]}" -d '{"manager":"priya","open_to_roles":"HRONLY-7f3a-mxq"}'
expect_status "mxq reports to priya" 200

# ---- who someone knows
http GET "/api/people/priya/ties?limit=50" "${VIEW[@]}"
expect_status "ties as JSON" 200
python3 - "$BODY" <<'EOF' && pass || fail "ties come strongest first, each with a reason"
import json, sys
ties = json.load(open(sys.argv[1]))["ties"]
assert len(ties) >= 3, ties
w = [t["weight"] for t in ties]
assert w == sorted(w, reverse=True), w
assert all(t["reasons"] and t["reasons"][0]["text"] for t in ties), ties
assert any(r["kind"] == "manager" and r["text"] == "Priya Raman manages Zoë <Ops> & \"Co\""
           for t in ties for r in t["reasons"]), ties
EOF
expect_contains "co-writing is a reason" '"text":"co-wrote '
expect_contains "so is the reporting line" '"kind":"manager"'
http GET "/api/people/priya/ties?limit=0" "${VIEW[@]}"
expect_status "a bad limit" 400
http GET /api/people/nobody-here/ties "${VIEW[@]}"
expect_status "nobody" 404
http GET /api/people/priya/topics "${VIEW[@]}"
expect_status "topics by evidence" 200
expect_contains "what the evidence says priya knows" '"name":"PostgreSQL"'
expect_contains "with the why" '"why":"wrote'
http GET /api/people/priya "${VIEW[@]}"
expect_contains "the profile API still answers behind the graph's route" '"login":"priya"'

login gareth "$PW"
JAR=$TMP/gareth.jar
http GET /people/priya/ties -b "$JAR"
expect_status "the ties page" 200
expect_contains "lists a tie with why" "co-wrote"
expect_contains "and links the picture" 'href="/graph?person=priya"'
http GET /people/priya -b "$JAR"
expect_status "the profile still works" 200
expect_contains "with a Connections section" 'id="connections"'
expect_contains "showing the picture" 'src="/people/priya/graph.svg"'
expect_contains "and the way to 'How am I connected?'" 'href="/connections?to=priya"'

# ---- how two people are connected: lucia and aisha never wrote a page together
http GET "/api/people/lucia/ties?limit=100" "${VIEW[@]}"
expect_not_contains "lucia and aisha are not tied directly" '"login":"aisha"'
http GET "/api/connections?from=lucia&to=aisha" "${VIEW[@]}"
expect_status "connections as JSON" 200
python3 - "$BODY" <<'EOF' && pass || fail "chains go through colleagues, shortest first, each step with why"
import json, sys
d = json.load(open(sys.argv[1]))
chains = d["chains"]
assert 1 <= len(chains) <= 3, chains
steps = {c["steps"] for c in chains}
assert len(steps) == 1 and steps.pop() >= 2, chains          # all equally short, via someone
s = [c["strength"] for c in chains]
assert s == sorted(s, reverse=True), s
for c in chains:
    people = [p["login"] for p in c["people"]]
    assert people[0] == "lucia" and people[-1] == "aisha", people
    assert len(set(people)) == len(people)
    assert all(l["reasons"] for l in c["links"]), c
assert len({tuple(p["login"] for p in c["people"]) for c in chains}) == len(chains)   # distinct
EOF
http GET "/api/connections?to=mxq" "${VIEW[@]}"
expect_status "from defaults to the caller" 200
expect_contains "who starts the chain" '"login":"gareth"'
http GET "/api/connections?to=priya&from=mxq" "${VIEW[@]}"
expect_contains "one step: the reporting line" '"steps":1,'
http GET "/api/connections" "${VIEW[@]}"
expect_status "to is needed" 400
http GET "/api/connections?to=gareth" "${VIEW[@]}"
expect_status "not to oneself" 400
http GET "/api/connections?to=nobody-here" "${VIEW[@]}"
expect_status "nobody" 404
http GET "/connections?from=lucia&to=aisha" -b "$JAR"
expect_status "the connections page" 200
expect_contains "shows a chain" "Chain 1"
expect_contains "naming both ends" "Aisha Rahman"
http GET "/connections" -b "$JAR"
expect_status "the form alone" 200

# ---- pictures: SVG that parses, names escaped by the writer, capped, nosniff
check_svg() { # check_svg WHAT
    python3 -c 'import sys, xml.dom.minidom as m; d = m.parse(sys.argv[1]); assert d.documentElement.tagName == "svg"; assert len(d.getElementsByTagName("g")) >= 3' "$BODY" &&
        pass || fail "$1 parses as XML" "$(head -c 300 "$BODY")"
}
for who in priya mxq; do
    http GET /people/$who/graph.svg -b "$JAR"
    expect_status "the picture of $who" 200
    expect_header "as an image" "Content-Type: image/svg+xml"
    expect_header "never sniffed" "X-Content-Type-Options: nosniff"
    check_svg "the picture of $who"
    expect_contains "the name is there, escaped" 'Zoë &lt;Ops&gt; &amp; &quot;Co&quot;'
    expect_not_contains "never as markup" '<Ops>'
done
python3 -c 'import sys, xml.dom.minidom as m; d = m.parse(sys.argv[1]); assert len(d.getElementsByTagName("circle")) <= 40' "$BODY" &&
    pass || fail "at most 40 nodes in a picture"
http GET /topics/postgres/graph.svg -b "$JAR"
expect_status "a topic's picture" 200
check_svg "a topic's picture"
expect_contains "it shows who knows PostgreSQL" "Priya Raman"
http GET /departments/engineering/graph.svg -b "$JAR"
expect_status "a department's picture" 200
check_svg "a department's picture"
http GET "/graph?person=mxq" -b "$JAR"
expect_status "the page around a picture" 200
expect_contains "the picture is inline" '<svg xmlns="http://www.w3.org/2000/svg" class="graph-svg"'
expect_contains "with the name escaped" 'Zoë &lt;Ops&gt; &amp; &quot;Co&quot;'
expect_contains "and the people as links below" 'href="/people/priya"'
http GET "/graph?topic=k8s" -b "$JAR"
expect_status "a topic page; k8s is Kubernetes" 200
expect_contains "titled with the skill" "Who knows Kubernetes"
http GET "/graph?dept=engineering" -b "$JAR"
expect_status "a department page" 200
http GET "/graph" -b "$JAR"
expect_status "something to draw is needed" 400
http GET "/topics/postgres" -b "$JAR"
expect_status "a topic's address leads to its page" 303

# ---- departments
http GET /departments/map -b "$JAR"
expect_status "the department map" 200
expect_contains "what departments know" "What each department knows"
expect_contains "Engineering knows PostgreSQL" ">PostgreSQL</a>"
expect_contains "how they are tied" "How departments are tied"
http GET /api/departments/map "${VIEW[@]}"
expect_status "the map as JSON" 200
python3 - "$BODY" <<'EOF' && pass || fail "the map names topics per department and ties between departments"
import json, sys
d = json.load(open(sys.argv[1]))
assert any(t["department"] == "engineering" and t["topic"] == "PostgreSQL" for t in d["topics"])
assert d["links"] and all(l["a"] != l["b"] for l in d["links"])
s = [l["strength"] for l in d["links"]]
assert s == sorted(s, reverse=True)
EOF
http GET /departments/engineering -b "$JAR"
expect_status "a department's own page still works" 200
expect_contains "it is the department page" "Engineering"

# ---- a viewer never sees an HR-only field through the graph
for p in "/people/priya/ties" "/people/mxq/ties" "/graph?person=priya" "/graph?person=mxq" \
    "/graph?topic=postgres" "/graph?dept=engineering" "/people/priya/graph.svg" \
    "/people/mxq/graph.svg" "/topics/postgres/graph.svg" "/departments/engineering/graph.svg" \
    "/departments/map" "/connections?from=mxq&to=aisha" "/api/people/priya/ties?limit=100" \
    "/api/people/mxq/ties" "/api/people/priya/topics" "/api/connections?from=mxq&to=kofi" \
    "/api/departments/map"; do
    http GET "$p" -b "$JAR"
    [ "$STATUS" = 200 ] && ! grep -q -e "HRONLY-7f3a" -e "7000 913577" "$BODY" && pass ||
        fail "no HR-only field in $p" "status $STATUS"
done
