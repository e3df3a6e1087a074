#!/usr/bin/env bash
# Page templates: a new wiki comes with them, the new-page form offers them, choosing one fills the
# editor, odd choices give an empty editor, and editing a template changes what it fills in.
. "$(dirname "$0")/lib.sh" "$@"
run_ken init --db "$DB"
expect_eq "ken init without --demo succeeds" 0 "$RC"
PW='a long enough passphrase'
echo "$PW" | "$KEN" user add boss --name 'Bea Boss' --role admin --password-stdin --db "$DB" >/dev/null 2>&1 ||
    fail "adding the first admin"
echo "$PW" | "$KEN" user add ed --name 'Ed Itor' --role editor --password-stdin --db "$DB" >/dev/null 2>&1 ||
    fail "adding an editor"
start_server
login boss "$PW" && login ed "$PW"
ADMIN=$TMP/boss.jar ED=$TMP/ed.jar

# A fresh wiki has the four templates, as pages in the templates space.
declare -A TITLE=([how-to]="How-to template" [runbook]="Runbook template"
    [meeting-notes]="Meeting notes template" [decision-record]="Decision record template")
for t in how-to runbook meeting-notes decision-record; do
    http GET /wiki/templates/$t -b "$ADMIN"
    expect_status "templates/$t exists" 200
    expect_contains "templates/$t has its title" "<h1>${TITLE[$t]}</h1>"
done
http GET /wiki/templates/runbook -b "$ADMIN"
expect_contains "the runbook template has its sections" 'id="diagnose"'
http GET "/pages?space=templates" -b "$ED"
expect_contains "the templates space lists them" 'href="/wiki/templates/meeting-notes"'

# The new-page form offers each template.
http GET /new -b "$ED"
expect_status "new-page form" 200
for t in how-to runbook meeting-notes decision-record; do
    expect_contains "a button for templates/$t" "name=\"use_template\" value=\"templates/$t\" formnovalidate class=\"button small\">${TITLE[$t]}</button>"
done
expect_contains "a blank form has an empty editor" 'data-preview="/api/preview"></textarea>'

# Choosing one fills the editor with its text and tags, and keeps the path.
http GET "/new?path=ops/db-failover&template=templates/runbook" -b "$ED"
expect_status "new page from the runbook template" 200
expect_contains "the editor has the template's text" 'data-preview="/api/preview">**Service:** name'
expect_contains "with its headings" "## Diagnose"
expect_contains "and its checklist" "- [ ] Tell the incident channel it is resolved"
expect_contains "the template's tags are filled in" 'name="tags" value="runbook"'
expect_contains "the chosen template is highlighted" 'value="templates/runbook" formnovalidate class="button small primary"'
expect_contains "the address is kept" 'name="page" value="db-failover"'
expect_contains "the new page starts at revision 0" 'name="base_rev" value="0"'
expect_not_contains "the template's front matter is not in the text" "title: Runbook template"
http GET "/new?template=templates/meeting-notes" -b "$ED"
expect_contains "another template fills in its own text" "Meeting notes"
expect_not_contains "and not the runbook" "## Diagnose"

# Saving from a template makes an ordinary page.
post_form "$ED" /edit/ path=ops/db-failover "title=DB failover" "markdown=**Service:** postgres

## Diagnose

Check replication lag." tags=runbook base_rev=0 save=1
expect_status "saving a page made from a template" 303
http GET /wiki/ops/db-failover -b "$ED"
expect_contains "the page has the filled-in text" "Check replication lag."
http GET /wiki/templates/runbook -b "$ED"
expect_not_contains "the template is unchanged" "Check replication lag."

# Odd choices give an empty editor, never an error.
post_form "$ADMIN" /edit/ path=ops/secret-plan "title=Secret plan" "markdown=Not a template at all." base_rev=0 save=1
for t in ../etc/passwd templates/../ops/secret-plan ops/secret-plan templates/no-such-template \
    templates /etc/passwd 'templates/runbook%00' 'Templates/Runbook' "templates/$(printf 'x%.0s' $(seq 1 300))"; do
    http GET "/new?template=$t" -b "$ED"
    expect_status "template=${t:0:40} is no error" 200
    expect_contains "template=${t:0:40} gives an empty editor" 'data-preview="/api/preview"></textarea>'
    expect_not_contains "template=${t:0:40} shows no other page" "Not a template at all."
done

# Editing a template changes what new pages start with; a new template gets its own button.
http GET /edit/templates/runbook -b "$ADMIN"
BASE=$(grep -o 'name="base_rev" value="[0-9]*"' "$BODY" | grep -o '[0-9]*$')
post_form "$ADMIN" /edit/templates/runbook "title=Runbook template" tags=runbook base_rev="${BASE:-1}" save=1 \
    "markdown=**Service:** name

## First, page the on-call
"
expect_status "the admin edits the runbook template" 303
http GET "/new?template=templates/runbook" -b "$ED"
expect_contains "the editor starts from the edited template" "## First, page the on-call"
expect_not_contains "and not from the old text" "## Diagnose"
post_form "$ADMIN" /edit/ path=templates/postmortem "title=Postmortem template" \
    "markdown=## What happened" base_rev=0 save=1
http GET /new -b "$ED"
expect_contains "a new template is offered" 'value="templates/postmortem" formnovalidate class="button small">Postmortem template</button>'
http GET "/new?template=templates/postmortem" -b "$ED"
expect_contains "and fills the editor" 'data-preview="/api/preview">## What happened'

# Only editors start pages.
echo "$PW" | "$KEN" user add vic --name 'Vic Viewer' --role viewer --password-stdin --db "$DB" >/dev/null 2>&1
login vic "$PW"
http GET "/new?template=templates/runbook" -b "$TMP/vic.jar"
expect_status "a viewer gets no new-page form" 403
expect_not_contains "and no template text" "**Service:**"
