#!/usr/bin/env bash
# Makes room on the disk that holds Docker's data before the integration tests.
# From an empty build cache the integration label grows Docker's data by about
# 40 GB at its peak (the PyTorch and JAX images: framework wheels, the devel and
# runtime stages, the pip cache mount). BuildKit's cache is never trimmed by
# itself, so on a machine that ran the suite before, old cache entries can fill
# the disk and a build fails with "No space left on device".
#   scripts/docker_space.sh [NEEDED_GB]   (default 45)
# When less than NEEDED_GB is free, removes build cache entries unused for a day,
# then, if still short, all build cache that no image needs (the stand-in bases
# are images and stay). Says what it found and what it did; exits 0 either way,
# with a warning when there is still too little room.
set -euo pipefail
needed_gb=${1:-45}
root=$(docker info --format '{{.DockerRootDir}}' 2>/dev/null) || {
    echo "docker_space: the Docker engine does not answer; nothing to do"
    exit 0
}
free_gb() { df -BG --output=avail "$root" | tail -n 1 | tr -dc 0-9; }
have=$(free_gb)
echo "docker_space: ${have} GB free on $root (the integration tests need about ${needed_gb} GB)"
((have >= needed_gb)) && exit 0
echo "docker_space: removing build cache unused for 24 hours"
docker builder prune -f --filter until=24h >/dev/null
have=$(free_gb)
if ((have < needed_gb)); then
    echo "docker_space: ${have} GB free; removing all unused build cache"
    docker builder prune -af >/dev/null
    have=$(free_gb)
fi
echo "docker_space: ${have} GB free now"
if ((have < needed_gb)); then
    echo "docker_space: WARNING: less than ${needed_gb} GB free; the framework image tests may fail with" \
        "'No space left on device' (fix: free space on the disk of $root)" >&2
fi
