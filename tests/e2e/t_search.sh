#!/usr/bin/env bash
# Search: finding demo pages by words, stems, phrases, exclusions, OR, prefixes and filters;
# snippets that highlight but never carry page markup; the index following edits and deletes;
# odd queries; the JSON API; pages of results; and no search without signing in.
. "$(dirname "$0")/lib.sh" "$@"
init_demo
start_server
login gareth "$PW"
AS=(-b "$TMP/gareth.jar")
TOKEN=$("$KEN" token add priya --db "$DB")
api() { # api METHOD PATH [JSON BODY]
    local m=$1 p=$2
    shift 2
    http "$m" "$p" -H "Authorization: Bearer $TOKEN" ${1+-H "Content-Type: application/json" --data-binary "$1"}
}
search() { # search QUERY [PAGE]: the search page as a person sees it; HITS gets the paths found
    http GET /search "${AS[@]}" -G --data-urlencode "q=$1" ${2+-d "page=$2"}
    HITS=$(grep -o 'class="hit-title" href="/wiki/[^"]*"' "$BODY" | sed 's/.*href="\/wiki\///; s/"$//' | tr '\n' ' ')
}
finds() { # finds WHAT QUERY PATH: PATH is among the hits
    search "$2"
    case " $HITS" in *" $3 "*) pass ;; *) fail "$1" "searching for: $2" "expected $3 among: $HITS" ;; esac
}
misses() { # misses WHAT QUERY PATH: PATH is not among the hits
    search "$2"
    case " $HITS" in *" $3 "*) fail "$1" "searching for: $2" "did not expect $3 among: $HITS" ;; *) pass ;; esac
}
first() { # first WHAT QUERY PATH: PATH is the best hit
    search "$2"
    expect_eq "$1" "$3" "${HITS%% *}"
}

# Finding demo pages.
first "a title word" Glossary handbook/glossary
first "a word only in the body" rollback engineering/platform/kubernetes-deploy
finds "a tag" wireguard engineering/onboarding/vpn
first "a stem: deploying finds the deploy page" deploying engineering/platform/kubernetes-deploy
finds "a phrase" '"pull request"' engineering/code-review-guidelines
search '"request pull"'
expect_eq "the words of a phrase in another order are no phrase" "" "$HITS"
finds "both words" 'postgresql replication' engineering/runbooks/postgresql-replication
misses "-word excludes" 'postgresql -replication' engineering/runbooks/postgresql-replication
finds "-word keeps the rest" 'postgresql -replication' finance/bank-reconciliation-python
search 'wireguard mcuboot'
case " $HITS" in *" engineering/onboarding/vpn "*) pass ;; *) fail "a page with some of the words is found" "got: $HITS" ;; esac
expect_contains "and the page says it is a partial match" "No page has all of your words"
search 'wireguard'
expect_not_contains "a page with every word is no partial match" "No page has all of your words"
search 'how do I get onto the wireguard vpn please'
expect_eq "a question finds the page with its telling words first" engineering/onboarding/vpn "${HITS%% *}"
api GET '/api/search?q=wireguard%20mcuboot'
expect_eq "the API says partial" true "$(json "$BODY" '["partial"]')"
finds "a OR b finds a" 'wireguard OR mcuboot' engineering/onboarding/vpn
finds "a OR b finds b" 'wireguard OR mcuboot' engineering/firmware/release-process
finds "a prefix" 'kube*' engineering/platform/kubernetes-deploy
search 'space:finance python'
expect_contains "space: keeps to the space" "finance/bank-reconciliation-python" <(echo "$HITS")
expect_eq "space: leaves out other spaces" "" "$(echo "$HITS" | tr ' ' '\n' | grep -v '^finance/' | grep .)"
finds "tag: filters by tag" 'tag:onboarding' handbook/welcome
misses "tag: leaves out other pages" 'tag:onboarding' finance/expense-policy
finds "author: finds pages the person wrote" 'author:priya kubernetes' engineering/platform/kubernetes-deploy
misses "author: leaves out pages they did not write" 'author:ewan kubernetes' engineering/platform/kubernetes-deploy

# Snippets highlight the words and never carry markup from the page.
api PUT /api/pages/ops/markup '{"title":"Markup","markdown":"Before quokkaword <b>bold</b> `<em>codey</em>` <script>alert(1)</script> after.\n"}'
search quokkaword
expect_contains "the snippet marks the word" "<mark>quokkaword</mark>"
expect_contains "markup shown as text in the page is escaped in the snippet" "&lt;em&gt;codey&lt;/em&gt;"
expect_not_contains "no tags from the page in the snippet" "<b>bold"
expect_not_contains "no em from the page in the snippet" "<em>codey"
expect_not_contains "no script in the snippet" "<script>alert"

