#!/usr/bin/env bash
# Files attached to pages: uploading through the form and the API, the list on the page, types
# judged by content (never by name), downloads that cannot run script, versions, the size limit,
# names, who may upload, and images embedded in Markdown by name.
. "$(dirname "$0")/lib.sh" "$@"
init_demo
start_server --max-upload 100000
login priya "$PW" && login gareth "$PW"
ED=$TMP/priya.jar VIEWER=$TMP/gareth.jar
ED_CSRF=$(csrf_of "$ED")
ED_TOKEN=$("$KEN" token add priya --db "$DB")
VIEWER_TOKEN=$("$KEN" token add gareth --db "$DB")
P=handbook/welcome

# Test files. Two different real PNGs, HTML and SVG with script, text, and one too large.
python3 - "$TMP" <<'EOF'
import struct, sys, zlib
def png(rgb):
    def chunk(t, d): return struct.pack('>I', len(d)) + t + d + struct.pack('>I', zlib.crc32(t + d))
    return (b'\x89PNG\r\n\x1a\n' + chunk(b'IHDR', struct.pack('>IIBBBBB', 1, 1, 8, 2, 0, 0, 0)) +
            chunk(b'IDAT', zlib.compress(b'\x00' + rgb)) + chunk(b'IEND', b''))
