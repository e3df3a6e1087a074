# Admins manage accounts from /admin: create, change role, reset password, mark as left and back,
# revoke tokens. Each is a POST that needs an admin's session and its CSRF token; each leaves a
# line in the server's log; what it did shows at once (a new account can sign in, a demoted one
# cannot edit, a reset password replaces the old one, someone marked as left and their tokens
# are signed out).
. "$(dirname "$0")/lib.sh" "$@"

init_demo
start_server
login mara "$PW"
ADMIN=$TMP/mara.jar
login priya "$PW"
EDITOR=$TMP/priya.jar

http GET /admin -b "$ADMIN"
expect_status "an admin opens /admin" 200
expect_contains "/admin offers to add an account" 'action="/admin/users"'
expect_contains "/admin offers to change a role" 'action="/admin/users/role"'
expect_contains "/admin offers to reset a password" 'action="/admin/users/password"'
expect_contains "/admin offers to mark someone as left" 'action="/admin/users/left"'
expect_contains "/admin offers to revoke tokens" 'action="/admin/users/tokens"'
expect_header "/admin (which may show a password) is not cached" 'Cache-Control: no-store'

# ---- refusals: an editor, a missing CSRF token, a token that may only read
post_form "$EDITOR" /admin/users login=eve name=Eve role=editor
expect_status "an editor may not create accounts" 403
http POST /admin/users -b "$ADMIN" --data-urlencode login=eve --data-urlencode name=Eve \
    --data-urlencode role=editor
expect_status "creating an account without the CSRF token is refused" 403
expect_contains "the refusal says the form expired" "CSRF"
http POST /admin/users/role -b "$ADMIN" --data-urlencode login=priya --data-urlencode role=viewer \
    --data-urlencode csrf=not-the-token
expect_status "a wrong CSRF token is refused" 403
RO=$("$KEN" token add mara --read-only --db "$DB")
http POST /admin/users/tokens -H "Authorization: Bearer $RO" --data-urlencode login=priya
expect_status "a read-only API token may not revoke tokens" 403
http GET /admin -b "$EDITOR"
expect_status "an editor may not open /admin" 403

# ---- create
post_form "$ADMIN" /admin/users login=eve.new 'name=Eve <b>New</b>' role=viewer
expect_status "an admin adds an account" 200
expect_contains "the page says it was added" "Added eve.new (viewer)."
expect_contains "the name is escaped in the accounts list" 'Eve &lt;b&gt;New&lt;/b&gt;'
EVE_PW=$(grep -o '<code class="secret">[^<]*' "$BODY" | sed 's/.*>//')
expect_eq "a generated password of 20 characters is shown once" 20 "${#EVE_PW}"
login eve.new "$EVE_PW"
expect_status "the new account signs in with the password shown" 303
post_form "$ADMIN" /admin/users login=eve.new name=Again role=viewer
expect_status "a taken login is refused" 409
expect_contains "the refusal says why" "already taken"
post_form "$ADMIN" /admin/users 'login=Bad Login' name=X role=viewer
expect_status "a bad login is refused" 400
post_form "$ADMIN" /admin/users login=zed name=Zed role=boss
expect_status "an unknown role is refused" 400
post_form "$ADMIN" /admin/users login=zed name=Zed role=editor password=short
expect_status "a too short typed password is refused" 400
post_form "$ADMIN" /admin/users login=zed name=Zed role=editor 'password=a long passphrase'
expect_status "an account with a typed password" 200
login zed 'a long passphrase'
expect_status "it signs in with the typed password" 303
expect_logged "creating an account is in the server's log" "ken: admin mara created (viewer) eve.new" "$LOG"

# ---- role
post_form "$ADMIN" /admin/users/role login=eve.new role=editor
expect_status "changing a role redirects" 303
expect_header "back to the accounts" "Location: /admin?done=role&login=eve.new&role=editor"
http GET "/admin?done=role&login=eve.new&role=editor" -b "$ADMIN"
expect_contains "/admin says what changed" "eve.new now has the role editor."
http GET /new -b "$TMP/eve.new.jar"
expect_status "the new editor may now write pages" 200
post_form "$ADMIN" /admin/users/role login=eve.new role=viewer
http GET /new -b "$TMP/eve.new.jar"
expect_status "back to viewer, they may not" 403
post_form "$ADMIN" /admin/users/role login=mara role=viewer
expect_status "an admin cannot change their own role" 400
post_form "$ADMIN" /admin/users/role login=nobody role=viewer
expect_status "an unknown account is a 404" 404
expect_logged "role changes are in the server's log" "ken: admin mara set role viewer for eve.new" "$LOG"

# ---- reset password
post_form "$ADMIN" /admin/users/password login=eve.new
expect_status "an admin resets a password" 200
NEW_PW=$(grep -o '<code class="secret">[^<]*' "$BODY" | sed 's/.*>//')
expect_contains "the page says the person is signed out" "eve.new has a new password"
http GET /pages -b "$TMP/eve.new.jar"
expect_status "the old session ended with the reset" 303
login eve.new "$EVE_PW"
expect_status "the old password no longer works" 401
login eve.new "$NEW_PW"
expect_status "the new password works" 303

# ---- revoke tokens
TOKEN=$("$KEN" token add priya --db "$DB")
http GET /api/pages -H "Authorization: Bearer $TOKEN"
expect_status "priya's token works" 200
post_form "$ADMIN" /admin/users/tokens login=priya
expect_status "an admin revokes priya's tokens" 303
http GET /api/pages -H "Authorization: Bearer $TOKEN"
expect_status "the token no longer works" 401
http GET /pages -b "$EDITOR"
expect_status "priya's browser session ended too" 303
post_form "$ADMIN" /admin/users/tokens login=mara
expect_status "an admin cannot revoke their own session from here" 400
expect_logged "revoking is in the server's log" "ken: admin mara revoked every session and token of priya" "$LOG"

# ---- left and back
login callum "$PW"
post_form "$ADMIN" /admin/users/left login=callum left=1
expect_status "an admin marks callum as having left" 303
http GET "/admin?done=left&login=callum" -b "$ADMIN"
expect_contains "/admin says so" "callum is marked as having left"
expect_contains "the list shows it" "left "
http GET /pages -b "$TMP/callum.jar"
expect_status "callum's session ended" 303
login callum "$PW"
expect_status "callum cannot sign in" 401
post_form "$ADMIN" /admin/users/left login=callum left=1
expect_status "marking again is a conflict" 409
post_form "$ADMIN" /admin/users/left login=callum left=0
expect_status "and back" 303
login callum "$PW"
expect_status "callum signs in again" 303
post_form "$ADMIN" /admin/users/left login=mara left=1
expect_status "an admin cannot mark themselves as left" 400
expect_logged "leaving is in the server's log" "ken: admin mara marked as left callum" "$LOG"
