"""
django-seeding: fill a whole Django project's database with realistic,
consistent fake data, and empty it again safely.
"""

from .registry import Seed, autodiscover, check, register

__all__ = ["Seed", "autodiscover", "check", "register"]
__version__ = "0.1.0"
