#!/usr/bin/env bash
# How pages hang together: what links here, wanted and orphaned pages, spaces, child pages, tables
# of contents, moving a page (old paths keep working) and deleting one (trash, restore).
. "$(dirname "$0")/lib.sh" "$@"
init_demo
start_server
login priya "$PW" && login mara "$PW" && login gareth "$PW"
ED=$TMP/priya.jar ADMIN=$TMP/mara.jar VIEWER=$TMP/gareth.jar
TOKEN=$("$KEN" token add priya --db "$DB")
api() { # api METHOD PATH [JSON BODY]
    http "$1" "$2" -H "Authorization: Bearer $TOKEN" ${3+-H "Content-Type: application/json" --data-binary "$3"}
}
save() { # save PATH TITLE MARKDOWN: creates or updates a page through the API
    api PUT "/api/pages/$1" "{\"title\":\"$2\",\"markdown\":\"$3\"}"
    case "$STATUS" in 200 | 201) ;; *) fail "saving $1" "status $STATUS: $(head -c 200 "$BODY")" ;; esac
}
save ops/target Target "The target, first words." && save ops/target Target "The target, second revision."
save ops/linker Linker "See [[ops/target|the target]] and [[Ghost Page]]."
save ops/linker-two "Linker two" "Also [[Ghost Page]]." && save ops/lonely Lonely "Nobody links to this zephyrine page."

# What links here.
http GET /links/ops/target -b "$VIEWER"
expect_status "what links here" 200
expect_contains "lists the linking page" 'href="/wiki/ops/linker"'
expect_not_contains "leaves out pages that do not link" 'href="/wiki/ops/linker-two"'
api GET /api/pages/ops/target/backlinks
expect_eq "API backlinks" '["ops/linker"]' "$(json "$BODY" '["backlinks"] and [b["path"] for b in d["backlinks"]]')"

# Wanted pages: linked, not written; gone once written.
http GET /wanted -b "$VIEWER"
expect_status "wanted pages" 200
expect_contains "the missing target is wanted by two pages" \
    '<a class="wikilink new" href="/wiki/ops/ghost-page">ops/ghost-page</a> <span class="meta">linked from <a href="/links/ops/ghost-page">2 page(s)'
expect_contains "a demo page's missing link is wanted" "expense-policy-2027"
save ops/ghost-page "Ghost Page" "Written at last."
http GET /wanted -b "$VIEWER"
expect_not_contains "a written page is no longer wanted" 'href="/wiki/ops/ghost-page"'

http GET /orphans -b "$VIEWER"
expect_status "orphaned pages (nobody links to them)" 200
expect_contains "the unlinked page is an orphan" 'href="/wiki/ops/lonely"'
expect_not_contains "a linked page is not an orphan" 'href="/wiki/ops/target"'

# Spaces and child pages.
http GET /spaces/ops -b "$VIEWER"
expect_status "a space" 200
expect_contains "the space lists its pages" 'href="/wiki/ops/lonely"'
http GET /spaces/engineering -b "$VIEWER"
expect_contains "a demo space lists deep pages" 'href="/wiki/engineering/platform/kubernetes-deploy"'
expect_not_contains "a space lists only its own pages" 'href="/wiki/ops/'
http GET /spaces/no-such-space -b "$VIEWER"
expect_status "an unknown space" 404
save ops/target/step-one "Step one" "First." && save ops/target/step-one/detail "Detail" "Deeper."
http GET /wiki/ops/target -b "$VIEWER"
expect_contains "the page lists pages below it" "<h2>Pages below</h2>"
expect_contains "a child page is listed" 'href="/wiki/ops/target/step-one"'
expect_not_contains "a grandchild is not" 'href="/wiki/ops/target/step-one/detail"'

