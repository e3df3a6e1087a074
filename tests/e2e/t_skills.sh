#!/usr/bin/env bash
# Skills: people declare skills with a level on their profiles (aliases resolve, new names wait
# for an admin's review), colleagues endorse them once and may withdraw, admins curate and merge,
# skill pages list people by level, page tags link to skills, and the JSON API does the same.
. "$(dirname "$0")/lib.sh" "$@"
init_demo
start_server
for who in daniel priya ewan mara gareth fiona; do login "$who" "$PW"; done
DANIEL=$TMP/daniel.jar PRIYA=$TMP/priya.jar EWAN=$TMP/ewan.jar ADMIN=$TMP/mara.jar
VIEWER=$TMP/gareth.jar HR=$TMP/fiona.jar
T_DANIEL=$("$KEN" token add daniel --db "$DB")
T_PRIYA=$("$KEN" token add priya --db "$DB")
T_VIEWER=$("$KEN" token add gareth --db "$DB")
T_ADMIN=$("$KEN" token add mara --db "$DB")
api() { # api METHOD PATH TOKEN [JSON BODY]
    local m=$1 p=$2 t=$3
    shift 3
    http "$m" "$p" -H "Authorization: Bearer $t" ${1+-H "Content-Type: application/json" --data-binary "$1"}
}
# people_at SLUG LEVEL: the logins listed at LEVEL on /api/skills/SLUG, space-separated
people_at() {
    api GET "/api/skills/$1" "$T_PRIYA"
    json "$BODY" "[\"people\"][\"$2\"]" | python3 -c 'import json,sys; print(" ".join(p["login"] for p in json.load(sys.stdin)))'
}
# endorsements_of SLUG LOGIN: LOGIN's endorsement count for the skill (from /api/skills/SLUG)
endorsements_of() {
    api GET "/api/skills/$1" "$T_PRIYA"
    python3 -c 'import json,sys
d = json.load(open(sys.argv[1]))
print(sum(p["endorsements"] for ps in d["people"].values() for p in ps if p["login"] == sys.argv[2]))' "$BODY" "$2"
}

# The demo comes with a curated taxonomy, people's skills and endorsements among colleagues.
http GET /skills -b "$DANIEL"
expect_status "the skills directory" 200
expect_contains "skills are listed by category" "<h2>Platform and infrastructure</h2>"
expect_contains "aliases are listed" "k8s"
expect_not_contains "only admins get the review list" 'id="review"'
api GET /api/skills "$T_DANIEL"
expect_status "GET /api/skills" 200
expect_eq "Kubernetes has the alias k8s and a category" '["k8s", "kube"] Platform and infrastructure' \
    "$(python3 -c 'import json,sys
k = [s for s in json.load(open(sys.argv[1]))["skills"] if s["name"] == "Kubernetes"][0]
print(json.dumps(k["aliases"]), k["category"])' "$BODY")"
http GET /people/priya -b "$DANIEL"
expect_status "a demo profile" 200
expect_contains "the profile shows skills by level" '<h3 class="level-expert">Expert</h3>'
expect_contains "demo skills have endorsements" 'endorsement'

# Adding skills with levels on one's own profile; an alias attaches the canonical skill.
post_form "$DANIEL" /people/daniel/skills action=add skill=Rust level=expert years=4
expect_status "daniel adds Rust" 303
expect_header "back to the profile, saying what was added" "Location: /people/daniel?skill_added=rust#skills"
post_form "$DANIEL" /people/daniel/skills action=add skill=k8s level=learning
expect_status "daniel types k8s" 303
expect_header "k8s attached Kubernetes" "Location: /people/daniel?skill_added=kubernetes#skills"
http GET "/people/daniel?skill_added=kubernetes" -b "$DANIEL"
expect_contains "the profile says what was saved" "Saved Kubernetes."
expect_contains "Kubernetes is on daniel's profile" 'href="/skills/kubernetes">Kubernetes</a>'
expect_contains "with the years given" "4 years"
expect_contains "the owner gets the add form with suggestions" 'data-suggest="/api/skills/suggest"'
expect_contains "skills.js is loaded from a file" '<script src="/static/skills.js" defer></script>'
expect_eq "daniel is a Kubernetes learner" daniel "$(people_at kubernetes learning)"
post_form "$DANIEL" /people/daniel/skills action=add skill=rust level=guru
expect_status "a level that does not exist" 400
expect_contains "the refusal names the levels" "learning, practised or expert"
post_form "$DANIEL" /people/daniel/skills action=add skill=Rust level=expert years=200
expect_status "years out of range" 400

