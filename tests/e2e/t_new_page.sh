# Creating a page: it lands in the space the person came from unless they choose another; an
# empty address never makes a new top-level space by itself (a new space is asked for by name);
# choosing a template keeps what was typed; files dropped into the editor before the first save
# wait in a draft that only their uploader sees (type sniffed, size capped, CSRF) and become the
# page's attachments when it is saved; the live preview renders as the page will.
. "$(dirname "$0")/lib.sh" "$@"

init_demo
start_server "--max-upload" 100000
login daniel "$PW"
ED=$TMP/daniel.jar
login priya "$PW"
PRIYA=$TMP/priya.jar
CSRF=$(csrf_of "$ED")
PNG=$(python3 -c 'import base64,sys; sys.stdout.buffer.write(base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="))' >"$TMP/dot.png"; echo "$TMP/dot.png")

# ---- where a new page goes
http GET /new -b "$ED" -H "Referer: $URL/wiki/engineering/onboarding"
expect_status "the new page form" 200
expect_contains "from an engineering page, engineering is chosen" '<option value="engineering" selected>engineering</option>'
http GET /new -b "$ED" -H "Referer: $URL/spaces/finance"
expect_contains "from a space, that space" '<option value="finance" selected>finance</option>'
http GET /new -b "$ED"
expect_contains "from nowhere, a space must be chosen" '<option value="" selected>Choose a space…</option>'
http GET "/new?path=ops-new/first" -b "$ED"
expect_contains "a link into a space not yet written offers it as a new space" '<option value="+new" selected>A new space…</option>'
expect_contains "with its name" 'name="new_space" value="ops-new"'
DRAFT=$(grep -o 'name="draft" value="[^"]*"' "$BODY" | sed 's/.*value="//; s/"$//')
expect_eq "the form carries a fresh draft key" 43 "${#DRAFT}"

post_form "$ED" /edit/ "title=Nowhere page" markdown=x space= page= save=1
expect_status "no space chosen: refused" 400
expect_contains "saying so" "choose the space this page belongs in"
expect_contains "keeping the title" 'value="Nowhere page"'
http GET /wiki/nowhere-page -b "$ED"
expect_status "and no top-level page was made" 404
post_form "$ED" /edit/ "title=Ghost" markdown=x space=ghosts save=1
expect_status "an unknown space is refused" 400
expect_contains "saying how to start one" "A new space…"
post_form "$ED" /edit/ "title=Ghost" markdown=x space=+new new_space= save=1
expect_status "a new space needs a name" 400
post_form "$ED" /edit/ "title=Ghost" markdown=x "space=+new" "new_space=Customer Success" save=1
expect_status "a new space by name" 303
expect_header "its address is made from the names" "Location: /wiki/customer-success/ghost"
post_form "$ED" /edit/ "title=Deploy Notes" markdown=x space=engineering page= save=1
expect_header "an empty address is made from the title, in the space" "Location: /wiki/engineering/deploy-notes"
post_form "$ED" /edit/ "title=Deploy Notes" markdown=x space=engineering page=web/deploy save=1
expect_header "or the address typed" "Location: /wiki/engineering/web/deploy"

# ---- templates keep what was typed
post_form "$ED" /edit/ "title=Flashing the loom" space=engineering page=flash markdown= tags=firmware \
    use_template=templates/how-to "draft=$DRAFT"
expect_status "choosing a template" 200
expect_contains "keeps the title" 'value="Flashing the loom"'
expect_contains "and the space" '<option value="engineering" selected>'
expect_contains "and the address" 'name="page" value="flash"'
expect_contains "and the tags typed" 'value="firmware"'
expect_contains "and the draft" "value=\"$DRAFT\""
expect_contains "and fills the text" "## Steps"
post_form "$ED" /edit/ "title=Flashing the loom" space=engineering markdown=$'My own notes.\n' \
    use_template=templates/how-to
expect_contains "text already typed stays, below the template" "$(printf '## Related pages\n\n- [[Another page]]\n\nMy own notes.')"

