#!/usr/bin/env bash
# The command as a user installs it: `pnpm run pack`, then `npm install -g` of
# the one tarball into a temporary npm prefix (temporary npm cache and user
# config too: the machine's npm set-up is not touched), then, from a folder
# outside the repository: --version, --help, and the seed's example
# (examples/supervisor) installed and run under real supervisord; then a
# TypeScript recipe package written against the recipe API tarball, used by
# buildouts in other folders (test/install/user-recipe.sh); and a recipe package
# scaffolded by the installed command (`buildout init --recipe`), whose own tests
# pass against the CLI, engine and testing tarballs.
# .ci/run calls it; it needs Debian's supervisor.
set -euo pipefail
repo="$(cd "$(dirname "$0")/../.." && pwd)"
work="$(mktemp -d "${TMPDIR:-/tmp}/buildout-tarball-XXXXXX")"
supervisord_pid=""
cleanup() {
  if [ -n "$supervisord_pid" ] && kill -0 "$supervisord_pid" 2>/dev/null; then
    kill -TERM "$supervisord_pid" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$supervisord_pid" 2>/dev/null || break; sleep 0.2; done
    kill -KILL "$supervisord_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT
step() { printf '\n== %s\n' "$*"; }
fail() { printf 'tarball-smoke: %s\n' "$*" >&2; exit 1; }

export npm_config_cache="$work/npm-cache"
export npm_config_userconfig="$work/npmrc"
export npm_config_prefix="$work/prefix"
export npm_config_update_notifier=false npm_config_fund=false npm_config_audit=false
: >"$work/npmrc"

step "pack"
(cd "$repo" && corepack pnpm run pack)
tarball="$(ls "$repo"/artifacts/buildout-cli-*.tgz)"
engine_tarball="$(ls "$repo"/artifacts/buildout-engine-*.tgz)"

step "npm install -g $(basename "$tarball") (prefix $work/prefix)"
npm install -g "$tarball"
buildout="$work/prefix/bin/buildout"
[ -x "$buildout" ] || fail "npm install -g did not create $buildout"
# Nothing of the repository may be reachable from the installed command.
export PATH="$work/prefix/bin:/usr/local/bin:/usr/bin:/bin"

app="$work/app"
mkdir -p "$app"
cd "$app"
export HOME="$app"

step "buildout --version, --help"
version="$(node -p "require('$repo/packages/cli/package.json').version")"
[ "$("$buildout" --version)" = "buildout $version" ] || fail "--version printed '$("$buildout" --version)'"
"$buildout" --help | grep -q '^Usage: buildout' || fail "--help printed no usage"

step "the seed's example (examples/supervisor/buildout.cfg)"
cp -r "$repo/examples/supervisor/buildout.cfg" "$repo/examples/supervisor/try-it.cfg" "$repo/examples/supervisor/superlance" .
"$buildout" -U
expected="$work/expected.conf"
sed "s#/sample-buildout#$app#g" "$repo/packages/recipe-supervisor/src/__fixtures__/seed-example.supervisord.conf" | sed 's/[[:space:]]*$//' >"$expected"
sed 's/[[:space:]]*$//' parts/supervisor/supervisord.conf | diff "$expected" - || fail "supervisord.conf differs from the seed's listing"
for script in supervisord supervisorctl memmon httpok crashmail; do
  [ -x "bin/$script" ] || fail "bin/$script is missing"
done
echo "supervisord.conf is the seed's listing; bin/ has supervisord, supervisorctl, memmon, httpok, crashmail"

step "try-it.cfg under real supervisord"
port="$(node -e "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")"
as_root=()
[ "$(id -u)" = 0 ] && as_root=(supervisor:supervisord-user=root)
"$buildout" -U -c try-it.cfg "supervisor:port=127.0.0.1:$port" "supervisor:serverurl=http://127.0.0.1:$port" "${as_root[@]}"
bin/supervisord -n >"$work/supervisord.out" 2>&1 &
supervisord_pid=$!
running=""
for _ in $(seq 100); do
  status="$(bin/supervisorctl status 2>/dev/null || true)"
  if [ "$(printf '%s\n' "$status" | grep -c RUNNING)" = 4 ]; then running=yes; break; fi
  sleep 0.3
done
[ -n "$running" ] || { cat "$work/supervisord.out"; fail "supervisord did not run the 4 programs: $status"; }
printf '%s\n' "$status"
bin/supervisorctl shutdown
for _ in $(seq 75); do kill -0 "$supervisord_pid" 2>/dev/null || break; sleep 0.2; done
kill -0 "$supervisord_pid" 2>/dev/null && fail "supervisord did not shut down"
supervisord_pid=""


step "a recipe package written as a user would (test/install/user-recipe.sh)"
bash "$repo/test/install/user-recipe.sh" "$buildout" "$engine_tarball" "$work/user"

step "a recipe package scaffolded with 'buildout init --recipe', tested against the tarballs"
mkdir -p "$work/scaffold"
cd "$work/scaffold"
"$buildout" init --recipe @acme/hello --from "$repo/artifacts"
cd hello
npm install
npm test

printf '\ntarball-smoke: all good\n'
