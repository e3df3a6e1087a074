#!/usr/bin/env bash
# Writing pages through the browser forms: create, view, preview, edit, old revisions, conflicts,
# wiki links, tags, path rules, and hostile text that must stay inert. (Who may do what: t_roles.sh.)
. "$(dirname "$0")/lib.sh" "$@"
init_demo
start_server
login priya "$PW" && login gareth "$PW"
ED=$TMP/priya.jar VIEWER=$TMP/gareth.jar
ED_CSRF=$(csrf_of "$ED")

# Create through the new-page form.
http GET "/new?path=ops/backups" -b "$ED"
expect_status "new-page form" 200
expect_contains "the form keeps the address in the space" 'name="page" value="backups"'
expect_contains "the form carries the CSRF token" "name=\"csrf\" value=\"$ED_CSRF\""
post_form "$ED" /edit/ path=ops/backups "title=Backup Policy" $'markdown=# Nightly\n\nWe back up **every** night.' \
    "tags=ops, Storage" "summary=first draft" base_rev=0 save=1
expect_status "saving a new page" 303
expect_header "saving goes to the page" "Location: /wiki/ops/backups"
http GET /wiki/ops/backups -b "$VIEWER"
expect_status "the new page" 200
expect_contains "page shows its title" "<h1>Backup Policy</h1>"
expect_contains "markdown is rendered" "<strong>every</strong>"
expect_contains "tags link to the tag list" 'href="/pages?tag=storage"'
expect_contains "page names its author" "Priya Raman"
expect_contains "page shows its revision" "revision 1"

# Preview shows the rendered text and saves nothing.
post_form "$ED" /edit/ops/backups "title=Backup Policy" "markdown=We back up *hourly*." base_rev=1 preview=1
expect_status "preview" 200
expect_contains "preview section" "<h2>Preview</h2>"
expect_contains "preview renders markdown" "<em>hourly</em>"
expect_contains "preview keeps the text in the editor" "We back up *hourly*."
http GET /wiki/ops/backups -b "$ED"
expect_not_contains "preview did not save" "hourly"

# Edit, then read the old revision.
http GET /edit/ops/backups -b "$ED"
expect_status "editor" 200
expect_contains "editor has the current text" "We back up **every** night."
expect_contains "editor knows the base revision" 'name="base_rev" value="1"'
post_form "$ED" /edit/ops/backups "title=Backup Policy" "markdown=We back up every hour." "tags=ops" \
    "summary=hourly now" base_rev=1 save=1
expect_status "saving an edit" 303
http GET /wiki/ops/backups -b "$VIEWER"
expect_contains "the edit shows" "We back up every hour."
expect_contains "the edit's summary shows" "hourly now"
expect_contains "revision 2" "revision 2"
http GET "/wiki/ops/backups?rev=1" -b "$VIEWER"
expect_status "old revision" 200
expect_contains "old revision has the old text" "<strong>every</strong>"
expect_contains "old revision is marked as old" "an old version"
http GET "/wiki/ops/backups?rev=7" -b "$VIEWER"
expect_status "a revision that does not exist" 404

# Someone saves first and we both changed the same line: 409, both texts shown to resolve.
post_form "$ED" /edit/ops/backups "title=Backup Policy" "markdown=My stale change" base_rev=1 save=1
expect_status "saving over a newer revision" 409
expect_contains "conflict shows the newer text" "We back up every hour."
expect_contains "conflict keeps my text" "My stale change"
expect_contains "the resolution is made against the current revision" 'name="theirs_rev" value="2"'
expect_contains "from the revision the edit started at" 'name="base_rev" value="1"'
http GET /wiki/ops/backups -b "$VIEWER"
expect_not_contains "the stale change was not saved" "My stale change"

# Wiki links: present, missing, and missing turning present when the page is written.
post_form "$ED" /edit/ path=ops/index title=Ops base_rev=0 save=1 \
    "markdown=See [[Backup Policy]], [[Restore Drill]] and [[handbook/welcome|the welcome]]."
