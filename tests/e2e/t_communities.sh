#!/usr/bin/env bash
# Communities: the directory with member counts, starting one (editors, who become its owner),
# joining an open one at once, asking to join a closed one (pending until an owner approves),
# leaving, owners managing members (others get 403), CSRF, the JSON API, the community's space of
# pages, and the profile's list of communities.
. "$(dirname "$0")/lib.sh" "$@"
init_demo
start_server
for who in priya gareth lena ewan mara; do login "$who" "$PW"; done
ED=$TMP/priya.jar VIEWER=$TMP/gareth.jar OWNER=$TMP/lena.jar EWAN=$TMP/ewan.jar ADMIN=$TMP/mara.jar
T_ED=$("$KEN" token add priya --db "$DB")
T_VIEWER=$("$KEN" token add gareth --db "$DB")
T_WEI=$("$KEN" token add wei --db "$DB")
T_LIAM=$("$KEN" token add liam --db "$DB")
T_OWNER=$("$KEN" token add lena --db "$DB")
api() { # api METHOD PATH TOKEN [JSON BODY]
    local m=$1 p=$2 t=$3
    shift 3
    http "$m" "$p" -H "Authorization: Bearer $t" ${1+-H "Content-Type: application/json" --data-binary "$1"}
}
count_of() { # count_of SLUG: the member count the API gives
    api GET "/api/communities/$1" "$T_ED"
    json "$BODY" '["member_count"]'
}
role_of() { # role_of SLUG TOKEN: the reader's role
    api GET "/api/communities/$1" "$2"
    json "$BODY" '["your_role"]'
}

# The directory and the demo's communities.
http GET /communities -b "$VIEWER"
expect_status "the communities directory" 200
expect_contains "the Python guild is listed" 'href="/communities/python-guild"'
expect_contains "with its member count" 'class="community-name">Python guild</a>
      <span class="count" title="members">6</span>'
expect_contains "closed communities say so" 'title="owners approve requests to join">closed</span>'
expect_not_contains "viewers get no form to start one" 'id="new-community"'
api GET /api/communities "$T_VIEWER"
expect_status "GET /api/communities" 200
expect_eq "four demo communities, by name" "Loom makers,Python guild,Security champions,Women in engineering" \
    "$(json "$BODY" '["communities"]' | python3 -c 'import json,sys; print(",".join(c["name"] for c in json.load(sys.stdin)))')"
expect_eq "member counts" "6 false" "$(json "$BODY" '["communities"][1]["member_count"]') $(json "$BODY" '["communities"][2]["open"]')"
http GET /communities
expect_status "anonymous readers are sent to sign in" 303
http GET /api/communities
expect_status "the API wants a sign-in" 401

# Starting one: editors may, and own it.
http GET /communities -b "$ED"
expect_contains "editors get the form" 'id="new-community"'
post_form "$ED" /communities "name=Rust readers" "description=We read <b>Rust</b> books." open=1
expect_status "priya starts a community" 303
expect_header "to its page" "Location: /communities/rust-readers"
http GET /communities/rust-readers -b "$ED"
expect_status "its page" 200
expect_contains "priya owns it" "You own this community"
expect_contains "the description is escaped" "We read &lt;b&gt;Rust&lt;/b&gt; books."
expect_eq "priya is its owner" owner "$(role_of rust-readers "$T_ED")"
post_form "$ED" /communities "name=rust READERS"
expect_status "a name that is taken (any case)" 409
post_form "$ED" /communities "name=!!!"
expect_status "a name without letters" 400
post_form "$VIEWER" /communities "name=Viewers club"
expect_status "viewers cannot start one" 403
http POST /communities -b "$ED" --data-urlencode "name=No token club"
expect_status "no CSRF token" 403
api POST /api/communities "$T_ED" '{"name":"<script>alert(1)</script> fans","open":false}'
expect_status "starting one through the API" 201
expect_eq "closed, owned by its maker" "false owner" "$(json "$BODY" '["open"]') $(json "$BODY" '["your_role"]')"
http GET /communities -b "$VIEWER"
expect_not_contains "names are escaped in the directory" "<script>alert(1)"

# Joining an open community happens at once.
post_form "$VIEWER" /communities/python-guild/join
expect_status "gareth joins the Python guild" 303
expect_header "back to the community" "Location: /communities/python-guild"
expect_eq "he is a member" member "$(role_of python-guild "$T_VIEWER")"
expect_eq "the count went up" 7 "$(count_of python-guild)"
post_form "$VIEWER" /communities/python-guild/join
expect_status "joining twice changes nothing" 303
expect_eq "still 7" 7 "$(count_of python-guild)"
http GET /communities/python-guild -b "$VIEWER"
expect_contains "the page lists him" 'href="/people/gareth">Gareth Hughes</a>'
expect_contains "and offers to leave" 'action="/communities/python-guild/leave"'
api POST /api/communities/loom-makers/join "$T_WEI"
expect_status "wei joins the loom makers through the API" 200
expect_eq "as a member" member "$(json "$BODY" '["role"]')"
http POST /communities/loom-makers/join -b "$VIEWER"
expect_status "joining without a CSRF token" 403
api POST /api/communities/nothing-here/join "$T_WEI"
expect_status "an unknown community" 404

