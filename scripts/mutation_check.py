#!/usr/bin/env python3
"""Mutation check: does the suite fail when the code breaks?

Applies each mutant below (one small source change) to a scratch copy of the
committed tree, one at a time, rebuilds only what it must, runs the tests that
guard that code, and reports which mutants survived (the tests still passed).
Not part of CI (too slow); run it before resolving test work and whenever a
suite is reshaped:

    scripts/mutation_check.py [--only ID,...] [--report docs/mutation-check.md]
                              [--exclude REGEX --exclude-why TEXT]

First the guarding tests run on the unmutated tree (the baseline): a test that
fails there would "kill" every mutant, so the run stops. A mutant whose `find`
text is not in the file exactly once is reported as "stale" (the code moved
on: update the mutant). A mutant that does not compile is "invalid". The report
names the tests that killed each mutant, and the tests excluded (with the reason
given) or skipped on the machine of the run. Exit 0 when every mutant is
killed, 1 otherwise.
"""

import argparse
import dataclasses
import datetime
import os
import re
import pathlib
import shutil
import subprocess
import sys
import tempfile
import time

ROOT = pathlib.Path(__file__).resolve().parent.parent


@dataclasses.dataclass
class Mutant:
    id: str
    area: str
    file: str
    find: str
    replace: str
    tests: str  # space-separated ctest selections: "L:unit" (a label) or "R:regex" (test names)