# A new name is added unreviewed and waits in the admins' review list.
post_form "$DANIEL" /people/daniel/skills action=add "skill=Quantum knitting" level=practised
expect_status "daniel adds a skill nobody has" 303
expect_header "the profile is told it is new" "Location: /people/daniel?skill_added=quantum-knitting&skill_new=1#skills"
http GET "/people/daniel?skill_added=quantum-knitting&skill_new=1" -b "$DANIEL"
expect_contains "the person learns an admin will review it" "an admin will review it"
http GET /skills -b "$ADMIN"
expect_contains "admins get the review list" 'id="review"'
expect_contains "the new skill is to review" '<td><a href="/skills/quantum-knitting">Quantum knitting</a></td><td>1</td>'
api GET /api/skills/quantum-knitting "$T_DANIEL"
expect_eq "the API says it is not reviewed" false "$(json "$BODY" '["reviewed"]')"

# Suggestions: canonical names for a name or alias prefix, case-insensitive, at most 10.
api GET "/api/skills/suggest?q=K8" "$T_DANIEL"
expect_status "suggest" 200
expect_eq "k8 suggests Kubernetes through its alias" "Kubernetes k8s" \
    "$(json "$BODY" '["skills"][0]["name"] + " " + d["skills"][0]["alias"]')"
api GET "/api/skills/suggest?q=postg" "$T_DANIEL"
expect_eq "a name prefix" PostgreSQL "$(json "$BODY" '["skills"][0]["name"]')"
api GET "/api/skills/suggest?q=p" "$T_DANIEL"
expect_eq "at most 10 suggestions" true "$(json "$BODY" '["skills"].__len__() <= 10')"
expect_eq "p has suggestions" true "$(json "$BODY" '["skills"].__len__() > 3')"
api GET "/api/skills/suggest?q=zzzz" "$T_DANIEL"
expect_eq "nothing matches zzzz" 0 "$(json "$BODY" '["skills"].__len__()')"
api GET /api/skills/suggest "$T_DANIEL"
expect_status "suggest without q" 400

# Endorsements: once each, withdrawable, never for oneself, only for declared skills.
post_form "$PRIYA" /people/daniel/endorse skill=rust on=1
expect_status "priya endorses daniel's Rust" 303
post_form "$PRIYA" /people/daniel/endorse skill=Rust on=1
expect_status "priya endorses it again" 303
expect_eq "a second endorsement does not count twice" 1 "$(endorsements_of rust daniel)"
http GET /people/daniel -b "$PRIYA"
expect_contains "the profile counts the endorsement" "1 endorsement<"
expect_contains "and says who endorsed" 'by <a href="/people/priya">Priya Raman</a>'
expect_contains "priya is offered to withdraw" ">Withdraw</button>"
http GET /people/daniel -b "$EWAN"
expect_contains "others are offered to endorse" ">Endorse</button>"
post_form "$EWAN" /people/daniel/endorse skill=rust on=1
expect_eq "ewan's endorsement adds one" 2 "$(endorsements_of rust daniel)"
post_form "$PRIYA" /people/daniel/endorse skill=rust on=0
expect_status "priya withdraws" 303
expect_eq "the withdrawal is counted" 1 "$(endorsements_of rust daniel)"
post_form "$DANIEL" /people/daniel/endorse skill=rust on=1
expect_status "daniel endorses himself" 400
expect_contains "the refusal says why" "cannot endorse your own skills"
post_form "$PRIYA" /people/daniel/endorse skill=Weaving on=1
expect_status "endorsing a skill daniel has not declared" 400
expect_contains "the refusal says it is not declared" "not among theirs"
post_form "$PRIYA" /people/daniel/endorse skill=rust on=maybe
expect_status "on must be 1 or 0" 400
post_form "$PRIYA" /people/nobody-here/endorse skill=rust on=1
expect_status "endorsing someone who does not exist" 404

# Who may change whose skills, and the CSRF check.
post_form "$VIEWER" /people/daniel/skills action=add skill=Go level=expert
expect_status "a viewer adding a skill to someone else" 403
api POST /api/people/daniel/skills "$T_VIEWER" '{"skill":"Go","level":"expert"}'
expect_status "a viewer's token adding to someone else" 403
post_form "$PRIYA" /people/daniel/skills action=remove skill=rust
expect_status "an editor removing someone else's skill" 403
post_form "$VIEWER" /people/gareth/skills action=add skill=Weaving level=practised
expect_status "a viewer adds to their own profile" 303
post_form "$HR" /people/daniel/skills action=add skill=Interviewing level=expert
expect_status "HR may edit anyone's skills" 303
http POST /people/daniel/skills -b "$DANIEL" -d "action=add&skill=Go&level=expert"
expect_status "a skill form without the CSRF token" 403
http POST /people/daniel/endorse -b "$PRIYA" -d "skill=rust&on=1"
expect_status "an endorsement without the CSRF token" 403
http POST /api/people/daniel/skills -b "$DANIEL" -H "Content-Type: application/json" \
    --data-binary '{"skill":"Go","level":"expert"}'
