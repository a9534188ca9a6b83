#!/usr/bin/env bash
# Builds one self-contained binary (the Swift runtime and Foundation linked in) and packs it with the
# README and sample-data/ into dist/binnacle-<version>-linux-<arch>.tar.gz, for a machine without Swift.
# The target machine needs only Debian's libsqlite3-0 and libncursesw6 (see "Installing without Swift").
# Prints the tarball's path, its only output on stdout.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

# Installs the Debian packages the build needs when missing, then builds: in its own scratch path, so
# the debug build in .build is left as it is. Its output goes to stderr: stdout is the tarball's path.
scratch=.build-release
source scripts/setup.sh -c release --static-swift-stdlib --scratch-path "$scratch" --product binnacle >&2
built="$scratch/release/binnacle"

version=$("$built" --version)
name="binnacle-$version-linux-$(uname -m)"
stage="dist/$name"
rm -rf "$stage" "dist/$name.tar.gz"
mkdir -p "$stage"
# Debug info is most of the size; the symbol table stays so that a crash's backtrace names functions.
strip --strip-debug -o "$stage/binnacle" "$built"
cp README.md "$stage/"
cp -R sample-data "$stage/"
tar -czf "dist/$name.tar.gz" -C dist "$name"
echo "package: binary $(du -h "$stage/binnacle" | cut -f1), tarball $(du -h "dist/$name.tar.gz" | cut -f1)" >&2
rm -rf "$stage"
echo "dist/$name.tar.gz"