# Asking to join a closed community: pending until an owner approves.
post_form "$VIEWER" /communities/security-champions/join
expect_status "gareth asks to join the security champions" 303
expect_eq "his request is pending" pending "$(role_of security-champions "$T_VIEWER")"
expect_eq "pending people are not counted" 7 "$(count_of security-champions)"
http GET /communities/security-champions -b "$VIEWER"
expect_contains "he is told an owner will decide" "You asked to join"
expect_not_contains "requests are for owners' eyes" 'id="requests"'
api GET /api/communities/security-champions "$T_VIEWER"
expect_eq "the API hides requests from non-owners" absent \
    "$(json "$BODY" '["members"]' | python3 -c 'import json,sys; print("present" if any(m["role"] == "pending" for m in json.load(sys.stdin)) else "absent")')"
http GET /communities/security-champions -b "$OWNER"
expect_contains "the owner sees the requests" 'id="requests"'
expect_contains "gareth's among them" 'name="login" value="gareth"'
expect_contains "and liam's (from the demo)" 'name="login" value="liam"'
post_form "$ED" /communities/security-champions/members login=gareth action=approve
expect_status "a member who is no owner cannot approve" 403
api POST /api/communities/security-champions/members "$T_LIAM" '{"login":"gareth","action":"approve"}'
expect_status "nor can someone waiting themselves" 403
http POST /communities/security-champions/members -b "$OWNER" --data-urlencode login=gareth \
    --data-urlencode action=approve
expect_status "the owner without a CSRF token" 403
expect_eq "still pending" pending "$(role_of security-champions "$T_VIEWER")"
post_form "$OWNER" /communities/security-champions/members login=gareth action=approve
expect_status "the owner approves gareth" 303
expect_eq "gareth is a member now" member "$(role_of security-champions "$T_VIEWER")"
expect_eq "and counted" 8 "$(count_of security-champions)"
post_form "$OWNER" /communities/security-champions/members login=gareth action=approve
expect_status "approving someone who is no longer waiting" 409
api POST /api/communities/security-champions/members "$T_OWNER" '{"login":"liam","action":"reject"}'
expect_status "the owner declines liam's request through the API" 200
expect_eq "liam is out" null "$(role_of security-champions "$T_LIAM")"
post_form "$OWNER" /communities/security-champions/members login=nobody action=add
expect_status "adding someone who does not exist" 404
post_form "$OWNER" /communities/security-champions/members login=wei action=promote
expect_status "an unknown action" 400

# Owners add members and owners; the last owner cannot go.
post_form "$OWNER" /communities/security-champions/members login=wei action=add
expect_status "the owner adds wei" 303
post_form "$OWNER" /communities/security-champions/members login=wei action=owner
expect_status "and makes him an owner" 303
expect_eq "wei owns it too" owner "$(role_of security-champions "$T_WEI")"
post_form "$ADMIN" /communities/security-champions/members login=wei action=remove
expect_status "an admin may manage any community" 303
expect_eq "wei is out" null "$(role_of security-champions "$T_WEI")"
post_form "$EWAN" /communities/python-guild/leave
expect_status "the only owner cannot leave" 409
expect_contains "and is told why" "make someone else an owner first"
post_form "$EWAN" /communities/python-guild/members login=ewan action=member
expect_status "nor step down" 409

# Leaving.
post_form "$VIEWER" /communities/python-guild/leave
expect_status "gareth leaves the Python guild" 303
expect_eq "the count went down" 6 "$(count_of python-guild)"
api POST /api/communities/loom-makers/leave "$T_WEI"
expect_status "wei leaves through the API" 200
expect_eq "with no role left" null "$(json "$BODY" '["role"]')"

# Owners edit the description and whether it is open.
post_form "$ED" /communities/python-guild/edit "description=Hijacked" open=1
expect_status "a member who is no owner cannot edit it" 403
post_form "$EWAN" /communities/python-guild/edit "description=Snakes and notebooks." open=1
expect_status "the owner edits it" 303
http GET /communities/python-guild -b "$VIEWER"
expect_contains "the new description" "Snakes and notebooks."

# The community's pages: its slug is a wiki space.
http GET /communities/python-guild -b "$ED"
expect_contains "editors may start a page there" 'href="/new?path=python-guild/">New page in this community</a>'
expect_not_contains "no pages yet, so no link to an empty space" 'href="/spaces/python-guild"'
http GET /communities/python-guild -b "$VIEWER"
expect_not_contains "viewers get no new-page button" "New page in this community"
api PUT /api/pages/python-guild/welcome "$T_ED" '{"title":"Welcome to the guild","markdown":"Hello","base_revision":0}'
expect_status "a page in the guild's space" 201
http GET /communities/python-guild -b "$VIEWER"
expect_contains "the community lists its pages" 'href="/wiki/python-guild/welcome">Welcome to the guild</a>'
expect_contains "and links to its space" 'href="/spaces/python-guild"'

# Profiles list a person's communities.
http GET /people/gareth -b "$ED"
expect_contains "gareth's profile lists his communities" 'href="/communities/security-champions">Security champions</a>'
expect_not_contains "but not those he left" 'href="/communities/python-guild"'
http GET /people/ewan -b "$VIEWER"
expect_contains "owners are marked" 'Python guild</a> <span class="muted">(owner)</span>'
