#!/bin/sh
# The Pulumi YAML compiler command (Pulumi.yaml: runtime.options.compiler), run by Pulumi in infra/.
# Stdout must carry the template and nothing else, so the build (only when a source is newer than the compiled
# program) writes to stderr. The program is published ahead of time (NativeAOT, see Platform.Infra.csproj): a native
# executable that starts in milliseconds, because Pulumi runs this command 2-4 times per preview or update.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
out="$root/artifacts/compiler"
program="$out/Platform.Infra"

stale() {
  [ ! -f "$program" ] || [ -n "$(find "$here" "$root/Directory.Build.props" "$root/Directory.Packages.props" \
    \( -name '*.cs' -o -name '*.csproj' -o -name '*.props' \) -newer "$program" -print 2>/dev/null | head -n 1)" ]
}

if stale; then
  mkdir -p "$out"
  # Stacks compiled side by side on a fresh clone must not publish into the same folder at once: one builds, the
  # others wait for it and then find the program fresh (flock is in util-linux; without it, no waiting).
  exec 9>"$out/.lock"
  if command -v flock >/dev/null 2>&1; then flock 9; fi
  if stale; then
    echo "platform: building the compiler (infra/, native executable, about a minute the first time) ..." >&2
    if ! dotnet publish "$here/Platform.Infra.csproj" -c Release -o "$out" --nologo -v quiet -clp:ErrorsOnly 1>&2; then
      echo "error: the Platform compiler (infra/) does not build; fix the errors above (a native build also needs clang or gcc: https://learn.microsoft.com/dotnet/core/deploying/native-aot/#prerequisites), then run pulumi again." >&2
      exit 1
    fi
    touch "$program"
  fi
  exec 9>&-
fi

exec "$program"
