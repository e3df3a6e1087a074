#!/usr/bin/env bash
# Tags may hold spaces: "dev environment" stays one tag from the form and the API to the page, the
# tag list, search facets and filters, questions, knowledge at risk and the department map; the
# demo's multi-word tags ("high availability", "time off", "service desk") are whole; a database
# from before keeps its tags through the migration to comma-separated lists.
. "$(dirname "$0")/lib.sh" "$@"
init_demo
start_server
login priya "$PW" && login mara "$PW"
ED=$TMP/priya.jar ADMIN=$TMP/mara.jar
TOKEN=$("$KEN" token add priya --db "$DB")
api() { # api METHOD PATH [JSON BODY]
    http "$1" "$2" -H "Authorization: Bearer $TOKEN" ${3+-H "Content-Type: application/json" --data-binary "$3"}
}

# ---- the form: commas separate, spaces stay inside a tag
post_form "$ED" /edit/ path=eng/laptop-setup "title=Laptop setup" "markdown=Install the tools." \
    "tags=Dev   Environment, laptop,,how-to, dev environment" save=1
expect_status "a page saved from the form" 303
api GET /api/pages/eng/laptop-setup
expect_eq "the form's tags: one 'dev environment', lowercase, no duplicates" \
    '["dev environment", "laptop", "how-to"]' "$(json "$BODY" '["tags"]')"
http GET /wiki/eng/laptop-setup -b "$ED"
expect_contains "the page shows the tag whole, linked to its list" \
    '<a href="/pages?tag=dev%20environment">dev environment</a>'
http GET /edit/eng/laptop-setup -b "$ED"
expect_contains "the editor shows the tags as typed, comma-separated, for tags.js" \
    'name="tags" value="dev environment, laptop, how-to" data-tags'
http GET "/pages?tag=dev%20environment" -b "$ED"
expect_contains "the tag's list has the page" 'href="/wiki/eng/laptop-setup"'
http GET "/pages?tag=dev" -b "$ED"
expect_not_contains "no tag 'dev' was made" 'href="/wiki/eng/laptop-setup"'

# ---- the API: an array keeps each tag whole; bad tags are refused with why
api PUT /api/pages/eng/vpn-setup '{"title":"VPN setup","markdown":"WireGuard.","tags":["Dev Environment","remote work"]}'
expect_status "a page saved through the API" 201
expect_eq "the API's tags" '["dev environment", "remote work"]' "$(json "$BODY" '["tags"]')"
api PUT /api/pages/eng/bad-tags '{"title":"Bad","markdown":"x","tags":["fine","<b>"]}'
expect_status "a tag with odd characters is refused" 400
expect_contains "saying which characters tags use" "separated by commas"

# ---- search: the facet and tag:"..." filter keep it whole
http GET "/search?q=setup" -b "$ED"
expect_contains "the tag facet offers the whole tag" '>dev environment</a>'
expect_contains "and its link quotes it" 'tag%3A%22dev%20environment%22'
http GET "/search?q=setup+tag%3A%22dev+environment%22" -b "$ED"
expect_contains "tag:\"dev environment\" finds the page" 'href="/wiki/eng/laptop-setup"'
expect_contains "and the other page with it" 'href="/wiki/eng/vpn-setup"'

# ---- questions: the same tags
post_form "$ED" /ask "title=How do I set up a dev environment on a new laptop?" \
    "markdown=Fresh machine." "tags=dev environment, laptop" post=1
expect_status "a question with a multi-word tag" 303
QURL=$(header_of Location)
http GET "$QURL" -b "$ED"
expect_contains "the question shows the tag whole" '<a href="/questions?tag=dev%20environment">dev environment</a>'
http GET "/api/questions?tag=dev%20environment" -H "Authorization: Bearer $TOKEN"
expect_eq "the question list narrowed to the tag" '["dev environment", "laptop"]' "$(json "$BODY" '["questions"][0]["tags"]')"

# ---- the demo: multi-word tags are whole everywhere
api GET /api/pages/engineering/runbooks/postgresql-replication
expect_contains "the demo's replication page has 'high availability'" '"high availability"'
http GET /risk -b "$ADMIN"
expect_status "knowledge at risk" 200
for fragment in high off desk; do
    expect_not_contains "knowledge at risk has no fragment tag '$fragment'" ">tag $fragment</a>"
done
expect_contains "but may have whole tags (tag time off)" '?tag=time%20off">tag time off</a>'
http GET /departments/map -b "$ADMIN"
expect_status "the department map" 200
for fragment in high off desk; do
    expect_not_contains "the department map has no fragment tag '$fragment'" ">$fragment</a></td>"
done

# ---- a database from before: space-separated lists become comma-separated
stop_server
sqlite3 "$DB" "UPDATE revisions SET tags = 'vpn onboarding' WHERE page_id = (SELECT id FROM pages WHERE path = 'eng/vpn-setup');
               DELETE FROM ken_migrations WHERE version = 22;"
start_server
api GET /api/pages/eng/vpn-setup
expect_eq "an old space-separated list reads as its tags after the migration" \
    '["vpn", "onboarding"]' "$(json "$BODY" '["tags"]')"
