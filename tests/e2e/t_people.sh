#!/usr/bin/env bash
# Profiles: reading them and the directory, editing one's own, who may edit whom (editors not
# others', HR anyone's but never private fields), the API, the history, photos judged by their
# bytes, and people who leave. (Field privacy end to end: t_privacy.sh; the org chart: t_org.sh.)
. "$(dirname "$0")/lib.sh" "$@"
init_demo
start_server
login priya "$PW" && login gareth "$PW" && login fiona "$PW" && login mara "$PW" && login callum "$PW"
ED=$TMP/priya.jar VIEWER=$TMP/gareth.jar HR=$TMP/fiona.jar ADMIN=$TMP/mara.jar CALLUM=$TMP/callum.jar
ED_TOKEN=$("$KEN" token add priya --db "$DB")
HR_TOKEN=$("$KEN" token add fiona --db "$DB")

# A profile, as any signed-in reader sees it.
http GET /people/priya -b "$VIEWER"
expect_status "a profile" 200
expect_contains "the profile has the name" "<h1>Priya Raman</h1>"
expect_contains "the job title" "Staff Platform Engineer"
expect_contains "the department links to its page" 'href="/departments/engineering"'
expect_contains "the team links to its page" 'href="/teams/platform"'
expect_contains "the manager links to their profile" '<a href="/people/tomasz">Tomasz Wierzbicki</a>'
expect_contains "the demo email" "priya@northwindloom.example"
expect_contains "the Markdown bio is rendered" "<strong>platform</strong>"
expect_contains "ask me about" "<li>Kubernetes</li>"
expect_contains "the skills partial's place" "In the organisation"
expect_not_contains "a viewer gets no edit button for someone else" 'href="/people/priya/edit"'
expect_contains "the header links to the directory (marked as where you are)" '<a href="/people" aria-current="page">People</a>'
http GET /people/nobody -b "$VIEWER"
expect_status "an unknown person" 404
http GET /people/priya
expect_status "anonymous readers are sent to sign in" 303

# The directory: filters, sorting, cards.
http GET /people -b "$VIEWER"
expect_status "the directory" 200
expect_contains "everyone is counted" "<span class=\"count\">$(sqlite3 "$DB" "SELECT count(*) FROM users WHERE disabled = 0")</span>"
expect_contains "cards show initials without a photo" '<span class="avatar initials" aria-hidden="true">PR</span>'
http GET "/people?dept=engineering" -b "$VIEWER"
expect_contains "department filter keeps engineers" "Priya Raman"
expect_not_contains "department filter drops others" "Wei Zhang"
http GET "/people?team=firmware" -b "$VIEWER"
expect_contains "team filter" "Inês Carvalho"
expect_not_contains "team filter drops other teams" "Priya Raman"
http GET "/people?q=accountant" -b "$VIEWER"
expect_contains "free text matches titles" "Wei Zhang"
expect_not_contains "free text drops the rest" "Priya Raman"
http GET "/people?q=raman+priya" -b "$VIEWER"
expect_not_contains "words in the wrong order do not match" 'href="/people/priya"'
http GET "/people?q=priya" -b "$VIEWER"
expect_contains "free text matches names" 'href="/people/priya"'
http GET "/people?location=porto" -b "$VIEWER"
expect_contains "location filter (any case)" "João Ferreira"
expect_not_contains "location filter drops Leeds" "Priya Raman"
http GET "/people?language=French" -b "$VIEWER"
expect_contains "language filter" "Daniel Osei"
expect_not_contains "language filter drops English-only" "Priya Raman"
http GET "/people?sort=start" -b "$VIEWER"
expect_status "sorted by start date" 200
first=$(grep -o 'class="person-name">[^<]*' "$BODY" | head -n1)
expect_eq "the newest starter comes first" 'class="person-name">Oliver Bennett' "$first"

# Editing one's own profile.
http GET /people/priya/edit -b "$ED"
expect_status "the edit form" 200
expect_contains "the form carries the CSRF token" 'name="csrf"'
expect_contains "the person chooses who sees a field" 'name="vis_phone"'
post_form "$ED" /people/priya/edit "location=Sheffield" "projects=Postgres 16 upgrade" \
    $'bio=Platform person.\n\n- one\n- two' "languages=English, Tamil"
