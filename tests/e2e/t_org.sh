#!/usr/bin/env bash
# The organisation: the chain of managers, direct reports and peers on profiles; the org chart as
# nested lists (whole company and one department); the SVG around a person (well-formed, with
# names escaped); manager loops refused; departments and teams, their pages and their API.
. "$(dirname "$0")/lib.sh" "$@"
init_demo
start_server
login priya "$PW" && login gareth "$PW" && login mara "$PW" && login fiona "$PW"
ED=$TMP/priya.jar VIEWER=$TMP/gareth.jar ADMIN=$TMP/mara.jar HR=$TMP/fiona.jar
ADMIN_TOKEN=$("$KEN" token add mara --db "$DB")

# The chain up to the top, in order; reports; peers.
http GET /people/callum -b "$VIEWER"
expect_status "callum's profile" 200
chain=$(grep -o '<ol class="chain">.*</ol>' "$BODY" | grep -o 'href="/people/[a-z]*"' | tr '\n' ' ')
expect_eq "callum's chain, top first" 'href="/people/helena" href="/people/tomasz" href="/people/priya" ' "$chain"
http GET /people/tomasz -b "$VIEWER"
reports=$(sed -n '/<h3>Direct reports/,/<\/ul>/p' "$BODY" | grep -o 'href="/people/[a-z]*"' | tr '\n' ' ')
expect_eq "tomasz's direct reports, by name" 'href="/people/daniel" href="/people/ines" href="/people/priya" ' "$reports"
http GET /people/joao -b "$VIEWER"
peers=$(sed -n '/<h3>Peers/,/<\/ul>/p' "$BODY" | grep -o 'href="/people/[a-z]*"' | tr '\n' ' ')
expect_eq "joão's peers (same manager)" 'href="/people/oliver" ' "$peers"
expect_contains "the profile shows the SVG as an image" '<img class="org-svg" src="/people/joao/org.svg"'
http GET /people/helena -b "$VIEWER"
expect_not_contains "the top has no chain" '<ol class="chain">'

# The whole tree, and one department's, as nested lists that need no script.
http GET /org -b "$VIEWER"
expect_status "the org chart" 200
expect_contains "the chart is nested lists" '<ul class="org-tree"><li id="org-helena"><a class="org-node" href="/people/helena">'
expect_contains "reports fold inside their manager's item" '<span class="org-title">VP of Engineering</span></a><details><summary>'
expect_contains "the top person's reports are open" '<span class="org-title">Chief Executive Officer</span></a><details open><summary>'
expect_contains "with how many there are under them" '(61 in all)'
expect_not_contains "no inline script: the chart is plain HTML" "<script>"
tree_people=$(grep -o 'class="org-node[^"]*" href="/people/' "$BODY" | wc -l)
expect_eq "everyone is in the tree" "$(sqlite3 "$DB" "SELECT count(*) FROM users WHERE disabled = 0")" "$tree_people"
http GET "/org?dept=engineering" -b "$VIEWER"
expect_status "a department's chart" 200
expect_contains "its head is at the top" '<ul class="org-tree"><li id="org-tomasz"><a class="org-node" href="/people/tomasz">'
expect_contains "with their people" 'href="/people/callum"'
expect_not_contains "and no one else" 'href="/people/wei"'
http GET "/org?dept=no-such" -b "$VIEWER"
expect_status "an unknown department's chart" 404

# Searching the chart marks the people and opens the way down to them, and only that way.
http GET "/org?find=firmware" -b "$VIEWER"
expect_status "searching the chart" 200
expect_contains "says how many match" 'matching “firmware”'
expect_contains "a match is marked" 'class="org-node hit" href="/people/'
expect_contains "its manager's reports are open" '<span class="org-title">VP of Engineering</span></a><details open>'
expect_not_contains "other branches stay folded" '<span class="org-title">Chief Financial Officer</span></a><details open>'
expect_contains "each match offers its own chart" 'href="/org?person='
http GET "/org?find=%3Cscript%3E" -b "$VIEWER"
expect_contains "a search for nobody says so, escaped" "Nobody here matches “&lt;script&gt;”"
http GET "/org?open=all" -b "$VIEWER"
expect_not_contains "open=all opens everyone" '<details><summary>'

