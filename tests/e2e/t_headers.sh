#!/usr/bin/env bash
# Every response carries the security headers: HTML, JSON, static files, redirects and errors.
# Errors say what went wrong, HEAD works, static files cache, and each request is logged.
. "$(dirname "$0")/lib.sh" "$@"
init_demo
start_server
TOKEN=$("$KEN" token add mara --db "$DB")
AUTH=(-H "Authorization: Bearer $TOKEN")

security_headers() { # security_headers WHAT
    expect_header "$1: Content-Security-Policy" "Content-Security-Policy: default-src 'self'"
    local csp
    csp=$(header_of Content-Security-Policy)
    expect_contains "$1: CSP forbids framing" "frame-ancestors 'none'" <(echo "$csp")
    expect_contains "$1: CSP limits scripts to ken" "script-src 'self'" <(echo "$csp")
    expect_not_contains "$1: CSP allows no inline script" "unsafe-inline" <(echo "$csp")
    expect_header "$1: nosniff" "X-Content-Type-Options: nosniff"
    expect_header "$1: X-Frame-Options" "X-Frame-Options: DENY"
    expect_header "$1: Referrer-Policy" "Referrer-Policy: same-origin"
}

http GET /login
expect_status "sign-in page" 200
expect_header "sign-in page is HTML" "Content-Type: text/html; charset=utf-8"
expect_header "HTML is not cached by shared caches" "Cache-Control: private"
security_headers "HTML page"

http GET /
expect_status "anonymous home redirects" 303
security_headers "redirect"

http GET /wiki/handbook/welcome "${AUTH[@]}"
expect_status "page with a token" 200
security_headers "wiki page"

http GET /api/pages/handbook/welcome "${AUTH[@]}"
expect_status "API page" 200
expect_header "API answers JSON" "Content-Type: application/json"
security_headers "JSON"

http GET /api/pages
expect_status "API without credentials" 401
expect_header "API error is JSON" "Content-Type: application/json"
expect_contains "API error explains how to authenticate" '"error":'
expect_contains "API error mentions Bearer tokens" "Bearer"
security_headers "JSON error"

http GET /static/ken.css
expect_status "stylesheet" 200
expect_header "stylesheet type" "Content-Type: text/css"
expect_header "stylesheet is cacheable" "Cache-Control: public"
security_headers "static file"
ETAG=$(header_of ETag)
[ -n "$ETAG" ] && pass || fail "stylesheet has an ETag"
http GET /static/ken.css -H "If-None-Match: $ETAG"
expect_status "unchanged stylesheet is not sent again" 304
http GET /favicon.ico
expect_status "favicon" 200
expect_header "favicon is the SVG logo" "Content-Type: image/svg+xml"

# Errors: a clear status and message, as HTML for pages and as JSON under /api.
http GET /no/such/place "${AUTH[@]}"
expect_status "unknown address" 404
expect_header "404 page is HTML" "Content-Type: text/html"
expect_contains "404 page explains" "there is nothing at this address"
security_headers "404"
http GET /static/nope.css
expect_status "missing static file" 404
expect_contains "missing static file says so" "there is no such file"
http GET /static/../ken.db --path-as-is
expect_status "no escaping the static directory" 404
http DELETE / "${AUTH[@]}"
expect_status "DELETE on the home page" 405
expect_contains "405 page names the methods it accepts" "GET, HEAD"
expect_header "405 says which methods are allowed" "Allow: GET"
security_headers "405"
http GET /api/nothing "${AUTH[@]}"
expect_status "unknown API address" 404
expect_header "API 404 is JSON" "Content-Type: application/json"
expect_contains "API 404 has an error message" '"error":"'
http DELETE /api/pages "${AUTH[@]}"
expect_status "DELETE on the API page list" 405
expect_contains "API 405 has an error message" '"error":"'
http GET /wiki/Handbook/Welcome "${AUTH[@]}"
expect_status "path with capitals" 400
expect_contains "400 explains the path rules" "lowercase"
security_headers "400"
http GET /wiki/caf%C3 "${AUTH[@]}"
expect_status "address that is not UTF-8" 400
expect_contains "400 says it is not UTF-8" "not valid UTF-8"

# HEAD: the headers of GET, no body.
http GET /wiki/handbook/welcome "${AUTH[@]}"
GET_LEN=$(header_of Content-Length)
http HEAD /wiki/handbook/welcome "${AUTH[@]}"
expect_status "HEAD of a page" 200
expect_eq "HEAD sends no body" 0 "$(wc -c <"$BODY")"
expect_eq "HEAD has GET's Content-Length" "$GET_LEN" "$(header_of Content-Length)"
security_headers "HEAD"
http HEAD /static/ken.css
expect_status "HEAD of the stylesheet" 200
expect_eq "HEAD of the stylesheet sends no body" 0 "$(wc -c <"$BODY")"

# One access log line per request, with the user when known.
before=$(wc -l <"$ACCESS")
http GET "/pages?space=handbook" "${AUTH[@]}"
http GET /static/nope.css
http DELETE /wiki/x
expect_logged "access log names the user, request and status" 'mara "GET /pages?space=handbook" 200'
expect_logged "access log shows anonymous requests as -" '- "GET /static/nope.css" 404'
expect_logged "access log has refused requests" '- "DELETE /wiki/x" 405'
expect_eq "one access log line per request" 3 $(($(wc -l <"$ACCESS") - before))
