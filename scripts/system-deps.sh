#!/usr/bin/env bash
# Checks the system libraries that CKAN's dependencies build or load against:
# a C compiler, Python headers and libpq headers (psycopg2 is built from
# source) and libmagic (python-magic). Installs what is missing with apt when
# run as root on Debian/Ubuntu; otherwise prints the command to run.
# With --browser it also checks Debian's Chromium, which the browser tests
# drive (Playwright uses it; it never downloads a browser of its own).
# Always: a Thai font for the yearly report's PDF (TLWG Laksaman, the free
# equivalent of TH Sarabun, the Thai government's document font).
set -u
browser=no
if [ "${1:-}" = "--browser" ]; then browser=yes; shift; fi
python=${1:-python3}
missing=()
if [ $browser = yes ]; then
  command -v chromium >/dev/null 2>&1 || missing+=(chromium)
  fc-list 2>/dev/null | grep -qi 'thai\|loma\|garuda\|tlwg' || missing+=(fonts-tlwg-loma-otf)
fi
fc-list 2>/dev/null | grep -qi 'laksaman' || missing+=(fonts-tlwg-laksaman-otf)
command -v gcc >/dev/null 2>&1 || missing+=(build-essential)
command -v pg_config >/dev/null 2>&1 || missing+=(libpq-dev)
include=$("$python" -c 'import sysconfig; print(sysconfig.get_paths()["include"])' 2>/dev/null)
[ -n "$include" ] && [ -f "$include/Python.h" ] || missing+=(python3-dev)
ldconfig -p 2>/dev/null | grep -q 'libmagic\.so\.1' || missing+=(libmagic1)
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing system packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq && apt-get install -y -qq "${missing[@]}" >/dev/null && exit 0
  echo "apt-get could not install ${missing[*]}" >&2
  exit 1
fi
echo "Missing system packages. Please run:" >&2
echo "  sudo apt-get update && sudo apt-get install -y ${missing[*]}" >&2
exit 1
