# Two people edit the same lines of a page at once. The second save answers 409 with both
# versions side by side, each conflicting block marked; the person keeps theirs, yours, both, or
# edits the block, and saves. Everything else from both edits is kept. Works as a plain form.
. "$(dirname "$0")/lib.sh" "$@"

init_demo
start_server
login mara "$PW"
MARA=$TMP/mara.jar
HELENA=$("$KEN" token add helena --db "$DB")
P=engineering/conflict-test
BASE=$'# Deploy\n\nline one\nline two\nline three\nline four\nline five\nline six\n'

# put_helena BASE_REV MARKDOWN: helena saves through the API
put_helena() {
    python3 -c 'import json,sys; print(json.dumps({"title":"Deploy","markdown":sys.argv[2],"tags":[],"base_revision":int(sys.argv[1])}))' "$1" "$2" >"$TMP/put.json"
    http PUT "/api/pages/$P" -H "Authorization: Bearer $HELENA" -H 'Content-Type: application/json' --data-binary "@$TMP/put.json"
}
# page_text: the page's current Markdown
page_text() { http GET "/api/pages/$P" -H "Authorization: Bearer $HELENA"; json "$BODY" '["markdown"]'; }

put_helena 0 "$BASE"
expect_status "the page is made" 201
# helena changes line two and line four; mara, from revision 1, changes line two and line six
put_helena 1 "${BASE/line two/line two by helena}"
put_helena 2 "$(page_text | sed 's/line four/line four by helena/')"
MINE="${BASE/line two/line two by mara <script>alert(1)</script>}"
MINE="${MINE/line six/line six by mara}"
post_form "$MARA" "/edit/$P" title=Deploy "markdown=$MINE" tags= summary= base_rev=1 save=1
expect_status "a save over the same lines answers 409" 409
cp "$BODY" "$TMP/conflict.html"
expect_contains "it says who saved meanwhile" "Helena"
expect_contains "one conflict is marked" "Conflict 1 of 1"
expect_contains "mara's block is shown, escaped" "line two by mara &lt;script&gt;alert(1)&lt;/script&gt;"
expect_not_contains "no script gets through" "<script>alert(1)"
expect_contains "helena's block is shown" "line two by helena"
expect_contains "the picks are a form: yours" 'name="pick_1" value="mine" checked'
expect_contains "theirs" 'name="pick_1" value="theirs"'
expect_contains "both" 'name="pick_1" value="both"'
expect_contains "or an edit" 'name="text_1"'
expect_contains "the resolution is made against helena's revision" 'name="theirs_rev" value="3"'
expect_contains "lines nobody disputes are kept and shown folded" 'line(s) you both keep'
expect_contains "helena's other change is already in" "line four by helena"

# resolve RESOLUTION...: posts the resolution form as a browser would
resolve() {
    post_form "$MARA" "/edit/$P" title=Deploy "markdown=$MINE" tags= summary=resolved base_rev=1 \
        theirs_rev=3 resolve=1 save=1 "$@"
}
resolve
expect_status "no pick at all is refused with the form again" 400
expect_contains "saying what to choose" "choose yours, theirs, both or your edit for conflict 1"
expect_contains "the blocks are still there" "Conflict 1 of 1"
http POST "/edit/$P" -b "$MARA" --data-urlencode title=Deploy --data-urlencode "markdown=$MINE" \
    --data-urlencode base_rev=1 --data-urlencode theirs_rev=3 --data-urlencode resolve=1 \
    --data-urlencode pick_1=theirs
expect_status "a resolution without the CSRF token is refused" 403
login gareth "$PW"
post_form "$TMP/gareth.jar" "/edit/$P" title=Deploy "markdown=$MINE" base_rev=1 theirs_rev=3 resolve=1 pick_1=theirs
expect_status "a viewer may not save a resolution" 403

resolve pick_1=theirs
expect_status "taking theirs saves" 303
TEXT=$(page_text)
expect_eq "theirs for the conflict, everyone's other lines" \
    "$(printf '# Deploy\n\nline one\nline two by helena\nline three\nline four by helena\nline five\nline six by mara')" \
    "$TEXT"
http GET "/history/$P" -b "$MARA"
expect_contains "the summary is kept" "resolved"

# both, and an edit, each on a new conflict
reset_to() { # reset_to: the page back to BASE (rev N+1), then helena's change on line two
    http GET "/api/pages/$P" -H "Authorization: Bearer $HELENA"
    REV=$(json "$BODY" '["revision"]')
    put_helena "$REV" "$BASE"
    put_helena $((REV + 1)) "${BASE/line two/line two by helena}"
    START=$((REV + 1)) THEIRS=$((REV + 2))
}
reset_to
MINE="${BASE/line two/line two by mara}"
post_form "$MARA" "/edit/$P" title=Deploy "markdown=$MINE" base_rev=$START save=1
expect_status "another conflict" 409
post_form "$MARA" "/edit/$P" title=Deploy "markdown=$MINE" base_rev=$START theirs_rev=$THEIRS \
    resolve=1 pick_1=both save=1
expect_status "keeping both saves" 303
expect_contains "both lines, mine first" "$(printf 'line two by mara\nline two by helena\nline three')" <(page_text)

reset_to
post_form "$MARA" "/edit/$P" title=Deploy "markdown=$MINE" base_rev=$START theirs_rev=$THEIRS \
    resolve=1 pick_1=edit "text_1=line two, agreed by both" save=1
expect_status "an edited block saves" 303
expect_contains "the edited block is the text" "$(printf 'line one\nline two, agreed by both\nline three')" <(page_text)

# a resolution made while yet another save came in: merged when it touches other lines
reset_to
post_form "$MARA" "/edit/$P" title=Deploy "markdown=$MINE" base_rev=$START save=1
put_helena $THEIRS "$(page_text | sed 's/line four/line four again/')"
post_form "$MARA" "/edit/$P" title=Deploy "markdown=$MINE" base_rev=$START theirs_rev=$THEIRS \
    resolve=1 pick_1=mine save=1
expect_status "a resolution over a later edit of other lines is merged" 303
T=$(page_text)
expect_contains "with mara's pick" "line two by mara" <(echo "$T")
expect_contains "and the later edit" "line four again" <(echo "$T")
