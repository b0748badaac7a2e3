#!/usr/bin/env bash
# Installs what the test suite needs that npm cannot: Debian's Chromium (Playwright drives it; no
# browser downloads here), and the Radicale and Xandikos CalDAV servers. As root it uses apt-get;
# otherwise it prints the exact command and fails, because a missing component is never a skip.
set -euo pipefail

missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v radicale >/dev/null 2>&1 || missing+=(radicale)
command -v xandikos >/dev/null 2>&1 || missing+=(xandikos)

if [ ${#missing[@]} -eq 0 ]; then
  echo "test dependencies: chromium, radicale and xandikos are installed"
  exit 0
fi

if [ "$(id -u)" -eq 0 ]; then
  echo "test dependencies: installing ${missing[*]} with apt-get …"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  echo "test dependencies: installed ${missing[*]}"
else
  echo "test dependencies missing: ${missing[*]}" >&2
  echo "install them with:  sudo apt-get install -y ${missing[*]}" >&2
  exit 1
fi
