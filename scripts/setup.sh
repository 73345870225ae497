#!/usr/bin/env bash
# One-step setup on a fresh machine: system packages where apt exists (R, for the R loader and its
# test; Chromium, for the tests that open pages in a real browser), a virtual environment in .venv, the package with its tools and development tools, and Datasette for the tests of `nkcp serve`.
# Safe to run again: it installs only what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."
export PIP_DISABLE_PIP_VERSION_CHECK=1

apt_packages=(r-base-core r-cran-readr r-cran-jsonlite chromium)
missing=()
for pkg in "${apt_packages[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ] && ! command -v apt-get >/dev/null; then
  # R and Chromium serve only tests (the R loader's, the pages'): without apt, nkcp is still set up.
  echo "setup: no apt-get here, so ${missing[*]} not installed; nkcp works, the R loader's and the browser tests will fail" >&2
elif [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
.venv/bin/python -m pip install -q -c constraints.txt -e '.[tools,dev,serve]'
