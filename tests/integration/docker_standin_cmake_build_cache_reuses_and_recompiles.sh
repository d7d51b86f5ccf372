# The CMake build folder's cache mount (profiles/cuda-cpp, a COPY with a header of
# its own, on STAND-INs): after a dependency is added (apt zlib1g-dev) the rebuild
# reuses the folder, so CMake's compiler checks and the compile do not run again;
# after a header's content changes (its time set back to 2001, older than every
# cached object) the program is compiled again and prints the new text. The runtime
# image carries neither the cache nor the build folder.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/docker_common.bash"
ensure_standins
dir=$(copy_profile cuda-cpp)
# A name of this run's own: the cache mount's id holds it, so no earlier run's folder is found.
sed -i "s/^name: cuda-cpp$/name: cuda-cpp-cache-$$/" "$dir/cudagen.yaml"
grep -q "^name: cuda-cpp-cache-$$\$" "$dir/cudagen.yaml" || fail "could not rename the profile copy"
echo '#define SAXPY_TAG "first"' >"$dir/src/tag.h"
sed -i -e 's|^#include <vector>$|#include <vector>\n#include "tag.h"|' \
    -e 's|std::printf("saxpy: started\\n");|std::printf("saxpy: started (%s)\\n", SAXPY_TAG);|' "$dir/src/saxpy.cu"
grep -q 'SAXPY_TAG);' "$dir/src/saxpy.cu" || fail "could not make saxpy.cu print the header's tag"
image=$(it_tag "cuda-cpp-cache-$$")

# What saxpy prints in "saxpy: started (TAG)" (it then exits 3: no GPU here).
tag_printed() { { docker run --rm "$image" 2>&1 || true; } | sed -n 's/^saxpy: started (\(.*\))$/\1/p'; }
# The lines of the build step (BuildKit's "#N" of the step that mounts the build cache).
build_log() {
    local step
    step=$(grep -m1 -oE '^#[0-9]+ \[([^]]* )?devel [0-9]+/[0-9]+\] RUN --mount=type=cache,id=cudagen-build-' "$WORK/$1.log" |
        cut -d' ' -f1) || fail "$1: no build step with the build cache in the log"
    grep "^$step " "$WORK/$1.log"
}

it_build first "$dir" || { tail -n 40 "$WORK/first.log" >&2; fail "the first build failed"; }
first_ms=$BUILD_MS
[[ $(tag_printed) == first ]] || fail "the first image does not print the header's tag 'first'"

sed -i 's/^apt_build: \[\(.*\)\]$/apt_build: [\1, zlib1g-dev]/' "$dir/cudagen.yaml"
grep -q zlib1g-dev "$dir/cudagen.yaml" || fail "could not add zlib1g-dev to apt_build"
it_build dependency "$dir" || { tail -n 40 "$WORK/dependency.log" >&2; fail "the rebuild after adding a dependency failed"; }
dependency_ms=$BUILD_MS
build_log dependency >"$WORK/dependency.step"
grep -q 'zlib1g-dev' "$WORK/dependency.log" || fail "the added package did not reach the apt step"
grep -q 'cudagen build cache: reusing /src/build' "$WORK/dependency.step" ||
    { cat "$WORK/dependency.step" >&2; fail "the rebuild did not reuse the cached build folder"; }
if grep -qE 'Detecting CUDA compiler ABI info|Building CUDA object' "$WORK/dependency.step"; then
    cat "$WORK/dependency.step" >&2
    fail "the rebuild after a dependency change ran CMake's compiler checks or the compile again"
fi
grep -q 'Built target saxpy' "$WORK/dependency.step" || { cat "$WORK/dependency.step" >&2; fail "make did not run"; }
[[ $(tag_printed) == first ]] || fail "the rebuilt image does not print 'first'"

echo '#define SAXPY_TAG "second"' >"$dir/src/tag.h"
touch -d '2001-01-01 00:00:00' "$dir/src/tag.h"
it_build header "$dir" || { tail -n 40 "$WORK/header.log" >&2; fail "the rebuild after a header change failed"; }
header_ms=$BUILD_MS
build_log header >"$WORK/header.step"
grep -q 'Building CUDA object CMakeFiles/saxpy.dir/saxpy.cu.o' "$WORK/header.step" ||
    { cat "$WORK/header.step" >&2; fail "a changed header (with an old time) did not recompile saxpy.cu"; }
got=$(tag_printed)
[[ $got == second ]] || fail "after the header change the image prints '$got', want 'second'"

docker run --rm --entrypoint /bin/sh "$image" -c 'ls -d /root/.cache/cudagen /src /opt/cudagen/build-cache 2>/dev/null; echo shell-ran' \
    >"$STDOUT" 2>&1 || { cat "$STDOUT" >&2; fail "could not run a shell in the runtime image"; }
[[ $(cat "$STDOUT") == shell-ran ]] || { cat "$STDOUT" >&2; fail "the runtime image carries the build cache or the build folder"; }
echo "ok: build folder reused after a dependency change, recompiled after a header change (first ${first_ms} ms, dependency ${dependency_ms} ms, header ${header_ms} ms)"
