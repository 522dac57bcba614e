#!/usr/bin/env bash
# Fuzzes the JSON API from its description (server/src/api/openapi.json)
# with schemathesis, against a running server (the debug binary the tests
# built), as a signed-in learner, then as a trainer who runs a cohort:
# fails on any server error, and on any answer (status, content type,
# body) that the description does not allow.
set -euo pipefail
cd "$(dirname "$0")/.."

# Before 3.12.1, CPython can fail hypothesis (under schemathesis) with a
# spurious « SystemError: AST constructor recursion depth mismatch »
# (CPython issue gh-106905): the newest Python the machine has runs it.
# (on PATH, or installed by pyenv without being its current version).
python=python3
pyenv_versions=$(pyenv root 2>/dev/null || true)/versions
for candidate in python3.13 python3.12 "$pyenv_versions"/3.13*/bin/python3 "$pyenv_versions"/3.12*/bin/python3; do
  if "$candidate" -c 'import sys, venv, ensurepip; sys.exit(sys.version_info < (3, 12, 1))' 2>/dev/null; then
    python=$candidate
    break
  fi
done
version=$("$python" -c 'import sys; print("%d.%d" % sys.version_info[:2])')
venv=${SCHEMATHESIS_VENV:-target/schemathesis-$version}
# A virtual environment moved or left by another checkout does not run:
# it is made again.
if ! "$venv/bin/schemathesis" --version >/dev/null 2>&1; then
  rm -rf "$venv"
  "$python" -m venv "$venv"
  "$venv/bin/python" -m pip install -q "schemathesis==4.32.5"
fi

data=$(mktemp -d)
log="$data/server.log"
target/debug/fabrique --data-dir "$data" serve --listen 127.0.0.1:0 --content-dir content 2>"$log" &
server=$!
trap 'kill "$server" 2>/dev/null || true; rm -rf "$data"' EXIT
for _ in $(seq 1 600); do
  grep -q 'prêt sur' "$log" && break
  kill -0 "$server" || { cat "$log"; exit 1; }
  sleep 0.5
done
port=$(grep -o 'prêt sur http://127.0.0.1:[0-9]*' "$log" | grep -o '[0-9]*$')
base="http://127.0.0.1:$port"
token=$(grep -o 'jeton=[0-9a-f]*' "$log" | cut -d= -f2)

# Signs in with a JSON request; prints "<session cookie> <CSRF token>".
sign_in() {
  local path=$1 body=$2 jar
  jar=$(mktemp -p "$data")
  curl -sf -c "$jar" -H 'Content-Type: application/json' -d "$body" "$base$path" |
    python3 -c 'import json, sys; print(json.load(sys.stdin)["csrf_token"])' >"$jar.csrf"
  printf '%s %s\n' "$(awk '$6 == "fabrique_session" { print $7 }' "$jar")" "$(cat "$jar.csrf")"
}

read -r admin_session admin_csrf < <(sign_in /api/setup \
  "{\"token\": \"$token\", \"email\": \"admin@exemple.fr\", \"name\": \"Admin\", \"password\": \"un mot de passe\"}")
curl -sf -o /dev/null -b "fabrique_session=$admin_session" -H "X-CSRF-Token: $admin_csrf" \
  -H 'Content-Type: application/json' \
  -d '{"email": "formatrice@exemple.fr", "name": "Inès", "password": "un mot de passe"}' \
  "$base/api/admin/trainers"
read -r trainer_session trainer_csrf < <(sign_in /api/auth/login \
  '{"email": "formatrice@exemple.fr", "password": "un mot de passe"}')
code=$(curl -sf -b "fabrique_session=$trainer_session" -H "X-CSRF-Token: $trainer_csrf" \
  -H 'Content-Type: application/json' -d '{"name": "5e B", "tracks": ["decouverte"]}' \
  "$base/api/cohorts" | python3 -c 'import json, sys; print(json.load(sys.stdin)["join_code"])')
read -r learner_session learner_csrf < <(sign_in /api/auth/register \
  '{"email": "apprenante@exemple.fr", "name": "Awa", "password": "un mot de passe"}')
curl -sf -o /dev/null -b "fabrique_session=$learner_session" -H "X-CSRF-Token: $learner_csrf" \
  -H 'Content-Type: application/json' -d "{\"code\": \"$code\"}" "$base/api/cohorts/join"

# The ids that exist: the cohort (1), its learner Awa (3), an exercise, a
# track, an export.
cat >"$data/schemathesis.toml" <<TOML
[parameters]
id = "1"
learner = "3"
exercise = "dec-bonjour"
track = "decouverte"
file = "matrice.csv"

[[operations]]
include-path-regex = "^/api/exercises/"
parameters = { id = "dec-bonjour" }
TOML

# What would end the fuzzer's own session is left out: logging out,
# deleting one's account, changing one's password.
fuzz() {
  "$venv/bin/schemathesis" --config-file "$data/schemathesis.toml" run server/src/api/openapi.json --url "$base" \
    --header "Cookie: fabrique_session=$1" --header "X-CSRF-Token: $2" \
    --checks not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance \
    --exclude-path /api/auth/logout --exclude-path /api/me --exclude-path /api/me/password \
    --phases examples,coverage,fuzzing --max-examples 15 --workers 2 \
    --generation-database none --no-color
}
echo "-- as a learner"
fuzz "$learner_session" "$learner_csrf"
echo "-- as a trainer"
fuzz "$trainer_session" "$trainer_csrf"