MUTANTS = [
    # load
    Mutant("load-duplicate-keys", "load", "generator/load/yaml_tree.cpp",
           'm_diagnostics.error("yaml/duplicate-key",', 'm_diagnostics.warning("yaml/duplicate-key",', "L:unit"),
    Mutant("load-port-range", "load", "generator/load/load_profile.cpp",
           "port >= 1 && port <= 65535;", "port >= 1;", "L:unit"),
    # validate
    Mutant("validate-context-escape", "validate", "generator/validate/validate.cpp",
           "    finding.outside = !is_inside(root, resolved);",
           "    finding.outside = !is_inside(root, resolved) && false;", "L:unit L:e2e"),
    # dependency files
    Mutant("deps-no-include-cycle", "load", "generator/deps/dependencies.cpp",
           "        m_stack.push_back(path);", "", "L:unit"),
    Mutant("deps-local-lines-kept", "render", "generator/render/install_contexts.cpp",
           'std::string command = "sed -i";', 'std::string command = "true";',
           "L:unit R:docker_standin_requirements_includes_and_editable_install"),
    # resolve
    Mutant("archs-no-ptx-suffix", "resolve", "generator/resolve/resolve_archs.cpp",
           'torch.append(arch.cc()).append(arch.suffix).append(with_ptx ? "+PTX" : "");',
           'torch.append(arch.cc()).append(arch.suffix);', "L:unit"),
    Mutant("archs-cmake-all-real", "resolve", "generator/resolve/resolve_archs.cpp",
           'cmake.append(sm).append(with_ptx ? "" : "-real");', 'cmake.append(sm).append("-real");', "L:unit"),
    Mutant("runtime-flavor-ignores-framework", "resolve", "generator/resolve/resolve_versions.cpp",
           "if (auto brought = packages_bring_cuda(context)) {",
           "if (auto brought = packages_bring_cuda(context); brought && false) {", "L:unit"),
    Mutant("pypi-minor-match", "resolve", "generator/resolve/resolve_framework.cpp",
           "return wanted.size() == 2 ? v.starts_with(wanted) : v == wanted;", "return v == wanted;", "L:unit"),
    # render filters
    Mutant("filter-env-noop", "render", "generator/render/template_escape.cpp",
           "[](char c) { return c == '\"' || c == '\\\\' || c == '$'; },", "[](char c) { return c == '\"'; },",
           "L:unit R:docker_standin_values_arrive_intact"),
    Mutant("filter-hcl-noop", "render", "generator/render/template_escape.cpp",
           "if (i + 1 < text.size() && text[i + 1] == '{') {", "if (false) {",
           "L:unit L:e2e R:docker_standin_values_arrive_intact"),
    Mutant("filter-sh-noop", "render", "generator/render/template_escape.cpp",
           "[](std::size_t, std::string& to) { to += \"'\\\\''\"; }",
           "[&text](std::size_t i, std::string& to) { to += text[i]; }", "L:unit L:e2e"),
    # templates
    Mutant("template-no-force-cuda", "render", "templates/Dockerfile.tmpl",
           "    FORCE_CUDA=1 \\\n", "", "L:unit"),
    # write
    Mutant("writer-in-place-rename", "write", "generator/write/writer.cpp",
           "RENAME_EXCHANGE) == 0) {", "RENAME_NOREPLACE) == 0) {", "L:unit L:e2e"),
    Mutant("writer-keeps-staging", "write", "generator/write/writer.cpp",
           "    drop_staging();  // now the old set\n", "", "L:unit L:e2e"),
    Mutant("writer-in-place-keeps-staging", "write", "generator/write/writer.cpp",
           "rename_one_by_one(plan, *staging, changed, signals, diagnostics);\n    drop_staging();",
           "rename_one_by_one(plan, *staging, changed, signals, diagnostics);", "L:unit L:e2e"),
    Mutant("old-output-skips-the-middle", "write", "generator/write/old_output.cpp",
           "(last == first || (read_up_to(", "(true || (read_up_to(", "L:unit L:e2e"),
    Mutant("old-output-ignores-extra-files", "write", "generator/write/old_output.cpp",
           "entry.entries == below[i]", "entry.entries >= below[i]", "L:unit L:e2e"),
    Mutant("old-output-ignores-the-mode", "write", "generator/write/old_output.cpp",
           "(info.st_mode & 07777) == m_file_mode;", "true;", "L:unit L:e2e"),
    Mutant("writer-replaces-foreign-files", "write", "generator/write/writer.cpp",
           "} else if (!force && (fs::is_symlink(status) || !written_by_cudagen(target))) {",
           "} else if (!force && fs::is_symlink(status)) {", "L:unit L:e2e"),
    Mutant("writer-miscounts-replaced", "write", "generator/write/writer.cpp",
           "        ++outcome.replaced;\n", "", "L:unit"),
    Mutant("writer-no-lock", "write", "generator/write/output_guard.cpp",
           "while (::flock(fd, LOCK_EX | LOCK_NB) != 0) {", "while (false) {", "L:unit L:e2e"),
    Mutant("dockerignore-not-written", "write", "generator/write/dockerignore.cpp",
           "bool dockerignore_has(std::string_view text, std::string_view pattern)\n{",
           "bool dockerignore_has(std::string_view text, std::string_view pattern)\n{\n    return true;", "L:unit L:e2e"),
    # build
    Mutant("bake-keeps-cache-export-on-docker-driver", "build", "generator/build/bake.cpp",
           "if (builder.driver == k_docker_driver)", "if (false && builder.driver == k_docker_driver)",
           "L:unit R:docker_standin_cuda_cpp_builds_and_runs"),
    Mutant("bake-push-instead-of-load", "build", "generator/build/bake.cpp",
           'argv.emplace_back(options.output == BakeOutput::push ? "--push" : "--load");',
           'argv.emplace_back("--push");', "L:unit"),
    # verify
    Mutant("verdict-without-ok-accepted", "verify", "generator/verify/verify_image.cpp",
           '           value.contains("ok") && value["ok"].is_boolean();', "           true;", "L:unit"),
    Mutant("rootfs-keeps-privileges", "verify", "generator/verify/rootfs_ns.cpp",
           "    if (::prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0)", "    if (false)",
           "L:unit R:docker_rootfs_hostile_image_reaches_nothing"),
    Mutant("rootfs-host-pid-namespace", "verify", "generator/verify/rootfs_run.cpp",
           "constexpr int k_other_namespaces = CLONE_NEWNS | CLONE_NEWPID |",
           "constexpr int k_other_namespaces = CLONE_NEWNS |", "L:unit R:docker_rootfs_hostile_image_reaches_nothing"),
    # hostile input: values, files, YAML limits
    Mutant("value-control-characters-allowed", "load", "generator/load/value_rules.cpp",
           "if (c < 0x20 || c == 0x7f) {", "if (c < 0x09 || c == 0x7f) {", "L:unit"),
    Mutant("value-c1-controls-allowed", "load", "generator/load/value_rules.cpp",
           "if (c == 0xc2 && next >= 0x80 && next <= 0x9f) {", "if (c == 0xc2 && next >= 0x80 && next <= 0x80) {",
           "L:unit"),
    Mutant("value-line-limit-off", "load", "generator/load/value_rules.cpp",
           "if (value.size() > k_max_value_bytes) {", "if (value.size() > 2 * k_max_value_bytes) {", "L:unit"),
    Mutant("copy-source-wildcards-allowed", "load", "generator/load/value_rules.cpp",
           'value.find_first_of("$*?[]', 'value.find_first_of("$', "L:unit"),
    Mutant("apt-trailing-dash-allowed", "load", "generator/load/grammar.cpp",
           'value.find(\'=\') == std::string_view::npos && value.ends_with("-")) {',
           'value.find(\'=\') == std::string_view::npos && value.ends_with("--")) {', "L:unit"),
    Mutant("user-00-not-root", "load", "generator/load/grammar.cpp",
           "value.size() > 1 && value.find_first_not_of('0') == std::string_view::npos) {",
           "value.size() > 9 && value.find_first_not_of('0') == std::string_view::npos) {", "L:unit"),
    Mutant("input-size-checked-late", "load", "generator/core/input_file.cpp",
           "    if (size > limits.max_bytes) {\n        return too_large(shown_as, size, true, limits.max_bytes);",
           "    if (false) {\n        return too_large(shown_as, size, true, limits.max_bytes);", "L:unit"),
    Mutant("yaml-node-cap-raised", "load", "generator/load/yaml_tree.cpp",
           "constexpr std::size_t k_max_nodes = 200000;", "constexpr std::size_t k_max_nodes = 2000000;", "L:unit"),
    Mutant("yaml-depth-cap-raised", "load", "generator/load/yaml_tree.cpp",
           "constexpr std::size_t k_max_depth = 64;", "constexpr std::size_t k_max_depth = 640;", "L:unit"),
    Mutant("diagnostics-printed-uncapped", "load", "generator/cli/pipeline.cpp",
           "if (printed == k_max_printed_diagnostics) {", "if (printed == 10 * k_max_printed_diagnostics) {",
           "L:unit"),
    # secrets in URLs
    Mutant("secret-authority-ignored", "validate", "generator/validate/url_secrets.cpp",
           "std::size_t at = authority.rfind('@');", "std::size_t at = std::string_view::npos;", "L:unit"),
    Mutant("secret-in-dependency-options-ignored", "validate", "generator/validate/dependency_urls.cpp",
           "        check_option(*option, diagnostics);",
           "        Diagnostics unheard;\n        check_option(*option, unheard);", "L:unit"),
    Mutant("secret-is-not-bad-input", "validate", "generator/cli/pipeline.cpp",
           '"secret/"};', '"secret-not/"};', "L:unit"),
    # check rules
    Mutant("rule-severity-downgraded", "check", "generator/check/rules.cpp",
           '{"compat/driver-too-old", E,', '{"compat/driver-too-old", W,', "L:unit"),
    Mutant("check-driver-at-minimum-too-old", "check", "generator/check/check_driver.cpp",
           "if (!row || driver >= row->driver) {", "if (!row || driver > row->driver) {", "L:unit"),
    Mutant("check-framework-driver-off", "check", "generator/check/check_driver.cpp",
           "if (!major || !floor || driver >= *floor) {", "if (true) {", "L:unit"),
    Mutant("check-ptx-ignored-for-gpu-coverage", "check", "generator/check/check_archs.cpp",
           "runs_on(archs.value, context.resolved.ptx, gpu.major, gpu.minor)",
           "runs_on(archs.value, true, gpu.major, gpu.minor)", "L:unit"),
    Mutant("check-eol-not-reported", "check", "generator/check/check_tags.cpp",
           "    if (image.eol) {", "    if (false) {", "L:unit"),
    Mutant("check-cudatoolkit-boundary", "check", "generator/check/check_conda.cpp",
           "if (parsed && *parsed < Version({1, 13})) {", "if (parsed && *parsed < Version({1, 14})) {", "L:unit"),
    # micromamba lines
    Mutant("micromamba-create-without-file", "render", "templates/micromamba.tmpl",
           "micromamba create -y -p {{env_prefix}} -f {{environment_path|text}}",
           "micromamba create -y -p {{env_prefix}} -n {{environment_path|text}}",
           "L:unit R:docker_standin_micromamba_create_gets_the_environment"),
    Mutant("micromamba-checksum-skipped", "render", "templates/micromamba.tmpl",
           '    && echo "${sha256}  /usr/local/bin/micromamba" | sha256sum -c - \\\n', "",
           "L:unit R:docker_standin_micromamba_create_gets_the_environment"),
    # framework check (Python)
    Mutant("fwcheck-never-ok", "verify", "samples/verify/framework_check.py",
           'report.update(ok=True, verdict="ok",', 'report.update(ok=False, verdict="ok",', "R:verify_sample_framework_check"),
    Mutant("fwcheck-no-compare", "verify", "samples/verify/framework_check.py",
           "    if error > MATMUL_RTOL:", "    if False:", "R:verify_sample_framework_check"),
    Mutant("fwcheck-skip-tensorflow", "verify", "samples/verify/framework_check.py",
           'CHECKS = {"pytorch": check_pytorch, "tensorflow": check_tensorflow,',
           'CHECKS = {"pytorch": check_pytorch, "tensorflow": lambda report: None,', "R:verify_sample_framework_check"),
    Mutant("fwcheck-cpu-only-as-no-gpu", "verify", "samples/verify/framework_check.py",
           'raise Failure("cpu-only-build", f"torch {torch.__version__} is {build}',
           'raise Failure("cuda-build-no-gpu", f"torch {torch.__version__} is {build}', "R:verify_sample_framework_check"),
]


