#!/bin/bash
# One-shot job submission to a Flink session cluster (docker compose's submit-jobs service):
# waits until the JobManager answers, then runs both jobs detached, each from its shaded jar, with
# the project's Flink configuration and the parallelism PULSE_PARALLELISM, unless a job of that
# name is already running or being scheduled (so a second run changes nothing).
#
# Environment (the job image sets the paths; compose sets the rest):
#   FLINK_REST           JobManager REST endpoint host:port (jobmanager:8081)
#   PULSE_PARALLELISM    parallelism of each job; the cluster needs 2 x this many free slots
#   PULSE_JOBS_DIR       directory holding pulse-<job>-job.jar (the image: /opt/flink/usrlib)
#   FLINK_CONF_DIR       the client's configuration (the image: /opt/flink/conf, which is
#                        deploy/flink/config.yaml with FLINK_PROPERTIES applied by the entrypoint);
#                        flink run gives it to the job: checkpoints, state backend, restarts
#   FLINK_BIN            Flink's command line (the image: /opt/flink/bin/flink)
#   PULSE_KAFKA_BOOTSTRAP, PULSE_CLICKHOUSE_URL, PULSE_TOPIC_PREFIX (optional)
#   PULSE_ID_HASH_SECRET, PULSE_CH_WRITER_USER, PULSE_CH_WRITER_PASSWORD: the jobs' secrets
#                        (main() runs in this client and refuses to start without them)
set -euo pipefail

rest="${FLINK_REST:-jobmanager:8081}"
jobs="${PULSE_JOBS_DIR:-/opt/flink/usrlib}"
flink="${FLINK_BIN:-/opt/flink/bin/flink}"
conf="${FLINK_CONF_DIR:-/opt/flink/conf}"
parallelism="${PULSE_PARALLELISM:?PULSE_PARALLELISM must say the parallelism of each job}"
: "${PULSE_KAFKA_BOOTSTRAP:?PULSE_KAFKA_BOOTSTRAP must name the Kafka bootstrap servers}"
: "${PULSE_CLICKHOUSE_URL:?PULSE_CLICKHOUSE_URL must name the ClickHouse HTTP endpoint}"
: "${PULSE_ID_HASH_SECRET:?PULSE_ID_HASH_SECRET must be set (the jobs refuse to start without it)}"
: "${PULSE_CH_WRITER_PASSWORD:?PULSE_CH_WRITER_PASSWORD must be set (the jobs refuse to start without it)}"
export FLINK_CONF_DIR="$conf"

# The stock configuration of the Flink image has no checkpointing: jobs submitted with it never
# commit their exactly-once output. Refuse rather than run them that way.
grep -q '^execution\.checkpointing\.interval:' "$conf/config.yaml" || {
  echo "submit-jobs: $conf/config.yaml sets no execution.checkpointing.interval: it is not the" \
    "project's configuration (deploy/flink/config.yaml)" >&2
  exit 1
}

job_jar() {
  local jar="$jobs/pulse-$1-job.jar"
  [[ -f "$jar" ]] || { echo "submit-jobs: $jar is missing: build the jobs" \
    "(mvn -B -pl jobs/$1 -am package -DskipTests) and the image (deploy/Dockerfile)" >&2; exit 1; }
  echo "$jar"
}

# Jobs known to the JobManager that are not finished: `flink list` prints running and scheduled
# ones as "<date> : <job id> : <name> (<STATE>)".
listing=""
for attempt in $(seq 60); do
  if listing=$("$flink" list -m "$rest" 2>&1); then break; fi
  if [[ $attempt -eq 60 ]]; then
    echo "submit-jobs: the JobManager at $rest does not answer:" >&2
    echo "$listing" >&2
    exit 1
  fi
  sleep 2
done

submit() {
  local name="$1" class="$2" jar
  jar=$(job_jar "$name")
  if grep -qE " : [0-9a-f]{32} : $name \(" <<<"$listing"; then
    echo "submit-jobs: $name is already running; nothing submitted"
    return 0
  fi
  local args=(--kafka.bootstrap "$PULSE_KAFKA_BOOTSTRAP" --clickhouse.url "$PULSE_CLICKHOUSE_URL")
  if [[ -n "${PULSE_TOPIC_PREFIX:-}" ]]; then args+=(--kafka.topic-prefix "$PULSE_TOPIC_PREFIX"); fi
  "$flink" run -d -m "$rest" -p "$parallelism" -c "$class" "$jar" "${args[@]}"
}

submit participation org.lifelongpulse.participation.ParticipationJob
submit fund-risk org.lifelongpulse.fundrisk.FundRiskJob
