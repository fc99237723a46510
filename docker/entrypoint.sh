#!/bin/sh
# Entrypoint of the Cocagne image, also run as is outside Docker.
#
#   entrypoint.sh init      create the database, or upgrade it after a
#                           backup (one-shot)
#   entrypoint.sh app       gunicorn serving sao and JSON-RPC
#   entrypoint.sh cron      the scheduler (trytond-cron)
#   entrypoint.sh worker    the queue worker (trytond-worker)
#   entrypoint.sh health ROLE    health check of a running role
#   entrypoint.sh backup|restore|upgrade ARGS…   the `cocagne` commands
#   entrypoint.sh COMMAND…  any other command
#
# Environment: TRYTOND_DATABASE__URI (required), COCAGNE_DATABASE (cocagne),
# COCAGNE_VAR (/var/lib/cocagne), COCAGNE_BIND (0.0.0.0:8000),
# WEB_CONCURRENCY (gunicorn workers, 2), TRYTONPASSFILE (init), any
# TRYTOND_<SECTION>__<OPTION>. Extra arguments go to the role's program.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
role=${1:-app}
[ $# -gt 0 ] && shift

export COCAGNE_VAR="${COCAGNE_VAR:-/var/lib/cocagne}"
export COCAGNE_DATABASE="${COCAGNE_DATABASE:-cocagne}"
database=$COCAGNE_DATABASE
bind=${COCAGNE_BIND:-0.0.0.0:8000}

configure() {
    if [ -z "${TRYTOND_DATABASE__URI:-}" ]; then
        echo "TRYTOND_DATABASE__URI manquant : indiquez la base PostgreSQL," \
            "ex. postgresql://tryton:MOT_DE_PASSE@postgres:5432/" >&2
        exit 2
    fi
    mkdir -p "$COCAGNE_VAR"
    cp "$here/trytond.conf" "$COCAGNE_VAR/trytond.conf"
    # the image's file + the TRYTOND_* variables, which win
    TRYTOND_CONFIG=$(python -c \
        'from cocagne.config import effective_config; print(effective_config())')
    export TRYTOND_CONFIG
}

case $role in
    init)
        configure
        # a database already in use is upgraded after a backup, which is
        # restored if the upgrade fails
        if python -c 'import sys
from cocagne import db
db.configure(sys.argv[1])
sys.exit(0 if db.exists(sys.argv[2]) and db.initialised(sys.argv[2]) else 1)' \
                "$TRYTOND_CONFIG" "$database"; then
            exec cocagne upgrade -d "$database" "$@"
        fi
        exec cocagne init -d "$database" "$@"
        ;;
    app)
        configure
        export TRYTOND_DATABASE_NAMES="$database"
        exec gunicorn --bind "$bind" --workers "${WEB_CONCURRENCY:-2}" \
            --timeout 120 --graceful-timeout 20 --access-logfile - \
            "$@" trytond.application:app
        ;;
    cron)
        configure
        exec trytond-cron -c "$TRYTOND_CONFIG" -d "$database" "$@"
        ;;
    worker)
        configure
        exec trytond-worker -c "$TRYTOND_CONFIG" -d "$database" "$@"
        ;;
    health)
        case ${1:-app} in
            app)
                exec python -c 'import json, sys, urllib.request
request = urllib.request.Request(sys.argv[1], data=json.dumps({"id": 0,
    "method": "common.server.version", "params": []}).encode(),
    headers={"Content-Type": "application/json"})
with urllib.request.urlopen(request, timeout=5) as response:
    sys.exit(0 if json.load(response).get("result") else 1)' \
                    "http://127.0.0.1:${bind##*:}/rpc/"
                ;;
            *)
                exec pg_isready -q -d "${TRYTOND_DATABASE__URI}${database}"
                ;;
        esac
        ;;
    backup|restore|upgrade)
        configure
        exec cocagne "$role" -d "$database" "$@"
        ;;
    *)
        exec "$role" "$@"
        ;;
esac
