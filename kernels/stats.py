"""Per-component statistics of a cell field: max, min, volume integral, volume, where the max is."""

from __future__ import annotations

import numpy as np

from .jit import kernel


@kernel
def component_stats(temperature, component, dx, dy, dz, n_components, out_max, out_min, out_sum,
                    out_vol, out_argmax):
    """Per component: max, min, volume-weighted sum of temperature, volume, flat index of max."""
    nz, ny, nx = temperature.shape
    for c in range(n_components):
        out_max[c] = -np.inf
        out_min[c] = np.inf
        out_sum[c] = 0.0
        out_vol[c] = 0.0
        out_argmax[c] = -1
    for k in range(nz):
        for j in range(ny):
            for i in range(nx):
                c = component[k, j, i]
                if c < 0:
                    continue
                t = temperature[k, j, i]
                v = dx[i] * dy[j] * dz[k]
                out_sum[c] += t * v
                out_vol[c] += v
                if t > out_max[c]:
                    out_max[c] = t
                    out_argmax[c] = (k * ny + j) * nx + i
                if t < out_min[c]:
                    out_min[c] = t
