# E-mail notifications: off by default; an admin turns them on with the settings form; an
# endorsement, a routed question, a mention and an answer reach the right people at a local SMTP
# sink with the right headers, subject and link; opting out of a kind stops it; a message waits
# in the queue while the SMTP server is down and goes when it is back, and is given up after its
# last retry; the test e-mail button; STARTTLS required; nothing a person types can add a
# header; ken stops promptly on SIGTERM while an SMTP server hangs.
. "$(dirname "$0")/lib.sh" "$@"

FIXTURES=$(cd "$(dirname "$0")/fixtures" && pwd)
MAIL=$TMP/mail
SINK_PID='' SINK_PORT=$(free_port) TARPIT_PID=''
mkdir -p "$MAIL"
trap 'rc=$?; for p in $SINK_PID $TARPIT_PID; do kill "$p" 2>/dev/null; done; (exit $rc); finish' EXIT

# start_sink: the SMTP sink on SINK_PORT, writing to $MAIL; waits until it answers.
start_sink() {
    python3 "$FIXTURES/smtp_sink.py" --port "$SINK_PORT" --dir "$MAIL" 2>>"$TMP/sink.err" &
    SINK_PID=$!
    python3 -c 'import socket, sys, time
for _ in range(100):
    try:
        socket.create_connection(("127.0.0.1", int(sys.argv[1])), 1).close(); sys.exit(0)
    except OSError: time.sleep(0.1)
sys.exit(1)' "$SINK_PORT" || { echo "the SMTP sink did not start"; cat "$TMP/sink.err"; exit 1; }
}
stop_sink() { kill "$SINK_PID"; wait "$SINK_PID" 2>/dev/null; SINK_PID=''; }
mail_count() { find "$MAIL" -name '*.eml' | wc -l; }
# wait_mail N: waits up to 30 s until the sink holds N messages.
wait_mail() {
    local i
    for i in $(seq 1 300); do [ "$(mail_count)" -ge "$1" ] && return 0; sleep 0.1; done
    return 1
}
# find_mail RCPT SUBJECT-PART: prints the newest message's file for RCPT whose decoded subject
# contains SUBJECT-PART ("" when none).
find_mail() {
    python3 - "$MAIL" "$1" "$2" <<'EOF'
import email, email.policy, glob, json, sys
for f in sorted(glob.glob(sys.argv[1] + "/*.eml"), reverse=True):
    env = json.load(open(f[:-4] + ".json"))
    msg = email.message_from_bytes(open(f, "rb").read(), policy=email.policy.default)
    if sys.argv[2] in env["rcpt"] and sys.argv[3] in str(msg["Subject"]):
        print(f); break
EOF
}
# await_mail RCPT SUBJECT-PART: waits up to 30 s for such a message; sets F to its file ("" if
# none came).
await_mail() {
    local i
    F=
    for i in $(seq 1 150); do
        F=$(find_mail "$1" "$2")
        [ -n "$F" ] && return 0
        sleep 0.2
    done
}
# read_mail FILE: writes what a person and their mail program see to $TMP/seen: the envelope,
# each header as "Name: decoded value", a line "BODY:", then the decoded body.
read_mail() {
    python3 - "$1" >"$TMP/seen" <<'EOF'
import email, email.policy, json, sys
f = sys.argv[1]
env = json.load(open(f[:-4] + ".json"))
raw = open(f, "rb").read()
msg = email.message_from_bytes(raw, policy=email.policy.default)
print("Envelope-From: %s\nEnvelope-To: %s" % (env["mail_from"], ",".join(env["rcpt"])))
print("Header-Names: %s" % ",".join(msg.keys()))
print("CRLF-only: %s" % (raw.count(b"\n") == raw.count(b"\r\n")))
for k, v in msg.items():
    print("%s: %s" % (k, v))
print("BODY:")
print(msg.get_content())
EOF
}
metric() { http GET /metrics -H "Authorization: Bearer $ADMIN_TOKEN"; sed -n "s/^$1 //p" "$BODY"; }
# metric_becomes NAME VALUE: prints the metric once it has VALUE, or its value after 5 s (the
# sender records a message a moment after the SMTP server took it).
metric_becomes() {
    local i v
    for i in $(seq 1 50); do v=$(metric "$1"); [ "$v" = "$2" ] && break; sleep 0.1; done
    echo "$v"
}
# admin_page_until TEXT: reloads /admin until it shows TEXT (up to 20 s).
admin_page_until() {
    local i
    for i in $(seq 1 100); do
        http GET /admin -b "$ADMIN"
        grep -qF -- "$1" "$BODY" && return 0
        sleep 0.2
    done
    return 1
}
# endorse JAR LOGIN SKILL: a fresh endorsement (withdrawn first, so it is new).
endorse() {
    post_form "$1" "/people/$2/endorse" "skill=$3" on=0
    post_form "$1" "/people/$2/endorse" "skill=$3" on=1
}
mail_settings() { # mail_settings EXTRA-FIELDS...: saves the sink as the SMTP server, e-mail on
    post_form "$ADMIN" /admin/mail enabled=1 "smtp_url=smtp://127.0.0.1:$SINK_PORT" \
        from=ken@northwindloom.example public_url=https://ken.northwindloom.example/ "$@"
}

