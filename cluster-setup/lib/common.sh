# Shared by local-cluster and deploy (sourced; needs $here = cluster-setup and $root = the
# repository): the build, the cluster tool, and each daemon's jars ("bundles").
# shellcheck shell=bash
: "${here:?set by the sourcing script}" "${root:?set by the sourcing script}"

log() { printf '%s\n' "$*" >&2; }
die() { log "$(basename "$0"): $*"; exit 1; }

tool_classes=$here/tool/target/classes
stamp=$here/target/.cluster-setup-built

# The cluster tool: cluster_tool <command> <description> [args].
cluster_tool() {
  java -cp "$tool_classes" org.tinytags.cluster.ClusterSetup "$@"
}

# Builds the tool and every daemon's class path unless they are newer than their sources.
# TINYTAGS_NO_BUILD=1 uses what is built (the cluster test, inside the Maven build).
build_daemons() {
  if [ -n "${TINYTAGS_NO_BUILD:-}" ]; then
    if [ ! -f "$here/daemons/oozie/target/classpath.txt" ] || [ ! -f "$root/hive/target/hive-classpath.txt" ]; then
      die "TINYTAGS_NO_BUILD is set but the daemons' class paths are not built"
    fi
    return
  fi
  local sources=("$root/pom.xml" "$here" "$root/hive/pom.xml" "$root/mr-jobs/src/main/resources")
  if [ -f "$stamp" ] && [ -z "$(find "${sources[@]}" -newer "$stamp" -not -path '*/target/*' -print -quit)" ]; then
    return
  fi
  log "$(basename "$0"): building the daemons' class paths (first use or sources changed) ..."
  mkdir -p "$(dirname "$stamp")"
  # -C: every artifact's checksum from Maven Central must match (strict), or the build fails.
  if ! (cd "$root" && mvn -B -q -C -Dstyle.color=never -DskipTests \
      -pl cluster-setup/tool,cluster-setup/daemons/hadoop,cluster-setup/daemons/zookeeper,cluster-setup/daemons/solr,cluster-setup/daemons/oozie,cluster-setup/daemons/oozie-hive2,hive \
      -am package) > "$here/target/build.log" 2>&1; then
    cat "$here/target/build.log" >&2
    die "the build failed (log: $here/target/build.log)"
  fi
  touch "$stamp"
}

# The bundle (lib/<bundle>/) a role's daemon runs on.
bundle_of() {
  case $1 in
    namenode|datanode|resourcemanager|nodemanager|jobhistory) echo hadoop ;;
    hiveserver2) echo hive ;;
    *) echo "$1" ;;
  esac
}

# Where a bundle's jars come from (the Maven module that resolves them from Maven Central).
bundle_source() {
  case $1 in
    hive) echo "hive/pom.xml, Maven Central" ;;
    *) echo "cluster-setup/daemons/$1/pom.xml, Maven Central" ;;
  esac
}

# The class path file listing a bundle's jars.
bundle_classpath() {
  case $1 in
    hive) echo "$root/hive/target/hive-classpath.txt" ;;
    *) echo "$here/daemons/$1/target/classpath.txt" ;;
  esac
}

