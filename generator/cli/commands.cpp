#include "cli/command.hpp"

namespace cudagen {

const std::vector<CommandSpec>& command_table()
{
    static const std::vector<CommandSpec> table = {
        {"generate", "Write the Dockerfile(s) and docker-bake.hcl for one or more profiles", &setup_generate},
        {"check", "Validate a profile and run the compatibility checks", &setup_check},
        {"resolve", "Print the fully resolved profile and where each value came from", &setup_resolve},
        {"schema", "Print the profile reference, or its JSON Schema for editors (the schema the loader enforces)",
         &setup_schema},
        {"gpus", "List the GPU names --gpu and gpu_archs accept, with compute capability, brand and oldest driver",
         &setup_gpus},
        {"verify", "Run an image's cudagen-verify on the GPU through docker and report its verdict", &setup_verify},
        {"build", "Generate, build the images with docker buildx bake, and verify them", &setup_build},
        {"export", "Write an image's root filesystem to a small .tar.gz for verify --rootfs", &setup_export},
        {"doctor",
         "Diagnose this host's GPU container stack (driver, Docker, NVIDIA Container Toolkit) and say "
         "which profiles run here",
         &setup_doctor},
        {"init", "Start a repository: a resolved profile, an app skeleton, .dockerignore and the CI workflow",
         &setup_init},
        {"ci", "Write the CI workflow (GitHub or GitLab) that checks, builds, merges and GPU-verifies the profiles",
         &setup_ci},
        {"completion", "Print the bash or zsh completion script", &setup_completion},
    };
    return table;
}

}  // namespace cudagen
