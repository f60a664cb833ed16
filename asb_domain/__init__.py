"""The domain core of asb-report.

Framework-free: imported by the Flask web app (Python 3.11) and by the Rasa
action server (Python 3.10). Nothing here may import Flask, Rasa or
SQLAlchemy. Keep the code Python 3.10 compatible.
"""

from asb_domain.policy import Policy, PolicyError, default_policy_path, load_policy

__all__ = ["Policy", "PolicyError", "default_policy_path", "load_policy"]
