#!/usr/bin/env bash
# Builds the release tarball launcher/target/bifrost-<version>-linux-x64.tar.gz, the one artifact deploy-ansible
# installs. Run by the launcher's `package` phase (exec-maven-plugin, after target/lib is filled); by hand:
#
#   scripts/build-release.sh launcher/target 0.1.0-SNAPSHOT
#
# The tarball holds bifrost-<version>/{bin/bifrost, lib/*.jar, lib/bifrost-jvm.options, runtime/, RELEASE}.
# runtime/ is a jlink image of the build's JDK 21+ (TOOLCHAIN_JAVA_HOME, set by exec-maven-plugin from the JDK that
# maven-toolchains-plugin selected; else the JDK scripts/find-jdk.sh finds), because Debian 12 packages no Java 21.
#
# Its modules: a fixed list for the third-party jars (running jdeps over all of them takes minutes and fails on
# their module descriptors) plus whatever jdeps finds in Bifrost's own jars (seconds), so a module a Bifrost class
# starts using arrives by itself. BIFROST_RUNTIME_EXTRA_MODULES (comma-separated) adds more.
set -euo pipefail

target="$(cd "${1:?usage: build-release.sh TARGET_DIR VERSION}" && pwd)"
version="${2:?usage: build-release.sh TARGET_DIR VERSION}"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

jdk="${TOOLCHAIN_JAVA_HOME:-}"
if [ -z "$jdk" ] || [ ! -x "$jdk/bin/jlink" ]; then
  # shellcheck source=find-jdk.sh
  . "$root/scripts/find-jdk.sh"
  require_jdk build-release
  jdk="$(dirname "$(dirname "$(readlink -f "$JAVA")")")"
fi
for tool in jlink jdeps java; do
  [ -x "$jdk/bin/$tool" ] || { echo "build-release: $jdk has no bin/$tool (a full JDK 21+ is needed)" >&2; exit 1; }
done

launcher_jar="$target/launcher-$version.jar"
options="$target/classes/io/bifrost/launcher/bifrost-jvm.options"
for needed in "$launcher_jar" "$target/lib" "$options"; do
  [ -e "$needed" ] || { echo "build-release: $needed is missing (run the launcher's package phase)" >&2; exit 1; }
done

# Modules the third-party jars need (checked with jdeps per jar, see the header), plus the ones the JVM flags name
# (jdk.compiler, jdk.unsupported), so the runtime never warns about an unknown module in --add-exports/--add-opens.
fixed="java.base,java.compiler,java.desktop,java.instrument,java.logging,java.management,java.naming,java.net.http"
fixed+=",java.scripting,java.security.jgss,java.sql,java.transaction.xa,java.xml,jdk.charsets,jdk.compiler"
fixed+=",jdk.crypto.ec,jdk.management,jdk.naming.dns,jdk.net,jdk.unsupported,jdk.zipfs"
own_jars=("$launcher_jar")
for module in protocol ingest-rtmp gpu-transcoder origin-node edge-node control-plane; do
  own_jars+=("$target/lib/$module-$version.jar")
done
found="$("$jdk/bin/jdeps" --multi-release 21 --ignore-missing-deps --print-module-deps "${own_jars[@]}")"
available="$("$jdk/bin/java" --list-modules | sed 's/@.*//')"
modules="$(printf '%s\n' "$fixed,$found,${BIFROST_RUNTIME_EXTRA_MODULES:-}" | tr ',' '\n' | sed '/^$/d' | sort -u \
  | grep -Fxf <(printf '%s\n' "$available") | paste -sd, -)"

name="bifrost-$version"
staging="$target/release/$name"
rm -rf "$target/release"
mkdir -p "$staging/bin" "$staging/lib"
"$jdk/bin/jlink" --add-modules "$modules" --strip-debug --no-header-files --no-man-pages \
  --output "$staging/runtime"
cp "$launcher_jar" "$target"/lib/*.jar "$staging/lib/"
cp "$options" "$staging/lib/bifrost-jvm.options"
install -m 0755 "$root/launcher/src/assembly/bin/bifrost" "$staging/bin/bifrost"
{
  echo "version=$version"
  echo "java=$(sed -n 's/^JAVA_VERSION="\(.*\)"/\1/p' "$staging/runtime/release")"
  echo "modules=$modules"
} > "$staging/RELEASE"

# Same inputs, same bytes: fixed order, owner and time stamps, and no name or time in the gzip header, so
# re-running a build that changed nothing does not make Ansible see a new release.
artifact="$target/$name-linux-x64.tar.gz"
tar --sort=name --owner=0 --group=0 --numeric-owner --mtime='2000-01-01 00:00Z' -C "$target/release" -cf - "$name" \
  | gzip -n -1 > "$artifact.tmp"
mv "$artifact.tmp" "$artifact"
echo "build-release: $artifact ($(du -h "$artifact" | cut -f1); runtime: $modules)"
