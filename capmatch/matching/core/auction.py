"""Maximum-weight b-matching by a vectorised auction, with a certificate of optimality.

Needs bid for offers (Bertsekas' auction, Jacobi form: every need with a free slot bids in the same
round, in numpy). Offer j keeps its c_j highest bids; its price is the lowest bid it keeps when it
is full and 0 while it has room. A need with k free slots values each offer it does not hold at
score - price, bids on its k best when they are worth more than leaving the slot open, and bids
score - beta + eps, where beta is the value of its (k+1)-th best choice (or 0, an open slot). A slot
whose best choice is worth 0 or less stays open. Prices only rise, so the rounds end.

The auction alone is only eps-optimal. `solve` therefore checks the answer against linear
programming duality before returning it: with v_j the offers' prices and u_i = max(0, best value
need i does not hold), the answer is optimal when every held edge is worth at least u_i to its need
(score - v_j >= u_i), every need with an open slot has u_i = 0, and every offer with room has v_j = 0
(complementary slackness for the b-matching LP, to within `tolerance`, the same standard as the
LP solver's dual feasibility tolerance). When the check fails, or the rounds run past `max_rounds`
(many needs bidding for offers of nearly equal value make prices climb by eps a round), `solve`
returns None and the caller solves the component another way.
"""

from __future__ import annotations

import numpy as np
from scipy import sparse

from capmatch.matching.core.csr import gather_rows, offsets
from capmatch.matching.core.paths import finish

FINISH_UNITS = 2_000  # open slots the primal-dual phases route however slowly they go
LOOP_RANKS = 4  # bidders with this many free slots or more are ranked on their own, while they are
SORTED_BIDDERS = 1_000  # at most this many: otherwise every bidder's values are scanned rank by rank


def solve(ln, lo, w, s, c, *, max_rounds: int = 1500) -> np.ndarray | None:
    """Positions of an optimal edge set, or None when the auction cannot certify one in time.

    ln, lo, w: the edges, sorted by (need, offer), one per pair; s, c: slots and capacities.
    """
    auction, order = scarce_side_auction(ln, lo, w, s, c)
    sel = auction.certified_optimum(max_rounds=max_rounds)
    return None if sel is None else np.sort(order[sel])


def scarce_side_auction(ln, lo, w, s, c) -> tuple["Auction", np.ndarray]:
    """(auction, order): an auction whose bidders are the side with fewer units, and the position
    in the given edge arrays of each of the auction's edges.

    The problem is symmetric, but the auction is not: where places are fewer than positions, needs
    bidding for them must raise prices until the needs left out drop out, a price war as long as
    the value at stake over eps. Offers bidding for needs instead fill every place without one.
    """
    if int(c.sum()) < int(s.sum()):
        order = np.lexsort((ln, lo))
        return Auction(lo[order], ln[order], w[order], c, s), order
    return Auction(ln, lo, w, s, c), np.arange(len(w))


