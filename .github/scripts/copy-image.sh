#!/usr/bin/env bash
# copy-image.sh SOURCE TARGET DIGEST TAG
# Promotes an image without rebuilding it: copies SOURCE@DIGEST (the previous stage's repository, read with the
# platform-images profile) to TARGET (this stage's repository, with the job's own credentials), byte for byte, so the
# digest stays the same (skopeo --preserve-digests fails rather than change it). Does nothing when TARGET already
# holds the digest (a re-run). Repositories are <account>.dkr.ecr.<region>.amazonaws.com/<name>.
set -euo pipefail
source=$1 target=$2 digest=$3 tag=$4
if aws ecr describe-images --repository-name "${target#*/}" --image-ids "imageDigest=$digest" >/dev/null 2>&1; then
  echo "$target already holds $digest: nothing to copy."
  exit 0
fi
aws ecr get-login-password --profile platform-images | skopeo login --username AWS --password-stdin "${source%%/*}"
aws ecr get-login-password | skopeo login --username AWS --password-stdin "${target%%/*}"
skopeo copy --all --preserve-digests "docker://$source@$digest" "docker://$target:$tag"
echo "copied $digest from $source to $target:$tag"