def sh(cmd, cwd, log, timeout=3600):
    # Paths relative to the scratch copy let a compiler cache (ccache) reuse the objects of
    # the developer's own build instead of compiling the whole tree again.
    env = dict(os.environ, CCACHE_BASEDIR=str(cwd))
    with open(log, "a") as out:
        out.write(f"$ {' '.join(cmd)}\n")
        out.flush()
        return subprocess.run(cmd, cwd=cwd, stdout=out, stderr=subprocess.STDOUT, timeout=timeout, env=env).returncode


def ctest_selections(tests):
    """'L:unit R:foo' -> [['-L', 'unit'], ['-R', 'foo']]"""
    return [["-L" if kind == "L" else "-R", what] for kind, what in (word.split(":", 1) for word in tests.split())]


def ctest_names(text, pattern):
    return sorted(set(re.findall(pattern, text, re.MULTILINE)))


def run_selections(mutant, build, copy, log, jobs, exclude):
    """('killed', tests that failed) at the first selection that fails, else ('SURVIVED', tests that skipped)."""
    args = ["ctest", "--test-dir", str(build), "--timeout", "1800", "-j", str(jobs)]
    if exclude:
        args += ["-E", exclude]
    skipped = []
    for selection in ctest_selections(mutant.tests):
        before = log.stat().st_size
        failed = sh(args + selection, copy, log) != 0
        with open(log, errors="replace") as out:
            out.seek(before)
            text = out.read()
        if failed:
            # "  615 - Cases/Suite.Test/Name  # GetParam() = ... (Failed)": the name is the first word
            return "killed", ctest_names(text, r"^\s*\d+ - (\S+)(?: .*)? \((?:Failed|Timeout|SEGFAULT|Subprocess "
                                               r"aborted|Exception|Child aborted|Not Run)\)$") or ["(ctest failed)"]
        skipped += ctest_names(text, r"Test\s+#\d+: (\S+) \.*\s*\*\*\*Skipped")
    return "SURVIVED", sorted(set(skipped))


