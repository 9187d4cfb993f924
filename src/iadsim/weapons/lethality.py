"""Kill probability from miss distance: the Carleton damage function.

``Pk(r) = Pk0 * exp(-r^2 / sigma^2)`` where ``r`` is the miss distance at closest approach,
``Pk0`` the kill probability of a direct hit (the catalog's single-shot Pk, which folds in
fuze and warhead reliability) and ``sigma`` the lethal radius (Przemieniecki, *Mathematical
Methods in Defense Analyses*, 3rd ed., AIAA 2000, sec. 4.4; Driels, *Weaponeering*, 2nd ed.,
AIAA 2013, ch. 9). Blast-fragmentation lethal radii scale with the cube root of the warhead
mass (Hopkinson-Cranz blast scaling, e.g. Kinney & Graham, *Explosive Shocks in Air*, 1985);
hit-to-kill interceptors have a lethal radius of the order of the target's half-size.
"""

from __future__ import annotations

import numpy as np


def kill_probability(miss_distance_m, direct_hit_pk, lethal_radius_m) -> np.ndarray:
    """Carleton kill probability.

    Parameters
    ----------
    miss_distance_m : array_like, (n,)
        Distance at closest approach, m.
    direct_hit_pk : array_like, (n,)
        Kill probability at zero miss.
    lethal_radius_m : array_like, (n,)
        Carleton ``sigma``, m.

    Returns
    -------
    ndarray, (n,)
    """
    r = np.asarray(miss_distance_m, dtype=float)
    sigma = np.asarray(lethal_radius_m, dtype=float)
    return np.asarray(direct_hit_pk, dtype=float) * np.exp(-((r / sigma) ** 2))
