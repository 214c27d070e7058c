#!/bin/bash
# One-shot job submission for docker compose: waits for the JobManager's REST API, then runs
# both jobs detached, each from its own shaded job jar, unless a job of that name is already running (so
# `docker compose up` again does not start duplicates). Kafka and ClickHouse endpoints come from
# the environment (PULSE_KAFKA_BOOTSTRAP, PULSE_CLICKHOUSE_URL, PULSE_CH_WRITER_*).
set -euo pipefail

rest="${FLINK_REST:-jobmanager:8081}"
jobs="${PULSE_JOBS_DIR:?PULSE_JOBS_DIR must name the jobs/ directory of a built checkout}"

job_jar() {
  local jar
  jar=$(ls "$jobs/$1"/target/pulse-"$1"-*-job.jar 2>/dev/null | head -1 || true)
  [[ -n "$jar" ]] || { echo "submit-jobs: no shaded jar in $jobs/$1/target: build it with" \
    "mvn -B -pl jobs/$1 -am package -DskipTests" >&2; exit 1; }
  echo "$jar"
}

for _ in $(seq 60); do
  curl -sf "http://$rest/overview" >/dev/null && break
  sleep 2
done

running() {
  curl -sf "http://$rest/jobs/overview" | grep -o "\"name\":\"$1\",\"state\":\"RUNNING\"" \
    >/dev/null
}

submit() {
  local name="$1" class="$2" jar
  jar=$(job_jar "$name")
  if running "$name"; then
    echo "submit-jobs: $name is already running"
    return 0
  fi
  /opt/flink/bin/flink run -d -m "$rest" -c "$class" "$jar" \
    --kafka.bootstrap "$PULSE_KAFKA_BOOTSTRAP" --clickhouse.url "$PULSE_CLICKHOUSE_URL"
}

submit participation org.lifelongpulse.participation.ParticipationJob
submit fund-risk org.lifelongpulse.fundrisk.FundRiskJob