d = sys.argv[1]
open(d + '/pic.png', 'wb').write(png(b'\xff\x00\x00'))
open(d + '/pic2.png', 'wb').write(png(b'\x00\x00\xff') + b'\r\n--not-a-boundary\r\n')
open(d + '/evil.png', 'wb').write(b'<!DOCTYPE html><script>alert(document.cookie)</script>')
open(d + '/drawing.svg', 'wb').write(b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>')
open(d + '/notes.txt', 'wb').write(b'plain notes\n')
open(d + '/big.bin', 'wb').write(b'\x00' * 150000)
EOF

# upload JAR FILE [NAME] [CSRF]: the plain form's POST. Sets STATUS.
upload() {
    local jar=$1 file=$2 name=${3:-} csrf=${4-$ED_CSRF}
    http POST "/upload/$P" -b "$jar" ${csrf:+-F "csrf=$csrf"} -F "file=@$file" ${name:+-F "name=$name"}
}
# api_upload TOKEN FILE NAME [PATH]: the API's POST with the raw bytes. Sets STATUS.
api_upload() {
    http POST "/api/upload/${4:-$P}?name=$3" -H "Authorization: Bearer $1" \
        -H "Content-Type: application/octet-stream" --data-binary "@$2"
}
jsonx() { # jsonx FILE EXPR: prints a Python expression over the JSON in FILE (d)
    python3 -c 'import json,sys; d = json.load(open(sys.argv[1])); v = eval(sys.argv[2])
print(v if isinstance(v, str) else json.dumps(v))' "$1" "$2"
}
same_bytes() { # same_bytes WHAT FILE: the last body is exactly FILE
    if cmp -s "$BODY" "$2"; then pass; else fail "$1" "the body differs from $(basename "$2")"; fi
}

# An editor uploads an image with the plain form; it is listed on the page and served inline.
http GET "/wiki/$P" -b "$ED"
expect_contains "the page offers an upload form" 'enctype="multipart/form-data"'
expect_contains "the upload form carries the CSRF token" "name=\"csrf\" value=\"$ED_CSRF\""
expect_contains "the page loads ken.js for drag and drop" '<script src="/static/ken.js" defer>'
expect_contains "the limit is shown" "Up to 100000 bytes"
upload "$ED" "$TMP/pic.png"
expect_status "uploading an image" 303
expect_header "the upload goes back to the page" "Location: /wiki/$P?uploaded=pic.png&version=1#attachments"
http GET "/wiki/$P?uploaded=pic.png&version=1" -b "$ED"
expect_contains "the page says what was saved" "Saved pic.png as version 1."
expect_contains "the page lists the file" "href=\"/files/$P/pic.png\">pic.png</a>"
expect_contains "the list shows the type" "<td>image/png</td>"
expect_contains "the list shows the size" "<td>69 bytes</td>"
expect_contains "the list shows the uploader" "Priya Raman"
http GET "/wiki/$P" -b "$VIEWER"
expect_contains "a viewer sees the file too" "href=\"/files/$P/pic.png\""
expect_not_contains "a viewer gets no upload form" 'action="/upload/'
http GET "/files/$P/pic.png" -b "$VIEWER"
expect_status "downloading the image" 200
expect_header "an image is served as image/png" "Content-Type: image/png"
expect_header "an image is shown inline" 'Content-Disposition: inline; filename="pic.png"'
expect_header "nosniff on files" "X-Content-Type-Options: nosniff"
expect_contains "files are sandboxed" "Content-Security-Policy: sandbox" "$HEADERS"
same_bytes "the bytes come back unchanged" "$TMP/pic.png"
ETAG=$(header_of ETag)
http GET "/files/$P/pic.png" -b "$VIEWER" -H "If-None-Match: $ETAG"
expect_status "an unchanged file is not sent again" 304
http HEAD "/files/$P/pic.png" -b "$VIEWER"
expect_header "HEAD gives the length" "Content-Length: 69"
http GET "/files/$P/pic.png"
expect_status "files need signing in like pages" 303

# Types come from the bytes: HTML called evil.png, SVG, and a PNG called looks.html.
upload "$ED" "$TMP/evil.png"
expect_status "uploading HTML named .png" 303
http GET "/files/$P/evil.png" -b "$ED"
expect_header "HTML named .png is text/html, not image/png" "Content-Type: text/html"
expect_header "HTML is only a download" 'Content-Disposition: attachment; filename="evil.png"'
expect_header "HTML gets nosniff" "X-Content-Type-Options: nosniff"
expect_contains "HTML is sandboxed" "Content-Security-Policy: sandbox" "$HEADERS"
upload "$ED" "$TMP/drawing.svg"
http GET "/files/$P/drawing.svg" -b "$ED"
expect_header "SVG is detected" "Content-Type: image/svg+xml"
expect_header "SVG is never inline" 'Content-Disposition: attachment; filename="drawing.svg"'
upload "$ED" "$TMP/pic.png" looks.html
http GET "/files/$P/looks.html" -b "$ED"
expect_header "a PNG named .html is image/png" "Content-Type: image/png"
expect_header "and shown inline as the image it is" 'Content-Disposition: inline; filename="looks.html"'
upload "$ED" "$TMP/notes.txt"
http GET "/files/$P/notes.txt" -b "$ED"
expect_header "text is text" "Content-Type: text/plain; charset=utf-8"
expect_header "text is a download" "Content-Disposition: attachment"

# Versions: the same name again is version 2; ?v=1 still has the old bytes.
upload "$ED" "$TMP/pic2.png" pic.png
expect_status "uploading a new version" 303
expect_header "it is version 2" "Location: /wiki/$P?uploaded=pic.png&version=2#attachments"
http GET "/files/$P/pic.png" -b "$ED"
same_bytes "the newest version is served" "$TMP/pic2.png"
expect_header "the newest version is revalidated" "Cache-Control: private, no-cache"
http GET "/files/$P/pic.png?v=1" -b "$ED"
expect_status "version 1" 200
same_bytes "version 1 keeps the old bytes" "$TMP/pic.png"
expect_header "a numbered version is cached for good" "Cache-Control: private, max-age=31536000, immutable"
http GET "/files/$P/pic.png?v=3" -b "$ED"
expect_status "a version that does not exist" 404
http GET "/files/$P/pic.png?v=x" -b "$ED"
expect_status "a version that is not a number" 400
http GET "/files/$P/nothing.png" -b "$ED"
expect_status "a file that does not exist" 404
http GET "/files/$P/../../etc/passwd" -b "$ED" --path-as-is
expect_status "a path with .. finds nothing" 404
http GET "/files/$P/..%2F..%2Fpic.png" -b "$ED" --path-as-is
expect_status "nor does an encoded one" 404
# The same bytes again make no new version.
upload "$ED" "$TMP/pic2.png" pic.png
expect_status "re-uploading identical bytes" 303
expect_header "it names the existing version" "Location: /wiki/$P?uploaded=pic.png&version=2&same=1#attachments"
http GET "/wiki/$P?uploaded=pic.png&version=2&same=1" -b "$ED"
expect_contains "and says nothing changed" "pic.png is unchanged: version 2 already has these bytes."
http GET "/attachments/$P" -b "$VIEWER"
expect_status "the list of files and versions" 200
expect_contains "it links version 1" "href=\"/files/$P/pic.png?v=1\">1</a>"
expect_contains "it links version 2" "href=\"/files/$P/pic.png?v=2\">2</a>"
expect_not_contains "there is no version 3" "pic.png?v=3"
expect_not_contains "a viewer gets no upload form there either" 'action="/upload/'

# Too large: 413 with a message, and nothing stored.
upload "$ED" "$TMP/big.bin"
expect_status "a file over --max-upload" 413
expect_contains "the refusal says why" "too large"
expect_contains "and what the limit is" "100000 bytes"
api_upload "$ED_TOKEN" "$TMP/big.bin" big.bin
expect_status "a file over --max-upload through the API" 413
http GET "/files/$P/big.bin" -b "$ED"
expect_status "nothing was stored" 404

# Names are checked; a browser's file name is made into a valid one.
for bad in ../x.png .hidden 'a b.png' x/y.png 'caf%C3%A9.png' "$(printf 'n%.0s' $(seq 1 101))"; do
    upload "$ED" "$TMP/notes.txt" "$(printf '%b' "${bad//%/\\x}")"
    expect_status "the name '$bad' is refused" 400
done
expect_contains "the refusal says what a name may hold" "at most 100 characters"
cp "$TMP/notes.txt" "$TMP/My Notes (1).txt"
upload "$ED" "$TMP/My Notes (1).txt"
expect_header "a file name with spaces becomes a valid name" "Location: /wiki/$P?uploaded=My-Notes-1.txt&version=1"
http POST "/upload/$P" -b "$ED" -F "csrf=$ED_CSRF"
expect_status "a form without a file" 400
expect_contains "says to choose a file" "choose a file"
http POST "/upload/$P" -b "$ED" -F "csrf=$ED_CSRF" -F "file=@/dev/null;filename=empty.txt"
expect_status "an empty file" 400
http POST "/upload/$P" -b "$ED" -H "Content-Type: multipart/form-data; boundary=abc" \
    --data-binary $'--abc\r\nContent-Disposition: form-data; name="file"; filename="x"\r\n\r\ncut off'
expect_status "a cut-off upload" 400
expect_contains "says it was cut off" "cut off"
http POST "/upload/handbook/no-such-page" -b "$ED" -F "csrf=$ED_CSRF" -F "file=@$TMP/notes.txt"
expect_status "uploading to a page that does not exist" 404

# Who may upload: not viewers, not without the CSRF token, not anonymous people.
upload "$VIEWER" "$TMP/notes.txt" viewer.txt "$(csrf_of "$VIEWER")"
expect_status "a viewer uploading" 403
upload "$ED" "$TMP/notes.txt" nocsrf.txt ""
expect_status "an upload without the CSRF token" 403
upload "$ED" "$TMP/notes.txt" badcsrf.txt wrong-token
expect_status "an upload with a wrong CSRF token" 403
http POST "/upload/$P" -F "file=@$TMP/notes.txt"
expect_status "an anonymous upload" 401
http POST "/upload/$P" -b "$ED" -H "X-CSRF-Token: $ED_CSRF" -F "file=@$TMP/notes.txt" -F name=header.txt
expect_status "the CSRF token may come as a header (drag and drop)" 303
for n in viewer.txt nocsrf.txt badcsrf.txt; do
    http GET "/files/$P/$n" -b "$ED"
    expect_status "refused upload $n stored nothing" 404
done

# The API: upload with a token, list, download.
api_upload "$ED_TOKEN" "$TMP/pic.png" api.png
expect_status "an API upload" 201
expect_eq "it answers the name" api.png "$(json "$BODY" '["name"]')"
expect_eq "and the version" 1 "$(json "$BODY" '["version"]')"
expect_eq "and the size" 69 "$(json "$BODY" '["size"]')"
expect_eq "and the type" image/png "$(json "$BODY" '["content_type"]')"
api_upload "$ED_TOKEN" "$TMP/pic.png" api.png
expect_status "the same bytes again through the API" 200
expect_eq "still version 1" 1 "$(json "$BODY" '["version"]')"
api_upload "$VIEWER_TOKEN" "$TMP/pic.png" viewer.png
expect_status "a viewer's token uploading" 403
api_upload "$ED_TOKEN" "$TMP/pic.png" 'bad%2Fname.png'
expect_status "a bad name through the API" 400
api_upload "$ED_TOKEN" "$TMP/pic.png" x.png handbook/nowhere
expect_status "an API upload to a missing page" 404
http POST "/api/upload/$P?name=form.png" -H "Authorization: Bearer $ED_TOKEN" --data-binary "@$TMP/notes.txt" \
    -H "Content-Type: text/plain"
expect_status "an API upload that is not application/octet-stream" 415
http GET "/api/pages/$P/attachments" -H "Authorization: Bearer $VIEWER_TOKEN"
expect_status "the API lists attachments" 200
expect_eq "by name, newest versions" '["api.png", "drawing.svg", "evil.png", "header.txt", "looks.html", "My-Notes-1.txt", "notes.txt", "pic.png"]' \
    "$(jsonx "$BODY" '[a["name"] for a in d["attachments"]]')"
expect_eq "pic.png has two versions, newest first" '[2, 1]' \
    "$(jsonx "$BODY" '[[v["version"] for v in a["versions"]] for a in d["attachments"] if a["name"] == "pic.png"][0]')"
expect_eq "each has its type" text/html "$(jsonx "$BODY" '[a["content_type"] for a in d["attachments"] if a["name"] == "evil.png"][0]')"
expect_eq "and a download address" "/files/$P/pic.png" \
    "$(jsonx "$BODY" '[a["url"] for a in d["attachments"] if a["name"] == "pic.png"][0]')"
http GET "/api/pages/$P/attachments/pic.png?v=1" -H "Authorization: Bearer $VIEWER_TOKEN"
expect_status "the API downloads a version" 200
same_bytes "with its bytes" "$TMP/pic.png"
http GET "/api/pages/handbook/nowhere/attachments" -H "Authorization: Bearer $VIEWER_TOKEN"
expect_status "attachments of a missing page" 404

# Images in Markdown by name show the page's attachment; other addresses stay as written.
post_form "$ED" /edit/ path=ops/diagrams title=Diagrams base_rev=0 save=1 \
    $'markdown=![the plan](plan.png)\n\n![remote](https://example.com/x.png) ![up](../x.png) ![odd](.hidden.png)'
expect_status "saving a page with images" 303
P=ops/diagrams
upload "$ED" "$TMP/pic.png" plan.png
http GET /wiki/ops/diagrams -b "$VIEWER"
expect_contains "a bare name shows the attachment" '<img src="/files/ops/diagrams/plan.png" alt="the plan"'
expect_contains "an absolute address is kept" '<img src="https://example.com/x.png"'
expect_contains "a relative path is kept" '<img src="../x.png"'
expect_contains "an invalid name is kept" '<img src=".hidden.png"'
http GET /files/ops/diagrams/plan.png -b "$VIEWER"
expect_status "the embedded image is there" 200
# A moved page takes its files along; the old addresses redirect.
http POST /api/pages/ops/diagrams/move -H "Authorization: Bearer $ED_TOKEN" -H "Content-Type: application/json" \
    --data-binary '{"to":"ops/drawings"}'
expect_status "moving the page" 200
http GET "/files/ops/diagrams/plan.png?v=1" -b "$VIEWER"
expect_status "the old file address redirects" 301
expect_header "to the new one" "Location: /files/ops/drawings/plan.png?v=1"
http GET /files/ops/drawings/plan.png -b "$VIEWER"
expect_status "the file is at the new address" 200

# The drag-and-drop script is served as JavaScript.
http GET /static/ken.js
expect_status "ken.js" 200
expect_header "as JavaScript" "Content-Type: text/javascript"
