#!/usr/bin/env bash
# Start or stop a throwaway PostgreSQL server on the loopback interface for the store tests.
# Usage: source .ci/postgres.sh start   (exports PLANNER_TEST_DATABASE_URL)
#        bash .ci/postgres.sh stop
set -euo pipefail
PGDATA_DIR=${PGDATA_DIR:-/tmp/planner-ci-pgdata}
PGPORT_CI=${PGPORT_CI:-54329}
bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)

case "${1:-}" in
  start)
    rm -rf "$PGDATA_DIR" && mkdir -p "$PGDATA_DIR" && chown postgres "$PGDATA_DIR"
    su postgres -s /bin/sh -c "$bin/initdb -D $PGDATA_DIR --auth=trust -U postgres >/dev/null"
    su postgres -s /bin/sh -c "$bin/pg_ctl -D $PGDATA_DIR -l $PGDATA_DIR/server.log -w \
      -o '-c listen_addresses=127.0.0.1 -p $PGPORT_CI -k $PGDATA_DIR' start >/dev/null"
    "$bin/psql" -h 127.0.0.1 -p "$PGPORT_CI" -U postgres -qc "CREATE DATABASE planner_test" >/dev/null
    export PLANNER_TEST_DATABASE_URL="postgresql+psycopg://postgres@127.0.0.1:$PGPORT_CI/planner_test"
    ;;
  stop)
    su postgres -s /bin/sh -c "$bin/pg_ctl -D $PGDATA_DIR -m fast -w stop >/dev/null" || true
    rm -rf "$PGDATA_DIR"
    ;;
  *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