expect_status "saving one's own profile" 303
expect_header "saving goes to the profile" "Location: /people/priya"
http GET /people/priya -b "$VIEWER"
expect_contains "the new location" "Sheffield"
expect_contains "the new projects" "Postgres 16 upgrade"
expect_contains "the bio is Markdown" "<li>two</li>"
post_form "$ED" /people/priya/edit "start_date=last spring"
expect_status "a bad date" 400
expect_contains "the form says what is wrong" "a date like 2021-03-15"
http POST /people/priya/edit -b "$ED" --data-urlencode "location=Nowhere"
expect_status "no CSRF token" 403

# Editors cannot edit others; HR can, but not what the person keeps private.
http GET /people/callum/edit -b "$ED"
expect_status "an editor opening someone else's form" 403
post_form "$ED" /people/callum/edit "title=Intern"
expect_status "an editor saving someone else's profile" 403
post_form "$VIEWER" /people/gareth/edit "chat=@gareth-floor"
expect_status "a viewer edits their own profile" 303
post_form "$CALLUM" /people/callum/edit "phone=+44 113 496 0102" vis_phone=private
expect_status "callum keeps his phone private" 303
post_form "$HR" /people/callum/edit "title=Senior Site Reliability Engineer"
expect_status "HR edits someone's title" 303
http GET /people/callum/edit -b "$HR"
expect_not_contains "HR's form has no private field" 'name="phone"'
expect_not_contains "HR's form sets nobody's visibility" 'name="vis_'
post_form "$HR" /people/callum/edit "phone=000"
expect_status "HR changing a private field" 403
post_form "$HR" /people/callum/edit "vis_title=private"
expect_status "HR choosing someone's visibility" 403
post_form "$ADMIN" /people/callum/edit "phone=000"
expect_status "an admin changing a private field" 403

# The API follows the same rules.
http PUT /api/people/priya -H "Authorization: Bearer $ED_TOKEN" --data-binary '{"location":"York","visibility":{"email":"hr"}}'
expect_status "PUT one's own profile" 200
expect_eq "the answer has the new location" York "$(json "$BODY" '["location"]')"
expect_eq "and the visibility" hr "$(json "$BODY" '["visibility"]["email"]')"
http PUT /api/people/priya -H "Authorization: Bearer $ED_TOKEN" --data-binary '{"bogus":1,"location":"Hull","nonsense":"x"}'
expect_status "unknown fields" 400
expect_contains "the message names them" "bogus, nonsense"
http GET /api/people/priya -H "Authorization: Bearer $ED_TOKEN"
expect_eq "nothing was saved from the bad PUT" York "$(json "$BODY" '["location"]')"
http PUT /api/people/callum -H "Authorization: Bearer $ED_TOKEN" --data-binary '{"location":"Mars"}'
expect_status "an editor's PUT on someone else" 403
http PUT /api/people/callum -H "Authorization: Bearer $HR_TOKEN" --data-binary '{"phone":"1"}'
expect_status "HR's PUT on a private field" 403
http PUT /api/people/callum -H "Authorization: Bearer $HR_TOKEN" --data-binary '{"mentoring":"seeking"}'
expect_status "HR's PUT on an HR field" 200
http PUT /api/people/callum -H "Authorization: Bearer $HR_TOKEN" --data-binary '{"start_date":"2020-13-01"}'
expect_status "a bad value" 400
http GET "/api/people?dept=engineering&limit=2&offset=1" -H "Authorization: Bearer $ED_TOKEN"
expect_status "the people API" 200
expect_eq "total counts every match" 9 "$(json "$BODY" '["total"]')"
expect_eq "limit is kept" 2 "$(json "$BODY" '["people"].__len__()')"
http GET "/api/people?limit=1000" -H "Authorization: Bearer $ED_TOKEN"
expect_status "a limit too large" 400

# History: every save, with who and what.
http GET /people/callum/history -b "$VIEWER"
expect_status "the history" 200
expect_contains "the title change is listed" "Senior Site Reliability Engineer"
expect_contains "with who made it" "Fiona Walsh"
expect_not_contains "the private phone is not" "496 0102"
http GET /people/callum/history -b "$CALLUM"
expect_contains "callum sees his own phone change" "496 0102"

