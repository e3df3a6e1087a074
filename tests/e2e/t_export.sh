# ken export markdown and ken export html: the Markdown export imported into a fresh database
# gives the same pages (titles, text, tags); the HTML copy is browsable from index.html with
# relative links that all lead to files it holds.
. "$(dirname "$0")/lib.sh" "$@"
FIX=$(cd "$(dirname "$0")/fixtures" && pwd)

init_demo
run_ken import mediawiki "$FIX/mediawiki/wiki.xml" --space kb --db "$DB"
run_ken import html "$FIX/html" --space docs --db "$DB"
expect_eq "the pages to export are there" 0 "$RC"

# ---- Markdown
run_ken export markdown "$TMP/md" --db "$DB"
expect_eq "export markdown exits 0" 0 "$RC"
expect_contains "it says what it wrote" "exported" "$ERR"
[ -f "$TMP/md/kb/network-setup.md" ] && pass || fail "a page is written as <path>.md"
expect_contains "front matter: the title" "title: Network Setup" "$TMP/md/kb/network-setup.md"
expect_contains "front matter: the tags" "tags: [networking]" "$TMP/md/kb/network-setup.md"
expect_contains "front matter: the owners" "owners: [ana-lima]" "$TMP/md/kb/network-setup.md"
expect_contains "front matter: when it changed" "updated: 2021-03-02T10:30:00Z" "$TMP/md/kb/network-setup.md"
cmp -s "$FIX/html/attachments/65538/65539.png" "$TMP/md/docs/release-process.files/65539.png" && pass ||
    fail "attachments are written in their page's files folder"
run_ken export markdown "$TMP/md" --db "$DB"
expect_eq "a folder that is not empty is refused" 1 "$RC"
expect_contains "and says so" "is not empty" "$ERR"

# Import it into a fresh database, one space at a time (a folder becomes a space).
FRESH=$TMP/fresh.db
"$KEN" init --db "$FRESH" >/dev/null 2>&1
for dir in "$TMP/md"/*/; do
    space=$(basename "$dir")
    "$KEN" import markdown "$dir" --space "$space" --db "$FRESH" >"$TMP/reimport.out" 2>&1 ||
        fail "import markdown of the exported $space" "$(tail -n 3 "$TMP/reimport.out")"
done
# Every live page with its title, tags and text, from each database.
pages() {
    python3 -c 'import sqlite3, sys, json
db = sqlite3.connect("file:" + sys.argv[1] + "?mode=ro", uri=True)
rows = db.execute("SELECT p.path, p.title, r.tags, r.markdown FROM pages p JOIN revisions r "
                  "ON r.id = p.current_rev WHERE p.deleted_at IS NULL ORDER BY p.path").fetchall()
print(json.dumps(rows, indent=0))' "$1"
}
pages "$DB" >"$TMP/before.json"
pages "$FRESH" >"$TMP/after.json"
if cmp -s "$TMP/before.json" "$TMP/after.json"; then pass; else
    fail "export then import keeps every page, title, tag and text" \
        "$(diff "$TMP/before.json" "$TMP/after.json" | head -n 20)"
fi
expect_eq "and there are pages to compare" 1 "$(python3 -c 'import json,sys; print(int(len(json.load(open(sys.argv[1]))) > 40))' "$TMP/before.json")"

# ---- HTML
run_ken export html "$TMP/site" --db "$DB"
expect_eq "export html exits 0" 0 "$RC"
[ -f "$TMP/site/index.html" ] && pass || fail "index.html is written"
[ -f "$TMP/site/ken.css" ] && pass || fail "the stylesheet is copied"
[ -f "$TMP/site/kb/network-setup.html" ] && pass || fail "a page is written as <path>.html"
expect_contains "the index lists spaces" 'id="space-kb"' "$TMP/site/index.html"
expect_contains "the index links pages relatively" 'href="kb/network-setup.html"' "$TMP/site/index.html"
expect_contains "a wiki link became relative" 'href="../kb/vpn-access.html"' "$TMP/site/kb/network-setup.html"
expect_contains "a page's stylesheet is relative" 'href="../ken.css"' "$TMP/site/kb/network-setup.html"
expect_contains "an image points to the copied file" 'src="../docs/release-process.files/65539.png"' \
    "$TMP/site/docs/release-process.html"
if grep -rqE '(href|src)="/wiki/' "$TMP/site"; then
    fail "no absolute /wiki/ link remains" "$(grep -rEo '(href|src)="/wiki/[^"]*"' "$TMP/site" | head -n 3)"
else pass; fi
python3 - "$TMP/site" >"$TMP/links.out" 2>&1 <<'EOF'
# Every href and src is external, a fragment, or a relative path to a file of the copy.
import html.parser, os, sys, urllib.parse
root, bad, checked = sys.argv[1], [], 0
class Links(html.parser.HTMLParser):
    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in ("href", "src") and value is not None:
                self.found.append(value)
for dirpath, _, files in os.walk(root):
    for f in files:
        if not f.endswith(".html"):
            continue
        page = os.path.join(dirpath, f)
        p = Links()
        p.found = []
        p.feed(open(page, encoding="utf-8").read())
        for link in p.found:
            u = urllib.parse.urlsplit(link)
            if u.scheme or link.startswith("#") or link.startswith("//"):
                continue
            checked += 1
            target = os.path.normpath(os.path.join(dirpath, urllib.parse.unquote(u.path)))
            if link.startswith("/") or not os.path.isfile(target) or not target.startswith(root):
                bad.append("%s: %s" % (os.path.relpath(page, root), link))
print("checked %d links" % checked)
for b in bad[:10]:
    print("BAD", b)
sys.exit(1 if bad or checked == 0 else 0)
EOF
if [ $? -eq 0 ]; then pass; else fail "every relative link leads to a file of the copy" "$(cat "$TMP/links.out")"; fi
run_ken export html "$TMP/site" --db "$DB"
expect_eq "an HTML export into a folder that is not empty is refused" 1 "$RC"
