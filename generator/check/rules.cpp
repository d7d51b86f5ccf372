// The rule catalog. Each example is a whole profile; a unit test runs it
// through load, resolve and check and expects exactly example_message.
#include "check/rules.hpp"

#include <algorithm>
#include <cstdio>
#include <cstdlib>

namespace cudagen {

namespace {

constexpr Severity E = Severity::error;
constexpr Severity W = Severity::warning;

// clang-format off
const std::vector<RuleInfo> k_rules = {
    // --- resolve: the profile names something that does not exist --------------------------
    {"tag/no-such-cuda", E, "resolve",
     "The CUDA release has no nvidia/cuda images (no such release, e.g. 12.7, or a point release that never shipped).",
     "name: demo\ncuda: \"12.7\"\n", "", "",
     "CUDA 12.7 has no nvidia/cuda images (no such release in the tag table)"},
    {"tag/latest", E, "resolve",
     "`latest` is not an nvidia/cuda tag: it was removed and pulls fail with 'manifest unknown' (NVIDIA/nvidia-docker#1454). "
     "The profile loader rejects it first; resolution rejects it for profiles built in code.",
     "name: demo\ncuda: latest\n", "", "",
     "cuda: latest is not a tag: nvidia/cuda has no 'latest' (manifest unknown)"},
    {"framework/unknown-name", E, "resolve",
     "The framework is not one cudagen knows (pytorch, tensorflow, jax). The profile loader usually rejects it first.",
     "name: demo\nframework: {name: pytorh, version: \"2.3\"}\n", "", "",
     "unknown framework 'pytorh' (did you mean 'pytorch'?)"},
    {"framework/unknown-version", E, "resolve",
     "The framework version is not in the knowledge tables, so its wheels and CUDA cannot be resolved "
     "(replicate/cog#390: 'couldn't automatically determine a CUDA version for torch==1.10.1').",
     "name: demo\nframework: {name: pytorch, version: \"2.3.7\"}\n", "", "",
     "torch 2.3.7 is not in the PyTorch table (known: 1.8.0 to 2.15.0)"},
    {"framework/unchecked", W, "check",
     "The framework release is newer than cudagen's tables; the profile states its CUDA, so it is built with that CUDA's "
     "wheel, but its wheel, Python range and GPU archs are not checked (update cudagen to check them).",
     "name: demo\ncuda: \"13.2\"\nframework: {name: pytorch, version: \"2.16.0\"}\n", "", "",
     "torch 2.16.0 is not in cudagen's tables (PyPI read 2026-11-29, newest known 2.15.0): its wheel, Python range and GPU "
     "archs are not checked"},
    {"framework/unknown-companion", E, "resolve",
     "framework.with names a package cudagen does not pin for that framework.",
     "name: demo\nframework: {name: pytorch, version: \"2.3\", with: [torchtext]}\n", "", "",
     "'torchtext' is not a companion cudagen pins for pytorch"},
    {"arch/unknown-gpu", E, "resolve",
     "A GPU arch is neither a compute capability, an sm_/compute_ target nor a GPU `cudagen gpus` lists (a bad --gpu is a "
     "usage error, exit 2).",
     "name: demo\ngpu_archs: [a1000]\n", "", "",
     "'a1000' is neither a compute capability, an sm_XX target nor a known GPU (did you mean 'a100'?)"},
    // --- check: framework and CUDA --------------------------------------------------------
    {"compat/torch-no-wheel-for-cuda", E, "check",
     "PyTorch has no wheel for the image's CUDA major: extensions built with the image's nvcc will not load into torch.",
     "name: demo\ncuda: \"13.0\"\nframework: {name: pytorch, version: \"2.3.1\"}\n", "", "",
     "torch 2.3.1 has no wheel for CUDA 13.0 (its wheels: cu118, cu121)"},
    {"compat/torch-cuda-minor-differs", W, "check",
     "The image's CUDA X.Y has no torch wheel of its own; the nearest wheel of the same major runs, but extensions build "
     "with a different minor than torch's.",
     "name: demo\ncuda: \"12.6\"\nframework: {name: pytorch, version: \"2.5.1\"}\n", "", "",
     "torch 2.5.1 has no cu126 wheel; its cu124 wheel (CUDA 12.4) will run on the CUDA 12.6.3 image"},
    {"compat/tensorflow-cuda-mismatch", E, "check",
     "TensorFlow before 2.14 loads the image's CUDA libraries and needs the CUDA it was built with.",
     "name: demo\ncuda: \"12.2\"\nframework: {name: tensorflow, version: \"2.12\"}\n", "", "",
     "tensorflow 2.12.1 is built for CUDA 11.8 and loads the image's libraries, but the image has CUDA 12.2.2"},
    {"compat/tensorflow-needs-cudnn", E, "check",
     "TensorFlow before 2.14 needs cuDNN from the image.",
     "name: demo\ncudnn: false\nframework: {name: tensorflow, version: \"2.12\"}\n", "", "",
     "tensorflow 2.12.1 needs cuDNN 8.6 from the image, but cudnn is false"},
    {"compat/jax-no-wheel-for-cuda", E, "check",
     "The JAX release has no jax[cudaNN] extra for the image's CUDA major (or the image is older than the extra needs).",
     "name: demo\ncuda: \"13.0\"\nframework: {name: jax, version: \"0.4.30\"}\n", "", "",
     "jax 0.4.30 has no CUDA 13 wheels (extras: cuda12)"},
    {"framework/two-cuda-runtimes", W, "check",
     "The framework brings CUDA libraries of another major than the image's: two CUDA runtimes end up in one process "
     "(a conda CUDA package of another major: conda/cuda-pin-mismatch).",
     "name: demo\ncuda: \"13.0\"\nframework: {name: tensorflow, version: \"2.15\"}\n", "", "",
     "tensorflow 2.15.1 brings CUDA 12.2 pip libraries into a CUDA 13.0.2 image: two CUDA runtimes in one process"},
    {"framework/companion-mismatch", E, "check",
     "A companion (torchvision, torchaudio) or the framework itself is pinned in pip.packages or the conda environment to "
     "a version that does not pair with the framework release.",
     "name: demo\nframework: {name: pytorch, version: \"2.3.1\"}\npip:\n  packages: [\"torchvision==0.17.0\"]\n", "", "",
     "torchvision==0.17.0 in pip.packages conflicts with torch 2.3.1, which pairs with torchvision 0.18.1"},
    {"python/out-of-range", E, "check",
     "The Python version has no wheels of the framework release.",
     "name: demo\npython: \"3.13\"\nframework: {name: pytorch, version: \"2.3\"}\n", "", "",
     "Python 3.13 is outside torch 2.3.1's range 3.8-3.11 (3.12 experimental)"},
    {"python/experimental", W, "check",
     "The framework release supports the Python version only experimentally.",
     "name: demo\npython: \"3.12\"\nframework: {name: pytorch, version: \"2.3\"}\n", "", "",
     "torch 2.3.1 supports Python 3.12 only experimentally (stable: 3.8-3.11)"},
    {"conda/cudatoolkit-with-pytorch-channel", E, "check",
     "cudatoolkit next to pytorch >= 1.13 from the pytorch channel: that channel's CUDA builds depend on pytorch-cuda from "
     "the nvidia channel, so the solver settles on a CPU-only pytorch (torch.cuda.is_available() is False).",
     "name: demo\nframework: {name: pytorch, version: \"2.3.1\", channel: conda}\nconda:\n  environment: environment.yml\n", "",
     "channels: [pytorch, conda-forge]\ndependencies:\n  - python=3.10\n  - pytorch=2.3.1\n  - cudatoolkit=12.1\n",
     "cudatoolkit=12.1 with pytorch 2.3.1 from the pytorch channel: since 1.13 its CUDA builds need pytorch-cuda, so the "
     "solver picks a CPU-only pytorch"},
    {"conda/python-mismatch", E, "check",
     "The conda environment pins a Python (python=X.Y, or a pyX.Y build string of its framework) that does not admit the "
     "profile's Python: the environment cannot be solved, or its builds are for another interpreter.",
     "name: demo\npython: \"3.11\"\nconda:\n  environment: environment.yml\n", "",
     "channels: [conda-forge]\ndependencies:\n  - python=3.9\n  - numpy=1.26\n",
     "python=3.9 in environment.yml does not admit Python 3.11 (the profile's python)"},
    {"conda/cuda-pin-mismatch", E, "check",
     "The conda environment selects a CUDA of another major than the image's (pytorch-cuda, cudatoolkit, cuda-version, "
     "cuda-toolkit, or cudaX.Y in a build string): two CUDA runtimes of different majors in one process. Without cuda in "
     "the profile, the pin decides the image's CUDA instead.",
     "name: demo\ncuda: \"12.4\"\nconda:\n  environment: environment.yml\n", "",
     "channels: [pytorch, nvidia]\ndependencies:\n  - pytorch=2.0.1\n  - pytorch-cuda=11.8\n",
     "pytorch-cuda=11.8 in environment.yml selects CUDA 11.8, but the image has CUDA 12.4.1: two CUDA runtimes of "
     "different majors in one process"},
    {"conda/cuda-pin-minor-differs", W, "check",
     "The conda environment selects another CUDA minor than the image's: the libraries load (minor-version "
     "compatibility), but extensions built with the image's nvcc target another CUDA than the environment's.",
     "name: demo\ncuda: \"12.4\"\nconda:\n  environment: environment.yml\n", "",
     "channels: [conda-forge]\ndependencies:\n  - cuda-version=12.1\n",
     "cuda-version=12.1 in environment.yml selects CUDA 12.1, but the image has CUDA 12.4.1: extensions built with the "
     "image's nvcc target another CUDA than the environment's"},
    {"conda/no-such-build", E, "check",
     "The pytorch conda channel has no build of the pinned pytorch for the pinned CUDA (its builds differ from pip's "
     "wheels in places: pytorch.org previous-versions): the solver fails or settles on a CPU-only pytorch.",
     "name: demo\nconda:\n  environment: environment.yml\n", "",
     "channels: [pytorch, nvidia]\ndependencies:\n  - pytorch=2.0.1\n  - pytorch-cuda=12.1\n",
     "the pytorch channel has no CUDA 12.1 build of pytorch 2.0.1 (its CUDA builds: 11.7, 11.8): the solver fails or "
     "installs a CPU-only pytorch"},
    {"conda/framework-installed-twice", W, "check",
     "The framework is installed by conda (environment dependencies) and again by pip (its pip section, pip.packages, a "
     "requirements file, or a framework block with channel pip): pip overwrites conda's files and the two builds' "
     "libraries mix.",
     "name: demo\nconda:\n  environment: environment.yml\n", "",
     "channels: [pytorch, nvidia]\ndependencies:\n  - pytorch=2.1.2\n  - pytorch-cuda=12.1\n  - pip\n  - pip:\n"
     "    - torch==2.1.2\n",
     "torch==2.1.2 in environment.yml:7 installs torch again with pip over pytorch=2.1.2 from conda (environment.yml:3): "
     "pip replaces conda's files and the two builds' libraries mix"},
    {"conda/known-breakage", E, "check",
     "A combination known to install but fail at import, from the breakages table (generator/data/user_pins.yaml): "
     "pytorch-channel builds before 2.3 link MKL dynamically and fail with MKL 2024.1 or newer (pytorch/pytorch#123097).",
     "name: demo\nconda:\n  environment: environment.yml\n", "",
     "channels: [pytorch, nvidia]\ndependencies:\n  - pytorch=2.1.0\n  - pytorch-cuda=12.1\n",
     "pytorch=2.1.0 from the pytorch channel with mkl is not pinned, so the solver picks 2024.1 or newer: import torch "
     "fails: libtorch_cpu.so: undefined symbol: iJIT_NotifyEvent (pytorch/pytorch#123097)"},
    // --- check: driver ---------------------------------------------------------------------
    {"compat/driver-too-old", E, "check",
     "With --driver: the driver is older than the image's CUDA (NVIDIA_REQUIRE_CUDA refuses to start the container: "
     "NVIDIA/nvidia-container-toolkit#940) and not on a forward-compat branch, or older than the framework's CUDA major needs.",
     "name: demo\nframework: {name: pytorch, version: \"2.3\"}\n", "--driver 450.80.02", "",
     "driver 450.80.02 is too old for CUDA 12.1.1 images (NVIDIA_REQUIRE_CUDA cuda>=12.1 needs 530.30.02 or newer)"},
    {"compat/driver-needs-forward-compat", W, "check",
     "With --driver: the driver is older than the image's CUDA but on a branch the image accepts through cuda-compat, "
     "which works on datacenter GPUs only.",
     "name: demo\ncuda: \"12.4\"\n", "--driver 535.104.05", "",
     "driver 535.104.05 is older than CUDA 12.4 (550.54.14); the image starts only on datacenter GPUs through its "
     "cuda-compat package (branch 535)"},
    {"compat/forward-compat-unsupported-gpu", E, "check",
     "With --driver and a GeForce/TITAN --gpu: the driver is older than the image's CUDA and only forward compatibility "
     "could start it, which does not work on GeForce: from CUDA 12.5 the images' NVIDIA_REQUIRE_CUDA lists no GeForce "
     "brand (refused at container start); before, cuda-compat fails with CUDA error 804 (NVIDIA CUDA Compatibility guide, "
     "'Forward Compatibility'; gitlab.com/nvidia/container-images/cuda#183).",
     "name: demo\ncuda: \"12.6\"\n", "--driver 535.104.05 --gpu \"NVIDIA GeForce RTX 4090\"", "",
     "driver 535.104.05 is older than CUDA 12.6 (560.28.03) and NVIDIA GeForce RTX 4090 is a GeForce GPU: from CUDA 12.5 the "
     "image's NVIDIA_REQUIRE_CUDA accepts an older branch only on datacenter and professional brands, so the container is "
     "refused at start"},
    {"compat/driver-too-old-for-gpu", E, "check",
     "With --driver and --gpu: the driver branch is older than the GPU's generation (e.g. Blackwell needs R570, the "
     "driver of CUDA 12.8, the first release with sm_100/sm_120).",
     "name: demo\ncuda: \"12.4\"\n", "--driver 550.54.15 --gpu b200", "",
     "driver 550.54.15 predates b200 (Blackwell, sm_100): its oldest driver branch is R570"},
    {"compat/driver-is-cuda-version", W, "check",
     "--driver is the CUDA version nvidia-smi prints in its header (12.2), not a driver release: it is checked as a driver "
     "that runs that CUDA and older.",
     "name: demo\ncuda: \"12.2\"\n", "--driver 12.2", "",
     "--driver 12.2 is the CUDA version nvidia-smi prints in its header, not a driver release: checked as a driver that runs "
     "CUDA 12.2 and older"},
    // --- check: tags -----------------------------------------------------------------------
    {"tag/no-such-os", E, "check",
     "The CUDA release is not built for the OS (e.g. CUDA 13 dropped Ubuntu 20.04).",
     "name: demo\ncuda: \"13.0\"\nos: ubuntu20.04\n", "", "",
     "nvidia/cuda 13.0.2 is not built for ubuntu20.04 (it has amzn2023, azl3, opensuse15, oraclelinux8, oraclelinux9, "
     "rockylinux8, rockylinux9, ubi8, ubi9, ubuntu22.04, ubuntu24.04)"},
    {"tag/no-cudnn-for-os", E, "check",
     "The CUDA release has no cudnn flavor for the OS (e.g. 12.5.1 on ubuntu24.04).",
     "name: demo\ncuda: \"12.5\"\nos: ubuntu24.04\ncudnn: true\n", "", "",
     "nvidia/cuda 12.5.1 has no cudnn images for ubuntu24.04"},
    {"tag/no-image-for-platform", E, "check",
     "A requested platform has no image for that CUDA release and OS (e.g. no arm64 Ubuntu images before 11.2.2).",
     "name: demo\ncuda: \"11.1\"\nos: ubuntu20.04\nplatforms: [linux/amd64, linux/arm64]\n", "", "",
     "nvidia/cuda 11.1.1 has no arm64 image for ubuntu20.04 (only amd64)"},
    {"tag/superseded", W, "check",
     "An older point release: NVIDIA supports only the newest point release of each X.Y and deletes old tags "
     "(replicate/cog#1162, NVIDIA/nvidia-docker#1768).",
     "name: demo\ncuda: \"12.4.0\"\n", "", "",
     "CUDA 12.4.0 is superseded by 12.4.1; NVIDIA supports only the newest point release and deletes old tags"},
    {"tag/eol", W, "check",
     "The release is end-of-life: its tags may be deleted from Docker Hub (replicate/cog#863).",
     "name: demo\ncuda: \"11.4\"\n", "", "",
     "nvidia/cuda 11.4.3 is end-of-life: its tags may be deleted from Docker Hub at any time"},
    {"tag/unconfirmed", W, "check",
     "The release's tags were only seen in public Dockerfiles or a Docker Hub scan, not in NVIDIA's repository.",
     "name: demo\ncuda: \"13.3\"\n", "", "",
     "nvidia/cuda 13.3.1 tags were only seen in public Dockerfiles, not in NVIDIA's repository"},
    // --- check: GPU archs ------------------------------------------------------------------
    {"arch/not-compilable", E, "check",
     "The image's nvcc cannot compile a GPU arch (e.g. CUDA 13 removed sm_50-sm_72; sm_120 needs CUDA 12.8).",
     "name: demo\ncuda: \"13.0\"\ngpu_archs: [\"7.0\"]\n", "", "",
     "CUDA 13.0.2 cannot compile sm_70 (nvcc supports it from CUDA 11.0 to 12.9)"},
    {"arch/not-in-wheel", E, "check",
     "A GPU (from gpu_archs or --gpu) has no kernels in the framework's wheel: 'no kernel image is available' or "
     "'sm_120 is not compatible with the current PyTorch installation' (pytorch/pytorch#167244, replicate/cog#436).",
     "name: demo\nframework: {name: pytorch, version: \"2.6\"}\n", "--gpu \"rtx 5090\"", "",
     "torch 2.6.0 cu124 has no kernels for rtx 5090 (sm_120): its wheel has 5.0;6.0;7.0;7.5;8.0;8.6;9.0 without PTX"},
    {"arch/gpu-not-targeted", E, "check",
     "With --gpu: what the image compiles (gpu_archs, PTX) cannot run on the GPU.",
     "name: demo\ncuda: \"12.4\"\ngpu_archs: [\"9.0\"]\nptx: false\n", "--gpu a100", "",
     "the image compiles for 9.0, which cannot run on a100 (sm_80) ('no kernel image is available for execution on the "
     "device')"},
    {"framework/pinned-without-framework", W, "check",
     "torch, tensorflow or jax is pinned to a range in pip.packages or a requirements file, and the profile has no "
     "framework: CUDA was picked without it and nothing checks the pin. An exact pin (torch==1.13.1, pytorch=1.13.1) "
     "is adopted as the profile's framework instead, located at the pin.",
     "name: demo\npip:\n  packages: [\"torch>=1.13,<2\"]\n", "", "",
     "torch>=1.13,<2 in pip.packages is not checked: the profile has no framework, so CUDA 13.2.0 was picked without it"},
    {"framework/pinned-cuda-mismatch", E, "check",
     "A +cuXYZ local version or a .../whl/cuXYZ index in pip.packages, pip.extra_index_urls or a requirements file names "
     "a CUDA build other than the image's CUDA major (or, for torch, other than the wheel cudagen installs).",
     "name: demo\ncuda: \"12.1\"\npip:\n  packages: [\"torchvision==0.14.1+cu117\"]\n", "", "",
     "torchvision==0.14.1+cu117 in pip.packages is a CUDA 11.7 build, but the image has CUDA 12.1.1"},
    {"framework/pinned-cpu-build", E, "check",
     "A CPU-only framework build is pinned in the user's files: a +cpu local version, PyTorch's .../whl/cpu index, "
     "conda's cpuonly package or a cpu build string (pytorch.org previous-versions: the 'CPU only' commands). In a CUDA "
     "image it runs, but without the GPU.",
     "name: demo\ncuda: \"12.1\"\npip:\n  packages: [\"torch==2.3.1+cpu\"]\n", "", "",
     "torch==2.3.1+cpu in pip.packages installs a CPU-only build into the CUDA 12.1.1 image: torch.cuda.is_available() "
     "is False"},
    // --- check: platforms ------------------------------------------------------------------
    {"platform/jetson-not-sbsa", E, "check",
     "A Jetson GPU (gpu_archs or --gpu): Orin and Xavier are Tegra parts that need NVIDIA's L4T images; Thor runs SBSA "
     "nvidia/cuda images only from CUDA 13.0 (JetPack 7) (conda-forge 'How to build for ARM Tegra devices'; "
     "pytorch/pytorch#159779).",
     "name: demo\ncuda: \"12.6\"\ngpu_archs: [orin]\n", "", "",
     "orin (sm_87) is a Jetson (Tegra) GPU: nvidia/cuda images are built for x86_64 and SBSA Arm servers and do not run on "
     "it"},
    {"platform/jetson-needs-arm64", E, "check",
     "A Jetson GPU that runs SBSA images (Thor, CUDA 13.0+) in a profile that builds no linux/arm64 image.",
     "name: demo\ncuda: \"13.0\"\ngpu_archs: [thor]\n", "", "",
     "thor (sm_110) is an arm64 device, but platforms has no linux/arm64"},
    {"platform/no-arm64-wheel", E, "check",
     "linux/arm64 is a platform but the framework has no CUDA wheel for it: torch before 2.7 and some CUDA variants have "
     "no aarch64 CUDA wheels (PyPI's aarch64 torch is CPU-only: pytorch/pytorch#160162); TensorFlow's aarch64 wheels are "
     "CPU-only (tensorflow/tensorflow#121157).",
     "name: demo\nframework: {name: pytorch, version: \"2.3.1\"}\nplatforms: [linux/amd64, linux/arm64]\n", "", "",
     "torch 2.3.1 has no cu121 CUDA wheel for linux/arm64 (PyPI's aarch64 torch is CPU-only)"},
};
// clang-format on

// GitHub's anchor for a heading "`tag/no-such-os`": punctuation other than '-' dropped.
std::string heading_anchor(std::string_view code)
{
    std::string out;
    for (char c : code) {
        if (c != '/') {
            out += c;
        }
    }
    return out;
}

std::string_view severity_word(Severity severity)
{
    return severity == Severity::error ? "error" : "warning";
}

std::string markdown_entry(const RuleInfo& rule)
{
    std::string out = "## `" + std::string(rule.code) + "`\n\n";
    out += "**" + std::string(severity_word(rule.severity)) + "** (" + std::string(rule.stage) + "). " +
           std::string(rule.summary) + "\n\n";
    out += "Profile:\n\n```yaml\n" + std::string(rule.example) + "```\n\n";
    if (!rule.example_environment.empty()) {
        out += "environment.yml:\n\n```yaml\n" + std::string(rule.example_environment) + "```\n\n";
    }
    std::string command = rule.stage == "resolve" ? "cudagen resolve" : "cudagen check";
    out += "`" + command + (rule.example_host.empty() ? "" : " " + std::string(rule.example_host)) + "` reports:\n\n";
    out += "```\n" + std::string(severity_word(rule.severity)) + ": " + std::string(rule.example_message) + " [" +
           std::string(rule.code) + "]\n```\n\n";
    return out;
}

}  // namespace

std::vector<RuleInfo> rule_catalog()
{
    return k_rules;
}

const RuleInfo& rule_info(std::string_view code)
{
    auto found = std::find_if(k_rules.begin(), k_rules.end(), [&](const RuleInfo& r) { return r.code == code; });
    if (found == k_rules.end()) {
        std::fprintf(stderr, "cudagen: internal error: rule %.*s is not in the catalog\n",
                     static_cast<int>(code.size()), code.data());
        std::abort();
    }
    return *found;
}

std::string render_rules_markdown()
{
    std::string out = "# cudagen rules\n\n";
    out +=
        "Every diagnostic code `cudagen resolve`, `cudagen check` and `cudagen generate` can report from the "
        "compatibility knowledge.\nErrors exit with status 1; warnings do not change the exit status.\n\n";
    out +=
        "Generated from `generator/check/rules.cpp` (`render_rules_markdown()`); do not edit by hand. "
        "`CUDAGEN_UPDATE_GOLDEN=1 cudagen_unit_tests --gtest_filter='RulesDoc*'` rewrites it, and a unit test "
        "runs every example below and expects its message.\n\n";
    out += "| Code | Severity | Stage | Summary |\n|---|---|---|---|\n";
    for (const auto& rule : k_rules) {
        out += "| [`" + std::string(rule.code) + "`](#" + heading_anchor(rule.code) + ") | " +
               std::string(severity_word(rule.severity)) + " | " + std::string(rule.stage) + " | " +
               std::string(rule.summary) + " |\n";
    }
    out += "\n";
    for (const auto& rule : k_rules) {
        out += markdown_entry(rule);
    }
    return out;
}

}  // namespace cudagen
