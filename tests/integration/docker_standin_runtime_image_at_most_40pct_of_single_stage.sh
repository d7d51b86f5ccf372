# Runtime stage size: for cuda-cpp and service-lite, built on the STAND-IN bases,
# the runtime image is at most 40% of the same app built single-stage on the devel
# image (bake target `devel`, which holds everything the runtime copies from).
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/docker_common.bash"
ensure_standins
readonly k_max_percent=40
for profile in cuda-cpp service-lite; do
    dir="$ROOT/profiles/$profile"
    IT_VARIANT=runtime it_build "$profile-runtime" "$dir" || { tail -n 40 "$WORK/$profile-runtime.log" >&2; fail "$profile runtime build failed"; }
    IT_VARIANT=devel it_build "$profile-devel" "$dir" -- --set "$profile.target=devel" ||
        { tail -n 40 "$WORK/$profile-devel.log" >&2; fail "$profile single-stage (devel) build failed"; }
    runtime=$(image_bytes "$(IT_VARIANT=runtime it_tag "$profile")")
    devel=$(image_bytes "$(IT_VARIANT=devel it_tag "$profile")")
    percent=$((100 * runtime / devel))
    echo "$profile: runtime $((runtime / 1000000)) MB, single-stage devel $((devel / 1000000)) MB: $percent%"
    ((runtime * 100 <= devel * k_max_percent)) ||
        fail "$profile runtime image is $percent% of the single-stage image (limit $k_max_percent%)"
done
echo "ok: runtime images at most $k_max_percent% of single-stage"
