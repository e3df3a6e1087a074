# HR narrows people and the hidden talent by skill or skill category ("programming"), level and
# department (in it, or everyone outside it); the hidden talent follows the search form; the CSV
# holds exactly the rows the screen shows, with category and e-mail (where the person lets HR
# see it) and absolute profile links (the public_url setting, else the request's Host).
. "$(dirname "$0")/lib.sh" "$@"

init_demo
start_server
login fiona "$PW"
HR=$TMP/fiona.jar

# rows FILE: the logins of a CSV's rows, in order, one a line ("skill login" for the hidden talent)
rows() {
    python3 -c 'import csv,sys
for r in csv.DictReader(open(sys.argv[1], newline="")):
    print((r["skill"] + " " if "usual_in" in r else "") + r["login"])' "$1"
}
# column FILE NAME: every value of a CSV column, one a line
column() {
    python3 -c 'import csv,sys
for r in csv.DictReader(open(sys.argv[1], newline="")): print(r[sys.argv[2]])' "$1" "$2"
}

# ---- a category is a search term
http GET "/hr?skill=programming" -b "$HR"
expect_status "HR searches a category" 200
expect_not_contains "programming is not refused" "No skill or skill category is called"
expect_contains "a programmer is found (the skills named)" "Python"
http GET "/hr?skill=Basket+weaving" -b "$HR"
expect_contains "an unknown word is still refused" "No skill or skill category is called"

# ---- people outside engineering with a programming skill
Q='skill=Programming&level=practised&dept=not:engineering'
http GET "/hr?$Q" -b "$HR"
cp "$BODY" "$TMP/page.html"
expect_contains "the department choice stays selected" '<option value="not:engineering" selected>Outside Engineering</option>'
expect_contains "the CSV link keeps the search" "href=\"/hr/export.csv?skill=Programming&amp;level=practised&amp;dept=not%3Aengineering\""
expect_contains "the hidden talent's CSV link keeps it too" "href=\"/hr/export.csv?view=hidden&amp;skill=Programming&amp;level=practised&amp;dept=not%3Aengineering\""
expect_contains "the hidden talent says it is narrowed" "Narrowed by the search above"
python3 - "$TMP/page.html" >"$TMP/screen" <<'PY'
import re, sys, html
t = open(sys.argv[1]).read()
res = t[t.index('class="grid hr-results"'):t.index('id="hidden-talent"')]
print("\n".join(re.findall(r'<tr><td><a href="/people/([a-z.\-]+)"', res)))
PY
python3 - "$TMP/page.html" >"$TMP/screen-hidden" <<'PY'
import re, sys
t = open(sys.argv[1]).read()
t = t[t.index('id="hidden-talent"'):t.index('class="usual"')]
out = []
for sec in re.findall(r'<section class="talent">(.*?)</section>', t, re.S):
    skill = re.search(r'<a href="/skills/[^"]*">([^<]*)</a>', sec).group(1)
    for login in re.findall(r'<li><a href="/people/([a-z.\-]+)"', sec):
        out.append(f"{skill} {login}")
print("\n".join(sorted(out)))
PY
http GET "/hr/export.csv?$Q" -b "$HR"
expect_status "the search as CSV" 200
cp "$BODY" "$TMP/people.csv"
expect_eq "the CSV has exactly the people on the screen, in order" "$(cat "$TMP/screen")" "$(rows "$TMP/people.csv")"
expect_eq "someone is found" 1 "$([ -s "$TMP/screen" ] && echo 1 || echo 0)"
expect_eq "nobody in the CSV is in Engineering" "" "$(column "$TMP/people.csv" department | grep -x Engineering)"
expect_eq "every row's category is Programming" "Programming" "$(column "$TMP/people.csv" category | sort -u)"
expect_contains "the CSV has e-mail addresses" "@northwindloom.example"
expect_contains "profile links are absolute (from the Host)" "\"$URL/people/"
expect_not_contains "no relative profile links" '","/people/'

http GET "/hr/export.csv?view=hidden&$Q" -b "$HR"
cp "$BODY" "$TMP/hidden.csv"
expect_eq "the hidden talent CSV has exactly the rows on the screen" "$(cat "$TMP/screen-hidden")" "$(rows "$TMP/hidden.csv" | sort)"
expect_eq "the hidden talent holds nobody from Engineering" "" "$(column "$TMP/hidden.csv" department | grep -x Engineering)"
expect_eq "and only programming skills" "Programming" "$(column "$TMP/hidden.csv" category | sort -u)"
http GET "/hr/export.csv?view=hidden" -b "$HR"
ALL=$(rows "$BODY" | wc -l)
NARROW=$(rows "$TMP/hidden.csv" | wc -l)
expect_eq "narrowing leaves fewer rows than the whole hidden talent" 1 "$([ "$NARROW" -gt 0 ] && [ "$NARROW" -lt "$ALL" ] && echo 1 || echo 0)"

# ---- in a department, by level, by one skill
http GET "/hr/export.csv?view=hidden&dept=finance" -b "$HR"
expect_eq "in Finance: only Finance people" "Finance" "$(column "$BODY" department | sort -u)"
http GET "/hr/export.csv?view=hidden&level=expert" -b "$HR"
expect_eq "expert or above: only experts" "expert" "$(column "$BODY" level | sort -u)"
http GET "/hr/export.csv?view=hidden&skill=python" -b "$HR"
expect_eq "one skill: only it" "Python" "$(column "$BODY" skill | sort -u)"

# ---- an e-mail the person keeps from HR is not in the CSV
login wei "$PW"
post_form "$TMP/wei.jar" /people/wei/edit email=wei@northwindloom.example vis_email=private
http GET "/hr/export.csv?$Q" -b "$HR"
expect_eq "wei is still listed" 1 "$(rows "$BODY" | grep -cx wei)"
expect_not_contains "but not wei's private address" "wei@northwindloom.example"

# ---- the public_url setting makes the links
python3 -c 'import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.execute("UPDATE settings SET value = ? WHERE name = ?", ("https://wiki.example.com", "public_url")); c.commit()' "$DB"
http GET "/hr/export.csv?$Q" -b "$HR"
expect_contains "links use public_url when it is set" '"https://wiki.example.com/people/'

# ---- still HR only
login priya "$PW"
http GET "/hr/export.csv?$Q" -b "$TMP/priya.jar"
expect_status "an editor may not export" 403
