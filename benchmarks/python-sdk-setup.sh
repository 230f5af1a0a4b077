#!/usr/bin/env bash
# Sets up Microsoft's Python SDK for Dataverse for the `python-sdk` benchmark scenario, without PyPI: its dependencies
# from Debian's packages, the SDK itself from its public repository at a pinned commit.
#
#   benchmarks/python-sdk-setup.sh [DIR]     (DIR defaults to ~/.cache/dataverse-benchmarks/python-sdk)
#
# then run the scenario with DATAVERSE_PYTHON_SDK=DIR/src. Needs root (or sudo) for apt-get, and git.
set -euo pipefail

dir="${1:-$HOME/.cache/dataverse-benchmarks/python-sdk}"
# DATAVERSE_PYTHON_SDK_REPO: another clone URL or path of the same repository (a mirror).
repo="${DATAVERSE_PYTHON_SDK_REPO:-https://github.com/microsoft/PowerPlatform-DataverseClient-Python.git}"
# The newest commit benchmarked: version 0.1.0b11, synchronous client only.
commit="a76f5dbecc567fdeb8c5cd5d4171f151e4c4244b"
version="0.1.0b11"

sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
# python3-azure brings azure-core and azure-identity (and msal).
$sudo apt-get install -y --no-install-recommends python3 python3-requests python3-azure python3-pandas git

if [ ! -d "$dir/.git" ]; then
  git clone --quiet "$repo" "$dir"
fi
git -C "$dir" fetch --quiet origin "$commit" 2>/dev/null || true
git -C "$dir" checkout --quiet --force "$commit"

# Debian 12's Python is 3.11: it cannot parse an f-string that reuses its own quote inside a replacement field (that
# needs Python 3.12, PEP 701). Two such lines build the `in` filter, which the benchmark does not use; write them the
# pre-3.12 way, same result.
sed -i "s/\[f'\"{_format_value(v).strip(\"'\")}\"' for v in self.values\]/['\"' + _format_value(v).strip(\"'\") + '\"' for v in self.values]/" \
  "$dir/src/PowerPlatform/Dataverse/models/filters.py"

# The SDK reads its own version from the installed package's metadata; Debian's setuptools is too old for the SDK's
# pyproject.toml, so write the metadata pip would write, beside the source.
meta="$dir/src/PowerPlatform_Dataverse_Client-$version.dist-info"
mkdir -p "$meta"
printf 'Metadata-Version: 2.1\nName: PowerPlatform-Dataverse-Client\nVersion: %s\n' "$version" > "$meta/METADATA"

/usr/bin/python3 -c "import sys; sys.path.insert(0, '$dir/src'); import PowerPlatform.Dataverse.client; print('PowerPlatform-Dataverse-Client', PowerPlatform.Dataverse.__version__, 'imports')"
echo "Now: DATAVERSE_PYTHON_SDK=$dir/src ./mvnw -q -pl benchmarks -am compile exec:java -Dexec.args=\"--scenario python-sdk\""
