# A CMake CUDA project that sets no architectures, and one that sets its own
# default before enable_language(CUDA) (llama.cpp's pattern), built in the devel
# stage on the STAND-IN bases: each binary holds exactly the profile's archs
# (cuobjdump), never CMake's or the project's default. Both fixtures in one bake.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/docker_common.bash"
ensure_standins
CUOBJDUMP=$(cuobjdump_path)
mkdir -p "$WORK/profiles"
for name in cmake-cuda-noarch cmake-own-default; do
    cp -r "$ROOT/tests/fixtures/projects/$name" "$WORK/profiles/$name"
done
it_build cmake "$WORK/profiles/cmake-cuda-noarch" "$WORK/profiles/cmake-own-default" ||
    { tail -n 60 "$WORK/cmake.log" >&2; fail "cudagen build exited non-zero"; }

# "sm_80 sm_90 | compute_90": the SASS and PTX targets of one binary, sorted.
archs_of() {
    local image=$1 path=$2 file container
    file="$WORK/$(basename "$path")"
    container=$(docker create "$image")
    IT_CONTAINERS+=("$container")
    docker cp "$container:$path" "$file" >/dev/null
    local elf ptx
    elf=$("$CUOBJDUMP" --list-elf "$file" | grep -o 'sm_[0-9]*[af]\?' | sort -u | tr '\n' ' ')
    ptx=$("$CUOBJDUMP" --list-ptx "$file" 2>/dev/null | grep -o 'sm_[0-9]*[af]\?' | sed 's/sm_/compute_/' | sort -u | tr '\n' ' ')
    echo "${elf}| ${ptx}"
}

got=$(archs_of "$(it_tag cmake-cuda-noarch)" /usr/local/bin/scale)
[[ $got == "sm_80 sm_89 sm_90 | " ]] || fail "cmake-cuda-noarch holds '$got', want 'sm_80 sm_89 sm_90 | ' (gpu_archs 8.0, 8.9, 9.0; ptx: false)"
got_own=$(archs_of "$(it_tag cmake-own-default)" /usr/local/bin/lite-cli)
[[ $got_own == "sm_80 sm_90 | compute_90 " ]] ||
    fail "cmake-own-default holds '$got_own', want 'sm_80 sm_90 | compute_90 ' (a100, h100 + PTX), not its own 61;70;75"
echo "ok: CMake binaries hold exactly the profile's archs: [$got] and [$got_own] (${BUILD_MS} ms)"
