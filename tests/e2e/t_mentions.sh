# @mentions in wiki pages: a revision that mentions someone for the first time puts it in their
# inbox (not later edits that keep the mention, not code, not the author, not unknown logins, not
# people who left); existing people's @logins link to their profiles; reading the page marks the
# mention read.
. "$(dirname "$0")/lib.sh" "$@"

init_demo
start_server
tok() { "$KEN" token add "$1" --db "$DB"; }
PRIYA=(-H "Authorization: Bearer $(tok priya)")
WEI=(-H "Authorization: Bearer $(tok wei)")
CALLUM=(-H "Authorization: Bearer $(tok callum)")
EWAN=(-H "Authorization: Bearer $(tok ewan)")
P=engineering/who-to-ask

# mentions_of TOKEN_ARRAY_NAME: prints "revision,unread" for each mention of page $P in the inbox
mentions_of() {
    local -n who=$1
    http GET /api/inbox "${who[@]}"
    python3 -c 'import json,sys
d = json.load(open(sys.argv[1]))
print(" ".join("%s,%s" % (i["page"]["revision"], str(i["unread"]).lower()) for i in d["items"]
               if i["kind"] == "mention" and i.get("page", {}).get("path") == sys.argv[2]))' "$BODY" "$P"
}
save() { # save BASE_REVISION MARKDOWN: priya saves $P
    http PUT "/api/pages/$P" "${PRIYA[@]}" --data-binary @- <<EOF
{"title": "Who to ask", "markdown": $(python3 -c 'import json,sys; print(json.dumps(sys.argv[1]))' "$2"), "base_revision": $1}
EOF
}

# ---- HR marks ewan as having left: he can no longer sign in, so nobody tells him anything
login mara "$PW"
post_form "$TMP/mara.jar" /people/ewan/left left=1
expect_status "an admin marks ewan as having left" 303

# ---- a new page mentions people
save 0 'Month-end questions: ask @Wei. For the database, `@callum` knows (in code), and so does
@nobody-here. Mail wei@example.com. I am @priya.

```
@callum in a fenced block
```

Old hands: @ewan.'
expect_status "priya writes a page that mentions people" 201
expect_contains "an existing person's @login links to their profile, as written" \
    '<a class=\"mention\" href=\"/people/wei\">@Wei</a>'
expect_contains "someone who left still gets a link (their profile stays)" 'href=\"/people/ewan\">@ewan</a>'
expect_contains "an unknown login stays text" 'so does\n@nobody-here.'
expect_contains "a mention in code stays code" '<code>@callum</code>'
expect_not_contains "an e-mail address is not a mention" 'href=\"/people/example'

expect_eq "wei is told, about revision 1, unread" "1,true" "$(mentions_of WEI)"
http GET /api/inbox "${WEI[@]}"
expect_eq "the newest item is the mention" mention "$(json "$BODY" '["items"][0]["kind"]')"
expect_eq "it says who wrote it" priya "$(json "$BODY" '["items"][0]["actor"]')"
expect_contains "with the line that mentions wei" 'Month-end questions: ask @Wei.'
expect_eq "a mention in code tells nobody" "" "$(mentions_of CALLUM)"
expect_eq "the author is not told about herself" "" "$(mentions_of PRIYA)"
post_form "$TMP/mara.jar" /people/ewan/left left=0
expect_status "ewan is back" 303
expect_eq "someone who had left was not told" "" "$(mentions_of EWAN)"
http GET /api/inbox "${PRIYA[@]}"
expect_not_contains "an unknown login tells nobody (and does not fail the save)" 'nobody-here'

# ---- later edits: only new mentions count
save 1 'Month-end questions: ask @wei (again, lower case). For the database, @callum knows.'
expect_status "priya edits the page" 200
expect_eq "wei is not told again for a mention the page already had" "1,true" "$(mentions_of WEI)"
expect_eq "callum, now mentioned outside code, is told about revision 2" "2,true" "$(mentions_of CALLUM)"
save 2 'Month-end questions: ask @wei. A new paragraph.

For the database, @callum knows.'
expect_eq "moving a mention tells nobody" "1,true" "$(mentions_of WEI)"
expect_eq "nor callum again" "2,true" "$(mentions_of CALLUM)"

# ---- reading the page is reading the mention
login wei "$PW"
http GET /inbox -b "$TMP/wei.jar"
expect_contains "the inbox page shows the mention with the page" \
    "You were mentioned</span>"
expect_contains "and links to the page" "<a class=\"title\" href=\"/wiki/$P\">Who to ask</a>"
http GET "/wiki/$P" -b "$TMP/wei.jar"
expect_status "wei reads the page" 200
expect_contains "the page shows the mention as a link" 'ask <a class="mention" href="/people/wei">@wei</a>.'
expect_eq "reading the page marks the mention read" "1,false" "$(mentions_of WEI)"
expect_eq "callum's mention is still unread (he has not read it)" "2,true" "$(mentions_of CALLUM)"

# ---- removed, then added again: within a day nobody is told again (no flooding by toggling
# a mention); a day after the last time they were told, the revision that adds it tells them
save 3 'Month-end questions: ask the finance team.'
save 4 'Month-end questions: ask the finance team, or @wei.'
expect_eq "a mention removed and added back the same day tells wei nothing new" "1,false" \
    "$(mentions_of WEI)"
sqlite3 "$DB" "UPDATE inbox SET created_at = created_at - 2 * 86400 WHERE kind = 'mention'"
save 5 'Month-end questions: ask the finance team.'
save 6 'Month-end questions: ask the finance team, or @wei.'
expect_eq "a day later, a mention added again is a new mention" "7,true 1,false" \
    "$(mentions_of WEI)"

# ---- the editor's preview shows the links too
http GET "/edit/$P" -b "$TMP/wei.jar"
post_form "$TMP/wei.jar" "/edit/$P" title="Who to ask" "markdown=ping @callum" base_rev=7 preview=1
expect_status "the preview" 200
expect_contains "the preview links the mention" '<a class="mention" href="/people/callum">@callum</a>'
expect_eq "a preview tells nobody" "2,true" "$(mentions_of CALLUM)"

# ---- the browser's form saves the same way
post_form "$TMP/wei.jar" "/edit/$P" title="Who to ask" "markdown=@priya, a form save" base_rev=7
expect_status "saving through the form" 303
expect_eq "a form save tells people too" "8,true" "$(mentions_of PRIYA)"