# Starting at a person: their part of the chart, the managers above, and their picture.
http GET "/org?person=tomasz" -b "$VIEWER"
expect_status "the chart from one person" 200
expect_contains "they are at the top" '<ul class="org-tree"><li id="org-tomasz">'
expect_contains "with the managers above" 'Above: <a href="/org?person=helena">'
expect_contains "and the picture of their neighbourhood" '<img class="org-svg" src="/people/tomasz/org.svg"'
expect_not_contains "nobody from elsewhere" 'href="/people/wei"'
http GET "/org?person=nobody" -b "$VIEWER"
expect_status "an unknown person's chart" 404

# The SVG: well-formed, an image, names escaped.
http GET /people/priya/org.svg -b "$VIEWER"
expect_status "the SVG" 200
expect_header "served as SVG" "Content-Type: image/svg+xml"
expect_header "sandboxed even when opened alone" "Content-Security-Policy: default-src 'self'"
grep -qi "^Content-Security-Policy: default-src 'none'; sandbox" "$HEADERS" && pass ||
    fail "the SVG carries its own sandbox policy"
python3 -c 'import sys, xml.dom.minidom; xml.dom.minidom.parse(sys.argv[1])' "$BODY" && pass ||
    fail "the SVG is well-formed XML"
expect_contains "the person is in it" "Priya Raman"
expect_contains "the chain above" "Tomasz Wierzbicki"
expect_contains "the reports below" "Callum Reid"
post_form "$ED" /people/priya/edit 'name=<script>alert("x")</script> & Co' 'title=<b>Staff</b>'
expect_status "a hostile name" 303
http GET /people/priya/org.svg -b "$VIEWER"
python3 -c 'import sys, xml.dom.minidom; xml.dom.minidom.parse(sys.argv[1])' "$BODY" && pass ||
    fail "the SVG stays well-formed with a hostile name"
expect_not_contains "no markup from the name" "<script"
expect_not_contains "no markup from the title" "<b>"
expect_contains "the name is escaped text" "&lt;script&gt;"
http GET /people/callum/org.svg -b "$VIEWER"
python3 -c 'import sys, xml.dom.minidom; d = xml.dom.minidom.parse(sys.argv[1])
names = [t.firstChild.data for t in d.getElementsByTagName("text") if t.firstChild]
sys.exit(0 if "<script>alert(\"x\")</script> & Co" in names else 1)' "$BODY" && pass ||
    fail "the name reads back exactly from a report's SVG"
http GET /people/priya -b "$VIEWER"
expect_not_contains "the profile escapes the name too" '<script>alert'
post_form "$ED" /people/priya/edit $'name=Priya \xef\xbf\xbe Raman'
http GET /people/priya/org.svg -b "$VIEWER"
python3 -c 'import sys, xml.dom.minidom; xml.dom.minidom.parse(sys.argv[1])' "$BODY" && pass ||
    fail "the SVG stays well-formed with a character XML does not allow"
http GET /org -b "$VIEWER"
expect_not_contains "the org chart escapes the name" '<script>alert'
post_form "$ED" /people/priya/edit 'name=Priya Raman' 'title=Staff Platform Engineer'

# Manager loops are refused, directly or through others, and with the API.
post_form "$HR" /people/priya/edit manager=callum
expect_status "priya managed by her own report" 400
expect_contains "the form says why" "cannot be their own manager"
post_form "$HR" /people/helena/edit manager=joao
expect_status "the CEO managed by someone far below" 400
post_form "$ED" /people/priya/edit manager=priya
expect_status "priya managing herself" 400
post_form "$HR" /people/priya/edit manager=nobody
expect_status "an unknown manager" 400
http PUT /api/people/helena -H "Authorization: Bearer $ADMIN_TOKEN" --data-binary '{"manager":"callum"}'
expect_status "a loop through the API" 400
expect_contains "the API says why" "own manager"
http GET /people/callum -b "$VIEWER"
chain=$(grep -o '<ol class="chain">.*</ol>' "$BODY" | grep -o 'href="/people/[a-z]*"' | tr '\n' ' ')
expect_eq "the chain is unchanged" 'href="/people/helena" href="/people/tomasz" href="/people/priya" ' "$chain"
post_form "$HR" /people/callum/edit manager=daniel
expect_status "moving callum to another manager" 303
http GET /people/daniel -b "$VIEWER"
expect_contains "callum is among daniel's reports" 'href="/people/callum"'