# ---- files before the first save
up() { # up JAR KEY NAME FILE [CSRF]: uploads FILE to draft KEY
    http POST "/api/drafts/$2?name=$3" -b "$1" -H "X-CSRF-Token: ${5:-$(csrf_of "$1")}" \
        -H 'Content-Type: application/octet-stream' --data-binary "@$4"
}
up "$ED" "$DRAFT" loom.png "$PNG"
expect_status "an image goes to the draft" 201
expect_eq "its type comes from the bytes" image/png "$(json "$BODY" '["content_type"]')"
expect_eq "it is an image" true "$(json "$BODY" '["image"]')"
expect_eq "its address is the draft's" "/drafts/$DRAFT/loom.png" "$(json "$BODY" '["url"]')"
printf '<html><script>alert(1)</script></html>' >"$TMP/evil.png"
up "$ED" "$DRAFT" evil.png "$TMP/evil.png"
expect_eq "HTML called .png is not an image" text/html "$(json "$BODY" '["content_type"]')"
http GET "/drafts/$DRAFT/evil.png" -b "$ED"
expect_header "and is only ever downloaded" "Content-Disposition: attachment"
expect_contains "in a sandbox" "Content-Security-Policy: sandbox" "$HEADERS"
http GET "/drafts/$DRAFT/loom.png" -b "$ED"
expect_status "the uploader sees the draft image" 200
expect_header "shown inline" "Content-Disposition: inline"
http GET "/drafts/$DRAFT/loom.png" -b "$PRIYA"
expect_status "nobody else does" 404
up "$ED" "$DRAFT" loom.png "$PNG" wrong-token
expect_status "an upload without the CSRF token is refused" 403
login gareth "$PW"
up "$TMP/gareth.jar" "$DRAFT" loom.png "$PNG"
expect_status "a viewer may not upload" 403
up "$ED" not-a-key loom.png "$PNG"
expect_status "a bad draft key is refused" 400
up "$ED" "$DRAFT" ../x.png "$PNG"
expect_status "a bad name is refused" 400
head -c 200000 /dev/zero >"$TMP/big.bin"
up "$ED" "$DRAFT" big.bin "$TMP/big.bin"
expect_status "a file over --max-upload is refused" 413
: >"$TMP/empty"
up "$ED" "$DRAFT" empty.png "$TMP/empty"
expect_status "an empty file is refused" 400

# the preview shows the draft's image where the page will keep it
http POST /api/preview -b "$ED" -H "X-CSRF-Token: $CSRF" --data-urlencode 'markdown=![Loom](loom.png) and **bold**' \
    --data-urlencode space=engineering --data-urlencode page=flash --data-urlencode "draft=$DRAFT"
expect_status "the live preview" 200
expect_contains "renders Markdown" '<strong>bold</strong>'
expect_contains "with the draft's image" "src=\\\"/drafts/$DRAFT/loom.png\\\""
http POST /api/preview -b "$ED" --data-urlencode 'markdown=x'
expect_status "the preview needs the CSRF token" 403
http POST /api/preview -b "$ED" -H "X-CSRF-Token: $CSRF" --data-urlencode 'markdown=<script>alert(1)</script><img src=x onerror=alert(2)>'
expect_not_contains "the preview is sanitised" "<script>"
expect_not_contains "no event handlers" "onerror"

post_form "$ED" /edit/ "title=Flashing the loom" space=engineering page=flash \
    'markdown=![Loom](loom.png)' "draft=$DRAFT" save=1
expect_status "the first save" 303
http GET /wiki/engineering/flash -b "$PRIYA"
expect_contains "the page shows the image from its own files" 'src="/files/engineering/flash/loom.png"'
http GET /files/engineering/flash/loom.png -b "$PRIYA"
expect_status "which everyone may see now" 200
expect_eq "the very bytes" "$(sha256sum <"$PNG" | cut -d' ' -f1)" "$(sha256sum <"$BODY" | cut -d' ' -f1)"
http GET /files/engineering/flash/evil.png -b "$PRIYA"
expect_header "the HTML one is still only downloaded" "Content-Disposition: attachment"
http GET "/drafts/$DRAFT/loom.png" -b "$ED"
expect_status "the draft is gone" 404

# at most 50 files wait in drafts per person
D2=$(python3 -c 'import secrets; print(secrets.token_urlsafe(32)[:43])')
for i in $(seq 1 50); do up "$PRIYA" "$D2" "f$i.png" "$PNG" "$(csrf_of "$PRIYA")" >/dev/null; done
expect_status "the 50th waiting file" 201
up "$PRIYA" "$D2" f51.png "$PNG"
expect_status "the 51st is refused" 413
expect_contains "saying to save the page first" "save the page first"
up "$PRIYA" "$D2" f1.png "$PNG"
expect_status "replacing a waiting file is fine" 201
