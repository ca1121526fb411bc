#!/usr/bin/env bash
# Re-fetch the vendored front-end assets from the npm registry (no CDN at run time).
# Versions are pinned here and recorded in src/shuren/web/static/vendor/VERSIONS.md.
set -euo pipefail
cd "$(dirname "$0")/.."
DEST=src/shuren/web/static/vendor
BOOTSTRAP=5.3.9
HTMX=2.0.11
ECHARTS=5.6.0
BOOTSTRAP_ICONS=1.13.2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fetch() {  # package version -> unpacked folder
  (cd "$tmp" && npm pack --silent "$1@$2" >/dev/null && mkdir -p "$1" && tar -xzf ./*"$2".tgz -C "$1" && rm ./*.tgz)
}
fetch bootstrap "$BOOTSTRAP"
fetch htmx.org "$HTMX"
fetch echarts "$ECHARTS"
fetch bootstrap-icons "$BOOTSTRAP_ICONS"
rm -rf "$DEST" && mkdir -p "$DEST/bootstrap" "$DEST/htmx" "$DEST/echarts" "$DEST/bootstrap-icons/fonts"
cp "$tmp/bootstrap/package/dist/css/bootstrap.min.css" "$tmp/bootstrap/package/dist/js/bootstrap.bundle.min.js" \
   "$tmp/bootstrap/package/LICENSE" "$DEST/bootstrap/"
cp "$tmp/htmx.org/package/dist/htmx.min.js" "$tmp/htmx.org/package/LICENSE" "$DEST/htmx/"
cp "$tmp/echarts/package/dist/echarts.min.js" "$tmp/echarts/package/LICENSE" "$DEST/echarts/"
# The icon font: its stylesheet loads the fonts from fonts/ beside it (the font-src of our CSP is 'self').
icons="$tmp/bootstrap-icons/package"
cp "$icons/font/bootstrap-icons.min.css" "$icons/LICENSE" "$DEST/bootstrap-icons/"
cp "$icons/font/fonts/bootstrap-icons.woff2" "$icons/font/fonts/bootstrap-icons.woff" "$DEST/bootstrap-icons/fonts/"
cat > "$DEST/VERSIONS.md" <<MD
# Vendored front-end assets

Fetched from the npm registry by \`scripts/vendor-assets.sh\`; served from this folder only.

| package | version | licence | files |
|---|---|---|---|
| bootstrap | $BOOTSTRAP | MIT | bootstrap.min.css, bootstrap.bundle.min.js |
| htmx.org | $HTMX | 0BSD | htmx.min.js |
| echarts | $ECHARTS | Apache-2.0 | echarts.min.js |
| bootstrap-icons | $BOOTSTRAP_ICONS | MIT | bootstrap-icons.min.css, fonts/bootstrap-icons.woff2 and .woff |
MD
# Source-map references would make browsers request files we do not ship.
sed -i '/sourceMappingURL/d' "$DEST"/bootstrap/*.min.* "$DEST"/htmx/*.js "$DEST"/echarts/*.js
echo "vendored into $DEST"
