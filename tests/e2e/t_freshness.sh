#!/usr/bin/env bash
# Freshness: page owners, review intervals, verifying, the stale banner, the health report, the
# owner's to-do list on the home page, and view counts that survive a restart.
. "$(dirname "$0")/lib.sh" "$@"
init_demo
start_server
login priya "$PW" && login ewan "$PW" && login mara "$PW" && login gareth "$PW"
ED=$TMP/priya.jar OWNER=$TMP/ewan.jar ADMIN=$TMP/mara.jar VIEWER=$TMP/gareth.jar
TOKEN_ED=$("$KEN" token add priya --db "$DB") TOKEN_OWNER=$("$KEN" token add ewan --db "$DB")
TOKEN_CALLUM=$("$KEN" token add callum --db "$DB")
STALE=engineering/code-review-guidelines # owned by Ewan Fraser, never verified, created ~11 months ago
rows() { sed -n '/<tbody>/,/<\/tbody>/p' "$BODY" | grep -o 'href="/wiki/[^"]*"' | sed 's/^href="\/wiki\///; s/"$//'; }

# A new page belongs to the person who wrote it.
post_form "$ED" /edit/ path=ops/fresh title=Fresh markdown=New. base_rev=0 save=1
http GET /wiki/ops/fresh -b "$VIEWER"
expect_contains "a new page is owned by its creator" 'Owned by <span class="owner">Priya Raman</span>'
expect_contains "a new page has never been verified" "never verified"
expect_not_contains "a new page is not stale" "This page may be out of date"

# The demo has stale pages: the report lists them; their pages say so.
http GET /health -b "$VIEWER"
expect_status "the health report" 200
rows >"$TMP/rows"
expect_contains "the report lists a page past review" "$STALE" "$TMP/rows"
expect_contains "and says why" "overdue"
expect_not_contains "the report leaves out a page verified recently" "engineering/adr/0007-postgresql-over-mysql" "$TMP/rows"
http GET /wiki/$STALE -b "$VIEWER"
expect_contains "a stale page shows the banner" "This page may be out of date"
expect_contains "the banner says nobody verified it" "Nobody has verified it"
expect_not_contains "a viewer gets no verify button" "/verify/$STALE"
http GET /wiki/$STALE -b "$OWNER"
expect_contains "the owner gets a verify button" "action=\"/verify/$STALE\""

# Verifying: owners and admins only.
post_form "$ED" /verify/$STALE
expect_status "an editor who does not own the page cannot verify it" 403
post_form "$VIEWER" /verify/$STALE
expect_status "a viewer cannot verify" 403
post_form "$OWNER" /verify/$STALE
expect_status "the owner verifies" 303
expect_header "verifying goes back to the page" "Location: /wiki/$STALE"
http GET /wiki/$STALE -b "$VIEWER"
expect_not_contains "the banner is gone" "This page may be out of date"
expect_contains "the page says who verified it" "verified today by Ewan Fraser"
post_form "$ADMIN" /verify/engineering/git-workflow
expect_status "an admin may verify any page" 303
http GET /wiki/engineering/git-workflow -b "$VIEWER"
expect_contains "verified by the admin" "verified today by Mara Okafor"
http GET /health -b "$VIEWER"
rows >"$TMP/rows"
expect_not_contains "verified pages leave the report" "$STALE" "$TMP/rows"
http POST /api/pages/handbook/company-values/verify -H "Authorization: Bearer $TOKEN_ED"
expect_status "API verify by someone who does not own the page" 403
http POST /api/pages/engineering/onboarding/vpn/verify -H "Authorization: Bearer $TOKEN_OWNER"
expect_status "API verify by a non-owner" 403
http POST /api/pages/engineering/adr/0007-postgresql-over-mysql/verify -H "Authorization: Bearer $TOKEN_ED"
expect_status "API verify by the owner" 200
expect_eq "API names who verified" priya "$(json "$BODY" '["verified_by"]')"

# Owners add and remove owners, but a page keeps at least one.
post_form "$OWNER" /owners/ops/fresh login=ewan action=add
expect_status "someone who is not an owner cannot add owners" 403
post_form "$ED" /owners/ops/fresh login=callum action=add
expect_status "the owner adds another owner" 303
http GET /wiki/ops/fresh -b "$VIEWER"
expect_contains "the page lists both owners" '<span class="owner">Callum Reid</span><span class="owner">Priya Raman</span>'
post_form "$ED" /owners/ops/fresh login=nobody-here action=add
expect_status "adding an unknown login" 404
post_form "$ED" /owners/ops/fresh login=priya action=remove
expect_status "an owner steps down" 303
http GET /wiki/ops/fresh -b "$VIEWER"
expect_not_contains "she is no longer listed" '<span class="owner">Priya Raman</span>'
post_form "$ED" /verify/ops/fresh
expect_status "a former owner may no longer verify" 403
http POST /owners/ops/fresh -H "Authorization: Bearer $TOKEN_CALLUM" -d "login=callum&action=remove"
expect_status "the last owner cannot be removed" 409
http GET /wiki/ops/fresh -b "$VIEWER"
expect_contains "the last owner stays" '<span class="owner">Callum Reid</span>'

# Review intervals: a page's own, then a whole space's.
P=handbook/welcome # verified about 45 days ago
post_form "$ADMIN" /review/$P days=1
expect_status "set a page's review interval" 303
http GET /wiki/$P -b "$VIEWER"
expect_contains "the page says how often it is reviewed" "review every 1 days"
expect_contains "with a one-day interval it is due" "This page may be out of date"
post_form "$ADMIN" /review/$P days=0
http GET /wiki/$P -b "$VIEWER"
expect_not_contains "back to the space's interval it is fresh" "This page may be out of date"
post_form "$ADMIN" /review/$P days=forever
expect_status "a review interval that is not a number" 400
post_form "$ED" /space-review space=finance days=30
expect_status "an editor cannot set a space's interval" 403
post_form "$ADMIN" /space-review space=finance days=30
expect_status "the admin sets a space's interval" 303
expect_header "back to the space's report" "Location: /health?space=finance"
http GET "/health?space=finance" -b "$VIEWER"
expect_contains "the space report gives the interval" "reviewed every 30 days"
rows >"$TMP/rows"
expect_contains "a page checked 45 days ago is now due" finance/expense-policy "$TMP/rows"
expect_not_contains "the space report keeps to its space" engineering/ "$TMP/rows"

# The owner's home page lists their pages due for review.
http GET / -b "$ADMIN"
expect_contains "the home page lists the owner's due pages" "Your pages due for review"
expect_contains "with the page" 'href="/wiki/it/service-desk"'
http GET / -b "$VIEWER"
expect_not_contains "someone owning nothing due sees no list" "Your pages due for review"

# Views are counted, written at shutdown, and order the report.
for i in 1 2 3; do http GET /wiki/sales/crm-hygiene -b "$VIEWER"; done
for i in 1 2; do http GET /wiki/it/laptop-onboarding-checklist -b "$VIEWER"; done
http GET "/wiki/sales/crm-hygiene?rev=1" -b "$VIEWER" # an old revision is not a view
stop_server
start_server
http GET /health -b "$VIEWER"
rows | head -n 2 | tr '\n' ' ' >"$TMP/rows"
expect_eq "the most viewed stale pages come first" "sales/crm-hygiene it/laptop-onboarding-checklist " \
    "$(cat "$TMP/rows")"
expect_contains "the report shows the views" "<td>3</td>"
http GET /wiki/sales/crm-hygiene -b "$VIEWER"
expect_contains "the page shows its views" "3 views in 30 days"