# Photos: the bytes decide, not the name; 2 MiB at most; served as uploaded.
python3 -c 'import struct,zlib,sys
def chunk(t, d): return struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d))
png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)) \
    + chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00")) + chunk(b"IEND", b"")
open(sys.argv[1], "wb").write(png)' "$TMP/p.png"
printf '<html><script>alert(1)</script></html>' >"$TMP/evil.png"
head -c $((2 * 1024 * 1024 + 10)) /dev/zero | tr '\0' 'x' | { cat "$TMP/p.png"; cat; } >"$TMP/big.png"
CSRF=$(csrf_of "$ED")
http POST /people/priya/photo -b "$ED" -F "csrf=$CSRF" -F "photo=@$TMP/p.png;filename=evil.html;type=text/html"
expect_status "a PNG named evil.html is a photo" 303
http GET /people/priya -b "$VIEWER"
photo=$(grep -o 'src="/people/priya/photo?v=[0-9]*"' "$BODY" | head -n1 | sed 's/src="//; s/"$//')
expect_contains "the profile shows the photo" "/people/priya/photo?v="
http GET "$photo" -b "$VIEWER"
expect_status "the photo" 200
expect_header "served as the PNG it is" "Content-Type: image/png"
expect_header "never sniffed" "X-Content-Type-Options: nosniff"
expect_header "cached (this version)" "Cache-Control: private, max-age="
cmp -s "$BODY" "$TMP/p.png" && pass || fail "the photo comes back byte for byte"
http GET /people -b "$VIEWER"
expect_contains "the directory card shows the photo" 'src="/people/priya/photo?v='
http POST /people/priya/photo -b "$ED" -F "csrf=$CSRF" -F "photo=@$TMP/evil.png;filename=me.png;type=image/png"
expect_status "HTML named me.png is refused" 415
expect_contains "the refusal says the bytes decide" "text/html"
http POST /people/priya/photo -b "$ED" -F "csrf=$CSRF" -F "photo=@$TMP/big.png;filename=big.png"
expect_status "a photo over 2 MiB" 413
http POST /people/callum/photo -b "$ED" -F "csrf=$CSRF" -F "photo=@$TMP/p.png;filename=p.png"
expect_status "an editor changing someone else's photo" 403
http GET /people/gareth/photo -b "$VIEWER"
expect_status "no photo" 404
post_form "$ED" /people/priya/photo remove=1
expect_status "removing the photo" 303
http GET "$photo" -b "$VIEWER"
expect_status "the removed photo is gone" 404

# People who leave: HR marks them; they cannot sign in; the profile says so; their pages are
# ownerless.
post_form "$ED" /people/callum/left left=1
expect_status "an editor marking someone as left" 403
post_form "$HR" /people/callum/left left=1
expect_status "HR marks callum as having left" 303
http GET /people/callum -b "$VIEWER"
expect_status "the profile of someone who left stays readable" 200
expect_contains "with a clear notice" "Callum Reid has left the company"
http GET / -b "$CALLUM"
expect_status "callum's session no longer works" 303
login callum "$PW"
expect_status "callum cannot sign in" 401
http GET /people -b "$VIEWER"
expect_not_contains "the directory leaves out people who left" 'href="/people/callum"'
http GET "/people?left=1" -b "$VIEWER"
expect_contains "unless asked for" 'href="/people/callum"'
http GET /people/priya -b "$VIEWER"
sed -n '/<h3>Direct reports/,/<\/ul>/p' "$BODY" >"$TMP/reports"
expect_not_contains "people who left are not among the reports" 'href="/people/callum"' "$TMP/reports"
http GET /wiki/engineering/platform/kubernetes-deploy -b "$VIEWER"
expect_contains "callum's page shows its owner is gone" 'class="owner gone"'
http GET /health -b "$VIEWER"
expect_contains "the health report lists callum's pages as ownerless" "no owner"
post_form "$HR" /people/callum/left left=1
expect_status "marking twice" 409
post_form "$HR" /people/fiona/left left=1
expect_status "HR cannot mark themselves" 400
post_form "$HR" /people/callum/left left=0
expect_status "HR marks callum as back" 303
login callum "$PW"
expect_status "callum signs in again" 303
http GET /people/callum/history -b "$VIEWER"
expect_contains "leaving is in the history" "Left the company"