expect_status "an API call with a session cookie but no X-CSRF-Token" 403
http GET /people/daniel -b "$VIEWER"
expect_not_contains "viewers get no add form on others' profiles" 'action="/people/daniel/skills"'

# Merge: people, the higher level and endorsements (no duplicates) move; the name becomes an alias.
post_form "$EWAN" /people/ewan/skills action=add skill=Kubernets level=expert
expect_status "ewan types a misspelt skill" 303
post_form "$DANIEL" /people/daniel/skills action=add skill=Kubernets level=expert
post_form "$PRIYA" /people/ewan/endorse skill=kubernets on=1
post_form "$PRIYA" /people/daniel/endorse skill=kubernets on=1
post_form "$PRIYA" /people/daniel/endorse skill=kubernetes on=1
post_form "$DANIEL" /skills/kubernets action=merge into=k8s
expect_status "only admins merge" 403
post_form "$ADMIN" /skills/kubernets action=merge into=k8s
expect_status "the admin merges Kubernets into k8s" 303
expect_header "to the surviving skill" "Location: /skills/kubernetes"
expect_eq "ewan moved to Kubernetes, as expert" True \
    "$(people_at kubernetes expert | python3 -c 'import sys; print("ewan" in sys.stdin.read().split())')"
expect_eq "daniel keeps the higher level" True \
    "$(people_at kubernetes expert | python3 -c 'import sys; print("daniel" in sys.stdin.read().split())')"
expect_eq "and is no longer a learner" "" "$(people_at kubernetes learning)"
expect_eq "ewan's endorsement moved" 1 "$(endorsements_of kubernetes ewan)"
expect_eq "priya's two endorsements of daniel became one" 1 "$(endorsements_of kubernetes daniel)"
api GET /api/skills/kubernets "$T_DANIEL"
expect_eq "the old name finds Kubernetes" Kubernetes "$(json "$BODY" '["name"]')"
expect_eq "the old name is an alias" true "$(json "$BODY" '["aliases"].__contains__("Kubernets")')"
http GET /skills/kubernets -b "$DANIEL"
expect_status "the old skill page sends to the new one" 303
expect_header "the new skill page" "Location: /skills/kubernetes"
api POST /api/skills/merge "$T_DANIEL" '{"from":"Quantum knitting","into":"Weaving"}'
expect_status "merging through the API needs an admin" 403
api POST /api/skills/merge "$T_ADMIN" '{"from":"Quantum knitting","into":"weaving"}'
expect_status "the admin merges through the API" 200
expect_eq "the answer names what was merged" "Quantum knitting" "$(json "$BODY" '["merged"]')"
expect_eq "and where it went" "Weaving" "$(json "$BODY" '["skill"]["name"]')"
expect_eq "daniel practises weaving now" True \
    "$(people_at weaving practised | python3 -c 'import sys; print("daniel" in sys.stdin.read().split())')"
api POST /api/skills/merge "$T_ADMIN" '{"from":"weaving","into":"Weaving"}'
expect_status "merging a skill into itself" 400
api POST /api/skills/merge "$T_ADMIN" '{"from":"no such thing","into":"Weaving"}'
expect_status "merging an unknown skill" 404

# The skill page: name, aliases, category, people by level, pages tagged with it.
http GET /skills/kubernetes -b "$DANIEL"
expect_status "the Kubernetes page" 200
expect_contains "its category" "Platform and infrastructure"
expect_contains "its aliases" '<span class="alias">k8s</span>'
expect_eq "levels come expert first, with the people under their level" \
    "Expert callum daniel ewan Practised priya liam" \
    "$(python3 -c 'import re,sys
html = open(sys.argv[1]).read()
html = html[html.index("Who knows it"):html.index("Pages about it")]
out = []
for m in re.finditer(r"<h3 class=\"level-\w+\">(\w+)|href=\"/people/(\w+)\"", html):
    out.append(m.group(1) or m.group(2))
print(" ".join(out))' "$BODY")"
expect_contains "pages tagged with the skill" 'href="/wiki/engineering/platform/kubernetes-deploy"'

# Page tags are the same vocabulary: a page tagged "postgres" links to the PostgreSQL skill.
api PUT /api/pages/engineering/db-notes "$T_PRIYA" \
    '{"title":"Database notes","markdown":"Notes.","tags":["postgres","notes"],"base_revision":0}'