def run_mutant(mutant, copy, build, log, jobs, exclude=None):
    """(result, seconds, tests): the tests that killed it, or those that skipped when it survived."""
    path = copy / mutant.file
    original = path.read_text()
    if original.count(mutant.find) != 1:
        return "stale", 0.0, []
    start = time.monotonic()
    path.write_text(original.replace(mutant.find, mutant.replace))
    try:
        if sh(["cmake", "--build", str(build), "-j", str(jobs)], copy, log) != 0:
            return "invalid", time.monotonic() - start, []
        result, tests = run_selections(mutant, build, copy, log, jobs, exclude)
        # A guarding test that skipped proved nothing: say so rather than only "survived".
        if result == "SURVIVED" and tests:
            result = "SURVIVED (a test skipped)"
        return result, time.monotonic() - start, tests
    finally:
        path.write_text(original)


def previous_report(report):
    """Rows of an earlier report by mutant id, and its run notes (a run with --only updates its own rows)."""
    rows, runs = {}, []
    path = pathlib.Path(report)
    if path.exists():
        for line in path.read_text().splitlines():
            cells = [c.strip() for c in line.strip("|").split("|")]
            if len(cells) == 8 and cells[0].startswith("`"):
                rows[cells[0].strip("`")] = line
            elif line.startswith("- run on "):
                runs.append(line)
    return rows, runs


