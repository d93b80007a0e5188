"""What a run's status block says: its phase and, for a run the worker abandoned, why it failed.

The phases are stored as the English words the worker reports (match_runs.phase); they are
translated when shown.
"""

from __future__ import annotations

from capmatch.i18n import N_, _

PHASES = {
    "queued": N_("Queued"),
    "waiting": N_("Waiting"),
    "waiting for earlier runs": N_("Waiting for earlier runs"),
    "reading the snapshot": N_("Reading the snapshot"),
    "finding candidates": N_("Finding candidates"),
    "scoring": N_("Scoring"),
    "solving": N_("Solving"),
    "pricing the policy's constraints": N_("Pricing the policy's constraints"),
    "explaining the gaps": N_("Explaining the gaps"),
    "writing proposals": N_("Writing proposals"),
    "done": N_("Done"),
    "failed": N_("Failed"),
}

ABANDONED = N_("The worker running this match stopped before it finished (killed or crashed); "
               "no proposals were written.")


def phase_words(phase: str | None) -> str:
    phase = phase or ""
    return _(PHASES[phase]) if phase in PHASES else phase.capitalize()


def error_words(error: str | None) -> str:
    """A failed run's error: the abandoned run's sentence translated, a solver's exception as it was."""
    return _(ABANDONED) if error == ABANDONED else (error or "")
