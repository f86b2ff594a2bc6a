#!/bin/sh
# The Pulumi YAML compiler command (Pulumi.yaml: runtime.options.compiler), run by Pulumi in infra/.
# Stdout must carry the template and nothing else, so the build (only when a source is newer than the
# compiled program) writes to stderr, and the program itself is started with plain `dotnet <dll>`.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
dll="$root/artifacts/bin/Platform.Infra/release/Platform.Infra.dll"

stale=
if [ ! -f "$dll" ]; then
  stale=yes
elif [ -n "$(find "$here" "$root/Directory.Build.props" "$root/Directory.Packages.props" \
          \( -name '*.cs' -o -name '*.csproj' -o -name '*.props' \) -newer "$dll" -print 2>/dev/null | head -n 1)" ]; then
  stale=yes
fi

if [ -n "$stale" ]; then
  echo "platform: building the compiler (infra/) ..." >&2
  if ! dotnet build "$here/Platform.Infra.csproj" -c Release --nologo -v quiet -clp:ErrorsOnly 1>&2; then
    echo "error: the Platform compiler (infra/) does not build; fix the errors above, then run pulumi again." >&2
    exit 1
  fi
  touch "$dll"
fi

exec dotnet "$dll"
