#!/usr/bin/env bash
# Seeds the fuzz corpus with every AsyncAPI document of the shared corpus (valid and invalid)
# and the repository's own test specs (the real-world fixtures among them), each named by its
# content hash as libFuzzer does.
set -euo pipefail
cd "$(dirname "$0")"
mkdir -p corpus/generator
find ../../shared/corpus ../tests/specs ../asyncapi-codegen/tests/fixtures -type f \( -name '*.yml' -o -name '*.yaml' -o -name '*.json' \) -size -256k -print0 |
    while IFS= read -r -d '' file; do
        cp "$file" "corpus/generator/$(sha1sum < "$file" | cut -c1-40)"
    done
echo "seeded $(find corpus/generator -type f | wc -l) files"
