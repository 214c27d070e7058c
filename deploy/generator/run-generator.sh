#!/bin/bash
# Runs `./pulse generate ... --to kafka` inside the generator container from the command line's
# classpath built on the host (tools/cli/target/cli.classpath lists jars in the host's Maven
# repository, mounted at /m2; the project is mounted at /pulse).
set -euo pipefail

classpath_file=/pulse/tools/cli/target/cli.classpath
[[ -f "$classpath_file" ]] || { echo "generator: build the command line first:" \
  "mvn -B -pl tools/cli -am package -DskipTests" >&2; exit 1; }
classpath=$(sed -e "s#${PULSE_HOST_M2}#/m2#g" -e "s#${PULSE_HOST_HOME}#/pulse#g" \
  "$classpath_file")
cli_jar=$(ls /pulse/tools/cli/target/pulse-cli-*.jar | head -1)

# Flink's opens, from the one list (a java @argument file): the command line's JVM setup.
exec java @/pulse/deploy/flink/java17-opens.args \
  -cp "$cli_jar:$classpath" org.lifelongpulse.cli.PulseCli generate --to kafka \
  ${PULSE_GENERATE_ARGS:-}
