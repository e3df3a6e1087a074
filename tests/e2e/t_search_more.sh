#!/usr/bin/env bash
# Search, further: facets with counts that narrow the query, updated:, "Did you mean" and
# "Showing results for", suggestions while typing, the OpenSearch description, result clicks
# and the report of searches that find nothing (HR and admins only), and odd input.
. "$(dirname "$0")/lib.sh" "$@"
init_demo
start_server
ADMIN_TOKEN=$("$KEN" token add mara --db "$DB")
TOKEN=$("$KEN" token add priya --db "$DB")
login gareth "$PW"   # a viewer
login fiona "$PW"    # HR
login mara "$PW"     # admin
api() { # api TOKEN METHOD PATH [JSON BODY]
    local t=$1 m=$2 p=$3
    shift 3
    http "$m" "$p" -H "Authorization: Bearer $t" ${1+-H "Content-Type: application/json" --data-binary "$1"}
}
search() { # search JAR QUERY [CURL ARGS...]: the search page; HITS gets the paths found
    local jar=$1 q=$2
    shift 2
    http GET /search -b "$jar" -G --data-urlencode "q=$q" "$@"
    HITS=$(grep -o 'class="hit-title" href="/wiki/[^"]*"' "$BODY" | sed 's/.*href="\/wiki\///; s/"$//' | tr '\n' ' ')
}
api_search() { # api_search QUERY [CURL ARGS...]
    local q=$1
    shift
    http GET /api/search -H "Authorization: Bearer $TOKEN" -G --data-urlencode "q=$q" "$@"
}
facet() { # facet NAME: "value=count ..." of the last API answer
    json "$BODY" "[\"facets\"][\"$1\"] and \" \".join(\"%s=%d\" % (f[\"value\"], f[\"count\"]) for f in d[\"facets\"][\"$1\"])"
}
when() { python3 -c "import time; print(time.strftime('%Y-%m-%dT%H:%M:%SZ', time.gmtime(time.time() - $1 * 86400)))"; }

# Five pages about okapis: three in zoo, two in farm; by priya and tomasz; of different ages.
for i in 1 2 3; do
    api "$ADMIN_TOKEN" PUT /api/pages/zoo/okapi-$i "{\"title\":\"Okapi $i\",\"markdown\":\"An okapiword page, number $i.\",\"tags\":\"animals\",\"author\":\"priya\"}"
    expect_status "zoo page $i is saved" 201
done
api "$ADMIN_TOKEN" PUT /api/pages/farm/okapi-4 "{\"title\":\"Okapi 4\",\"markdown\":\"An old okapiword page.\",\"tags\":\"animals, barn\",\"author\":\"priya\",\"created_at\":\"$(when 500)\"}"
expect_status "an old farm page is saved" 201
api "$ADMIN_TOKEN" PUT /api/pages/farm/okapi-5 "{\"title\":\"Okapi 5\",\"markdown\":\"A recent okapiword page.\",\"tags\":\"animals, barn\",\"author\":\"tomasz\",\"created_at\":\"$(when 60)\"}"
expect_status "a farm page from two months ago is saved" 201

# Facets count all matching pages.
api_search okapiword
expect_eq "the API finds the five pages" 5 "$(json "$BODY" '["total"]')"
expect_eq "space facet" "zoo=3 farm=2" "$(facet space)"
expect_eq "tag facet" "animals=5 barn=2" "$(facet tag)"
expect_eq "author facet (people who wrote the pages)" "priya=4 tomasz=1" "$(facet author)"
expect_eq "updated facet (each range counts the shorter ones)" "week=3 month=3 year=4 older=1" "$(facet updated)"
expect_eq "each facet value says the query that selects it" "okapiword space:zoo" \
    "$(json "$BODY" '["facets"]["space"][0]["query"]')"
expect_eq "authors are shown by name" "Priya Raman" "$(json "$BODY" '["facets"]["author"][0]["label"]')"
api_search okapiword -d facets=0
expect_eq "facets=0 leaves them out" "[]" "$(json "$BODY" '["facets"]["space"]')"

