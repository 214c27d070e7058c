#!/bin/bash
# Root one-shot before the JobManager and TaskManager (docker compose's flink-data-init service):
# the flink:2.x images run as the user flink (uid 9999, FLINK-37881), so they cannot create or
# chown their checkpoint volume themselves. Creates the checkpoint and savepoint directories and
# hands whatever is not yet flink's to flink; a second run changes nothing.
#
# Environment: FLINK_DATA_DIR (/flink-data), FLINK_UID / FLINK_GID (9999, the image's flink).
set -euo pipefail

data="${FLINK_DATA_DIR:-/flink-data}"
uid="${FLINK_UID:-9999}"
gid="${FLINK_GID:-9999}"

mkdir -p "$data/checkpoints" "$data/savepoints"
changed=$(find "$data" \( ! -uid "$uid" -o ! -gid "$gid" \) -print -exec chown "$uid:$gid" {} + | wc -l)
if [[ $changed -eq 0 ]]; then
  echo "flink-data-init: $data is owned by $uid:$gid; nothing changed"
else
  echo "flink-data-init: gave $changed entries under $data to $uid:$gid"
fi
