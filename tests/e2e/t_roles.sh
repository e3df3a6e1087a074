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
# People filters and facets are for signed-in readers: author: with dept: would tell an anonymous
# reader which department a page's writer is in (an empty result for the wrong department).
http GET "/api/search?q=welcome"
expect_status "anonymous searches with public reading" 200
all=$(json "$BODY" '["total"]')
[ "$all" -gt 0 ] && pass "anonymous finds pages" || fail "anonymous finds pages" "total $all"
expect_eq "no author facet for anonymous readers" "[]" "$(json "$BODY" '["facets"]["author"]')"
http GET "/api/search?q=welcome" -b "$ADMIN"
[ "$(json "$BODY" '["facets"]["author"]')" != "[]" ] && pass "signed-in readers get the author facet" ||
    fail "signed-in readers get the author facet" "none"
for q in "welcome dept:nonexistent" "welcome author:nobody-here" "welcome author:nobody-here dept:nonexistent" "welcome skill:nothing-like-it"; do
    http GET "/api/search?q=$(python3 -c 'import sys,urllib.parse; print(urllib.parse.quote(sys.argv[1]))' "$q")"
    expect_status "anonymous: $q" 200
    n=$(json "$BODY" '["total"]')
    [ "$n" = "$all" ] && pass "anonymous: $q is read without its people filters" ||
        fail "anonymous: $q is read without its people filters" "total $n, not $all"
done
http GET "/search?q=welcome+dept%3Aengineering"
expect_not_contains "the search page shows no people facets to anonymous readers" "People by department"
expect_not_contains "nor the author facet" ">Author<"
http GET "/api/search?q=welcome%20dept%3Anonexistent" -b "$ADMIN"
n=$(json "$BODY" '["total"]')
[ "$n" -lt "$all" ] && pass "signed in, dept: still narrows" || fail "signed in, dept: still narrows" "total $n"
stop_server
start_server
anonymous_reads "after a restart"
post_form "$ADMIN" /admin/settings public_read=0
expect_status "the admin turns public reading off" 303
http GET "$PAGE"
expect_status "anonymous is sent to sign in again" 303
