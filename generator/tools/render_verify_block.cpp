// Build-time tool: render_verify_block OUT
// Renders the verify sample's block of the Dockerfile (templates/verify_files.tmpl
// with the sample's gzip, base64 and sha256, all made at build time) with the
// renderer cudagen has, so that cudagen embeds the text instead of rendering the
// same block at every start. It is linked with only the files that block needs.
#include "core/diagnostic.hpp"
#include "render/render.hpp"

#include <fstream>
#include <iostream>

int main(int argc, char** argv)
{
    if (argc != 2) {
        std::cerr << "usage: render_verify_block OUT\n";
        return 2;
    }
    cudagen::Diagnostics diagnostics;
    std::optional<std::string> block = cudagen::render_verify_block(diagnostics);
    for (const auto& diagnostic : diagnostics.items()) {
        std::cerr << cudagen::format_diagnostic(diagnostic) << "\n";
    }
    if (!block || diagnostics.has_errors()) {
        return 1;
    }
    std::ofstream(argv[1], std::ios::binary) << *block;
    return 0;
}
