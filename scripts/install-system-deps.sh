#!/usr/bin/env bash
# Install the Debian/Ubuntu packages briefkit's tests and PDF fonts need:
# validators (epubcheck + a JRE, LibreOffice headless, poppler's pdftotext/pdffonts, qpdf),
# Chromium for the desk's browser tests, with axe-core from the npm registry (into .tools/)
# and the fonts the PDF writer embeds (DejaVu for Latin, Greek and Cyrillic, WenQuanYi Zen Hei
# for CJK and Hangul, Noto for Arabic, Hebrew, Devanagari, Thai and the other scripts).
# Does nothing when everything is already installed; uses sudo when not root.
set -euo pipefail
packages=(
  poppler-utils qpdf epubcheck default-jre-headless libreoffice-writer-nogui
  fonts-dejavu-core fonts-wqy-zenhei fonts-noto-core
  chromium
)
command -v npm >/dev/null || packages+=(npm)
install_axe() {
  # axe-core runs inside the browser in the desk's accessibility tests.
  local here
  here="$(cd "$(dirname "$0")/.." && pwd)"
  if [ ! -f "$here/.tools/node_modules/axe-core/axe.min.js" ]; then
    echo "install-system-deps: installing axe-core into .tools/" >&2
    npm install --silent --no-audit --no-fund --prefix "$here/.tools" axe-core@4 >/dev/null
  fi
}
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  install_axe
  exit 0
fi
if ! command -v apt-get >/dev/null; then
  echo "install-system-deps: no apt-get here; please install: ${missing[*]}" >&2
  exit 0
fi
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
echo "install-system-deps: installing ${missing[*]}" >&2
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
install_axe
