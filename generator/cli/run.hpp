#pragma once

namespace cudagen {

// The whole program: parse argv, dispatch to the command table, return the exit code.
int run(int argc, char** argv);

}  // namespace cudagen
