#!/bin/sh
# The Pulumi YAML compiler command (Pulumi.yaml: runtime.options.compiler), run by Pulumi in infra/.
# Stdout must carry the template and nothing else, so the builds (only when a source is newer than what they make)
# write to stderr. The program is published ahead of time (NativeAOT, see Platform.Infra.csproj): a native
# executable that starts in milliseconds, because Pulumi runs this command 2-4 times per preview or update.
# The template names the ingestion function's package (docs/ingestion-function.md), which Pulumi reads when it
# evaluates the template: it is built here too when it is missing or older than a source of the function.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
out="$root/artifacts/compiler"
program="$out/Platform.Infra"
package="$root/artifacts/functions/ingest.zip"

# sources FIND-TEST...: the first C#, project or MSBuild file of infra/, functions/ or the root props that passes the
# test, or nothing.
sources() {
  find "$here" "$root/functions" "$root/Directory.Build.props" "$root/Directory.Packages.props" \
    \( -name '*.cs' -o -name '*.csproj' -o -name '*.props' -o -name '*.targets' \) "$@" -print -quit 2>/dev/null
}
# The compiler is built from infra/ and the props; the package from functions/ and the props.
compiler_stale() { [ ! -f "$program" ] || [ -n "$(sources -newer "$program" ! -path "$root/functions/*")" ]; }
package_stale() { [ ! -f "$package" ] || [ -n "$(sources -newer "$package" ! -path "$here/*")" ]; }

# A build that finds its output unchanged may leave its time stamp alone: touch it, or every run would build again.
# A failed publish may still have written the program (the native toolchain can report errors after writing it):
# remove it, so the next run publishes again instead of running what a failed build left.
publish_compiler() {
  if dotnet publish "$here/Platform.Infra.csproj" -c Release -o "$out" --nologo -v quiet -clp:ErrorsOnly; then
    touch "$program"
  else
    rm -f "$program"
    return 1
  fi
}
build_package() {
  dotnet build "$root/functions/Platform.Ingest/Platform.Ingest.csproj" -c Release --nologo -v quiet -clp:ErrorsOnly && touch -c "$package"
}

# once STALE LOCK MESSAGE FAILURE BUILD: runs BUILD (its output on stderr) when STALE says so. Stacks compiled side
# by side on a fresh clone must not build into the same folder at once: one builds, the others wait for it and then
# find the output fresh (flock is in util-linux; without it, no waiting).
once() {
  check=$1 lock=$2 message=$3 failure=$4 build=$5
  $check || return 0
  mkdir -p "$(dirname "$lock")"
  exec 9>"$lock"
  if command -v flock >/dev/null 2>&1; then flock 9; fi
  if $check; then
    echo "platform: $message" >&2
    if ! $build 1>&2; then
      echo "error: $failure" >&2
      exit 1
    fi
  fi
  exec 9>&-
}

# The usual run, nothing to build, costs one find for both outputs; anything stale takes the checks one by one.
if [ ! -f "$program" ] || [ ! -f "$package" ] ||
  [ -n "$(sources \( -newer "$program" ! -path "$root/functions/*" -o -newer "$package" ! -path "$here/*" \))" ]; then
  once compiler_stale "$out/.lock" "building the compiler (infra/, native executable, about a minute the first time) ..." \
    "the Platform compiler (infra/) does not build; fix the errors above (a native build also needs clang or gcc: https://learn.microsoft.com/dotnet/core/deploying/native-aot/#prerequisites), then run pulumi again." \
    publish_compiler
  once package_stale "$(dirname "$package")/.lock" "building the ingestion function's package (functions/Platform.Ingest, Release) ..." \
    "the ingestion function (functions/Platform.Ingest) does not build; fix the errors above, then run pulumi again." \
    build_package
fi

exec "$program"