# The page shows them as links that add the filter; following one narrows the results.
search "$TMP/gareth.jar" okapiword
expect_status "the search page" 200
expect_contains "the page has facets" 'class="facets"'
expect_contains "a space facet links to the narrowed query" 'href="/search?q=okapiword%20space%3Azoo">zoo</a> <span class="count">3</span>'
expect_contains "the updated facet counts this year" '<span class="count">4</span>'
expect_contains "the updated facet is labelled" '>This week</a>'
LINK=$(grep -o 'href="/search?q=okapiword%20space%3Afarm"' "$BODY" | head -n1 | sed 's/href="//; s/"$//')
http GET "$LINK" -b "$TMP/gareth.jar"
expect_contains "following the farm facet finds two pages" "2 page(s) found."
HITS=$(grep -o 'class="hit-title" href="/wiki/[^"]*"' "$BODY" | sed 's/.*href="\/wiki\///; s/"$//' | sort | tr '\n' ' ')
expect_eq "only farm pages" "farm/okapi-4 farm/okapi-5 " "$HITS"
expect_contains "the chosen facet is marked and removes the filter" 'href="/search?q=okapiword" aria-current="true"'
search "$TMP/gareth.jar" "okapiword updated:month"
expect_contains "updated:month narrows to the last 30 days" "3 page(s) found."
search "$TMP/gareth.jar" "okapiword updated:older"
expect_eq "updated:older finds the old page" "farm/okapi-4 " "$HITS"
search "$TMP/gareth.jar" "okapiword tag:barn author:tomasz"
expect_eq "filters combine" "farm/okapi-5 " "$HITS"
search "$TMP/gareth.jar" "okapiword space:nowhere"
expect_contains "a filter that finds nothing" "0 page(s) found."
expect_contains "can still be taken out" 'href="/search?q=okapiword" aria-current="true"'
search "$TMP/gareth.jar" "okapiword page:2"
expect_status "a query with an unknown filter" 200
search "$TMP/gareth.jar" "okapiword" -d page=2
expect_eq "pages past the results are empty" "" "$HITS"

# Misspellings: a slip that still finds the pages through its stem gets "Did you mean"; one
# that finds nothing runs corrected.
search "$TMP/gareth.jar" kubernets
expect_contains "kubernets: did you mean" 'Did you mean <a href="/search?q=kubernetes"><strong>kubernetes</strong></a>?'
search "$TMP/gareth.jar" kubrenetes
expect_contains "kubrenetes: showing results for kubernetes" 'Showing results for <a href="/search?q=kubernetes"><strong>kubernetes</strong></a>'
expect_contains "with a way back to what was typed" 'search instead for <a href="/search?q=kubrenetes&amp;as_typed=1">kubrenetes</a>'
case " $HITS" in *" engineering/platform/kubernetes-deploy "*) pass ;; *) fail "the corrected query's results are shown" "got: $HITS" ;; esac
search "$TMP/gareth.jar" "how do I roll back a kubrenetes deploy"
expect_contains "a typo inside a question is corrected in the same search" 'Showing results for <a href="/search?q=how%20do%20I%20roll%20back%20a%20kubernetes%20deploy"><strong>how do I roll back a kubernetes deploy</strong></a>'
case " $HITS" in *" engineering/platform/kubernetes-deploy "*) pass ;; *) fail "and its pages are found" "got: $HITS" ;; esac
search "$TMP/gareth.jar" kubrenetes -d as_typed=1
expect_contains "as typed: nothing" "0 page(s) found."
expect_not_contains "as typed: no correction" "Showing results for"
api_search "kubrenetes deploymnet"
expect_eq "the API corrects every word" "kubernetes deployment true" \
    "$(json "$BODY" '["suggestion"]') $(json "$BODY" '["corrected"]')"
expect_eq "and says what it shows" "kubernetes deployment" "$(json "$BODY" '["showing"]')"
api_search kubernetes
expect_eq "a word spelt right gets no suggestion" "null" "$(json "$BODY" '["suggestion"]')"
search "$TMP/gareth.jar" "wireguard mcuboot"
expect_not_contains "rare real words are not corrected into others" "Showing results for"

# Suggestions while typing: titles after two characters.
http GET "/api/suggest?q=ku" -b "$TMP/gareth.jar"
expect_status "suggest answers" 200
expect_header "suggest answers JSON" "Content-Type: application/json"
expect_eq "two characters suggest titles" "Deploying to Kubernetes" "$(json "$BODY" '["items"][0]["title"]')"
expect_eq "items have a type, path and address" "page engineering/platform/kubernetes-deploy /wiki/engineering/platform/kubernetes-deploy" \
    "$(json "$BODY" '["items"][0]["type"]') $(json "$BODY" '["items"][0]["path"]') $(json "$BODY" '["items"][0]["url"]')"
