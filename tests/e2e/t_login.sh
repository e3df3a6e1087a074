#!/usr/bin/env bash
# Signing in and out: the form, wrong passwords, throttling, CSRF, where `next` may send you,
# the session cookie's flags, and a cookie that no longer works after signing out.
. "$(dirname "$0")/lib.sh" "$@"
init_demo
start_server

# Anonymous visitors are sent to the sign-in page, remembering where they were going.
http GET /wiki/handbook/welcome
expect_status "anonymous page view redirects" 303
expect_header "redirect goes to sign-in with next" "Location: /login?next=/wiki/handbook/welcome"

JAR=$TMP/browser.jar
http GET "/login?next=/wiki/handbook/welcome" -c "$JAR"
expect_status "sign-in form" 200
expect_contains "sign-in form has a login field" 'name="login"'
expect_contains "sign-in form has a password field" 'type="password"'
expect_contains "sign-in form keeps next" 'name="next" value="/wiki/handbook/welcome"'
expect_header "sign-in form sets the ken_login cookie" "Set-Cookie: ken_login="
FORM_CSRF=$(grep -o 'name="csrf" value="[^"]*"' "$BODY" | sed 's/.*value="//; s/"$//')
expect_eq "form CSRF token equals the ken_login cookie" "$FORM_CSRF" \
    "$(awk '$6 == "ken_login" {print $7}' "$JAR")"


# CSRF on the sign-in form itself: the token must match the cookie.
http POST /login -b "$JAR" --data-urlencode "login=mara" --data-urlencode "password=$PW" \
    --data-urlencode "csrf=not-the-token"
expect_status "sign-in with a forged token is refused" 403
expect_not_contains "no session after a forged token" "ken_session=" "$HEADERS"
http POST /login --data-urlencode "login=mara" --data-urlencode "password=$PW" \
    --data-urlencode "csrf=$FORM_CSRF"
expect_status "sign-in without the ken_login cookie is refused" 403

# Wrong passwords and unknown people get the same answer.
login mara "wrong-password-123" "$JAR"
expect_status "wrong password" 401
expect_contains "wrong password says so" "do not match"
expect_contains "the form keeps the login typed" 'value="mara"'
expect_not_contains "no session cookie for a wrong password" "ken_session=" "$HEADERS"
login nobody-here "wrong-password-123" "$JAR"
expect_status "unknown login" 401
expect_contains "unknown login gets the same message" "do not match"
login mara "" "$JAR"
expect_status "empty password" 400
login '"><script>alert(1)</script>' "wrong-password-123" "$JAR"
expect_not_contains "a hostile login comes back escaped" '"><script>alert(1)'
expect_contains "the hostile login is shown as text" '&quot;&gt;&lt;script&gt;'

# The right password: a session cookie that scripts cannot read, and back to where we were going.
login mara "$PW" "$JAR" /wiki/handbook/welcome
expect_status "sign-in succeeds" 303
expect_header "sign-in returns to next" "Location: /wiki/handbook/welcome"
COOKIE=$(grep -i '^Set-Cookie: ken_session=' "$HEADERS" | tr -d '\r')
expect_contains "session cookie is HttpOnly" "HttpOnly" <(echo "$COOKIE")
expect_contains "session cookie is SameSite=Lax" "SameSite=Lax" <(echo "$COOKIE")
expect_contains "session cookie is for the whole site" "Path=/" <(echo "$COOKIE")
expect_not_contains "no Secure flag over plain http" "Secure" <(echo "$COOKIE")
http GET /wiki/handbook/welcome -b "$JAR"
expect_status "signed-in page view" 200
expect_contains "page shows who is signed in" "Mara Okafor"
expect_contains "page has a Sign out form" "Sign out"

# `next` never leaves ken, however it is spelled.
for next in //evil.example 'https://evil.example/' '/\evil.example' '/\/evil.example' \
    $'/\t/evil.example' 'evil.example' '//evil.example/%2e%2e'; do
    login mara "$PW" "$TMP/n.jar" "$next"
    expect_status "sign-in with next=$next" 303
    expect_header "next=$next stays on ken" "Location: /"
    loc=$(header_of Location)
    case "$loc" in //* | *evil*) fail "next=$next must not redirect off-site" "Location: $loc" ;; *) pass ;; esac
done
http GET "/login?next=//evil.example"
expect_contains "sign-in form drops an off-site next" 'name="next" value="/"'

# ...but does keep the query of a local address: a bookmarked list survives signing in.
http GET "/pages?space=handbook"
LOC=$(header_of Location)
http GET "$LOC" -c "$TMP/q.jar"
NEXT=$(grep -o 'name="next" value="[^"]*"' "$BODY" | sed 's/.*value="//; s/"$//; s/&amp;/\&/g')
login mara "$PW" "$TMP/q.jar" "$NEXT"
expect_header "sign-in returns to the list asked for, query included (via $LOC)" \
    "Location: /pages?space=handbook"

# Signing out needs the session's CSRF token, and kills that session only.
login mara "$PW" "$TMP/laptop.jar"
cp "$JAR" "$TMP/stolen.jar"
CSRF=$(csrf_of "$JAR")
expect_eq "pages carry a 43-character CSRF token" 43 "${#CSRF}"
http POST /logout -b "$JAR"
expect_status "sign-out without the CSRF token is refused" 403
http POST /logout -b "$JAR" --data-urlencode "csrf=x$CSRF"
expect_status "sign-out with a wrong CSRF token is refused" 403
http GET / -b "$JAR"
expect_status "still signed in after refused sign-outs" 200
http POST /logout -b "$JAR" -c "$JAR" --data-urlencode "csrf=$CSRF"
expect_status "sign-out" 303
expect_header "sign-out goes to the sign-in page" "Location: /login"
expect_header "sign-out clears the cookie" "Set-Cookie: ken_session=;"
http GET / -b "$TMP/stolen.jar"
expect_status "a copied session cookie stops working after sign-out" 303
expect_header "and leads to sign-in" "Location: /login"
http GET / -b "$TMP/laptop.jar"
expect_status "mara's other session is still signed in" 200

# Throttling: after 10 failures for one login, even the right password waits.
for i in $(seq 1 10); do login gareth "wrong-password-$i"; done
expect_status "10th wrong password is still just wrong" 401
login gareth "$PW"
expect_status "11th attempt is throttled" 429
expect_contains "throttle explains itself" "Too many failed sign-ins"
expect_not_contains "no session while throttled" "ken_session=" "$HEADERS"
login kofi "$PW"
expect_status "another person can still sign in" 303

# Throttling per address: 30 failures from one address within 15 minutes, whatever the logins,
# lock everyone at that address out for the rest of the window.
for i in $(seq 1 30); do
    login "guess-$i" "wrong-password-$i"
    [ "$STATUS" = 429 ] && break
done
expect_status "guessing many logins from one address gets throttled" 429
login kofi "$PW"
expect_status "then even a right password from that address waits" 429
