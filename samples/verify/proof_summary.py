#!/usr/bin/env python3
"""Summarises a run of h100_proof.sh (its verify-runs folder) as Markdown on stdout."""

import json
import pathlib
import sys


def load(folder, name):
    path = folder / f"{name}.json"
    try:
        return json.loads(path.read_text().strip().splitlines()[-1])
    except (OSError, ValueError, IndexError):
        return None


def cases_table(folder):
    rows = ["| case | expected exit | exit | wall s | verdict |", "| --- | --- | --- | --- | --- |"]
    for line in (folder / "cases.tsv").read_text().splitlines():
        name, expected, got, wall, _ = line.split("\t", 4)
        verdict = load(folder, name) or {}
        text = verdict.get("diagnosis", "")
        mark = "" if expected == got else " **MISMATCH**"
        rows.append(f"| {name} | {expected} | {got}{mark} | {wall} | {text[:150]} |")
    return rows


def bandwidth_table(folder):
    rows = ["| run | cudagen-verify D2D GB/s | peak GB/s | % of peak | PyTorch D2D GB/s | verify / PyTorch | H2D | D2H |",
            "| --- | --- | --- | --- | --- | --- | --- | --- |"]
    for i in (1, 2, 3):
        verify, torch = load(folder, f"all_good_{i}"), load(folder, f"torch_d2d_{i}")
        if not verify or not verify["devices"] or not torch:
            rows.append(f"| {i} | missing | | | | | | |")
            continue
        d = verify["devices"][0]
        rows.append(f"| {i} | {d['d2d_gbps']:.0f} | {d['peak_gbps']:.0f} | {d['d2d_percent_of_peak']:.1f} | "
                    f"{torch['d2d_gbps']:.0f} | {d['d2d_gbps'] / torch['d2d_gbps']:.3f} | {d['h2d_gbps']:.1f} | "
                    f"{d['d2h_gbps']:.1f} |")
    return rows


def kernel_sources(folder):
    rows = []
    for name in ("all_good_1", "dockerfile_build", "ptx80_only_jit", "sm80_sass_only"):
        v = load(folder, name)
        if v:
            d = v["devices"][0] if v["devices"] else {}
            rows.append(f"- {name}: binary holds SASS {v['binary']['sass']} PTX {v['binary']['ptx']}; "
                        f"kernel_source {d.get('kernel_source')}, binaryVersion {d.get('binary_version')}, "
                        f"ptxVersion {d.get('ptx_version')}; exit {v['exit_code']}")
    return rows


def main(folder):
    folder = pathlib.Path(folder)
    out = ["# cudagen-verify proof run", "", "## Cases", "", *cases_table(folder), "",
           "## Device-to-device bandwidth (bytes read + written)", "", *bandwidth_table(folder), "",
           "## Kernel source per build", "", *kernel_sources(folder), "", "## Wall time (`time`)", ""]
    for name in ("time_no_framework", "time_pytorch"):
        path = folder / f"{name}.txt"
        out.append(f"- {name}: {path.read_text().strip() if path.exists() else 'missing'} s")
    print("\n".join(out))


if __name__ == "__main__":
    main(sys.argv[1])
