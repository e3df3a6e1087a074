# ken import markdown: a folder becomes pages; links between files keep working; a bad file is
# reported and the rest still lands; running it again changes nothing.
. "$(dirname "$0")/lib.sh" "$@"
FIX=$(cd "$(dirname "$0")/fixtures/markdown" && pwd)

init_demo
"$KEN" import markdown "$FIX" --space team --db "$DB" >"$TMP/import.out" 2>&1
rc=$?
expect_eq "a bad file makes the import exit 1" 1 "$rc"
expect_contains "the summary counts what happened" "created 3, updated 0, skipped 0 (unchanged), failed 1" "$TMP/import.out"
expect_contains "the bad file is named with a reason" "guides/broken.md: holds NUL bytes" "$TMP/import.out"

"$KEN" import markdown "$FIX" --space team --db "$DB" >"$TMP/again.out" 2>&1
expect_contains "a second run skips what is already there" "created 0, updated 0, skipped 3 (unchanged), failed 1" "$TMP/again.out"

"$KEN" import markdown /nonexistent --db "$DB" >"$TMP/none.out" 2>&1
expect_eq "a missing folder is refused" 1 "$?"
expect_contains "and says so" "is not a folder" "$TMP/none.out"

start_server
login mara "$PW"
JAR=$TMP/mara.jar
http GET /wiki/team/guides/getting-started -b "$JAR"
expect_status "a file's path becomes the page's path" 200
expect_contains "front matter gives the title" "<h1>Getting Started</h1>"
expect_contains "a relative link to another file becomes a wiki link" 'href="/wiki/team/guides/advanced/deep-dive"'
expect_contains "../ links resolve" 'href="/wiki/team/readme"'
expect_contains "tags come from the front matter" 'href="/pages?tag=onboarding"'
expect_contains "the author comes from the front matter" "Mara Okafor"
http GET /wiki/team/readme -b "$JAR"
expect_contains "a link with a space and an anchor resolves" 'href="/wiki/team/guides/advanced/deep-dive#tuning"'
expect_contains "external links are left alone" 'href="https://example.com/docs.md"'
expect_contains "the first heading is the title when there is no front matter" "<h1>Team Handbook</h1>"
http GET "/search?q=knobs" -b "$JAR"
expect_contains "imported pages are searchable at once" "/wiki/team/guides/advanced/deep-dive"
http GET /wiki/team/guides/getting-started -b "$JAR"
expect_contains "an image next to the file becomes an attachment the page shows" '<img src="/files/team/guides/getting-started/diagram.png"'
expect_contains "a missing image is kept, not dropped" 'nothere.png'
http GET /files/team/guides/getting-started/diagram.png -b "$JAR"
expect_status "the image is served" 200
expect_header "as an image" "Content-Type: image/png"
