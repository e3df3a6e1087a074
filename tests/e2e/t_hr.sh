#!/usr/bin/env bash
# The HR page: only HR and admins; people by skill (with a minimum level) and by skills they want
# to use (an HR-only field), with the HR-only career fields; hidden talent (wei, an accountant
# who practises Python); the CSV export (an attachment, quoted, formulas neutralised); and no
# private field, ever, even for HR.
. "$(dirname "$0")/lib.sh" "$@"
init_demo
start_server
for who in fiona gareth priya wei mara lucia; do login "$who" "$PW"; done
HR=$TMP/fiona.jar VIEWER=$TMP/gareth.jar ED=$TMP/priya.jar WEI=$TMP/wei.jar ADMIN=$TMP/mara.jar
LUCIA=$TMP/lucia.jar
T_HR=$("$KEN" token add fiona --db "$DB")
T_ED=$("$KEN" token add priya --db "$DB")
PRIVM=PRIVMARKER4471
# results: the search results table of the last /hr page, into $TMP/results
results() { sed -n '/<table class="grid hr-results">/,/<\/table>/p' "$BODY" >"$TMP/results"; }

# Only HR and admins.
for who in gareth priya; do
    http GET /hr -b "$TMP/$who.jar"
    expect_status "$who may not open /hr" 403
    http GET "/hr/export.csv?skill=python" -b "$TMP/$who.jar"
    expect_status "$who may not export" 403
    expect_not_contains "$who gets no CSV" '"login"'
done
http GET "/hr/export.csv?view=hidden" -H "Authorization: Bearer $T_ED"
expect_status "nor with an editor's API token" 403
http GET /hr
expect_status "anonymous readers are sent to sign in" 303
http GET /hr -b "$HR"
expect_status "HR opens /hr" 200
http GET /hr -b "$ADMIN"
expect_status "so do admins" 200

# Hidden talent: wei, an accountant, practises Python, which is usual in Engineering but not in
# Finance.
http GET /hr -b "$HR"
python3 - "$BODY" >"$TMP/python-talent" <<'EOF'
import re, sys
html = open(sys.argv[1]).read()
m = re.search(r'<h4><a href="/skills/python">Python</a>.*?</ul>', html, re.S)
print(m.group(0) if m else "no Python group")
EOF
expect_contains "Python is among the hidden talents" 'usual in Engineering' "$TMP/python-talent"
expect_contains "with wei under it" 'href="/people/wei">Wei Zhang</a>' "$TMP/python-talent"
expect_contains "and how rare it is in his department" '1 of 8 in Finance' "$TMP/python-talent"
expect_not_contains "engineers are not hidden Python talent" 'href="/people/ewan"' "$TMP/python-talent"
expect_contains "liam's Kubernetes is found too" 'href="/skills/kubernetes">Kubernetes</a>'
http GET /hr -b "$HR"
sed -n '/<h4><a href="\/skills\/kubernetes">/,/<\/ul>/p' "$BODY" >"$TMP/k8s-talent"
expect_contains "liam, in sales" 'href="/people/liam"' "$TMP/k8s-talent"
expect_not_contains "but not the platform team" 'href="/people/callum"' "$TMP/k8s-talent"

# Searching by skill, with a level, and by what people would like to use.
http GET "/hr?skill=py&level=expert" -b "$HR"
expect_status "search by an alias and a level" 200
results
expect_contains "ewan is a Python expert" 'href="/people/ewan"' "$TMP/results"
expect_not_contains "wei practises it but is no expert" 'href="/people/wei"' "$TMP/results"
expect_contains "the export link keeps the search" 'href="/hr/export.csv?skill=py&amp;level=expert"'
http GET "/hr?skill=Python&level=practised" -b "$HR"
results
expect_contains "wei practises Python" 'href="/people/wei"' "$TMP/results"
expect_contains "HR sees the HR-only fields" "Data or automation work" "$TMP/results"
http GET "/hr?want=Python" -b "$HR"
results
expect_contains "wei wants to use Python (an HR-only field)" 'href="/people/wei"' "$TMP/results"
expect_not_contains "nobody else does" 'href="/people/ewan"' "$TMP/results"
http GET "/hr?want=a11y" -b "$HR"
results
expect_contains "an alias finds lucía's wish for accessibility" 'href="/people/lucia"' "$TMP/results"
http GET "/hr?skill=Basket+weaving" -b "$HR"
expect_contains "an unknown skill is said to be unknown" "No skill or skill category is called"
http GET "/hr?mentoring=offering" -b "$HR"
results
expect_contains "priya offers mentoring" 'href="/people/priya"' "$TMP/results"
expect_not_contains "lucía wants a mentor instead" 'href="/people/lucia"' "$TMP/results"
http GET "/hr?dept=finance&open=1" -b "$HR"
results
expect_contains "open to new roles, in finance" 'href="/people/wei"' "$TMP/results"
expect_not_contains "only finance" 'href="/people/priya"' "$TMP/results"

