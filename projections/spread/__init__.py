"""Spread: adoptions and diffusion, and the verdicts of adopting sites."""
