"""Matching: candidates, scores, the exact solver, side constraints and gap explanations."""