class Auction:
    """The auction's state: it can stop (a price war) and go on with another eps."""

    def __init__(self, ln, lo, w, s, c):
        self.ln, self.lo, self.w, self.s, self.c = ln, lo, w, s, c
        n, m = len(s), len(c)
        self.scale = max(1.0, float(np.abs(w).max(initial=0.0)))
        self.need_ptr = offsets(ln, n)
        self.offer_ptr, self.by_offer = _by_offer(ln, lo, self.need_ptr, m)
        self.price = np.zeros(m)
        self.held = np.zeros(len(w), dtype=bool)
        self.paid = np.zeros(len(w))  # the bid of each held edge
        self.taken = np.zeros(n, dtype=np.int64)  # slots filled
        no_edges = self.need_ptr[1:] == self.need_ptr[:-1]
        self.closed = np.where(no_edges, s, 0).astype(np.int64)  # slots left open for good
        self.active = np.flatnonzero((s > 0) & ~no_edges)

    @property
    def finished(self) -> bool:
        return len(self.active) == 0

    def certified_optimum(self, *, max_rounds: int = 1500, parts=None) -> np.ndarray | None:
        """Positions of an optimal edge set, or None when the auction stops or cannot prove it.
        parts: each edge's connected component, when the edges may hold several.

        Bids that raise a price by eps alone come from needs torn between offers of equal value. A
        few are harmless; many mean a price war that climbs eps a round, so the auction stops early.
        """
        eps = 1e-10 * self.scale
        self.rounds(eps, max_rounds=max_rounds, max_ties=100 + len(self.s) // 50)
        held, price = self.held, self.price
        if not self.finished:
            # The open slots go by the primal-dual method (capmatch.matching.core.paths): all of
            # them when they are few, and while each phase halves them on average when they are
            # many (ties route by the thousand in one phase; long chains of displacements do not).
            done = finish(self.ln, self.lo, self.w, self.s, self.c, self.held, self.taken, self.closed,
                          self.price, self.need_ptr, 2 * eps, many=FINISH_UNITS, parts=parts)
            if done is None:
                return None
            held, price = done
        if not _certified(self.ln, self.lo, self.w, self.s, self.c, held, price, tolerance=1e-9 * self.scale):
            return None
        return np.flatnonzero(held)

    def rounds(self, eps, *, max_rounds, max_ties=None, max_bids=None, tail_bidders=0, tail_eps=None,
               stall_rounds=None) -> bool:
        """Bid rounds until every slot is filled or closed (True), or max_rounds rounds, max_ties tie
        bids or max_bids bids in all.

        Price wars (needs outbidding each other by eps until the price is worth nothing to one of
        them) take the value at stake / eps rounds. Two rules shorten them, at the cost of a looser
        answer for the needs involved: once no more than tail_bidders needs are still bidding, they
        bid with tail_eps; and while more are, eps doubles whenever the number of bidders has not
        fallen for stall_rounds rounds.
        """
        ties, bids, since, fewest = 0, 0, 0, len(self.active)
        for _ in range(max_rounds):
            bids += len(self.active)
            if self.finished or (max_bids is not None and bids > max_bids):
                break
            if len(self.active) < fewest:
                fewest, since = len(self.active), 0
            else:
                since += 1
            tail = tail_eps is not None and len(self.active) <= tail_bidders
            if stall_rounds is not None and since >= stall_rounds and not tail:
                eps, since = 2 * eps, 0
            step = max(eps, tail_eps) if tail else eps
            edge, bid, tied = _bids(self.active, self.need_ptr, self.lo, self.w, self.s, self.price,
                                    self.held, self.taken, self.closed, step)
            ties += tied
            if max_ties is not None and ties > max_ties:
                break
            _award(edge, bid, self.ln, self.lo, self.c, self.held, self.paid, self.taken, self.price,
                   self.by_offer, self.offer_ptr)
            self.active = np.flatnonzero(self.taken + self.closed < self.s)
        return self.finished


def _by_offer(ln, lo, need_ptr, m):
    """(offer indptr, edge positions in offer order): a counting sort of the edges by offer that
    keeps need order within an offer (as a stable argsort of lo would, in a fraction of its time)."""
    byneed = sparse.csr_array((np.arange(len(lo), dtype=np.int64), lo, need_ptr),
                              shape=(len(need_ptr) - 1, m))
    byoffer = byneed.tocsc()
    return byoffer.indptr.astype(np.int64), byoffer.data


def _bids(active, need_ptr, lo, w, s, price, held, taken, closed, eps):
    """(edge, bid, ties) for this round: ties counts bids worth no more than eps over the bidder's next
    choice. Closes the slots of active needs that nothing is worth filling."""
    group, pos = gather_rows(need_ptr, active)
    lengths = need_ptr[active + 1] - need_ptr[active]
    value = w[pos] - price[lo[pos]]
    value[held[pos]] = -np.inf
    free = s[active] - taken[active] - closed[active]
    starts = np.cumsum(lengths) - lengths
    best, best_at = _best_values(value, group, starts, lengths, free)
    who = np.arange(len(active))
    beta = np.maximum(best[free, who], 0.0)
    ranks = np.arange(best.shape[0] - 1)[:, None]
    wanted = (ranks < free[None, :]) & (best[:-1] > 0)
    closed[active] += ((ranks < free[None, :]) & ~wanted).sum(axis=0)
    rank, col = np.nonzero(wanted)
    edge = pos[best_at[rank, col]]
    ties = int(np.count_nonzero(best[rank, col] - beta[col] <= eps))
    return edge, w[edge] - beta[col] + eps, ties


def _best_values(value, group, starts, lengths, free):
    """(value, position) of each bidder's free+1 best choices, rank by rank (-inf where it has fewer).
    Equal values: the earlier position first. `value` is used up (set to -inf as it is ranked)."""
    best = np.full((int(free.max()) + 1, len(free)), -np.inf)
    best_at = np.zeros(best.shape, dtype=np.int64)
    ranks = best.shape[0]
    big = np.flatnonzero(free >= LOOP_RANKS)
    if 0 < len(big) <= SORTED_BIDDERS:
        # A few bidders with many free slots (offers of large capacity): each one's values are
        # partitioned on their own, and the scan below skips them.
        for b in big.tolist():
            a, k = int(starts[b]), int(free[b]) + 1
            seg = value[a:a + int(lengths[b])]
            top = _largest(seg, k)
            best[:len(top), b] = seg[top]
            best_at[:len(top), b] = a + top
            seg[:] = -np.inf
        ranks = LOOP_RANKS
    for rank in range(ranks):  # one scan a rank
        top = np.maximum.reduceat(value, starts)
        hit = np.flatnonzero((value == top[group]) & (value > -np.inf))
        if len(hit) == 0:
            break
        first = np.ones(len(hit), dtype=bool)
        first[1:] = group[hit[1:]] != group[hit[:-1]]
        hit = hit[first]
        best[rank, group[hit]] = value[hit]
        best_at[rank, group[hit]] = hit
        value[hit] = -np.inf
    return best, best_at


def _largest(values, k) -> np.ndarray:
    """Positions of the k largest finite values, largest first, equal values in position order."""
    finite = np.flatnonzero(values > -np.inf)
    if len(finite) > k:
        kth = np.partition(values[finite], len(finite) - k)[len(finite) - k]
        above = finite[values[finite] > kth]
        finite = np.concatenate([above, finite[values[finite] == kth][:k - len(above)]])
    return finite[np.lexsort((finite, -values[finite]))]

def _award(edge, bid, ln, lo, c, held, paid, taken, price, by_offer, offer_ptr):
    """Each offer that got bids keeps its c_j best among them and its present holders."""
    marked = np.zeros(len(c), dtype=bool)
    marked[lo[edge]] = True
    offers = np.flatnonzero(marked)
    _, pos = gather_rows(offer_ptr, offers)
    holders = by_offer[pos]
    holders = holders[held[holders]]
    cand = np.concatenate([holders, edge])
    amount = np.concatenate([paid[holders], bid])
    order = np.lexsort((ln[cand], -amount, lo[cand]))
    cand, amount = cand[order], amount[order]
    offer = lo[cand]
    rank = np.arange(len(cand)) - np.searchsorted(offer, offer, side="left")
    keep = rank < c[offer]
    lost = cand[~keep & held[cand]]
    held[lost] = False
    np.subtract.at(taken, ln[lost], 1)
    won = cand[keep & ~held[cand]]
    held[won] = True
    np.add.at(taken, ln[won], 1)
    paid[cand[keep]] = amount[keep]
    price[offers] = 0.0
    full = keep & (rank == c[offer] - 1)
    price[offer[full]] = amount[full]


def within_limits(ln, lo, held, s, c) -> bool:
    """No need holds more edges than its slots, no offer more than its capacity."""
    return bool(np.all(np.bincount(ln[held], minlength=len(s)) <= s)
                and np.all(np.bincount(lo[held], minlength=len(c)) <= c))


def _certified(ln, lo, w, s, c, held, price, *, tolerance) -> bool:
    """Complementary slackness of the b-matching LP for `held`, with offer duals `price`."""
    n = len(s)
    if not within_limits(ln, lo, held, s, c):
        return False
    filled = np.bincount(lo[held], minlength=len(c))
    if np.any(price[filled < c] != 0) or np.any(price < 0):
        return False
    taken = np.bincount(ln[held], minlength=n)
    value = w - price[lo]
    counts = np.bincount(ln, minlength=n)
    has = counts > 0
    starts = (np.cumsum(counts) - counts)[has]
    alt = np.full(n, -np.inf)
    alt[has] = np.maximum.reduceat(np.where(held, -np.inf, value), starts)
    worst = np.full(n, np.inf)
    worst[has] = np.minimum.reduceat(np.where(held, value, np.inf), starts)
    u = np.maximum(alt, 0.0)
    open_slots = taken < s
    return bool(np.all(worst >= u - tolerance) and np.all(alt[open_slots] <= tolerance))
