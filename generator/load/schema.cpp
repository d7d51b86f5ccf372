#include "load/schema.hpp"

#include "load/grammar.hpp"

#include <map>

namespace cudagen {

const std::vector<FieldSpec>& profile_schema()
{
    using K = FieldKind;
    static const std::vector<FieldSpec> schema = {
        {"name", K::string, true, "image-name", "", "Image name; also the bake target and the output subfolder.",
         "fastapi-torch"},
        {"cuda", K::string, false, "cuda-version",
         "derived from the framework; without one, the newest confirmed CUDA release",
         "CUDA version of the nvidia/cuda base images, X.Y or X.Y.Z. X.Y picks the newest point release.",
         "\"12.4.1\""},
        {"os", K::string, false, "os-token", "the newest Ubuntu that has the needed image flavor for every platform",
         "OS token as in nvidia/cuda tags.", "ubuntu22.04"},
        {"cudnn", K::boolean, false, "", "false", "Use the cuDNN flavor of the base images.", "true"},
        {"python", K::string, false, "python-version",
         "the OS's own python3 when it suits the framework, else the newest the framework supports",
         "Python version for the image's environment (X.Y).", "\"3.11\""},
        {"framework", K::section, false, "", "none", "A deep learning framework whose CUDA build matches the image.",
         ""},
        {"framework.name", K::string, true, "framework-name", "", "pytorch, tensorflow or jax.", "pytorch"},
        {"framework.version", K::string, true, "version", "", "Framework version, X.Y or X.Y.Z.", "\"2.3.1\""},
        {"framework.with", K::string_list, false, "package-name", "none",
         "Companion packages; their versions are resolved to match the framework.", "[torchvision, torchaudio]"},
        {"framework.channel", K::string, false, "framework-channel", "pip",
         "Where the framework comes from: pip or conda.", "pip"},
        {"conda", K::section, false, "", "none", "A conda environment built with micromamba in the devel stage.", ""},
        {"conda.environment", K::string, true, "context-path", "",
         "environment.yml, relative to the profile's folder (the build context).", "environment.yml"},
        {"pip", K::section, false, "", "none", "Python packages installed with pip.", ""},
        {"pip.requirements", K::string, false, "context-path", "none",
         "A requirements file relative to the profile's folder.", "requirements.txt"},
        {"pip.packages", K::string_list, false, "pip-requirement", "none",
         "Requirement specifiers (name, extras, version).", "[\"fastapi==0.111.0\"]"},
        {"pip.extra_index_urls", K::string_list, false, "url", "none", "Extra package indexes for pip.",
         "[\"https://pypi.example.com/simple\"]"},
        {"pip.find_links", K::string_list, false, "find-links", "none",
         "pip --find-links pages (OpenMMLab, PyG, old torch wheels) or folders of wheels in the build context.",
         "[\"https://data.pyg.org/whl/torch-2.4.0+cu124.html\"]"},
        {"pip.project", K::string, false, "context-path", "none",
         "A folder with a pyproject.toml, installed from its source after its dependencies; a uv.lock or poetry.lock "
         "beside it pins those dependencies in a layer of their own.",
         "."},
        {"pip.project_extras", K::string_list, false, "package-name", "none",
         "Optional dependency groups of pip.project.", "[gpu]"},
        {"pip.index_url", K::string, false, "url", "PyPI (or the PIP_INDEX_URL build arg)",
         "A PyPI mirror or private index that replaces PyPI for every pip install; no credentials (docs/build.md).",
         "https://pypi.mirror.example/simple"},
        {"pip.framework_index_url", K::string, false, "url",
         "the framework's own index (https://download.pytorch.org/whl/)",
         "A mirror of the framework's own wheel index, for CUDA variants PyPI does not carry; cudagen appends the "
         "variant.",
         "https://mirror.example/pytorch/whl/"},
        {"apt", K::string_list, false, "apt-package", "none",
         "Debian/Ubuntu packages for both stages (name or name=version).", "[libgl1, libglib2.0-0]"},
        {"apt_build", K::string_list, false, "apt-package", "none",
         "Packages for the devel stage only (compilers, -dev headers).", "[cmake, ninja-build]"},
        {"gpu_archs", K::string_list, false, "gpu-arch",
         "the framework wheel's architectures, else CUDA's major architectures",
         "GPUs to compile for: compute capabilities, sm_XX targets or GPU names.", "[\"8.0\", sm_90, h100]"},
        {"ptx", K::boolean, false, "", "true", "Embed PTX for the newest arch so newer GPUs can JIT-compile it.",
         "true"},
        {"runtime_flavor", K::string, false, "runtime-flavor",
         "the plain OS image when the framework's wheels or the conda environment bring the CUDA libraries; else "
         "cudnn-runtime with cuDNN, else runtime",
         "Flavor of the runtime stage's nvidia/cuda base image; base (cudart, cuda-compat) suits programs that link "
         "cudart statically, and brings forward compatibility back to framework images.",
         "base"},
        {"platforms", K::string_list, false, "platform", "[linux/amd64]", "Target platforms for buildx.",
         "[linux/amd64, linux/arm64]"},
        {"build", K::section, false, "", "none", "The devel stage: compile user code.", ""},
        {"build.copy", K::copy_list, false, "", "none", "Files from the build context into the devel stage.",
         "[{src: src/, dst: /src}]"},
        {"build.run", K::string_list, false, "shell-command", "none",
         "Shell commands run in the devel stage, in order, after every build.copy.",
         "[\"cmake -S /src -B /src/build\", \"cmake --build /src/build\"]"},
        {"build.steps", K::step_list, false, "", "none",
         "Build steps in the declared order, each its own layer: {run: command} or {copy: {src, dst}}; after "
         "build.copy and build.run.",
         "[{copy: {src: third_party/, dst: /src/third_party}}, {run: make -C /src/third_party}, {copy: {src: src/, "
         "dst: /src/app}}]"},
        {"build.artifacts", K::copy_list, false, "", "none",
         "Paths copied from the devel stage into the runtime stage.",
         "[{src: /src/build/app, dst: /usr/local/bin/app}]"},
        {"app", K::section, false, "", "none", "The runtime stage.", ""},
        {"app.copy", K::copy_list, false, "", "none", "Files from the build context into the runtime stage.",
         "[{src: app/, dst: /app}]"},
        {"app.workdir", K::string, false, "absolute-path", "/app", "Working directory of the container.", "/app"},
        {"app.env", K::string_map, false, "env-name", "none", "Environment variables of the runtime stage.",
         "{LOG_LEVEL: info}"},
        {"app.expose", K::port_list, false, "", "none", "Ports the service listens on.", "[8000]"},
        {"app.cmd", K::string_list, false, "", "the verify sample when present, else none", "Exec-form CMD.",
         "[uvicorn, \"main:app\", --host, 0.0.0.0]"},
        {"app.entrypoint", K::string_list, false, "", "none", "Exec-form ENTRYPOINT.", "[/usr/local/bin/app]"},
        {"app.user", K::string, false, "user-name", "app (created, uid 10001)",
         "User the container runs as; root only when asked. USER names the numeric uid (10001 for a created user), "
         "which Kubernetes runAsNonRoot can verify.",
         "app"},
        {"app.path", K::string_list, false, "absolute-path", "none",
         "Folders put before $PATH in the runtime stage (app.env values are literal: a '$' there is not expanded).",
         "[/opt/tool/bin]"},
        {"app.library_path", K::string_list, false, "absolute-path", "none",
         "Folders put before $LD_LIBRARY_PATH in the runtime stage.", "[/opt/tool/lib]"},
        {"app.run", K::string_list, false, "shell-command", "none",
         "Shell commands run in the runtime stage as root, after everything is copied and before USER.",
         "[\"ldconfig\"]"},
        {"image", K::section, false, "", "", "Names of the built image and of its bases.", ""},
        {"image.registry", K::string, false, "registry", "none", "Prefix for the image tags in the bake file.",
         "ghcr.io/acme"},
        {"image.tags", K::string_list, false, "tag-template", "[\"{name}:{cuda}\"]",
         "Tag templates: {name}, {cuda}, {os}, {framework}, {framework_version}.", "[\"{name}:{cuda}\"]"},
        {"image.base_registry", K::string, false, "registry", "docker.io/nvidia",
         "Where nvidia/cuda comes from; a mirror for air-gapped sites (--base-registry overrides it).",
         "docker.io/nvidia"},
        {"verify", K::boolean, false, "", "true", "Build cudagen-verify into the image at /opt/cudagen/bin.", "true"},
        {"dockerfile_syntax", K::string, false, "syntax-ref", "none (the builder's built-in frontend)",
         "Emit a '# syntax=' line; BuildKit then pulls that frontend image, which fails offline.",
         "docker/dockerfile:1.7"},
    };
    return schema;
}

const FieldSpec* find_field(std::string_view path)
{
    for (const auto& field : profile_schema()) {
        if (field.path == path) {
            return &field;
        }
    }
    return nullptr;
}

std::vector<std::string> child_keys(std::string_view prefix)
{
    std::vector<std::string> keys;
    std::string start = prefix.empty() ? "" : std::string(prefix) + ".";
    for (const auto& field : profile_schema()) {
        std::string_view path = field.path;
        if (path.substr(0, start.size()) == start && path.find('.', start.size()) == std::string_view::npos) {
            keys.emplace_back(path.substr(start.size()));
        }
    }
    return keys;
}

const std::vector<SchemaChild>& schema_children(std::string_view prefix)
{
    static const std::map<std::string_view, std::vector<SchemaChild>, std::less<>> k_sections = [] {
        std::map<std::string_view, std::vector<SchemaChild>, std::less<>> sections;
        for (const auto& field : profile_schema()) {
            std::size_t dot = field.path.rfind('.');
            std::string_view section = dot == std::string_view::npos ? std::string_view() : field.path.substr(0, dot);
            std::string_view key = dot == std::string_view::npos ? field.path : field.path.substr(dot + 1);
            sections[section].push_back({key, &field});
        }
        return sections;
    }();
    static const std::vector<SchemaChild> k_none;
    auto found = k_sections.find(prefix);
    return found == k_sections.end() ? k_none : found->second;
}

std::string_view field_kind_name(FieldKind kind)
{
    switch (kind) {
        case FieldKind::section:
            return "mapping";
        case FieldKind::string:
            return "string";
        case FieldKind::boolean:
            return "boolean";
        case FieldKind::string_list:
            return "list of strings";
        case FieldKind::port_list:
            return "list of ports";
        case FieldKind::copy_list:
            return "list of {src, dst}";
        case FieldKind::string_map:
            return "mapping of NAME: value";
        case FieldKind::step_list:
            return "list of {run} or {copy: {src, dst}}";
    }
    return "value";
}

std::string render_schema_markdown()
{
    std::string out =
        "# Profile reference (format version 1)\n\n"
        "Generated by `cudagen schema` from the schema the loader enforces; a test fails when this page\n"
        "and the schema differ. Unknown keys, duplicate keys and wrong types are errors.\n\n"
        "| field | type | required | default | grammar | description | example |\n"
        "|---|---|---|---|---|---|---|\n";
    for (const auto& field : profile_schema()) {
        // Appended piece by piece: GCC 12 warns (-Wrestrict, a false positive)
        // on long chains of std::string operator+ at -O2 and above.
        std::vector<std::string_view> cells = {field.path,
                                               field_kind_name(field.kind),
                                               field.required ? "yes" : "no",
                                               field.default_text,
                                               field.grammar.empty() ? "" : grammar_summary(field.grammar),
                                               field.description};
        out += "| `";
        for (std::size_t i = 0; i < cells.size(); ++i) {
            out.append(cells[i]);
            out += i == 0 ? "` | " : " | ";
        }
        if (!field.example.empty()) {
            out += "`";
            out.append(field.example);
            out += "`";
        }
        out += " |\n";
    }
    out += "\nA profile may also be named `cudagen.yaml` in the current folder; commands then need no argument.\n";
    return out;
}

}  // namespace cudagen