# The space tree follows paths: folders with pages below them but no page of their own show as
# folders, pages nest under their own parent page, and "a/b-c" does not split a/b from a/b/...
tree_outline() { # the space page's tree as "text(children)" with folders ending in /
    python3 -c 'import sys
from html.parser import HTMLParser
class P(HTMLParser):
    def __init__(s):
        super().__init__(); s.out = []; s.on = False; s.cls = None
    def handle_starttag(s, t, a):
        a = dict(a)
        if t == "ul" and "tree" in (a.get("class") or ""): s.on = True; return
        if not s.on: return
        if t == "ul": s.out.append("(")
        if t in ("a", "span"): s.cls = (t, a.get("class"))
    def handle_endtag(s, t):
        if s.on and t == "ul": s.out.append(") ")
        if t in ("a", "span"): s.cls = None
    def handle_data(s, d):
        if s.on and s.cls and (s.cls[0] == "a" or s.cls[1] == "folder"): s.out.append(d.strip() + " ")
p = P(); p.feed(open(sys.argv[1]).read())
print(" ".join("".join(p.out).replace(" )", ")").split()).rstrip(") "))' "$BODY"
}
http GET /spaces/engineering -b "$VIEWER"
expect_contains "engineering/firmware, which has no page, is a folder" \
    '<span class="folder" title="engineering/firmware/ (no page of its own)">firmware/</span><ul>'
expect_eq "the firmware pages are in the firmware folder, not under Code Review Guidelines" \
    "Code Review Guidelines firmware/ (Firmware C Coding Standard Firmware Release Process) Git Workflow" \
    "$(tree_outline | grep -o 'Code Review Guidelines.*Git Workflow')"
save ops/target-b "Target B" "A sibling whose path sorts between ops/target and ops/target/..."
save ops/deep/down/below "Below" "Two folders deep."
http GET /spaces/ops -b "$VIEWER"
expect_eq "the ops tree: pages under their parents, folders for paths without pages" \
    "deep/ (down/ (Below)) Ghost Page Linker Linker two Lonely Target (Step one (Detail)) Target B" \
    "$(tree_outline)"

# A table of contents for pages with three or more sections.
save ops/long Long 'Intro.\n\n## Before you start\n\nA.\n\n## Steps\n\nB.\n\n## Check it\n\nC.'
http GET /wiki/ops/long -b "$VIEWER"
expect_contains "a long page has contents" '<nav class="toc"'
expect_contains "contents link to a heading" '<a href="#before-you-start">Before you start</a>'
expect_contains "the heading has that anchor" 'id="before-you-start"'
expect_contains "contents list every section" '<a href="#check-it">Check it</a>'
save ops/short Short 'Intro.\n\n## One\n\nA.\n\n## Two\n\nB.'
http GET /wiki/ops/short -b "$VIEWER"
expect_not_contains "a short page has none" 'class="toc"'