http GET "/api/suggest?q=k" -b "$TMP/gareth.jar"
expect_eq "one character suggests nothing" "[]" "$(json "$BODY" '["items"]')"
http GET "/api/suggest" -G --data-urlencode "q=on ca" -b "$TMP/gareth.jar"
expect_eq "words of titles, the last as a prefix" "On-Call Handbook" "$(json "$BODY" '["items"][0]["title"]')"
http GET "/api/suggest" -G --data-urlencode "q=how do I connect to the vp" -b "$TMP/gareth.jar"
expect_contains "a question suggests titles by its telling words" '"title":"Connecting to the VPN"'
http GET "/api/suggest?q=ok" -b "$TMP/gareth.jar"
expect_eq "the five okapi pages (and Mara Okafor, a person)" "5 1" \
    "$(json "$BODY" '["items"]' | python3 -c 'import json,sys; i=[x["type"] for x in json.load(sys.stdin)]; print(i.count("page"), i.count("person"))')"
for i in 6 7 8 9 10; do
    api "$ADMIN_TOKEN" PUT /api/pages/zoo/okapi-$i "{\"title\":\"Okapi $i\",\"markdown\":\"More.\"}"
done
http GET "/api/suggest" -G --data-urlencode "q=how do I connect to the vp" -b "$TMP/gareth.jar"
expect_contains "a question suggests titles by its telling words" '"title":"Connecting to the VPN"'
http GET "/api/suggest?q=ok" -b "$TMP/gareth.jar"
expect_eq "at most eight, also with ten" "8" "$(json "$BODY" '["items"].__len__()')"
http GET "/api/suggest?q=on&format=opensearch" -b "$TMP/gareth.jar"
expect_eq "browsers get OpenSearch suggestions" "on" "$(json "$BODY" '[0]')"
http GET "/api/suggest?q=ku"
expect_status "suggestions need signing in" 401
search "$TMP/gareth.jar" ""
expect_contains "the header box asks for suggestions" 'data-suggest="/api/suggest"'
expect_contains "and has the list for them" 'role="listbox"'
expect_contains "search.js is loaded" '<script src="/static/search.js" defer></script>'
http GET /static/search.js
expect_header "search.js is JavaScript" "Content-Type: text/javascript"

# OpenSearch.
http GET /opensearch.xml
expect_status "the OpenSearch description needs no sign-in" 200
expect_header "it says what it is" "Content-Type: application/opensearchdescription+xml"
if python3 -c 'import sys, xml.etree.ElementTree as E; r = E.parse(sys.argv[1]).getroot(); sys.exit(0 if r.tag.endswith("OpenSearchDescription") else 1)' "$BODY"; then pass; else fail "opensearch.xml parses as XML" "$(head -c 300 "$BODY")"; fi
expect_contains "it searches this ken" "<Url type=\"text/html\" method=\"get\" template=\"http://127.0.0.1:$PORT/search?q={searchTerms}\"/>"
http GET /opensearch.xml -H 'Host: evil.example"><x'
expect_contains "a strange Host header is not believed" "template=\"http://127.0.0.1:$PORT/search?q={searchTerms}\""
expect_not_contains "nor echoed" "evil"
http GET /opensearch.xml -H 'Host: wiki.example.com'
expect_contains "a plain host name is used" 'template="http://wiki.example.com/search?q={searchTerms}"'
http GET / -b "$TMP/gareth.jar"
expect_contains "every page links it" '<link rel="search" type="application/opensearchdescription+xml"'