# bundle_files <bundle> <dir> <link|copy>: the bundle's jars into one directory (daemons and
# containers use dir/*), as links into the Maven repository or as copies with SHA256SUMS.
bundle_files() {
  local bundle=$1 lib=$2 how=$3 jar name
  rm -rf "$lib"
  mkdir -p "$lib"
  # (|| [ -n "$jar" ]: the file has no final newline, and the last jar counts too.)
  tr ':' '\n' < "$(bundle_classpath "$bundle")" | while read -r jar || [ -n "$jar" ]; do
    [ -n "$jar" ] || continue
    # HiveServer2 runs on the jars the hive command uses, without TinyTags' own.
    # (By file name: in a reactor build the class path names target/ jars, not the repository.)
    if [ "$bundle" = hive ] && [[ $(basename "$jar") == tinytags-* ]]; then continue; fi
    name=$(basename "$jar")
    # Two jars of one file name from different groups: keep both.
    [ -e "$lib/$name" ] && name=$(basename "$(dirname "$(dirname "$jar")")")-$name
    if [ "$how" = link ]; then ln -s "$jar" "$lib/$name"; else cp "$jar" "$lib/$name"; fi
  done
  if [ "$bundle" = solr ]; then
    local node
    node=$(find "$here/daemons/solr/target" -maxdepth 1 -name 'tinytags-daemon-solr-*.jar' | head -n 1)
    if [ "$how" = link ]; then ln -s "$node" "$lib/"; else cp "$node" "$lib/"; fi
  fi
  if [ "$how" = copy ]; then
    (cd "$lib" && sha256sum -- *.jar > SHA256SUMS)
  fi
}

# oozie_home: the parts of Oozie's home, a line each: <place under install/oozie> <built in>.
# The sharelib is <action type>/ under sharelib/lib/: the launcher's own (oozie) and hive2's.
oozie_home() {
  local built=$here/daemons/oozie/target/oozie-home
  printf '%s %s\n' embedded-oozie-server "$built/embedded-oozie-server" native "$built/native" \
    sharelib/lib/oozie "$built/sharelib/lib/oozie" \
    sharelib/lib/hive2 "$here/daemons/oozie-hive2/target/hive2"
}

# sharelib_id: 12 hex digits naming the Oozie sharelib this build installs (its jars' names), so
# that a cluster uploads it again when it changes and not otherwise.
sharelib_id() {
  local place from
  oozie_home | while read -r place from; do
    [[ $place == sharelib/* ]] && find -L "$from" -name '*.jar' -printf '%f\n'
  done | sort | sha256sum | cut -c1-12
}

# assemble_install <install dir> <link|copy>: lib/<bundle>/ for every daemon, Oozie's home
# (web app, native graph library, sharelib) and the Solr configset.
assemble_install() {
  local install=$1 how=$2 bundle place from
  for bundle in hadoop zookeeper solr hive oozie; do
    bundle_files "$bundle" "$install/lib/$bundle" "$how"
  done
  rm -rf "$install/oozie" "$install/solr"
  mkdir -p "$install/oozie" "$install/solr"
  mkdir -p "$install/oozie/sharelib/lib"
  while read -r place from; do
    if [ "$how" = link ]; then ln -s "$from" "$install/oozie/$place"; else cp -r "$from" "$install/oozie/$place"; fi
  done < <(oozie_home)
  # A copy either way: Solr refuses to upload symbolic links to ZooKeeper.
  cp -r "$root/mr-jobs/src/main/resources/org/tinytags/solr/configset/conf" "$install/solr/configset"
}

# hdfs_dirs_script <webhdfs url> <hdfs user> <tinytags user> <hue user> <oozie user> <hive user>:
# a script making the directories every cluster starts with, through WebHDFS as the superuser:
# /tmp and the warehouse world-writable (sticky), a home for each user that writes to HDFS.
hdfs_dirs_script() {
  local webhdfs=$1 superuser=$2 user
  cat <<SCRIPT
set -euo pipefail
put() { curl -fsS -o /dev/null -X PUT "$webhdfs\$1?\$2&user.name=$superuser"; }
put /tmp 'op=MKDIRS&permission=1777'
put /tmp 'op=SETPERMISSION&permission=1777'
put /user 'op=MKDIRS&permission=755'
put /user/hive/warehouse 'op=MKDIRS&permission=1777'
put /user/hive/warehouse 'op=SETPERMISSION&permission=1777'
SCRIPT
  for user in "${@:3}"; do
    echo "put /user/$user 'op=MKDIRS&permission=755'"
    echo "put /user/$user 'op=SETOWNER&owner=$user'"
  done
}