# Moving: the page and its history go to the new path; the old path redirects.
post_form "$VIEWER" /move/ops/target to=ops/goal
expect_status "a viewer cannot move pages" 403
post_form "$ED" /move/ops/target to=ops/goal
expect_status "move" 303
expect_header "move goes to the new path" "Location: /wiki/ops/goal"
http GET /wiki/ops/goal -b "$VIEWER"
expect_status "the page at its new path" 200
expect_contains "it is the same page" "second revision"
http GET /history/ops/goal -b "$VIEWER"
expect_contains "history moved with it" '/wiki/ops/goal?rev=1">1<'
http GET /wiki/ops/target -b "$VIEWER"
expect_status "the old path redirects" 301
expect_header "to the new path" "Location: /wiki/ops/goal"
http GET "/wiki/ops/target?rev=1" -b "$VIEWER"
expect_header "the redirect keeps the revision" "Location: /wiki/ops/goal?rev=1"
http GET /wiki/ops/linker -b "$VIEWER"
link=$(grep -o 'href="/wiki/ops/[a-z/-]*">the target' "$BODY" | sed 's/^href="//; s/">.*//')
http GET "${link:-/none}" -b "$VIEWER" -L
expect_status "a page linking to the old path still reaches the page" 200
expect_contains "the link arrives at the moved page" "second revision"
http GET /links/ops/goal -b "$VIEWER"
expect_contains "links to the old path count as links here" 'href="/wiki/ops/linker"'
http GET /wanted -b "$VIEWER"
expect_not_contains "the old path is not a wanted page" 'href="/wiki/ops/target"'
http GET /orphans -b "$VIEWER"
expect_not_contains "a page linked at its old path is no orphan" 'href="/wiki/ops/goal"'
post_form "$ED" /move/ops/goal to=ops/lonely
expect_status "moving onto an existing page" 409
expect_contains "says the path is taken" "already lives at the new path"
http GET /wiki/ops/lonely -b "$VIEWER"
expect_contains "the existing page is untouched" "zephyrine"
post_form "$ED" /move/ops/goal "to=Ops/Bad Path"
expect_status "moving to a bad path" 400
api POST /api/pages/ops/goal/move '{"to":"ops/final"}'
expect_status "move through the API" 200
expect_eq "the API names the new path" ops/final "$(json "$BODY" '["path"]')"
api GET /api/pages/ops/final
expect_eq "the page answers at its new path" Target "$(json "$BODY" '["title"]')"
http GET /wiki/ops/target -b "$VIEWER"
expect_header "the first path follows the second move" "Location: /wiki/ops/final"
# A new page written at the old path takes it over, with the links to that path.
save ops/target "New target" "A new page where the old one was."
http GET /wiki/ops/target -b "$VIEWER"
expect_status "a new page at the old path is shown, not the redirect" 200
http GET /links/ops/final -b "$VIEWER"
expect_not_contains "links to the old path now belong to the new page" 'href="/wiki/ops/linker"'

# Deleting: gone from the wiki, search and lists; an admin restores it with its history.
save ops/lonely Lonely "Nobody links to this zephyrine page, still."
post_form "$VIEWER" /delete/ops/lonely
expect_status "a viewer cannot delete" 403
post_form "$ED" /delete/ops/lonely
expect_status "delete" 303
http GET /wiki/ops/lonely -b "$VIEWER"
expect_status "the deleted page is gone" 404
http GET "/search?q=zephyrine" -b "$VIEWER"
expect_not_contains "search does not find it" 'href="/wiki/ops/lonely"'
http GET "/pages?space=ops" -b "$VIEWER"
expect_not_contains "the page list leaves it out" 'href="/wiki/ops/lonely"'
for who in priya gareth; do
    http GET /trash -b "$TMP/$who.jar"
    expect_status "$who (not an admin) cannot open the trash" 403
done
http GET /trash -b "$ADMIN"
expect_status "the admin opens the trash" 200
expect_contains "the trash has the page" "<code>ops/lonely</code>"
ID=$(tr -d '\n' <"$BODY" | grep -o '<code>ops/lonely</code>.*' | grep -o 'name="id" value="[0-9]*"' | head -n1 | grep -o '[0-9]*')
post_form "$ADMIN" /restore "id=${ID:-0}"
expect_status "restore" 303
http GET /wiki/ops/lonely -b "$VIEWER"
expect_status "the restored page is back" 200
expect_contains "with its text" "zephyrine page, still"
http GET /history/ops/lonely -b "$VIEWER"
expect_contains "and its history" '/wiki/ops/lonely?rev=1">1<'
http GET "/search?q=zephyrine" -b "$VIEWER"
expect_contains "search finds it again" 'href="/wiki/ops/lonely"'
post_form "$ED" /delete/ops/lonely
save ops/lonely "New lonely" "Someone else took the path."
post_form "$ADMIN" /restore "id=${ID:-0}"
expect_status "restoring onto a taken path" 409
http GET /wiki/ops/lonely -b "$VIEWER"
expect_contains "the new page stays" "Someone else took the path."
api DELETE /api/pages/ops/short
expect_status "delete through the API" 200
expect_eq "the API names the deleted page" ops/short "$(json "$BODY" '["deleted"]')"
api GET /api/pages/ops/short
expect_status "the page deleted through the API is gone" 404
api DELETE /api/pages/ops/short
expect_status "deleting it again" 404
