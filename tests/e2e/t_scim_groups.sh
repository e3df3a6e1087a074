# Groups: SCIM /scim/v2/Groups driven with the requests Okta and Microsoft Entra ID send (create,
# list by displayName, read with and without members, rename, add and remove members in each
# provider's PATCH shape, replace, delete), admins' groups at /admin/groups and /api/groups, and
# every membership change in the audit log. Only admins get in; bad input changes nothing.
. "$(dirname "$0")/lib.sh" "$@"

init_demo
start_server
ADMIN=$("$KEN" token add mara --label okta --db "$DB") EDITOR=$("$KEN" token add priya --db "$DB")
HRT=$("$KEN" token add fiona --db "$DB")
SCIM=(-H "Authorization: Bearer $ADMIN" -H 'Content-Type: application/scim+json; charset=utf-8'
    -H 'Accept: application/scim+json')
GROUP=urn:ietf:params:scim:schemas:core:2.0:Group
PATCHOP=urn:ietf:params:scim:api:messages:2.0:PatchOp
scim() { # scim METHOD PATH [JSON]
    if [ $# -ge 3 ]; then http "$1" "$2" "${SCIM[@]}" --data-binary "$3"; else http "$1" "$2" "${SCIM[@]}"; fi
}
uid() { sqlite3 "$DB" "SELECT id FROM users WHERE login = '$1'"; } # the SCIM id of a login
members() { json "$BODY" '.get("members") is None and "(none)" or sorted(m["value"] for m in d["members"])'; }
ids() { # ids LOGIN...: the sorted JSON list of their SCIM ids, as members() prints them
    local l out=()
    for l; do out+=("\"$(uid "$l")\""); done
    python3 -c 'import json,sys; print(json.dumps(sorted(json.loads(a) for a in sys.argv[1:])))' "${out[@]}"
}
audit_count() { # audit_count ACTION TARGET: entries with both
    curl -s -H "Authorization: Bearer $ADMIN" "$URL/api/audit?action=$1&limit=500" |
        python3 -c 'import json,sys; print(sum(e["target"] == sys.argv[1] for e in json.load(sys.stdin)["entries"]))' "$2"
}
pyj() { python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); v=eval(sys.argv[2]); print(v if isinstance(v,str) else json.dumps(v))' "$BODY" "$1"; }
command -v sqlite3 >/dev/null || { echo "needs the sqlite3 shell"; exit 1; }
PRIYA=$(uid priya) CALLUM=$(uid callum) WEI=$(uid wei) FIONA=$(uid fiona)

# ---- who may

for t in "$EDITOR" "$HRT"; do
    http GET /scim/v2/Groups -H "Authorization: Bearer $t"
    expect_status "SCIM Groups need an admin's token" 403
    http GET /api/groups -H "Authorization: Bearer $t"
    expect_status "so does /api/groups" 403
done
http POST /scim/v2/Groups -H "Authorization: Bearer $EDITOR" -H 'Content-Type: application/scim+json' -d '{"displayName":"x"}'
expect_status "an editor cannot make a group" 403
http GET /scim/v2/Groups
expect_status "nor can anyone unsigned" 401

# ---- Okta: create empty, find by name, add, remove by filter path, rename, PUT, delete

scim POST /scim/v2/Groups "{\"schemas\":[\"$GROUP\"],\"displayName\":\"Platform On-Call\",\"members\":[]}"
expect_status "Okta creates a group" 201
OKTA=$(json "$BODY" '["id"]')
expect_eq "the Group schema" "$GROUP" "$(json "$BODY" '["schemas"][0]')"
expect_eq "its name" "Platform On-Call" "$(json "$BODY" '["displayName"]')"
expect_eq "no members yet" "[]" "$(members)"
expect_header "with a Location" "Location: http"
expect_eq "meta says Group" Group "$(json "$BODY" '["meta"]["resourceType"]')"
scim POST /scim/v2/Groups "{\"schemas\":[\"$GROUP\"],\"displayName\":\"platform on-call\"}"
expect_status "the same name in another case is taken" 409
expect_eq "scimType uniqueness" uniqueness "$(json "$BODY" '["scimType"]')"
http GET /scim/v2/Groups "${SCIM[@]}" -G --data-urlencode 'filter=displayName eq "Platform On-Call"' \
    --data-urlencode startIndex=1 --data-urlencode count=100
expect_status "Okta looks it up by displayName" 200
expect_eq "one found" 1 "$(json "$BODY" '["totalResults"]')"
expect_eq "that one" "$OKTA" "$(json "$BODY" '["Resources"][0]["id"]')"
http GET /scim/v2/Groups "${SCIM[@]}" -G --data-urlencode 'filter=displayName eq "Nobody Here"'
expect_eq "a name nobody has: none" 0 "$(json "$BODY" '["totalResults"]')"
http GET /scim/v2/Groups "${SCIM[@]}" -G --data-urlencode 'filter=title eq "x"'
expect_status "a filter on what groups lack" 400
expect_eq "invalidFilter" invalidFilter "$(json "$BODY" '["scimType"]')"
scim PATCH "/scim/v2/Groups/$OKTA" "{\"schemas\":[\"$PATCHOP\"],\"Operations\":[{\"op\":\"add\",\"path\":\"members\",
  \"value\":[{\"value\":\"$PRIYA\",\"display\":\"priya@example.com\"},{\"value\":\"$CALLUM\",\"display\":\"callum@example.com\"}]}]}"
expect_status "Okta adds two members" 200
expect_eq "both in" "$(ids priya callum)" "$(members)"
expect_eq "each addition is in the audit log" 2 "$(audit_count group.add "Platform On-Call")"
scim PATCH "/scim/v2/Groups/$OKTA" "{\"schemas\":[\"$PATCHOP\"],\"Operations\":[{\"op\":\"add\",\"path\":\"members\",\"value\":[{\"value\":\"$PRIYA\"}]}]}"
expect_status "adding someone already in" 200
expect_eq "is no new entry" 2 "$(audit_count group.add "Platform On-Call")"
scim PATCH "/scim/v2/Groups/$OKTA" "{\"schemas\":[\"$PATCHOP\"],\"Operations\":[{\"op\":\"remove\",\"path\":\"members[value eq \\\"$CALLUM\\\"]\"}]}"
expect_status "Okta removes one by a filter path" 200
expect_eq "callum is out" "$(ids priya)" "$(members)"
expect_eq "the removal is recorded" 1 "$(audit_count group.remove "Platform On-Call")"
scim PATCH "/scim/v2/Groups/$OKTA" "{\"schemas\":[\"$PATCHOP\"],\"Operations\":[{\"op\":\"replace\",\"value\":{\"id\":\"$OKTA\",\"displayName\":\"Platform Rota\"}}]}"
expect_status "Okta renames with a no-path replace (sending the id back)" 200
expect_eq "renamed" "Platform Rota" "$(json "$BODY" '["displayName"]')"
expect_eq "the rename is recorded under the old name" 1 "$(audit_count group.rename "Platform On-Call")"
scim PUT "/scim/v2/Groups/$OKTA" "{\"schemas\":[\"$GROUP\"],\"id\":\"$OKTA\",\"displayName\":\"Platform Rota\",
  \"members\":[{\"value\":\"$WEI\",\"display\":\"wei\"},{\"value\":\"$FIONA\",\"display\":\"fiona\"}]}"
expect_status "Okta replaces the group" 200
expect_eq "its members are exactly those sent" "$(ids wei fiona)" "$(members)"
scim PATCH "/scim/v2/Groups/$OKTA" "{\"schemas\":[\"$PATCHOP\"],\"Operations\":[{\"op\":\"add\",\"path\":\"members\",\"value\":[{\"value\":\"$PRIYA\"}]},
  {\"op\":\"add\",\"path\":\"members\",\"value\":[{\"value\":\"999999\"}]}]}"
expect_status "a member who is no User" 400
expect_eq "invalidValue" invalidValue "$(json "$BODY" '["scimType"]')"
expect_contains "naming the id" "999999"
scim GET "/scim/v2/Groups/$OKTA"
expect_eq "and nothing of that request happened (priya not added)" "$(ids wei fiona)" "$(members)"
scim PATCH "/scim/v2/Groups/$OKTA" "{\"schemas\":[\"$PATCHOP\"],\"Operations\":[{\"op\":\"move\",\"path\":\"members\"}]}"
expect_status "an op that is none" 400
scim PATCH "/scim/v2/Groups/$OKTA" "{\"schemas\":[\"$PATCHOP\"],\"Operations\":[{\"op\":\"replace\",\"path\":\"owner\",\"value\":\"x\"}]}"
expect_eq "a path groups do not have: invalidPath" invalidPath "$(json "$BODY" '["scimType"]')"
http GET "/scim/v2/Groups?excludedAttributes=members&startIndex=1&count=100" "${SCIM[@]}"
expect_status "Okta's import lists without members" 200
expect_eq "no members key" "(none)" "$(pyj '"members" in d["Resources"][0] and "there" or "(none)"')"

# ---- Entra ID: create with externalId, read without members, Add/Remove in capitals, Replace

scim POST /scim/v2/Groups "{\"schemas\":[\"$GROUP\",\"http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/Group\"],
  \"externalId\":\"8aa1a0c0-c4c3-4bc0-b4a5-2ef676900159\",\"displayName\":\"Finance Leads\",\"meta\":{\"resourceType\":\"Group\"}}"
expect_status "Entra creates a group" 201
ENTRA=$(json "$BODY" '["id"]')
expect_eq "with its externalId" 8aa1a0c0-c4c3-4bc0-b4a5-2ef676900159 "$(json "$BODY" '["externalId"]')"
http GET "/scim/v2/Groups" "${SCIM[@]}" -G --data-urlencode excludedAttributes=members \
    --data-urlencode 'filter=displayName eq "Finance Leads"'
expect_eq "Entra finds it by name" "$ENTRA" "$(json "$BODY" '["Resources"][0]["id"]')"
http GET "/scim/v2/Groups" "${SCIM[@]}" -G --data-urlencode 'filter=externalId eq "8aa1a0c0-c4c3-4bc0-b4a5-2ef676900159"'
expect_eq "and by externalId" "$ENTRA" "$(json "$BODY" '["Resources"][0]["id"]')"
scim PATCH "/scim/v2/Groups/$ENTRA" "{\"schemas\":[\"$PATCHOP\"],\"Operations\":[{\"op\":\"Add\",\"path\":\"members\",\"value\":[{\"\$ref\":null,\"value\":\"$WEI\"}]}]}"
expect_status "Entra adds (op Add)" 200
http GET "/scim/v2/Groups" "${SCIM[@]}" -G --data-urlencode "filter=id eq \"$ENTRA\" and members eq \"$WEI\""
expect_eq "Entra's membership check finds wei" 1 "$(json "$BODY" '["totalResults"]')"
http GET "/scim/v2/Groups" "${SCIM[@]}" -G --data-urlencode "filter=id eq \"$ENTRA\" and members eq \"$PRIYA\""
expect_eq "and not priya" 0 "$(json "$BODY" '["totalResults"]')"
http GET "/scim/v2/Groups/$ENTRA?excludedAttributes=members" "${SCIM[@]}"
expect_eq "a read without members" "(none)" "$(members)"
scim PATCH "/scim/v2/Groups/$ENTRA" "{\"schemas\":[\"$PATCHOP\"],\"Operations\":[{\"op\":\"Replace\",\"path\":\"displayName\",\"value\":\"Finance Leadership\"}]}"
expect_eq "Entra renames (op Replace, path displayName)" "Finance Leadership" "$(json "$BODY" '["displayName"]')"
scim PATCH "/scim/v2/Groups/$ENTRA" "{\"schemas\":[\"$PATCHOP\"],\"Operations\":[{\"op\":\"Remove\",\"path\":\"members\",\"value\":[{\"\$ref\":null,\"value\":\"$WEI\"}]}]}"
expect_status "Entra removes (op Remove with a value)" 200
expect_eq "wei is out" "[]" "$(members)"
scim PATCH "/scim/v2/Groups/$ENTRA" "{\"schemas\":[\"$PATCHOP\"],\"Operations\":[{\"op\":\"Add\",\"path\":\"members\",\"value\":[{\"value\":\"$WEI\"},{\"value\":\"$PRIYA\"}]},
  {\"op\":\"Remove\",\"path\":\"members\"}]}"
expect_eq "remove without a value empties the group" "[]" "$(members)"
scim DELETE "/scim/v2/Groups/$ENTRA"
expect_status "Entra deletes" 204
scim GET "/scim/v2/Groups/$ENTRA"
expect_status "gone" 404
expect_eq "the delete is recorded" 1 "$(audit_count group.delete "Finance Leadership")"

# ---- discovery

scim GET /scim/v2/ResourceTypes/Group
expect_eq "ResourceTypes lists Group" /Groups "$(json "$BODY" '["endpoint"]')"
scim GET "/scim/v2/Schemas/$GROUP"
expect_eq "Schemas has the Group schema" Group "$(json "$BODY" '["name"]')"

# ---- admins: /admin/groups and /api/groups

login mara "$PW"
login priya "$PW"
http GET /admin/groups -b "$TMP/mara.jar"
expect_status "mara opens /admin/groups" 200
expect_contains "Okta's group is listed" "Platform Rota"
http GET /admin/groups -b "$TMP/priya.jar"
expect_status "priya may not" 403
post_form "$TMP/mara.jar" /admin/groups "name=Incident <Reviewers>"
expect_status "mara makes a group" 303
GID=$(header_of Location | sed 's|.*/admin/groups/||')
post_form "$TMP/mara.jar" /admin/groups/add "id=$GID" login=callum
expect_status "adds callum" 303
post_form "$TMP/mara.jar" /admin/groups/add "id=$GID" login=nobody-here
expect_status "an unknown login" 400
http GET "/admin/groups/$GID" -b "$TMP/mara.jar"
expect_contains "the name is escaped" "Incident &lt;Reviewers&gt;"
expect_contains "callum is a member" 'href="/people/callum"'
post_form "$TMP/mara.jar" /admin/groups/rename "id=$GID" "name=Incident Review"
expect_status "renames it" 303
post_form "$TMP/mara.jar" /admin/groups/remove "id=$GID" login=callum
http GET "/api/groups/$GID" -H "Authorization: Bearer $ADMIN"
expect_eq "the API shows the new name" "Incident Review" "$(json "$BODY" '["name"]')"
expect_eq "and nobody in it" "[]" "$(json "$BODY" '["members"]')"
post_form "$TMP/priya.jar" /admin/groups/add "id=$GID" login=priya
expect_status "priya cannot add herself" 403
http POST /api/groups -H "Authorization: Bearer $ADMIN" -H 'Content-Type: application/json' -d '{"name":"Writers","members":["priya","wei"]}'
expect_status "the API makes a group with members" 201
AID=$(json "$BODY" '["id"]')
expect_eq "both in" '["priya", "wei"]' "$(pyj 'sorted(m["login"] for m in d["members"])')"
http PATCH "/api/groups/$AID" -H "Authorization: Bearer $ADMIN" -H 'Content-Type: application/json' -d '{"add":["callum"],"remove":["wei"],"name":"Tech Writers"}'
expect_status "PATCH adds, removes and renames" 200
expect_eq "the members after" '["callum", "priya"]' "$(pyj 'sorted(m["login"] for m in d["members"])')"
http PATCH "/api/groups/$AID" -H "Authorization: Bearer $ADMIN" -H 'Content-Type: application/json' -d '{"add":["ghost"]}'
expect_status "an unknown login" 400
expect_contains "is named" "ghost"
http PATCH "/api/groups/$AID" -H "Authorization: Bearer $ADMIN" -H 'Content-Type: application/json' -d '{"owner":"x"}'
expect_status "an unknown key" 400
http GET /api/groups -H "Authorization: Bearer $ADMIN"
expect_eq "the list counts members" 2 "$(pyj '[g["members"] for g in d["groups"] if g["name"] == "Tech Writers"][0]')"
http DELETE "/api/groups/$AID" -H "Authorization: Bearer $ADMIN"
expect_status "the API deletes it" 200
curl -s -H "Authorization: Bearer $ADMIN" "$URL/api/audit?action=group.&limit=500" >"$TMP/audit.json"
expect_eq "every group change is in the audit log, by who and how" \
    "mara|group.add|Incident <Reviewers>|callum, on /admin" \
    "$(python3 -c 'import json,sys
for e in json.load(open(sys.argv[1]))["entries"]:
    if e["action"] == "group.add" and e["target"] == "Incident <Reviewers>": print("%s|%s|%s|%s" % (e["who"], e["action"], e["target"], e["detail"]))' "$TMP/audit.json")"
expect_eq "SCIM's are marked as SCIM's" 1 "$(python3 -c 'import json,sys
print(int(any(e["detail"].endswith("through SCIM") and e["action"] == "group.create" for e in json.load(open(sys.argv[1]))["entries"])))' "$TMP/audit.json")"
run_ken audit verify --db "$DB"
expect_eq "and the log verifies" 0 "$RC"
