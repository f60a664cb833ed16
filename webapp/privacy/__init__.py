"""Privacy: retention (`flask retention apply`), legal holds, and subject access and erasure (`flask subject`).

Reports hold health, disability, ethnicity and abuse. What the commands print
and audit is counts and references, never content.
"""
