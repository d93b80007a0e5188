"""The side constraints, the edges' attributes they count, and the constraints written as rows
h(x) = A x + b >= 0 over the edge variables, shared by the MILP, the Lagrangian relaxation and the
check of which constraints bind."""

from __future__ import annotations

from dataclasses import dataclass, fields

import numpy as np
from scipy import sparse


@dataclass(frozen=True)
class SideConstraints:
    min_south_south_share: float | None = None
    max_provider_share: float | None = None
    max_country_share: float | None = None
    min_women_share: float | None = None
    budget_usd: float | None = None

    def active(self) -> tuple[str, ...]:
        return tuple(f.name for f in fields(self) if getattr(self, f.name) is not None)


@dataclass(frozen=True)
class EdgeAttributes:
    south: np.ndarray  # bool: requester and provider both in the Global South
    org: np.ndarray  # int: provider organization
    country: np.ndarray  # int: origin country (-1 none: never counted against a country cap)
    woman: np.ndarray  # bool
    cost: np.ndarray  # float: total cost of the assignment, 0 when unknown


def side_rows(attrs: EdgeAttributes, cons: SideConstraints, n_edges: int):
    """Side constraints as rows h(x) = A x + b >= 0 over the edge variables (F = sum x substituted)."""
    rows, consts, names = [], [], []
    if cons.min_south_south_share is not None:
        rows.append(sparse.csr_array((attrs.south.astype(float) - cons.min_south_south_share).reshape(1, -1)))
        consts.append(np.zeros(1)), names.append(["min_south_south_share"])
    if cons.min_women_share is not None:
        rows.append(sparse.csr_array((attrs.woman.astype(float) - cons.min_women_share).reshape(1, -1)))
        consts.append(np.zeros(1)), names.append(["min_women_share"])
    for name, group in (("max_provider_share", attrs.org), ("max_country_share", attrs.country)):
        share = getattr(cons, name)
        if share is None:
            continue
        valid = group >= 0
        ids, g = np.unique(group[valid], return_inverse=True)
        e = np.flatnonzero(valid)
        member = sparse.csr_array((np.ones(len(e)), (g, e)), shape=(len(ids), n_edges))
        # share * F - (positions of group) >= 0, written with the dense share part kept implicit
        rows.append(("share", share, member))
        consts.append(np.zeros(len(ids))), names.append([name] * len(ids))
    if cons.budget_usd is not None:
        rows.append(sparse.csr_array((-attrs.cost).reshape(1, -1)))
        consts.append(np.array([cons.budget_usd])), names.append(["budget_usd"])
    return rows, consts, names


def evaluate(rows, consts, x: np.ndarray) -> np.ndarray:
    out = []
    for row, b in zip(rows, consts):
        if isinstance(row, tuple):
            _, share, member = row
            out.append(share * x.sum() - member @ x + b)
        else:
            out.append(row @ x + b)
    return np.concatenate(out) if out else np.zeros(0)