# Listening: searches and clicks are logged; the report lists what found nothing.
search "$TMP/gareth.jar" "Zanzibar  flamingo"
search "$TMP/gareth.jar" "zanzibar flamingo"
search "$TMP/gareth.jar" "postgresql"
search "$TMP/gareth.jar" "kubernetes"
expect_contains "results link to their page" 'class="hit-title" href="/wiki/engineering/platform/kubernetes-deploy" data-click="/search/click?q=kubernetes&amp;to=engineering/platform/kubernetes-deploy"'
http GET "/search/click?q=kubernetes&to=engineering/platform/kubernetes-deploy" -b "$TMP/gareth.jar"
expect_status "a click is redirected" 303
expect_header "to the page" "Location: /wiki/engineering/platform/kubernetes-deploy"
http GET "/search/click?q=x&to=//evil.example" -b "$TMP/gareth.jar"
expect_status "a click elsewhere is refused" 400
http GET "/search/click?q=x&to=../../etc/passwd" -b "$TMP/gareth.jar"
expect_status "a click outside the wiki is refused" 400
http GET "/search/click?q=x" -b "$TMP/gareth.jar"
expect_status "a click to nowhere is refused" 400
http GET "/search/report" -b "$TMP/fiona.jar"
expect_status "HR opens the report" 200
expect_contains "a search that found nothing is listed, as typed once" '<a href="/search?q=zanzibar%20flamingo&amp;as_typed=1">zanzibar flamingo</a></td><td>2</td>'
expect_contains "with a link to write the page" 'href="/new?title=zanzibar%20flamingo">Create the page</a>'
expect_contains "a search nobody followed is listed" '>postgresql</a>'
expect_not_contains "a search someone followed is not" '>kubernetes</a>'
expect_not_contains "who searched is not kept by default" '>gareth<'
http GET "/search/report" -b "$TMP/gareth.jar"
expect_status "a viewer may not see the report" 403
http GET "/search/report" -H "Authorization: Bearer $TOKEN"
expect_status "nor an editor" 403
http GET "/search/report"
expect_status "anonymous: sign in first" 303
http GET "/search/report" -b "$TMP/mara.jar"
expect_status "an admin may" 200
expect_contains "and may keep who searched" 'name="log_searchers" value="1"'
post_form "$TMP/fiona.jar" /search/report log_searchers=1
expect_status "HR may not change what is logged" 403
post_form "$TMP/mara.jar" /search/report log_searchers=1
expect_status "an admin turns on logging searchers" 303
search "$TMP/gareth.jar" "yak shaving rota"
http GET "/search/report" -b "$TMP/fiona.jar"
expect_contains "now the report says who searched" '<td>gareth</td>'
post_form "$TMP/mara.jar" /search/report log_searchers=2
expect_status "a bad setting" 400
post_form "$TMP/mara.jar" /search/report log_searchers=0
expect_status "and off again" 303
api_search "only through the api"
http GET "/search/report" -b "$TMP/fiona.jar"
expect_not_contains "API searches are not logged" "only through the api"

# The log is written in batches: a burst of searches made at once is all in the report at once,
# and what is still queued when ken is stopped (SIGTERM) is written before it exits.
burst() { # burst N QUERY...: each QUERY searched N times, 12 at a time
    local n=$1 q
    shift
    for q in "$@"; do for _ in $(seq 1 "$n"); do printf '%s\n' "$q"; done; done |
        xargs -P 12 -I{} curl -s -o /dev/null --max-time 20 -b "$TMP/gareth.jar" -G \
            --data-urlencode "q={}" "$URL/search"
}
burst 15 "xqzburst one" "xqzburst two" "xqzburst three"
http GET "/search/report" -b "$TMP/fiona.jar"
for q in one two three; do
    expect_contains "every search of a burst is in the report at once ($q)" \
        ">xqzburst $q</a></td><td>15</td>"
done
burst 12 "xqzstop four" "xqzstop five"
stop_server
start_server
http GET "/search/report" -b "$TMP/fiona.jar"
for q in four five; do
    expect_contains "searches just before a stop survive it ($q)" ">xqzstop $q</a></td><td>12</td>"
done

# Odd input never breaks anything.
# (longer than the 500 bytes read; curl 7.88 stalls on URLs over about 8 KB with a cookie jar)
LONG=$(python3 -c 'print("okapi kubernetes " * 150)')
for q in "" "$LONG" $'\x01\x02\x7f\x1b' $'tab\tand\nnewline' '"unbalanced' '-' 'NEAR(' 'updated:' 'updated:soon' \
    'updated:week updated:older' 'space:' 'tag:"x"' '*' '"' 'ü' '日本語' 'kubern*' 'a OR' '-"' ':' '%' "'" '\'; do
    search "$TMP/gareth.jar" "$q"
    expect_status "the search page for $(printf '%q' "${q:0:20}")" 200
    api_search "$q"
    expect_status "the search API for $(printf '%q' "${q:0:20}")" 200
    http GET /api/suggest -b "$TMP/gareth.jar" -G --data-urlencode "q=$q"
    expect_status "suggest for $(printf '%q' "${q:0:20}")" 200
done
http GET "/search?q=%ff%fe" -b "$TMP/gareth.jar"
expect_status "bytes that are not UTF-8 are refused plainly" 400
http GET "/api/search?q=okapiword&limit=abc&offset=-5" -H "Authorization: Bearer $TOKEN"
expect_status "bad numbers are clamped" 200