expect_status "a page tagged postgres" 201
http GET /wiki/engineering/db-notes -b "$DANIEL"
expect_contains "the postgres tag links to the PostgreSQL skill page" 'href="/skills/postgresql"'
expect_eq "only the tag that names a skill gets the link" 1 "$(grep -o 'class="tag-skill"' "$BODY" | wc -l | tr -d ' ')"
http GET /skills/postgresql -b "$DANIEL"
expect_contains "the skill page lists the page tagged with its alias" 'href="/wiki/engineering/db-notes"'

# Curation by admins: rename (the old name stays an alias), category, aliases, review.
post_form "$ADMIN" /skills/rust action=rename "name=Rust language"
expect_status "rename" 303
expect_header "to the renamed skill" "Location: /skills/rust-language"
api GET /api/skills/rust "$T_DANIEL"
expect_eq "the old name still finds it" "Rust language" "$(json "$BODY" '["name"]')"
post_form "$ADMIN" /skills/rust-language action=alias_add alias=rustlang
expect_status "add an alias" 303
post_form "$ADMIN" /skills/rust-language action=alias_add alias=k8s
expect_status "an alias another skill has" 409
post_form "$ADMIN" /skills/rust-language action=category "category=Systems programming"
expect_status "set the category" 303
api GET /api/skills/rustlang "$T_DANIEL"
expect_eq "the new alias and category" "Rust language Systems programming" \
    "$(json "$BODY" '["name"] + " " + d["category"]')"
post_form "$ADMIN" /skills/rust-language action=alias_remove alias=rustlang
expect_status "remove an alias" 303
post_form "$DANIEL" /people/daniel/skills action=add skill=Haskell level=learning
post_form "$ADMIN" /skills/haskell action=review on=1 back=/skills
expect_status "mark reviewed" 303
expect_header "back to the list" "Location: /skills"
http GET /skills -b "$ADMIN"
expect_not_contains "a reviewed skill leaves the review list" '<td><a href="/skills/haskell">Haskell</a></td><td>1</td>'
post_form "$ADMIN" /skills "name=Elixir" "category=Programming"
expect_status "admins add a skill" 303
post_form "$ADMIN" /skills "name=ELIXIR"
expect_status "a name that is taken" 409
post_form "$DANIEL" /skills/rust-language action=alias_add alias=oxide
expect_status "editors do not curate" 403

# The API for a person's skills and endorsements.
api POST /api/people/daniel/skills "$T_DANIEL" '{"skill":"golang","level":"practised","years":2}'
expect_status "declare through the API" 201
expect_eq "golang is Go" "Go practised 2 False" \
    "$(json "$BODY" '["skill"]["name"] + " " + d["level"] + " " + str(d["years"]) + " " + str(d["created_skill"])')"
api POST /api/people/daniel/skills "$T_DANIEL" '{"skill":"Go","level":3}'
expect_status "update through the API" 200
expect_eq "the level changed, the years stayed" "expert 2" "$(json "$BODY" '["level"] + " " + str(d["years"])')"
api POST /api/people/daniel/skills "$T_DANIEL" '{"skill":"Go","level":"expert","years":"two"}'
expect_status "years must be a number" 400
api POST /api/people/daniel/endorsements/golang "$T_PRIYA"
expect_status "endorse through the API" 200
expect_eq "endorsed once" "True 1" "$(json "$BODY" '["endorsed"].__str__() + " " + str(d["endorsements"])')"
api POST /api/people/daniel/endorsements/go "$T_PRIYA"
expect_eq "still once" 1 "$(json "$BODY" '["endorsements"]')"
api DELETE /api/people/daniel/endorsements/go "$T_PRIYA"
expect_eq "withdrawn through the API" "False 0" "$(json "$BODY" '["endorsed"].__str__() + " " + str(d["endorsements"])')"
api POST /api/people/daniel/endorsements/go "$T_DANIEL"
expect_status "no endorsing yourself through the API" 400
api DELETE /api/people/daniel/skills/golang "$T_DANIEL"
expect_status "remove through the API" 200
expect_eq "the answer names the skill" Go "$(json "$BODY" '["removed"]')"
api DELETE /api/people/daniel/skills/go "$T_DANIEL"
expect_status "removing it again" 404
api DELETE /api/people/daniel/skills/go "$T_VIEWER"
expect_status "a viewer removing someone's skill" 403
api GET /api/skills/no-such-skill "$T_DANIEL"
expect_status "an unknown skill" 404

# Removing a skill on the profile.
post_form "$DANIEL" /people/daniel/skills action=remove skill=rust-language
expect_status "daniel removes Rust" 303
http GET /people/daniel -b "$DANIEL"
expect_not_contains "Rust is gone from the profile" 'href="/skills/rust-language"'

# The other profile forms still reach the profile's own handler.
post_form "$DANIEL" /people/daniel/nothing-here
expect_status "an unknown profile action" 404
