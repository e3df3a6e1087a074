#!/usr/bin/env bash
# Following changes: recent changes with filters, the Atom feeds and their feed tokens (which open
# feeds and nothing else), watching pages and spaces, the home page's "since your last visit",
# and the watches API.
. "$(dirname "$0")/lib.sh" "$@"
init_demo
start_server
login priya "$PW" && login callum "$PW" && login gareth "$PW"
P=$TMP/priya.jar C=$TMP/callum.jar G=$TMP/gareth.jar

# sql STATEMENT: runs SQL on the server's database (WAL: fine while it runs).
sql() {
    python3 -c 'import sqlite3,sys,time
c = sqlite3.connect(sys.argv[1], timeout=10); c.execute(sys.argv[2].replace("NOW", str(int(time.time())))); c.commit()' "$DB" "$1"
}
# order WHAT A B C...: the texts appear in the last body in this order.
order() {
    local what=$1
    shift
    if python3 -c 'import sys
b = open(sys.argv[1], encoding="utf-8").read(); at = [b.find(t) for t in sys.argv[2:]]
sys.exit(0 if -1 not in at and at == sorted(at) else 1)' "$BODY" "$@"; then pass; else
        fail "$what" "wanted in this order: $*"
    fi
}
# watched_section: the home page's "changes to what you watch" section of the last body.
watched_section() { sed -n '/<section class="watched">/,/<\/section>/p' "$BODY" >"$TMP/watched"; }
# atom FILE: checks the feed parses and prints one line per entry: "title|summary|author".
atom() {
    python3 -c 'import sys, xml.dom.minidom
d = xml.dom.minidom.parse(sys.argv[1]); f = d.documentElement
A = "http://www.w3.org/2005/Atom"
assert f.localName == "feed" and f.namespaceURI == A, "root is not atom:feed"
for need in ("id", "title", "updated"):
    assert f.getElementsByTagNameNS(A, need), "feed has no " + need
def text(e, name):
    n = e.getElementsByTagNameNS(A, name)
    return "".join(c.data for c in n[0].childNodes if c.nodeType == c.TEXT_NODE) if n else ""
for e in f.getElementsByTagNameNS(A, "entry"):
    assert text(e, "id").startswith("tag:") and text(e, "updated") and e.getElementsByTagNameNS(A, "link")
    print("%s|%s|%s" % (text(e, "title"), text(e, "summary"), text(e.getElementsByTagNameNS(A, "author")[0], "name")))' "$1"
}

# Two people edit; the changes list shows them newest first.
post_form "$P" /edit/ path=follow/alpha 'title=Alpha <&> "Relay"' markdown=One. tags=relay \
    "summary=first alpha" base_rev=0 save=1
expect_status "priya creates follow/alpha" 303
post_form "$C" /edit/ path=follow/beta title=Beta markdown=Two. "summary=first beta" base_rev=0 save=1
expect_status "callum creates follow/beta" 303
post_form "$C" /edit/follow/alpha 'title=Alpha <&> "Relay"' $'markdown=One.\n\nAnd a longer second line.' \
    tags=relay "summary=callum tweaks alpha" base_rev=1 save=1
expect_status "callum edits follow/alpha" 303

