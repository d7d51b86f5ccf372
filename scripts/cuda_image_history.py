#!/usr/bin/env python3
"""Print the per-release facts of NVIDIA's CUDA container image repository.

Reads a git clone of NVIDIA's container-images/cuda repository (any mirror
with its history) and prints, for every CUDA release X.Y.Z ever built under
dist/ (including dist/end-of-life/), the OS tokens with their architectures,
the OS tokens with cudnn flavors, the cudnn flavor spelling, NV_CUDNN_VERSION,
the forward-compatibility driver branches of NVIDIA_REQUIRE_CUDA and whether
GeForce brands are listed there. The output is YAML rows for
generator/data/cuda_images.yaml; review it before pasting.

usage: scripts/cuda_image_history.py CLONE [RELEASE...]
"""
import collections
import re
import subprocess
import sys

RELEASE = re.compile(r"^dist/(?:end-of-life/)?(\d+\.\d+\.\d+)/([^/]+)/(.*)$")
ARCH_NAMES = {"x86_64": "amd64", "arm64": "arm64", "ppc64le": "ppc64le"}


def git(clone, *args):
    return subprocess.run(["git", "-C", clone, *args], check=True, capture_output=True, text=True).stdout


def os_token(directory):
    """ubuntu2204 -> ubuntu22.04; ubuntu18.04-x86_64 -> (ubuntu18.04, amd64).

    The old per-architecture layout (<os>-<arch>/) pushed arm64 and ppc64le
    images to the separate nvidia/cuda-arm64 and nvidia/cuda-ppc64le
    repositories, so only its x86_64 directories count for nvidia/cuda.
    """
    arch = None
    for suffix in ("-x86_64", "-arm64", "-ppc64le"):
        if directory.endswith(suffix):
            if suffix != "-x86_64":
                return None, None
            arch = "amd64"
            directory = directory[: -len(suffix)]
    match = re.fullmatch(r"ubuntu(\d\d)(\d\d)", directory)
    if match:
        directory = f"ubuntu{match.group(1)}.{match.group(2)}"
    return directory, arch


def newest_existing(clone):
    """path -> a commit where the file exists (the newest add/modify in history)."""
    out = git(clone, "log", "--all", "--name-status", "--format=C %H", "--", "dist")
    commit, seen = None, {}
    for line in out.splitlines():
        if line.startswith("C "):
            commit = line[2:]
            continue
        fields = line.split("\t")
        if len(fields) < 2 or fields[0].startswith("D"):
            continue
        path = fields[-1]
        seen.setdefault(path, commit)
    return seen


def collect(clone):
    releases = collections.defaultdict(lambda: {"os": collections.defaultdict(set), "cudnn_os": set(),
                                                "flavors": set(), "cudnn": set(), "fc_by_os": {}})
    for path, commit in newest_existing(clone).items():
        match = RELEASE.match(path)
        if not match:
            continue
        version, directory, rest = match.groups()
        os_name, arch = os_token(directory)
        if os_name is None:
            continue
        row = releases[version]
        row["os"][os_name]
        if arch:
            row["os"][os_name].add(arch)
        cudnn = re.match(r"(?:runtime|devel)/(cudnn\d*)/Dockerfile$", rest)
        if cudnn:
            row["cudnn_os"].add(os_name)
            row["flavors"].add(cudnn.group(1) + "-")
        if rest.endswith("Dockerfile") and (rest.startswith("base/") or cudnn):
            read_dockerfile(git(clone, "show", f"{commit}:{path}"), row, os_name, base=rest.startswith("base/"))
    return releases


def read_dockerfile(text, row, os_name, base):
    if base:
        if re.search(r"base-amd64|NVARCH[ =]x86_64", text):
            row["os"][os_name].add("amd64")
        if re.search(r"base-arm64|NVARCH[ =]sbsa", text):
            row["os"][os_name].add("arm64")
        if re.search(r"base-ppc64le|NVARCH[ =]ppc64le", text):
            row["os"][os_name].add("ppc64le")
        require = re.search(r'NVIDIA_REQUIRE_CUDA[ =]"([^"]*)"', text)
        if require:
            row["fc_by_os"][os_name] = (sorted({int(b) for b in re.findall(r"brand=\w+,driver>=(\d+)", require.group(1))}),
                                        "brand=geforce" in require.group(1))
    for cudnn in re.findall(r"NV_CUDNN_VERSION[ =]([0-9.]+)", text):
        row["cudnn"].add(cudnn)


def emit(version, row):
    print(f'    - cuda: "{version}"')
    flavors = sorted(row["flavors"])
    print(f'      cudnn_flavor: "{flavors[0] if len(flavors) == 1 else ""}"' + ("" if len(flavors) < 2 else f"  # several: {flavors}"))
    if row["cudnn"]:
        print(f'      cudnn: "{max(row["cudnn"], key=lambda v: [int(p) for p in v.split(".")])}"')
    if row["fc_by_os"]:
        # The newest Ubuntu's base image speaks for the release.
        source_os = max(row["fc_by_os"], key=lambda s: (s.startswith("ubuntu"), s))
        branches, geforce = row["fc_by_os"][source_os]
        print(f'      fc_branches: [{", ".join(str(b) for b in branches)}]')
        print(f'      fc_geforce: {"true" if geforce else "false"}')
    print("      os:")
    for os_name in sorted(row["os"], key=lambda s: (re.sub(r"[\d.]+$", "", s), [float(x) for x in re.findall(r"[\d.]+$", s)]), reverse=True):
        archs = sorted(row["os"][os_name])
        print(f'        {os_name}: [{", ".join(archs)}]')
    no_cudnn = sorted(set(row["os"]) - row["cudnn_os"])
    if row["flavors"] and no_cudnn:
        print(f'      no_cudnn_os: [{", ".join(no_cudnn)}]')


def main():
    if len(sys.argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    releases = collect(sys.argv[1])
    wanted = sys.argv[2:] or sorted(releases, key=lambda v: [int(p) for p in v.split(".")], reverse=True)
    for version in wanted:
        emit(version, releases[version])
    return 0


if __name__ == "__main__":
    sys.exit(main())