init_demo
export KEN_MAIL_RETRY_SCALE=0.01 # retries after 0.6 s, 3 s, 18 s, 72 s
start_server
start_sink
ADMIN_TOKEN=$("$KEN" token add mara --db "$DB")
WEI=(-H "Authorization: Bearer $("$KEN" token add wei --db "$DB")")
for who in mara priya callum nadia wei; do login "$who" "$PW"; done
ADMIN=$TMP/mara.jar

# ---- off by default: nothing is queued or sent
http GET /admin -b "$ADMIN"
expect_contains "the admin page says e-mail is off" "E-mail is off: ken sends nothing"
endorse "$TMP/callum.jar" priya postgresql
expect_status "callum endorses priya with mail off" 303
sleep 1.5
expect_eq "with e-mail off nothing reaches the SMTP server" 0 "$(mail_count)"
expect_eq "and nothing is queued" 0 "$(metric ken_mail_queued)"
expect_eq "ken_mail_sent_total starts at 0" 0 "$(metric ken_mail_sent_total)"
http GET /inbox -b "$TMP/priya.jar"
expect_not_contains "the inbox offers no e-mail choices while e-mail is off" 'action="/inbox/email"'

# ---- the settings form: admins only, CSRF, checked values, the password never shown
http POST /admin/mail -b "$ADMIN" --data-urlencode enabled=1 \
    --data-urlencode "smtp_url=smtp://127.0.0.1:$SINK_PORT"
expect_status "saving e-mail settings without the CSRF token is refused" 403
post_form "$TMP/priya.jar" /admin/mail enabled=1 "smtp_url=smtp://127.0.0.1:$SINK_PORT"
expect_status "an editor may not change e-mail settings" 403
mail_settings smtp_url=http://127.0.0.1:25
expect_status "an http:// SMTP server is refused" 400
expect_contains "with what it should look like" "smtp://mail.example.com:587"
mail_settings "smtp_url=smtp://bob:pw@127.0.0.1:$SINK_PORT"
expect_status "credentials inside the SMTP address are refused" 400
mail_settings from='ken@example.com>, eve@evil.example'
expect_status "a From address that is not one address is refused" 400
post_form "$ADMIN" /admin/mail enabled=1 "smtp_url=smtp://127.0.0.1:$SINK_PORT"
expect_status "turning e-mail on without a From address is refused" 400
mail_settings username=kenbot 'password=correct horse battery'
expect_status "an admin saves the e-mail settings" 303
expect_header "and goes back to them" "Location: /admin#email"
http GET /admin -b "$ADMIN"
expect_contains "the page shows e-mail on" "ken e-mails people about what lands in their inbox"
expect_contains "the SMTP server is shown" "smtp://127.0.0.1:$SINK_PORT"
expect_contains "ken's address is kept without its trailing slash" 'value="https://ken.northwindloom.example"'
expect_contains "the page says a password is saved" "saved; leave empty to keep it"
expect_not_contains "the password itself is never sent back" "correct horse"
mail_settings username=kenbot
http GET /admin -b "$ADMIN"
expect_contains "saving with an empty password field keeps the password" "saved; leave empty to keep it"
mail_settings clear_password=1
http GET /admin -b "$ADMIN"
expect_not_contains "forget the password" "saved; leave empty to keep it"

