#!/usr/bin/env bash
# A recipe package written as a user would: its own folder and package.json,
# TypeScript, depending on the published recipe API tarball for its types,
# type-checked and built with tsc; then used, through the installed command,
# by a buildout in another folder: packed into a find-links folder and
# fetched into eggs/, and as a develop package in place.
# Usage: user-recipe.sh BUILDOUT ENGINE_TARBALL WORK_FOLDER (tarball-smoke.sh calls it, with npm's
# cache and user config pointing into its temporary folder).
set -euo pipefail
buildout="$1"
engine_tarball="$2"
work="$3"
fail() { printf 'user-recipe: %s\n' "$*" >&2; exit 1; }
engine_version="$(tar -xzOf "$engine_tarball" package/package.json | node -p "JSON.parse(require('fs').readFileSync(0, 'utf8')).version")"

recipe="$work/hello-recipe"
mkdir -p "$recipe/src"
cd "$recipe"
cat >package.json <<EOF
{
  "name": "hello-recipe",
  "version": "1.0.0",
  "type": "module",
  "files": ["dist"],
  "buildout": { "recipes": { "hello-recipe": "./dist/index.js" } },
  "scripts": { "build": "tsc" },
  "peerDependencies": { "@buildout/engine": "^$engine_version" }
}
EOF
cat >tsconfig.json <<'EOF'
{
  "compilerOptions": {
    "target": "ES2022",
    "module": "NodeNext",
    "moduleResolution": "NodeNext",
    "strict": true,
    "outDir": "dist",
    "rootDir": "src",
    "types": ["node"]
  },
  "include": ["src"]
}
EOF
cat >src/index.ts <<'EOF'
import { writeFileSync } from 'node:fs';
import { BuildoutError, defineRecipe, type Part } from '@buildout/engine';

function greeting(part: Part): string {
  const who = part.options.who;
  if (!who) throw new BuildoutError('HELLO_NO_WHO', `option who of [${part.name}] is empty`, { hint: 'set who = somebody' });
  return `hello ${who}`;
}

export default defineRecipe({
  install(part) {
    // An error the running engine throws is an instance of the class this recipe imports: one engine.
    let sameEngine = false;
    try {
      part.buildout.get('no-such-section', 'x');
    } catch (error) {
      sameEngine = error instanceof BuildoutError;
    }
    const file = `parts/${part.name}.txt`;
    writeFileSync(file, `${greeting(part)}\nsame engine: ${sameEngine}\n`);
    return [file];
  },
  update() {},
});
EOF

echo "npm install --save-dev $(basename "$engine_tarball") typescript @types/node"
npm install --save-dev "$engine_tarball" typescript@5.9.3 @types/node@^20.19.0 --no-audit --no-fund --loglevel=error

echo "tsc: a mistake against the recipe API is caught"
cat >src/wrong.ts <<'EOF'
import { defineRecipe } from '@buildout/engine';
export default defineRecipe({ install(part) { return part.options.missing.length; } });
EOF
if npx tsc --noEmit >"$work/tsc-wrong.txt" 2>&1; then fail "tsc accepted a recipe whose install returns a number"; fi
grep -q 'error TS' "$work/tsc-wrong.txt" || fail "tsc failed without a type error: $(cat "$work/tsc-wrong.txt")"
rm src/wrong.ts
echo "tsc: the recipe type-checks and builds"
npm run build --silent
[ -f dist/index.js ] || fail "tsc wrote no dist/index.js"

links="$work/links"
mkdir -p "$links"
npm pack --pack-destination "$links" --loglevel=error >/dev/null

check_site() {
  local site="$1"
  [ "$(cat "$site/parts/greet.txt")" = "$(printf 'hello world\nsame engine: true')" ] ||
    fail "$site/parts/greet.txt: $(cat "$site/parts/greet.txt")"
}

echo "a buildout in another folder fetches it from find-links into eggs/"
site="$work/site"
mkdir -p "$site"
cat >"$site/buildout.cfg" <<EOF
[buildout]
parts = greet
find-links = $links
show-picked-versions = true

[greet]
recipe = hello-recipe
who = world
EOF
(cd "$site" && "$buildout" -U) | tee "$work/site.out"
grep -q '^Got hello-recipe 1.0.0 from ' "$work/site.out" || fail "no 'Got hello-recipe 1.0.0' line"
grep -q '^hello-recipe = 1.0.0$' "$work/site.out" || fail "the picked version was not shown"
check_site "$site"
(cd "$site" && "$buildout" -U -N) | grep -q '^Got ' && fail "a no-op rerun fetched again"

echo "the recipe's own error is rendered by the command, with its code's hint"
if (cd "$site" && "$buildout" -U -N greet:who= >"$work/error.out" 2>&1); then fail "an empty who was accepted"; fi
grep -q "option who of \[greet\] is empty" "$work/error.out" || fail "unexpected error output: $(cat "$work/error.out")"
grep -q 'hint: set who = somebody' "$work/error.out" || fail "no hint: $(cat "$work/error.out")"

echo "the same package as a develop package, used in place"
dev="$work/site-develop"
mkdir -p "$dev"
cat >"$dev/buildout.cfg" <<EOF
[buildout]
parts = greet
develop = $recipe
offline = true

[greet]
recipe = hello-recipe
who = world
EOF
(cd "$dev" && "$buildout" -U)
check_site "$dev"
echo "user-recipe: all good"