http GET /changes -b "$G"
expect_status "recent changes" 200
order "newest change first" "callum tweaks alpha" "first beta" "first alpha"
expect_contains "a change links to its revision" 'href="/wiki/follow/alpha?rev=2"'
expect_contains "a change links to its diff" 'href="/diff/follow/alpha?from=1&amp;to=2"'
expect_contains "a change names its author" "Callum Reid"
expect_contains "a change shows its size change" '<span class="grew">+'
expect_contains "titles are escaped" "Alpha &lt;&amp;&gt;"
expect_not_contains "no raw markup from titles" "Alpha <&>"
expect_contains "the page announces its feed" '<link rel="alternate" type="application/atom+xml"'
expect_contains "the filter form" '<form action="/changes" method="get" class="filters"'
http GET /changes?space=follow -b "$G"
expect_contains "space filter keeps the space" "first beta"
expect_not_contains "space filter leaves out other spaces" 'href="/wiki/handbook/'
expect_contains "the filtered feed is announced" 'href="/changes.atom?space=follow"'
http GET /changes?tag=relay -b "$G"
expect_contains "tag filter keeps tagged pages" "callum tweaks alpha"
expect_not_contains "tag filter leaves out untagged pages" "first beta"
http GET "/changes?author=callum&space=follow" -b "$G"
expect_contains "author filter keeps their edits" "first beta"
expect_contains "author filter keeps all their edits" "callum tweaks alpha"
expect_not_contains "author filter leaves out others' edits" "first alpha"
http GET "/changes?days=1" -b "$G"
expect_contains "days filter keeps today's changes" "callum tweaks alpha"
http GET "/changes?space=Not%20A%20Space" -b "$G"
expect_status "a bad space is refused" 400
http GET "/changes?days=0" -b "$G"
expect_status "days=0 is refused" 400
http GET "/changes?page=2&space=follow" -b "$G"
expect_status "a page past the end" 200
expect_contains "a page past the end is empty" "No changes match."
http GET /changes
expect_status "anonymous visitors are sent to sign in" 303
http GET /wiki/follow/alpha -b "$G"
expect_not_contains "other pages do not announce a feed" 'application/atom+xml'

