// The runtime stage's base when the installed packages bring the CUDA libraries:
// the plain OS image (no nvidia/cuda flavor, so no second libcudart), the NVIDIA
// Container Toolkit's requirement set by cudagen, and where the choice comes from
// (the framework block, or the conda environment's line).
#include "resolve/resolve_runtime.hpp"
#include "check_harness.hpp"
#include "render/render.hpp"
#include "validate/validate.hpp"

#include <gtest/gtest.h>

namespace cudagen {
namespace {

using test_support::check_profile;
using test_support::scratch_dir;

struct Run {
    std::optional<ResolvedProfile> profile;
    Diagnostics diagnostics;
};

Run resolve_with_env(const std::string& profile, const std::string& environment, const std::string& registry = "")
{
    Run run;
    auto dir = scratch_dir();
    if (!environment.empty()) {
        std::ofstream(dir / "environment.yml") << environment;
    }
    auto raw = load_profile_from_string(profile, "profile.yaml", dir, run.diagnostics);
    if (raw) {
        read_profile_dependencies(*raw, run.diagnostics);
        adopt_user_pins(*raw, Knowledge::builtin().tables());
        ResolveOptions options;
        options.base_registry = registry;
        run.profile = resolve(*raw, Knowledge::builtin(), options, run.diagnostics);
    }
    std::filesystem::remove_all(dir);
    return run;
}

ResolvedProfile resolved_ok(const std::string& profile, const std::string& environment = "",
                            const std::string& registry = "")
{
    Run run = resolve_with_env(profile, environment, registry);
    for (const auto& d : run.diagnostics.items()) {
        ADD_FAILURE() << format_diagnostic(d);
    }
    return run.profile.value_or(ResolvedProfile{});
}

constexpr const char* k_torch_service =
    "name: svc\npython: \"3.12\"\nframework: {name: pytorch, version: \"2.13.0\"}\n";
constexpr const char* k_conda_profile =
    "name: app\ncuda: \"12.4\"\nos: ubuntu22.04\n"
    "conda:\n  environment: environment.yml\n";

TEST(ResolveRuntime, FrameworkWheelsGetThePlainOsImage)
{
    ResolvedProfile p = resolved_ok(k_torch_service);
    EXPECT_EQ(p.runtime_flavor, "os");
    EXPECT_EQ(p.runtime_image.value, "docker.io/library/ubuntu:24.04");
    EXPECT_EQ(p.devel_image.value, "docker.io/nvidia/cuda:13.0.2-devel-ubuntu24.04");
    EXPECT_EQ(p.nvidia_require_cuda, "cuda>=13.0");
    EXPECT_EQ(p.runtime_image.reason,
              "plain ubuntu24.04, the OS of the nvidia/cuda images: the CUDA runtime, cuBLAS and cuDNN come with "
              "torch's wheels (nvidia-* pip packages), and every nvidia/cuda flavor, base included, would ship a "
              "second copy (at least libcudart); cudagen sets the NVIDIA Container Toolkit's variables itself "
              "(NVIDIA_REQUIRE_CUDA=cuda>=13.0; no cuda-compat: the host driver must support CUDA 13.0 itself, "
              "runtime_flavor: base brings NVIDIA's forward-compatibility libraries)");
    EXPECT_EQ(p.runtime_image.where.file, "profile.yaml");
    EXPECT_EQ(p.runtime_image.where.line, 3);
}

TEST(ResolveRuntime, EveryFrameworkThatBringsCudaGetsThePlainOs)
{
    for (const std::string profile : {
             "name: x\nframework: {name: pytorch, version: \"2.3.1\", channel: conda}\n",
             "name: x\nframework: {name: jax, version: \"0.4.35\"}\n",
             "name: x\nframework: {name: tensorflow, version: \"2.17.0\"}\ncudnn: true\n",
         }) {
        ResolvedProfile p = resolved_ok(profile);
        EXPECT_EQ(p.runtime_flavor, "os") << profile;
        EXPECT_EQ(p.runtime_image.value, "docker.io/library/ubuntu:" + p.os.value.substr(6)) << profile;
        EXPECT_EQ(p.nvidia_require_cuda.substr(0, 6), "cuda>=") << profile;
    }
}

TEST(ResolveRuntime, TheOsImageComesFromTheMirrorOfNvidiaCuda)
{
    EXPECT_EQ(resolved_ok(k_torch_service, "", "registry.example/nvidia").runtime_image.value,
              "registry.example/library/ubuntu:24.04");
    EXPECT_EQ(resolved_ok(k_torch_service, "", "harbor.example/hub/nvidia").runtime_image.value,
              "harbor.example/hub/library/ubuntu:24.04");
    EXPECT_EQ(resolved_ok(k_torch_service, "", "cudagen-standin").runtime_image.value, "cudagen-standin/ubuntu:24.04");
}

TEST(ResolveRuntime, OnlyUbuntuHasAKnownPlainImage)
{
    EXPECT_EQ(detail::plain_os_image("docker.io/nvidia", "ubuntu22.04"), "docker.io/library/ubuntu:22.04");
    EXPECT_EQ(detail::plain_os_image("docker.io/nvidia", "rockylinux9"), "");
    EXPECT_EQ(detail::plain_os_image("docker.io/nvidia", "ubuntu"), "");
}

TEST(ResolveRuntime, RuntimeFlavorBaseInTheProfileBringsNvidiasBaseBack)
{
    ResolvedProfile p = resolved_ok(std::string(k_torch_service) + "runtime_flavor: base\n");
    EXPECT_EQ(p.runtime_flavor, "base");
    EXPECT_EQ(p.runtime_image.value, "docker.io/nvidia/cuda:13.0.2-base-ubuntu24.04");
    EXPECT_EQ(p.nvidia_require_cuda, "");
}

TEST(ResolveRuntime, CondaEnvironmentWithCudaLibrariesGetsThePlainOsAtItsLine)
{
    const std::vector<std::pair<std::string, int>> environments = {
        {"dependencies:\n  - python=3.11\n  - cuda-runtime=12.4\n", 3},
        {"dependencies:\n  - python=3.11\n  - nvidia::cuda-cudart=12.4\n", 3},
        {"channels: [conda-forge]\ndependencies:\n  - cudatoolkit=11.8\n", 3},
        {"dependencies:\n  - pytorch-cuda=12.4\n", 2},
        {"dependencies:\n  - python=3.11\n  - numpy\n  - cudnn=9\n", 4},
        {"dependencies:\n  - pytorch=*=*cuda*\n", 2},
        {"dependencies:\n  - conda-forge::jaxlib=*=cuda12*\n", 2},
    };
    for (const auto& [environment, line] : environments) {
        ResolvedProfile p = resolved_ok(k_conda_profile, environment);
        EXPECT_EQ(p.runtime_flavor, "os") << environment;
        EXPECT_EQ(p.runtime_image.value, "docker.io/library/ubuntu:22.04") << environment;
        EXPECT_EQ(p.nvidia_require_cuda, "cuda>=12.4") << environment;
        EXPECT_EQ(p.runtime_image.where.line, line) << environment;
        EXPECT_NE(p.runtime_image.where.file.find("environment.yml"), std::string::npos) << environment;
        EXPECT_NE(p.runtime_image.reason.find("in the conda environment: "), std::string::npos) << environment;
    }
}

TEST(ResolveRuntime, CondaEnvironmentWithoutCudaLibrariesKeepsTheRuntimeFlavor)
{
    for (const std::string environment : {
             "dependencies:\n  - python=3.11\n  - fastapi=0.111\n",
             "dependencies:\n  - pytorch=*=cpu_*\n",
             "dependencies:\n  - python=3.11\n  - pip\n  - pip:\n    - cuda-runtime\n",
         }) {
        ResolvedProfile p = resolved_ok(k_conda_profile, environment);
        EXPECT_EQ(p.runtime_flavor, "runtime") << environment;
        EXPECT_EQ(p.runtime_image.value, "docker.io/nvidia/cuda:12.4.1-runtime-ubuntu22.04") << environment;
        EXPECT_EQ(p.nvidia_require_cuda, "") << environment;
    }
}

TEST(ResolveRuntime, DockerfileStartsTheRuntimeFromTheOsWithTheToolkitVariables)
{
    ResolvedProfile p = resolved_ok(k_torch_service);
    Diagnostics diagnostics;
    auto rendered = render_dockerfile(p, diagnostics);
    ASSERT_TRUE(rendered) << (diagnostics.empty() ? "" : format_diagnostic(diagnostics.items()[0]));
    const std::string& dockerfile = *rendered;
    EXPECT_NE(dockerfile.find("FROM docker.io/library/ubuntu:24.04 AS runtime\n"), std::string::npos);
    EXPECT_NE(dockerfile.find("ENV NVIDIA_REQUIRE_CUDA=\"cuda>=13.0\" \\\n"
                              "    PATH=/usr/local/nvidia/bin:$PATH \\\n"
                              "    LD_LIBRARY_PATH=/usr/local/nvidia/lib:/usr/local/nvidia/lib64\n"
                              "ENV NVIDIA_VISIBLE_DEVICES=all \\\n"
                              "    NVIDIA_DRIVER_CAPABILITIES=compute,utility \\\n"),
              std::string::npos);
    EXPECT_NE(dockerfile.find("        ca-certificates \\\n        python3\n"), std::string::npos);
    EXPECT_EQ(dockerfile.find("-base-ubuntu24.04"), std::string::npos);
}

TEST(ResolveRuntime, OldDriverOnAForwardCompatBranchIsRefusedWithoutCudaCompat)
{
    auto run = check_profile(k_torch_service, "--driver 570.86.15 --gpu h100");
    const Diagnostic* d = run.find("compat/driver-too-old");
    ASSERT_NE(d, nullptr) << run.dump();
    EXPECT_EQ(d->message,
              "driver 570.86.15 is older than CUDA 13.0 (580.65.06) and the runtime stage is the plain OS "
              "without cuda-compat (NVIDIA_REQUIRE_CUDA cuda>=13.0)");
    EXPECT_EQ(d->fix,
              "upgrade the driver to 580.65.06 or newer, or on datacenter GPUs set runtime_flavor: base "
              "(NVIDIA's base image carries cuda-compat for branch 570)");
    EXPECT_EQ(run.find("compat/driver-needs-forward-compat"), nullptr) << run.dump();
}

TEST(ResolveRuntime, WithTheBaseFlavorTheSameDriverGetsForwardCompat)
{
    auto run = check_profile(std::string(k_torch_service) + "runtime_flavor: base\n", "--driver 570.86.15 --gpu h100");
    EXPECT_NE(run.find("compat/driver-needs-forward-compat"), nullptr) << run.dump();
}

}  // namespace
// The app's rebuild runs its COPY alone: WORKDIR comes first where that changes
// nothing (the app is copied into a folder right under / that the user's RUN now
// creates with the owner COPY --chown gave it, and no runtime RUN follows the COPY,
// since those run in /). Elsewhere WORKDIR stays after the COPY.
TEST(ResolveRuntime, WorkdirPrecedesTheAppCopyOnlyWhereThatChangesNothing)
{
    auto order = [](const std::string& app) {
        std::string profile = std::string("name: svc\ncuda: \"13.0\"\nos: ubuntu24.04\n") + app;
        ResolvedProfile p = resolved_ok(profile);
        Diagnostics diagnostics;
        std::string dockerfile = render_dockerfile(p, diagnostics).value_or("");
        EXPECT_TRUE(diagnostics.empty());
        auto workdir = dockerfile.find("\nWORKDIR ");
        auto copy = dockerfile.find("\nCOPY --chown=10001:10001 [\"app/\"");
        EXPECT_NE(workdir, std::string::npos);
        EXPECT_NE(copy, std::string::npos);
        bool created = dockerfile.find("&& mkdir -p '/app' && chown 10001:10001 '/app'\n") != std::string::npos;
        EXPECT_EQ(created, workdir < copy) << dockerfile.substr(std::min(workdir, copy), 200);
        return workdir < copy ? "first" : "last";
    };
    EXPECT_STREQ(order("app:\n  copy: [{src: app/, dst: /app}]\n"), "first");
    EXPECT_STREQ(order("app:\n  copy: [{src: app/, dst: /app/}]\n"), "first");
    EXPECT_STREQ(order("app:\n  workdir: /srv/app\n  copy: [{src: app/, dst: /srv/app}]\n"), "last");
    EXPECT_STREQ(order("app:\n  workdir: /srv\n  copy: [{src: app/, dst: /app}]\n"), "last");
    EXPECT_STREQ(order("app:\n  copy: [{src: app/, dst: /app}]\n  run: [\"python3 -V\"]\n"), "last");
}

}  // namespace cudagen