# Departments and teams: pages, descriptions (admins), creation (admins), API.
http GET /departments -b "$VIEWER"
expect_status "the departments" 200
expect_contains "departments are listed" 'href="/departments/engineering"'
expect_contains "with their teams" 'href="/teams/fp-a"'
expect_not_contains "a viewer gets no form to add one" 'name="kind"'
http GET /departments/engineering -b "$VIEWER"
expect_status "a department page" 200
expect_contains "its teams" 'href="/teams/firmware"'
expect_contains "its people" 'href="/people/ines"'
expect_contains "a link to its chart" 'href="/org?dept=engineering"'
http GET /teams/firmware -b "$VIEWER"
expect_status "a team page" 200
expect_contains "its department" 'href="/departments/engineering"'
expect_contains "its people" 'href="/people/joao"'
expect_not_contains "only its people" 'href="/people/priya"'
http GET /departments/nope -b "$VIEWER"
expect_status "an unknown department" 404
post_form "$ED" /departments/engineering 'description=Hijacked'
expect_status "an editor editing a description" 403
post_form "$ADMIN" /departments/engineering $'description=We build the looms\' brains.\n<b>Two</b> lines.'
expect_status "an admin edits a description" 303
http GET /departments/engineering -b "$VIEWER"
expect_contains "the description, escaped" "&lt;b&gt;Two&lt;/b&gt; lines."
post_form "$ADMIN" /teams/firmware 'description=Motors and sensors.'
expect_status "an admin edits a team's description" 303
post_form "$ED" /departments kind=department 'name=Skunkworks'
expect_status "an editor adding a department" 403
post_form "$ADMIN" /departments kind=department 'name=Research & Development' 'description=New things.'
expect_status "an admin adds a department" 303
expect_header "it gets a slug" "Location: /departments/research-development"
post_form "$ADMIN" /departments kind=department 'name=Research & Development'
expect_status "the same name again" 409
post_form "$ADMIN" /departments kind=team department=research-development 'name=Looms of 2030'
expect_status "an admin adds a team" 303
expect_header "to the team's page" "Location: /teams/looms-of-2030"
post_form "$ADMIN" /departments kind=team department=nope 'name=Ghosts'
expect_status "a team for no department" 400
post_form "$HR" /people/gareth/edit team=looms-of-2030
expect_status "moving someone into the new team" 303
http GET /people/gareth -b "$VIEWER"
expect_contains "the team brings its department" 'href="/departments/research-development"'
post_form "$HR" /people/gareth/edit department=finance team=firmware
expect_status "a team from another department" 400
expect_contains "the form says whose team it is" "belongs to the department Engineering, not finance"
post_form "$HR" /people/gareth/edit department=operations team=looms-of-2030
expect_status "moving gareth to another department" 303
http GET /people/gareth -b "$VIEWER"
expect_contains "he is in the new department" 'href="/departments/operations"'
expect_not_contains "and leaves his old team" 'href="/teams/looms-of-2030"'
post_form "$HR" /people/gareth/edit department=operations team=manufacturing
expect_status "and joins a team there" 303
http GET /api/departments -H "Authorization: Bearer $ADMIN_TOKEN"
expect_status "the departments API" 200
expect_eq "departments come by name" Engineering "$(json "$BODY" '["departments"][0]["name"]')"
expect_contains "teams sit in their department" '"slug":"looms-of-2030"'
http GET "/api/teams?dept=engineering" -H "Authorization: Bearer $ADMIN_TOKEN"
expect_status "the teams API" 200
expect_eq "engineering has three teams" 3 "$(json "$BODY" '["teams"].__len__()')"
expect_eq "members are counted" 3 "$(json "$BODY" '["teams"][[t["slug"] for t in d["teams"]].index("firmware")]["members"]')"
