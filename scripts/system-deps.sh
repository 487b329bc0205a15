#!/usr/bin/env bash
# Debian packages the tests need: Chromium for the browser tests, CJK fonts for pages and documents,
# ffmpeg to make the test clips of case videos (the app itself reads videos with PyAV), gettext for the
# message catalogue, pango and harfbuzz for WeasyPrint's PDFs, poppler-utils (pdftotext, pdffonts) for the
# tests that read those PDFs back.
set -euo pipefail
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
fc-list 2>/dev/null | grep -qi "Noto Sans CJK" || missing+=(fonts-noto-cjk)
command -v msgfmt >/dev/null 2>&1 || missing+=(gettext)
command -v ffmpeg >/dev/null 2>&1 || missing+=(ffmpeg)
command -v pdftotext >/dev/null 2>&1 || missing+=(poppler-utils)
for lib in libpango-1.0.so.0:libpango-1.0-0 libpangoft2-1.0.so.0:libpangoft2-1.0-0 \
           libharfbuzz-subset.so.0:libharfbuzz-subset0; do
  ldconfig -p 2>/dev/null | grep -q "${lib%%:*}" || missing+=("${lib##*:}")
done
if ((${#missing[@]})); then
  echo "installing Debian packages: ${missing[*]}"
  sudo_cmd=""
  [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends "${missing[@]}" fontconfig >/dev/null
fi