def write_report(report, results, run_note):
    rows, runs = previous_report(report)
    head = run_note["head"]
    for mutant, result, seconds, tests in results:
        by = ", ".join(f"`{t}`" for t in tests[:4]) + (f" and {len(tests) - 4} more" if len(tests) > 4 else "")
        if tests and result != "killed":
            by = "skipped: " + by
        rows[mutant.id] = (f"| `{mutant.id}` | {mutant.area} | `{mutant.file}` | `{mutant.tests}` | {result} | {by} | "
                           f"{seconds:.0f} | {head} |")
    known = [m.id for m in MUTANTS]
    ordered = [rows[i] for i in known if i in rows]
    killed = sum(1 for row in ordered if "| killed |" in row)
    runs.append(f"- run on {head}, {run_note['date']}: `{run_note['command']}`: {run_note['count']} mutant(s), "
                f"{run_note['killed']} killed, {run_note['seconds']:.0f} s in all (build of the copy included). "
                f"Excluded tests: {run_note['excluded']}. Guarding tests that skipped: {run_note['skipped']}.")
    lines = [
        "# Mutation check: the last result",
        "",
        "Made by `scripts/mutation_check.py` (not part of CI). Each mutant is one small source change;",
        "it is *killed* when the tests named for it fail; *killed by* names the tests that failed. Every",
        "mutant must be killed. A run with `--only` updates its own rows; the commit column says which",
        "tree each row was run on. A test excluded or skipped on the machine of a run proved nothing",
        "there: the run notes below say which and why.",
        "",
        f"{datetime.date.today().isoformat()}: {killed} of {len(known)} mutants killed.",
        "",
        "| mutant | area | file | tests run | result | killed by (tests that failed) | seconds | commit |",
        "|---|---|---|---|---|---|---:|---|",
    ] + ordered + ["", "## Runs", ""] + runs[-5:]
    pathlib.Path(report).write_text("\n".join(lines) + "\n")


def baseline(chosen, copy, build, log, jobs, exclude):
    """Each guarding selection on the unmutated tree: a test that fails there would 'kill' every mutant."""
    selections = sorted({word for m in chosen for word in m.tests.split()})
    failed, skipped = [], []
    for selection in selections:
        result, tests = run_selections(Mutant("baseline", "", "", "", "", selection), build, copy, log, jobs, exclude)
        (failed if result == "killed" else skipped).extend(tests)
    return sorted(set(failed)), sorted(set(skipped))


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", help="comma-separated mutant ids")
    parser.add_argument("--report", help="write the result table to this Markdown file")
    parser.add_argument("--keep", action="store_true", help="keep the scratch copy (its build log: mutation.log)")
    parser.add_argument("--tree-name", default="(copy)", help="the commit column's text when ROOT is not a git tree")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 2, help="build and test jobs")
    parser.add_argument("--exclude", help="ctest -E regex: tests that cannot run on this machine (a missing tool)")
    parser.add_argument("--exclude-why", default="", help="why --exclude's tests cannot run here (for the report)")
    parser.add_argument("--no-baseline", action="store_true",
                        help="skip running the guarding tests on the unmutated tree first")
    args = parser.parse_args()
    if args.exclude and not args.exclude_why:
        parser.error("--exclude needs --exclude-why: the report says why those tests did not run")
    return args