http GET /wiki/ops/index -b "$ED"
expect_contains "link by title to an existing page" '<a class="wikilink" href="/wiki/ops/backups">Backup Policy</a>'
expect_contains "link with a label" 'href="/wiki/handbook/welcome">the welcome</a>'
expect_contains "a missing page is marked new" 'class="wikilink new"'
expect_contains "a missing page links into the space" 'href="/wiki/ops/restore-drill"'
post_form "$ED" /edit/ path=ops/restore-drill "title=Restore Drill" markdown=Quarterly. base_rev=0 save=1
http GET /wiki/ops/index -b "$ED"
expect_contains "the link turns present once the page exists" '<a class="wikilink" href="/wiki/ops/restore-drill">'
expect_not_contains "no link is marked new any more" 'wikilink new'
post_form "$ED" /edit/ path=ops/dr-notes "title=DR notes" "markdown=See [[Disaster Recovery]]." base_rev=0 save=1
post_form "$ED" /edit/ path=ops/dr "title=Disaster Recovery" markdown=Plan. base_rev=0 save=1
http GET /wiki/ops/dr-notes -b "$ED"
expect_contains "a link by title finds the page written later at another path" \
    '<a class="wikilink" href="/wiki/ops/dr">Disaster Recovery</a>'

# Lists by tag and space; missing pages; bad paths.
http GET "/pages?tag=ops" -b "$VIEWER"
expect_contains "tag list has the page" 'href="/wiki/ops/backups"'
expect_not_contains "tag list leaves out untagged pages" 'href="/wiki/ops/index"'
http GET "/pages?space=ops" -b "$VIEWER"
expect_contains "space list has the page" 'href="/wiki/ops/index"'
http GET /wiki/ops/not-yet -b "$ED"
expect_status "missing page" 404
expect_contains "missing page says so" "There is no page"
expect_contains "editors are offered to create it" 'href="/new?path=ops/not-yet'
http GET /wiki/ops/not-yet -b "$VIEWER"
expect_not_contains "viewers are not offered to create it" "/new?path="
LONG=$(printf 'a%.0s' $(seq 1 65))
for bad in Ops/Backups ops/x- 'ops/a%20b' ops/under_score ops/caf%C3%A9 a/b/c/d/e/f/g/h/i "ops/$LONG"; do
    http GET "/wiki/$bad" -b "$ED"
    expect_status "bad path ${bad:0:30}" 400
done
post_form "$ED" /edit/ "path=Ops/Bad Path" title=Bad markdown=x base_rev=0 save=1
expect_status "saving at a bad path" 400
expect_contains "the editor explains the path rules" "lowercase"
post_form "$ED" /edit/ops/x title= markdown=x base_rev=0 save=1
expect_status "saving without a title" 400
http POST /edit/ops/backups -b "$ED" --data-urlencode "title=T" --data-urlencode "markdown=x" -d save=1
expect_status "saving without the CSRF token" 403

# Hostile text stays text.
XSS='<script>alert(1)</script>'
HOSTILE_MD='<script>alert(3)</script>

<img src=x onerror="alert(4)">

[click](javascript:alert(5)) <a href="javascript:alert(6)">x</a> <b onclick="alert(7)">b</b>'
post_form "$ED" /edit/ path=ops/xss "title=$XSS" "summary=\"><script>alert(2)</script>" base_rev=0 save=1 \
    "markdown=$HOSTILE_MD"
expect_status "saving hostile text" 303
for where in /wiki/ops/xss / "/pages?space=ops" /edit/ops/xss; do
    http GET "$where" -b "$ED"
    expect_contains "$where shows the title escaped" "&lt;script&gt;alert(1)&lt;/script&gt;"
    expect_not_contains "$where has no script from the title" "<script>alert(1)"
done
http GET "/pages?tag=%3Cscript%3Ealert(9)%3C/script%3E" -b "$ED"
expect_not_contains "a tag in the address comes back escaped" "<script>alert(9)"
http GET "/wiki/handbook/welcome?q=%22%3E%3Cscript%3Ealert(10)%3C/script%3E" -b "$ED"
expect_not_contains "the search box does not echo markup" "<script>alert(10)"
http GET /wiki/ops/xss -b "$ED"
for bad in "<script>alert(2)" "<script>alert(3)" "onerror" "javascript:" "onclick"; do
    expect_not_contains "the page has no live $bad" "$bad"
done
post_form "$ED" /edit/ops/xss "title=T" markdown=m "tags=<img src=x onerror=alert(8)>" base_rev=1 save=1
expect_status "a tag with markup is refused" 400
expect_not_contains "the refused tag comes back escaped" "<img src=x"
http POST /edit/ops/utf8 -b "$ED" --data-urlencode "csrf=$ED_CSRF" -d "title=T&markdown=%FF%FE&save=1"
expect_status "text that is not UTF-8" 400