# ---- an endorsement reaches the person endorsed
endorse "$TMP/callum.jar" priya postgresql
wait_mail 1
expect_eq "an endorsement with e-mail on sends one message" 1 "$(mail_count)"
F=$(find_mail priya@northwindloom.example "endorsed you")
expect_eq "to priya's address, about the endorsement" "$MAIL/0001.eml" "$F"
read_mail "$F"
SEEN=$TMP/seen
expect_contains "the envelope recipient is priya" "Envelope-To: priya@northwindloom.example" "$SEEN"
expect_contains "the envelope sender is the From address" "Envelope-From: ken@northwindloom.example" "$SEEN"
expect_contains "To names her" "To: Priya Raman <priya@northwindloom.example>" "$SEEN"
expect_contains "From is ken" "From: ken <ken@northwindloom.example>" "$SEEN"
expect_contains "the subject says who endorsed what" "Subject: Callum Reid endorsed you for PostgreSQL" "$SEEN"
expect_contains "a Date header" "Date: " "$SEEN"
expect_contains "a Message-ID in the sender's domain" "@northwindloom.example>" "$SEEN"
expect_contains "MIME-Version" "MIME-Version: 1.0" "$SEEN"
expect_contains "plain text in UTF-8" "Content-Type: text/plain; charset=utf-8" "$F"
expect_contains "quoted-printable" "Content-Transfer-Encoding: quoted-printable" "$SEEN"
expect_contains "every line ends with CRLF" "CRLF-only: True" "$SEEN"
expect_contains "the body links to her profile" "https://ken.northwindloom.example/people/priya" "$SEEN"
expect_contains "and to her e-mail choices" "Choose which e-mails ken sends you: https://ken.northwindloom.example/inbox#email" "$SEEN"
expect_eq "ken_mail_sent_total counts it" 1 "$(metric_becomes ken_mail_sent_total 1)"
post_form "$TMP/callum.jar" /people/priya/endorse skill=postgresql on=1
expect_status "endorsing again what is already endorsed" 303

# ---- a question: ken asks the experts (routed) and tells whoever is mentioned
TITLE="How do I set up postgres replication für die Berichte?"
http POST /api/questions "${WEI[@]}" -d "{\"title\":\"$TITLE\",\"markdown\":\"Month-end reports should run off a replica. @nadia knows the reports.\",\"tags\":[\"postgresql\"]}"
expect_status "wei asks a question" 201
QID=$(json "$BODY" '["id"]')
FIRST=$(json "$BODY" '["asked"][0]["login"]')
expect_eq "ken asks priya first" priya "$FIRST"
await_mail priya@northwindloom.example "ken asks you"
expect_eq "priya gets an e-mail that ken asks her" "$MAIL/" "${F%????.eml}"
read_mail "$F"
expect_contains "its subject is the question's title, non-ASCII and all" "Subject: ken asks you: $TITLE" "$SEEN"
expect_contains "encoded as RFC 2047 in the raw header" "Subject: =?UTF-8?B?" "$F"
expect_contains "it links to the question" "Answer it here: https://ken.northwindloom.example/questions/$QID" "$SEEN"
expect_contains "and says why her" "Why you: wrote part of" "$SEEN"
await_mail nadia@northwindloom.example "mentioned you"
expect_contains "nadia is told of her mention" "nadia@northwindloom.example" "${F%.eml}.json"
[ -n "$F" ] && read_mail "$F"
expect_contains "with who mentioned her in the subject" "Subject: Wei Zhang mentioned you: $TITLE" "$SEEN"
expect_eq "no e-mail goes to the asker about their own question" "" "$(find_mail wei@northwindloom.example "$TITLE")"

# ---- an answer that is a lone dot: libcurl dot-stuffs it, so the message arrives whole
N=$(mail_count)
post_form "$TMP/priya.jar" "/questions/$QID/answers" "markdown=."
expect_status "priya answers" 303
await_mail wei@northwindloom.example "New answer"
expect_eq "the asker gets an e-mail about the answer" "$MAIL/" "${F%????.eml}"
[ -n "$F" ] && read_mail "$F"
expect_contains "a line holding only a dot arrives as a dot" "$(printf '"%s":\n\n.\n\nRead it:' "$TITLE")" "$SEEN"
expect_contains "and the rest of the message after it" "Choose which e-mails ken sends you" "$SEEN"