# The CSV: an attachment, quoted, with formulas neutralised.
post_form "$ADMIN" /people/wei/edit "title==HYPERLINK(\"http://x.example\",\"y\")" \
    "open_to_roles=+SUM(1;2), and \"quoted\" text" "mentoring=offering"
expect_status "an admin gives wei a hostile title" 303
post_form "$LUCIA" /people/lucia/edit "open_to_roles=@cmd|' /C calc'!A0" "title=-2+3"
expect_status "lucía writes a hostile wish" 303
http GET "/hr/export.csv?skill=python" -b "$HR"
expect_status "the CSV" 200
expect_header "is CSV" "Content-Type: text/csv"
expect_header "downloaded, not shown" "Content-Disposition: attachment"
expect_header "never cached" "Cache-Control: private, no-store"
head -n1 "$BODY" | tr -d '\r' >"$TMP/head"
expect_eq "the header row" '"login","name","email","title","department","team","skill","category","level","open_to_roles","want_skills","mentoring","profile"' "$(cat "$TMP/head")"
csv_cell() { # csv_cell LOGIN COLUMN: the cell of LOGIN's row, read back by Python's csv module
    python3 -c 'import csv,sys
for row in csv.DictReader(open(sys.argv[1], newline="")):
    if row.get("login") == sys.argv[2]: print(row[sys.argv[3]]); break' "$BODY" "$1" "$2"
}
expect_eq "a formula title starts with a quote" "'=HYPERLINK(\"http://x.example\",\"y\")" "$(csv_cell wei title)"
expect_eq "so does + (commas and quotes survive)" "'+SUM(1;2), and \"quoted\" text" "$(csv_cell wei open_to_roles)"
expect_eq "the HR-only wish is there" "Python, SQL" "$(csv_cell wei want_skills)"
expect_eq "and the level" practised "$(csv_cell wei level)"
grep -q '^"' "$BODY" && ! grep -v '^"' "$BODY" | grep -q . && pass || fail "every line starts with a quoted cell"
http GET "/hr/export.csv?want=a11y" -b "$HR"
expect_eq "@ is neutralised" "'@cmd|' /C calc'!A0" "$(csv_cell lucia open_to_roles)"
expect_eq "and -" "'-2+3" "$(csv_cell lucia title)"
http GET "/hr/export.csv?view=hidden" -b "$HR"
expect_status "the hidden talent as CSV" 200
expect_contains "has wei's Python" '"Python","Programming","Engineering","wei"'

# A private field never shows, not even to HR: not on /hr, not in the CSV, not as a match.
post_form "$WEI" /people/wei/edit "want_skills=Python, $PRIVM" vis_want_skills=private \
    "open_to_roles=Treasury $PRIVM" vis_open_to_roles=private
expect_status "wei makes his wishes private" 303
for q in "" "?want=Python" "?skill=python" "?dept=finance" "?open=1&dept=finance"; do
    http GET "/hr$q" -b "$HR"
    expect_status "HR opens /hr$q" 200
    expect_not_contains "no private marker on /hr$q" "$PRIVM"
    http GET "/hr/export.csv$q" -b "$HR"
    expect_not_contains "no private marker in the CSV for $q" "$PRIVM"
    http GET "/hr$q" -b "$ADMIN"
    expect_not_contains "nor for an admin on /hr$q" "$PRIVM"
done
http GET "/hr/export.csv?view=hidden" -b "$HR"
expect_not_contains "no private marker in the hidden talent CSV" "$PRIVM"
http GET "/hr?want=Python" -b "$HR"
results
expect_not_contains "a private wish no longer matches" 'href="/people/wei"' "$TMP/results"
http GET "/hr?want=$PRIVM" -b "$HR"
results
expect_not_contains "not even by the private words themselves" 'href="/people/wei"' "$TMP/results"
http GET "/hr/export.csv?want=$PRIVM" -b "$HR"
expect_not_contains "nor in the CSV" '"wei"'
http GET "/hr?dept=finance&open=1" -b "$HR"
results
expect_not_contains "nor does a private openness" 'href="/people/wei"' "$TMP/results"
http GET /hr -b "$HR"
expect_contains "his skills still make him hidden talent" 'href="/people/wei">Wei Zhang</a>'
http GET /hr -b "$WEI"
expect_status "wei himself, an editor, still may not use /hr" 403