def make_copy(scratch, head_known):
    copy = scratch / "src"
    if head_known:
        subprocess.run(["git", "worktree", "add", "--detach", str(copy), "HEAD"], cwd=ROOT, check=True,
                       capture_output=True)
    else:  # a tree without its history (an exported copy): copy it as it is, without build folders
        shutil.copytree(ROOT, copy, ignore=shutil.ignore_patterns("build*", ".git"), symlinks=True)
    return copy


def main():
    args = parse_args()
    started = time.monotonic()
    chosen = [m for m in MUTANTS if not args.only or m.id in args.only.split(",")]
    head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True).stdout.strip()
    in_git = bool(head)
    head = head or args.tree_name
    scratch = pathlib.Path(tempfile.mkdtemp(prefix="cudagen-mutants-"))
    # Tests that run the binary as an unprivileged user (the --rootfs ones) need to reach it.
    scratch.chmod(0o755)
    copy = make_copy(scratch, in_git)
    build, log = copy / "build-mutants", scratch / "mutation.log"
    results, skipped = [], set()
    try:
        if sh(["cmake", "-S", ".", "-B", str(build), "-DCMAKE_BUILD_TYPE=RelWithDebInfo", "-DCUDAGEN_WERROR=ON"], copy, log) != 0 or \
                sh(["cmake", "--build", str(build), "-j", str(args.jobs)], copy, log) != 0:
            sys.exit(f"the unmutated tree does not build; see {log}")
        if not args.no_baseline:
            failed, base_skipped = baseline(chosen, copy, build, log, args.jobs, args.exclude)
            skipped.update(base_skipped)
            print(f"baseline: the guarding tests on the unmutated tree; skipped: {', '.join(base_skipped) or 'none'}",
                  flush=True)
            if failed:
                sys.exit(f"these tests fail on the unmutated tree, so they would kill any mutant: {', '.join(failed)}"
                         f"; see {log}")
        for mutant in chosen:
            result, seconds, tests = run_mutant(mutant, copy, build, log, args.jobs, args.exclude)
            results.append((mutant, result, seconds, tests))
            if result != "killed":
                skipped.update(tests)
            print(f"{result:9} {mutant.id:40} {seconds:6.0f} s  {' '.join(tests)}", flush=True)
        # Leave the scratch build matching the committed tree.
        sh(["cmake", "--build", str(build)], copy, log)
    finally:
        if not args.keep:
            if in_git:
                subprocess.run(["git", "worktree", "remove", "--force", str(copy)], cwd=ROOT, capture_output=True)
            shutil.rmtree(scratch, ignore_errors=True)
    survived = [m.id for m, r, _, _ in results if r != "killed"]
    if args.report:
        command = "scripts/mutation_check.py " + " ".join(
            a if re.fullmatch(r"[\w./=,:-]+", a) else repr(a) for a in sys.argv[1:])
        write_report(args.report, results, {
            "head": head, "date": datetime.date.today().isoformat(), "command": command.strip(),
            "count": len(results), "killed": len(results) - len(survived), "seconds": time.monotonic() - started,
            "excluded": f"`{args.exclude}` ({args.exclude_why})" if args.exclude else "none",
            "skipped": ", ".join(f"`{t}`" for t in sorted(skipped)) or "none"})
    print(f"{len(results) - len(survived)} of {len(results)} killed in {time.monotonic() - started:.0f} s" +
          (f"; not killed: {', '.join(survived)}" if survived else ""))
    return 1 if survived else 0


if __name__ == "__main__":
    sys.exit(main())
