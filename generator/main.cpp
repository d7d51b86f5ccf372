#include "cli/run.hpp"

int main(int argc, char** argv)
{
    return cudagen::run(argc, argv);
}
