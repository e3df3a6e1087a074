# SCIM provisioning (/scim/v2): requests shaped as Okta and Microsoft Entra ID send them create,
# change, deactivate, bring back and delete people; a deactivated person cannot sign in and is
# shown as having left; only admins' tokens get in; bad input gets SCIM's 400s.
. "$(dirname "$0")/lib.sh" "$@"

init_demo
start_server
ADMIN=$("$KEN" token add mara --label okta --db "$DB")
EDITOR=$("$KEN" token add priya --db "$DB")
READER=$("$KEN" token add mara --read-only --db "$DB")
SCIM=(-H "Authorization: Bearer $ADMIN" -H 'Content-Type: application/scim+json; charset=utf-8'
    -H 'Accept: application/scim+json')
CORE=urn:ietf:params:scim:schemas:core:2.0:User
ENT=urn:ietf:params:scim:schemas:extension:enterprise:2.0:User
PATCHOP=urn:ietf:params:scim:api:messages:2.0:PatchOp

# scim METHOD PATH [JSON]: a request as the provider sends it, with the admin's token.
scim() {
    if [ $# -ge 3 ]; then http "$1" "$2" "${SCIM[@]}" --data-binary "$3"; else http "$1" "$2" "${SCIM[@]}"; fi
}
expect_scim_error() { # expect_scim_error WHAT STATUS [SCIMTYPE]
    expect_status "$1" "$2"
    expect_eq "$1: SCIM's error schema" "urn:ietf:params:scim:api:messages:2.0:Error" \
        "$(json "$BODY" '["schemas"][0]')"
    expect_eq "$1: the status as a string" "$2" "$(json "$BODY" '["status"]')"
    [ $# -ge 3 ] && expect_eq "$1: scimType" "$3" "$(json "$BODY" '["scimType"]')"
    [ -n "$(json "$BODY" '["detail"]')" ] && pass || fail "$1: a detail saying why"
}

# ---- who may: admins' tokens only
http GET /scim/v2/Users
expect_scim_error "no token" 401
expect_header "which says how to authenticate" 'WWW-Authenticate: Bearer'
expect_header "in SCIM's media type" 'Content-Type: application/scim+json'
http GET /scim/v2/Users -H "Authorization: Bearer $EDITOR"
expect_scim_error "an editor's token" 403
http GET /scim/v2/Users -H "Authorization: Bearer not-a-token"
expect_scim_error "a made-up token" 401
http GET "/scim/v2/Users?count=1" -H "Authorization: Bearer $READER"
expect_status "an admin's read-only token lists" 200
http POST /scim/v2/Users -H "Authorization: Bearer $READER" -d '{"userName":"x"}'
expect_scim_error "but cannot provision" 403
login mara "$PW"
http POST /scim/v2/Users -b "$TMP/mara.jar" -H 'Content-Type: application/scim+json' \
    -d '{"userName":"cookie.person"}'
expect_scim_error "a session cookie without the CSRF token cannot provision" 403

# ---- discovery
scim GET /scim/v2/ServiceProviderConfig
expect_status "ServiceProviderConfig" 200
expect_eq "PATCH is supported" true "$(json "$BODY" '["patch"]["supported"]')"
expect_eq "filters are supported" true "$(json "$BODY" '["filter"]["supported"]')"
expect_eq "bearer tokens" oauthbearertoken "$(json "$BODY" '["authenticationSchemes"][0]["type"]')"
scim GET /scim/v2/Schemas
expect_eq "two schemas: User" "$CORE" "$(json "$BODY" '["Resources"][0]["id"]')"
expect_eq "and the enterprise extension" "$ENT" "$(json "$BODY" '["Resources"][1]["id"]')"
expect_contains "the User schema has userName" '"name":"userName"'
scim GET "/scim/v2/Schemas/$ENT"
expect_eq "one schema by its URN" "$ENT" "$(json "$BODY" '["id"]')"
scim GET /scim/v2/ResourceTypes
expect_eq "Users first" User "$(json "$BODY" '["Resources"][0]["id"]')"
expect_eq "at /Users" /Users "$(json "$BODY" '["Resources"][0]["endpoint"]')"
scim GET /scim/v2/ResourceTypes/Group
expect_eq "and Groups (t_scim_groups.sh)" /Groups "$(json "$BODY" '["endpoint"]')"
scim GET /scim/v2/ResourceTypes/Widget
expect_scim_error "no other resource types" 404

# ---- Okta: test the connection, look the person up, create them
scim GET "/scim/v2/Users?startIndex=1&count=2"
expect_status "Okta's connection test" 200
expect_eq "a ListResponse" urn:ietf:params:scim:api:messages:2.0:ListResponse "$(json "$BODY" '["schemas"][0]')"
expect_eq "two per page as asked" 2 "$(json "$BODY" '["itemsPerPage"]')"
expect_eq "out of everyone" "$(sqlite3 "$DB" 'SELECT count(*) FROM users')" "$(json "$BODY" '["totalResults"]')"
expect_eq "the first is the admin" mara "$(json "$BODY" '["Resources"][0]["userName"]')"
scim GET "/scim/v2/Users?startIndex=3&count=2"
expect_eq "startIndex pages on" 3 "$(json "$BODY" '["Resources"][0]["id"]')"

scim GET '/scim/v2/Users?filter=userName%20eq%20%22tess.okta%40northwindloom.example%22&startIndex=1&count=100'
expect_eq "Okta finds nobody by that userName yet" 0 "$(json "$BODY" '["totalResults"]')"
OKTA_USER='{"schemas":["'$CORE'"],"userName":"tess.okta@northwindloom.example","name":{"givenName":"Tess","familyName":"Okta"},"emails":[{"primary":true,"value":"tess.okta@northwindloom.example","type":"work"}],"displayName":"Tess Okta","locale":"en-US","externalId":"00ujl29u0le5T6Aj10h7","groups":[],"password":"a long okta password","active":true}'
scim POST /scim/v2/Users "$OKTA_USER"
expect_status "Okta creates the person" 201
TESS=$(json "$BODY" '["id"]')
expect_header "the answer says where it lives" "Location: $URL/scim/v2/Users/$TESS"
expect_header "with an entity tag" 'ETag: W/"'
expect_eq "the userName as Okta sent it" tess.okta@northwindloom.example "$(json "$BODY" '["userName"]')"
expect_eq "active" true "$(json "$BODY" '["active"]')"
expect_eq "meta says it is a User" User "$(json "$BODY" '["meta"]["resourceType"]')"
expect_eq "meta.location" "$URL/scim/v2/Users/$TESS" "$(json "$BODY" '["meta"]["location"]')"
expect_not_contains "the password is never sent back" '"password"'
scim POST /scim/v2/Users "$OKTA_USER"
expect_scim_error "the same userName again" 409 uniqueness
scim GET '/scim/v2/Users?filter=userName%20eq%20%22TESS.OKTA%40northwindloom.example%22'
expect_eq "the filter finds exactly one, in any case" 1 "$(json "$BODY" '["totalResults"]')"
expect_eq "the one created" "$TESS" "$(json "$BODY" '["Resources"][0]["id"]')"
scim GET "/scim/v2/Users?filter=externalId+eq+%2200ujl29u0le5T6Aj10h7%22"
expect_eq "and by externalId" "$TESS" "$(json "$BODY" '["Resources"][0]["id"]')"
scim GET "/scim/v2/Users/$TESS"
expect_eq "GET by id" tess.okta@northwindloom.example "$(json "$BODY" '["userName"]')"

# In the directory, and able to sign in with the password Okta sent.
http GET /people/tess.okta -b "$TMP/mara.jar"
expect_status "the new person has a profile at /people/LOGIN (login from the userName)" 200
expect_contains "with the name Okta sent" "Tess Okta"
http GET "/people?q=tess" -b "$TMP/mara.jar"
expect_contains "and is in the directory" 'href="/people/tess.okta"'
login tess.okta "a long okta password"
expect_status "they sign in with the password Okta sent" 303
cp "$TMP/tess.okta.jar" "$TMP/tess-before.jar"
TESS_JAR=$TMP/tess-before.jar
TESS_TOKEN=$("$KEN" token add tess.okta --db "$DB")
http PUT /api/pages/engineering/warp-tension -H "Authorization: Bearer $TESS_TOKEN" \
    -d '{"title":"Warp tension","markdown":"Setting warp tension on the zyzzyva loom: loosen, measure, tighten."}'
expect_status "and write pages (new people are editors)" 201
http GET "/api/experts?q=zyzzyva" -H "Authorization: Bearer $ADMIN"
expect_contains "which makes them the expert on it" '"login":"tess.okta"'

# Okta replaces the whole user with PUT.
scim PUT "/scim/v2/Users/$TESS" '{"schemas":["'$CORE'","'$ENT'"],"id":"'$TESS'","userName":"tess.okta@northwindloom.example","name":{"givenName":"Tess","familyName":"Okta-Lind"},"emails":[{"primary":true,"value":"tess.okta@northwindloom.example","type":"work"}],"displayName":"Tess Okta-Lind","title":"Loom engineer","active":true,"'$ENT'":{"department":"Engineering"}}'
expect_status "Okta's PUT" 200
expect_eq "changes the name" "Tess Okta-Lind" "$(json "$BODY" '["displayName"]')"
expect_eq "the title" "Loom engineer" "$(json "$BODY" '["title"]')"
http GET /api/people/tess.okta -H "Authorization: Bearer $ADMIN"
expect_eq "the profile has the title" "Loom engineer" "$(json "$BODY" '["title"]')"
expect_eq "and the department (by name)" engineering "$(json "$BODY" '["department"]')"
scim PUT "/scim/v2/Users/$TESS" '{"name":{"givenName":"T"}}'
expect_scim_error "a PUT without userName" 400 invalidValue

# Okta deactivates with a PATCH without a path.
scim PATCH "/scim/v2/Users/$TESS" '{"schemas":["'$PATCHOP'"],"Operations":[{"op":"replace","value":{"active":false}}]}'
expect_status "Okta deactivates" 200
expect_eq "the answer says inactive" false "$(json "$BODY" '["active"]')"
login tess.okta "a long okta password"
expect_status "a deactivated person cannot sign in" 401
http GET /api/pages -b "$TESS_JAR"
expect_status "their session is gone" 401
http GET /api/pages -H "Authorization: Bearer $TESS_TOKEN"
expect_status "and so is their API token" 401
http GET /people/tess.okta -b "$TMP/mara.jar"
expect_contains "their profile says they left" "Tess Okta-Lind has left the company"
http GET "/people?q=tess" -b "$TMP/mara.jar"
expect_not_contains "the directory leaves them out" 'href="/people/tess.okta"'
http GET "/people?q=tess&left=1" -b "$TMP/mara.jar"
expect_contains "unless asked for people who left" 'href="/people/tess.okta"'
http GET "/api/experts?q=zyzzyva" -H "Authorization: Bearer $ADMIN"
expect_not_contains "the experts leave them out" '"login":"tess.okta"'
http GET /history/engineering/warp-tension -b "$TMP/mara.jar"
expect_contains "their pages keep their authorship" "Tess Okta-Lind"
scim GET "/scim/v2/Users?filter=userName%20eq%20%22tess.okta%40northwindloom.example%22"
expect_eq "a provider still finds them, inactive" false "$(json "$BODY" '["Resources"][0]["active"]')"

# ... and brings them back.
scim PATCH "/scim/v2/Users/$TESS" '{"schemas":["'$PATCHOP'"],"Operations":[{"op":"replace","value":{"active":true}}]}'
expect_eq "Okta reactivates" true "$(json "$BODY" '["active"]')"
login tess.okta "a long okta password"
expect_status "they sign in again" 303
http GET /api/pages -b "$TESS_JAR"
expect_status "the session from before stays ended" 401
http GET /api/pages -H "Authorization: Bearer $TESS_TOKEN"
expect_status "and the API token from before stays revoked" 401
http GET /people/tess.okta -b "$TMP/mara.jar"
expect_not_contains "no longer shown as left" "has left the company"

# A field the person keeps private is never sent, and a PATCH of something else leaves it.
sqlite3 "$DB" "INSERT INTO profile_visibility(user_id, field, level) VALUES ($TESS, 'email', 'private')"
scim GET "/scim/v2/Users/$TESS"
expect_not_contains "an email the person keeps private is not sent to the admin" '"emails"'
expect_contains "(the userName, the provider's own, is)" '"userName":"tess.okta@northwindloom.example"'
scim PATCH "/scim/v2/Users/$TESS" '{"Operations":[{"op":"replace","path":"title","value":"Senior loom engineer"}]}'
expect_eq "a PATCH of the title" "Senior loom engineer" "$(json "$BODY" '["title"]')"
expect_eq "leaves the private email as it was" tess.okta@northwindloom.example \
    "$(sqlite3 "$DB" "SELECT email FROM profiles WHERE user_id = $TESS")"

# ---- Entra ID: look up by externalId and userName, create with the enterprise extension
ENTRA_EXT=0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef
scim GET "/scim/v2/Users?filter=externalId+eq+%22$ENTRA_EXT%22"
expect_eq "Entra finds nobody by externalId yet" 0 "$(json "$BODY" '["totalResults"]')"
scim GET '/scim/v2/Users?filter=userName+eq+%22Test_User_ab6490ee-1e48-479e-a20b-2d77186b5dd1%22'
expect_eq "nor by userName" 0 "$(json "$BODY" '["totalResults"]')"
scim POST /scim/v2/Users '{"schemas":["'$CORE'","'$ENT'"],"externalId":"'$ENTRA_EXT'","userName":"Test_User_ab6490ee-1e48-479e-a20b-2d77186b5dd1","active":true,"emails":[{"primary":true,"type":"work","value":"Test_User_fd0ea19b@testuser.com"}],"meta":{"resourceType":"User"},"name":{"formatted":"Ada Entra","familyName":"Entra","givenName":"Ada"},"roles":[],"'$ENT'":{"department":"Loom Research","manager":{"value":"1"}}}'
expect_status "Entra creates the person" 201
ADA=$(json "$BODY" '["id"]')
ADA_LOGIN=test_user_ab6490ee-1e48-479e-a20b-2d77186b5dd1
expect_eq "the department, made since it was new" "Loom Research" "$(json "$BODY" "[\"$ENT\"][\"department\"]")"
expect_eq "the manager by id" 1 "$(json "$BODY" "[\"$ENT\"][\"manager\"][\"value\"]")"
http GET /departments -b "$TMP/mara.jar"
expect_contains "the new department is listed" "Loom Research"
http GET "/api/people/$ADA_LOGIN" -H "Authorization: Bearer $ADMIN"
expect_eq "the profile reports to mara" mara "$(json "$BODY" '["manager"]')"
expect_eq "with the work email" Test_User_fd0ea19b@testuser.com "$(json "$BODY" '["email"]')"
login "$ADA_LOGIN" "ada's own passphrase"
expect_status "without a password from the provider there is none to sign in with" 401
echo "ada's own passphrase" | "$KEN" user password "$ADA_LOGIN" --password-stdin --db "$DB" >/dev/null
expect_eq "an admin gives them one (ken user password)" 0 "$?"
login "$ADA_LOGIN" "ada's own passphrase"
expect_status "and they sign in with it" 303

scim PATCH "/scim/v2/Users/$ADA" '{"schemas":["'$PATCHOP'"],"Operations":[{"op":"Replace","path":"emails[type eq \"work\"].value","value":"ada@contoso.example"},{"op":"Replace","path":"name.familyName","value":"Lovelace"},{"op":"Add","path":"title","value":"Research lead"},{"op":"Replace","path":"'$ENT':manager","value":"'$TESS'"},{"op":"Add","path":"phoneNumbers[type eq \"work\"].value","value":"+1 555 0100"}]}'
expect_status "Entra's PATCH with paths" 200
expect_eq "the family name" Lovelace "$(json "$BODY" '["name"]["familyName"]')"
expect_eq "makes the display name" "Ada Lovelace" "$(json "$BODY" '["displayName"]')"
http GET "/api/people/$ADA_LOGIN" -H "Authorization: Bearer $ADMIN"
expect_eq "the work email changed" ada@contoso.example "$(json "$BODY" '["email"]')"
expect_eq "the title was added" "Research lead" "$(json "$BODY" '["title"]')"
expect_eq "the manager is the person with that id" tess.okta "$(json "$BODY" '["manager"]')"
scim PATCH "/scim/v2/Users/$ADA" '{"schemas":["'$PATCHOP'"],"Operations":[{"op":"Remove","path":"'$ENT':manager"}]}'
http GET "/api/people/$ADA_LOGIN" -H "Authorization: Bearer $ADMIN"
expect_eq "removing the manager" "" "$(json "$BODY" '["manager"]')"

# Entra sends booleans as strings.
scim PATCH "/scim/v2/Users/$ADA" '{"Operations":[{"op":"Replace","path":"active","value":"False"}],"schemas":["'$PATCHOP'"]}'
expect_eq "\"False\" deactivates" false "$(json "$BODY" '["active"]')"
expect_eq "marked as having left" 1 "$(sqlite3 "$DB" "SELECT left_at IS NOT NULL FROM profiles WHERE user_id = $ADA")"
login "$ADA_LOGIN" "ada's own passphrase"
expect_status "and cannot sign in" 401
scim PATCH "/scim/v2/Users/$ADA" '{"Operations":[{"op":"Replace","path":"active","value":"True"}],"schemas":["'$PATCHOP'"]}'
expect_eq "\"True\" brings back" true "$(json "$BODY" '["active"]')"
login "$ADA_LOGIN" "ada's own passphrase"
expect_status "and signs in again" 303
scim PATCH "/scim/v2/Users/$ADA" '{"Operations":[{"op":"Replace","path":"userName","value":"ada@contoso.example"}],"schemas":["'$PATCHOP'"]}'
expect_eq "a new userName" ada@contoso.example "$(json "$BODY" '["userName"]')"
expect_eq "the login stays (addresses keep working)" "$URL/people/$ADA_LOGIN" "$(json "$BODY" '["profileUrl"]')"
scim PATCH "/scim/v2/Users/$ADA" '{"Operations":[{"op":"Replace","path":"userName","value":"TESS.okta@northwindloom.example"}]}'
expect_scim_error "someone else's userName" 409 uniqueness

# Deleting: deactivated and no longer known to SCIM; the account and profile stay.
scim DELETE "/scim/v2/Users/$ADA"
expect_status "Entra deletes" 204
scim GET "/scim/v2/Users/$ADA"
expect_scim_error "a deleted person is not found" 404
scim GET "/scim/v2/Users?filter=externalId+eq+%22$ENTRA_EXT%22"
expect_eq "nor listed" 0 "$(json "$BODY" '["totalResults"]')"
scim PATCH "/scim/v2/Users/$ADA" '{"Operations":[{"op":"replace","path":"active","value":true}]}'
expect_scim_error "nor changed" 404
http GET "/people/$ADA_LOGIN" -b "$TMP/mara.jar"
expect_contains "the profile stays, as having left" "Ada Lovelace has left the company"
scim POST /scim/v2/Users '{"schemas":["'$CORE'"],"userName":"ada@contoso.example","externalId":"'$ENTRA_EXT'","active":true}'
expect_status "creating the userName again" 201
expect_eq "brings the same account back" "$ADA" "$(json "$BODY" '["id"]')"
expect_eq "active" true "$(json "$BODY" '["active"]')"

# An account ken had before (imported, say) is taken over when the email matches.
scim POST /scim/v2/Users '{"schemas":["'$CORE'"],"userName":"priya@northwindloom.example","name":{"givenName":"Priya","familyName":"Raman"},"emails":[{"primary":true,"value":"priya@northwindloom.example"}],"active":true}'
expect_status "an Okta create for someone ken already has" 201
expect_eq "links the existing account" "$URL/people/priya" "$(json "$BODY" '["profileUrl"]')"
expect_eq "with its id" "$(sqlite3 "$DB" "SELECT id FROM users WHERE login = 'priya'")" "$(json "$BODY" '["id"]')"

# ---- bad input
scim POST /scim/v2/Users '{"userName": "x",'
expect_scim_error "broken JSON" 400 invalidSyntax
scim POST /scim/v2/Users '{"schemas":["'$CORE'"],"name":{"givenName":"No"}}'
expect_scim_error "no userName" 400 invalidValue
scim POST /scim/v2/Users '{"userName":"short.pw","password":"short"}'
expect_scim_error "a password ken's rules refuse" 400 invalidValue
scim POST /scim/v2/Users '{"userName":"bad.active","active":"maybe"}'
expect_scim_error "active that is not a boolean" 400 invalidValue
scim POST /scim/v2/Users '{"userName":"bad.manager","'$ENT'":{"manager":{"value":"99999"}}}'
expect_scim_error "a manager nobody is" 400 invalidValue
expect_eq "nothing half made" 0 "$(sqlite3 "$DB" "SELECT count(*) FROM users WHERE login = 'bad.manager'")"
scim POST /scim/v2/Users '{"userName":"bad.email","emails":[{"value":"not an address"}]}'
expect_scim_error "an email that is not an address" 400 invalidValue
scim GET '/scim/v2/Users?filter=userName%20eq%20%22x%22%20and%20active%20eq%20true'
expect_scim_error "a filter ken does not understand" 400 invalidFilter
scim GET '/scim/v2/Users?filter=emails%20eq%20%22x%22'
expect_scim_error "a filter on an attribute ken does not filter" 400 invalidFilter
scim GET '/scim/v2/Users?filter=userName%20eq%20%22unclosed'
expect_scim_error "an unclosed string" 400 invalidFilter
scim GET '/scim/v2/Users?count=many'
expect_scim_error "count that is not a number" 400 invalidValue
scim PATCH "/scim/v2/Users/$TESS" '{"Operations":[{"op":"move","path":"active"}]}'
expect_scim_error "an unknown op" 400 invalidSyntax
scim PATCH "/scim/v2/Users/$TESS" '{"Operations":[{"op":"replace","path":"emails[type eq","value":"x"}]}'
expect_scim_error "a broken path" 400 invalidPath
scim PATCH "/scim/v2/Users/$TESS" '{"Operations":[{"op":"remove"}]}'
expect_scim_error "remove without a path" 400 noTarget
scim PATCH "/scim/v2/Users/$TESS" '{"schemas":["'$PATCHOP'"]}'
expect_scim_error "no Operations" 400 invalidSyntax
scim PATCH /scim/v2/Users/1 '{"Operations":[{"op":"replace","path":"active","value":false}]}'
expect_scim_error "the token's own account cannot be deactivated" 400 invalidValue
scim GET /scim/v2/Users/999999
expect_scim_error "an unknown id" 404
scim GET /scim/v2/Users/abc
expect_scim_error "an id that is not one" 404
scim POST "/scim/v2/Users/$TESS" '{}'
expect_scim_error "a method the address does not take" 405
login mara "$PW"
expect_status "the admin still signs in" 303
