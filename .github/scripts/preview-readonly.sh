#!/usr/bin/env bash
# preview-readonly.sh STACK
# A pull request's preview of STACK with its account's read-only role (the job's default credentials): the stack's
# deployer role (aws:assumeRoles) is dropped from this checkout's copy of Pulumi.STACK.yaml, so the AWS provider
# reads with the read-only role, which cannot assume the deployer. The console previews with the image the stack
# runs (its platform:image:<service> tags), so a preview never shows a running service being removed.
set -euo pipefail
stack=$1
pulumi config rm aws:assumeRoles --stack "$stack" >&2
$PLATFORM preview --stack "$stack"