# The index follows edits and deletes at once.
api PUT /api/pages/ops/moving '{"title":"Moving target","markdown":"Now about quinoafield.","base_revision":0}'
finds "a new page is found" quinoafield ops/moving
api PUT /api/pages/ops/moving '{"title":"Moving target","markdown":"Now about marmotfield.","base_revision":1}'
finds "an edited page is found by its new words" marmotfield ops/moving
misses "and not by its removed ones" quinoafield ops/moving
api DELETE /api/pages/ops/moving
misses "a page in the trash is not found" marmotfield ops/moving

# Odd input never breaks the page. (With a token: curl leaves cookies out of very long requests.)
AS=(-H "Authorization: Bearer $TOKEN")
LONG=$(python3 -c 'print("deploy kubernetes " * 569)')
for q in "" $'\x01\x02\x7f\x1b' $'tab\tand\nnewline' '"unbalanced quote' '-' 'NEAR(' 'col:x' '*' \
    '(' ')' 'AND' 'NOT' '""' '^x' 'kube**' 'space:' ':' '-"' "$LONG"; do
    search "$q"
    expect_status "the search page for $(printf '%q' "${q:0:20}")" 200
    http GET /api/search -H "Authorization: Bearer $TOKEN" -G --data-urlencode "q=$q"
    expect_status "the search API for $(printf '%q' "${q:0:20}")" 200
done
AS=(-b "$TMP/gareth.jar")

# The API gives the same results as the page.
http GET /api/search -H "Authorization: Bearer $TOKEN" -G --data-urlencode "q=postgresql"
expect_header "the API answers JSON" "Content-Type: application/json"
expect_eq "the API echoes the query" postgresql "$(json "$BODY" '["query"]')"
expect_eq "results have a path, title and snippet" true \
    "$(json "$BODY" '["results"] and all("path" in x and "title" in x and "snippet_html" in x for x in d["results"])')"
API_TOTAL=$(json "$BODY" '["total"]')
API_HITS=$(json "$BODY" '["results"] and " ".join(x["path"] for x in d["results"])')
search postgresql
expect_eq "the API finds what the page finds" "$HITS" "$API_HITS "
expect_contains "the page counts the same total" "$API_TOTAL page(s) found."

# More than 20 results come in pages.
for i in $(seq 1 25); do
    api PUT /api/pages/ops/many-$i "{\"title\":\"Many $i\",\"markdown\":\"A wombatstew page, number $i.\"}"
done
search wombatstew
expect_contains "the total counts every match" "25 page(s) found."
expect_eq "the first page shows 20" 20 "$(echo "$HITS" | wc -w)"
expect_contains "there is a next page" 'page=2">Next'
FIRST=$HITS
search wombatstew 2
expect_eq "the second page shows the other 5" 5 "$(echo "$HITS" | wc -w)"
expect_contains "the second page links back" "Previous"
expect_not_contains "the last page has no next page" "Next"
expect_eq "no page is on both" "" "$(comm -12 <(echo "$FIRST" | tr ' ' '\n' | grep . | sort) <(echo "$HITS" | tr ' ' '\n' | grep . | sort))"
http GET "/api/search?q=wombatstew&offset=20" -H "Authorization: Bearer $TOKEN"
expect_eq "the API pages with offset" "25 5" "$(json "$BODY" '["total"]') $(json "$BODY" '["results"].__len__()')"

# Signing in first.
# A misspelt name of someone who never wrote a page (Kwame Boateng) is corrected from the words
# of the people index everyone searches (schema 0020), and finds him.
http GET /api/search -H "Authorization: Bearer $TOKEN" -G --data-urlencode "q=boatneg"
expect_eq "a misspelt surname is corrected from the people's words" "boateng True" \
    "$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(d["showing"], d["corrected"])' "$BODY")"
expect_eq "and the person is found" "kwame" \
    "$(python3 -c 'import json,sys; print(" ".join(p["login"] for p in json.load(open(sys.argv[1]))["people"]))' "$BODY")"

http GET "/search?q=kubernetes"
expect_status "anonymous search is sent to sign in" 303
expect_header "to the login page, coming back after" "Location: /login?next="
http GET "/api/search?q=kubernetes"
expect_status "the anonymous API is refused" 401