# ---- opting out of a kind
http GET /inbox -b "$TMP/priya.jar"
expect_contains "the inbox offers e-mail choices" 'action="/inbox/email"'
expect_contains "each kind ticked to begin with" 'name="kind" value="endorsement" checked'
expect_contains "with her address" "ken e-mails priya@northwindloom.example"
post_form "$TMP/priya.jar" /inbox/email kind=routed kind=answer kind=comment kind=mention \
    kind=accepted kind=page
expect_status "priya turns off endorsement e-mails" 303
http GET /inbox -b "$TMP/priya.jar"
expect_contains "the box is no longer ticked" 'name="kind" value="endorsement"> '
expect_contains "the others still are" 'name="kind" value="routed" checked'
post_form "$TMP/priya.jar" /inbox/email kind=everything
expect_status "an unknown kind is refused" 400
http GET /api/inbox/email -H "Authorization: Bearer $("$KEN" token add priya --db "$DB")"
expect_eq "the API shows endorsements off" false "$(json "$BODY" '["kinds"]["endorsement"]')"
expect_eq "and routed questions on" true "$(json "$BODY" '["kinds"]["routed"]')"
expect_eq "and e-mail on for the site" true "$(json "$BODY" '["enabled"]')"
http PUT /api/inbox/email "${WEI[@]}" -d '{"kinds":{"comments":false}}'
expect_status "the API refuses a kind it does not know" 400
http PUT /api/inbox/email "${WEI[@]}" -d '{"kinds":{"comment":false}}'
expect_eq "the API turns one kind off" false "$(json "$BODY" '["kinds"]["comment"]')"
N=$(mail_count)
endorse "$TMP/nadia.jar" priya kubernetes
endorse "$TMP/nadia.jar" callum kubernetes # callum has not opted out: the control
await_mail callum@northwindloom.example "Nadia"
expect_contains "callum hears of nadia's endorsement" "callum@northwindloom.example" "${F%.eml}.json"
sleep 0.5 # the queue goes in order: priya's, had it been queued, went before callum's
expect_eq "only the control message was sent" $((N + 1)) "$(mail_count)"
expect_eq "priya, who opted out, gets no endorsement e-mail from nadia" "" "$(find_mail priya@northwindloom.example "Nadia")"

# ---- nothing typed can add a header
http POST /api/questions "${WEI[@]}" -d '{"title":"Postgres?\r\nBcc: eve@evil.example","markdown":"@nadia see","tags":[]}'
expect_status "a title with CR/LF is refused" 400
N=$(mail_count)
SNEAKY="Bcc: eve@evil.example =?UTF-8?B?QmNjOiBldmVAZXZpbC5leGFtcGxl?= line sep here"
http POST /api/questions "${WEI[@]}" -d "{\"title\":\"$SNEAKY\",\"markdown\":\"@nadia please look\",\"tags\":[]}"
expect_status "a title that looks like headers is a title like any other" 201
await_mail nadia@northwindloom.example "$SNEAKY"
expect_contains "nadia's mention e-mail has it in the subject, as typed" "nadia@northwindloom.example" "${F%.eml}.json"
[ -n "$F" ] && read_mail "$F"
expect_contains "the subject reads exactly as the title" "Subject: Wei Zhang mentioned you: $SNEAKY" "$SEEN"
expect_contains "only the headers ken writes" "Header-Names: From,To,Subject,Date,Message-ID,MIME-Version,Content-Type,Content-Transfer-Encoding,Auto-Submitted" "$SEEN"
expect_not_contains "no one else is a recipient" "eve@evil.example" "${F%.eml}.json"

# ---- the SMTP server is down: the message waits, then goes
stop_sink
N=$(mail_count)
endorse "$TMP/priya.jar" callum bash
admin_page_until "will retry"
expect_contains "the admin sees it waiting" "1 waiting" 
expect_contains "with the error" "Failed to connect to 127.0.0.1"
expect_eq "ken_mail_queued shows it" 1 "$(metric ken_mail_queued)"
start_sink
await_mail callum@northwindloom.example "Priya Raman endorsed you for Bash"
expect_contains "once the SMTP server is back the message is delivered" "callum@northwindloom.example" "${F%.eml}.json"
expect_eq "exactly once" $((N + 1)) "$(mail_count)"
expect_eq "and the queue is empty" 0 "$(metric_becomes ken_mail_queued 0)"
expect_eq "ken_mail_failed_total is still 0" 0 "$(metric ken_mail_failed_total)"

