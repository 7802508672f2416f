#!/bin/bash
# Entrypoint of the opendata-th CKAN image. It runs in every container made
# from the image (web server, jobs worker, harvest consumers), prepares
# ckan.ini, then runs the container's command. The default command is the base
# image's /srv/app/start_ckan.sh.
#
#  1. SECRET_KEY. CKAN refuses to start without one, and every container must
#     use the same key: sessions, CSRF tokens and API tokens are signed with
#     it. It comes from CKAN_SECRET_KEY when that is set. Otherwise a key is
#     generated once and kept in the storage volume, which all containers
#     share, so it survives restarts and image upgrades.
#  2. The settings in /srv/app/opendata-th.ini, merged again so that a
#     bind-mounted copy takes effect without a rebuild.
#  3. ckan.plugins, set from CKAN__PLUGINS. The base image's prerun.py does
#     this only in the web container. Workers need the same plugin list.
#  4. The DataStore (table previews): its database and read-only role are
#     created when missing (before the base image's prerun.py sets their
#     permissions), and xloader's API token, which the web container makes
#     once and keeps in the storage volume, is set.
set -euo pipefail

ckan_ini="${CKAN_INI:-/srv/app/ckan.ini}"
settings="${OPENDATA_TH_SETTINGS:-/srv/app/opendata-th.ini}"
storage="${CKAN_STORAGE_PATH:-/var/lib/ckan}"
key_file="$storage/.opendata-th-secret-key"
xloader_token_file="$storage/.opendata-th-xloader-token"

log() { echo "[opendata-th] $*" >&2; }

secret_key() {
    if [[ -n "${CKAN_SECRET_KEY:-}" ]]; then
        printf '%s\n' "$CKAN_SECRET_KEY"
        return
    fi
    if [[ ! -s "$key_file" ]]; then
        local tmp
        tmp="$(mktemp "$storage/.opendata-th-secret-key.XXXXXX")"
        python3 -c 'import secrets; print(secrets.token_urlsafe(48))' >"$tmp"
        chmod 600 "$tmp"
        # Publish the key with a hard link, which is atomic. If another
        # container published one first, the link fails and we keep theirs.
        if ln "$tmp" "$key_file" 2>/dev/null; then
            log "generated a SECRET_KEY and stored it in $key_file"
        fi
        rm -f "$tmp"
    fi
    cat "$key_file"
}

key="$(secret_key)"
if [[ ${#key} -lt 32 || "$key" =~ [[:space:]%] ]]; then
    log "the secret key must have at least 32 characters and no spaces or '%'."
    log "Make one with: python3 -c 'import secrets; print(secrets.token_urlsafe(48))'"
    exit 1
fi

options=("SECRET_KEY = $key")
if [[ -n "${CKAN__PLUGINS:-}" ]]; then
    options+=("ckan.plugins = $CKAN__PLUGINS")
fi
if [[ -s "$xloader_token_file" ]]; then
    options+=("ckanext.xloader.api_token = $(cat "$xloader_token_file")")
fi
if [[ -n "${CKAN_DATASTORE_WRITE_URL:-}" ]]; then
    opendata-th-datastore database ||
        log "WARNING: could not set up the DataStore database (see above)"
fi
ckan config-tool "$ckan_ini" -f "$settings" "${options[@]}" >/dev/null

exec "$@"
