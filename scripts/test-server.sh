#!/usr/bin/env bash
# Temporal's time-skipping test server (Java) from Maven Central: the SDK's own download needs temporal.download.
#   scripts/test-server.sh install   fetch the jars once into the cache (needs java 17+ and mvn)
#   scripts/test-server.sh check     exit 1 with the install command when the cache is missing
#   scripts/test-server.sh <port>    run the server (the one argument the SDK passes; test/helpers/time-skipping.ts)
set -euo pipefail
version=${TEMPORAL_TEST_SERVER_VERSION:-1.31.0}
cache=${TEMPORAL_TEST_SERVER_CACHE:-$HOME/.cache/order-cancellation/test-server}/$version
self=$(cd "$(dirname "$0")" && pwd)/$(basename "$0")

missing() {
  [ -f "$cache/lib/temporal-test-server-$version.jar" ] && command -v java >/dev/null 2>&1 && return 1
  echo "Temporal test server $version not found in $cache (or java missing): run \`$self install\` (needs java 17+ and mvn)" >&2
  return 0
}

case "${1:-}" in
  install)
    command -v mvn >/dev/null || { echo "mvn not found: apt-get install -y maven openjdk-17-jre-headless" >&2; exit 1; }
    mkdir -p "$cache"
    cat >"$cache/pom.xml" <<POM
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>local</groupId><artifactId>temporal-test-server-cache</artifactId><version>1</version>
  <dependencies>
    <dependency><groupId>io.temporal</groupId><artifactId>temporal-test-server</artifactId><version>$version</version></dependency>
  </dependencies>
</project>
POM
    mvn -q -B -f "$cache/pom.xml" dependency:copy-dependencies -DoutputDirectory="$cache/lib" -DincludeScope=runtime
    missing && exit 1
    # A class-data archive of one start-up run: later starts load classes from it (~25% faster on a busy machine).
    rm -f "$cache/server.jsa"
    java -XX:ArchiveClassesAtExit="$cache/server.jsa" -Xlog:cds=off -Xlog:cds+dynamic=off -cp "$cache/lib/*" \
      io.temporal.testserver.TestServer 47999 >/dev/null 2>&1 &
    pid=$!
    for _ in $(seq 600); do (echo >/dev/tcp/127.0.0.1/47999) 2>/dev/null && break; sleep 0.1; done
    kill "$pid" && wait "$pid" || true
    echo "temporal test server $version: $cache/lib"
    ;;
  check) missing && exit 1 || exit 0 ;;
  '' | -*) echo "usage: $0 install | check | <port>" >&2; exit 2 ;;
  *)
    missing && exit 1
    # C1 only and the class-data archive when present: start-up time is what tests wait for.
    cds=()
    [ -f "$cache/server.jsa" ] && cds=(-XX:SharedArchiveFile="$cache/server.jsa" -Xshare:auto -Xlog:cds=off)
    exec java -XX:+UseSerialGC -Xss512k -XX:TieredStopAtLevel=1 "${cds[@]}" -cp "$cache/lib/*" \
      io.temporal.testserver.TestServer "$@"
    ;;
esac
