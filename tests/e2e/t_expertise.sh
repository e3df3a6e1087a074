# Who knows what: experts for a topic with the evidence, and knowledge at risk.
. "$(dirname "$0")/lib.sh" "$@"

init_demo
start_server
TOKEN=$("$KEN" token add mara --db "$DB")
AUTH=(-H "Authorization: Bearer $TOKEN")

http GET "/api/experts?q=postgres+replication" "${AUTH[@]}"
expect_status "experts answer as JSON" 200
first=$(json "$BODY" '["experts"][0]["login"]')
expect_eq "the author of the replication runbooks comes first" priya "$first"
expect_contains "the answer says why" '"why":"wrote part of'
expect_contains "with the pages and the share written" '"share":'
http GET "/api/experts?q=k8s" "${AUTH[@]}"
expect_contains "aliases find declared skills: k8s is Kubernetes" '"skill":"Kubernetes"'
expect_contains "a sales person who knows Kubernetes is found across departments" '"login":"liam"'
http GET "/api/experts?q=bank+reconciliation" "${AUTH[@]}"
expect_eq "the accountant who wrote the Python reconciliation page leads" wei "$(json "$BODY" '["experts"][0]["login"]')"
http GET "/api/experts" "${AUTH[@]}"
expect_status "a topic is needed" 400

# A newcomer writes the definitive page on a new topic and becomes its expert.
http PUT /api/pages/engineering/zigbee-pairing "${AUTH[@]}" \
    -d '{"title":"Pairing looms over Zigbee","markdown":"How to pair a loom controller over Zigbee: reset the radio, open the coordinator, wait for the join."}'
expect_status "a page about a new topic" 201
http GET "/api/experts?q=zigbee" "${AUTH[@]}"
expect_eq "its author is the expert at once (derived data updated on save)" mara "$(json "$BODY" '["experts"][0]["login"]')"

# People who left are not suggested unless asked for.
"$KEN" user add gone --name "Gone Person" --role editor --db "$DB" >/dev/null
GT=$("$KEN" token add gone --db "$DB")
http PUT /api/pages/engineering/sauna-heater -H "Authorization: Bearer $GT" \
    -d '{"title":"Sauna heater","tags":["sauna"],"markdown":"The office sauna heater needs descaling every month."}'
sqlite3 "$DB" "UPDATE users SET disabled = 1 WHERE login = 'gone'"
http GET "/api/experts?q=sauna" "${AUTH[@]}"
expect_not_contains "someone who left is not suggested" '"login":"gone"'
http GET "/api/experts?q=sauna&left=1" "${AUTH[@]}"
expect_contains "unless asked for, and then marked" '"left":true'

login mara "$PW"
http GET "/experts?q=postgres" -b "$TMP/mara.jar"
expect_status "the experts page" 200
expect_contains "shows why" "wrote part of"
expect_contains "and a way to reach them" 'href="/people/priya'

http GET "/api/risk" "${AUTH[@]}"
expect_status "admins see knowledge at risk" 200
expect_contains "the sauna now rests on nobody" '"name":"sauna'
http GET "/api/risk?person=wei" "${AUTH[@]}"
expect_contains "what would be lost if the accountant left" '"name":"reconciliation"'
http GET "/risk" -b "$TMP/mara.jar"
expect_status "the risk page" 200
VT=$("$KEN" token add tiago --db "$DB")
http GET "/api/risk" -H "Authorization: Bearer $VT"
[ "$STATUS" = 403 ] && pass || fail "an editor may not see the risk report" "got $STATUS"

http GET "/search?q=postgres" -b "$TMP/mara.jar"
expect_contains "the search page shows the people who know beside the pages" 'class="side-experts"><li><a href="/people/priya">'
http GET "/search?q=postgres" -H "Authorization: Bearer $VT"
expect_contains "another reader sees the same people (a cached panel, shared)" 'class="side-experts"><li><a href="/people/priya">'
http GET "/search?q=quokkafeeding" -b "$TMP/mara.jar"
expect_contains "nobody beside the results of a topic nobody wrote about" 'class="side-experts"></ul>'
http PUT /api/pages/engineering/quokka-feeding "${AUTH[@]}" \
    -d '{"title":"Feeding the office quokkas","markdown":"Quokkafeeding: leaves in the morning, water always, no bread."}'
expect_status "a page on it" 201
http GET "/search?q=quokkafeeding" -b "$TMP/mara.jar"
expect_contains "its author is beside the results at once: the cached panel follows the index" \
    'class="side-experts"><li><a href="/people/mara">'

http GET "/api/people?skill=k8s" "${AUTH[@]}"
expect_contains "the directory filters by skill, aliases included" '"login":"liam"'
http GET "/api/people?community=python-guild" "${AUTH[@]}"
expect_contains "and by community" '"login":"wei"'
http GET "/people?skill=python" -b "$TMP/mara.jar"
expect_contains "the directory page too" 'href="/people/wei"'
http GET "/api/people?skill=python&level=3" "${AUTH[@]}"
expect_contains "a minimum level narrows it to experts" '"login":"ewan"'
expect_not_contains "practised people are left out" '"login":"wei"'
http GET "/api/people?skill=python&sort=relevance" "${AUTH[@]}"
expect_eq "relevance puts the highest level, most endorsed first" ewan "$(json "$BODY" '["people"][0]["login"]')"

http GET "/api/search?q=wei" "${AUTH[@]}"
expect_contains "the search box finds people by name" '"type":"person","login":"wei"'
http GET "/api/search?q=python+finance" "${AUTH[@]}"
expect_contains "and by skill and department together" '"login":"wei"'
http GET "/api/search?q=python+space:finance" "${AUTH[@]}"
expect_contains "filters narrow pages and leave people out" '"people":[]'
http GET "/search?q=kubernetes" -b "$TMP/mara.jar"
expect_contains "the search page lists people who declared it" 'class="side-people"><li><a href="/people/'
login wei "$PW"
post_form "$TMP/wei.jar" /people/wei/edit "ask_me_about=Okapimarker treasury" vis_ask_me_about=private
expect_status "wei hides what to ask him about" 303
http GET "/api/search?q=okapimarker" "${AUTH[@]}"
expect_contains "a private field never finds a person" '"people":[]'
post_form "$TMP/wei.jar" /people/wei/edit "ask_me_about=Okapimarker treasury" vis_ask_me_about=everyone
http GET "/api/search?q=okapimarker" "${AUTH[@]}"
expect_contains "the same field shown to everyone does" '"login":"wei"'

http GET "/api/search?q=k8s" "${AUTH[@]}"
expect_contains "skill aliases are search synonyms: k8s finds the Kubernetes pages" '"path":"engineering/platform/kubernetes-deploy"'
http GET "/api/search?q=%22k8s%22" "${AUTH[@]}"
expect_not_contains "but not inside an exact phrase" '"path":"engineering/platform/kubernetes-deploy"'

TT=$("$KEN" token add tomasz --db "$DB")
http GET "/api/experts?q=postgres" -H "Authorization: Bearer $TT"
far=$(json "$BODY" '["experts"][0]["score"]')
http GET "/api/experts?q=postgres&near=1" -H "Authorization: Bearer $TT"
near=$(json "$BODY" '["experts"][0]["score"]')
python3 -c "import sys; sys.exit(0 if float('$near') > float('$far') else 1)" && pass ||
    fail "near=1 raises colleagues in my time zone" "far $far, near $near"
