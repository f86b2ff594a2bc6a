#!/usr/bin/env bash
# scan-gate.sh REPOSITORY DIGEST
# Waits for ECR's scan on push of the image and fails when it found CRITICAL vulnerabilities, so that no stage runs it.
set -euo pipefail
repository=$1 digest=$2
aws ecr wait image-scan-complete --repository-name "$repository" --image-id "imageDigest=$digest"
critical=$(aws ecr describe-image-scan-findings --repository-name "$repository" --image-id "imageDigest=$digest" \
  --query 'imageScanFindings.findingSeverityCounts.CRITICAL' --output text)
if [ "$critical" != "None" ] && [ "$critical" -gt 0 ]; then
  echo "::error::$repository@$digest has $critical CRITICAL vulnerabilities (aws ecr describe-image-scan-findings): not promoted."
  exit 1
fi
echo "$repository@$digest: scan complete, no CRITICAL findings."