# ---- the test e-mail button
N=$(mail_count)
http POST /admin/mail/test -b "$ADMIN" --data-urlencode to=mara@northwindloom.example
expect_status "the test button needs the CSRF token" 403
post_form "$ADMIN" /admin/mail/test to=not-an-address
expect_status "a test to something that is no address" 400
post_form "$ADMIN" /admin/mail/test to=mara@northwindloom.example
expect_status "the admin sends a test e-mail" 200
expect_contains "and is told it went" "ken sent a test e-mail to mara@northwindloom.example"
expect_eq "it reached the SMTP server" $((N + 1)) "$(mail_count)"
F=$(find_mail mara@northwindloom.example "ken test e-mail")
expect_contains "addressed to mara" "mara@northwindloom.example" "${F%.eml}.json"
stop_sink
post_form "$ADMIN" /admin/mail/test to=mara@northwindloom.example
expect_status "a test e-mail the server cannot take says so" 502
expect_contains "with the reason" "could not be sent through smtp://127.0.0.1:$SINK_PORT: Failed to connect"
start_sink
mail_settings starttls=1
post_form "$ADMIN" /admin/mail/test to=mara@northwindloom.example
expect_status "with STARTTLS required, a server without it is refused" 502
expect_contains "and says it is about TLS" "STARTTLS"
mail_settings

# ---- retries run out: the message is marked failed with the error
stop_server
stop_sink
KEN_MAIL_RETRY_SCALE=0.0005 start_server # retries after 30 ms, 150 ms, 0.9 s, 3.6 s
endorse "$TMP/priya.jar" mara okta
admin_page_until "gave up"
expect_contains "the admin sees the message failed" "0 waiting"
expect_contains "counted as failed" "1 failed"
expect_contains "with the last error" "Failed to connect to 127.0.0.1"
expect_eq "ken_mail_failed_total counts it" 1 "$(metric_becomes ken_mail_failed_total 1)"
expect_contains "the log says it gave up" "gave up sending mail" "$LOG"

# ---- page changes reach watchers in a digest
start_sink
N=$(mail_count)
post_form "$TMP/callum.jar" /watch kind=page target=engineering/onboarding/vpn on=1
expect_status "callum watches the VPN page" 303
stop_server
KEN_MAIL_RETRY_SCALE=0.01 start_server # digests every 3 s
http PUT /api/pages/engineering/onboarding/vpn "${WEI[@]}" -d '{"title":"VPN","markdown":"Install the VPN client, then ask @nadia for a profile."}'
expect_status "wei edits the page" 200
await_mail nadia@northwindloom.example "Wei Zhang mentioned you: VPN"
expect_contains "a mention in a page is e-mailed at once" "nadia@northwindloom.example" "${F%.eml}.json"
[ -n "$F" ] && read_mail "$F"
expect_contains "linking the page" "Read it: https://ken.northwindloom.example/wiki/engineering/onboarding/vpn" "$SEEN"
await_mail callum@northwindloom.example "Page changed: VPN"
expect_contains "a watcher hears of a change to the page" "callum@northwindloom.example" "${F%.eml}.json"
[ -n "$F" ] && read_mail "$F"
expect_contains "with a link to the change" "https://ken.northwindloom.example/diff/engineering/onboarding/vpn?from=" "$SEEN"
expect_contains "and who made it" "1 change by Wei Zhang" "$SEEN"

# ---- ken stops promptly on SIGTERM while the SMTP server hangs
TARPIT_PORT=$(free_port)
python3 -c 'import socket, sys, time
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", int(sys.argv[1]))); s.listen(5)
conns = []
while True:
    c, _ = s.accept(); conns.append(c)   # accept, then say nothing
' "$TARPIT_PORT" &
TARPIT_PID=$!
stop_sink
mail_settings "smtp_url=smtp://127.0.0.1:$TARPIT_PORT"
endorse "$TMP/priya.jar" callum prometheus
sleep 1.5
T0=$(date +%s)
stop_server
expect_eq "ken stops within 5 s though a message is being sent" 1 "$(( $(date +%s) - T0 <= 5 ))"
kill "$TARPIT_PID"; wait "$TARPIT_PID" 2>/dev/null; TARPIT_PID=''