# Feed tokens: made on /feeds, shown once, good for feeds only.
http GET /feeds -b "$G"
expect_status "the feeds page" 200
expect_contains "no token yet" "You have no feed token yet."
http POST /feeds -b "$G"
expect_status "making a token needs the CSRF token" 403
post_form "$G" /feeds
expect_status "making a feed token" 200
expect_header "the page with the token is not stored" "Cache-Control: no-store"
FT=$(grep -o 'changes.atom?token=[A-Za-z0-9_-]*' "$BODY" | head -n1 | sed 's/.*token=//')
[ ${#FT} -ge 40 ] && pass || fail "the feeds page shows the new token in the addresses" "got '$FT'"
expect_contains "the personal watched feed" "watched=1&amp;token=$FT"

http GET "/changes.atom?token=$FT"
expect_status "the feed with a feed token" 200
expect_header "Atom content type" "Content-Type: application/atom+xml; charset=utf-8"
cp "$BODY" "$TMP/feed.xml"
if atom "$TMP/feed.xml" >"$TMP/entries" 2>"$TMP/atom.err"; then pass; else
    fail "the feed is valid Atom XML" "$(cat "$TMP/atom.err")"
fi
expect_contains "the feed has the new revision, title unescaped by the parser" \
    'Alpha <&> "Relay" (revision 2)|callum tweaks alpha|Callum Reid' "$TMP/entries"
expect_eq "the newest entry comes first" 'Alpha <&> "Relay" (revision 2)|callum tweaks alpha|Callum Reid' \
    "$(head -n1 "$TMP/entries")"
expect_eq "the feed has 50 entries" 50 "$(wc -l <"$TMP/entries")"
expect_contains "the feed escapes titles" "Alpha &lt;&amp;&gt;" "$TMP/feed.xml"
expect_contains "entries link to the revision" "/wiki/follow/alpha?rev=2\"" "$TMP/feed.xml"
expect_contains "entries carry HTML content" '<content type="html">' "$TMP/feed.xml"
expect_not_contains "the self link leaves the token out" "token=$FT" "$TMP/feed.xml"
http GET "/changes.atom?space=follow&author=callum&token=$FT"
atom "$BODY" >"$TMP/entries" 2>/dev/null
expect_eq "the feed takes filters" 2 "$(wc -l <"$TMP/entries")"
expect_contains "the filtered feed has the right entry" "Beta (revision 1)|first beta|Callum Reid" "$TMP/entries"
http GET "/changes.atom?tag=relay&token=$FT"
atom "$BODY" >"$TMP/entries" 2>/dev/null
expect_eq "the tag feed" 2 "$(wc -l <"$TMP/entries")"
http GET "/changes.atom" -b "$G"
expect_status "a signed-in browser reads the feed without a token" 200

http GET "/changes.atom?token=not-a-real-token"
expect_status "a wrong feed token" 401
expect_contains "the refusal says where to get an address" "/feeds"
http GET "/changes.atom"
expect_status "no token, no session" 401
http GET "/changes.atom" -H "Authorization: Bearer $FT"
expect_status "a feed token is not an API token, even on the feed" 401
http GET "/wiki/follow/alpha?token=$FT"
expect_status "a feed token does not open pages" 303
expect_header "... it sends to sign in" "Location: /login"
http GET "/api/pages/follow/alpha?token=$FT"
expect_status "a feed token does not open the API" 401
http GET "/api/pages/follow/alpha" -H "Authorization: Bearer $FT"
expect_status "a feed token is not a bearer token" 401
http GET "/changes?token=$FT"
expect_status "a feed token does not open the HTML changes" 303
http GET "/feeds?token=$FT"
expect_status "a feed token does not open /feeds" 303
http GET "/api/watches?token=$FT"
expect_status "a feed token does not open the watches API" 401

http GET /feeds -b "$G"
expect_contains "the feeds page knows a token exists" "You made your token on"
expect_not_contains "the token is not shown again" "$FT"
post_form "$G" /feeds
FT2=$(grep -o 'changes.atom?token=[A-Za-z0-9_-]*' "$BODY" | head -n1 | sed 's/.*token=//')
[ -n "$FT2" ] && [ "$FT2" != "$FT" ] && pass || fail "resetting makes a new token" "old $FT new $FT2"
http GET "/changes.atom?token=$FT"
expect_status "the old token fails after a reset" 401
http GET "/changes.atom?token=$FT2"
expect_status "the new token works" 200

# Watching a page: another person's edit shows on the watcher's home page.
http GET /wiki/follow/beta -b "$G"
expect_contains "pages offer to watch them" '<button type="submit" class="link" title="Show changes to this page on your home page">Watch</button>'
http POST /watch -b "$G" -d kind=page -d target=follow/beta -d on=1
expect_status "watching without the CSRF token" 403
post_form "$G" /watch kind=page target=follow/beta on=1 back=/wiki/follow/beta
expect_status "watching a page" 303
expect_header "watching goes back" "Location: /wiki/follow/beta"
http GET /wiki/follow/beta -b "$G"
expect_contains "the page now offers to unwatch" ">Unwatch</button>"
post_form "$P" /edit/follow/beta title=Beta $'markdown=Two.\n\nPriya was here.' "summary=priya edits beta" \
    base_rev=1 save=1
expect_status "priya edits the watched page" 303
http GET / -b "$G"
watched_section
expect_contains "home has the watched section" "Changes to what you watch since your last visit" "$TMP/watched"
expect_contains "the watched change shows" 'href="/wiki/follow/beta"' "$TMP/watched"
expect_contains "it says who changed it" "Priya Raman" "$TMP/watched"
expect_not_contains "unwatched pages stay out" 'href="/wiki/follow/alpha"' "$TMP/watched"
http GET "/changes?watched=1" -b "$G"
expect_contains "the watched filter" "priya edits beta"
expect_not_contains "the watched filter leaves out the rest" "first alpha"
http GET "/changes.atom?watched=1&token=$FT2"
atom "$BODY" >"$TMP/entries" 2>/dev/null
expect_eq "the watched feed" 2 "$(wc -l <"$TMP/entries")"

# "Since your last visit": a visit an hour ago hides what changed before it; news after it shows.
sql "UPDATE revisions SET created_at = created_at - 7200 WHERE page_id IN (SELECT id FROM pages WHERE space = 'follow')"
sql "UPDATE home_visits SET last_at = NOW - 3600 WHERE user_id = (SELECT id FROM users WHERE login = 'gareth')"
http GET / -b "$G"
watched_section
expect_contains "nothing new since the last visit" "Nothing has changed since your last visit." "$TMP/watched"
post_form "$C" /edit/follow/beta title=Beta $'markdown=Two.\n\nPriya was here. Callum too.' \
    "summary=callum edits beta" base_rev=2 save=1
http GET / -b "$G"
watched_section
expect_contains "the new change shows" 'href="/diff/follow/beta?from=2&amp;to=3"' "$TMP/watched"
expect_contains "counted once" "1 change by Callum Reid" "$TMP/watched"
http GET / -b "$G"
watched_section
expect_contains "reloading within the visit keeps the news" 'href="/wiki/follow/beta"' "$TMP/watched"

# Unwatching removes it; bad requests are refused; back must stay on this site.
post_form "$G" /watch kind=page target=follow/beta on=0 back=//evil.example/x
expect_status "unwatching" 303
expect_header "an off-site back is not followed" "Location: /wiki/follow/beta"
http GET / -b "$G"
watched_section
expect_not_contains "the unwatched page is gone from home" 'href="/wiki/follow/beta"' "$TMP/watched"
expect_contains "home says nothing is watched" "You watch nothing yet" "$TMP/watched"
post_form "$G" /watch kind=page target=follow/nope on=1
expect_status "watching a page that does not exist" 404
post_form "$G" /watch kind=folder target=follow on=1
expect_status "a bad kind" 400
post_form "$G" /watch kind=page target=follow/beta on=yes
expect_status "a bad on" 400
http POST /watch -d kind=page -d target=follow/beta -d on=1
expect_status "watching needs signing in" 401

# Watching a space covers every page in it.
post_form "$G" /watch kind=space target=follow on=1
expect_status "watching a space" 303
expect_header "watching a space goes to its changes" "Location: /changes?space=follow"
http GET /changes?space=follow -b "$G"
expect_contains "the space's changes offer to stop watching" "Stop watching space follow"
http GET / -b "$G"
watched_section
expect_contains "the watched space's page shows" 'href="/wiki/follow/beta"' "$TMP/watched"
http GET /feeds -b "$G"
expect_contains "the feeds page lists the watched space" 'href="/changes?space=follow"'
expect_contains "with a way to stop" "Stop watching"

# The API.
TOKEN=$("$KEN" token add gareth --db "$DB")
api() { # api METHOD PATH [JSON BODY]
    local m=$1 p=$2
    shift 2
    http "$m" "$p" -H "Authorization: Bearer $TOKEN" ${1+-H "Content-Type: application/json" --data-binary "$1"}
}
api GET /api/watches
expect_status "listing watches" 200
expect_eq "the list has the space" '[["space", "follow"]]' "$(json "$BODY" '["watches"] and [[w["kind"], w["target"]] for w in d["watches"]]')"
api PUT /api/watches '{"kind":"page","target":"follow/alpha"}'
expect_status "watching a page through the API" 200
expect_eq "it says so" true "$(json "$BODY" '["watching"]')"
api GET /api/watches
expect_eq "the list has both" 2 "$(json "$BODY" '["watches"].__len__()')"
api PUT /api/watches '{"kind":"page","target":"follow/nope"}'
expect_status "a missing page" 404
expect_contains "errors are JSON" '"error":"'
api PUT /api/watches '{"kind":"shelf","target":"follow"}'
expect_status "a bad kind" 400
api PUT /api/watches '{"target":"follow"}'
expect_status "no kind" 400
api DELETE "/api/watches?kind=page&target=follow/alpha"
expect_status "unwatching through the API" 200
api GET /api/watches
expect_eq "the list is back to one" 1 "$(json "$BODY" '["watches"].__len__()')"
http PUT /api/watches -b "$G" -H "Content-Type: application/json" --data-binary '{"kind":"page","target":"follow/alpha"}'
expect_status "a cookie session needs X-CSRF-Token" 403
http GET /api/watches
expect_status "the API needs signing in" 401

# Public reading lets anonymous readers have the feed; a wrong token is still refused.
login mara "$PW"
post_form "$TMP/mara.jar" /admin/settings public_read=1
http GET /changes.atom?space=follow
expect_status "anonymous feed with public reading" 200
http GET "/changes.atom?token=wrong"
expect_status "a wrong token is refused even then" 401
