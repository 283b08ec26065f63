#!/bin/sh
# Executes its arguments as a command (AP §4.4), like the official `docker`
# image's entrypoint: with no arguments, or when the first one is an option
# (`-H …`) or a docker subcommand that is not itself a program (`ps`,
# `compose`), the arguments are handed to `docker`. The self-update helper
# (AP §7.10) runs `docker-entrypoint.sh docker compose -f … up -d`.
set -eu

if [ "$#" -eq 0 ] || [ "${1#-}" != "$1" ]; then
    set -- docker "$@"
elif [ "$1" != docker ] && ! command -v "$1" >/dev/null 2>&1 && docker help "$1" >/dev/null 2>&1; then
    set -- docker "$@"
fi

exec "$@"
