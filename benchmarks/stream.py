"""STREAM-triad bandwidth against array size (run as a script). The triad itself lives in
:mod:`thermal_cpo.bench` and :mod:`thermal_cpo.kernels.stream`."""

from __future__ import annotations

from thermal_cpo.bench import llc_bytes, triad_bandwidth


if __name__ == "__main__":  # python benchmarks/stream.py [threads]
    import sys

    from thermal_cpo.kernels.jit import set_threads

    threads = set_threads(int(sys.argv[1]) if len(sys.argv) > 1 else None)
    llc = llc_bytes()
    print(f"threads {threads}, reported LLC {llc / 2**20 if llc else float('nan'):.0f} MiB")
    for p in range(20, 29):
        n = 1 << p
        print(f"n = 2^{p} ({3 * 8 * n / 2**20:8.0f} MiB in all): {triad_bandwidth(n, 7):7.1f} GB/s")
