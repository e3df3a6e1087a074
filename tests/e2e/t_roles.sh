#!/usr/bin/env bash
# Who may do what: viewers read, editors and HR write, admins run /admin; anonymous people sign in
# first unless an admin turns on public reading, which lets them read (and survives a restart) but
# never write.
. "$(dirname "$0")/lib.sh" "$@"
init_demo
start_server
login gareth "$PW" && login fiona "$PW" && login priya "$PW" && login mara "$PW"
VIEWER=$TMP/gareth.jar HR=$TMP/fiona.jar ED=$TMP/priya.jar ADMIN=$TMP/mara.jar
VIEWER_TOKEN=$("$KEN" token add gareth --db "$DB")
PAGE=/wiki/handbook/welcome

# A viewer reads, and is neither offered nor allowed to write.
http GET "$PAGE" -b "$VIEWER"
expect_status "a viewer reads a page" 200
expect_not_contains "a viewer gets no Edit button" 'href="/edit/'
expect_not_contains "a viewer gets no New page button" 'href="/new"'
for where in /edit/handbook/welcome "/new?path=handbook/mine"; do
    http GET "$where" -b "$VIEWER"
    expect_status "a viewer opening $where" 403
    expect_contains "the refusal says how to get the editor role" "editor role"
done
post_form "$VIEWER" /edit/handbook/welcome title=Vandalised markdown=gone save=1
expect_status "a viewer saving a page" 403
post_form "$VIEWER" /edit/ path=handbook/mine title=Mine markdown=mine base_rev=0 save=1
expect_status "a viewer creating a page" 403
http PUT /api/pages/handbook/mine -H "Authorization: Bearer $VIEWER_TOKEN" \
    --data-binary '{"title":"Mine","markdown":"mine"}'
expect_status "a viewer's token writing" 403
http GET "$PAGE" -b "$VIEWER"
expect_not_contains "the page was not changed" "Vandalised"

# HR people and editors write; only the admin sees /admin.
post_form "$HR" /edit/ path=people/leave "title=Leave policy" "markdown=25 days." base_rev=0 save=1
expect_status "HR creates a page" 303
http GET "$PAGE" -b "$ED"
expect_contains "an editor gets an Edit button" 'href="/edit/handbook/welcome"'
expect_not_contains "an editor gets no Admin link" 'href="/admin"'
for jar in "$VIEWER" "$HR" "$ED"; do
    http GET /admin -b "$jar"
    expect_status "/admin for $(basename "$jar" .jar)" 403
done
post_form "$ED" /admin/settings public_read=1
expect_status "an editor changing settings" 403
http GET /admin -b "$ADMIN"
expect_status "the admin page" 200
expect_contains "the admin page lists accounts" "<span class=\"path\">gareth</span>"
http GET "$PAGE" -b "$ADMIN"
expect_contains "an admin gets an Admin link" 'href="/admin"'

# Anonymous people are sent to sign in, and cannot write.
for where in / "$PAGE" /pages /new /admin; do
    http GET "$where"
    expect_status "anonymous $where" 303
    expect_header "anonymous $where goes to sign-in" "Location: /login?next=$where"
done
http GET /api/pages/handbook/welcome
expect_status "anonymous API read" 401
http POST /edit/handbook/welcome -d "title=T&markdown=anon&save=1"
expect_status "anonymous save" 401

# Public reading: switched by the admin with a CSRF token; anonymous people read but never write.
http POST /admin/settings -b "$ADMIN" -d public_read=1
expect_status "settings without the CSRF token" 403
post_form "$ADMIN" /admin/settings public_read=maybe
expect_status "a nonsense setting" 400
post_form "$ADMIN" /admin/settings public_read=1
expect_status "the admin turns on public reading" 303
http GET /admin -b "$ADMIN"
expect_contains "the admin page says anyone may read" "Anyone who can reach ken may read"
anonymous_reads() { # anonymous_reads WHEN
    http GET "$PAGE"
    expect_status "anonymous reads a page $1" 200
    expect_contains "anonymous sees the page $1" "Welcome to Northwind Loom"
    expect_not_contains "anonymous gets no Edit button $1" 'href="/edit/'
    http GET /
    expect_status "anonymous home $1" 200
    http GET /api/pages/handbook/welcome
    expect_status "anonymous API read $1" 200
    http GET /edit/handbook/welcome
    expect_status "anonymous editor $1" 303
    http POST /edit/handbook/welcome -d "title=T&markdown=anon&save=1"
    expect_status "anonymous save $1" 401
    http PUT /api/pages/handbook/welcome --data-binary '{"title":"T","markdown":"anon"}'
    expect_status "anonymous API write $1" 401
    http GET /admin
    expect_status "anonymous /admin $1" 303
}
anonymous_reads "with public reading"
stop_server
start_server
anonymous_reads "after a restart"
post_form "$ADMIN" /admin/settings public_read=0
expect_status "the admin turns public reading off" 303
http GET "$PAGE"
expect_status "anonymous is sent to sign in again" 303
