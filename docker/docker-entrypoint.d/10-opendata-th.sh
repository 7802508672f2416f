# Start-up step for the web container. The base image's start_ckan.sh sources
# every *.sh in /docker-entrypoint.d after its prerun.py and before it starts
# uWSGI. Because the file is sourced, it must not change shell options. It
# uses `exit` only to stop the container when the database cannot be
# migrated.
#
#  1. `ckan db upgrade` applies pending CKAN core migrations and then the
#     migrations of every enabled plugin (activity, harvest,
#     opendata_th_search, ...). prerun.py has already set ckan.plugins from
#     CKAN__PLUGINS by the time this runs.
#  2. Creates the sysadmin from CKAN_SYSADMIN_NAME/PASSWORD/EMAIL if it does
#     not exist. prerun.py also tries this, but only after it reaches Solr, so
#     it never does when the solr service has been removed.
#  3. DataStore (table previews): runs CKAN's `datastore set-permissions`
#     script in the DataStore database, and makes xloader's API token (of the
#     site user) once, keeping it in the storage volume, where every
#     container's entrypoint finds it.
#  4. Builds the JavaScript translations (CKAN's scripts' Thai, with the
#     extension's wording merged over CKAN's): uWSGI, unlike `ckan run`,
#     does not build them.

opendata_th_migrate() {
    echo "[opendata-th] ckan db upgrade (core and enabled plugins)"
    ckan -c "$CKAN_INI" db upgrade
}

opendata_th_sysadmin() {
    local name="${CKAN_SYSADMIN_NAME:-}" password="${CKAN_SYSADMIN_PASSWORD:-}"
    local email="${CKAN_SYSADMIN_EMAIL:-}"
    if [[ -z "$name" || -z "$password" || -z "$email" ]]; then
        return 0
    fi
    local shown
    shown="$(ckan -c "$CKAN_INI" user show "$name" 2>/dev/null)" || {
        echo "[opendata-th] WARNING: could not look up user $name" >&2
        return 0
    }
    if [[ "$shown" != *"User: None"* ]]; then
        return 0
    fi
    echo "[opendata-th] creating sysadmin $name"
    # `sysadmin add` asks before it creates a missing user. Answer yes.
    printf 'y\n' | ckan -c "$CKAN_INI" sysadmin add "$name" \
        "email=$email" "password=$password" >/dev/null ||
        echo "[opendata-th] WARNING: could not create sysadmin $name" \
            "(CKAN needs a password of at least 8 characters)" >&2
}

opendata_th_datastore() {
    [[ -n "${CKAN_DATASTORE_WRITE_URL:-}" ]] || return 0
    opendata-th-datastore permissions ||
        echo "[opendata-th] WARNING: could not set the DataStore permissions" >&2
    local token_file="${CKAN_STORAGE_PATH:-/var/lib/ckan}/.opendata-th-xloader-token" token
    if [[ ! -s "$token_file" ]]; then
        token="$(opendata-th-datastore token 2>/dev/null | tail -n 1)" || token=""
        if [[ -z "$token" ]]; then
            echo "[opendata-th] WARNING: could not make xloader's API token;" \
                "files will not be loaded into the DataStore" >&2
            return 0
        fi
        (umask 077 && printf '%s\n' "$token" >"$token_file")
        echo "[opendata-th] made xloader's API token ($token_file)"
    fi
    ckan config-tool "$CKAN_INI" "ckanext.xloader.api_token = $(cat "$token_file")" >/dev/null
}

opendata_th_js_translations() {
    ckan -c "$CKAN_INI" translation js >/dev/null ||
        echo "[opendata-th] WARNING: could not build the JavaScript translations" >&2
}

if ! opendata_th_migrate; then
    echo "[opendata-th] database migration failed; not starting CKAN" >&2
    exit 1
fi
opendata_th_sysadmin
opendata_th_datastore
opendata_th_js_translations
unset -f opendata_th_migrate opendata_th_sysadmin opendata_th_datastore opendata_th_js_translations
