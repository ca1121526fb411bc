#!/usr/bin/env bash
# Re-fetch the assets the browser tests inject into pages (never served by the application) from the
# npm registry. The version is pinned here, the file checked against the hash axe-core publishes for
# that release (sri-history.json) and against the hash pinned below, and recorded in
# tests/browser/vendor/VERSIONS.md.
set -euo pipefail
cd "$(dirname "$0")/.."
DEST=tests/browser/vendor
AXE=4.14.1
AXE_SHA256=29348999450cdf2849a8e70b7912fc2da85a849da39c0d0d5394f51d4a9ed95c  # axe.min.js of $AXE
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && npm pack --silent "axe-core@$AXE" >/dev/null && mkdir -p axe-core && tar -xzf ./*"$AXE".tgz -C axe-core)
pkg="$tmp/axe-core/package"
published=$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))[sys.argv[2]]["axe.min.js"])' \
  "$pkg/sri-history.json" "$AXE")
actual="sha256-$(openssl dgst -sha256 -binary "$pkg/axe.min.js" | base64)"
if [ "$published" != "$actual" ]; then
  echo "axe.min.js does not match the hash axe-core published for $AXE ($published != $actual)" >&2
  exit 1
fi
if [ "$(sha256sum "$pkg/axe.min.js" | cut -d' ' -f1)" != "$AXE_SHA256" ]; then
  echo "axe.min.js ($(sha256sum "$pkg/axe.min.js" | cut -d" " -f1)) is not the file pinned in AXE_SHA256: change it on purpose" >&2
  exit 1
fi
mkdir -p "$DEST"
rm -f "$DEST/axe.min.js" "$DEST/axe-core.LICENSE" "$DEST/axe-core.LICENSE-3RD-PARTY.txt"
cp "$pkg/axe.min.js" "$DEST/axe.min.js"
cp "$pkg/LICENSE" "$DEST/axe-core.LICENSE"
cp "$pkg/LICENSE-3RD-PARTY.txt" "$DEST/axe-core.LICENSE-3RD-PARTY.txt"
cat > "$DEST/VERSIONS.md" <<MD
# Test assets

Fetched from the npm registry by \`scripts/vendor-test-assets.sh\`. The browser tests inject them into
the pages they open; the application never serves them (they live outside \`src/\`).

| package | version | licence | files | sha256 of the script |
|---|---|---|---|---|
| axe-core | $AXE | MPL-2.0 (axe-core.LICENSE, third parties: axe-core.LICENSE-3RD-PARTY.txt) | axe.min.js | \`$AXE_SHA256\` |

To move to another release: change \`AXE\` in the script, run it once to read the hash it reports,
review the release notes (new rules may find new violations), set \`AXE_SHA256\` and run it again.
MD
echo "vendored into $DEST"
